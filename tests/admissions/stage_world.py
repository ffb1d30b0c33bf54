"""A small year of the whole 高中阶段 for the tests: two 普高 (a县一中 admitting from its own county only, b县一中
city-wide with one 特长生 seat), a 中职 school in county a with two 专业, 40 candidates, and preferences that
leave seats and candidates over for 补录."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gaozhong.admissions.models import AdmissionYear, Preference, Program
from gaozhong.admissions.services.setup import (
    admission_stage_settings_set, admission_window_set, admission_year_create, programs_generate, school_plan_set, school_plans_approve,
)
from gaozhong.core.models import School

from .test_services import make_candidates

MAJORS = [["机电技术应用", 4], ["会计事务", 2]]


def vocational_school(world) -> School:
    return School.objects.create(county=world.a.county, code="VA1", name="a县职教中心", level=School.Level.VOCATIONAL)


def stage_year(world, *, open_window=True, declined=True):
    """The year set up, plans approved, programs generated and (by default) the window open with preferences of
    every candidate but the first. Returns (year, candidates, the first candidate's user, the 中职 school)."""
    now = timezone.now()
    year = admission_year_create(actor=world.city_user, year=2026, window_opens=now - dt.timedelta(hours=1), window_closes=now + dt.timedelta(days=1))
    admission_stage_settings_set(actor=world.city_user, year=year, range_required=True, special_share=Decimal("0.2"),
                                 special_min_score=Decimal("400"), special_min_test_score=Decimal("60"), supplementary_declined=declined)
    cands, user = make_candidates(world)
    for i, c in enumerate(cands[20:26]):  # six candidates of county b took the 特长 test
        c.talent_score = Decimal(50 + 8 * i)
        c.save(update_fields=["talent_score"])
    voc = vocational_school(world)
    school_plan_set(actor=world.city_user, year=year, school=world.a.school, seats=11, counties=world.a.county.code)
    school_plan_set(actor=world.city_user, year=year, school=world.b.school, seats=10, talent_seats=1, talent_type="艺术", counties="全市")
    school_plan_set(actor=world.city_user, year=year, school=voc, seats=6, majors=MAJORS, counties="全市")
    school_plans_approve(actor=world.city_user, year=year)
    programs_generate(actor=world.city_user, year=year)
    if open_window:
        admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
        fill_stage_preferences(year, cands[1:])
    return year, cands, user, voc


def fill_stage_preferences(year, cands):
    """Each candidate: the 特长 program if it has a test score, its quota program, the 统招 programs open to its
    county (the better scores first to a县一中), and every other candidate the 机电 专业 in batch 4."""
    talent = Program.objects.get(year=year, kind=Program.Kind.TALENT)
    unified = list(Program.objects.filter(year=year, kind=Program.Kind.UNIFIED).order_by("code"))
    jd = Program.objects.get(year=year, major="机电技术应用")
    rows = []
    for i, c in enumerate(cands):
        if c.talent_score is not None:
            rows.append(Preference(year=year, candidate=c, batch=1, rank=1, program=talent))
        quota = Program.objects.filter(year=year, feeder_school=c.junior_school).first()
        if quota is not None:
            rows.append(Preference(year=year, candidate=c, batch=2, rank=1, program=quota))
        mine = [p for p in unified if p.admits_from(c.county.code)]
        rows += [Preference(year=year, candidate=c, batch=3, rank=k, program=p) for k, p in enumerate(mine, start=1)]
        if i % 2 == 0:
            rows.append(Preference(year=year, candidate=c, batch=4, rank=1, program=jd))
    Preference.objects.bulk_create(rows)
