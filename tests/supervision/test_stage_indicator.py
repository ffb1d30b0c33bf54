"""PZ-01 普职比 (Rule: seed 003 §三(二)3): each county's and the city's share of 普通高中 in the admissions of the
year's published result (the 补录 run once published), computed by the platform, never reported."""

from __future__ import annotations

import pytest

from gaozhong.admissions.models import Admission, AdmissionYear
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create, admission_run_execute
from gaozhong.admissions.services.setup import admission_window_set
from gaozhong.core.models import SchoolYear
from gaozhong.supervision.selectors import build_pack, city_unit, county_unit

from ..admissions.stage_world import stage_year
from .test_compliance import _row

pytestmark = pytest.mark.django_db


def test_general_share_comes_from_the_published_admission_result(world, catalog):
    SchoolYear.objects.create(start_year=2026)
    year, cands, user, voc = stage_year(world)
    assert _row(build_pack(), "PZ-01", county_unit(world.a.county), 2026).status == "no_data"  # nothing published yet
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    admission_run_approve(actor=world.city_user, run=run)
    got = Admission.objects.filter(run=run, program__isnull=False).select_related("program__school")
    general_a = sum(1 for a in got if a.program.school_id == world.a.school.pk)
    vocational_a = sum(1 for a in got if a.program.school_id == voc.pk)
    pack = build_pack()
    row = pack.row(county_unit(world.a.county), 2026)
    assert (row["stage_general_admitted"], row["stage_admitted_total"]) == (general_a, general_a + vocational_a)
    pz = _row(pack, "PZ-01", county_unit(world.a.county), 2026)
    assert pz.status == "no_target" and pz.assessment.value == pytest.approx(100 * general_a / (general_a + vocational_a))
    city = pack.row(city_unit(), 2026)
    assert city["stage_admitted_total"] == got.count()
