"""Read and validate a 补录 (second-round) directory: supplementary/ beside the case's four files.

``first_round.csv`` is the first round's published results.csv (one row per student of students.csv);
``declined.csv`` (optional) lists students who declined their first-round seat; ``seats.csv`` (optional) the
seats each program offers in 补录; ``preferences.csv`` the new choices, in the format of the case's
preferences.csv. Only students without a first-round seat may file choices — and those who declined it, if
policy.toml says ``supplementary_declined = true``. What needs the first round itself (that first_round.csv is
the case's own first round, that no program offers more seats than it has left) is checked when the round runs
(:mod:`supplementary`). Problems are reported as ``supplementary/<file>:line: column: reason``.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from gaozhong.common.errors import ProblemList

from .csvread import EMPTY_REASON, CsvFile, check_header, text_table
from .readprefs import read_preferences
from .types import Policy, Supplementary
from .values import add_row_problems, integer_column

__all__ = ["SUPPLEMENTARY_DIR", "SUPPLEMENTARY_FILES", "SUPPLEMENTARY_REQUIRED", "read_supplementary"]

SUPPLEMENTARY_DIR = "supplementary"
SUPPLEMENTARY_REQUIRED = ("first_round.csv", "preferences.csv")
SUPPLEMENTARY_FILES = ("first_round.csv", "declined.csv", "seats.csv", "preferences.csv")
FIRST_ROUND_COLUMNS = ["student_id", "program_id", "batch", "choice_rank"]


def _index(ids: list) -> dict:
    out: dict = {}
    for i, v in enumerate(ids):
        if v is not None:
            out.setdefault(v, i)
    return out


def read_supplementary(
    files: dict[str, CsvFile], stud: dict, prog: dict, policy: Policy, problems: ProblemList, checks: list
) -> Supplementary | None:
    """Check the 补录 files against the case's students and programs; None (with problems added) if bad."""
    before = len(problems) + problems.dropped
    n_students, n_prog = len(stud["student_id"]), len(prog["program_id"])
    ppos = _index(prog["program_id"])

    first_program = np.full(n_students, -1, dtype=np.int32)
    first_rank = np.full(n_students, -1, dtype=np.int64)
    first_line = np.zeros(n_students, dtype=np.int64)
    f = files["first_round.csv"]
    if check_header(f, FIRST_ROUND_COLUMNS, [], allow_extra=False, problems=problems):
        df = text_table(f, problems)
        if df is not None:
            _first_round(f, df, stud, prog, problems, first_program, first_rank, first_line)

    declined = np.zeros(n_students, dtype=bool)
    if "declined.csv" in files:
        f = files["declined.csv"]
        if check_header(f, ["student_id"], [], allow_extra=True, problems=problems):
            df = text_table(f, problems, columns=["student_id"])
            if df is not None:
                lines = f.lines(np.arange(df.height)).tolist()
                seen: dict[int, int] = {}
                codes = _codes(df["student_id"], stud["student_id"], unique="lottery" in stud).tolist()
                for i, sid in enumerate(df["student_id"].to_list()):
                    s = codes[i] if codes[i] >= 0 else None
                    if sid is None:
                        problems.add(f.name, lines[i], "student_id", EMPTY_REASON)
                    elif s is None:
                        problems.add(f.name, lines[i], "student_id", f"未知的考生编号 “{sid}” (unknown student_id)")
                    elif s in seen:
                        problems.add(f.name, lines[i], "student_id", f"考生编号 “{sid}” 重复，首次出现在第 {seen[s]} 行 (duplicate student_id; first on line {seen[s]})")
                    elif first_line[s] and first_program[s] < 0:
                        problems.add(f.name, lines[i], "student_id", f"考生 “{sid}” 第一轮未被录取，没有可放弃的录取 (no first-round seat to decline)")
                    else:
                        seen[s] = lines[i]
                        declined[s] = True

    seats = np.full(n_prog, -1, dtype=np.int64)
    seats_line = np.zeros(n_prog, dtype=np.int64)
    if "seats.csv" in files:
        f = files["seats.csv"]
        seats[:] = 0  # a program not listed offers no seats
        if check_header(f, ["program_id", "seats"], [], allow_extra=False, problems=problems):
            df = text_table(f, problems)
            if df is not None:
                lines = f.lines(np.arange(df.height)).tolist()
                values = integer_column(f, df["seats"], "seats", problems, required=True)
                for i, pid in enumerate(df["program_id"].to_list()):
                    p = ppos.get(pid)
                    if pid is None:
                        problems.add(f.name, lines[i], "program_id", EMPTY_REASON)
                    elif p is None:
                        problems.add(f.name, lines[i], "program_id", f"未知的招生方案 “{pid}” (unknown program_id)")
                    elif seats_line[p]:
                        problems.add(f.name, lines[i], "program_id", f"招生方案 “{pid}” 重复，首次出现在第 {seats_line[p]} 行 (duplicate program_id; first on line {seats_line[p]})")
                    else:
                        seats_line[p] = lines[i]
                        seats[p] = max(int(values[i]), 0)

    may_take_part = (first_program < 0) | (declined & policy.supplementary_declined)

    def rows(scode: np.ndarray, pcode: np.ndarray) -> np.ndarray:
        return ~may_take_part[scode]

    def reason(s: int, p: int) -> str:
        if declined[s]:
            return ("考生放弃了第一轮录取，本市设置不允许其参加补录 "
                    "(declined the first-round seat; supplementary_declined is not true)")
        return (f"考生第一轮已被 “{prog['program_id'][first_program[s]]}” 录取，不参加补录 "
                "(admitted in the first round; only students without a seat take part in 补录)")

    prefs = read_preferences(files["preferences.csv"], stud, prog, problems,
                             checks=[*checks, ("student_id", rows, reason)])
    if len(problems) + problems.dropped > before or prefs is None:
        return None
    return Supplementary(
        first_program=first_program, first_rank=first_rank, first_line=first_line, declined=declined,
        seats=seats, seats_line=seats_line, preferences=prefs,
    )


def _codes(values: pl.Series, keys: list | pl.Series, *, unique: bool = False) -> np.ndarray:
    """Row of ``keys`` (first occurrence) for each value, -1 if unknown or empty; ``unique``: the keys are known
    to be distinct and present (a good students.csv's ids)."""
    table = pl.DataFrame({"k": pl.Series(keys, dtype=pl.String), "i": np.arange(len(keys), dtype=np.int64)})
    if not unique:
        table = table.filter(pl.col("k").is_not_null() & pl.col("k").is_first_distinct())
    joined = pl.DataFrame({"k": values.cast(pl.String)}).join(table, on="k", how="left", maintain_order="left")
    return joined["i"].fill_null(-1).to_numpy().astype(np.int64)


def _first_round(f: CsvFile, df: pl.DataFrame, stud: dict, prog: dict, problems: ProblemList,
                 first_program: np.ndarray, first_rank: np.ndarray, first_line: np.ndarray) -> None:
    """first_round.csv (the published results.csv): fill the per-student arrays, report bad rows."""
    n = df.height
    lines = f.lines(np.arange(n))
    sid, pid = df["student_id"], df["program_id"]
    ranks = integer_column(f, df["choice_rank"], "choice_rank", problems, required=False, minimum=1)
    batches = integer_column(f, df["batch"], "batch", problems, required=False)
    add_row_problems(problems, f, np.flatnonzero(sid.is_null().to_numpy()), "student_id", EMPTY_REASON)
    # The usual file is the published results.csv: one row per student in students.csv order (whose ids are
    # then known to be unique, "lottery" being there only for a good students.csv).
    in_order = ("lottery" in stud and n == len(stud["student_id"]) and not sid.null_count()
                and bool((sid == stud["student_id"]).all()))
    s = np.arange(n, dtype=np.int64) if in_order else _codes(sid, stud["student_id"])
    unknown = np.flatnonzero((s < 0) & sid.is_not_null().to_numpy())
    add_row_problems(problems, f, unknown, "student_id",
                     [f"未知的考生编号 “{t}” (unknown student_id)" for t in sid.gather(unknown[: problems.limit]).to_list()])
    repeat = np.zeros(0, dtype=np.int64) if in_order else np.flatnonzero((s >= 0) & ~pl.Series(s).is_first_distinct().to_numpy())
    if repeat.size:
        first_at = {}
        for r in range(n):
            first_at.setdefault(int(s[r]), int(lines[r]))
        add_row_problems(problems, f, repeat, "student_id",
                         [f"考生编号重复，首次出现在第 {first_at[int(s[r])]} 行 (duplicate student_id; first on line {first_at[int(s[r])]})"
                          for r in repeat[: problems.limit]])
    p = _codes(pid, prog["program_id"])
    has_p = pid.is_not_null().to_numpy()
    bad_p = np.flatnonzero(has_p & (p < 0))
    add_row_problems(problems, f, bad_p, "program_id",
                     [f"未知的招生方案 “{t}” (unknown program_id)" for t in pid.gather(bad_p[: problems.limit]).to_list()])
    stray = np.flatnonzero(~has_p & ((ranks >= 0) | (batches >= 0)))
    add_row_problems(problems, f, stray, "program_id", "未录取的考生不能有批次或志愿序号 (no program: batch and choice_rank must be empty)")
    pbatch = np.asarray(prog["batch"], dtype=np.int64)
    known = p >= 0
    wrong_batch = np.flatnonzero(known & (batches != pbatch[np.maximum(p, 0)]))
    add_row_problems(problems, f, wrong_batch, "batch",
                     [f"方案 “{prog['program_id'][p[r]]}” 属于第 {pbatch[p[r]]} 批 (program {prog['program_id'][p[r]]} belongs to batch {pbatch[p[r]]})"
                      for r in wrong_batch[: problems.limit]])
    add_row_problems(problems, f, np.flatnonzero(known & (ranks < 0) & df["choice_rank"].is_null().to_numpy()), "choice_rank", EMPTY_REASON)
    ok = np.flatnonzero(s >= 0)
    if not in_order:
        ok = ok[pl.Series(s[ok]).is_first_distinct().to_numpy()]
    first_line[s[ok]] = lines[ok]
    got = ok[p[ok] >= 0]
    first_program[s[got]] = p[got]
    first_rank[s[got]] = ranks[got]
    missing = np.flatnonzero(first_line == 0)
    if missing.size and n:
        ids = stud["student_id"]
        room = max(problems.limit - len(problems), 0)
        for m in missing[:room]:
            problems.add(f.name, None, "student_id", f"缺少考生 “{ids[int(m)]}” 的第一轮结果 (students.csv has this student; the first round's results must list every student)")
        problems.dropped += max(0, int(missing.size) - room)
    elif missing.size:
        problems.add(f.name, None, None, "没有第一轮结果 (the first round's results are empty)")
