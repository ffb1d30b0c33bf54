"""Read and validate an admission case directory (programs.csv, students.csv, preferences.csv, policy.toml).

Every problem found is collected (file, line with the header as line 1, column, reason) and raised together
as one :class:`~gaozhong.common.errors.InputError`; nothing is guessed and nothing is dropped. The file
format is described in docs/admissions.md. :func:`case_from_tables` runs the same checks on tables held in
memory (the web application's path).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import polars as pl

from gaozhong.common.errors import InputError, Problem, ProblemList
from gaozhong.common.textfile import decode_bytes

from .csvread import EMPTY_REASON, CsvFile, check_header, csv_from_bytes, load_csv, text_table
from .readprefs import PREFERENCE_COLUMNS, parse_columns, read_preferences
from .readsupp import SUPPLEMENTARY_DIR, SUPPLEMENTARY_FILES, SUPPLEMENTARY_REQUIRED, read_supplementary
from .types import CITY_WIDE, LEVELS, MECHANISMS, SPECIAL_TYPES, AdmissionCase, Policy, Programs, Schools, Students
from .values import add_row_problems, decimal_column, integer_column

__all__ = [
    "PROGRAM_COLUMNS",
    "STUDENT_COLUMNS",
    "PREFERENCE_COLUMNS",
    "read_case",
    "case_from_tables",
    "parse_policy",
]

PROGRAM_COLUMNS = [
    "program_id", "school_id", "batch", "capacity", "min_score",
    "feeder_school_id", "counties", "rank_by", "rollover_to",
]
STUDENT_COLUMNS = ["student_id", "junior_school_id", "county", "score", "lottery"]
#: students.csv columns that are not numbers a program can rank by or break ties with.
NOT_RANKABLE = {"student_id", "junior_school_id", "county", "lottery"}
OPTIONAL_PROGRAM_COLUMNS = ["major", "special_type"]
POLICY_KEYS = (
    "tiebreak", "mechanism", "band_width",
    "admission_range", "out_of_range", "special_share", "special_min_score", "special_min_test_score",
    "supplementary_declined",
)
SCHOOL_COLUMNS = ["school_id", "county", "level"]
SCHOOLS_FILE = "schools.csv"


def read_case(case_dir: str | Path, *, reads: Mapping[str, Future] | None = None) -> AdmissionCase:
    """Read CASE/programs.csv, students.csv, preferences.csv and policy.toml, and the optional schools.csv and
    supplementary/ (补录); raise InputError on any problem.

    ``reads`` may hold, by file name, reads of the files' bytes already under way (the command starts them before
    it loads NumPy and Polars); a read that failed is done again here and reported as usual."""
    d = Path(case_dir)

    def load(name: str) -> CsvFile:
        started = (reads or {}).get(name)
        if started is not None:
            try:
                return csv_from_bytes(started.result(), name)
            except OSError:
                pass  # the read below fails the same way and says why
        return load_csv(d / name, name)

    if not d.is_dir():
        raise InputError([Problem(str(case_dir), None, None, "不是目录或不存在 (not a directory)")])
    problems = ProblemList()
    files: dict[str, CsvFile] = {}
    policy_text: str | None = None
    try:
        raw = (d / "policy.toml").read_bytes()
        policy_text = decode_bytes(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw, name="policy.toml")
    except FileNotFoundError:
        problems.add("policy.toml", None, None, "文件不存在 (file not found)")
    except IsADirectoryError:
        problems.add("policy.toml", None, None, "是目录而不是文件 (is a directory, not a file)")
    except InputError as e:
        problems.extend(e.problems)
    # The largest file is read and parsed in a second thread (reading and Polars release the GIL) while the
    # others are read and checked.
    pool = ThreadPoolExecutor(max_workers=1)
    loaded: Future = Future()
    prefetched = pool.submit(_load_and_parse, load, loaded)
    for name in ("programs.csv", "students.csv", "preferences.csv"):
        try:
            files[name] = loaded.result() if name == "preferences.csv" else load(name)
        except InputError as e:
            problems.extend(e.problems)
    optional: dict[str, CsvFile] = {}
    names = [SCHOOLS_FILE] if (d / SCHOOLS_FILE).exists() else []
    if (d / SUPPLEMENTARY_DIR).is_dir():
        names += [f"{SUPPLEMENTARY_DIR}/{n}" for n in SUPPLEMENTARY_FILES if (d / SUPPLEMENTARY_DIR / n).exists()]
        for n in SUPPLEMENTARY_REQUIRED:
            if not (d / SUPPLEMENTARY_DIR / n).exists():
                problems.add(f"{SUPPLEMENTARY_DIR}/{n}", None, None, "文件不存在 (file not found; a 补录 round needs it)")
    elif (d / SUPPLEMENTARY_DIR).exists():
        problems.add(SUPPLEMENTARY_DIR, None, None, "不是目录 (not a directory)")
    for name in names:
        try:
            optional[name] = load_csv(d / name, name)
        except InputError as e:
            problems.extend(e.problems)
    try:
        if len(files) < 3 or policy_text is None or len(optional) < len(names) or problems:
            problems.raise_if_any()
        return _build(
            policy_text, files["programs.csv"], files["students.csv"], files["preferences.csv"], problems, prefetched,
            optional=optional,
        )
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _load_and_parse(load, loaded: Future) -> pl.DataFrame | None:
    """Read preferences.csv with ``load`` (``loaded`` gets the file or the InputError) and parse it for the fast
    path (None when its header is not exactly the four columns, which :func:`_build` reports)."""
    try:
        f = load("preferences.csv")
    except InputError as e:
        loaded.set_exception(e)
        return None
    except BaseException as e:  # anything else reaches the caller too
        loaded.set_exception(e)
        raise
    loaded.set_result(f)
    if sorted(f.header) != sorted(PREFERENCE_COLUMNS):
        return None
    return parse_columns(f)


def case_from_tables(
    programs: pl.DataFrame,
    students: pl.DataFrame,
    preferences: pl.DataFrame,
    policy_toml: str,
    *,
    schools: pl.DataFrame | None = None,
    supplementary: dict[str, pl.DataFrame] | None = None,
) -> AdmissionCase:
    """Build a case from in-memory tables (any cell types; written out as CSV text and checked as files are).

    ``schools`` is schools.csv; ``supplementary`` maps ``first_round.csv``, ``preferences.csv`` and optionally
    ``declined.csv`` and ``seats.csv`` to the tables of a 补录 round (docs/admissions.md §12)."""
    files = {}
    for name, df in (("programs.csv", programs), ("students.csv", students), ("preferences.csv", preferences)):
        files[name] = csv_from_bytes(df.write_csv().encode("utf-8"), name)
    optional: dict[str, CsvFile] = {}
    if schools is not None:
        optional[SCHOOLS_FILE] = csv_from_bytes(schools.write_csv().encode("utf-8"), SCHOOLS_FILE)
    problems = ProblemList()
    if supplementary is not None:
        for n in SUPPLEMENTARY_REQUIRED:
            if n not in supplementary:
                problems.add(f"{SUPPLEMENTARY_DIR}/{n}", None, None, "文件不存在 (file not found; a 补录 round needs it)")
        for n, df in supplementary.items():
            name = f"{SUPPLEMENTARY_DIR}/{n}"
            if n not in SUPPLEMENTARY_FILES:
                problems.add(name, None, None, f"未知的补录文件 (unknown file; expected {', '.join(SUPPLEMENTARY_FILES)})")
                continue
            optional[name] = csv_from_bytes(df.write_csv().encode("utf-8"), name)
        problems.raise_if_any()
    return _build(policy_toml, files["programs.csv"], files["students.csv"], files["preferences.csv"], problems,
                  optional=optional)


# --------------------------------------------------------------------------------------------- policy.toml


def parse_policy(
    text: str, problems: ProblemList, name: str = "policy.toml"
) -> tuple[Policy | None, dict[str, int], list[str]]:
    """Parse policy.toml: the policy (None if unusable), the line of each key, the tie-break columns named."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        problems.add(name, int(m.group(1)) if m else None, None, f"不是有效的 TOML (invalid TOML: {exc})")
        return None, {}, []
    key_lines: dict[str, int] = {}
    for i, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", line)
        if m and m.group(1) not in key_lines:
            key_lines[m.group(1)] = i
    ok = True
    for key in data:
        if key not in POLICY_KEYS:
            problems.add(name, key_lines.get(key), key, f"未知的设置 (unknown setting; expected {', '.join(POLICY_KEYS)})")
            ok = False
    tiebreak = data.get("tiebreak", [])
    if not isinstance(tiebreak, list) or not all(isinstance(t, str) and t.strip() for t in tiebreak):
        problems.add(name, key_lines.get("tiebreak"), "tiebreak", "须为列名列表，如 [\"cme\", \"math\"] (must be a list of column names)")
        ok = False
        tiebreak = []
    tiebreak = [t.strip() for t in tiebreak]
    for i, t in enumerate(tiebreak):
        if t in tiebreak[:i]:
            problems.add(name, key_lines.get("tiebreak"), "tiebreak", f"列 “{t}” 出现两次 (column {t!r} listed twice)")
            ok = False
        if t in NOT_RANKABLE:
            problems.add(name, key_lines.get("tiebreak"), "tiebreak", f"列 “{t}” 不能用于同分排序 (column {t!r} cannot break ties)")
            ok = False
    mechanism = data.get("mechanism", "deferred_acceptance")
    if mechanism not in MECHANISMS:
        problems.add(name, key_lines.get("mechanism"), "mechanism", f"“{mechanism}” 不是可用的录取机制 (must be one of {', '.join(MECHANISMS)})")
        ok = False
    band: Fraction | None = None
    if "band_width" in data:
        raw = data["band_width"]
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not raw > 0 or raw != raw or raw == float("inf"):
            problems.add(name, key_lines.get("band_width"), "band_width", f"“{raw}” 不是正数 (not a positive number)")
            ok = False
        else:
            band = Fraction(str(raw))
        if mechanism != "first_choice_first":
            problems.add(name, key_lines.get("band_width"), "band_width", "band_width 只用于 first_choice_first (band_width applies only to mechanism = \"first_choice_first\")")
            ok = False
    elif mechanism == "first_choice_first":
        problems.add(name, key_lines.get("mechanism"), "band_width", "first_choice_first 需要 band_width (first_choice_first needs band_width)")
        ok = False
    extra: dict = {}
    for key, allowed in (("admission_range", ("open", "required")), ("out_of_range", ("skip", "refuse"))):
        if key in data:
            if data[key] not in allowed:
                problems.add(name, key_lines.get(key), key, f"“{data[key]}” 须为 {' 或 '.join(allowed)} (must be one of {', '.join(allowed)})")
                ok = False
            else:
                extra[key] = data[key]
    for key, top in (("special_share", Fraction(1)), ("special_min_score", None), ("special_min_test_score", None)):
        if key in data:
            raw = data[key]
            if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw != raw or raw in (float("inf"), float("-inf")) or raw < 0:
                problems.add(name, key_lines.get(key), key, f"“{raw}” 不是非负数 (not a non-negative number)")
                ok = False
                continue
            value = Fraction(str(raw))
            if top is not None and value > top:
                problems.add(name, key_lines.get(key), key, f"“{raw}” 须在 0 与 1 之间 (must be between 0 and 1)")
                ok = False
                continue
            extra[key] = value
    if "supplementary_declined" in data:
        if not isinstance(data["supplementary_declined"], bool):
            problems.add(name, key_lines.get("supplementary_declined"), "supplementary_declined", "须为 true 或 false (must be true or false)")
            ok = False
        else:
            extra["supplementary_declined"] = data["supplementary_declined"]
    if not ok:
        return None, key_lines, tiebreak
    return Policy(tuple(tiebreak), mechanism, band, **extra), key_lines, tiebreak


# ----------------------------------------------------------------------------------------------- the case


def _build(
    policy_text: str,
    progf: CsvFile,
    studf: CsvFile,
    preff: CsvFile,
    problems: ProblemList,
    prefetched: Future | None = None,
    *,
    optional: dict[str, CsvFile] | None = None,
) -> AdmissionCase:
    optional = optional or {}
    policy, key_lines, tiebreak = parse_policy(policy_text, problems)
    check_header(progf, PROGRAM_COLUMNS, OPTIONAL_PROGRAM_COLUMNS, allow_extra=False, problems=problems)
    prog_ok = all(p.file != progf.name for p in problems)
    check_header(studf, STUDENT_COLUMNS, [], allow_extra=True, problems=problems)
    stud_ok = all(p.file != studf.name for p in problems)
    check_header(preff, PREFERENCE_COLUMNS, [], allow_extra=False, problems=problems)
    pref_ok = all(p.file != preff.name for p in problems)

    student_columns = set(studf.header)
    for t in tiebreak:
        if t not in student_columns:
            problems.add("policy.toml", key_lines.get("tiebreak"), "tiebreak", f"students.csv 中没有列 “{t}” (students.csv has no column {t!r})")

    programs = _programs(progf, student_columns, problems, policy or Policy()) if prog_ok else None
    schools = None
    if SCHOOLS_FILE in optional:
        schools = _schools(optional[SCHOOLS_FILE], programs, progf, problems)
    students = None
    if stud_ok:
        numeric = ["score"] + [t for t in tiebreak if t not in ("score",)]
        optional_numeric = sorted({r for r in programs[0]["rank_by"] if r in student_columns} - set(numeric)) if programs else []
        students = _students(studf, [c for c in numeric if c in student_columns], optional_numeric, problems)
    coding = None
    if programs is not None and students is not None and "county_inverse" in students[0]:
        coding = _coding(programs, students)
    checks = []
    if policy is not None and policy.out_of_range == "refuse" and coding is not None:
        checks.append(_range_check(coding, programs[0]["program_id"]))
    prefs = None
    if pref_ok and programs is not None and students is not None:
        prefs = read_preferences(preff, students[0], programs[0], problems, prefetched, checks=checks)
    supp_files = {n.split("/", 1)[1]: f for n, f in optional.items() if n.startswith(SUPPLEMENTARY_DIR + "/")}
    supplementary = None
    if supp_files and programs is not None and students is not None and policy is not None:
        supplementary = read_supplementary(supp_files, students[0], programs[0], policy, problems, checks)
    _raise_sorted(problems, ["policy.toml", progf.name, studf.name, preff.name, *optional])
    assert policy is not None and programs is not None and students is not None and prefs is not None
    assert coding is not None
    prog, feeder_ids, county_lists = programs
    stud, junior_texts, county_texts = students
    junior_ids, county_names, student_junior, student_county, county_allowed = coding
    min_score = prog["min_score"]
    if policy.special_min_score is not None and prog["special_type"] is not None:
        # Rule: seed 002 §三(一), 规范特殊类型招生 — a 特长生 program admits nobody below the city's minimum 中考
        # score (the program's own min_score may be higher).
        floor = float(policy.special_min_score)
        special = np.asarray([t is not None for t in prog["special_type"]], dtype=bool)
        min_score = np.where(special, np.fmax(min_score, floor), min_score)
    programs_t = Programs(
        program_id=prog["program_id"],
        school_id=prog["school_id"],
        batch=prog["batch"],
        capacity=prog["capacity"],
        min_score=min_score,
        feeder=_feeder_codes(feeder_ids, junior_ids),
        counties=[tuple(cl) for cl in county_lists],
        county_allowed=county_allowed,
        rank_by=prog["rank_by"],
        rollover_to=prog["rollover_to"],
        major=prog["major"],
        special_type=prog["special_type"],
    )
    students_t = Students(
        student_id=stud["student_id"],
        junior=student_junior,
        county=student_county,
        values=stud["values"],
        lottery=stud["lottery"],
    )
    return AdmissionCase(
        programs=programs_t,
        students=students_t,
        preferences=prefs,
        policy=policy,
        junior_ids=junior_ids,
        county_names=county_names,
        batches=tuple(sorted(set(int(b) for b in programs_t.batch))),
        schools=schools,
        supplementary=supplementary,
    )


def _feeder_codes(feeder_ids: list, junior_ids: list[str]) -> np.ndarray:
    jpos = {j: i for i, j in enumerate(junior_ids)}
    return np.asarray([-1 if f is None else jpos[f] for f in feeder_ids], dtype=np.int32)


def _coding(programs, students):
    """Junior schools and counties coded over the ids the students use and the programs name, and the
    [program, county] matrix of each program's 招生范围."""
    prog, feeder_ids, county_lists = programs
    stud, junior_texts, county_texts = students
    junior_ids = sorted(set(junior_texts) | {f for f in feeder_ids if f is not None})
    county_names = sorted(set(county_texts) | {c for cl in county_lists for c in cl})
    jpos = {j: i for i, j in enumerate(junior_ids)}
    cpos = {c: i for i, c in enumerate(county_names)}
    jcode = np.asarray([jpos[j] for j in junior_texts], dtype=np.int32)
    ccode = np.asarray([cpos[c] for c in county_texts], dtype=np.int32)
    # one row of the [program, county] matrix per distinct 招生范围 (a city has few)
    kinds: dict[tuple[str, ...], int] = {}
    kind = np.asarray([kinds.setdefault(tuple(cl), len(kinds)) for cl in county_lists], dtype=np.int64)
    table = np.ones((max(len(kinds), 1), max(len(county_names), 1)), dtype=bool)
    for cl, k in kinds.items():
        if cl:
            table[k, :] = False
            table[k, [cpos[c] for c in cl]] = True
    county_allowed = table[kind] if kind.size else np.ones((0, table.shape[1]), dtype=bool)
    return junior_ids, county_names, jcode[stud["junior_inverse"]], ccode[stud["county_inverse"]], county_allowed


def _range_check(coding, program_ids: list):
    """out_of_range = "refuse": a choice of a program whose 招生范围 leaves out the student's county is an input
    error (Rule: seed 002 §三(一), 按审批下达的招生范围招生; 跨区域招生 is punished). Returns (column, rows, reason):
    ``rows(student, program)`` flags the bad rows, ``reason(student, program)`` says why."""
    _, county_names, _, student_county, county_allowed = coding

    limited = ~county_allowed.all(axis=1)
    flat = county_allowed.ravel()
    width = county_allowed.shape[1]

    def rows(scode: np.ndarray, pcode: np.ndarray) -> np.ndarray:
        out = np.zeros(scode.size, dtype=bool)
        if limited.any():  # only the rows of programs limited to some counties can be outside
            hit = np.flatnonzero(limited[pcode])
            out[hit] = ~flat[pcode[hit].astype(np.int64) * width + student_county[scode[hit]]]
        return out

    def reason(s: int, p: int) -> str:
        county = county_names[student_county[s]]
        allowed = [county_names[c] for c in np.flatnonzero(county_allowed[p])]
        return (f"考生所在县区 “{county}” 不在方案 “{program_ids[p]}” 的招生范围（{'；'.join(allowed)}）内 "
                f"(the student's county {county} is outside the program's 招生范围 {';'.join(allowed)})")

    return ("program_id", rows, reason)


def _schools(f: CsvFile, programs, progf: CsvFile, problems: ProblemList) -> Schools | None:
    """schools.csv: ``school_id, county, level`` (普高 or 中职), one row per school; every program's school is there."""
    if not check_header(f, SCHOOL_COLUMNS, [], allow_extra=True, problems=problems):
        return None
    df = text_table(f, problems, columns=SCHOOL_COLUMNS)
    if df is None:
        return None
    for col in SCHOOL_COLUMNS:
        add_row_problems(problems, f, np.flatnonzero(df[col].is_null().to_numpy()), col, EMPTY_REASON)
    _report_duplicates(f, df["school_id"], "school_id", problems, "学校代码")
    levels = df["level"].to_list()
    lines = f.lines(np.arange(df.height)).tolist()
    for i, level in enumerate(levels):
        if level is not None and level not in LEVELS:
            problems.add(f.name, lines[i], "level", f"“{level}” 不是学校类别 (must be {' or '.join(LEVELS)})")
    known = set(df["school_id"].drop_nulls().to_list())
    if programs is not None:
        plines = progf.lines(np.arange(len(programs[0]["school_id"]))).tolist()
        for i, sid in enumerate(programs[0]["school_id"]):
            if sid is not None and sid not in known:
                problems.add(progf.name, plines[i], "school_id", f"schools.csv 中没有学校 “{sid}” (school not in schools.csv)")
    return Schools(df["school_id"].to_list(), df["county"].to_list(), levels)


def _raise_sorted(problems: ProblemList, files: list[str]) -> None:
    """Raise the problems ordered by file, then line (the order a clerk fixes them in)."""
    if not problems and not problems.dropped:
        return
    rank = {f: i for i, f in enumerate(files)}
    problems.sort(key=lambda p: (rank.get(p.file, len(files)), p.line or 0))
    problems.raise_if_any()


def _first_lines(f: CsvFile, s: pl.Series, rows: np.ndarray) -> list[int]:
    """For repeated values at ``rows``, the line where each value first appears."""
    first: dict = {}
    values = s.to_list()
    for i, v in enumerate(values):
        if v is not None and v not in first:
            first[v] = i
    return [int(f.lines([first[values[r]]])[0]) for r in rows]


def _report_duplicates(f: CsvFile, s: pl.Series, column: str, problems: ProblemList, what: str) -> None:
    repeat = (~s.is_first_distinct() & s.is_not_null()).to_numpy()
    rows = np.flatnonzero(repeat)
    if rows.size:
        shown = rows[: problems.limit]
        firsts = _first_lines(f, s, shown)
        texts = s.gather(shown).to_list()
        add_row_problems(
            problems, f, rows, column,
            [f"{what} “{t}” 重复，首次出现在第 {ln} 行 (duplicate {column}; first on line {ln})" for t, ln in zip(texts, firsts)],
        )


def _programs(f: CsvFile, student_columns: set[str], problems: ProblemList, policy: Policy):
    df = text_table(f, problems)
    if df is None:
        return None
    n = df.height
    for col in ("program_id", "school_id"):
        empty = np.flatnonzero(df[col].is_null().to_numpy())
        add_row_problems(problems, f, empty, col, EMPTY_REASON)
    _report_duplicates(f, df["program_id"], "program_id", problems, "招生方案编号")
    batch = integer_column(f, df["batch"], "batch", problems, required=True)
    capacity = integer_column(f, df["capacity"], "capacity", problems, required=True)
    min_score = decimal_column(f, df["min_score"], "min_score", problems, required=False)
    ids = df["program_id"].to_list()
    # first row of each id (later rows overwrite earlier ones when reversed)
    index = dict(zip(reversed(ids), range(n - 1, -1, -1)))
    index.pop(None, None)
    lines = f.lines(np.arange(n)).tolist()
    rank_by = [r or "score" for r in df["rank_by"].to_list()]
    if any(r not in student_columns or r in NOT_RANKABLE for r in set(rank_by)):
        for i, r in enumerate(rank_by):
            if r not in student_columns:
                problems.add(f.name, lines[i], "rank_by", f"students.csv 中没有列 “{r}” (students.csv has no column {r!r})")
            elif r in NOT_RANKABLE:
                problems.add(f.name, lines[i], "rank_by", f"列 “{r}” 不能用于排序录取 (column {r!r} cannot rank applicants)")
    # Each distinct text of the counties column is read once (a city has few distinct 招生范围).
    county_texts = df["counties"].to_list()
    parsed = {c: _county_list(c, policy) for c in set(county_texts)}
    county_lists = [parsed[c][0] for c in county_texts]
    if any(reasons for _, reasons in parsed.values()):
        for i, c in enumerate(county_texts):
            for reason in parsed[c][1]:
                problems.add(f.name, lines[i], "counties", reason)
    major = df["major"].to_list() if "major" in df.columns else None
    special_type = None
    if "special_type" in df.columns:
        special_type = df["special_type"].to_list()
        if any(t is not None and t not in SPECIAL_TYPES for t in set(special_type)):
            for i, t in enumerate(special_type):
                if t is not None and t not in SPECIAL_TYPES:
                    problems.add(f.name, lines[i], "special_type", f"“{t}” 不是特殊类型 (must be one of {', '.join(SPECIAL_TYPES)}, or empty)")
        if policy.special_share is not None:
            _check_special_share(f, lines, df["school_id"].to_list(), capacity, special_type, policy.special_share, problems)
    rollover_ids = df["rollover_to"].to_list()
    target = np.asarray([-2 if r is None else index.get(r, -1) for r in rollover_ids], dtype=np.int64)
    has = target >= 0
    to = np.where(has, target, 0)
    late = has & (batch >= 0) & (batch[to] >= 0) & (batch[to] <= batch)
    rollover = np.where(has & ~late, target, -1).astype(np.int32)
    for i in np.flatnonzero((target == -1) | late).tolist():
        r = rollover_ids[i]
        if target[i] == -1:
            problems.add(f.name, lines[i], "rollover_to", f"未知的招生方案 “{r}” (unknown program_id)")
        else:
            j = int(target[i])
            problems.add(
                f.name, lines[i], "rollover_to",
                f"“{r}” 属于第 {batch[j]} 批，须晚于本方案的第 {batch[i]} 批 "
                f"(rollover goes to batch {batch[j]}, which is not later than this program's batch {batch[i]})",
            )
    # Returned even with problems, so that preferences.csv can still be checked against the good rows.
    prog = {
        "program_id": ids,
        "school_id": df["school_id"].to_list(),
        "batch": batch,
        "capacity": capacity,
        "min_score": min_score,
        "rank_by": rank_by,
        "rollover_to": rollover,
        "major": major,
        "special_type": special_type,
    }
    return prog, df["feeder_school_id"].to_list(), county_lists


def _county_list(text: str | None, policy: Policy) -> tuple[list[str], list[str]]:
    """One cell of programs.csv's counties: the 招生范围 (sorted county names; empty = the whole city) and the
    problems with the cell."""
    reasons: list[str] = []
    items: list[str] = []
    if text is not None:
        items = [x.strip() for x in text.split(";")]
        if any(x == "" for x in items):
            reasons.append(f"“{text}” 中有空的县区名 (empty item in the ;-list)")
            items = [x for x in items if x]
        items = sorted(set(items))
        if CITY_WIDE in items:
            if len(items) > 1:
                reasons.append(f"“{text}”: “{CITY_WIDE}” 不能与县区名同时填写 ({CITY_WIDE} = the whole city; name no county beside it)")
            items = []
    elif policy.admission_range == "required":
        reasons.append(
            f"须写明招生范围：县区列表或“{CITY_WIDE}” (admission_range = \"required\": name the counties, or {CITY_WIDE} for the whole city)"
        )
    return items, reasons


def _check_special_share(f: CsvFile, lines: list[int], schools: list, capacity: np.ndarray, special_type: list,
                         share: Fraction, problems: ProblemList) -> None:
    """Rule: seed 002 §三(一), 规范特殊类型招生 — a school's 特长生 seats are at most ``special_share`` of its plan
    (the sum of its programs' own seats); reported on the school's first 特长生 program."""
    plan: dict[str, int] = {}
    special: dict[str, int] = {}
    first: dict[str, int] = {}
    for i, (sid, seats, kind) in enumerate(zip(schools, capacity.tolist(), special_type)):
        if sid is None or seats < 0:
            continue
        plan[sid] = plan.get(sid, 0) + seats
        if kind is not None:
            special[sid] = special.get(sid, 0) + seats
            first.setdefault(sid, i)
    for sid, seats in special.items():
        most = (share * plan[sid]).__floor__()
        if seats > most:
            problems.add(
                f.name, lines[first[sid]], "capacity",
                f"学校 “{sid}” 的特长生计划 {seats} 超过计划 {plan[sid]} 的 {_percent(share)}，最多 {most} "
                f"(special-type seats {seats} exceed special_share of the school's plan {plan[sid]}: at most {most})",
            )


def _percent(share: Fraction) -> str:
    text = format(Decimal(share.numerator) / Decimal(share.denominator) * 100, "f")
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def _students(f: CsvFile, required_numeric: list[str], optional_numeric: list[str], problems: ProblemList):
    used = list(dict.fromkeys(STUDENT_COLUMNS + required_numeric + optional_numeric))
    df = text_table(f, problems, columns=used)
    if df is None:
        return None
    f.release()
    before = len(problems) + problems.dropped
    for col in ("student_id", "junior_school_id", "county"):
        if df[col].null_count():
            add_row_problems(problems, f, np.flatnonzero(df[col].is_null().to_numpy()), col, EMPTY_REASON)
    ids = df["student_id"]
    if df.height > 1 and not bool((ids.slice(1) > ids.slice(0, df.height - 1)).fill_null(False).all()):
        _report_duplicates(f, ids, "student_id", problems, "考生编号")  # not strictly ascending: look for repeats
    values: dict[str, np.ndarray] = {}
    for col in required_numeric:
        values[col] = decimal_column(f, df[col], col, problems, required=True)
    for col in optional_numeric:
        values[col] = decimal_column(f, df[col], col, problems, required=False)
    lottery = integer_column(f, df["lottery"], "lottery", problems, required=True)
    if _has_repeats(lottery):
        dup_lottery = pl.Series(lottery)
        dup_lottery = dup_lottery.set(dup_lottery < 0, None)
        _report_duplicates(f, dup_lottery.cast(pl.String), "lottery", problems, "抽签号")
    if len(problems) + problems.dropped > before:
        # Enough to check preferences.csv against; the case is not built.
        return {"student_id": df["student_id"]}, [], []
    juniors = df["junior_school_id"]
    counties = df["county"]
    j_unique = juniors.unique(maintain_order=True)
    c_unique = counties.unique(maintain_order=True)
    j_inverse = juniors.cast(pl.Enum(j_unique)).to_physical().to_numpy().astype(np.int64)
    c_inverse = counties.cast(pl.Enum(c_unique)).to_physical().to_numpy().astype(np.int64)
    stud = {
        "student_id": df["student_id"],
        "values": values,
        "lottery": lottery,
        "junior_inverse": j_inverse,
        "county_inverse": c_inverse,
    }
    return stud, j_unique.to_list(), c_unique.to_list()


def _has_repeats(values: np.ndarray) -> bool:
    """True if a non-negative value occurs twice (negative values are already reported as bad)."""
    v = values[values >= 0]
    if v.size < 2:
        return False
    if int(v.max()) < 4 * v.size:
        return bool((np.bincount(v) > 1).any())
    v = np.sort(v)
    return bool((v[1:] == v[:-1]).any())
