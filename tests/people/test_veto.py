"""Part 2, the one-vote veto in the workflow (seed 002 §三(二)): promotion, title and award nominations and
their approval are refused, with the reason and the record, for an open or an in-period sanctioned record;
an expired or dismissed record does not block. Each refusal changes nothing and writes no audit row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, Teacher
from gaozhong.people.models import Nomination, PostRecord
from gaozhong.people.services.nominations import nominate, nomination_decide
from gaozhong.people.services.veto import VetoRefused, veto_blockers

from .factories import ethics

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 1)
KINDS = {
    "title": {"kind": "title", "target_title": "高级"},
    "award": {"kind": "award", "award": "市级优秀教师"},
    "promotion": {"kind": "promotion", "target_post": "副校长"},
}


def _rows():
    return (AuditEvent.objects.count(), list(Nomination.objects.order_by("pk").values_list("status", "decided_on")), PostRecord.objects.count(),
            list(Teacher.objects.order_by("pk").values_list("post", "title")))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_open_record_refuses_every_nomination(world, kind):
    rec = ethics(world.a.teacher)
    before = _rows()
    with pytest.raises(VetoRefused) as exc:
        nominate(actor=world.a.school_user, teacher=world.a.teacher, on=ON, **KINDS[kind])
    assert exc.value.records == [rec]
    reason = exc.value.reason
    assert "一票否决" in reason and rec.number in reason and "调查处理中" in reason
    assert {"title": "职称评聘", "award": "评优评先", "promotion": "提拔使用"}[kind] in reason
    assert _rows() == before


@pytest.mark.parametrize("start,end,on,blocked", [
    (dt.date(2025, 6, 1), dt.date(2026, 5, 31), dt.date(2026, 5, 31), True),  # last day of the period
    (dt.date(2025, 6, 1), dt.date(2026, 5, 31), dt.date(2026, 6, 1), False),  # the day after
    (dt.date(2025, 6, 1), dt.date(2026, 5, 31), dt.date(2025, 5, 31), False),  # before it starts
    (dt.date(2025, 6, 1), None, dt.date(2040, 1, 1), True),  # lasting
])
def test_a_sanction_refuses_within_its_period_only(world, start, end, on, blocked):
    rec = ethics(world.a.teacher, status="sanctioned", start=start, end=end)
    if blocked:
        with pytest.raises(VetoRefused) as exc:
            nominate(actor=world.a.school_user, teacher=world.a.teacher, on=on, **KINDS["title"])
        assert rec.number in exc.value.reason and "影响期" in exc.value.reason
        assert not Nomination.objects.exists()
    else:
        n = AuditEvent.objects.count()
        nominate(actor=world.a.school_user, teacher=world.a.teacher, on=on, **KINDS["title"])
        assert Nomination.objects.count() == 1 and AuditEvent.objects.count() == n + 1


def test_a_dismissed_record_does_not_block(world):
    ethics(world.a.teacher, status="dismissed")
    assert veto_blockers(teacher=world.a.teacher, on=ON) == []
    nominate(actor=world.a.school_user, teacher=world.a.teacher, on=ON, **KINDS["award"])
    assert Nomination.objects.get().status == "submitted"


def test_another_teachers_record_does_not_block(world):
    ethics(world.b.teacher)
    nominate(actor=world.a.school_user, teacher=world.a.teacher, on=ON, **KINDS["award"])
    assert Nomination.objects.count() == 1


class TestNominate:
    def test_it_writes_one_audit_row(self, world):
        n = AuditEvent.objects.count()
        nom = nominate(actor=world.a.school_user, teacher=world.a.teacher, on=ON, **KINDS["title"])
        assert AuditEvent.objects.count() == n + 1
        e = AuditEvent.objects.latest("id")
        assert (e.action, e.object_id, e.after["target"]) == ("people.nomination.submitted", str(nom.pk), "高级教师")

    @pytest.mark.parametrize("who", ["county_user", "school_user", "teacher_user", "student_user"])
    def test_it_changes_nothing_when_refused(self, world, who):
        before = _rows()
        with pytest.raises(PermissionDenied):
            nominate(actor=getattr(world.a, who), teacher=world.b.teacher, on=ON, **KINDS["title"])
        assert _rows() == before

    def test_a_title_must_be_higher(self, world):
        Teacher.objects.filter(pk=world.a.teacher.pk).update(title="高级")
        world.a.teacher.refresh_from_db()
        before = _rows()
        with pytest.raises(ValidationError):
            nominate(actor=world.a.school_user, teacher=world.a.teacher, on=ON, kind="title", target_title="一级")
        assert _rows() == before


class TestDecide:
    def test_it_writes_one_audit_row_and_applies_the_title(self, world):
        nom = nominate(actor=world.a.school_user, teacher=world.a.teacher, on=ON, **KINDS["title"])
        n = AuditEvent.objects.count()
        nomination_decide(actor=world.a.county_user, nomination=nom, approve=True, note="同意", on=ON)
        assert AuditEvent.objects.count() == n + 1
        e = AuditEvent.objects.latest("id")
        assert e.action == "people.nomination.approved" and e.before["title"] == "未定级" and e.after["title"] == "高级"
        world.a.teacher.refresh_from_db()
        assert world.a.teacher.title == "高级"

    def test_an_approved_promotion_becomes_the_post_with_history(self, world):
        nom = nominate(actor=world.a.school_user, teacher=world.a.teacher, on=ON, **KINDS["promotion"])
        nomination_decide(actor=world.a.county_user, nomination=nom, approve=True, on=ON)
        world.a.teacher.refresh_from_db()
        assert world.a.teacher.post == "副校长"
        assert list(PostRecord.objects.filter(teacher=world.a.teacher).order_by("started_on").values_list("post", "ended_on")) == [
            ("专任教师", ON - dt.timedelta(days=1)), ("副校长", None)]

    @pytest.mark.parametrize("who", ["county_user", "school_user", "teacher_user", "student_user"])
    def test_it_changes_nothing_when_refused(self, world, who):
        nom = nominate(actor=world.b.school_user, teacher=world.b.teacher, on=ON, **KINDS["title"])
        before = _rows()
        with pytest.raises(PermissionDenied):
            nomination_decide(actor=getattr(world.a, who), nomination=nom, approve=True, on=ON)
        assert _rows() == before

    def test_the_school_does_not_approve_its_own_nomination(self, world):
        nom = nominate(actor=world.a.school_user, teacher=world.a.teacher, on=ON, **KINDS["title"])
        before = _rows()
        with pytest.raises(PermissionDenied):
            nomination_decide(actor=world.a.school_user, nomination=nom, approve=True, on=ON)
        assert _rows() == before

    @pytest.mark.parametrize("kind", sorted(KINDS))
    def test_a_record_opened_after_the_nomination_refuses_the_approval(self, world, kind):
        nom = nominate(actor=world.a.school_user, teacher=world.a.teacher, on=ON, **KINDS[kind])
        rec = ethics(world.a.teacher)
        before = _rows()
        with pytest.raises(VetoRefused) as exc:
            nomination_decide(actor=world.a.county_user, nomination=nom, approve=True, on=ON)
        assert exc.value.records == [rec]
        assert _rows() == before
        # a rejection is still possible
        nomination_decide(actor=world.a.county_user, nomination=nom, approve=False, note="师德问题", on=ON)
        assert Nomination.objects.get().status == "rejected"


def test_the_nomination_page_shows_the_refusal_with_the_record_and_audits_that_view(world):
    rec = ethics(world.a.teacher)
    c = Client()
    c.force_login(world.a.school_user)
    n = AuditEvent.objects.count()
    r = c.post(reverse("people_nominate", kwargs={"pk": world.a.teacher.pk}), {"kind": "title", "target_title": "一级", "note": "教学突出"})
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="refusal"' in body
    assert "师德一票否决" in body and rec.number in body and "有偿补课" in body
    assert not Nomination.objects.exists()
    rows = list(AuditEvent.objects.filter(id__gt=0).order_by("id"))[n:]
    assert [(e.action, e.after) for e in rows] == [("people.ethics.viewed", {"page": "veto-refusal", "ids": [rec.pk]})]


def test_the_nomination_page_submits_when_nothing_blocks(world):
    c = Client()
    c.force_login(world.a.school_user)
    r = c.post(reverse("people_nominate", kwargs={"pk": world.a.teacher.pk}), {"kind": "award", "award": "县级优秀教师"})
    assert r.status_code == 302 and Nomination.objects.get().award == "县级优秀教师"
