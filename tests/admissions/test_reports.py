"""Bureau reports from a published run: the plan proposal keeps each county's total at last plans × next/last
candidates and shows each input's effect; the retention shares match a direct count."""

from __future__ import annotations

import math

import pytest
from django.test import Client
from django.urls import reverse

from gaozhong.admissions.models import Admission, AdmissionYear, SchoolPlan
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create, admission_run_execute
from gaozhong.admissions.services.setup import admission_window_set

from .test_services import fill_preferences

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world, year, setup_year):
    cands, _ = setup_year
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    fill_preferences(year, cands)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    admission_run_approve(actor=world.city_user, run=run)
    return run


from .test_services import setup_year, year  # noqa: E402,F401  (fixtures)


def test_plan_proposal_keeps_county_totals_and_shows_effects(world, published):
    c = Client()
    c.force_login(world.city_user)
    r = c.get(reverse("admissions_plan_proposal"), {"c_149901": "30", "c_149902": "20"})
    rows = r.context["rows"]
    by_county = {}
    for school, p, _final in rows:
        by_county.setdefault(p.county, []).append(p)
        assert p.effect_candidates + p.effect_fill_rate + p.effect_quality == p.proposed - p.last_plan
    last = {p.school.county.code: p.seats for p in SchoolPlan.objects.filter(year=published.year).select_related("school__county")}
    assert sum(p.proposed for p in by_county["149901"]) == math.floor(last["149901"] * 30 / 20 + 0.5)
    assert sum(p.proposed for p in by_county["149902"]) == last["149902"]


def test_retention_matches_a_direct_count(world, published):
    c = Client()
    c.force_login(world.a.county_user)
    rows = c.get(reverse("admissions_retention")).context["rows"]
    adm = list(Admission.objects.filter(run=published).values_list("candidate__county__code", "candidate__score", "program__school__county__code"))
    for _, r in rows:
        mine = sorted((a for a in adm if a[0] == r.county), key=lambda a: -a[1])
        k = math.ceil(r.top_percent * len(mine) / 100)
        top = [a for a in mine if a[1] >= mine[k - 1][1]]
        assert r.group_size == len(top) and r.retained == sum(1 for a in top if a[2] == r.county)
    assert {r.top_percent for _, r in rows} == {10, 20, 30}
    # read through the scoping layer: a county bureau sees its own county's candidates only
    assert {r.county for _, r in rows} == {world.a.county.code}
    c.force_login(world.city_user)
    city_rows = c.get(reverse("admissions_retention")).context["rows"]
    assert {r.county for _, r in city_rows} == {a[0] for a in adm}
    c.force_login(world.a.school_user)
    assert c.get(reverse("admissions_retention")).status_code == 403
