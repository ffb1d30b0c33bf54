"""Moves between schools (交流轮岗 and ordinary transfers): the one service that changes ``Teacher.school`` for
the people app and records the move in the teacher's school history.

Rule: seed 003 §三(五) 校长和教师交流 (县管校聘: the county bureau moves its teachers among its schools; the
city bureau also across counties); seed 002 §三(三) 规范县中教师流动管理.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gaozhong.core.audit import audit_record
from gaozhong.core.models import School, Teacher
from gaozhong.core.scoping import can_write

from ..models import Move
from .common import require_active, require_bureau, require_write, today


def check_move(*, teacher: Teacher, to_school: School, moved_on: dt.date, kind: str, from_school_id: int | None,
               last_move_on: dt.date | None) -> list[str]:
    """Why a move of ``teacher`` from ``from_school_id`` cannot be recorded (empty when it can); shared by the
    form and the import so both refuse the same things."""
    problems = []
    if kind not in (Move.Kind.ROTATION, Move.Kind.TRANSFER):
        problems.append("类型须为交流轮岗或调动 (kind must be rotation or transfer)")
    if to_school.pk == from_school_id:
        problems.append("调入学校与当前学校相同 (already at that school)")
    if moved_on > today():
        problems.append("调动日期不能晚于今天 (date is in the future)")
    if moved_on < teacher.hire_date:
        problems.append(f"调动日期早于入职日期 {teacher.hire_date} (before the hire date)")
    if last_move_on is not None and moved_on < last_move_on:
        problems.append(f"调动日期早于上一次调动 {last_move_on} (before the previous move)")
    return problems


@transaction.atomic
def teacher_move(*, actor, teacher: Teacher, to_school: School, moved_on: dt.date, kind: str = Move.Kind.ROTATION, note: str = "") -> Move:
    """Move a teacher to ``to_school`` on ``moved_on``: records the move and sets the teacher's school (and
    county). The bureau decides: a county moves among its own schools, the city anywhere. Rule: seed 003 §三(五)."""
    require_bureau(actor)
    require_write(actor, teacher, "该教师")
    if not can_write(actor, to_school):
        raise PermissionDenied("调入学校不在您的管辖范围内 (the destination is not a school you manage)")
    require_active(teacher)
    last = Move.objects.filter(teacher=teacher).order_by("-moved_on", "-id").first()
    problems = check_move(teacher=teacher, to_school=to_school, moved_on=moved_on, kind=kind, from_school_id=teacher.school_id,
                          last_move_on=last.moved_on if last else None)
    if problems:
        raise ValidationError(problems)
    before = {"school": teacher.school_id, "county": teacher.county_id}
    move = Move.objects.create(teacher=teacher, kind=kind, moved_on=moved_on, from_school_id=teacher.school_id, to_school=to_school,
                               from_county_id=teacher.school.county_id if teacher.school_id else teacher.county_id,
                               to_county=to_school.county, note=note.strip())
    teacher.school, teacher.county = to_school, to_school.county
    teacher.save(update_fields=["school", "county"])
    audit_record(actor=actor, action="people.teacher.moved", obj=teacher, county_id=move.from_county_id, school_id=move.from_school_id,
                 before=before, after={"school": to_school.pk, "county": to_school.county_id, "kind": kind, "moved_on": moved_on, "move": move.pk})
    return move
