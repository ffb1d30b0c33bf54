"""Read preferences.csv fast: typed parsing, ids to row numbers, order and repeat checks on whole columns.

The usual file (a million students, up to twelve choices each) parses in one pass with the expected types, then
its program ids are coded as their programs.csv rows; any cell that does not fit sends the file to the text
path, which reports every problem with its line and column. Student ids that are whole numbers (the usual 考生号)
are read as numbers, and kept so only if every cell of the file is written in its plain form — then equal numbers
are equal texts, and ``+101`` or ``0101`` still name no student ``101``. Rows are put in (student, batch, rank)
order, which is also how a repeated rank or a program named twice in a batch is found.
"""

from __future__ import annotations

from concurrent.futures import Future

import numpy as np
import polars as pl

from gaozhong.common.errors import ProblemList

from .csvread import EMPTY_REASON, STRIP_CHARS, CsvFile, may_have_blank_rows, text_table
from .types import Preferences
from .values import add_row_problems, integer_column

__all__ = ["PREFERENCE_COLUMNS", "parse_columns", "code_programs", "parse_fast", "read_preferences"]

PREFERENCE_COLUMNS = ["student_id", "batch", "rank", "program_id"]


def _preference_types(program_ids: list[str | None]) -> dict:
    """Types of the fast path: program ids straight to their row number when they are unique."""
    unique = len(set(program_ids)) == len(program_ids) and None not in program_ids
    program = pl.Enum(program_ids) if unique and program_ids else pl.String
    return {"student_id": pl.String, "batch": pl.Int32, "rank": pl.Int32, "program_id": program}


def parse_columns(f: CsvFile, *, numeric_ids: bool = True) -> pl.DataFrame:
    """preferences.csv with the fast path's types, program ids as text (:func:`code_programs` codes them).

    Student ids that look like whole numbers (the usual 考生号) are read as numbers, which is much cheaper than as
    text; :func:`read_preferences` then checks that every cell was written in its plain form (so that equal numbers
    mean equal texts) and reads the file as text otherwise. The header must be exactly the four columns."""
    types = {"student_id": pl.String, "batch": pl.Int32, "rank": pl.Int32, "program_id": pl.String}
    if numeric_ids and _first_id_is_plain_number(f):
        types["student_id"] = pl.Int64
    try:
        return pl.read_csv(f.data, has_header=True, schema={c: types[c] for c in f.header})
    except pl.exceptions.PolarsError:
        if types["student_id"] == pl.String:
            raise
    # an id that is not a number (or anything else): read as text, which reports what is wrong
    types["student_id"] = pl.String
    return pl.read_csv(f.data, has_header=True, schema={c: types[c] for c in f.header})


def code_programs(df: pl.DataFrame, program_ids: list[str | None]) -> pl.DataFrame:
    """Program ids as the Enum of programs.csv's ids when these are unique (the code is the row; an unknown id
    raises a Polars error, as it would while parsing). Coding after parsing as text is cheaper than parsing into
    the Enum."""
    program = _preference_types(program_ids)["program_id"]
    if program == pl.String or df["program_id"].dtype == program:
        return df
    return df.with_columns(pl.col("program_id").cast(program))


def parse_fast(f: CsvFile, program_ids: list[str | None], *, numeric_ids: bool = True) -> pl.DataFrame:
    """preferences.csv with the fast path's types (:func:`parse_columns`, :func:`code_programs`)."""
    return code_programs(parse_columns(f, numeric_ids=numeric_ids), program_ids)


def _first_id_is_plain_number(f: CsvFile) -> bool:
    """Whether the first record's student_id is a whole number written plainly (no sign, no leading zero)."""
    if "student_id" not in f.header or f.has_quotes:
        return False
    start = f.data.find(b"\n") + 1
    if start == 0:
        return False
    end = f.data.find(b"\n", start)
    fields = f.data[start:end if end >= 0 else len(f.data)].rstrip(b"\r").split(b",")
    if len(fields) != len(f.header):
        return False
    text = fields[f.header.index("student_id")]
    return _is_plain_number(text)


def _is_plain_number(text: bytes) -> bool:
    return 0 < len(text) <= 18 and text.isdigit() and (text[:1] != b"0" or text == b"0")


_POWERS_OF_TEN = 10 ** np.arange(1, 19, dtype=np.int64)


def _digits(values: np.ndarray, weights: np.ndarray) -> int:
    """Total length of the plain decimal texts of non-negative whole numbers, each counted ``weights`` times."""
    if values.size == 0:
        return 0
    return int(((np.searchsorted(_POWERS_OF_TEN, values, side="right") + 1) * weights).sum())


def _column_digits(s: pl.Series) -> int:
    """Total length of the plain decimal texts of a column of small non-negative whole numbers (batch, rank)."""
    total = len(s)
    top = s.max()
    power = 10
    while top is not None and power <= top:  # one pass per digit
        total += int((s >= power).sum())
        power *= 10
    return total


def _runs(ids: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """The first row of every stretch of equal consecutive ids (an empty id equals an empty one, as in
    Series.rle_id), and each row's stretch number (int32)."""
    if ids.dtype == pl.Int64 and not ids.null_count():
        change = np.empty(len(ids), dtype=bool)
        at, previous = 0, None
        for chunk in ids.get_chunks():  # piece by piece, without copying the column
            values = chunk.to_numpy()
            if values.size:
                np.not_equal(values[1:], values[:-1], out=change[at + 1:at + values.size])
                change[at] = previous is None or values[0] != previous
                previous = values[-1]
                at += values.size
    else:
        change = ids.ne_missing(ids.shift(1)).fill_null(True).to_numpy()
        if change.size:
            change[0] = True
    starts = np.flatnonzero(change)
    run = np.cumsum(change, dtype=np.int32)
    run -= 1
    return starts, run


def _numpy(s: pl.Series, dtype) -> np.ndarray:
    """A column without empty cells as a NumPy array of ``dtype``, copied piece by piece into memory of NumPy's
    (a copy of the whole column would first be made in new memory of Polars')."""
    out = np.empty(len(s), dtype=dtype)
    at = 0
    for chunk in s.get_chunks():
        values = chunk.to_numpy()
        out[at:at + values.size] = values
        at += values.size
    return out


def _may_be_plain(df: pl.DataFrame) -> bool:
    """Cheap first test for :func:`_written_plainly`: no empty cell, no negative number, program ids coded."""
    if df.height == 0 or any(df[c].null_count() for c in df.columns):
        return False
    if not isinstance(df["program_id"].dtype, pl.Enum):
        return False
    return all(df[c].min() >= 0 for c in ("student_id", "batch", "rank"))


def _written_plainly(f: CsvFile, df: pl.DataFrame, starts: np.ndarray, program_ids: list[str]) -> bool:
    """Whether every cell of preferences.csv read with numeric student ids (none empty or negative,
    :func:`_may_be_plain`) is written in its plain form: then the file is exactly as long as the header, the plain
    texts of the numbers, the program ids, three commas and a line break per row. Any other spelling (``+7``,
    ``007``, spaces, quotes, ``\\r\\n`` line ends) is longer. ``starts`` are the first rows of the stretches of equal
    ids (:func:`_runs`)."""
    header = f.data.find(b"\n") + 1
    if header == 0:
        return False
    n = df.height
    lengths = np.asarray([len(p.encode("utf-8")) for p in program_ids], dtype=np.int64)
    counts = np.zeros(len(program_ids), dtype=np.int64)
    for chunk in df["program_id"].to_physical().get_chunks():  # in pieces: bincount makes a wide copy of them
        counts += np.bincount(chunk.to_numpy(), minlength=len(program_ids))
    program_bytes = int(counts @ lengths)
    id_bytes = _digits(df["student_id"].gather(starts).to_numpy(), np.diff(np.append(starts, n)))
    expected = header + id_bytes + _column_digits(df["batch"]) + _column_digits(df["rank"]) + program_bytes + 4 * n
    if not f.data.endswith(b"\n"):
        expected -= 1
    return expected == len(f.data)


def read_preferences(
    f: CsvFile, stud: dict, prog: dict, problems: ProblemList, prefetched: Future | None = None,
    checks: list | None = None,
) -> Preferences | None:
    """Check preferences.csv against the students and programs read; None (with problems added) if bad.

    ``checks`` are further rules on the rows, each ``(column, rows, reason)``: ``rows(student, program)`` flags the
    rows that break it (arrays of students.csv and programs.csv row numbers) and ``reason(student, program)`` says
    why, for the problem reported on the row's line."""
    before = len(problems) + problems.dropped
    df: pl.DataFrame | None = None
    fast = False
    runs = None  # stretches of equal student ids (numeric ids only)
    for attempt in range(3):
        try:  # fast path: the whole file parses with the expected types
            early = prefetched.result() if attempt == 0 and prefetched is not None else None
            df = code_programs(early, prog["program_id"]) if early is not None else parse_fast(f, prog["program_id"])
        except pl.exceptions.PolarsError:
            if not (f.make_utf8() or f.drop_blank_records()):  # not the encoding, no blank record: read as text
                break
            continue
        if may_have_blank_rows(df) and f.drop_blank_records():
            continue  # blank records (skipped by the CSV rule) were removed: parse again
        fast = True
        break
    if fast and df is not None and df["student_id"].dtype == pl.Int64:
        runs = _runs(df["student_id"]) if _may_be_plain(df) else None
        if runs is None or not _written_plainly(f, df, runs[0], prog["program_id"]):
            runs = None  # not every cell in its plain form: the ids are compared as texts
            df = _as_text_ids(f, prog["program_id"])
            fast = df is not None
    if fast:
        assert df is not None
        f.release()  # before the columns are copied out, which can then reuse its memory
        batch, rank, pcode = _fast_columns(f, df, problems)
    else:
        df = text_table(f, problems)
        if df is None:
            return None
        for col in ("student_id", "program_id"):
            add_row_problems(problems, f, np.flatnonzero(df[col].is_null().to_numpy()), col, EMPTY_REASON)
        batch = _int32(f, integer_column(f, df["batch"], "batch", problems, required=True), df["batch"], "batch", problems)
        rank = _int32(f, integer_column(f, df["rank"], "rank", problems, required=True, minimum=1), df["rank"], "rank", problems)

    scode = _student_codes(df["student_id"], stud["student_id"], strip=fast, runs=runs)
    if (scode < 0).any():
        unknown = np.flatnonzero((scode < 0) & df["student_id"].is_not_null().to_numpy())
        texts = df["student_id"].gather(unknown[: problems.limit]).to_list()
        add_row_problems(problems, f, unknown, "student_id", [f"未知的考生编号 “{t}” (unknown student_id)" for t in texts])
    if not fast or df["program_id"].dtype == pl.String:
        pcode = _program_codes(df["program_id"], prog["program_id"], strip=fast)
    if (pcode < 0).any():
        unknown = np.flatnonzero((pcode < 0) & df["program_id"].is_not_null().to_numpy())
        texts = df["program_id"].gather(unknown[: problems.limit]).to_list()
        add_row_problems(problems, f, unknown, "program_id", [f"未知的招生方案 “{t}” (unknown program_id)" for t in texts])
    del df
    pbatch = prog["batch"].astype(np.int64)
    program_batch = pbatch.astype(np.int32)[np.maximum(pcode, 0)] if pcode.min(initial=0) < 0 else pbatch.astype(np.int32)[pcode]
    mismatch = program_batch != batch
    if mismatch.any():
        wrong = np.flatnonzero(mismatch & (pcode >= 0) & (batch >= 0) & (program_batch >= 0))
    else:
        wrong = np.zeros(0, dtype=np.int64)
    if wrong.size:
        shown = wrong[: problems.limit]
        add_row_problems(
            problems, f, wrong, "batch",
            [
                f"方案 “{prog['program_id'][pcode[r]]}” 属于第 {pbatch[pcode[r]]} 批，不是第 {batch[r]} 批 "
                f"(program {prog['program_id'][pcode[r]]} belongs to batch {pbatch[pcode[r]]}, not {batch[r]})"
                for r in shown
            ],
        )
    del mismatch, program_batch
    failed = len(problems) + problems.dropped > before
    keep = None
    if failed:  # check the rest among the rows that are fine so far
        bad = (scode < 0) | (pcode < 0) | (batch < 0) | (rank < 1)
        bad[wrong] = True
        keep = np.flatnonzero(~bad)
        scode, batch, rank, pcode = scode[keep], batch[keep], rank[keep], pcode[keep]
    order, dup_rank = _sort_check(scode, batch, rank)
    if order is not None:
        scode, batch, rank, pcode = scode[order], batch[order], rank[order], pcode[order]

    def original(rows: np.ndarray) -> np.ndarray:
        rows = rows if order is None else order[rows]
        return np.sort(rows if keep is None else keep[rows])

    if dup_rank.size:
        add_row_problems(
            problems, f, original(dup_rank), "rank",
            "同一考生在同一批次中重复的志愿序号 (the student already has a choice with this rank in this batch)",
        )
    dup_prog = _repeated_programs(scode, pcode)
    if dup_prog.size:
        add_row_problems(
            problems, f, original(dup_prog), "program_id",
            "同一考生在同一批次中重复填报该方案 (the student names this program twice in the batch)",
        )
    for column, rows_of, reason in checks or ():
        bad_rows = np.flatnonzero(rows_of(scode, pcode))
        if bad_rows.size:
            records = bad_rows if order is None else order[bad_rows]
            records = records if keep is None else keep[records]
            by_line = np.argsort(records, kind="stable")
            shown = bad_rows[by_line][: problems.limit]
            add_row_problems(problems, f, records[by_line], column,
                             [reason(int(scode[r]), int(pcode[r])) for r in shown])
    if failed or len(problems) + problems.dropped > before:
        return None
    return Preferences(student=scode, batch=batch, rank=rank, program=pcode)


def _as_text_ids(f: CsvFile, program_ids: list[str | None]) -> pl.DataFrame | None:
    """preferences.csv again with the student ids as text (None if it does not parse so)."""
    try:
        return parse_fast(f, program_ids, numeric_ids=False)
    except pl.exceptions.PolarsError:
        return None


def _fast_columns(f: CsvFile, df: pl.DataFrame, problems: ProblemList) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """batch, rank (int32, -1 where bad) and program codes (int32 row of programs.csv, -1 where unknown; empty if
    the ids are text) of the fast path's table; empty and negative cells are reported."""
    for col in PREFERENCE_COLUMNS:
        if df[col].null_count():
            add_row_problems(problems, f, np.flatnonzero(df[col].is_null().to_numpy()), col, EMPTY_REASON)
    columns = {}
    for col, minimum in (("batch", 0), ("rank", 1)):
        series = df[col]
        arr = _numpy(series, np.int32) if not series.null_count() else np.array(series.fill_null(-1).to_numpy())
        if arr.size and arr.min() < minimum:
            arr = np.array(arr, dtype=np.int32)  # writable copy
            bad = np.flatnonzero((arr < minimum) & series.is_not_null().to_numpy())
            if bad.size:
                cn, en = ("非负整数", "not a non-negative whole number") if minimum == 0 else ("≥ 1 的整数", "not a whole number ≥ 1")
                add_row_problems(problems, f, bad, col, [f"“{v}” 不是{cn} ({en})" for v in arr[bad[: problems.limit]]])
                arr[bad] = -1
        columns[col] = arr.astype(np.int32, copy=False)
    pcode = np.zeros(0, dtype=np.int32)
    if df["program_id"].dtype != pl.String:  # the Enum of programs.csv's ids: the code is the row
        phys = df["program_id"].to_physical()
        if phys.null_count():
            pcode = np.where(phys.is_null().to_numpy(), -1, phys.fill_null(0).to_numpy().astype(np.int32))
        else:
            pcode = _numpy(phys, np.int32)
    return columns["batch"], columns["rank"], pcode


def _int32(f: CsvFile, values: np.ndarray, s: pl.Series, column: str, problems: ProblemList) -> np.ndarray:
    """Narrow to int32; values beyond 2147483647 are reported."""
    big = np.flatnonzero(values > np.iinfo(np.int32).max)
    if big.size:
        texts = s.gather(big[: problems.limit]).to_list()
        add_row_problems(problems, f, big, column, [f"“{t}” 数值过大 (number too large)" for t in texts])
        values[big] = -1
    return values.astype(np.int32)


def _student_codes(ids: pl.Series, student_ids: pl.Series, *, strip: bool,
                   runs: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Row of students.csv for each id (-1 if unknown); consecutive equal ids are looked up once (``runs``, from
    :func:`_runs`, when known already)."""
    n = len(ids)
    if n == 0:
        return np.zeros(0, dtype=np.int32)
    starts, run = runs or _runs(ids)
    if ids.dtype == pl.Int64:
        # Read as numbers, every one written plainly (:func:`_written_plainly`): such an id is the same text as a
        # student's id exactly when that id is the same number written plainly too.
        values = ids.gather(starts).to_numpy()
        numbers = student_ids.cast(pl.Int64, strict=False)
        plain = numbers.cast(pl.String).eq_missing(student_ids).to_numpy()
        keys = np.where(plain, numbers.fill_null(-1).to_numpy(), -1)  # -1: not a plain number, matches no id read
        if values.size == keys.size and bool((values == keys).all()):
            return run  # the usual export: one run per student, in students.csv order
        return _lookup(pl.Series(values), pl.Series(keys)).astype(np.int32)[run]
    texts = ids.gather(starts)
    if len(texts) == len(student_ids) and bool((texts == student_ids).fill_null(False).all()):
        return run  # the usual export: one run per student, in students.csv order
    codes = _lookup(texts, student_ids)
    if strip and (codes < 0).any():
        miss = np.flatnonzero(codes < 0)
        codes[miss] = _lookup(texts.gather(miss).str.strip_chars(STRIP_CHARS), student_ids)
    return codes.astype(np.int32)[run]


def _program_codes(ids: pl.Series, program_ids: list[str | None], *, strip: bool) -> np.ndarray:
    """Row of programs.csv for each id (-1 if unknown)."""
    first: dict[str, int] = {}
    for i, p in enumerate(program_ids):
        if p is not None:
            first.setdefault(p, i)
    unique = list(first)
    direct = unique == program_ids  # no repeated or empty ids: the Enum code is the row
    pos = np.asarray([first[p] for p in unique] + [-1], dtype=np.int32)  # the extra entry maps unknown ids

    def codes_of(series: pl.Series) -> np.ndarray:
        phys = series.cast(pl.Enum(unique), strict=False).to_physical()
        if direct and not phys.null_count():
            return phys.to_numpy().view(np.int32) if phys.dtype == pl.UInt32 else phys.to_numpy().astype(np.int32)
        return pos[phys.fill_null(len(unique)).to_numpy()]

    codes = codes_of(ids)
    if strip and (codes < 0).any():
        codes = codes.copy()
        miss = np.flatnonzero((codes < 0) & ids.is_not_null().to_numpy())
        if miss.size:
            codes[miss] = codes_of(ids.gather(miss).str.strip_chars(STRIP_CHARS))
    return codes


def _lookup(values: pl.Series, keys: pl.Series) -> np.ndarray:
    table = pl.DataFrame({"k": keys, "i": pl.int_range(0, len(keys), dtype=pl.Int64, eager=True)})
    joined = pl.DataFrame({"k": values}).join(table, on="k", how="left", maintain_order="left")
    return np.array(joined["i"].fill_null(-1).to_numpy(), dtype=np.int64)


def _sort_check(student: np.ndarray, batch: np.ndarray, rank: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """(permutation to (student, batch, rank) order or None if already in it, rows repeating the previous
    row's (student, batch, rank) in that order)."""
    n = student.size
    if n < 2:
        return None, np.zeros(0, dtype=np.int64)
    if int(batch.max()) < 2**15 and int(rank.max()) < 2**16:
        key = student.astype(np.int64)
        key <<= 15
        key |= batch
        key <<= 16
        key |= rank
        if bool((key[1:] > key[:-1]).all()):
            return None, np.zeros(0, dtype=np.int64)
        order = np.argsort(key, kind="stable")
        key = key[order]
        return order, np.flatnonzero(key[1:] == key[:-1]) + 1
    frame = pl.DataFrame({"s": student, "b": batch, "r": rank})
    order = frame.select(pl.arg_sort_by(["s", "b", "r"], maintain_order=True)).to_series().to_numpy()
    s, b, r = student[order], batch[order], rank[order]
    same = (s[1:] == s[:-1]) & (b[1:] == b[:-1]) & (r[1:] == r[:-1])
    return order, np.flatnonzero(same) + 1


def _repeated_programs(student: np.ndarray, program: np.ndarray) -> np.ndarray:
    """Rows (in the sorted order) whose (student, program) pair appeared on an earlier row."""
    n = student.size
    if n < 2:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(student[1:] != student[:-1]) + 1
    longest = int(np.diff(np.concatenate(([0], starts, [n]))).max())
    if longest <= 32:
        # A student's rows are adjacent: compare each row with the rows up to `longest` before it (programs
        # first, the few equal ones then by student).
        found = []
        for d in range(1, longest):
            hit = np.flatnonzero(program[d:] == program[:-d])
            hit = hit[student[hit + d] == student[hit]]
            if hit.size:
                found.append(hit + d)
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    key = student.astype(np.int64) * (int(program.max()) + 1) + program
    return np.flatnonzero((~pl.Series(key).is_first_distinct()).to_numpy())
