"""Demo data for admissions: the 2026 admission year with approved plans, generated programs (指标到校 split
included), the preference window open, and preferences entered by most candidates; a candidate account.

The bureau can then close the window, run the admission, approve it and look results up, in the demo.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.utils import timezone

from gaozhong.admissions.models import AdmissionYear, Preference, Program
from gaozhong.admissions.services.setup import admission_window_set, admission_year_create, programs_generate, school_plan_set, school_plans_approve
from gaozhong.core.demo import DEMO_PASSWORD, SENIOR_SCHOOLS
from gaozhong.core.models import Candidate, Membership, Role, School


def build(*, seed: int, progress) -> None:
    r = random.Random(seed + 6)
    admin = User.objects.get(username="city_admin")
    now = timezone.now()
    year = admission_year_create(actor=admin, year=2026, window_opens=now - dt.timedelta(days=1), window_closes=now + dt.timedelta(days=30))
    seniors = list(School.objects.filter(level=School.Level.SENIOR).order_by("code"))
    intake = {name: n for _, name, _, _, n in SENIOR_SCHOOLS}
    for s in seniors:
        talent = max(0, round(intake[s.name] * 0.02)) if s.is_quality else 0
        school_plan_set(actor=admin, year=year, school=s, seats=intake[s.name], talent_seats=talent)
    school_plans_approve(actor=admin, year=year)
    out = programs_generate(actor=admin, year=year)
    admission_window_set(actor=admin, year=year, status=AdmissionYear.Status.OPEN)
    progress(f"2026 admission: {out['unified']} 统招, {out['quota']} 指标到校, {out['talent']} 特长 programs")

    # Most candidates have entered preferences: talent (if they have a talent score), their own quota programs,
    # and up to six 统招 choices, mostly in their county, better schools first for higher scores.
    programs = list(Program.objects.filter(year=year).select_related("school", "school__county", "feeder_school"))
    unified = [p for p in programs if p.kind == Program.Kind.UNIFIED]
    quota_by_junior: dict[int, list[Program]] = {}
    for p in programs:
        if p.kind == Program.Kind.QUOTA:
            quota_by_junior.setdefault(p.feeder_school_id, []).append(p)
    talent = [p for p in programs if p.kind == Program.Kind.TALENT]
    quality_rank = {"provincial": 0, "city": 1, "ordinary": 2}
    rows = []
    cands = list(Candidate.objects.filter(year=2026).select_related("county").order_by("exam_no"))
    for c in cands[1:]:  # the first candidate is the demo account's, left for the user to fill in
        if r.random() < 0.06:
            continue
        if c.talent_score is not None and talent:
            rows.append(Preference(year=year, candidate=c, batch=1, rank=1, program=r.choice(talent)))
        for i, p in enumerate(sorted(quota_by_junior.get(c.junior_school_id, []), key=lambda p: quality_rank[p.school.quality])[:2], start=1):
            rows.append(Preference(year=year, candidate=c, batch=2, rank=i, program=p))
        own = [p for p in unified if p.school.county_id == c.county_id]
        other = [p for p in unified if p.school.county_id != c.county_id]
        ambitious = float(c.score) > 560
        own.sort(key=lambda p: (quality_rank[p.school.quality] if ambitious else -quality_rank[p.school.quality], r.random()))
        picks = own[:4] + r.sample(other, k=min(len(other), r.randrange(0, 3)))
        for i, p in enumerate(picks[:6], start=1):
            rows.append(Preference(year=year, candidate=c, batch=3, rank=i, program=p))
    Preference.objects.bulk_create(rows, batch_size=5000)
    progress(f"{len(rows)} preferences of {len(cands) - 1} candidates")

    u = User.objects.create(username="candidate_demo", first_name=cands[0].name, password=make_password(DEMO_PASSWORD))
    Membership.objects.create(user=u, role=Role.STUDENT, candidate=cands[0])
    progress("candidate_demo account (准考证号 " + cands[0].exam_no + ")")
