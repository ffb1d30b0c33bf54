"""Profile writes: a qualification, a change of post (with the post history kept), and the leadership posts
the veto guards."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gaozhong.core.audit import audit_record
from gaozhong.core.models import Teacher
from gaozhong.core.scoping import scope_of

from ..models import PostRecord, Qualification
from .common import BUREAU_ROLES, place_of, require_active, require_write, today
from .veto import veto_check

#: Posts a teacher is promoted into (提拔使用); appointing one is a bureau decision and subject to the veto.
LEADER_POSTS = (Teacher.Post.PRINCIPAL, Teacher.Post.VICE_PRINCIPAL)


@transaction.atomic
def qualification_add(*, actor, teacher: Teacher, kind: str, name: str, obtained_on: dt.date, institution: str = "",
                      major: str = "", certificate_no: str = "") -> Qualification:
    """Add a degree, a teacher's certificate (教师资格) or another certificate to a teacher's profile."""
    require_write(actor, teacher, "该教师的档案")
    if obtained_on > today():
        raise ValidationError("取得日期不能晚于今天 (date is in the future)")
    q = Qualification(teacher=teacher, kind=kind, name=name.strip(), institution=institution.strip(), major=major.strip(),
                      obtained_on=obtained_on, certificate_no=certificate_no.strip())
    q.full_clean()
    q.save()
    audit_record(actor=actor, action="people.qualification.added", obj=q, **place_of(teacher),
                 after={"teacher": teacher.pk, "kind": kind, "name": q.name, "obtained_on": obtained_on})
    return q


@transaction.atomic
def post_change(*, actor, teacher: Teacher, post: str, started_on: dt.date, duty: str = "", note: str = "") -> PostRecord:
    """Move a teacher to a new post or duty from ``started_on``: the current spell ends the day before, a new
    one starts, and ``Teacher.post`` follows. A teacher with no history gets the spell since the hire date first.

    Appointing a principal or vice principal is a promotion (提拔使用): only the bureau may do it, and the
    one-vote veto applies (Rule: seed 002 §三(二)).
    """
    require_write(actor, teacher, "该教师的岗位")
    promoting = post in LEADER_POSTS and post != teacher.post
    if promoting and scope_of(actor).role not in BUREAU_ROLES:
        raise PermissionDenied("校长、副校长任职须由教育局办理 (only the bureau appoints principals)")
    if post not in Teacher.Post.values:
        raise ValidationError(f"未知岗位 “{post}” (unknown post)")
    require_active(teacher)
    if promoting:
        veto_check(teacher=teacher, what="提拔使用", on=started_on)
    history = list(PostRecord.objects.select_for_update().filter(teacher=teacher).order_by("started_on", "id"))
    if started_on < teacher.hire_date or (history and started_on <= history[-1].started_on):
        raise ValidationError("起始日期须晚于入职日期和上一段岗位的起始日期 (the new spell must start after the previous one)")
    if started_on > today():
        raise ValidationError("起始日期不能晚于今天 (date is in the future)")
    if post == teacher.post and duty.strip() == (history[-1].duty if history else ""):
        raise ValidationError("岗位和职务都没有变化 (nothing changes)")
    if not history:
        history.append(PostRecord.objects.create(teacher=teacher, post=teacher.post, started_on=teacher.hire_date,
                                                 note="入职时岗位（建档时补记）"))
    for spell in history:
        if spell.ended_on is None:
            spell.ended_on = started_on - dt.timedelta(days=1)
            spell.save(update_fields=["ended_on"])
    rec = PostRecord.objects.create(teacher=teacher, post=post, duty=duty.strip(), started_on=started_on, note=note.strip())
    before = {"post": teacher.post}
    if teacher.post != post:
        teacher.post = post
        teacher.save(update_fields=["post"])
    audit_record(actor=actor, action="people.post.changed", obj=teacher, **place_of(teacher), before=before,
                 after={"post": post, "duty": rec.duty, "started_on": started_on, "record": rec.pk})
    return rec
