"""Imports of schools, students and teachers: the whole file is checked, then written in one transaction, or
nothing is written.

Steps: the importer reads and type-checks every cell (``gaozhong.importer``); this module then checks every
reference against the database and the actor's scope (the school code exists and is the actor's to change, the
class exists this school year, a 学籍号 or 身份证号 does not already belong to someone else), collecting every
problem with file, row and column; only a file with no problem is written, with one audit row for the import
that keeps every changed field's value before and after. Existing records (same 学校代码 / 学籍号 / 教职工号) are
updated, new ones created.

Races: a 身份证号 belongs to one student and one teacher (unique constraints ``uniq_student_id_number`` and
``uniq_teacher_id_number``). The write re-checks the owners of the file's 身份证号 inside its transaction, and a
clash with an import that committed meanwhile is reported like any other problem, row by row, with nothing
written. On SQLite the write transactions queue (``BEGIN IMMEDIATE``), so the second import's re-check sees the
first one's rows; on PostgreSQL two re-checks can pass at once and the unique constraint stops the second
insert, whose rows are then named the same way. Messages never name another scope's people: where the actor
may not see the record a number belongs to, the message says only that it is registered elsewhere in the city.
Lookups by a file's keys go through ``filter_in``/``values_in``, so a file of any size can be checked on SQLite.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from gaozhong.common.errors import InputError, Problem
from gaozhong.core.audit import audit_record
from gaozhong.core.importspecs import SPECS
from gaozhong.core.models import AdminClass, County, Enrollment, Role, School, Student, Subject, Teacher
from gaozhong.core.hooks import teacher_intake_hooks
from gaozhong.core.masking import mask_student_no
from gaozhong.core.scoping import scope_of, visible
from gaozhong.core.roles import BUREAU, STAFF
from gaozhong.core.selectors import IN_CHUNK, current_year, filter_in, values_in
from gaozhong.importer.readers import read_table
from gaozhong.importer.result import ImportResult

Progress = Callable[[float, str], None]

#: At most this many problems are kept on a job and shown; the total is always given.
MAX_STORED_PROBLEMS = 1000

#: What a school is told about a number registered where it may not look (the county bureau can).
ELSEWHERE = "已在本市其他单位登记，请联系县(区)教育局 (registered elsewhere in the city: ask the county bureau)"
STUDENT_ELSEWHERE = "已在本市其他学校在籍，请联系县(区)教育局 (registered at another school of the city: ask the county bureau)"

# Who may import what: schools are set up by the bureaus; students and teachers also by a school's 教务.
IMPORT_ROLES = {
    "schools": BUREAU,
    "students": STAFF,
    "teachers": STAFF,
}


@dataclass
class ImportOutcome:
    kind: str
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    total_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class WriteConflict(Exception):
    """Raised by an import's write step when the database changed since its checks (another import committed):
    the transaction rolls back and the problems are reported like the checks' own."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _refuse(outcome: ImportOutcome, problems: list[Problem]) -> ImportOutcome:
    outcome.total_problems = len(problems)
    outcome.problems = list(problems[:MAX_STORED_PROBLEMS])
    return outcome


def may_import(user, kind: str) -> bool:
    return scope_of(user).role in IMPORT_ROLES.get(kind, set())


def run_table_import(*, actor, action: str, kind: str, spec, checker, data: bytes, filename: str,
                     progress: Progress | None = None) -> ImportOutcome:
    """The pipeline every import of the platform shares: read and type-check the whole file with the importer,
    let ``checker(actor, table)`` check references and return ``(plan, problems)``, then, only with no problem,
    run ``plan()`` and write one audit row ``action``, in one transaction. ``plan()`` returns (created, updated,
    unchanged, ids) and may add a fifth item, ``{record id: {field: [before, after]}}`` for the records it changed,
    which the audit row keeps; it raises :class:`WriteConflict` when its in-transaction re-check finds the data
    changed. With problems, nothing is written; at most ``MAX_STORED_PROBLEMS`` are returned, with the total."""
    report = progress or (lambda pct, phase: None)
    outcome = ImportOutcome(kind=kind, filename=filename)
    report(5, "读取并检查文件 (reading and checking the file)")
    try:
        table = read_table(data, spec, name=filename)
    except InputError as exc:
        return _refuse(outcome, exc.problems)
    outcome.rows = len(table.rows)
    report(40, f"检查 {len(table.rows)} 行的引用 (checking references)")
    plan, problems = checker(actor, table)
    if problems:
        return _refuse(outcome, problems)
    report(60, "写入数据库 (writing)")
    digest = hashlib.sha256(data).hexdigest()
    scope = scope_of(actor)
    try:
        with transaction.atomic():
            created, updated, unchanged, ids, *rest = plan()
            changes = rest[0] if rest else {}
            audit_record(
                actor=actor, action=action, object_type=f"import.{kind}", object_id=digest[:16], object_repr=filename,
                county_id=scope.county_id, school_id=scope.school_id,
                before={"changed": {str(k): {f: ba[0] for f, ba in v.items()} for k, v in changes.items()}} if changes else None,
                after={"file": filename, "sha256": digest, "rows": len(table.rows), "created": created, "updated": updated,
                       "unchanged": unchanged, "ids": ids[:5000],
                       **({"changed": {str(k): {f: ba[1] for f, ba in v.items()} for k, v in changes.items()}} if changes else {})},
            )
    except WriteConflict as exc:
        return _refuse(outcome, exc.problems)
    except IntegrityError:
        # Another import committed the same number between this one's re-check and its insert (PostgreSQL): name
        # the rows from the data as it is now, or say so for the file when the clash is of another key.
        explain = getattr(plan, "explain_conflict", None)
        clashes = explain() if explain else []
        return _refuse(outcome, clashes or [Problem(filename, None, None, "写入时发现另一项导入刚刚登记了相同的编号，未写入任何数据，请重新上传 "
                                                                        "(another import registered the same number meanwhile; nothing written)")])
    outcome.created, outcome.updated, outcome.unchanged = created, updated, unchanged
    report(100, "完成 (done)")
    return outcome


def records_import(*, actor, kind: str, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """Check and write one import file of schools, students or teachers; with problems, nothing was written."""
    if kind not in SPECS:
        raise ValueError(f"unknown import {kind!r}")
    if not may_import(actor, kind):
        raise PermissionDenied("当前角色不能导入此类数据 (your role may not import this)")
    checker = {"schools": _schools, "students": _students, "teachers": _teachers}[kind]
    return run_table_import(actor=actor, action=f"core.{kind}.imported", kind=kind, spec=SPECS[kind], checker=checker,
                            data=data, filename=filename, progress=progress)


def _writable_schools(actor) -> dict[str, School]:
    scope = scope_of(actor)
    if scope.role not in STAFF:
        return {}
    return {s.code: s for s in visible(School, actor)}


# The student fields an import row sets (``admin_class`` only when the row names a class).
STUDENT_IMPORTED = ["id_number", "name", "gender", "birth_date", "school", "entry_year", "status", "exam_no", "entry_score", "admin_class"]


def _apply(obj, values: dict) -> dict:
    """Set ``values`` on ``obj``; return ``{field: [before, after]}`` of what changed (empty: nothing did), with
    related objects as their ids and other values as text, ready for the audit row."""
    diff = {}
    for k, v in values.items():
        old = getattr(obj, k)
        if old != v:
            diff[k] = [_plain(old), _plain(v)]
            setattr(obj, k, v)
    return diff


def _plain(v):
    if v is None or isinstance(v, (bool, int, str)):
        return v
    return v.pk if hasattr(v, "pk") else str(v)


def _schools(actor, table: ImportResult):
    problems: list[Problem] = []
    scope = scope_of(actor)
    counties = {c.code: c for c in visible(County, actor)}
    all_counties = set(County.objects.values_list("code", flat=True))
    existing = {s.code: s for s in School.objects.all()}
    mine = _writable_schools(actor)
    for row in table.rows:
        c = row["county"]
        if c not in counties:
            why = "不在您的管辖范围内 (not your county)" if c in all_counties else "不存在 (no such county)"
            problems.append(table.problem(row.line, "county", f"县(区)代码 “{c}” {why}"))
        code = row["code"]
        if code in existing and code not in mine:
            problems.append(table.problem(row.line, "code", f"学校代码 “{code}” 已属于其他县(区)的学校 (belongs to a school outside your scope)"))
        if code in existing and existing[code].quality != row["quality"] and scope.role != Role.CITY_ADMIN:
            problems.append(table.problem(row.line, "quality", "办学等级只能由市教育局修改 (only the city bureau changes a school's quality level)"))
        if code not in existing and row["quality"] != School.Quality.ORDINARY and scope.role != Role.CITY_ADMIN:
            problems.append(table.problem(row.line, "quality", "新建学校的办学等级只能由市教育局认定 (only the city bureau sets a quality level)"))

    def plan():
        created = updated = unchanged = 0
        ids, changes = [], {}
        for row in table.rows:
            v = row.values
            values = {"name": v["name"], "county": counties[v["county"]], "level": v["level"], "ownership": v["ownership"],
                      "quality": v["quality"], "founded_year": v["founded_year"], "address": v["address"] or ""}
            s = existing.get(v["code"])
            if s is None:
                s = School.objects.create(code=v["code"], **values)
                created += 1
            elif diff := _apply(s, values):
                s.save()
                updated += 1
                changes[s.pk] = diff
            else:
                unchanged += 1
            ids.append(s.pk)
        return created, updated, unchanged, ids, changes

    return plan, problems


def _students(actor, table: ImportResult):
    problems: list[Problem] = []
    mine = _writable_schools(actor)
    seen_schools = set(visible(School, actor).values_list("pk", flat=True))
    all_codes = set(School.objects.values_list("code", flat=True))
    year = current_year()
    nos = [r["student_no"] for r in table.rows]
    existing = {s.student_no: s for s in filter_in(Student.objects.select_related("school"), "student_no", nos)}
    id_numbers = [r["id_number"] for r in table.rows]
    id_owner = dict(values_in(Student.objects.all(), "id_number", id_numbers, "id_number", "student_no"))
    may_see = set(values_in(visible(Student, actor), "student_no", id_owner.values(), "student_no"))
    classes = {(c.school_id, c.grade, c.number): c for c in AdminClass.objects.filter(school_year=year, school__in=list(mine.values()))} if year else {}
    for row in table.rows:
        code = row["school"]
        school = mine.get(code)
        if school is None:
            why = "不在您的管辖范围内 (not a school you manage)" if code in all_codes else "不存在 (no such school)"
            problems.append(table.problem(row.line, "school", f"学校代码 “{code}” {why}"))
        elif school.level != School.Level.SENIOR:
            problems.append(table.problem(row.line, "school", f"学校 “{code}” 不是普通高中 (not a senior high school)"))
        old = existing.get(row["student_no"])
        if old is not None and old.school.code not in mine:
            where = old.school.name if old.school_id in seen_schools else "本市其他学校"
            problems.append(table.problem(row.line, "student_no", f"学籍号 “{row['student_no']}” 已在{where}在籍；转学请走转学流程 (registered at another school)"))
        owner = id_owner.get(row["id_number"])
        if owner is not None and owner != row["student_no"]:
            problems.append(table.problem(row.line, "id_number", f"身份证号已登记在学籍号 {mask_student_no(owner)} 下 (already registered under another student number)"
                                          if owner in may_see else f"身份证号{STUDENT_ELSEWHERE}"))
        g, n = row["grade"], row["class_number"]
        if (g is None) != (n is None):
            problems.append(table.problem(row.line, "class_number" if n is None else "grade", "年级和班号须同时填写或同时留空 (fill both grade and class number, or neither)"))
        elif g is not None and school is not None and (school.pk, g, n) not in classes:
            problems.append(table.problem(row.line, "class_number", f"{school.name} 本学年没有 {AdminClass.GRADE_NAMES[g]}({n})班 (no such class this school year)"))

    def plan():
        _recheck_owners(table, Student, "student_no", id_owner, STUDENT_ELSEWHERE)
        # New students are inserted in batches and this year's classes set with a few queries, so a city's
        # roster of tens of thousands imports in seconds; updated students are saved in batches too.
        created = updated = unchanged = 0
        changes = {}
        placed: list[tuple[Student, AdminClass]] = []
        new: list[Student] = []
        changed: list[Student] = []
        order: list[Student] = []
        for row in table.rows:
            v = row.values
            school = mine[v["school"]]
            ac = classes.get((school.pk, v["grade"], v["class_number"])) if v["grade"] else None
            values = {"id_number": v["id_number"], "name": v["name"], "gender": v["gender"], "birth_date": v["birth_date"], "school": school,
                      "entry_year": v["entry_year"], "status": v["status"], "exam_no": v["exam_no"] or "", "entry_score": v["entry_score"]}
            if ac is not None:
                values["admin_class"] = ac
            st = existing.get(v["student_no"])
            if st is None:
                st = Student(student_no=v["student_no"], **values)
                new.append(st)
                created += 1
            elif diff := _apply(st, values):
                changed.append(st)
                updated += 1
                changes[st.pk] = diff
            else:
                unchanged += 1
            order.append(st)
            if ac is not None:
                placed.append((st, ac))
        Student.objects.bulk_create(new, batch_size=1000)
        Student.objects.bulk_update(changed, STUDENT_IMPORTED, batch_size=1000)
        # This year's enrolment: one class per student this school year.
        known = [st.pk for st, _ in placed if st.student_no in existing]
        this_year = Enrollment.objects.filter(admin_class__school_year=year)
        stale = values_in(this_year, "student_id", known, "pk", "student_id", "admin_class_id")
        present = {(sid, acid) for _, sid, acid in stale}
        wanted = {(st.pk, ac.pk) for st, ac in placed}
        gone = [pk for pk, sid, acid in stale if (sid, acid) not in wanted]
        for i in range(0, len(gone), IN_CHUNK):
            Enrollment.objects.filter(pk__in=gone[i:i + IN_CHUNK]).delete()
        Enrollment.objects.bulk_create([Enrollment(student_id=st.pk, admin_class_id=ac.pk) for st, ac in placed if (st.pk, ac.pk) not in present],
                                       batch_size=2000)
        return created, updated, unchanged, [st.pk for st in order], changes

    plan.explain_conflict = lambda: _owner_clashes(table, Student, "student_no", id_owner, STUDENT_ELSEWHERE)
    return plan, problems


def _owner_clashes(table: ImportResult, model, key: str, checked: dict[str, str], elsewhere: str) -> list[Problem]:
    """The rows whose 身份证号 now belongs to another record than the checks saw (another import registered it)."""
    now = dict(values_in(model.objects.all(), "id_number", [r["id_number"] for r in table.rows], "id_number", key))
    return [table.problem(row.line, "id_number", f"身份证号{elsewhere}（另一项导入刚刚登记）")
            for row in table.rows
            if now.get(row["id_number"]) not in (None, row[key]) and now.get(row["id_number"]) != checked.get(row["id_number"])]


def _recheck_owners(table: ImportResult, model, key: str, checked: dict[str, str], elsewhere: str = ELSEWHERE) -> None:
    """Inside the write transaction: the owners of the file's 身份证号 are still those the checks saw, else
    another import registered one meanwhile (reported, nothing written)."""
    clashes = _owner_clashes(table, model, key, checked, elsewhere)
    if clashes:
        raise WriteConflict(clashes)


def _teachers(actor, table: ImportResult):
    problems: list[Problem] = []
    scope = scope_of(actor)
    mine = _writable_schools(actor)
    counties = {c.code: c for c in visible(County, actor)} if scope.role in BUREAU else {}
    if scope.role == Role.SCHOOL_ADMIN:
        own = School.objects.select_related("county").get(pk=scope.school_id)
        counties = {own.county.code: own.county}
    subjects = {s.name: s for s in Subject.objects.all()}
    staff_nos = [r["staff_no"] for r in table.rows]
    existing = {t.staff_no: t for t in filter_in(Teacher.objects.select_related("school", "county"), "staff_no", staff_nos)}
    id_numbers = [r["id_number"] for r in table.rows]
    id_owner = dict(values_in(Teacher.objects.all(), "id_number", id_numbers, "id_number", "staff_no"))
    visible_ids = set(values_in(visible(Teacher, actor), "staff_no", [*staff_nos, *id_owner.values()], "staff_no"))
    # Domain apps (the people app: ban list 全行业禁入, pre-hire check 准入查询) say which new hires to refuse.
    hooks = teacher_intake_hooks()
    refused = set().union(*(h.refused(id_numbers) for h in hooks)) if hooks else set()
    bureau = scope.role in BUREAU
    for row in table.rows:
        if row["county"] not in counties:
            problems.append(table.problem(row.line, "county", f"县(区)代码 “{row['county']}” 不在您的管辖范围内或不存在 (not your county)"))
        code = row["school"]
        if code is None and scope.role == Role.SCHOOL_ADMIN:
            problems.append(table.problem(row.line, "school", "学校代码不能为空 (required for a school's own teachers)"))
        elif code is not None:
            s = mine.get(code)
            if s is None:
                problems.append(table.problem(row.line, "school", f"学校代码 “{code}” 不存在或不在您的管辖范围内 (not a school you manage)"))
            elif row["county"] in counties and s.county.code != row["county"]:
                problems.append(table.problem(row.line, "county", f"学校 “{code}” 不属于县(区) “{row['county']}” (the school is in another county)"))
        for name in _subject_names(row["subjects"]):
            if name not in subjects:
                problems.append(table.problem(row.line, "subjects", f"未知科目 “{name}”；可用：{'、'.join(subjects)} (unknown subject)"))
        old = existing.get(row["staff_no"])
        if old is not None and old.staff_no not in visible_ids:
            problems.append(table.problem(row.line, "staff_no", f"教职工号 “{row['staff_no']}” 属于其他单位的教师 (belongs to a teacher outside your scope)"))
        owner = id_owner.get(row["id_number"])
        if owner is not None and owner != row["staff_no"]:
            problems.append(table.problem(row.line, "id_number", f"身份证号已登记在教职工号 {owner} 下 (already registered under another staff number)"
                                          if owner in visible_ids else f"身份证号{ELSEWHERE}"))
        elif old is None and row["id_number"] in refused:
            # The ban list is the bureaus' to read; a school hears only that it may not register this person.
            problems.append(table.problem(row.line, "id_number", "此人在全行业禁入名单中，不得聘用 (on the city's ban list; cannot be hired; seed 002 §三(二))"
                                          if bureau else "身份证号不能由本校登记，请联系县(区)教育局核实 (cannot be registered by the school: ask the county bureau)"))
        if old is not None and (old.title != row["title"] or old.post != row["post"]):
            problems.append(table.problem(row.line, "title" if old.title != row["title"] else "post",
                                          "职称和岗位只能通过评聘/任用流程变更，不能通过导入修改 (title and post change through the nomination workflow)"))

    def plan():
        _recheck_owners(table, Teacher, "staff_no", id_owner)
        created = updated = unchanged = 0
        changes = {}
        new: list[tuple[Teacher, set[int]]] = []
        order: list[Teacher] = []
        for row in table.rows:
            v = row.values
            values = {"id_number": v["id_number"], "name": v["name"], "gender": v["gender"], "county": counties[v["county"]],
                      "school": mine.get(v["school"]) if v["school"] else None, "title": v["title"], "post": v["post"],
                      "hire_date": v["hire_date"], "is_bianzhi": v["is_bianzhi"]}
            t = existing.get(v["staff_no"])
            wanted = {subjects[n].pk for n in _subject_names(v["subjects"])}
            if t is None:
                t = Teacher(staff_no=v["staff_no"], **values)
                new.append((t, wanted))
                created += 1
            else:
                diff = _apply(t, values)
                if diff:
                    t.save()
                had = set(t.subjects.values_list("pk", flat=True))
                if had != wanted:
                    t.subjects.set(wanted)
                    diff["subjects"] = [sorted(had), sorted(wanted)]
                if diff:
                    changes[t.pk] = diff
                updated += bool(diff)
                unchanged += not diff
            order.append(t)
        # New teachers in batches: the rows and their subjects; then the domain apps hear of the new hires (the
        # people app opens a pre-hire check for each: inactive until the 准入查询 is recorded as cleared).
        Teacher.objects.bulk_create([t for t, _ in new], batch_size=1000)
        Through = Teacher.subjects.through
        Through.objects.bulk_create([Through(teacher_id=t.pk, subject_id=sid) for t, wanted in new for sid in sorted(wanted)], batch_size=2000)
        for h in hooks:
            h.created([t for t, _ in new])
        return created, updated, unchanged, [t.pk for t in order], changes

    plan.explain_conflict = lambda: _owner_clashes(table, Teacher, "staff_no", id_owner, ELSEWHERE)
    return plan, problems


def _subject_names(text: str | None) -> list[str]:
    if not text:
        return []
    return [p.strip() for p in text.replace("；", ";").replace("、", ";").split(";") if p.strip()]
