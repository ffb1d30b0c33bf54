"""Bureau reports: next year's plan proposal (S4) with each input's effect, county retention of top candidates
(县域生源流失) with where each county's top candidates went, and each school's admissions from outside its
招生范围 (跨区域招生), from the published runs. Candidates and admissions are read through the scoping layer: the
city bureau sees every county, a county bureau its own county's candidates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from gaozhong.admissions.engine.plan import Candidate as RetentionCandidate
from gaozhong.admissions.engine.plan import CountyCandidates, SchoolPlanInput, county_retention, propose_plans, top_destinations
from gaozhong.admissions.models import CITY_WIDE, Admission
from gaozhong.admissions.selectors import current_admission_year, main_published_run, plans_for, published_runs
from gaozhong.admissions.services.stage import fill_rates, final_run
from gaozhong.core.models import Candidate, County, School
from gaozhong.core.scoping import require_role, visible
from gaozhong.core.roles import BUREAU


@login_required
def plan_proposal(request):
    """Rule: seed 003 §三(二)3 — plans by 参考人数, 办学质量 and 第一次录取完成率. Next year's candidates per county
    are typed in (default: this year's); last year's plans and first-round admissions come from the published main
    run (its fill_rates.csv: 第一次录取完成率, before any 补录), the final fill rate beside it from the published 补录."""
    require_role(request.user, *BUREAU)
    year = current_admission_year()
    run = main_published_run(year)
    ctx = {"year": year, "run": run}
    if run is None:
        return render(request, "admissions/plan_proposal.html", ctx)
    user = request.user
    plans = list(plans_for(user=user, year=year))
    first = fill_rates(run.fill_rates_csv)
    if first:
        admitted = {code: r.first_round_admitted for code, r in first.items()}
    else:  # a run recorded without schools.csv: its admissions are the first round's
        admitted = dict(visible(Admission, user).filter(run=run, program__isnull=False).values_list("program__school__code").annotate(n=Count("id")))
    final = final_run(year)
    ctx["final_rates"] = fill_rates(final.fill_rates_csv) if final is not None and final.round == 2 else {}
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
    ctx.update({"inputs": inputs, "rows": [(names[p.school_id], p, ctx["final_rates"].get(p.school_id)) for p in proposals]})
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
    names.update({c: n for c, n in County.objects.values_list("code", "name") if c not in names})  # destinations: any county's name
    latest = max((c.year for c in cands), default=None)
    dest = top_destinations([c for c in cands if c.year == latest], 10)
    return render(request, "admissions/retention.html", {
        "rows": [(names.get(r.county, r.county), r) for r in rows],
        "destinations": [(names.get(r.county, r.county), "未录取" if r.destination is None else names.get(r.destination, r.destination), r) for r in dest],
        "latest": latest,
    })


@login_required
def out_of_range(request):
    """Rule: seed 002 §三(一) — 招生范围 approved per school, 跨区域招生 not allowed. Per school of the user's
    scope, its admissions in the year's published result and those of candidates from outside the 招生范围 of
    the program admitted to (with ranges enforced by the run this should be none)."""
    require_role(request.user, *BUREAU)
    year = current_admission_year()
    run = final_run(year) if year else None
    ctx = {"year": year, "run": run, "rows": []}
    if run is None:
        return render(request, "admissions/out_of_range.html", ctx)
    per: dict[int, list[int]] = {}
    examples: dict[int, list[str]] = {}
    rows = visible(Admission, request.user).filter(run=run, program__isnull=False).values_list(
        "program__school_id", "program__counties", "candidate__county__code", "candidate__exam_no", "program__code")
    for sid, counties, county, exam_no, code in rows:
        codes = [c for c in counties.split(";") if c and c != CITY_WIDE]
        outside = bool(codes) and county not in codes
        n = per.setdefault(sid, [0, 0])
        n[0] += 1
        if outside:
            n[1] += 1
            examples.setdefault(sid, []).append(f"{exam_no}→{code}")
    schools = visible(School, request.user).filter(pk__in=per).select_related("county").order_by("level", "code")
    ctx["rows"] = [(s, per[s.pk][0], per[s.pk][1], examples.get(s.pk, [])[:5]) for s in schools]
    ctx["outside_total"] = sum(n[1] for n in per.values())
    return render(request, "admissions/out_of_range.html", ctx)
