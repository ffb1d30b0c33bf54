"""The 高中阶段 page of a year: the city's rules (招生范围 required, 特长生 share and minimum scores, 补录 for those
who decline), 普职比 per county and city (from the plans before the run, from the result after it), the
第一次录取完成率 per school, and the 特长生 公示 list before the run with its export."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gaozhong.admissions.models import AdmissionYear
from gaozhong.admissions.selectors import current_admission_year
from gaozhong.admissions.services.runs import publicity_inputs
from gaozhong.admissions.services.setup import admission_stage_settings_set
from gaozhong.admissions.services.stage import fill_rates, final_run, general_vocational, publicity
from gaozhong.common.errors import InputError
from gaozhong.core.models import County, Role, School
from gaozhong.core.roles import BUREAU
from gaozhong.core.scoping import require_role, scope_of, visible


def problem_lines(exc: InputError) -> list[str]:
    return [str(p) for p in exc.problems[:20]]


def _ratio_rows(rows, names) -> list[dict]:
    """general_vocational rows grouped per county (then the city) with plan / admitted / admitted_home."""
    out: dict[tuple[str, str], dict] = {}
    for r in rows:
        key = (r.scope, r.county)
        out.setdefault(key, {"scope": r.scope, "county": r.county, "name": names.get(r.county, r.county) if r.county else "全市"})[r.basis] = r
    return list(out.values())


def _year_figures(year: AdmissionYear, user) -> dict:
    """普职比 and fill rates of the year for the page: after a run from the published (else the latest finished)
    run's files, stored when it ran; before it from the plans through the engine's ``publicity`` on the 特长生
    applicants alone (``runs.publicity_inputs``); with the 公示 list."""
    names = dict(County.objects.values_list("code", "name"))
    mine = set(visible(County, user).values_list("code", flat=True))
    run = final_run(year) or year.runs.filter(status="done").order_by("-pk").first()
    ctx: dict = {"run": run}
    pub = None
    if run is None and year.programs.exists():
        try:
            pub = publicity(publicity_inputs(year))
        except InputError as exc:
            ctx["input_problems"] = problem_lines(exc)
    rows = general_vocational(run.general_vocational_csv) if run is not None else (pub.general_vocational if pub else [])
    ctx["ratios"] = [r for r in _ratio_rows(rows, names) if r["scope"] == "city" and scope_of(user).role == Role.CITY_ADMIN or r["county"] in mine]
    ctx["publicity"] = pub.rows if pub else []
    if run is not None and run.fill_rates_csv:
        schools = {s.code: s for s in visible(School, user)}
        ctx["fill_rates"] = [(schools[c], r) for c, r in sorted(fill_rates(run.fill_rates_csv).items()) if c in schools]
    return ctx


@login_required
def stage(request):
    require_role(request.user, *BUREAU)
    year = current_admission_year()
    if year is None:
        raise Http404("no admission year")
    ctx = {"year": year, "is_city": scope_of(request.user).role == Role.CITY_ADMIN, **_year_figures(year, request.user)}
    return render(request, "admissions/stage.html", ctx)


@login_required
def publicity_csv(request):
    """The 公示 list as the engine writes it (publicity.csv), before the run."""
    require_role(request.user, *BUREAU)
    year = current_admission_year()
    if year is None or not year.programs.exists():
        raise Http404("no programs")
    try:
        pub = publicity(publicity_inputs(year))
    except InputError as exc:
        raise Http404("; ".join(problem_lines(exc))) from None
    resp = HttpResponse(pub.files["publicity.csv"], content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f"attachment; filename=publicity-{year.year}.csv"
    return resp


def _decimal(text: str) -> Decimal | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"“{text}” 不是数字") from None


@login_required
@require_POST
def settings_set(request):
    require_role(request.user, Role.CITY_ADMIN)
    year = current_admission_year()
    if year is None:
        raise Http404("no admission year")
    p = request.POST
    try:
        admission_stage_settings_set(actor=request.user, year=year, range_required=p.get("range_required") == "on",
                                     special_share=_decimal(p.get("special_share")), special_min_score=_decimal(p.get("special_min_score")),
                                     special_min_test_score=_decimal(p.get("special_min_test_score")),
                                     supplementary_declined=p.get("supplementary_declined") == "on")
        messages.success(request, "招生规则已保存")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("admissions_stage")
