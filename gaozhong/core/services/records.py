"""Edits of single records: schools, students, teachers, and the account password."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gaozhong.core.audit import audit_record, model_update
from gaozhong.core.models import Role, School, Student, Teacher
from gaozhong.core.scoping import can_write, scope_of

SCHOOL_EDITABLE = ["name", "ownership", "quality", "founded_year", "address"]
STUDENT_EDITABLE = ["name", "gender", "birth_date", "status", "admin_class"]
# 职称 and 岗位 change only through the people app's nomination and post-change workflows, which enforce the
# 师德 one-vote veto (seed 002 §三(二)); they are not editable here.
TEACHER_EDITABLE = ["name", "gender", "is_bianzhi"]


def _require_write(actor, obj) -> None:
    if not can_write(actor, obj):
        raise PermissionDenied("无修改权限 (you may not change this record)")


@transaction.atomic
def school_update(*, actor, school: School, data: dict[str, Any]) -> bool:
    """Change a school's editable fields. Quality level (办学等级) may be changed by city staff only, because it
    decides where 指标到校 applies (Rule: seed 002 §三(一))."""
    _require_write(actor, school)
    if "quality" in data and data["quality"] != school.quality and scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("办学等级只能由市教育局修改 (only the city bureau changes a school's quality level)")
    changed, before, after = model_update(instance=school, fields=SCHOOL_EDITABLE, data=data)
    if changed:
        audit_record(actor=actor, action="core.school.updated", obj=school, before=before, after=after)
    return changed


@transaction.atomic
def student_update(*, actor, student: Student, data: dict[str, Any]) -> bool:
    """Change a student's editable fields; a new admin class must be of the student's own school."""
    _require_write(actor, student)
    new_class = data.get("admin_class")
    if new_class is not None and new_class.school_id != student.school_id:
        raise PermissionDenied("不能编入其他学校的班级 (a class of another school)")
    changed, before, after = model_update(instance=student, fields=STUDENT_EDITABLE, data=data)
    if changed:
        audit_record(actor=actor, action="core.student.updated", obj=student, before=before, after=after)
    return changed


@transaction.atomic
def teacher_update(*, actor, teacher: Teacher, data: dict[str, Any]) -> bool:
    """Change a teacher's editable fields (not 职称 or 岗位: see TEACHER_EDITABLE)."""
    _require_write(actor, teacher)
    if any(k in data and data[k] != getattr(teacher, k) for k in ("title", "post")):
        raise PermissionDenied("职称和岗位只能通过评聘/任用流程变更 (title and post change through the nomination workflow)")
    changed, before, after = model_update(instance=teacher, fields=TEACHER_EDITABLE, data=data)
    if changed:
        audit_record(actor=actor, action="core.teacher.updated", obj=teacher, before=before, after=after)
    return changed


@transaction.atomic
def password_change_locked(*, actor) -> None:
    """Record that the password-change form locked after too many wrong current passwords."""
    audit_record(actor=actor, action="core.user.password_change_locked", obj=actor, object_repr=actor.get_username())


def password_change(*, actor, new_password: str) -> None:
    """A user changes their own password (validated by the password rules)."""
    from django.contrib.auth.password_validation import validate_password

    validate_password(new_password, user=actor)
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit_record(actor=actor, action="core.user.password_changed", obj=actor, object_repr=actor.get_username())
