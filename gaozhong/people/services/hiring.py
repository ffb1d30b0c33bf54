"""Hiring a teacher: refused anywhere in the city for a person on the ban list, and inactive until the pre-hire
check (准入查询) is recorded as cleared.

Rule: seed 002 §三(二), 完善教职工准入违法犯罪信息查询制度，实施严重师德师风问题教师全行业禁入制度;
seed 004 §24, 落实教职员工准入查询制度.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gaozhong.core.audit import audit_record
from gaozhong.core.masking import mask_id_number
from gaozhong.core.models import School, Subject, Teacher
from gaozhong.core.scoping import can_write
from gaozhong.importer.idnumber import id_number_problem

from ..models import BannedPerson, HireCheck, Move, PostRecord
from .common import Refused, place_of, require_bureau, require_write, today


class BanRefused(Refused):
    """Refused because the person is on the city-wide ban list; ``records`` holds the ban entry."""


def ban_check(*, id_number: str) -> None:
    """Raise :class:`BanRefused` when ``id_number`` is on the ban list, whichever county recorded it.

    Rule: seed 002 §三(二) 全行业禁入: the list is read whole, whoever hires; the refusal names the date, not
    the case (the case stays with the bureau that decided it).
    """
    ban = BannedPerson.objects.filter(id_number=id_number.strip().upper()).first()
    if ban is not None:
        raise BanRefused(
            f"身份证号 {ban.id_number_masked} 在全市教育系统全行业禁入名单中（{ban.since} 起），不得聘用。"
            " (this person is banned from work in the city's schools)",
            [ban],
        )


@transaction.atomic
def teacher_hire(*, actor, school: School, staff_no: str, name: str, id_number: str, gender: str, hire_date: dt.date,
                 subjects: Sequence[Subject] = (), title: str = Teacher.Title.NONE, post: str = Teacher.Post.TEACHING,
                 is_bianzhi: bool = True) -> Teacher:
    """Hire a teacher at ``school``: refused for a banned 身份证号 anywhere in the city; the new teacher is
    created with a pending 准入查询 and stays inactive until it is cleared (Rule: seed 002 §三(二), 004 §24)."""
    if not can_write(actor, school):
        raise PermissionDenied("无权为该学校聘用教师 (not a school you manage)")
    id_number = id_number.strip()  # judged as written: a lower-case x is refused (GB 11643 writes X)
    problem = id_number_problem(id_number)
    if problem:
        raise ValidationError(f"身份证号有误：{problem}")
    ban_check(id_number=id_number)
    if post in (Teacher.Post.PRINCIPAL, Teacher.Post.VICE_PRINCIPAL):
        raise ValidationError("校长、副校长不能直接聘用，请先聘为教师再走任职程序 (appoint leaders through a promotion)")
    if Teacher.objects.filter(staff_no=staff_no.strip()).exists():
        raise ValidationError(f"教职工号 {staff_no} 已被使用 (staff number in use)")
    if Teacher.objects.filter(id_number=id_number).exists():
        raise ValidationError("该身份证号已登记为本市教师，调入请走调动流程 (already a teacher of the city: record a move)")
    if hire_date > today() + dt.timedelta(days=366):
        raise ValidationError("入职日期过远 (hire date too far ahead)")
    t = Teacher(school=school, county=school.county, staff_no=staff_no.strip(), name=name.strip(), id_number=id_number, gender=gender,
                title=title, post=post, hire_date=hire_date, is_bianzhi=is_bianzhi)
    t.full_clean()
    try:
        with transaction.atomic():
            t.save()
    except IntegrityError:  # another hire of this 身份证号 committed after the checks above (uniq_teacher_id_number)
        raise ValidationError("该身份证号已登记为本市教师，调入请走调动流程 (already a teacher of the city: record a move)") from None
    t.subjects.set(subjects)
    check = HireCheck.objects.create(teacher=t, requested_on=today())
    Move.objects.create(teacher=t, kind=Move.Kind.HIRE, moved_on=hire_date, to_school=school, to_county=school.county)
    PostRecord.objects.create(teacher=t, post=post, started_on=hire_date)
    audit_record(actor=actor, action="people.teacher.hired", obj=t, **place_of(t),
                 after={"staff_no": t.staff_no, "name": t.name, "id_number": mask_id_number(id_number), "school": school.pk,
                        "hire_date": hire_date, "subjects": [s.pk for s in subjects], "hire_check": check.pk})
    return t


@transaction.atomic
def hire_check_record(*, actor, check: HireCheck, cleared: bool, checked_on: dt.date, reference: str, note: str = "") -> HireCheck:
    """Record the outcome of a 准入查询 (the bureau queries the records and enters the receipt number). Cleared:
    the teacher becomes active. Not cleared: the teacher stays inactive. A cleared check is final.
    Rule: seed 004 §24 落实教职员工准入查询制度."""
    require_bureau(actor)
    require_write(actor, check.teacher, "该教师的准入查询")
    if check.status == HireCheck.Status.CLEARED:
        raise ValidationError("该准入查询已通过，不能更改 (already cleared)")
    if not reference.strip():
        raise ValidationError("请填写查询回执编号 (the receipt number is required)")
    if checked_on > today() or checked_on < check.requested_on:
        raise ValidationError("查询日期须在申请日期与今天之间 (date between the request and today)")
    before = {"status": check.status}
    check.status = HireCheck.Status.CLEARED if cleared else HireCheck.Status.NOT_CLEARED
    check.checked_on, check.reference, check.note = checked_on, reference.strip(), note.strip()
    check.save()
    audit_record(actor=actor, action="people.hire_check.recorded", obj=check, **place_of(check.teacher), before=before,
                 after={"status": check.status, "checked_on": checked_on, "reference": check.reference})
    return check
