"""Part 1, profile additions: qualifications, post history and the profile page (a teacher sees their own
profile but never 师德 records). Each service writes one audit row and changes nothing when refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, Teacher
from gaozhong.people.models import PostRecord, Qualification
from gaozhong.people.services.profile import post_change, qualification_add
from gaozhong.people.services.veto import VetoRefused

from .factories import ethics

pytestmark = pytest.mark.django_db


def _rows():
    return (AuditEvent.objects.count(), Qualification.objects.count(), PostRecord.objects.count(),
            list(Teacher.objects.order_by("pk").values_list("post", "title")))


class TestQualificationAdd:
    def test_it_writes_one_audit_row(self, world):
        n = AuditEvent.objects.count()
        q = qualification_add(actor=world.a.school_user, teacher=world.a.teacher, kind="degree", name="硕士研究生",
                              institution="山西师范大学", major="数学", obtained_on=dt.date(2010, 6, 30))
        assert AuditEvent.objects.count() == n + 1
        e = AuditEvent.objects.latest("id")
        assert (e.action, e.school_id, e.after["name"]) == ("people.qualification.added", world.a.school.pk, "硕士研究生")
        assert list(world.a.teacher.qualifications.all()) == [q]

    @pytest.mark.parametrize("who", ["county_user", "school_user", "teacher_user", "student_user"])
    def test_it_changes_nothing_when_refused(self, world, who):
        before = _rows()
        with pytest.raises(PermissionDenied):
            qualification_add(actor=getattr(world.a, who), teacher=world.b.teacher, kind="degree", name="x", obtained_on=dt.date(2010, 6, 30))
        assert _rows() == before

    def test_a_future_date_is_refused(self, world):
        before = _rows()
        with pytest.raises(ValidationError):
            qualification_add(actor=world.city_user, teacher=world.a.teacher, kind="degree", name="x", obtained_on=dt.date(2999, 1, 1))
        assert _rows() == before


class TestPostChange:
    def test_it_writes_one_audit_row_and_keeps_the_history(self, world):
        t = world.a.teacher
        n = AuditEvent.objects.count()
        post_change(actor=world.a.school_user, teacher=t, post=Teacher.Post.TEACHING, duty="教研组长", started_on=dt.date(2020, 9, 1))
        assert AuditEvent.objects.count() == n + 1
        hist = list(PostRecord.objects.filter(teacher=t).order_by("started_on").values_list("post", "duty", "started_on", "ended_on"))
        assert hist == [("专任教师", "", dt.date(2010, 9, 1), dt.date(2020, 8, 31)), ("专任教师", "教研组长", dt.date(2020, 9, 1), None)]
        post_change(actor=world.a.county_user, teacher=t, post=Teacher.Post.VICE_PRINCIPAL, started_on=dt.date(2024, 9, 1))
        t.refresh_from_db()
        assert t.post == "副校长"
        assert PostRecord.objects.filter(teacher=t, ended_on__isnull=True).get().post == "副校长"
        assert PostRecord.objects.get(teacher=t, duty="教研组长").ended_on == dt.date(2024, 8, 31)

    @pytest.mark.parametrize("who", ["county_user", "school_user", "teacher_user", "student_user"])
    def test_it_changes_nothing_when_refused(self, world, who):
        before = _rows()
        with pytest.raises(PermissionDenied):
            post_change(actor=getattr(world.a, who), teacher=world.b.teacher, post="心理教师", started_on=dt.date(2024, 9, 1))
        assert _rows() == before

    def test_a_school_cannot_appoint_its_principal(self, world):
        before = _rows()
        with pytest.raises(PermissionDenied):
            post_change(actor=world.a.school_user, teacher=world.a.teacher, post="校长", started_on=dt.date(2024, 9, 1))
        assert _rows() == before

    def test_the_veto_refuses_a_leadership_post(self, world):
        rec = ethics(world.a.teacher)
        before = _rows()
        with pytest.raises(VetoRefused) as exc:
            post_change(actor=world.a.county_user, teacher=world.a.teacher, post="副校长", started_on=dt.date(2024, 9, 1))
        assert exc.value.records == [rec] and rec.number in exc.value.reason and "提拔使用" in exc.value.reason
        assert _rows() == before

    def test_a_spell_must_start_after_the_previous_one(self, world):
        post_change(actor=world.a.school_user, teacher=world.a.teacher, post="心理教师", started_on=dt.date(2020, 9, 1))
        before = _rows()
        with pytest.raises(ValidationError):
            post_change(actor=world.a.school_user, teacher=world.a.teacher, post="专任教师", started_on=dt.date(2019, 9, 1))
        assert _rows() == before


def test_profile_page_shows_the_additions(world):
    qualification_add(actor=world.a.school_user, teacher=world.a.teacher, kind="certificate", name="高级中学教师资格（数学）", obtained_on=dt.date(2010, 7, 1))
    c = Client()
    c.force_login(world.a.school_user)
    body = c.get(reverse("people_teacher", kwargs={"pk": world.a.teacher.pk})).content.decode()
    assert "高级中学教师资格（数学）" in body and "查看师德档案" in body and "自入职起在现单位" in body


def test_a_teacher_sees_their_own_profile_without_ethics(world):
    qualification_add(actor=world.a.school_user, teacher=world.a.teacher, kind="degree", name="大学本科", obtained_on=dt.date(2010, 7, 1))
    ethics(world.a.teacher)
    c = Client()
    c.force_login(world.a.teacher_user)
    r = c.get(reverse("people_me"))
    assert r.status_code == 302 and r["Location"] == reverse("people_teacher", kwargs={"pk": world.a.teacher.pk})
    body = c.get(r["Location"]).content.decode()
    assert "大学本科" in body and "师德" not in body and "有偿补课" not in body
    assert c.get(reverse("people_ethics_list")).status_code == 403
    assert c.get(reverse("people_index")).status_code == 403
