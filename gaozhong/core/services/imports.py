"""Imports of schools, students and teachers: the whole file is checked, then written in one transaction, or
nothing is written.

Steps: the importer reads and type-checks every cell (``gaozhong.importer``); this module then checks every
reference against the database and the actor's scope (the school code exists and is the actor's to change, the
class exists this school year, a 学籍号 or 身份证号 does not already belong to someone else), collecting every
problem with file, row and column; only a file with no problem is written, with one audit row for the import.
Existing records (same 学校代码 / 学籍号 / 教职工号) are updated, new ones created.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gaozhong.common.errors import InputError, Problem
from gaozhong.core.audit import audit_record
from gaozhong.core.importspecs import SPECS
from gaozhong.core.models import AdminClass, County, Enrollment, Role, School, Student, Subject, Teacher
from gaozhong.core.scoping import scope_of, visible
from gaozhong.core.selectors import current_year
from gaozhong.importer.readers import read_table
from gaozhong.importer.result import ImportResult

Progress = Callable[[float, str], None]

# Who may import what: schools are set up by the bureaus; students and teachers also by a school's 教务.
IMPORT_ROLES = {
    "schools": {Role.CITY_ADMIN, Role.COUNTY_STAFF},
    "students": {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN},
    "teachers": {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN},
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

    @property
    def ok(self) -> bool:
        return not self.problems


def may_import(user, kind: str) -> bool:
    return scope_of(user).role in IMPORT_ROLES.get(kind, set())


def run_table_import(*, actor, action: str, kind: str, spec, checker, data: bytes, filename: str,
                     progress: Progress | None = None) -> ImportOutcome:
    """The pipeline every import of the platform shares: read and type-check the whole file with the importer,
    let ``checker(actor, table)`` check references and return ``(plan, problems)``, then, only with no problem,
    run ``plan()`` (which returns created, updated, unchanged, ids) and write one audit row ``action``, in one
    transaction. With problems, nothing is written and they are all returned."""
    report = progress or (lambda pct, phase: None)
    outcome = ImportOutcome(kind=kind, filename=filename)
    report(5, "读取并检查文件 (reading and checking the file)")
    try:
        table = read_table(data, spec, name=filename)
    except InputError as exc:
        outcome.problems = exc.problems
        return outcome
    outcome.rows = len(table.rows)
    report(40, f"检查 {len(table.rows)} 行的引用 (checking references)")
    plan, problems = checker(actor, table)
    if problems:
        outcome.problems = problems
        return outcome
    report(60, "写入数据库 (writing)")
    digest = hashlib.sha256(data).hexdigest()
    scope = scope_of(actor)
    with transaction.atomic():
        created, updated, unchanged, ids = plan()
        audit_record(
            actor=actor, action=action, object_type=f"import.{kind}", object_id=digest[:16], object_repr=filename,
            county_id=scope.county_id, school_id=scope.school_id,
            after={"file": filename, "sha256": digest, "rows": len(table.rows), "created": created, "updated": updated,
                   "unchanged": unchanged, "ids": ids[:5000]},
        )
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
    if scope.role not in (Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN):
        return {}
    return {s.code: s for s in visible(School, actor)}


# The student fields an import row sets (``admin_class`` only when the row names a class).
STUDENT_IMPORTED = ["id_number", "name", "gender", "birth_date", "school", "entry_year", "status", "exam_no", "entry_score", "admin_class"]


def _chunks(items: list, size: int = 900):
    """Slices small enough for one ``IN (…)`` on every database (SQLite's limit on query parameters)."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _apply(obj, values: dict) -> bool:
    changed = False
    for k, v in values.items():
        if getattr(obj, k) != v:
            setattr(obj, k, v)
            changed = True
    return changed


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
        ids = []
        for row in table.rows:
            v = row.values
            values = {"name": v["name"], "county": counties[v["county"]], "level": v["level"], "ownership": v["ownership"],
                      "quality": v["quality"], "founded_year": v["founded_year"], "address": v["address"] or ""}
            s = existing.get(v["code"])
            if s is None:
                s = School.objects.create(code=v["code"], **values)
                created += 1
            elif _apply(s, values):
                s.save()
                updated += 1
            else:
                unchanged += 1
            ids.append(s.pk)
        return created, updated, unchanged, ids

    return plan, problems


def _students(actor, table: ImportResult):
    problems: list[Problem] = []
    mine = _writable_schools(actor)
    all_codes = set(School.objects.values_list("code", flat=True))
    year = current_year()
    nos = [r["student_no"] for r in table.rows]
    existing = {s.student_no: s for chunk in _chunks(nos) for s in Student.objects.filter(student_no__in=chunk).select_related("school")}
    id_owner = {i: no for chunk in _chunks([r["id_number"] for r in table.rows])
                for i, no in Student.objects.filter(id_number__in=chunk).values_list("id_number", "student_no")}
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
            problems.append(table.problem(row.line, "student_no", f"学籍号 “{row['student_no']}” 已在 {old.school.name} 在籍；转学请走转学流程 (registered at another school)"))
        owner = id_owner.get(row["id_number"])
        if owner is not None and owner != row["student_no"]:
            problems.append(table.problem(row.line, "id_number", f"身份证号已登记在学籍号 {owner} 下 (this ID number is already registered under another student number)"))
        g, n = row["grade"], row["class_number"]
        if (g is None) != (n is None):
            problems.append(table.problem(row.line, "class_number" if n is None else "grade", "年级和班号须同时填写或同时留空 (fill both grade and class number, or neither)"))
        elif g is not None and school is not None and (school.pk, g, n) not in classes:
            problems.append(table.problem(row.line, "class_number", f"{school.name} 本学年没有 {AdminClass.GRADE_NAMES[g]}({n})班 (no such class this school year)"))

    def plan():
        # New students are inserted in batches and this year's classes set with a few queries, so a city's
        # roster of tens of thousands imports in seconds; updated students are saved in batches too.
        created = updated = unchanged = 0
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
            elif _apply(st, values):
                changed.append(st)
                updated += 1
            else:
                unchanged += 1
            order.append(st)
            if ac is not None:
                placed.append((st, ac))
        Student.objects.bulk_create(new, batch_size=1000)
        Student.objects.bulk_update(changed, STUDENT_IMPORTED, batch_size=1000)
        # This year's enrolment: one class per student this school year.
        known = [st.pk for st, _ in placed if st.student_no in existing]
        stale, present = [], set()
        for chunk in _chunks(known):
            for e in Enrollment.objects.filter(student_id__in=chunk, admin_class__school_year=year).values("pk", "student_id", "admin_class_id"):
                present.add((e["student_id"], e["admin_class_id"]))
                stale.append(e)
        wanted = {(st.pk, ac.pk) for st, ac in placed}
        gone = [e["pk"] for e in stale if (e["student_id"], e["admin_class_id"]) not in wanted]
        for chunk in _chunks(gone):
            Enrollment.objects.filter(pk__in=chunk).delete()
        Enrollment.objects.bulk_create([Enrollment(student_id=st.pk, admin_class_id=ac.pk) for st, ac in placed if (st.pk, ac.pk) not in present],
                                       batch_size=2000)
        return created, updated, unchanged, [st.pk for st in order]

    return plan, problems


def _teachers(actor, table: ImportResult):
    problems: list[Problem] = []
    scope = scope_of(actor)
    mine = _writable_schools(actor)
    counties = {c.code: c for c in visible(County, actor)} if scope.role in (Role.CITY_ADMIN, Role.COUNTY_STAFF) else {}
    if scope.role == Role.SCHOOL_ADMIN:
        own = School.objects.select_related("county").get(pk=scope.school_id)
        counties = {own.county.code: own.county}
    subjects = {s.name: s for s in Subject.objects.all()}
    existing = {t.staff_no: t for t in Teacher.objects.filter(staff_no__in=[r["staff_no"] for r in table.rows]).select_related("school", "county")}
    id_owner = dict(Teacher.objects.filter(id_number__in=[r["id_number"] for r in table.rows]).values_list("id_number", "staff_no"))
    visible_ids = set(visible(Teacher, actor).values_list("staff_no", flat=True))
    # The people app keeps the ban list (全行业禁入) and the pre-hire check (准入查询) a new hire waits for.
    from gaozhong.people.models import BannedPerson, HireCheck

    banned = set(BannedPerson.objects.filter(id_number__in=[r["id_number"] for r in table.rows]).values_list("id_number", flat=True))
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
            problems.append(table.problem(row.line, "id_number", f"身份证号已登记在教职工号 {owner} 下 (already registered under another staff number)"))
        if old is None and row["id_number"] in banned:
            problems.append(table.problem(row.line, "id_number", "此人在全行业禁入名单中，不得聘用 (on the city's ban list; cannot be hired; seed 002 §三(二))"))
        if old is not None and (old.title != row["title"] or old.post != row["post"]):
            problems.append(table.problem(row.line, "title" if old.title != row["title"] else "post",
                                          "职称和岗位只能通过评聘/任用流程变更，不能通过导入修改 (title and post change through the nomination workflow)"))

    def plan():
        created = updated = unchanged = 0
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
                changed = _apply(t, values)
                if changed:
                    t.save()
                if set(t.subjects.values_list("pk", flat=True)) != wanted:
                    t.subjects.set(wanted)
                    changed = True
                updated += changed
                unchanged += not changed
            order.append(t)
        # New teachers in batches: the rows, their subjects, and a pre-hire check each (inactive until the
        # 准入查询 is recorded as cleared).
        Teacher.objects.bulk_create([t for t, _ in new], batch_size=1000)
        Through = Teacher.subjects.through
        Through.objects.bulk_create([Through(teacher_id=t.pk, subject_id=sid) for t, wanted in new for sid in sorted(wanted)], batch_size=2000)
        HireCheck.objects.bulk_create([HireCheck(teacher=t) for t, _ in new], batch_size=1000)
        return created, updated, unchanged, [t.pk for t in order]

    return plan, problems


def _subject_names(text: str | None) -> list[str]:
    if not text:
        return []
    return [p.strip() for p in text.replace("；", ";").replace("、", ";").split(";") if p.strip()]
