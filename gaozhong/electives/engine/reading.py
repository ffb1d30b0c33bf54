"""Read and validate a timetable case directory (calendar.toml and five CSV files, issue 7 §1).

Every problem is collected with file, line (header = line 1), column and reason, and raised together as one
:class:`~gaozhong.common.errors.InputError`; nothing is guessed or dropped. Files may be UTF-8, UTF-8 with BOM
or GB18030.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from gaozhong.common.csvfile import load_csv
from gaozhong.common.errors import InputError, Problem, ProblemList
from gaozhong.common.textfile import read_text

from .types import CORE, ELECTIVE, HOME, AdminClass, Calendar, Case, Room, Student, Subject, Teacher

__all__ = ["read_case", "read_csv", "parse_slot", "CASE_FILES"]

CASE_FILES = {
    "subjects.csv": ("subject_id", "name", "track", "periods", "xuekao_periods", "room_type", "max_class_size"),
    "admin_classes.csv": ("admin_class_id", "home_room_id"),
    "students.csv": ("student_id", "admin_class_id", "electives"),
    "teachers.csv": ("teacher_id", "subjects", "max_periods", "unavailable"),
    "rooms.csv": ("room_id", "room_type", "capacity"),
}
CALENDAR_KEYS = ("days", "periods_per_day", "blocked", "max_lessons_per_class_per_day")
_SLOT = re.compile(r"^\s*(\d+)\s*:\s*(\d+)\s*$")


def _new_id(problems: ProblemList, f: str, line: int, column: str, value: str, seen: set[str], noun: str, noun_en: str) -> bool:
    """Check a row's id (not empty, not seen before in the file), record it, and say whether it is good."""
    if not value:
        problems.add(f, line, column, "为空 (empty)")
        return False
    if value in seen:
        problems.add(f, line, column, f"{noun} “{value}” 重复 (duplicate {noun_en} id)")
        return False
    seen.add(value)
    return True


def read_csv(path: Path, columns: tuple[str, ...], problems: ProblemList) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV file as (line number, {column: stripped value}); header problems are recorded.

    The file is opened by the platform's one CSV reader (:mod:`gaozhong.common.csvfile`): a blank record
    (every field empty or only spaces, tabs or 全角空格) is skipped wherever it is and the lines after it keep
    their numbers. Columns may come in any order; a missing, unknown or repeated column is a problem; a row
    with too many or too few fields is a problem.
    """
    name = path.name
    try:
        f = load_csv(path, name)
    except InputError as exc:
        problems.extend(exc.problems)
        return []
    header = [h.strip() for h in f.header]
    ok = True
    seen: set[str] = set()
    for h in header:
        if h in seen:
            problems.add(name, 1, h, "列名重复 (column appears twice)")
            ok = False
        seen.add(h)
        if h not in columns:
            problems.add(name, 1, h or "(empty)", f"未知列 (unknown column); 应为 (expected) {', '.join(columns)}")
            ok = False
    for c in columns:
        if c not in seen:
            problems.add(name, 1, c, "缺少此列 (missing column)")
            ok = False
    if not ok:
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for line, _row, fields in f.records():
            if len(fields) != len(header):
                problems.add(name, line, None, f"有 {len(fields)} 个字段，表头有 {len(header)} 个 (row has {len(fields)} fields, header has {len(header)})")
                continue
            rows.append((line, {h: v.strip() for h, v in zip(header, fields)}))
    except InputError as exc:
        problems.extend(exc.problems)
    return rows


def parse_int(value: str, *, minimum: int, file: str, line: int, column: str, problems: ProblemList) -> int | None:
    """A whole number ≥ ``minimum``, or None after recording why not."""
    if not re.fullmatch(r"[+-]?\d+", value):
        problems.add(file, line, column, f"“{value}” 不是整数 (not a whole number)")
        return None
    n = int(value)
    if n < minimum:
        what = "非负整数 (a non-negative whole number)" if minimum == 0 else f"≥ {minimum} 的整数 (a whole number ≥ {minimum})"
        problems.add(file, line, column, f"“{value}” 应为{what}")
        return None
    return n


def parse_slot(text: str, cal: Calendar) -> tuple[int | None, str | None]:
    """``"day:period"`` (1-based) → slot index, or (None, reason)."""
    m = _SLOT.match(text)
    if not m:
        return None, f"“{text}” 不是 天:节 格式的课时 (not a slot of the form day:period)"
    d, p = int(m.group(1)), int(m.group(2))
    if not (1 <= d <= cal.days and 1 <= p <= cal.periods_per_day):
        return None, f"课时 “{text}” 超出日历 {cal.days} 天 × {cal.periods_per_day} 节 (slot outside the calendar)"
    return cal.slot(d, p), None


def _split(value: str) -> list[str]:
    return [] if not value.strip() else [x.strip() for x in value.split(";")]


def _toml_line(text: str, key: str) -> int | None:
    for i, raw in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", raw):
            return i
    return None


def read_calendar(path: Path, problems: ProblemList) -> Calendar | None:
    name = "calendar.toml"
    try:
        text = read_text(path, name=name)
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+), column (\d+)", str(exc))
        line = int(m.group(1)) if m else None
        problems.add(name, line, None, f"TOML 语法错误 (TOML syntax error: {exc})")
        return None
    bad = False
    for key in data:
        if key not in CALENDAR_KEYS:
            problems.add(name, _toml_line(text, key), key, f"未知键 (unknown key); 应为 (expected) {', '.join(CALENDAR_KEYS)}")
            bad = True
    values: dict[str, int] = {}
    for key, minimum in (("days", 1), ("periods_per_day", 1), ("max_lessons_per_class_per_day", 1)):
        if key not in data:
            problems.add(name, None, key, "缺少此键 (missing key)")
            bad = True
            continue
        v = data[key]
        if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
            problems.add(name, _toml_line(text, key), key, f"“{v}” 应为 ≥ {minimum} 的整数 (must be a whole number ≥ {minimum})")
            bad = True
            continue
        values[key] = v
    if "days" in values and values["days"] > 7:
        problems.add(name, _toml_line(text, "days"), "days", f"“{values['days']}” 超过一周 7 天 (more than 7 days a week)")
        bad = True
    if bad:
        return None
    cal = Calendar(values["days"], values["periods_per_day"], frozenset(), values["max_lessons_per_class_per_day"])
    blocked: set[int] = set()
    raw = data.get("blocked", [])
    line = _toml_line(text, "blocked")
    if not isinstance(raw, list):
        problems.add(name, line, "blocked", "应为课时字符串列表，如 [\"3:7\", \"3:8\"] (must be a list of \"day:period\" strings)")
        return None
    for item in raw:
        if not isinstance(item, str):
            problems.add(name, line, "blocked", f"“{item}” 应为 \"天:节\" 字符串 (must be a \"day:period\" string)")
            continue
        slot, reason = parse_slot(item, cal)
        if reason:
            problems.add(name, line, "blocked", reason)
        elif slot in blocked:
            problems.add(name, line, "blocked", f"课时 “{item}” 重复 (slot listed twice)")
        else:
            blocked.add(slot)
    return Calendar(cal.days, cal.periods_per_day, frozenset(blocked), cal.max_per_day)


def read_case(case_dir: str | Path) -> Case:
    """Validate every file of a case directory and return the :class:`Case`; raise InputError listing all problems."""
    d = Path(case_dir)
    problems = ProblemList()
    if not d.is_dir():
        raise InputError([Problem(str(case_dir), None, None, "不是目录 (not a directory)")])
    cal = read_calendar(d / "calendar.toml", problems)
    raw = {name: read_csv(d / name, cols, problems) for name, cols in CASE_FILES.items()}

    # rooms.csv
    rooms: list[Room] = []
    room_ids: set[str] = set()
    for line, r in raw["rooms.csv"]:
        f = "rooms.csv"
        ok = _new_id(problems, f, line, "room_id", r["room_id"], room_ids, "教室", "room")
        if not r["room_type"]:
            problems.add(f, line, "room_type", "为空 (empty)"); ok = False
        elif r["room_type"] == HOME:
            problems.add(f, line, "room_type", "“home” 是科目的教室要求，不是教室类型 (home is a subject's room rule, not a room type); 行政班教室写 normal"); ok = False
        cap = parse_int(r["capacity"], minimum=0, file=f, line=line, column="capacity", problems=problems)
        if ok and cap is not None:
            rooms.append(Room(r["room_id"], r["room_type"], cap))
    room_types = {r.type for r in rooms}

    # subjects.csv
    subjects: list[Subject] = []
    subject_ids: set[str] = set()
    for line, r in raw["subjects.csv"]:
        f = "subjects.csv"
        sid = r["subject_id"]
        ok = _new_id(problems, f, line, "subject_id", sid, subject_ids, "科目", "subject")
        track = r["track"]
        if track not in (CORE, ELECTIVE):
            problems.add(f, line, "track", f"“{track}” 应为 core 或 elective (must be core or elective)"); ok = False
        periods = parse_int(r["periods"], minimum=1, file=f, line=line, column="periods", problems=problems)
        xk_raw = r["xuekao_periods"]
        xk: int | None = 0
        if track == CORE and xk_raw not in ("", "0"):
            problems.add(f, line, "xuekao_periods", f"必修科目 (core subject) 的 xuekao_periods 应为空 (must be empty), 而不是 “{xk_raw}”"); ok = False
        elif track == ELECTIVE and xk_raw:
            xk = parse_int(xk_raw, minimum=0, file=f, line=line, column="xuekao_periods", problems=problems)
        rt = r["room_type"]
        if not rt:
            problems.add(f, line, "room_type", "为空 (empty)"); ok = False
        elif rt == HOME and track == ELECTIVE:
            problems.add(f, line, "room_type", "选考科目不能用 home (行政班教室只用于必修课; an elective cannot use the admin class's home room)"); ok = False
        elif rt != HOME and rt not in room_types and raw["rooms.csv"]:
            problems.add(f, line, "room_type", f"教室类型 “{rt}” 不在 rooms.csv 中 (room type not listed in rooms.csv)"); ok = False
        mcs = parse_int(r["max_class_size"], minimum=1, file=f, line=line, column="max_class_size", problems=problems)
        if ok and periods is not None and xk is not None and mcs is not None:
            subjects.append(Subject(sid, r["name"] or sid, track, periods, xk, rt, mcs))
    subject_track = {s.id: s.track for s in subjects}

    # admin_classes.csv
    admins: list[AdminClass] = []
    admin_ids: set[str] = set()
    for line, r in raw["admin_classes.csv"]:
        f = "admin_classes.csv"
        aid = r["admin_class_id"]
        ok = _new_id(problems, f, line, "admin_class_id", aid, admin_ids, "行政班", "admin class")
        if r["home_room_id"] not in room_ids:
            problems.add(f, line, "home_room_id", f"教室 “{r['home_room_id']}” 不在 rooms.csv 中 (unknown room)"); ok = False
        if ok:
            admins.append(AdminClass(aid, r["home_room_id"]))

    # students.csv
    students: list[Student] = []
    student_ids: set[str] = set()
    for line, r in raw["students.csv"]:
        f = "students.csv"
        sid = r["student_id"]
        ok = _new_id(problems, f, line, "student_id", sid, student_ids, "学生", "student")
        if r["admin_class_id"] not in admin_ids:
            problems.add(f, line, "admin_class_id", f"行政班 “{r['admin_class_id']}” 不在 admin_classes.csv 中 (unknown admin class)"); ok = False
        electives = _split(r["electives"])
        seen: set[str] = set()
        for e in electives:
            if not e:
                problems.add(f, line, "electives", "有空的科目 (empty subject in the list)"); ok = False
            elif e in seen:
                problems.add(f, line, "electives", f"科目 “{e}” 选了两次 (subject chosen twice)"); ok = False
            elif e not in subject_track:
                if e not in subject_ids:
                    problems.add(f, line, "electives", f"未知科目 “{e}” (unknown subject)"); ok = False
            elif subject_track[e] != ELECTIVE:
                problems.add(f, line, "electives", f"“{e}” 是必修科目，不能选 (a core subject cannot be chosen)"); ok = False
            seen.add(e)
        if ok:
            students.append(Student(sid, r["admin_class_id"], tuple(electives)))

    # teachers.csv
    teachers: list[Teacher] = []
    teacher_ids: set[str] = set()
    for line, r in raw["teachers.csv"]:
        f = "teachers.csv"
        tid = r["teacher_id"]
        ok = _new_id(problems, f, line, "teacher_id", tid, teacher_ids, "教师", "teacher")
        subs = _split(r["subjects"])
        if not subs:
            problems.add(f, line, "subjects", "为空：教师至少教一个科目 (empty: a teacher teaches at least one subject)"); ok = False
        seen = set()
        for s in subs:
            if s in seen:
                problems.add(f, line, "subjects", f"科目 “{s}” 重复 (subject listed twice)"); ok = False
            elif s not in subject_ids:
                problems.add(f, line, "subjects", f"未知科目 “{s}” (unknown subject)"); ok = False
            seen.add(s)
        mp = parse_int(r["max_periods"], minimum=0, file=f, line=line, column="max_periods", problems=problems)
        unav: set[int] = set()
        if cal is not None:
            for item in _split(r["unavailable"]):
                slot, reason = parse_slot(item, cal)
                if reason:
                    problems.add(f, line, "unavailable", reason); ok = False
                elif slot in unav:
                    problems.add(f, line, "unavailable", f"课时 “{item}” 重复 (slot listed twice)"); ok = False
                else:
                    unav.add(slot)
        if ok and mp is not None:
            teachers.append(Teacher(tid, tuple(subs), mp, frozenset(unav)))

    for name in CASE_FILES:
        if name in ("subjects.csv", "admin_classes.csv", "students.csv", "rooms.csv") and not raw[name] and not any(p.file == name for p in problems):
            problems.add(name, None, None, "没有数据行 (no data rows)")
    problems.raise_if_any()
    assert cal is not None
    return Case(cal, tuple(subjects), tuple(admins), tuple(students), tuple(teachers), tuple(rooms))
