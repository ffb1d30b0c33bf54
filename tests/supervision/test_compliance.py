"""Compliance from the platform's own data and approved figures: values, status, projection, versions in force,
units, leagues, laggards, the what-if and rectification tasks."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, Enrollment, Student
from gaozhong.supervision.models import Indicator, Submission, SubmissionValue, Task
from gaozhong.supervision.selectors import build_pack, city_unit, county_unit, school_unit, visible_units
from gaozhong.supervision.services.catalog import indicator_revise
from gaozhong.supervision.services.intake import submission_approve, submission_review, submission_submit, submissions_import
from gaozhong.supervision.services.ledger import rectifications_open, task_close
from gaozhong.supervision.importspecs import intake_spec

from .conftest import school_row, workbook

pytestmark = pytest.mark.django_db


def _fill(admin_class, n: int, tag: str):
    """Put ``n`` more students into ``admin_class`` (and its enrollment history)."""
    students = Student.objects.bulk_create([
        Student(school=admin_class.school, student_no=f"T{tag}{k:04d}", id_number=f"X{tag}{k:04d}", name=f"生{k}", gender="男", entry_year=2025,
                admin_class=admin_class) for k in range(n)])
    Enrollment.objects.bulk_create([Enrollment(student=s, admin_class=admin_class) for s in students])


def _approve(level, year, values: dict, *, school=None, county=None):
    from gaozhong.supervision.models import DataElement

    sub = Submission.objects.create(level=level, school=school, county=county or (school.county if school else None), school_year=year, status="approved")
    for code, v in values.items():
        SubmissionValue.objects.create(submission=sub, element=DataElement.objects.get(code=code), value=v)
    return sub


def _row(pack, code, unit, year):
    return pack.indicator_row(Indicator.objects.get(code=code), unit, year)


def test_computed_values_from_classes_students_and_teachers(world, catalog):
    pack = build_pack()
    ga = school_unit(world.a.school)
    row = pack.row(ga, 2025)
    assert (row["classes_total"], row["students_enrolled"], row["classes_le55"], row["teachers_fulltime"], row["teachers_bianzhi"]) == (2, 2, 2, 1, 1)
    ss = _row(pack, "SS-01", ga, 2025)
    assert ss.evaluation.value == 2.0 and ss.status == "met"
    _fill(world.a.admin_class, 59, "a")  # 60 in class 1: a 大班额 class
    pack = build_pack()
    be = _row(pack, "BE-01", ga, 2025)
    assert be.evaluation.value == 50.0 and be.status == "missed"  # deadline 2023 has passed
    assert _row(pack, "BE-02", ga, 2025).evaluation.value == 1.0
    assert _row(pack, "BE-01", city_unit(), 2025).evaluation.value == 75.0  # 3 of the city's 4 classes
    assert _row(pack, "BE-01", county_unit(world.b.county), 2025).status == "met"
    assert _row(pack, "SS-01", ga, 2025).evaluation.value == 61.0


def test_projection_from_three_years_decides_on_track_or_at_risk(world, catalog, years):
    """RX-01 is "到2025年": judged on 2024-25 (start year 2024); the years before project to 2024."""
    from gaozhong.core.models import SchoolYear

    years[2021] = SchoolYear.objects.create(start_year=2021)

    def city(year, rate):
        # 高中阶段在校生 / 15–17 岁人口 × 100 = rate
        _approve("city", years[year], {"senior_stage_students": rate * 10, "population_15_17": 1000, "vocational_students": 0})

    city(2021, 90)
    city(2022, 92)
    pack = build_pack()
    assert _row(pack, "RX-01", city_unit(), 2022).status == "not_met"  # two points: no projection
    city(2023, 94)
    pack = build_pack()
    r = _row(pack, "RX-01", city_unit(), 2023)
    assert r.status == "on_track" and r.assessment.projection.value == pytest.approx(96.0) and r.assessment.projection.points == 3
    assert r.assessment.projection.to_year == 2024
    assert _row(pack, "RX-02", city_unit(), 2023).status == "on_track"
    Submission.objects.filter(school_year=years[2023], level="city").delete()
    city(2023, 93)
    r = _row(build_pack(), "RX-01", city_unit(), 2023)
    assert r.status == "at_risk" and r.assessment.projection.value == pytest.approx(94.6667, abs=1e-3)
    # 2024-25 is the deadline year itself: not met there is missed, not "at risk".
    city(2024, 95.5)
    pack = build_pack()
    assert _row(pack, "RX-01", city_unit(), 2024).status == "missed" and _row(pack, "RX-02", city_unit(), 2024).status == "met"


def test_each_year_is_judged_by_the_version_then_in_force(world, catalog, years):
    for y, v in ((2022, 90), (2023, 91), (2024, 92)):
        _approve("city", years[y], {"senior_stage_students": v * 10, "population_15_17": 1000})
    indicator_revise(actor=world.city_user, indicator=Indicator.objects.get(code="RX-01"), data={"target": 92}, effective_from=2024, note="调整")
    pack = build_pack()
    assert _row(pack, "RX-01", city_unit(), 2024).status == "met"
    old = _row(pack, "RX-01", city_unit(), 2023)
    assert old.version.version == 1 and old.status == "not_met" and old.target_text.startswith("≥ 96")


def test_school_targets_roll_up_as_the_share_of_schools_meeting_them(world, catalog):
    _approve("school", world.year, {"plan_quota": 60, "plan_total": 100}, school=world.a.school)
    _approve("school", world.year, {"plan_quota": 40, "plan_total": 100}, school=world.b.school)
    pack = build_pack()
    assert _row(pack, "ZB-01", school_unit(world.a.school), 2025).status == "met"
    assert _row(pack, "ZB-01", school_unit(world.b.school), 2025).status == "missed"
    city = _row(pack, "ZB-01", city_unit(), 2025)
    assert city.by_units and city.evaluation.value == 50.0 and city.status == "missed" and "学校全部达标" in city.target_text
    # 指标到校 applies to quality schools only: an ordinary school has no row.
    world.b.school.quality = "ordinary"
    world.b.school.save()
    assert _row(build_pack(), "ZB-01", school_unit(world.b.school), 2025) is None


def test_units_follow_the_users_scope(world, catalog):
    assert [u.name for u in visible_units(world.a.county_user)] == [world.a.county.name, world.a.school.name]
    assert [u.name for u in visible_units(world.a.school_user)] == [world.a.school.name]
    assert len(visible_units(world.city_user)) == 5 and visible_units(world.a.teacher_user) == []


def test_league_and_laggards(world, catalog):
    _fill(world.a.admin_class, 59, "a")
    pack = build_pack()
    schools = [school_unit(world.a.school), school_unit(world.b.school)]
    ranked = pack.league(Indicator.objects.get(code="BE-01"), schools, 2025)
    assert [(r, u.code) for r, u, _ in ranked] == [(1, "GB1"), (2, "GA1")]
    lag = pack.laggards(schools, 2025)
    assert lag[0]["unit"].code == "GA1" and {"BE-01", "BE-02"} <= {i.code for i in lag[0]["missed"]}
    assert all(lg["unit"].code != "GB1" or "BE-01" not in {i.code for i in lg["missed"]} for lg in lag)


def test_pages_show_status_for_each_role(world, catalog):
    _fill(world.a.admin_class, 59, "a")
    c = Client()
    for user in (world.city_user, world.a.county_user, world.a.school_user):
        c.force_login(user)
        body = c.get(reverse("sup_dashboard") + "?year=2025").content.decode()
        assert "BE-01" in body and "逾期未达标" in body and world.b.school.name not in body or user == world.city_user
    c.force_login(world.a.county_user)
    assert world.a.school.name in c.get(reverse("sup_laggards") + "?year=2025").content.decode()
    # the laggards list exports what it shows, with every missed indicator by code and name
    r = c.get(reverse("sup_laggards"), {"year": "2025", "level": "school", "export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("单位", "单位类型", "逾期未达标")
    mine = [row for row in rows[1:] if row[0] == world.a.school.name]
    assert len(mine) == 1 and mine[0][2] >= 2 and "BE-01" in mine[0][3] and all(row[1] == "学校" for row in rows[1:])
    assert world.a.school.name not in c.get(reverse("sup_laggards"), {"year": "2025", "level": "county"}).content.decode().split("data-testid=\"laggards\"")[1]
    body = c.get(reverse("sup_leagues") + "?year=2025&level=school&indicator=BE-01").content.decode()
    assert world.a.school.name in body and world.b.school.name not in body
    r = c.get(reverse("sup_leagues"), {"year": "2025", "level": "school", "indicator": "BE-01", "export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("名次", "单位", "数值", "目标", "状态") and [row[1] for row in rows[1:]] == [world.a.school.name]
    overall = c.get(reverse("sup_leagues"), {"year": "2025", "level": "school", "sort": "-missed"}).content.decode()
    assert world.a.school.name in overall and 'aria-sort="descending"' in overall
    assert c.get(reverse("sup_county", kwargs={"pk": world.a.county.pk}) + "?year=2025").status_code == 200
    c.force_login(world.a.teacher_user)
    for name in ("sup_dashboard", "sup_leagues", "sup_laggards", "sup_whatif", "sup_catalog", "sup_intake", "sup_ledger", "sup_tokens"):
        assert c.get(reverse(name)).status_code == 403, name


def test_what_if_needs_classes_and_teachers_for_the_planned_intake(world, catalog):
    c = Client()
    c.force_login(world.a.school_user)
    r = c.get(reverse("sup_whatif") + f"?intake_{world.a.school.pk}=110")
    [(school, w)] = r.context["rows"]
    # next year 110 + 2 + 0 students: ⌈110/55⌉ + ⌈2/55⌉ = 3 classes (has 2); ⌈112/12.5⌉ = 9 teachers (has 1)
    assert school == world.a.school and w.next_students == (110, 2, 0)
    assert (w.classes_needed, w.classes_have, w.class_gap, w.teachers_needed, w.teachers_have, w.teacher_gap) == (3, 2, 1, 9, 1, 8)
    default = c.get(reverse("sup_whatif")).context["rows"][0][1]
    assert default.planned_intake == 2  # this year's 高一
    assert "不是 0–20000 的整数" in c.get(reverse("sup_whatif") + f"?intake_{world.a.school.pk}=abc").content.decode()


def test_rectification_opens_for_missed_targets_and_closes_when_a_later_approved_value_meets(world, catalog, years):
    _approve("school", years[2024], {"counselling_room": 0}, school=world.a.school)
    created = rectifications_open(actor=world.city_user, year=2024)
    task = Task.objects.get(indicator__code="XL-02")
    assert task.pk in created and task.school == world.a.school and task.kind == "rectification" and task.indicator_year == 2024
    assert not Task.objects.filter(indicator__code="XL-02", school__isnull=True).exists()  # one task, for the school it is set for
    assert rectifications_open(actor=world.city_user, year=2024) == []  # not twice
    out = submissions_import(actor=world.a.school_user, level="school", school_year=world.year, term=1,
                             data=workbook(intake_spec("school"), [school_row("GA1", counselling_room=True, comment="新建心理咨询室")]), filename="x.xlsx")
    sub = Submission.objects.get(pk=out.created[0])
    submission_submit(actor=world.a.school_user, submission=sub)
    submission_review(actor=world.a.county_user, submission=sub)
    n = AuditEvent.objects.count()
    marked = submission_approve(actor=world.city_user, submission=sub)
    task.refresh_from_db()
    # The data show the target met: the task waits for a person's 销号, with the figure as its evidence.
    assert task.pk in marked and task.status == "verified" and "达到目标" in task.verification and "2025-2026 学年" in task.verification
    assert task.closed_by is None
    assert AuditEvent.objects.count() == n + 1 and task.pk in AuditEvent.objects.latest("id").after["rectifications_verified"]
    task_close(actor=world.city_user, task=task, reason="")
    task.refresh_from_db()
    assert task.status == "closed" and task.closed_by == world.city_user
    last = AuditEvent.objects.latest("id")
    assert last.action == "supervision.task.closed" and last.actor_id == world.city_user.pk
