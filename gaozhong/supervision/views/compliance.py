"""Compliance pages: the dashboard of the user's own unit, school and county pages, leagues, laggards (推进不力),
the what-if for next year's intake, and the button that opens rectification tasks."""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from gaozhong.admissions.models import SchoolPlan
from gaozhong.common.standards import CLASS_MAX, STUDENTS_PER_TEACHER
from gaozhong.core.facts import SchoolFacts, school_facts
from gaozhong.core.listing import Col, Filter, Listing
from gaozhong.core.models import County, School
from gaozhong.core.scoping import get_visible_or_404, scope_of, visible

from ..engine.catalog import scope_level
from ..engine.compliance import STATUS_LABELS, STATUS_ORDER
from ..engine.whatif import SchoolNow, what_if
from ..report import STATUS_COLORS, chart_data
from ..selectors import build_pack, county_unit, current_start, school_unit, visible_units
from ..services.ledger import rectifications_open, rectifications_review
from .common import base_context, require_supervision, year_of


def _unit_page(request, pack, unit, members, tab: str, template: str = "supervision/unit.html", **extra):
    year = year_of(request)
    rows = pack.unit_rows(unit, year) if year is not None else []
    counts = pack.status_counts(rows)
    ctx = base_context(request, tab, year=year, unit=unit, rows=rows, groups=pack.figure_groups(rows), counts=counts,
                       tiles=[(s, STATUS_LABELS[s], counts[s]) for s in STATUS_ORDER], status_colors=STATUS_COLORS,
                       members=members, chart=chart_data(pack, unit, members, year) if year is not None else None,
                       league=pack.overall(members, year) if members and year is not None else [],
                       laggards=pack.laggards(members, year) if members and year is not None else [], **extra)
    return render(request, template, ctx)


@login_required
def dashboard(request):
    require_supervision(request.user)
    pack = build_pack()
    units = visible_units(request.user)
    top = units[0]
    members = [u for u in units if u.level == ("county" if top.level == "city" else "school")] if top.level != "school" else []
    return _unit_page(request, pack, top, members, "sup_dashboard")


@login_required
def school_page(request, pk: int):
    require_supervision(request.user)
    school = get_visible_or_404(School.objects.filter(level=School.Level.SENIOR), request.user, pk=pk)
    return _unit_page(request, build_pack(), school_unit(school), [], "sup_dashboard")


@login_required
def county_page(request, pk: int):
    require_supervision(request.user)
    county = get_visible_or_404(County, request.user, pk=pk)
    pack = build_pack()
    members = [school_unit(s) for s in visible(School, request.user).filter(county=county, level=School.Level.SENIOR).order_by("code")]
    return _unit_page(request, pack, county_unit(county), members, "sup_dashboard")


LEAGUE = Listing(
    name="league", title="排名", default_sort="rank", search=("unit",),
    columns=[
        Col("rank", "名次", lambda t: t[0], sort=True, kind="integer", numeric=True),
        Col("unit", "单位", lambda t: t[1].name, sort=True),
        Col("value", "数值", lambda t: t[2].evaluation.value, sort=True, kind="decimal", numeric=True),
        Col("target", "目标", lambda t: t[2].target_text, numeric=True),
        Col("status", "状态", lambda t: t[2].status_label, sort=True),
    ],
)

OVERALL = Listing(
    name="league_overall", title="总体排名", default_sort="rank", search=("unit",),
    columns=[
        Col("rank", "名次", lambda t: t[0].rank, sort=True, kind="integer", numeric=True),
        Col("unit", "单位", lambda t: t[1].name, sort=True),
        Col("met", "达标", lambda t: t[0].met, sort=True, kind="integer", numeric=True),
        Col("judged", "评价指标", lambda t: t[0].judged, sort=True, kind="integer", numeric=True),
        Col("share", "达标比例（%）", lambda t: round(t[0].share, 1), sort=True, kind="decimal", numeric=True),
        Col("missed", "逾期未达标", lambda t: t[0].missed, sort=True, kind="integer", numeric=True),
        Col("at_risk", "有风险", lambda t: t[0].at_risk, sort=True, kind="integer", numeric=True),
    ],
)


@login_required
def leagues(request):
    require_supervision(request.user)
    pack = build_pack()
    year = year_of(request)
    units = visible_units(request.user)
    level = request.GET.get("level") if request.GET.get("level") in ("school", "county") else ("county" if any(u.level == "county" for u in units) else "school")
    members = [u for u in units if u.level == level]
    code = request.GET.get("indicator")
    indicator = pack.indicator_by_code.get(code) if code else None
    table = []
    if indicator is not None and year is not None:
        v = indicator.version_for(year)
        if level == "county" and scope_level(v.scope) == "city":
            indicator = None
        else:
            table = list(pack.league(indicator, members, year))
    if indicator is not None:
        listing, rows = LEAGUE, table
    else:
        listing, rows = OVERALL, list(pack.overall(members, year)) if year is not None else []
    return listing.respond(request, rows, lambda l: render(request, "supervision/leagues.html", base_context(
        request, "sup_leagues", year=year, level=level, indicators=pack.indicators, indicator=indicator, l=l,
        status_colors=STATUS_COLORS)))


def _indicators(items) -> str:
    return "；".join(f"{i.code} {i.current.name_zh}" for i in items)


LAGGARDS = Listing(
    name="laggards", title="推进不力单位", default_sort="-missed", search=("unit", "missed_list", "at_risk_list"),
    columns=[
        Col("unit", "单位", lambda lg: lg["unit"].name, sort=True),
        Col("level", "单位类型", lambda lg: lg["unit"].level_label, sort=True, on_page=False),
        Col("missed", "逾期未达标", lambda lg: len(lg["missed"]), sort=True, kind="integer", numeric=True),
        Col("missed_list", "逾期未达标指标", lambda lg: _indicators(lg["missed"]), on_page=False),
        Col("at_risk", "按趋势难以如期达标", lambda lg: len(lg["at_risk"]), sort=True, kind="integer", numeric=True),
        Col("at_risk_list", "按趋势难以如期达标指标", lambda lg: _indicators(lg["at_risk"]), on_page=False),
    ],
    filters=[Filter("level", "单位类型", lambda user: [("county", gettext("县(区)")), ("school", gettext("学校"))],
                    lambda rows, v: [lg for lg in rows if lg["unit"].level == v])],
)


@login_required
def laggards(request):
    require_supervision(request.user)
    pack = build_pack()
    year = year_of(request)
    units = [u for u in visible_units(request.user) if u.level != "city"]
    rows = pack.laggards(units, year) if year is not None else []
    return LAGGARDS.respond(request, rows, lambda listing: render(request, "supervision/laggards.html", base_context(
        request, "sup_laggards", year=year, l=listing, can_rectify=scope_of(request.user).is_city)))


@login_required
@require_POST
def rectify(request):
    """City admin: open rectification tasks for the year's missed targets, or re-check the open ones."""
    require_supervision(request.user)
    year = year_of(request)
    if request.POST.get("action") == "review":
        marked = rectifications_review(actor=request.user)
        messages.success(request, f"复核完成：{len(marked)} 项整改任务的后续数据已达标，转为待销号，请逐项核验后销号或退回")
    else:
        created = rectifications_open(actor=request.user, year=year)
        messages.success(request, f"已为 {year}-{year + 1} 学年逾期未达标的指标新建 {len(created)} 项整改任务")
    return redirect(f"{reverse('sup_laggards')}?year={year}")


@login_required
def whatif(request):
    """Next year's classes and teachers from each school's planned intake: typed in, else the approved admission
    plan of next year's intake on the platform (admissions), else this year's 高一."""
    require_supervision(request.user)
    schools = list(visible(School, request.user).filter(level=School.Level.SENIOR).select_related("county").order_by("code"))
    if not schools:
        raise Http404("no schools")
    year = current_start()
    # Students by grade, classes and full-time teachers: the facts layer's figures (the same as 督导 and 教师队伍).
    facts = school_facts([year], [s.pk for s in schools]) if year is not None else {}
    none = SchoolFacts(0, 0)
    grades = {s.pk: [facts.get((s.pk, year), none).students_by_grade.get(g, 0) for g in (1, 2, 3)] for s in schools}
    classes = {s.pk: facts.get((s.pk, year), none).classes_total for s in schools}
    teachers = {s.pk: facts.get((s.pk, year), none).teachers_fulltime for s in schools}
    plans = dict(SchoolPlan.objects.filter(year__year=year + 1, approved=True, school__in=schools).values_list("school_id", "seats"))
    rows, errors = [], []
    for s in schools:
        raw = request.GET.get(f"intake_{s.pk}", "").strip()
        intake = plans.get(s.pk, grades[s.pk][0])
        if raw:
            if raw.isdigit() and int(raw) <= 20000:
                intake = int(raw)
            else:
                errors.append(f"{s.name}：计划招生数 “{raw}” 不是 0–20000 的整数，已按今年高一人数测算")
        rows.append(what_if(SchoolNow(str(s.pk), s.name, tuple(grades[s.pk]), classes[s.pk], teachers[s.pk], intake)))
    totals = {
        "classes_needed": sum(r.classes_needed for r in rows), "classes_have": sum(r.classes_have for r in rows),
        "teachers_needed": sum(r.teachers_needed for r in rows), "teachers_have": sum(r.teachers_have for r in rows),
        "students": sum(r.students for r in rows),
    }
    return render(request, "supervision/whatif.html", base_context(
        request, "sup_whatif", rows=list(zip(schools, rows, strict=True)), totals=totals, errors=errors, base_year=year,
        class_max=CLASS_MAX, per_teacher=float(STUDENTS_PER_TEACHER),
        ceil=math.ceil))
