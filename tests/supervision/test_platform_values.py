"""Figures the platform already holds are computed, not typed in again: 招生计划数 and 指标到校 from the admission
plans, 交流轮岗 and 教研员 72 课时 from the people records. They replace reported values, and a base form that
reports a different figure is refused with its row and column."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gaozhong.admissions.models import AdmissionYear, Program, SchoolPlan
from gaozhong.core.models import City, Teacher
from gaozhong.supervision.importspecs import intake_spec
from gaozhong.supervision.selectors import build_pack, county_unit, school_unit
from gaozhong.supervision.services.intake import submissions_import

from .conftest import school_row, workbook
from .test_compliance import _approve, _row

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(world):
    now = timezone.now()
    year = AdmissionYear.objects.create(year=2025, window_opens=now, window_closes=now + dt.timedelta(days=1), status="published")
    SchoolPlan.objects.create(year=year, school=world.a.school, seats=120, approved=True)
    unified = Program.objects.create(year=year, code="GA1-TZ", school=world.a.school, kind="unified", batch=3, capacity=50)
    for k, cap in enumerate((40, 30)):
        Program.objects.create(year=year, code=f"GA1-ZB-{k}", school=world.a.school, kind="quota", batch=2, capacity=cap,
                               feeder_school=world.a.junior, rollover_to=unified)
    return year


def test_quota_share_comes_from_the_admission_plans(world, catalog, plans):
    # A reported figure (an old base form) is replaced by what the platform holds.
    _approve("school", world.year, {"plan_total": 200, "plan_quota": 20}, school=world.a.school)
    pack = build_pack()
    row = pack.row(school_unit(world.a.school), 2025)
    assert (row["plan_total"], row["plan_quota"]) == (120.0, 70.0)
    zb = _row(pack, "ZB-01", school_unit(world.a.school), 2025)
    assert zb.evaluation.value == pytest.approx(70 / 120 * 100) and zb.status == "met"


def test_base_form_disagreeing_with_the_platform_is_refused(world, catalog, plans):
    data = workbook(intake_spec("school"), [school_row("GA1", plan_total=100, plan_quota=50)])
    out = submissions_import(actor=world.a.school_user, level="school", school_year=world.year, term=1, data=data, filename="x.xlsx")
    assert {p.column.split(" ")[0] for p in out.problems} >= {"招生计划数", "指标到校计划数"} and not out.created
    assert all(p.line == 2 and "平台已有该数据" in p.reason for p in out.problems if "平台" in p.reason)
    data = workbook(intake_spec("school"), [school_row("GA1", plan_total=120, plan_quota=70)])
    out = submissions_import(actor=world.a.school_user, level="school", school_year=world.year, term=1, data=data, filename="x.xlsx")
    assert out.created and not out.problems


def test_rotation_and_researcher_training_come_from_people_records(world, catalog):
    from gaozhong.people.models import Course, Move, TrainingRecord

    researcher = Teacher.objects.create(county=world.a.county, staff_no="R1", name="教研员甲", id_number="X1", gender="男",
                                        hire_date=dt.date(2010, 9, 1), post=Teacher.Post.RESEARCHER)
    other = Teacher.objects.create(county=world.a.county, staff_no="R2", name="教研员乙", id_number="X2", gender="女",
                                   hire_date=dt.date(2010, 9, 1), post=Teacher.Post.RESEARCHER)
    city = City.objects.get()
    for k, (who, hours) in enumerate(((researcher, 40), (researcher, 32), (other, 70))):
        course = Course.objects.create(city=city, code=f"C{k}", name=f"课程{k}", level="市级", hours=Decimal(hours))
        TrainingRecord.objects.create(teacher=who, course=course, completed_on=dt.date(2025, 5, 1), hours=Decimal(hours))
    Move.objects.create(teacher=world.a.teacher, kind=Move.Kind.ROTATION, moved_on=dt.date(2025, 8, 20), from_school=world.a.school,
                        to_school=world.b.school, from_county=world.a.county, to_county=world.b.county)
    _approve("county", world.year, {"rotated_staff": 9, "researchers_trained_72": 0}, county=world.a.county)
    pack = build_pack()
    row = pack.row(county_unit(world.a.county), 2025)
    assert row["rotated_staff"] == 1.0  # one 交流轮岗 move out of the county, not the reported 9
    assert row["researchers_trained_72"] == 1.0  # 40 + 32 = 72 hours reaches the bar; 70 does not
    assert pack.row(county_unit(world.b.county), 2025)["rotated_staff"] == 0.0
