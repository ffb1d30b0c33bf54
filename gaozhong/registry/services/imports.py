"""Imports of what the registry checks read: the national registry's 学籍名册 (its registrations the platform does
not hold), and the evidence of where students are — 考勤, 考试参加 and 转学 records — one file at a time or as
the engine's whole case directory.

One file: the platform's import pipeline (:func:`gaozhong.core.services.imports.run_table_import`): every cell
type-checked, every reference checked (the 学籍号 is a platform student or a registration of the national
registry, the school exists and is the actor's), then written in one transaction with one audit row, or nothing.
A row repeats an existing record (same student, school and term; same student, school, exam and term; same
student, schools and date): attendance days are updated, the other two are left as they are.

学籍名册 (``registry``, the city bureau): rows of platform students must agree with the platform (school,
身份证号, status); the other rows are the national registry's own registrations, kept as
:class:`~gaozhong.registry.models.Registration` (created or updated by 学籍号). This is where a second
registration of one 身份证号 (重复学籍) comes in, since the platform holds one student per 身份证号.

A case directory (:func:`registry_case_import`) is what ``gaozhong registry check DIR`` reads: the engine
validates it exactly as the command does; registry.csv is read as the 学籍名册 above, and attendance.csv,
exams.csv and transfers.csv are written with it (one transaction, one audit row). terms.toml is returned for the
check.

Plain functions a script can call with a file's bytes (or a directory) and an actor: :func:`registrations_import`,
:func:`attendance_import`, :func:`exam_sittings_import`, :func:`transfers_import`, :func:`registry_case_import`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gaozhong.common.errors import InputError, Problem
from gaozhong.core.audit import audit_record
from gaozhong.core.masking import mask_student_no
from gaozhong.core.models import Role, School, Student
from gaozhong.core.scoping import scope_of, visible
from gaozhong.core.roles import BUREAU, STAFF
from gaozhong.core.services.imports import ImportOutcome, run_table_import
from gaozhong.importer.readers import read_table
from gaozhong.importer.result import ImportResult
from gaozhong.registry.engine import REQUIRED, Terms, load_directory
from gaozhong.registry.importspecs import ATTENDANCE, EXAMS, REGISTRY, SPECS, TRANSFERS
from gaozhong.registry.models import AttendanceRecord, ExamSitting, Registration, TransferRecord

Progress = Callable[[float, str], None]

#: Attendance and exam sittings may come from a school's 教务 for its own school; transfers from the bureaus.
IMPORT_ROLES = {
    "attendance": STAFF,
    "exam_sittings": STAFF,
    "transfers": BUREAU,
    "registry": {Role.CITY_ADMIN},
    "case": {Role.CITY_ADMIN},
}
CHUNK = 900  # values per IN (…) lookup: under SQLite's limit on SQL variables


def may_import(user, kind: str) -> bool:
    return scope_of(user).role in IMPORT_ROLES.get(kind, set())


def _require(actor, kind: str) -> None:
    if not may_import(actor, kind):
        raise PermissionDenied("当前角色不能导入此类数据 (your role may not import this)")


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


#: How an evidence row names its person: (field, primary key), the field being ``student_id`` (a platform
#: student) or ``registration_id`` (a registration of the national registry).
Person = tuple[str, int]


def _people(nos: Iterable[str]) -> dict[str, Person]:
    """Platform students, then the national registry's registrations, by 学籍号 (looked up in chunks)."""
    wanted = sorted(set(nos))
    out: dict[str, Person] = {}
    for part in _chunks(wanted):
        out.update((no, ("registration_id", pk)) for no, pk in Registration.objects.filter(student_no__in=part).values_list("student_no", "pk"))
        out.update((no, ("student_id", pk)) for no, pk in Student.objects.filter(student_no__in=part).values_list("student_no", "pk"))
    return out


class _Refs:
    """Schools and people a file names, looked up once, with the problems of a row that names an unknown one."""

    def __init__(self, actor, table: ImportResult, student_key: str = "student_no"):
        self.table = table
        self.mine = {s.code: s.pk for s in visible(School, actor)} if scope_of(actor).role in IMPORT_ROLES["attendance"] else {}
        self.all_schools = dict(School.objects.values_list("code", "pk"))
        self.people = _people(r[student_key] for r in table.rows)

    def school(self, row, key: str, problems: list[Problem], own: bool = True) -> int | None:
        code = row[key]
        if own and code in self.mine:
            return self.mine[code]
        if not own and code in self.all_schools:
            return self.all_schools[code]
        why = "不在您的管辖范围内 (not a school you manage)" if code in self.all_schools else "不存在 (no such school)"
        problems.append(self.table.problem(row.line, key, f"学校代码 “{code}” {why}"))
        return None

    def student(self, row, problems: list[Problem]) -> Person | None:
        who = self.people.get(row["student_no"])
        if who is None:
            problems.append(self.table.problem(row.line, "student_no", f"学籍号 “{mask_student_no(row['student_no'])}” 不是平台上的学生，"
                                                                       "也不在学籍系统名册中 (no such student or registration)"))
        return who


def _existing(model, people: Iterable[Person], fields: Sequence[str]) -> dict[tuple, int]:
    """Existing rows of ``model`` for these people: (person, *natural key) → primary key (chunked)."""
    out: dict[tuple, int] = {}
    by_field: dict[str, set[int]] = {}
    for f, pk in people:
        by_field.setdefault(f, set()).add(pk)
    for f, pks in by_field.items():
        for part in _chunks(sorted(pks)):
            for row in model.objects.filter(**{f"{f}__in": part}).values_list("pk", f, *fields):
                out[((f, row[1]), *row[2:])] = row[0]
    return out


def _attendance(actor, table: ImportResult):
    problems: list[Problem] = []
    refs = _Refs(actor, table)
    keyed = []
    for row in table.rows:
        school, who = refs.school(row, "school", problems), refs.student(row, problems)
        if school is not None and who is not None:
            keyed.append(((who, school, row["term"]), row["days_present"]))

    def plan():
        existing = _existing(AttendanceRecord, (k[0] for k, _ in keyed), ("school_id", "term", "days_present"))
        old = {key[:3]: (pk, key[3]) for key, pk in existing.items()}
        new, changed, unchanged = [], [], 0
        for ((field, person), sc, term), days in keyed:
            had = old.get(((field, person), sc, term))
            if had is None:
                new.append(AttendanceRecord(**{field: person}, school_id=sc, term=term, days_present=days))
            elif had[1] != days:
                changed.append(AttendanceRecord(pk=had[0], days_present=days))
            else:
                unchanged += 1
        AttendanceRecord.objects.bulk_create(new, batch_size=5000)
        AttendanceRecord.objects.bulk_update(changed, ["days_present"], batch_size=2000)
        return len(new), len(changed), unchanged, []

    return plan, problems


def _exams(actor, table: ImportResult):
    problems: list[Problem] = []
    refs = _Refs(actor, table)
    keyed = []
    for row in table.rows:
        school, who = refs.school(row, "school", problems), refs.student(row, problems)
        if school is not None and who is not None:
            keyed.append((who, school, row["exam_id"], row["term"]))

    def plan():
        existing = _existing(ExamSitting, (k[0] for k in keyed), ("school_id", "exam_id", "term"))
        new = [ExamSitting(**{who[0]: who[1]}, school_id=sc, exam_id=e, term=t) for who, sc, e, t in keyed if (who, sc, e, t) not in existing]
        ExamSitting.objects.bulk_create(new, batch_size=5000)
        return len(new), 0, len(keyed) - len(new), []

    return plan, problems


def _transfers(actor, table: ImportResult):
    problems: list[Problem] = []
    refs = _Refs(actor, table)
    keyed = []
    for row in table.rows:
        who = refs.student(row, problems)
        src = refs.school(row, "from_school", problems)
        dst = refs.school(row, "to_school", problems, own=False)
        if row["from_school"] == row["to_school"]:
            problems.append(table.problem(row.line, "to_school", "转入学校与转出学校相同 (the same school on both sides)"))
        elif None not in (who, src, dst):
            keyed.append((who, src, dst, row["date"]))

    def plan():
        existing = _existing(TransferRecord, (k[0] for k in keyed), ("from_school_id", "to_school_id", "date"))
        new = [TransferRecord(**{who[0]: who[1]}, from_school_id=a, to_school_id=b, date=d) for who, a, b, d in keyed if (who, a, b, d) not in existing]
        TransferRecord.objects.bulk_create(new, batch_size=5000)
        return len(new), 0, len(keyed) - len(new), []

    return plan, problems


def _platform_disagreements(table: ImportResult, platform: dict[str, tuple[str, str, str]]) -> list[Problem]:
    """Rows of platform students that disagree with the platform: same school, 身份证号 and status."""
    problems: list[Problem] = []
    for row in table.rows:
        got = platform.get(row["student_no"])
        if got is None:
            continue
        idn, status, code = got
        if code != row["school"]:
            problems.append(table.problem(row.line, "school", f"平台上该学生在籍学校为 {code} (the platform registers the student at {code})"))
        if (row["id_number"] or "") != idn:
            problems.append(table.problem(row.line, "id_number", "与平台登记的身份证号不一致 (differs from the platform's registry)"))
        if row["status"] != status:
            problems.append(table.problem(row.line, "status", f"平台上学籍状态为 {status} (the platform's status is {status})"))
    return problems


def _registrations(actor, table: ImportResult):
    """学籍名册: platform students must agree with the platform; every other row is a registration of the national
    registry at a school of the city, created or updated by its 学籍号."""
    nos = sorted({r["student_no"] for r in table.rows})
    platform: dict[str, tuple[str, str, str]] = {}
    for part in _chunks(nos):
        for no, idn, status, code in Student.objects.filter(student_no__in=part).values_list("student_no", "id_number", "status", "school__code"):
            platform[no] = (idn, status, code)
    problems = _platform_disagreements(table, platform)
    schools = dict(School.objects.values_list("code", "pk"))
    rows = []
    for row in table.rows:
        if row["student_no"] in platform:
            continue
        if row["school"] not in schools:
            problems.append(table.problem(row.line, "school", f"学校代码 “{row['school']}” 不存在 (no such school)"))
            continue
        rows.append(row)

    def plan():
        existing = {}
        for part in _chunks([r["student_no"] for r in rows]):
            existing.update((r.student_no, r) for r in Registration.objects.filter(student_no__in=part))
        new, changed, unchanged, changes = [], [], 0, {}
        for row in rows:
            values = {"id_number": row["id_number"] or "", "name": row["name"] or "", "school_id": schools[row["school"]],
                      "grade": row["grade"] or "", "status": row["status"]}
            reg = existing.get(row["student_no"])
            if reg is None:
                new.append(Registration(student_no=row["student_no"], **values))
                continue
            diff = {k: [getattr(reg, k), v] for k, v in values.items() if getattr(reg, k) != v}
            if diff:
                for k, (_, v) in diff.items():
                    setattr(reg, k, v)
                changed.append(reg)
                changes[reg.pk] = diff
            else:
                unchanged += 1
        Registration.objects.bulk_create(new, batch_size=2000)
        Registration.objects.bulk_update(changed, ["id_number", "name", "school_id", "grade", "status"], batch_size=2000)
        return len(new), len(changed), unchanged, [], changes

    return plan, problems


CHECKERS = {"registry": _registrations, "attendance": _attendance, "exam_sittings": _exams, "transfers": _transfers}


def registry_import(*, actor, kind: str, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """Check and write one file of ``kind`` (registry, attendance, exam_sittings, transfers); with problems nothing is written."""
    if kind not in SPECS:
        raise ValueError(f"unknown import {kind!r}")
    _require(actor, kind)
    return run_table_import(actor=actor, action=f"registry.{kind}.imported", kind=kind, spec=SPECS[kind], checker=CHECKERS[kind],
                            data=data, filename=filename, progress=progress)


def registrations_import(*, actor, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """学籍名册 of the national student registry: its registrations the platform does not hold (see the module)."""
    return registry_import(actor=actor, kind="registry", data=data, filename=filename, progress=progress)


def attendance_import(*, actor, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """考勤: one row per student, school attended and term."""
    return registry_import(actor=actor, kind="attendance", data=data, filename=filename, progress=progress)


def exam_sittings_import(*, actor, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """考试参加: one row per student and unified exam sat (where and in which term)."""
    return registry_import(actor=actor, kind="exam_sittings", data=data, filename=filename, progress=progress)


def transfers_import(*, actor, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """转学: one row per transfer (student, from school, to school, date)."""
    return registry_import(actor=actor, kind="transfers", data=data, filename=filename, progress=progress)


class _Rollback(Exception):
    """Leaves the case import's transaction with nothing written (its problems are on the outcome)."""


@dataclass
class CaseImportOutcome:
    directory: str
    terms: Terms | None = None
    counts: dict[str, int] = field(default_factory=dict)  # rows written (new) per file
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def registry_case_import(*, actor, directory: str | Path, progress: Progress | None = None) -> CaseImportOutcome:
    """Import the evidence of an engine case directory (see the module docstring); nothing is written on a problem."""
    _require(actor, "case")
    report = progress or (lambda pct, phase: None)
    root = Path(directory)
    out = CaseImportOutcome(directory=str(root))
    report(5, "按引擎规则检查目录 (validating the case as the engine does)")
    try:
        inputs = load_directory(root)
    except InputError as exc:
        out.problems = exc.problems
        return out
    out.terms = inputs.terms
    del inputs
    report(30, "与平台学籍核对 (checking against the platform)")
    tables: dict[str, ImportResult] = {}
    for name, spec in (("registry.csv", REGISTRY), ("attendance.csv", ATTENDANCE), ("exams.csv", EXAMS), ("transfers.csv", TRANSFERS)):
        try:
            tables[name] = read_table(root / name, spec, name=name, max_rows=None)
        except InputError as exc:
            out.problems.extend(exc.problems)
    if out.problems:
        return out
    reg_plan, problems = _registrations(actor, tables["registry.csv"])
    out.problems.extend(problems)
    report(60, "写入数据库 (writing)")
    digest = hashlib.sha256(b"".join((root / n).read_bytes() for n in REQUIRED)).hexdigest()
    scope = scope_of(actor)
    try:
        with transaction.atomic():
            # The registrations first, so that the evidence of a registration the case brings can name it; any
            # problem of any file rolls everything back.
            out.counts["registry.csv"] = reg_plan()[0]
            plans = []
            for name, checker in (("attendance.csv", _attendance), ("exams.csv", _exams), ("transfers.csv", _transfers)):
                plan, problems = checker(actor, tables[name])
                out.problems.extend(problems)
                plans.append((name, plan))
            if out.problems:
                raise _Rollback
            for name, plan in plans:
                created, _updated, _unchanged, _ids = plan()
                out.counts[name] = created
            audit_record(actor=actor, action="registry.case.imported", object_type="import.registry_case", object_id=digest[:16],
                         object_repr=root.name, county_id=scope.county_id, school_id=scope.school_id,
                         after={"directory": root.name, "sha256": digest, "written": out.counts,
                                "terms": {"current": out.terms.current, "examined": list(out.terms.examined)}})
    except _Rollback:
        out.counts = {}
        return out
    report(100, "完成 (done)")
    return out
