"""Part 2, hiring: a banned person is refused anywhere in the city; a new hire stays inactive (not counted, not
nominated, not moved) until the bureau records the pre-hire check (准入查询) as cleared."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, Subject, Teacher
from gaozhong.people.models import HireCheck, Move, Nomination, PostRecord
from gaozhong.people.selectors import school_staffing
from gaozhong.people.services.common import Refused, is_active
from gaozhong.people.services.ethics import ban_add
from gaozhong.people.services.hiring import BanRefused, hire_check_record, teacher_hire
from gaozhong.people.services.nominations import nominate
from gaozhong.people.services.rotation import teacher_move

from .factories import idn

pytestmark = pytest.mark.django_db

BANNED = idn(77, region="149922", born="19790314")


def _hire(world, place, actor=None, id_number=None, staff_no="N0001"):
    return teacher_hire(actor=actor or place.school_user, school=place.school, staff_no=staff_no, name="新老师", id_number=id_number or idn(88, born="19990101"),
                        gender="男", hire_date=dt.date(2025, 8, 20), subjects=[Subject.objects.get(code="SX")])


def _rows():
    return (AuditEvent.objects.count(), Teacher.objects.count(), HireCheck.objects.count(), Move.objects.count(), PostRecord.objects.count(),
            list(HireCheck.objects.order_by("pk").values_list("status", "reference")))


class TestHire:
    def test_it_writes_one_audit_row(self, world):
        n = AuditEvent.objects.count()
        t = _hire(world, world.a)
        assert AuditEvent.objects.count() == n + 1
        e = AuditEvent.objects.latest("id")
        assert e.action == "people.teacher.hired" and e.school_id == world.a.school.pk and t.id_number not in str(e.after)
        assert HireCheck.objects.get(teacher=t).status == "pending" and not is_active(t)
        assert list(t.moves.values_list("kind", "to_school")) == [("hire", world.a.school.pk)]

    @pytest.mark.parametrize("who", ["county_user", "school_user", "teacher_user", "student_user"])
    def test_it_changes_nothing_when_refused(self, world, who):
        before = _rows()
        with pytest.raises(PermissionDenied):
            _hire(world, world.b, actor=getattr(world.a, who))
        assert _rows() == before

    @pytest.mark.parametrize("place,who", [("a", "school_user"), ("a", "county_user"), ("b", "school_user"), ("b", "county_user")])
    def test_a_banned_person_is_refused_in_every_county(self, world, place, who):
        ban_add(actor=world.city_user, id_number=BANNED, name="郑某某", since=dt.date(2023, 6, 30), reason="判刑")
        before = _rows()
        p = getattr(world, place)
        with pytest.raises(BanRefused) as exc:
            _hire(world, p, actor=getattr(p, who), id_number=BANNED)
        assert "全行业禁入" in exc.value.reason and "2023-06-30" in exc.value.reason and BANNED not in exc.value.reason
        assert _rows() == before

    def test_a_lower_case_x_does_not_slip_past_the_ban(self, world):
        from gaozhong.importer.idnumber import check_character

        first = next(f for f in (f"149922197903140{k:02d}" for k in range(100)) if check_character(f) == "X")
        ban_add(actor=world.city_user, id_number=first + "X", name="某", since=dt.date(2023, 1, 1), reason="x")
        with pytest.raises(ValidationError) as refused:  # the one GB 11643 check refuses a lower-case x outright
            _hire(world, world.a, id_number=first + "x")
        assert "大写 X" in str(refused.value)
        with pytest.raises(BanRefused):
            _hire(world, world.a, id_number=first + "X")
        assert not Teacher.objects.filter(staff_no="N0001").exists()

    def test_an_existing_teacher_is_not_hired_again(self, world):
        before = _rows()
        with pytest.raises(ValidationError):
            _hire(world, world.b, actor=world.b.county_user, id_number=world.a.teacher.id_number)
        assert _rows() == before


class TestHireCheck:
    def test_it_writes_one_audit_row_and_activates(self, world):
        t = _hire(world, world.a)
        n = AuditEvent.objects.count()
        hire_check_record(actor=world.a.county_user, check=t.hire_check, cleared=True, checked_on=dt.date.today(), reference="ZR-1")
        assert AuditEvent.objects.count() == n + 1
        assert AuditEvent.objects.latest("id").after["status"] == "cleared"
        assert is_active(Teacher.objects.get(pk=t.pk))

    @pytest.mark.parametrize("who", ["county_user", "school_user", "teacher_user", "student_user"])
    def test_it_changes_nothing_when_refused(self, world, who):
        t = _hire(world, world.b)
        before = _rows()
        with pytest.raises(PermissionDenied):
            hire_check_record(actor=getattr(world.a, who), check=t.hire_check, cleared=True, checked_on=dt.date.today(), reference="ZR-1")
        assert _rows() == before

    def test_the_school_cannot_clear_its_own_hire(self, world):
        t = _hire(world, world.a)
        before = _rows()
        with pytest.raises(PermissionDenied):
            hire_check_record(actor=world.a.school_user, check=t.hire_check, cleared=True, checked_on=dt.date.today(), reference="ZR-1")
        assert _rows() == before

    def test_not_cleared_keeps_the_teacher_inactive_and_cleared_is_final(self, world):
        t = _hire(world, world.a)
        hire_check_record(actor=world.a.county_user, check=t.hire_check, cleared=False, checked_on=dt.date.today(), reference="ZR-1")
        assert not is_active(t)
        check = HireCheck.objects.get(teacher=t)
        hire_check_record(actor=world.a.county_user, check=check, cleared=True, checked_on=dt.date.today(), reference="ZR-2")
        before = _rows()
        with pytest.raises(ValidationError):
            hire_check_record(actor=world.a.county_user, check=HireCheck.objects.get(teacher=t), cleared=False, checked_on=dt.date.today(), reference="ZR-3")
        assert _rows() == before


def test_an_inactive_teacher_is_not_nominated_moved_or_counted(world):
    t = _hire(world, world.a)
    before = _rows()
    with pytest.raises(Refused, match="准入查询"):
        nominate(actor=world.a.school_user, teacher=t, kind="award", award="优秀教师")
    with pytest.raises(Refused, match="准入查询"):
        teacher_move(actor=world.city_user, teacher=t, to_school=world.b.school, moved_on=dt.date(2025, 9, 1))
    assert _rows() == before and not Nomination.objects.exists()
    maths = lambda: next(line.have for line in school_staffing(user=world.city_user, school=world.a.school)["schools"][0].subjects if line.subject == "SX")  # noqa: E731
    assert maths() == 1  # the world's own teacher only
    hire_check_record(actor=world.a.county_user, check=t.hire_check, cleared=True, checked_on=dt.date.today(), reference="ZR-1")
    assert maths() == 2


def test_the_hire_page_shows_the_ban_refusal(world):
    ban_add(actor=world.city_user, id_number=BANNED, name="郑某某", since=dt.date(2023, 6, 30), reason="判刑")
    c = Client()
    c.force_login(world.b.school_user)
    data = {"school": world.b.school.pk, "staff_no": "N9", "name": "郑某某", "id_number": BANNED, "gender": "男", "title": "未定级",
            "post": "专任教师", "hire_date": "2025-08-20", "is_bianzhi": "on"}
    r = c.post(reverse("people_hire"), data)
    assert r.status_code == 200 and "全行业禁入" in r.content.decode() and not Teacher.objects.filter(staff_no="N9").exists()
    data.update(id_number=idn(90, born="19990101"), name="新老师")
    r = c.post(reverse("people_hire"), data)
    t = Teacher.objects.get(staff_no="N9")
    assert r.status_code == 302 and r["Location"] == reverse("people_teacher", kwargs={"pk": t.pk})
    assert "未激活" in c.get(r["Location"]).content.decode()
