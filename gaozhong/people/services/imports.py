"""Imports of training records and moves: the whole file is checked, then written in one transaction with one
audit row, or nothing is written.

The importer reads and type-checks every cell; this module then checks every reference against the database
and the actor's scope (the teacher is one the actor manages, a course code means one course, a move starts at
the school the teacher is at), collecting every problem with sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from gaozhong.common.errors import Problem
from gaozhong.core.models import School, Teacher
from gaozhong.core.scoping import scope_of, visible
from gaozhong.core.roles import BUREAU, STAFF
from gaozhong.core.services.imports import ImportOutcome, run_table_import
from gaozhong.importer.result import ImportResult

from ..importspecs import SPECS
from ..models import Course, HireCheck, Move, TrainingRecord
from .common import city_of, today
from .rotation import check_move

Progress = Callable[[float, str], None]

IMPORT_ROLES = {
    "training": STAFF,
    "moves": BUREAU,  # moves are the bureau's decision (县管校聘)
}


def may_import(user, kind: str) -> bool:
    return scope_of(user).role in IMPORT_ROLES.get(kind, set())


def people_import(*, actor, kind: str, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """Check and write one import file of ``kind`` (``training`` or ``moves``); with problems nothing is written."""
    if kind not in SPECS:
        raise ValueError(f"unknown import {kind!r}")
    if not may_import(actor, kind):
        raise PermissionDenied("当前角色不能导入此类数据 (your role may not import this)")
    checker = {"training": _training, "moves": _moves}[kind]
    return run_table_import(actor=actor, action=f"people.{kind}.imported", kind=kind, spec=SPECS[kind], checker=checker,
                            data=data, filename=filename, progress=progress)


def _managed_teachers(actor, staff_nos: list[str]) -> tuple[dict[str, Teacher], set[str]]:
    """(teachers the actor may change, by staff number; staff numbers that exist at all)."""
    existing = set(Teacher.objects.filter(staff_no__in=staff_nos).values_list("staff_no", flat=True))
    mine = {t.staff_no: t for t in visible(Teacher, actor).filter(staff_no__in=staff_nos).select_related("school", "county")}
    return mine, existing


def _teacher_problem(table: ImportResult, row, mine: dict, existing: set) -> Problem | None:
    no = row["staff_no"]
    if no in mine:
        return None
    why = "属于您管辖范围以外的教师 (a teacher outside your scope)" if no in existing else "不存在 (no such teacher)"
    return table.problem(row.line, "staff_no", f"教职工号 “{no}” {why}")


def _training(actor, table: ImportResult):
    problems: list[Problem] = []
    mine, existing = _managed_teachers(actor, [r["staff_no"] for r in table.rows])
    city = city_of(actor)
    courses = {c.code: c for c in Course.objects.filter(city=city, code__in={r["course_code"] for r in table.rows})}
    first_row: dict[str, object] = {}
    for row in table.rows:
        p = _teacher_problem(table, row, mine, existing)
        if p:
            problems.append(p)
        code = row["course_code"]
        facts = (row["course_name"], row["level"], row["hours"])
        known = courses.get(code)
        if known is not None and (known.name, known.level, known.hours) != facts:
            problems.append(table.problem(row.line, "course_code", f"课程 “{code}” 已登记为 “{known.name}”，{known.get_level_display()}，"
                                          f"{known.hours} 课时；与本行不符 (the course is registered with other details)"))
        elif code in first_row and first_row[code][1] != facts:
            problems.append(table.problem(row.line, "course_code", f"课程 “{code}” 与第 {first_row[code][0]} 行的名称、层级或课时不同 "
                                          "(differs from an earlier row of the same course)"))
        first_row.setdefault(code, (row.line, facts))
        if row["completed_on"] > today():
            problems.append(table.problem(row.line, "completed_on", "结业日期不能晚于今天 (date is in the future)"))

    def plan():
        created = updated = unchanged = 0
        ids = []
        for code, (_, (name, level, hours)) in first_row.items():
            if code not in courses:
                courses[code] = Course.objects.create(city=city, code=code, name=name, level=level, hours=hours)
        records = {(r.teacher_id, r.course_id): r for r in TrainingRecord.objects.filter(
            teacher__in=list(mine.values()), course__in=list(courses.values()))}
        for row in table.rows:
            t, c = mine[row["staff_no"]], courses[row["course_code"]]
            cert = row["certificate_no"] or ""
            rec = records.get((t.pk, c.pk))
            if rec is None:
                rec = TrainingRecord.objects.create(teacher=t, course=c, completed_on=row["completed_on"], hours=c.hours, certificate_no=cert)
                created += 1
            elif (rec.completed_on, rec.hours, rec.certificate_no) != (row["completed_on"], c.hours, cert):
                rec.completed_on, rec.hours, rec.certificate_no = row["completed_on"], c.hours, cert
                rec.save()
                updated += 1
            else:
                unchanged += 1
            ids.append(rec.pk)
        return created, updated, unchanged, ids

    return plan, problems


def _moves(actor, table: ImportResult):
    problems: list[Problem] = []
    mine, existing = _managed_teachers(actor, [r["staff_no"] for r in table.rows])
    managed_schools = {s.code: s for s in visible(School, actor).select_related("county")}
    all_codes = set(School.objects.values_list("code", flat=True))
    inactive = set(HireCheck.objects.filter(teacher__in=list(mine.values())).exclude(status=HireCheck.Status.CLEARED)
                   .values_list("teacher_id", flat=True))
    last_move: dict[int, dt.date] = {}
    for t_id, on in Move.objects.filter(teacher__in=list(mine.values())).order_by("moved_on").values_list("teacher_id", "moved_on"):
        last_move[t_id] = on
    # Each teacher's moves in date order (rows of one date in file order), chained from their current school.
    by_teacher: dict[str, list] = defaultdict(list)
    for row in table.rows:
        p = _teacher_problem(table, row, mine, existing)
        if p:
            problems.append(p)
        for key in ("from_school", "to_school"):
            code = row[key]
            if code not in managed_schools:
                why = "不在您的管辖范围内 (not a school you manage)" if code in all_codes else "不存在 (no such school)"
                problems.append(table.problem(row.line, key, f"学校代码 “{code}” {why}"))
        if row["staff_no"] in mine:
            by_teacher[row["staff_no"]].append(row)
    planned = []
    for no, rows in by_teacher.items():
        t = mine[no]
        if t.pk in inactive:
            problems.append(table.problem(rows[0].line, "staff_no", f"{t.name} 的准入查询尚未通过，不能调动 (pre-hire check not cleared)"))
            continue
        at = t.school.code if t.school_id else None
        last = last_move.get(t.pk)
        for row in sorted(rows, key=lambda r: (r["moved_on"], r.line)):
            if row["from_school"] != at:
                problems.append(table.problem(row.line, "from_school", f"{t.name} 此时在 “{at or '无学校'}”，不在 “{row['from_school']}” "
                                              "(the teacher is at another school on that date)"))
            to = managed_schools.get(row["to_school"])
            if to is not None:
                for reason in check_move(teacher=t, to_school=to, moved_on=row["moved_on"], kind=row["kind"],
                                         from_school_id=managed_schools[at].pk if at in managed_schools else None, last_move_on=last):
                    problems.append(table.problem(row.line, "moved_on" if "日期" in reason else "to_school", reason))
                planned.append((t, row, managed_schools.get(at) if at else None, to))
            at, last = row["to_school"], row["moved_on"]

    def plan():
        ids = []
        for t, row, frm, to in planned:
            m = Move.objects.create(teacher=t, kind=row["kind"], moved_on=row["moved_on"], from_school=frm, to_school=to,
                                    from_county=frm.county if frm else t.county, to_county=to.county, note=row["note"] or "")
            t.school, t.county = to, to.county
            ids.append(m.pk)
        for t in {id(t): t for t, *_ in planned}.values():
            t.save(update_fields=["school", "county"])
        return len(ids), 0, 0, ids

    return plan, problems
