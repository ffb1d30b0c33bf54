"""Part 3, the training ledger: Excel import through the importer (all or nothing, every problem with sheet,
row and column), yearly hours, and the 教研员 under 72 课时 per county (seed 002 §三(二))."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, Job, Teacher
from gaozhong.people.models import Course, TrainingRecord
from gaozhong.people.selectors import researchers_below, training_hours
from gaozhong.people.services.imports import people_import

from ..core.test_imports import xlsx
from .factories import teacher

pytestmark = pytest.mark.django_db

HEADERS = ["教职工号", "课程编号", "课程名称", "培训层级", "课时", "结业日期", "证书编号"]


def row(staff_no, code="SJ2025-01", name="新课程新教材实施", level="省级", hours=24, day=dt.date(2025, 7, 15), cert=None):
    return [staff_no, code, name, level, hours, day, cert]


def _import(actor, rows, name="培训.xlsx"):
    return people_import(actor=actor, kind="training", data=xlsx(rows, HEADERS, sheet="培训"), filename=name)


def _rows():
    return AuditEvent.objects.count(), Course.objects.count(), list(TrainingRecord.objects.order_by("pk").values_list("teacher", "course", "completed_on"))


def test_a_good_file_writes_everything_with_one_audit_row(world):
    t2 = teacher(world.a)
    n = AuditEvent.objects.count()
    out = _import(world.a.school_user, [row("Ta1"), row(t2.staff_no), row("Ta1", code="XJ2025-02", name="校本研修", level="school", hours=8)])
    assert out.ok and (out.created, out.updated, out.unchanged) == (3, 0, 0)
    assert AuditEvent.objects.count() == n + 1 and AuditEvent.objects.latest("id").action == "people.training.imported"
    assert {(c.code, c.level, c.hours) for c in Course.objects.all()} == {("SJ2025-01", "provincial", Decimal(24)), ("XJ2025-02", "school", Decimal(8))}
    assert training_hours(user=world.a.school_user, year=2025)["total"] == Decimal(56)
    again = _import(world.a.school_user, [row("Ta1"), row(t2.staff_no, day=dt.date(2025, 7, 16))])
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)


def test_every_problem_is_named_and_nothing_is_written(world):
    teacher(world.a, staff_no="XA")
    Course.objects.create(city=world.a.county.city, code="GJ2025-09", name="国培", level="national", hours=Decimal(40))
    before = _rows()
    rows = [
        row("Ta1"),
        row("NOPE"),  # line 3: no such teacher
        row("Tb1"),  # line 4: another county's teacher
        row("XA", name="别的名称"),  # line 5: same code, other details than line 2
        row("XA", code="GJ2025-09", name="国培", level="国家级", hours=32),  # line 6: the catalogue has 40 课时
        row("Ta1", code="X1", name="x", day=dt.date(2099, 1, 1)),  # line 7: in the future
    ]
    out = _import(world.a.county_user, rows)
    got = {(p.line, p.column.split(" ")[0]) for p in out.problems}
    assert got == {(3, "教职工号"), (4, "教职工号"), (5, "课程编号"), (6, "课程编号"), (7, "结业日期")}, out.problems
    assert all(p.file == "培训.xlsx[培训]" for p in out.problems)
    assert _rows() == before


def test_the_importer_refuses_bad_cells_and_repeated_pairs(world):
    before = _rows()
    out = _import(world.a.school_user, [row("Ta1", level="乡级"), row("Ta1"), row("Ta1", hours="二十")])
    reasons = {(p.line, p.column.split(" ")[0]) for p in out.problems}
    assert (2, "培训层级") in reasons and (4, "课时") in reasons and any(line == 3 for line, _ in reasons)
    assert _rows() == before


def test_teachers_and_students_may_not_import(world):
    from django.core.exceptions import PermissionDenied

    before = _rows()
    for who in ("teacher_user", "student_user"):
        with pytest.raises(PermissionDenied):
            _import(getattr(world.a, who), [row("Ta1")])
    assert _rows() == before


def test_upload_runs_as_a_job(world, django_capture_on_commit_callbacks):
    c = Client()
    c.force_login(world.a.school_user)
    f = ("培训.xlsx", xlsx([row("Ta1")], HEADERS, sheet="培训"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("people_import", kwargs={"kind": "training"}), {"file": SimpleUploadedFile(f[0], f[1])})
    job = Job.objects.latest("id")
    assert r.status_code == 302 and r["Location"] == reverse("job_detail", kwargs={"pk": job.pk})
    assert job.status == "succeeded" and job.result["summary"]["新增 (created)"] == 1
    assert TrainingRecord.objects.count() == 1
    assert c.get(reverse("people_import_template", kwargs={"kind": "training"})).status_code == 200
    c.force_login(world.a.teacher_user)
    assert c.get(reverse("people_import", kwargs={"kind": "training"})).status_code == 403
    c.force_login(world.a.school_user)
    assert c.get(reverse("people_import", kwargs={"kind": "moves"})).status_code == 403  # moves are the bureau's


def _researchers(world):
    r1 = teacher(world.a, post=Teacher.Post.RESEARCHER, school=False)
    r2 = teacher(world.a, post=Teacher.Post.RESEARCHER, school=False)
    r3 = teacher(world.a, post=Teacher.Post.RESEARCHER, school=False)
    rb = teacher(world.b, post=Teacher.Post.RESEARCHER, school=False)
    city = world.a.county.city
    c72 = Course.objects.create(city=city, code="A", name="a", level="provincial", hours=Decimal(72))
    c40 = Course.objects.create(city=city, code="B", name="b", level="city", hours=Decimal("71.5"))
    for t, c, day in ((r1, c72, dt.date(2025, 12, 31)), (r2, c40, dt.date(2025, 3, 1)), (r2, c72, dt.date(2024, 3, 1)), (rb, c40, dt.date(2025, 5, 1))):
        TrainingRecord.objects.create(teacher=t, course=c, completed_on=day, hours=c.hours)
    return r1, r2, r3, rb


def test_researchers_under_72_per_county(world):
    r1, r2, r3, rb = _researchers(world)
    city = {row["county"].pk: row for row in researchers_below(user=world.city_user, year=2025)}
    assert city[world.a.county.pk]["researchers"] == 3
    assert [(x["teacher"], x["hours"]) for x in city[world.a.county.pk]["below"]] == [(r3, 0), (r2, Decimal("71.5"))]
    assert [(x["teacher"], x["hours"]) for x in city[world.b.county.pk]["below"]] == [(rb, Decimal("71.5"))]
    mine = researchers_below(user=world.a.county_user, year=2025)
    assert [row["county"] for row in mine] == [world.a.county]
    assert [x["teacher"] for x in researchers_below(user=world.a.county_user, year=2024)[0]["below"]] == [r1, r3]


def test_the_researchers_page_lists_them(world):
    r1, r2, r3, rb = _researchers(world)
    c = Client()
    c.force_login(world.a.county_user)
    body = c.get(reverse("people_researchers"), {"year": 2025}).content.decode()
    assert r2.name in body and r3.name in body and r1.name not in body and rb.name not in body
    assert "0.5" in body  # r2 misses half a 课时
    body = c.get(reverse("people_training"), {"year": 2025, "post": "教研员"}).content.decode()
    assert r1.name in body and "72.0" in body
