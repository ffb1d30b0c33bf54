"""Part 2, 师德 records: opening, the bureau's decision, the ban list; who sees records (city, the teacher's
county and school; never teachers or students) and one audit row for every page that shows them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent
from gaozhong.core.scoping import visible
from gaozhong.people.models import BannedPerson, EthicsRecord
from gaozhong.people.services.ethics import ban_add, ethics_record_decide, ethics_record_open

from .factories import ethics, idn

pytestmark = pytest.mark.django_db


def _rows():
    return (AuditEvent.objects.count(), BannedPerson.objects.count(),
            list(EthicsRecord.objects.order_by("pk").values_list("status", "sanction", "period_start", "period_end", "decision_note")))


class TestEthicsOpen:
    def test_it_writes_one_audit_row(self, world):
        n = AuditEvent.objects.count()
        rec = ethics_record_open(actor=world.a.school_user, teacher=world.a.teacher, category="outside_job", occurred_on=dt.date(2025, 5, 1),
                                 summary="在培训机构兼职")
        assert AuditEvent.objects.count() == n + 1
        e = AuditEvent.objects.latest("id")
        assert (e.action, e.object_id, e.school_id) == ("people.ethics.opened", str(rec.pk), world.a.school.pk)
        assert rec.status == "open"

    @pytest.mark.parametrize("who", ["county_user", "school_user", "teacher_user", "student_user"])
    def test_it_changes_nothing_when_refused(self, world, who):
        before = _rows()
        with pytest.raises(PermissionDenied):
            ethics_record_open(actor=getattr(world.a, who), teacher=world.b.teacher, category="other", occurred_on=dt.date(2025, 5, 1), summary="x")
        assert _rows() == before

    def test_a_teacher_cannot_report_even_at_their_school(self, world):
        before = _rows()
        with pytest.raises(PermissionDenied):
            ethics_record_open(actor=world.a.teacher_user, teacher=world.a.teacher, category="other", occurred_on=dt.date(2025, 5, 1), summary="x")
        assert _rows() == before


class TestEthicsDecide:
    def test_it_writes_one_audit_row(self, world):
        rec = ethics(world.a.teacher)
        n = AuditEvent.objects.count()
        ethics_record_decide(actor=world.a.county_user, record=rec, decision="sanctioned", sanction="demerit", period_start=dt.date(2025, 6, 1),
                             period_end=dt.date(2026, 5, 31), note="经查属实")
        assert AuditEvent.objects.count() == n + 1
        e = AuditEvent.objects.latest("id")
        assert e.action == "people.ethics.decided" and e.before == {"status": "open"} and e.after["period_end"] == "2026-05-31"
        rec.refresh_from_db()
        assert (rec.status, rec.sanction) == ("sanctioned", "demerit")

    @pytest.mark.parametrize("who", ["county_user", "school_user", "teacher_user", "student_user"])
    def test_it_changes_nothing_when_refused(self, world, who):
        rec = ethics(world.b.teacher)
        before = _rows()
        with pytest.raises(PermissionDenied):
            ethics_record_decide(actor=getattr(world.a, who), record=rec, decision="dismissed", note="x")
        assert _rows() == before

    def test_the_school_reports_but_does_not_decide(self, world):
        rec = ethics(world.a.teacher)
        before = _rows()
        with pytest.raises(PermissionDenied):
            ethics_record_decide(actor=world.a.school_user, record=rec, decision="dismissed", note="x")
        assert _rows() == before

    def test_a_decided_record_is_not_decided_again(self, world):
        rec = ethics(world.a.teacher)
        ethics_record_decide(actor=world.a.county_user, record=rec, decision="dismissed", note="经查不实")
        before = _rows()
        with pytest.raises(ValidationError):
            ethics_record_decide(actor=world.city_user, record=rec, decision="sanctioned", sanction="warning", period_start=dt.date(2025, 1, 1), note="x")
        assert _rows() == before

    def test_only_the_city_bans_and_the_ban_comes_with_the_decision(self, world):
        rec = ethics(world.a.teacher)
        before = _rows()
        with pytest.raises(PermissionDenied):
            ethics_record_decide(actor=world.a.county_user, record=rec, decision="sanctioned", sanction="dismissal",
                                 period_start=dt.date(2025, 6, 1), note="开除", ban=True)
        assert _rows() == before
        n = AuditEvent.objects.count()
        ethics_record_decide(actor=world.city_user, record=rec, decision="sanctioned", sanction="dismissal", period_start=dt.date(2025, 6, 1),
                             note="开除并禁入", ban=True)
        assert AuditEvent.objects.count() == n + 1
        assert BannedPerson.objects.get().id_number == world.a.teacher.id_number


class TestBanAdd:
    def test_it_writes_one_audit_row(self, world):
        n = AuditEvent.objects.count()
        b = ban_add(actor=world.city_user, id_number=idn(7, born="19800101"), name="某某", since=dt.date(2024, 1, 1), reason="判刑")
        assert AuditEvent.objects.count() == n + 1 and AuditEvent.objects.latest("id").action == "people.ban.added"
        assert b.id_number not in str(AuditEvent.objects.latest("id").after)  # stored masked

    @pytest.mark.parametrize("who", ["county_user", "school_user", "teacher_user", "student_user"])
    def test_it_changes_nothing_when_refused(self, world, who):
        before = _rows()
        with pytest.raises(PermissionDenied):
            ban_add(actor=getattr(world.a, who), id_number=idn(7, born="19800101"), name="某某", since=dt.date(2024, 1, 1), reason="判刑")
        assert _rows() == before

    def test_an_invalid_id_number_is_refused(self, world):
        before = _rows()
        with pytest.raises(ValidationError):
            ban_add(actor=world.city_user, id_number="149901198001010000", name="某某", since=dt.date(2024, 1, 1), reason="x")
        assert _rows() == before


def test_who_sees_records(world):
    ra, rb = ethics(world.a.teacher), ethics(world.b.teacher)
    assert set(visible(EthicsRecord, world.city_user)) == {ra, rb}
    assert list(visible(EthicsRecord, world.a.county_user)) == [ra]
    assert list(visible(EthicsRecord, world.a.school_user)) == [ra]
    assert not visible(EthicsRecord, world.a.teacher_user).exists()  # not even their own
    assert not visible(EthicsRecord, world.a.student_user).exists()


def _viewed():
    return list(AuditEvent.objects.filter(action="people.ethics.viewed").order_by("id"))


def test_every_view_of_a_record_is_audited(world):
    ra = ethics(world.a.teacher)
    c = Client()
    c.force_login(world.a.school_user)
    url = reverse("people_ethics_detail", kwargs={"pk": ra.pk})
    for k in range(1, 3):
        r = c.get(url)
        assert r.status_code == 200 and ra.number in r.content.decode()
        rows = _viewed()
        assert len(rows) == k and rows[-1].actor == world.a.school_user and rows[-1].after == {"page": "detail", "ids": [ra.pk]}
        assert rows[-1].object_id == str(ra.pk) and rows[-1].school_id == world.a.school.pk


def test_the_list_audits_the_records_it_shows_and_only_those(world):
    ra, rb = ethics(world.a.teacher), ethics(world.b.teacher)
    c = Client()
    c.force_login(world.a.county_user)
    body = c.get(reverse("people_ethics_list")).content.decode()
    assert ra.number in body and rb.number not in body
    assert _viewed()[-1].after == {"page": "list", "ids": [ra.pk]}
    n = len(_viewed())
    c.get(reverse("people_ethics_list"), {"status": "dismissed"})  # nothing shown, nothing recorded
    assert len(_viewed()) == n
    c.force_login(world.city_user)
    c.get(reverse("people_ethics_list"))
    assert sorted(_viewed()[-1].after["ids"]) == sorted([ra.pk, rb.pk])


@pytest.mark.parametrize("who", ["teacher_user", "student_user"])
def test_teachers_and_students_get_403_and_nothing_is_recorded(world, who):
    ra = ethics(world.a.teacher)
    c = Client()
    c.force_login(getattr(world.a, who))
    n = AuditEvent.objects.count()
    for name, kw in (("people_ethics_list", {}), ("people_ethics_detail", {"pk": ra.pk}), ("people_ethics_decide", {"pk": ra.pk})):
        assert c.get(reverse(name, kwargs=kw)).status_code == 403
    assert AuditEvent.objects.count() == n


def test_the_decide_page_writes_through_the_service(world):
    ra = ethics(world.a.teacher)
    c = Client()
    c.force_login(world.a.county_user)
    r = c.post(reverse("people_ethics_decide", kwargs={"pk": ra.pk}), {"decision": "sanctioned", "sanction": "warning",
                                                                       "period_start": "2025-06-01", "period_end": "2026-05-31", "note": "警告"})
    assert r.status_code == 302
    ra.refresh_from_db()
    assert (ra.status, ra.period_end) == ("sanctioned", dt.date(2026, 5, 31))
    assert AuditEvent.objects.filter(action="people.ethics.decided").count() == 1
    c.force_login(world.a.school_user)
    assert c.get(reverse("people_ethics_decide", kwargs={"pk": ra.pk})).status_code == 403


def test_only_the_city_sees_the_ban_list_and_each_view_is_audited(world):
    ban_add(actor=world.city_user, id_number=idn(7, born="19800101"), name="某某", since=dt.date(2024, 1, 1), reason="判刑")
    c = Client()
    c.force_login(world.a.county_user)
    assert c.get(reverse("people_bans")).status_code == 403
    c.force_login(world.city_user)
    body = c.get(reverse("people_bans")).content.decode()
    assert "某某" in body and idn(7, born="19800101") not in body  # 身份证号 masked
    assert AuditEvent.objects.filter(action="people.ban.viewed").count() == 1
