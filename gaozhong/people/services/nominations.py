"""Nominations for a promotion (提拔使用), a title (职称评聘) or an award (评优评先), and their approval: the
one-vote veto refuses both steps for a teacher with an open or in-period sanctioned 师德 record.

Rule: seed 002 §三(二), 对师德失范者在提拔使用、评优评先、职称评聘等方面实行“一票否决”.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from gaozhong.core.audit import audit_record
from gaozhong.core.models import Teacher

from ..models import Nomination, PostRecord
from .common import place_of, require_active, require_bureau, require_write, today
from .profile import LEADER_POSTS
from .veto import veto_check

# Titles from lowest to highest: a title nomination asks for a higher one.
TITLE_ORDER = [Teacher.Title.NONE, Teacher.Title.THIRD, Teacher.Title.SECOND, Teacher.Title.FIRST, Teacher.Title.SENIOR, Teacher.Title.SENIOR_PLUS]
STEP = {Nomination.Kind.PROMOTION: "提拔使用", Nomination.Kind.TITLE: "职称评聘", Nomination.Kind.AWARD: "评优评先"}


def _validate(teacher: Teacher, kind: str, target_title: str, target_post: str, duty: str, award: str) -> None:
    if kind == Nomination.Kind.TITLE:
        if target_title not in TITLE_ORDER:
            raise ValidationError("请选择申报职称 (choose a title)")
        if TITLE_ORDER.index(target_title) <= TITLE_ORDER.index(teacher.title):
            raise ValidationError(f"申报职称须高于现职称（{teacher.get_title_display()}） (the title must be higher)")
    elif kind == Nomination.Kind.PROMOTION:
        if target_post and target_post not in LEADER_POSTS:
            raise ValidationError("拟任岗位只能是校长或副校长 (a promotion is to principal or vice principal)")
        if not target_post and not duty.strip():
            raise ValidationError("请填写拟任岗位或职务 (the post or duty is required)")
        if target_post and target_post == teacher.post and not duty.strip():
            raise ValidationError("已在该岗位 (already in this post)")
    elif kind == Nomination.Kind.AWARD:
        if not award.strip():
            raise ValidationError("请填写奖项名称 (the award is required)")
    else:
        raise ValidationError(f"未知推荐类型 “{kind}” (unknown kind)")


@transaction.atomic
def nominate(*, actor, teacher: Teacher, kind: str, target_title: str = "", target_post: str = "", duty: str = "",
             award: str = "", note: str = "", on: dt.date | None = None) -> Nomination:
    """Put a teacher forward. Refused (:class:`~.veto.VetoRefused`, with the reason and the blocking records)
    when the teacher has an open or, on ``on`` (today), a sanctioned 师德 record; refused for an inactive
    teacher. Rule: seed 002 §三(二) 一票否决."""
    require_write(actor, teacher, "该教师")
    _validate(teacher, kind, target_title, target_post, duty, award)
    require_active(teacher)
    on = on or today()
    veto_check(teacher=teacher, what=STEP[kind], on=on)
    n = Nomination(teacher=teacher, kind=kind, target_title=target_title if kind == Nomination.Kind.TITLE else "",
                   target_post=target_post if kind == Nomination.Kind.PROMOTION else "",
                   duty=duty.strip() if kind == Nomination.Kind.PROMOTION else "",
                   award=award.strip() if kind == Nomination.Kind.AWARD else "", note=note.strip(), submitted_on=on)
    n.full_clean()
    n.save()
    audit_record(actor=actor, action="people.nomination.submitted", obj=n, **place_of(teacher),
                 after={"teacher": teacher.pk, "kind": kind, "target": n.target_label})
    return n


@transaction.atomic
def nomination_decide(*, actor, nomination: Nomination, approve: bool, note: str = "", on: dt.date | None = None) -> Nomination:
    """The bureau approves or rejects a nomination. Approval checks the veto again (a record opened since the
    nomination refuses it) and applies it: a title becomes the teacher's title, a promotion their post (with
    the post history). Rule: seed 002 §三(二) 一票否决."""
    require_bureau(actor)
    teacher = nomination.teacher
    require_write(actor, nomination, "该推荐")
    if nomination.status != Nomination.Status.SUBMITTED:
        raise ValidationError("该推荐已审批 (already decided)")
    on = on or today()
    before = {"status": nomination.status}
    after: dict = {}
    if approve:
        require_active(teacher)
        veto_check(teacher=teacher, what=STEP[nomination.kind], on=on)
        if nomination.kind == Nomination.Kind.TITLE:
            before["title"], after["title"] = teacher.title, nomination.target_title
            teacher.title = nomination.target_title
            teacher.save(update_fields=["title"])
        elif nomination.kind == Nomination.Kind.PROMOTION:
            post = nomination.target_post or teacher.post
            for spell in PostRecord.objects.filter(teacher=teacher, ended_on__isnull=True):
                spell.ended_on = on - dt.timedelta(days=1)
                spell.save(update_fields=["ended_on"])
            if not PostRecord.objects.filter(teacher=teacher).exists():
                PostRecord.objects.create(teacher=teacher, post=teacher.post, started_on=teacher.hire_date,
                                          ended_on=on - dt.timedelta(days=1), note="入职时岗位（建档时补记）")
            PostRecord.objects.create(teacher=teacher, post=post, duty=nomination.duty, started_on=on, note=f"经推荐任职（推荐 {nomination.pk}）")
            before["post"], after["post"] = teacher.post, post
            teacher.post = post
            teacher.save(update_fields=["post"])
    nomination.status = Nomination.Status.APPROVED if approve else Nomination.Status.REJECTED
    nomination.decided_on, nomination.decision_note = on, note.strip()
    nomination.save(update_fields=["status", "decided_on", "decision_note"])
    after["status"] = nomination.status
    audit_record(actor=actor, action=f"people.nomination.{'approved' if approve else 'rejected'}", obj=nomination,
                 **place_of(teacher), before=before, after=after)
    return nomination
