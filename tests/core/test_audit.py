"""Audit: each write path leaves exactly one audit row with who, what, before and after; refused writes leave
none and change nothing; audit rows cannot be changed or deleted, not even with raw SQL."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, School, Student, Teacher
from gaozhong.core.models.audit import AuditImmutable
from gaozhong.core.services.records import password_change, school_update, student_update, teacher_update

pytestmark = pytest.mark.django_db


def test_school_update_writes_one_audit_row(world):
    n = AuditEvent.objects.count()
    assert school_update(actor=world.a.county_user, school=world.a.school, data={"name": "a县第一高级中学"})
    assert AuditEvent.objects.count() == n + 1
    e = AuditEvent.objects.latest("id")
    assert (e.action, e.actor, e.object_id) == ("core.school.updated", world.a.county_user, str(world.a.school.pk))
    assert e.before == {"name": "a县一中"} and e.after == {"name": "a县第一高级中学"}
    assert e.county_id == world.a.county.pk and e.school_id == world.a.school.pk


def test_student_update_writes_one_audit_row(world):
    n = AuditEvent.objects.count()
    student_update(actor=world.a.school_user, student=world.a.student, data={"status": "休学"})
    assert AuditEvent.objects.count() == n + 1
    e = AuditEvent.objects.latest("id")
    assert e.action == "core.student.updated" and e.before == {"status": "在籍"} and e.after == {"status": "休学"}


def test_teacher_update_writes_one_audit_row(world):
    n = AuditEvent.objects.count()
    teacher_update(actor=world.a.school_user, teacher=world.a.teacher, data={"is_bianzhi": False})
    assert AuditEvent.objects.count() == n + 1
    assert AuditEvent.objects.latest("id").after == {"is_bianzhi": False}


def test_title_and_post_change_only_through_the_nomination_workflow(world):
    """Rule: seed 002 §三(二) — a title or post change goes through the people app, which applies the 师德 veto."""
    n = AuditEvent.objects.count()
    for data in ({"title": "高级"}, {"post": "校长"}):
        with pytest.raises(PermissionDenied):
            teacher_update(actor=world.city_user, teacher=world.a.teacher, data=data)
    assert AuditEvent.objects.count() == n
    t = Teacher.objects.get(pk=world.a.teacher.pk)
    assert (t.title, t.post) == ("未定级", "专任教师")


def test_password_change_writes_one_audit_row(world):
    n = AuditEvent.objects.count()
    password_change(actor=world.a.teacher_user, new_password="Another-pass-99")
    assert AuditEvent.objects.count() == n + 1
    e = AuditEvent.objects.latest("id")
    assert e.action == "core.user.password_changed" and "pass" not in str(e.after)


def test_no_change_writes_no_row(world):
    n = AuditEvent.objects.count()
    assert not school_update(actor=world.a.county_user, school=world.a.school, data={"name": world.a.school.name})
    assert AuditEvent.objects.count() == n


@pytest.mark.parametrize("who", ["county_user", "school_user", "teacher_user", "student_user"])
def test_it_changes_nothing_when_refused(world, who):
    n = AuditEvent.objects.count()
    actor = getattr(world.a, who)
    with pytest.raises(PermissionDenied):
        school_update(actor=actor, school=world.b.school, data={"name": "x"})
    with pytest.raises(PermissionDenied):
        student_update(actor=actor, student=world.b.student, data={"name": "x"})
    assert AuditEvent.objects.count() == n
    assert School.objects.get(pk=world.b.school.pk).name == "b县一中"
    assert Student.objects.get(pk=world.b.student.pk).name == "b学生"


def test_quality_level_is_the_citys_decision(world):
    with pytest.raises(PermissionDenied):
        school_update(actor=world.a.county_user, school=world.a.school, data={"quality": "ordinary"})
    assert School.objects.get(pk=world.a.school.pk).quality == "provincial"
    assert school_update(actor=world.city_user, school=world.a.school, data={"quality": "ordinary"})


def test_student_cannot_be_put_in_another_schools_class(world):
    with pytest.raises(PermissionDenied):
        student_update(actor=world.city_user, student=world.a.student, data={"admin_class": world.b.admin_class})
    assert Student.objects.get(pk=world.a.student.pk).admin_class_id == world.a.admin_class.pk


def test_edit_page_writes_through_the_service(world):
    c = Client()
    c.force_login(world.a.school_user)
    n = AuditEvent.objects.count()
    r = c.post(reverse("teacher_edit", kwargs={"pk": world.a.teacher.pk}), {"name": "a老师改", "gender": "女", "is_bianzhi": "on"})
    assert r.status_code == 302
    assert Teacher.objects.get(pk=world.a.teacher.pk).name == "a老师改"
    assert AuditEvent.objects.count() == n + 1


def test_audit_rows_cannot_be_changed_through_the_app(world):
    school_update(actor=world.city_user, school=world.a.school, data={"name": "新名"})
    e = AuditEvent.objects.latest("id")
    e.action = "forged"
    with pytest.raises(AuditImmutable):
        e.save()
    with pytest.raises(AuditImmutable):
        e.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=e.pk).update(action="forged")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=e.pk).action == "core.school.updated"


def test_audit_rows_cannot_be_changed_with_raw_sql(world):
    school_update(actor=world.city_user, school=world.a.school, data={"name": "新名"})
    pk = AuditEvent.objects.latest("id").pk
    for sql in ("UPDATE core_auditevent SET action = 'forged' WHERE id = %s", "DELETE FROM core_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic():
                with connection.cursor() as cur:
                    cur.execute(sql, [pk])
    assert AuditEvent.objects.get(pk=pk).action == "core.school.updated"


@pytest.mark.parametrize("flag", [2, -1, None])
def test_only_the_exact_maintenance_value_opens_the_audit_table(world, flag):
    """The flag opens the triggers for 1 only: any other value, or no value at all, keeps rows append-only."""
    school_update(actor=world.city_user, school=world.a.school, data={"name": "新名"})
    pk = AuditEvent.objects.latest("id").pk
    with transaction.atomic():
        with connection.cursor() as cur:
            if flag is None:
                cur.execute("DELETE FROM gaozhong_audit_maintenance")
            else:
                cur.execute("UPDATE gaozhong_audit_maintenance SET allowed = %s", [flag])
            with pytest.raises(DatabaseError, match="append-only"):
                with transaction.atomic():
                    cur.execute("DELETE FROM core_auditevent WHERE id = %s", [pk])
            transaction.set_rollback(True)
    assert AuditEvent.objects.filter(pk=pk).exists()


def test_only_city_admin_browses_the_audit_log(world):
    school_update(actor=world.city_user, school=world.a.school, data={"name": "新名"})
    c = Client()
    c.force_login(world.a.county_user)
    assert c.get(reverse("audit_list")).status_code == 403
    c.force_login(world.city_user)
    r = c.get(reverse("audit_list"), {"action": "core.school.updated"})
    assert r.status_code == 200 and "修改学校信息" in r.content.decode() and "新名" in r.content.decode()
    r = c.get(reverse("audit_list"), {"action": "core.student.updated"})
    assert "修改学校信息</td>" not in r.content.decode()


def test_edit_pages_save_and_show_refusals(world):
    c = Client()
    c.force_login(world.a.county_user)
    r = c.post(reverse("school_edit", kwargs={"pk": world.a.school.pk}), {"name": "a县一中新", "ownership": "public", "quality": "ordinary"})
    assert r.status_code == 200 and "只能由市教育局修改" in r.content.decode()  # the service's refusal, shown on the form
    assert School.objects.get(pk=world.a.school.pk).quality == "provincial"
    r = c.post(reverse("student_edit", kwargs={"pk": world.a.student.pk}), {"name": "改名生", "gender": "男", "status": "在籍"})
    assert r.status_code == 302 and Student.objects.get(pk=world.a.student.pk).name == "改名生"
