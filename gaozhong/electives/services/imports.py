"""Imports of a selection window: students' choices, rooms, the weekly plan and teachers' limits. The whole file
is checked (cells by the importer, then every reference against the window's school and grade), then written in
one transaction with one audit row, or nothing is written.

Rows replace what the window holds for the same student, room, subject or teacher; nothing else is deleted.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from gaozhong.common.errors import Problem
from gaozhong.core.masking import mask_student_no
from gaozhong.core.models import Subject, Teacher
from gaozhong.core.scoping import can_write, scope_of
from gaozhong.core.services.imports import ImportOutcome, run_table_import
from gaozhong.electives.engine.types import Calendar

from ..casebuild import parse_slots, window_classes, window_students
from ..importspecs import SPECS
from ..models import Choice, Room, SubjectPlan, TeacherLimit, Window
from ..rules import NAMES, canonical, check_combination
from .common import STAFF_ROLES

Progress = Callable[[float, str], None]
CODE_OF = {name: code for code, name in NAMES.items()}


def may_import(user, window: Window) -> bool:
    return scope_of(user).role in STAFF_ROLES and can_write(user, window)


def electives_import(*, actor, window: Window, kind: str, data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """Check and write one import file of ``kind`` (choices, rooms, plan, limits) for ``window``."""
    if kind not in SPECS:
        raise ValueError(f"unknown import {kind!r}")
    if not may_import(actor, window):
        raise PermissionDenied("无权导入此选课窗口的数据 (you may not import into this window)")
    checker = {"choices": _choices, "rooms": _rooms, "plan": _plan, "limits": _limits}[kind]
    return run_table_import(actor=actor, action=f"electives.{kind}.imported", kind=kind, spec=SPECS[kind],
                            checker=lambda a, table: checker(window, a, table), data=data, filename=filename, progress=progress)


def _upsert(model, key: dict, values: dict) -> tuple[int, int, int, int]:
    obj = model.objects.filter(**key).first()
    if obj is None:
        obj = model.objects.create(**key, **values)
        return 1, 0, 0, obj.pk
    if all(getattr(obj, k) == v for k, v in values.items()):
        return 0, 0, 1, obj.pk
    for k, v in values.items():
        setattr(obj, k, v)
    obj.save()
    return 0, 1, 0, obj.pk


def _plan_of(rows: list[tuple[type, dict, dict]]):
    def plan():
        totals = [0, 0, 0]
        ids = []
        for model, key, values in rows:
            c, u, n, pk = _upsert(model, key, values)
            totals[0] += c
            totals[1] += u
            totals[2] += n
            ids.append(pk)
        return totals[0], totals[1], totals[2], ids
    return plan


def _choices(window: Window, actor, table):
    problems: list[Problem] = []
    students = {s.student_no: s for s in window_students(window)}
    rows = []
    for row in table.rows:
        st = students.get(row["student_no"])
        if st is None:
            problems.append(table.problem(row.line, "student_no", f"学籍号 “{mask_student_no(row['student_no'])}” 不是本窗口年级的在籍学生 (not a student of this grade)"))
        parts = [p.strip() for p in re.split(r"[;；、,，/ ]+", row["electives"]) if p.strip()]
        codes = [CODE_OF.get(p, p.upper()) for p in parts]
        why = check_combination(codes)
        if why:
            problems.append(table.problem(row.line, "electives", f"“{row['electives']}”：" + "；".join(why)))
        elif st is not None:
            rows.append((Choice, {"window": window, "student": st}, {"electives": ";".join(canonical(codes)), "updated_by": actor}))
    return _plan_of(rows), problems


def _rooms(window: Window, actor, table):
    problems: list[Problem] = []
    classes = {ac.number: ac for ac in window_classes(window)}
    existing = {r.code: r for r in Room.objects.filter(school=window.school)}
    homes_in_file: dict[int, int] = {}
    rows = []
    for row in table.rows:
        ac = None
        if row["home_class"] is not None:
            ac = classes.get(row["home_class"])
            if ac is None:
                problems.append(table.problem(row.line, "home_class", f"本年级没有 {row['home_class']} 班 (no such admin class in this grade)"))
            elif row["home_class"] in homes_in_file:
                problems.append(table.problem(row.line, "home_class", f"{ac.name} 已在第 {homes_in_file[row['home_class']]} 行有教室 (class has a home room already)"))
            else:
                homes_in_file[row["home_class"]] = row.line
                other = Room.objects.filter(admin_class=ac).exclude(school=window.school, code=row["code"]).first()
                if other is not None and other.code not in {r["code"] for r in table.rows}:
                    problems.append(table.problem(row.line, "home_class", f"{ac.name} 的教室已是 {other.code}；请先在文件中一并修改 {other.code} "
                                                  "(the class already has another home room)"))
        values = {"room_type": row["room_type"], "capacity": row["capacity"], "admin_class": ac}
        if ac is None and row["code"] in existing and existing[row["code"]].admin_class_id:
            # A row without a class frees a home room only for classes of this window's grade and year.
            old = existing[row["code"]].admin_class
            if not (old.school_year_id == window.school_year_id and old.grade == window.grade):
                values["admin_class"] = old
        rows.append((Room, {"school": window.school, "code": row["code"]}, values))
    # Free home rooms first, so that swapping rooms between classes in one file does not collide; a room counts
    # as updated only when it differs from what it was before the import.
    def plan():
        was = {r.code: (r.room_type, r.capacity, r.admin_class_id) for r in Room.objects.filter(school=window.school)}
        Room.objects.filter(school=window.school, code__in=[r["code"] for r in table.rows], admin_class__in=list(classes.values())).update(admin_class=None)
        created = updated = unchanged = 0
        ids = []
        for _, key, values in rows:
            obj = Room.objects.filter(**key).first()
            if obj is None:
                obj = Room.objects.create(**key, **values)
                created += 1
            else:
                for k, v in values.items():
                    setattr(obj, k, v)
                obj.save()
                if was[obj.code] == (obj.room_type, obj.capacity, obj.admin_class_id):
                    unchanged += 1
                else:
                    updated += 1
            ids.append(obj.pk)
        return created, updated, unchanged, ids
    return plan, problems


def _plan(window: Window, actor, table):
    problems: list[Problem] = []
    subjects = {s.code: s for s in Subject.objects.all()}
    rows = []
    for row in table.rows:
        s = subjects.get(row["subject"].upper())
        if s is None:
            problems.append(table.problem(row.line, "subject", f"科目代码 “{row['subject']}” 不存在 (no such subject)"))
            continue
        core = row["track"] == "core"
        if not core and row["room_type"] == "home":
            problems.append(table.problem(row.line, "room_type", "选考科目不能在行政班教室上 (home is for core subjects only)"))
        if not core and s.code not in NAMES:
            problems.append(table.problem(row.line, "track", f"{s.name} 不是 3+1+2 的选考科目 (not one of the six electives)"))
        if core and s.code in NAMES:
            problems.append(table.problem(row.line, "track", f"{s.name} 是选考科目，类别须为选考 (an elective subject)"))
        if core and row["xuekao_periods"]:
            problems.append(table.problem(row.line, "xuekao_periods", "必修科目没有学考班，请留空 (core subjects have no 学考 class)"))
        rows.append((SubjectPlan, {"window": window, "subject": s},
                     {"track": row["track"], "periods": row["periods"], "xuekao_periods": row["xuekao_periods"] or 0,
                      "room_type": row["room_type"], "max_class_size": row["max_class_size"]}))
    return _plan_of(rows), problems


def _limits(window: Window, actor, table):
    problems: list[Problem] = []
    teachers = {t.staff_no: t for t in Teacher.objects.filter(school=window.school)}
    cal = Calendar(window.days, window.periods_per_day, frozenset(), window.max_per_day)
    rows = []
    for row in table.rows:
        t = teachers.get(row["staff_no"])
        if t is None:
            problems.append(table.problem(row.line, "staff_no", f"教职工号 “{row['staff_no']}” 不是本校教师 (not a teacher of this school)"))
        slots, bad = parse_slots(row["unavailable"] or "", cal)
        for b in bad:
            problems.append(table.problem(row.line, "unavailable", b))
        if t is not None and not bad:
            text = ";".join(cal.label(x) for x in sorted(slots))
            rows.append((TeacherLimit, {"window": window, "teacher": t}, {"max_periods": row["max_periods"], "unavailable": text}))
    return _plan_of(rows), problems
