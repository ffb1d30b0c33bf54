"""Evaluation pages. Effects are never shown as a ranking table: the chart sorts by effect with each interval
and the zero line; the table is in school-code order with the label (seed 004 §8, 002 §四(四))."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gaozhong.common.errors import InputError
from gaozhong.core.models import Role, School
from gaozhong.core.scoping import get_visible_or_404, require_role
from gaozhong.core.roles import BUREAU, STAFF
from gaozhong.evaluation.exports import EFFECTS, effect_rows, run_json_text
from gaozhong.evaluation.models import ValueAddedRun
from gaozhong.evaluation.selectors import (
    caterpillar, effects_for, latest_runs, run_with_visible_effects, runnable_cohorts, school_profile, trends, value_added_readiness,
)
from gaozhong.evaluation.services.runs import value_added_run_create
from gaozhong.importer.export import write_xlsx

VIEW_ROLES = STAFF


@login_required
def overview(request):
    require_role(request.user, *VIEW_ROLES)
    runs = latest_runs()
    run = None
    if runs:
        wanted = request.GET.get("cohort")
        run = next((r for r in runs if str(r.entry_year) == wanted), runs[-1])
    cohorts_without_run = []
    if request.user.membership.role == Role.CITY_ADMIN:
        have = {r.entry_year for r in runs}
        cohorts_without_run = [y for y in runnable_cohorts() if y not in have]
    return render(request, "evaluation/overview.html", {
        "runs": runs, "run": run,
        "effects": effects_for(user=request.user, run=run).order_by("school__code") if run else [],
        "caterpillar": caterpillar(user=request.user, run=run) if run else None,
        "trends": trends(user=request.user, runs=runs),
        "can_run": request.user.membership.role == Role.CITY_ADMIN,
        "cohorts_without_run": cohorts_without_run,
        "cohorts": runnable_cohorts() if request.user.membership.role == Role.CITY_ADMIN else [],
        "missing": value_added_readiness(user=request.user),
        "can_import": request.user.membership.role in BUREAU,
    })


@login_required
@require_POST
def run_create(request):
    require_role(request.user, Role.CITY_ADMIN)
    try:
        entry_year = int(request.POST.get("entry_year", ""))
    except ValueError:
        raise Http404("no such cohort") from None
    try:
        run = value_added_run_create(actor=request.user, entry_year=entry_year)
    except (ValueError, InputError) as exc:
        messages.error(request, str(exc))
        return redirect("evaluation_overview")
    messages.success(request, f"已完成 {run} 的增值计算：{run.n} 名学生，{run.groups} 所学校")
    return redirect(f"/evaluation/?cohort={run.entry_year}")


@login_required
def school(request, pk: int):
    require_role(request.user, *VIEW_ROLES)
    s = get_visible_or_404(School.objects.select_related("county"), request.user, pk=pk, level=School.Level.SENIOR)
    return render(request, "evaluation/school.html", {"school": s, "indicators": school_profile(user=request.user, school=s)})


@login_required
def method(request):
    return render(request, "evaluation/method.html")


@login_required
def run_export(request, pk: int):
    """The run's effects of the schools the user may see, as .xlsx (school-code order)."""
    require_role(request.user, *VIEW_ROLES)
    run = run_with_visible_effects(user=request.user, pk=pk)
    if run is None:
        raise Http404("no such run")
    rows = effect_rows(effects_for(user=request.user, run=run).order_by("school__code"), run)
    if not rows:
        raise Http404("no effects visible")
    buf = io.BytesIO()
    write_xlsx(buf, EFFECTS, rows)
    resp = HttpResponse(buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'增值评价-{run.entry_year}级.xlsx')}"
    return resp


@login_required
def run_json(request, pk: int):
    """The run as ``gaozhong evaluation value-added --json`` prints it (city bureau: every school's figures)."""
    require_role(request.user, Role.CITY_ADMIN)
    run = get_visible_or_404(ValueAddedRun, request.user, pk=pk)
    resp = HttpResponse(run_json_text(run).encode("utf-8"), content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'增值评价-{run.entry_year}级.json')}"
    return resp
