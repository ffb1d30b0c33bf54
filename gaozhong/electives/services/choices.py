"""A student's choice of electives (选科), set by the student while the window is open or by the school's staff,
each change audited with its before and after. Rule: seed 000 §二, 001 §二 (3+1+2 选课走班)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gaozhong.core.audit import audit_record
from gaozhong.core.models import Role, Student
from gaozhong.core.scoping import scope_of

from ..casebuild import window_students
from ..models import Choice, Window
from ..rules import canonical, check_combination
from .common import Refused, place, require_staff_write


def choice_problems(window: Window, student: Student, codes: list[str]) -> list[str]:
    """Why ``codes`` cannot be ``student``'s choice in ``window`` (empty when it can)."""
    problems = check_combination(codes)
    if not window_students(window).filter(pk=student.pk).exists():
        problems.append(f"学生 {student.name} {student.student_no_masked} 不是本窗口年级的在籍学生 (not a student of this grade)")
    return problems


@transaction.atomic
def choice_set(*, actor, window: Window, student: Student, codes: list[str]) -> Choice:
    """Record ``student``'s three electives. A student changes only their own, and only before the deadline;
    staff of the school may set any student's at any time (an import or a correction), audited the same way."""
    scope = scope_of(actor)
    if scope.role == Role.STUDENT:
        if scope.student_id != student.pk:
            raise PermissionDenied("只能填报本人的选科 (you may choose only for yourself)")
        if not window.is_open:
            raise Refused([f"选课已于 {window.closes_at:%Y-%m-%d %H:%M} 截止 (the window is closed)"])
    else:
        require_staff_write(actor, window, "该选课窗口")
    problems = choice_problems(window, student, codes)
    if problems:
        raise Refused(problems)
    value = ";".join(canonical(codes))
    choice = Choice.objects.select_for_update().filter(window=window, student=student).first()
    before = choice.electives if choice else None
    if choice is None:
        choice = Choice.objects.create(window=window, student=student, electives=value, updated_by=actor)
    elif choice.electives != value:
        choice.electives, choice.updated_by = value, actor
        choice.save(update_fields=["electives", "updated_by", "updated_at"])
    else:
        return choice
    audit_record(actor=actor, action="electives.choice.set", obj=choice, object_repr=f"{student.name} {student.student_no_masked}", **place(window),
                 before={"electives": before} if before else None, after={"electives": value, "window": window.pk})
    return choice
