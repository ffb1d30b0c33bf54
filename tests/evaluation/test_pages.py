"""Value-added pages: a city run from the database agrees with the engine's own fit of the same data; the
caterpillar data is sorted with intervals; the table is not a ranking; school profiles show several
indicators with definitions and sources; exports carry the visible schools only."""

from __future__ import annotations

import io
import random

import numpy as np
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, School, Student
from gaozhong.evaluation.models import GaokaoResult, SchoolEffect, SchoolOutcome, ValueAddedRun
from gaozhong.evaluation.selectors import caterpillar, school_profile
from gaozhong.evaluation.services.runs import value_added_run_create

from .engine.dense_reml import DenseReml

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(world):
    """60 students of the 2022 cohort in each of the two schools, with gaokao totals; school b adds 25 points."""
    r = random.Random(7)
    rows = []
    for k, place in enumerate((world.a, world.b)):
        for i in range(60):
            entry = r.uniform(400, 650)
            st = Student.objects.create(school=place.school, student_no=f"C{k}{i:03d}", id_number=f"X{k}{i:03d}", name=f"学{k}{i}", gender="男",
                                        entry_year=2022, entry_score=round(entry), status="毕业")
            rows.append(GaokaoResult(student=st, year=2025, total=round(100 + 0.8 * round(entry) + (25 if k else 0) + r.gauss(0, 20), 1)))
    GaokaoResult.objects.bulk_create(rows)
    # A third school so the model has more than two groups.
    third = School.objects.create(county=world.a.county, code="GA2", name="a县二中", level="senior")
    more = []
    for i in range(40):
        entry = r.uniform(400, 650)
        st = Student.objects.create(school=third, student_no=f"C3{i:03d}", id_number=f"X3{i:03d}", name=f"学3{i}", gender="女",
                                    entry_year=2022, entry_score=round(entry), status="毕业")
        more.append(GaokaoResult(student=st, year=2025, total=round(100 + 0.8 * round(entry) - 10 + r.gauss(0, 20), 1)))
    GaokaoResult.objects.bulk_create(more)
    return third


def test_run_agrees_with_an_independent_reml(world, cohort):
    run = value_added_run_create(actor=world.city_user, entry_year=2022)
    qs = GaokaoResult.objects.filter(student__entry_year=2022).values_list("student__school_id", "student__entry_score", "total")
    schools = sorted({s for s, _, _ in qs})
    codes = np.array([schools.index(s) for s, _, _ in qs])
    x = np.array([[float(e)] for _, e, _ in qs])
    y = np.array([float(t) for _, _, t in qs])
    ref = DenseReml(y, x, codes).fit()
    assert run.group_variance == pytest.approx(ref.tau, rel=1e-4, abs=1e-6)
    assert run.residual_variance == pytest.approx(ref.sigma2, rel=1e-4)
    assert run.n == 160 and run.groups == 3
    b = SchoolEffect.objects.get(run=run, school=world.b.school)
    assert b.effect > 0 and b.ci_low < b.effect < b.ci_high


def test_run_writes_one_audit_row_and_only_the_city_may_run(world, cohort):
    n = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        value_added_run_create(actor=world.a.county_user, entry_year=2022)
    assert ValueAddedRun.objects.count() == 0 and AuditEvent.objects.count() == n
    value_added_run_create(actor=world.city_user, entry_year=2022)
    assert AuditEvent.objects.count() == n + 1
    assert AuditEvent.objects.latest("id").action == "evaluation.value_added_run.created"


def test_caterpillar_is_sorted_with_intervals_and_scoped(world, cohort):
    run = value_added_run_create(actor=world.city_user, entry_year=2022)
    d = caterpillar(user=world.city_user, run=run)
    assert d["effect"] == sorted(d["effect"]) and len(d["effect"]) == 3
    assert all(lo <= e <= hi for lo, e, hi in zip(d["low"], d["effect"], d["high"]))
    county_a = caterpillar(user=world.a.county_user, run=run)
    assert set(county_a["schools"]) == {world.a.school.name, cohort.name}


def test_overview_page_shows_table_in_code_order_not_rank(world, cohort):
    run = value_added_run_create(actor=world.city_user, entry_year=2022)
    c = Client()
    c.force_login(world.city_user)
    body = c.get(reverse("evaluation_overview")).content.decode()
    assert "va-caterpillar" in body and "<th>名次" not in body and "<th>排名" not in body
    pos = [body.index(code) for code in ("GA1", "GA2", "GB1")]
    assert pos == sorted(pos)
    c.force_login(world.a.teacher_user)
    assert c.get(reverse("evaluation_overview")).status_code == 403
    assert run.pk


def test_export_has_the_visible_schools(world, cohort):
    run = value_added_run_create(actor=world.city_user, entry_year=2022)
    c = Client()
    c.force_login(world.b.county_user)
    r = c.get(reverse("evaluation_run_export", kwargs={"pk": run.pk}))
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=2)]
    assert [row[1] for row in rows] == ["GB1"]
    e = SchoolEffect.objects.get(run=run, school=world.b.school)
    assert float(rows[0][4]) == pytest.approx(e.effect, abs=0.005)


def test_city_can_start_a_run_from_the_page(world, cohort):
    c = Client()
    c.force_login(world.city_user)
    r = c.post(reverse("evaluation_run_create"), {"entry_year": "2022"})
    assert r.status_code == 302 and ValueAddedRun.objects.count() == 1
    c.force_login(world.a.county_user)
    assert c.post(reverse("evaluation_run_create"), {"entry_year": "2022"}).status_code == 403
    assert ValueAddedRun.objects.count() == 1


def test_school_profile_has_several_indicators_with_definitions(world, cohort):
    value_added_run_create(actor=world.city_user, entry_year=2022)
    SchoolOutcome.objects.create(school=world.a.school, school_year=world.year, xuekao_pass_rate=95, fitness_good_rate=27, myopia_rate=75)
    from gaozhong.core.models import SchoolYear

    prev = SchoolYear.objects.create(start_year=2024)
    SchoolOutcome.objects.create(school=world.a.school, school_year=prev, xuekao_pass_rate=94, fitness_good_rate=24, myopia_rate=76.5)
    inds = {i.name: i for i in school_profile(user=world.city_user, school=world.a.school)}
    assert set(inds) >= {"增值评价", "学考合格率", "体质健康达标优良率", "近视率变化", "班额达标", "师生比"}
    assert all(i.definition and i.source for i in inds.values())
    assert inds["近视率变化"].value == "-1.5 个百分点" and inds["近视率变化"].status == "met"
    assert inds["体质健康达标优良率"].status == "met"
    assert inds["师生比"].value == "1 : 2.00"  # 2 enrolled students, 1 full-time teacher (facts layer, two decimals)
    c = Client()
    c.force_login(world.a.school_user)
    assert "综合得分" not in c.get(reverse("evaluation_school", kwargs={"pk": world.a.school.pk})).content.decode()

