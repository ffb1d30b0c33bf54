"""Bureau reports: next year's plan proposal (S4) with each input's effect, and county retention of top
candidates (县域生源流失), from the published runs. Candidates and admissions are read through the scoping layer:
the city bureau sees every county, a county bureau its own county's candidates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from gaozhong.admissions.engine.plan import Candidate as RetentionCandidate
from gaozhong.admissions.engine.plan import CountyCandidates, SchoolPlanInput, county_retention, propose_plans
from gaozhong.admissions.models import Admission
from gaozhong.admissions.selectors import current_admission_year, plans_for, published_run, published_runs
from gaozhong.core.models import Candidate, County
from gaozhong.core.scoping import require_role, visible
from gaozhong.core.roles import BUREAU


@login_required
def plan_proposal(request):
    """Rule: seed 003 §三(二)3 — plans by 参考人数, 办学质量 and 第一次录取完成率. Next year's candidates per county
    are typed in (default: this year's); last year's plans and first-round admissions come from the published run."""
    require_role(request.user, *BUREAU)
    year = current_admission_year()
    run = published_run(year)
    ctx = {"year": year, "run": run}
    if run is None:
        return render(request, "admissions/plan_proposal.html", ctx)
    user = request.user
    plans = list(plans_for(user=user, year=year))
    admitted = dict(visible(Admission, user).filter(run=run, program__isnull=False).values_list("program__school__code").annotate(n=Count("id")))
    this_year = dict(visible(Candidate, user).filter(year=year.year).values_list("county__code").annotate(n=Count("id")))
    counties = list(visible(County, user).order_by("code"))
    figures, inputs = [], []
    for c in counties:
        raw = request.GET.get(f"c_{c.code}", "")
        nxt = int(raw) if raw.isdigit() else this_year.get(c.code, 0)
        figures.append(CountyCandidates(c.code, this_year.get(c.code, 0), nxt))
        inputs.append({"county": c, "last": this_year.get(c.code, 0), "next": nxt})
    schools = [SchoolPlanInput(p.school.code, p.school.county.code, p.seats, p.school.is_quality, admitted.get(p.school.code, 0)) for p in plans]
    usable = {f.county for f in figures if f.last_year > 0}
    proposals = propose_plans([s for s in schools if s.county in usable], [f for f in figures if f.county in usable])
    names = {p.school.code: p.school for p in plans}
    ctx.update({"inputs": inputs, "rows": [(names[p.school_id], p) for p in proposals]})
    return render(request, "admissions/plan_proposal.html", ctx)


@login_required
def retention(request):
    """Rule: seed 002 §二 — share of each county's top 10/20/30 % candidates admitted in their own county, by year."""
    require_role(request.user, *BUREAU)
    runs = published_runs()
    cands = []
    for run in runs:
        for exam_no, county, score, admitted_county in visible(Admission, request.user).filter(run=run).values_list(
                "candidate__exam_no", "candidate__county__code", "candidate__score", "program__school__county__code"):
            cands.append(RetentionCandidate(run.year.year, exam_no, county, str(score), admitted_county))
    rows = county_retention(cands)
    names = dict(visible(County, request.user).values_list("code", "name"))
    return render(request, "admissions/retention.html", {"rows": [(names.get(r.county, r.county), r) for r in rows]})
