"""The bureau's admission page: plans, programs, the window, runs and their approval."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaozhong.admissions.models import AdmissionRun, AdmissionYear
from gaozhong.admissions.importspecs import SPECS as IMPORT_SPECS
from gaozhong.admissions.selectors import (
    admission_readiness, current_admission_year, plans_for, plans_with_ranges, preference_progress, program_summary, published_run, quota_split,
    school_admissions,
)
from gaozhong.admissions.services.imports import major_list, may_import
from gaozhong.admissions.services.publication import admission_run_withdraw
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create
from gaozhong.admissions.services.setup import (
    PLAN_LEVELS, admission_window_set, admission_year_create, programs_generate, school_plan_set, school_plans_approve,
)
from gaozhong.admissions.tasks import run_admission_job
from gaozhong.admissions.views.lists import CUTOFFS, run_cutoffs, run_label
from gaozhong.core.confirm import confirmed
from gaozhong.core.models import Role, School
from gaozhong.core.scoping import get_visible_or_404, require_role, scope_of, visible
from gaozhong.core.roles import BUREAU, STAFF
from gaozhong.core.services.jobs import job_start


class PlanForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="学校")
    seats = forms.IntegerField(min_value=1, max_value=5000, label="计划数")
    talent_seats = forms.IntegerField(min_value=0, max_value=500, initial=0, label="特长生计划")
    counties = forms.CharField(max_length=200, required=False, label="招生范围",
                               widget=forms.TextInput(attrs={"placeholder": "县(区)代码；分隔，或“全市”"}))
    majors = forms.CharField(max_length=1000, required=False, label="专业计划（中职）",
                             widget=forms.TextInput(attrs={"placeholder": "机电技术应用:60;会计事务:40"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = visible(School, user).filter(level__in=PLAN_LEVELS).order_by("level", "code")

    def clean_majors(self):
        try:
            return major_list(self.cleaned_data["majors"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class YearForm(forms.Form):
    year = forms.IntegerField(label="招生年份", min_value=2000, max_value=2100)
    window_opens = forms.DateTimeField(label="志愿填报开始", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    window_closes = forms.DateTimeField(label="志愿填报截止", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    quota_share = forms.DecimalField(label="指标到校比例（不低于 0.5）", min_value=0.5, max_value=1, decimal_places=2, initial="0.50")
    max_unified_choices = forms.IntegerField(label="每批志愿数", min_value=1, max_value=12, initial=6)
    policy_toml = forms.CharField(label="录取规则 (policy.toml)", widget=forms.Textarea(attrs={"rows": 3}), strip=False,
                                  initial='tiebreak = ["cme", "math", "chinese"]\n')


def _n(x: int) -> str:
    return f"{x:,}"


def step_consequences(*, user, year: AdmissionYear, progress: dict) -> dict[str, str]:
    """What each step of the year does, with the database's counts, named on its confirmation (core/confirm.py);
    ``run_warning`` when candidates have not confirmed their preferences (the run reads every saved preference)."""
    plans = plans_for(user=user, year=year)
    pending, approved = plans.filter(approved=False).count(), plans.filter(approved=True).count()
    programs = sum(p["n"] for p in program_summary(year).values())
    n, entered, conf = progress["candidates"], progress["entered"], progress["confirmed"]
    out = {
        "approve_plans": _("将审批 %(n)s 个待审批的招生计划；招生专业和指标到校名额将按审批后的计划生成。") % {"n": _n(pending)},
        "generate_programs": _("将按 %(plans)s 个已审批的招生计划生成招生专业，并把指标到校名额分配到各初中。") % {"plans": _n(approved)}
        + (_("已生成的 %(n)s 个招生专业将被替换。") % {"n": _n(programs)} if programs else ""),
        "open": _("开放后 %(n)s 名考生即可填报志愿；招生计划和招生专业不能再修改，不可撤回。") % {"n": _n(n)},
        "close": _("截止后考生不能再修改志愿，不能重新开放。目前 %(n)s 名考生中已确认志愿 %(c)s 名，未确认 %(u)s 名。") % {
            "n": _n(n), "c": _n(conf), "u": _n(n - conf)},
        "run": _("将按截止时保存的志愿为 %(n)s 名考生运行录取（已确认志愿 %(c)s 名）；运行结果须审批后才公布。") % {"n": _n(n), "c": _n(conf)},
        "run_warning": "",
        "pending_plans": pending,
    }
    if n - conf:
        out["run_warning"] = _("注意：有 %(u)s 名考生未确认志愿，其中 %(none)s 名未填报任何志愿、不会被录取；未确认但已保存的志愿照常参加录取。") % {
            "u": _n(n - conf), "none": _n(n - entered)}
    return out


def _error(request, exc) -> None:
    messages.error(request, "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


@login_required
def home(request):
    scope = scope_of(request.user)
    if scope.role == Role.STUDENT:
        return redirect("admissions_preferences" if scope.candidate_id else "admissions_lookup")
    require_role(request.user, *STAFF)
    year = current_admission_year()
    ctx = {"year": year, "is_city": scope.role == Role.CITY_ADMIN,
           "imports": [s for s in IMPORT_SPECS.values() if may_import(request.user, s.name)],
           "year_form": YearForm(initial={"year": (year.year + 1) if year else None}) if scope.role == Role.CITY_ADMIN else None}
    if year:
        run = published_run(year)
        ctx.update({
            "readiness": admission_readiness(year) if scope.role in BUREAU else [],
            "plans": plans_with_ranges(user=request.user, year=year), "programs": program_summary(year), "progress": preference_progress(year),
            "runs": AdmissionRun.objects.filter(year=year) if scope.role == Role.CITY_ADMIN else [],
            "plan_form": PlanForm(user=request.user), "published": run,
            "admitted": school_admissions(user=request.user, run=run).count() if run and scope.role == Role.SCHOOL_ADMIN else None,
            "quota": quota_split(user=request.user, year=year),
        })
        if scope.role == Role.CITY_ADMIN:
            ctx["steps"] = step_consequences(user=request.user, year=year, progress=ctx["progress"])
    return render(request, "admissions/home.html", ctx)


@login_required
@require_POST
def year_create(request):
    """The city sets up a new admission year: window, quota share and policy (its plans and programs follow)."""
    require_role(request.user, Role.CITY_ADMIN)
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "招生年度设置有误：" + form.errors.as_text())
        return redirect("admissions_home")
    d = form.cleaned_data
    try:
        admission_year_create(actor=request.user, year=d["year"], window_opens=d["window_opens"], window_closes=d["window_closes"],
                              quota_share=d["quota_share"], max_unified_choices=d["max_unified_choices"], policy_toml=d["policy_toml"])
        messages.success(request, f"已设立 {d['year']} 年招生")
    except (ValidationError, IntegrityError) as exc:
        _error(request, exc if isinstance(exc, ValidationError) else ValidationError("该年度已设立"))
    return redirect("admissions_home")


@login_required
@require_POST
def plan_set(request):
    require_role(request.user, *BUREAU)
    year = current_admission_year()
    form = PlanForm(request.POST, user=request.user)
    if year is None or not form.is_valid():
        messages.error(request, "计划数据有误" + (f"：{form.errors.as_text()}" if year else "：没有招生年度"))
        return redirect("admissions_home")
    try:
        d = form.cleaned_data
        school_plan_set(actor=request.user, year=year, school=d["school"], seats=d["seats"], talent_seats=d["talent_seats"],
                        counties=d["counties"], majors=d["majors"])
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    return redirect("admissions_home")


@login_required
@require_POST
def year_action(request):
    """City actions on the current year: approve plans, generate programs, open or close the window, run."""
    require_role(request.user, Role.CITY_ADMIN)
    year = current_admission_year()
    if year is None:
        raise Http404("no admission year")
    action = request.POST.get("action")
    if action not in ("approve_plans", "generate_programs", "open", "close", "run"):
        raise Http404("unknown action")
    if not confirmed(request):
        return redirect("admissions_home")
    try:
        if action == "approve_plans":
            n = school_plans_approve(actor=request.user, year=year)
            messages.success(request, f"已审批 {n} 个招生计划")
        elif action == "generate_programs":
            out = programs_generate(actor=request.user, year=year)
            messages.success(request, f"已生成：统招 {out['unified']}，指标到校 {out['quota']}，特长生 {out['talent']}，中职专业 {out['vocational']}")
            for w in out["warnings"]:
                messages.warning(request, w)
        elif action in ("open", "close"):
            admission_window_set(actor=request.user, year=year, status=AdmissionYear.Status.OPEN if action == "open" else AdmissionYear.Status.CLOSED)
        elif action == "run":
            run = admission_run_create(actor=request.user, year=year)
            job = job_start(actor=request.user, kind="admissions.run", title=f"{year.year} 年统一录取运行 #{run.pk}", task=run_admission_job,
                            params={"run_id": run.pk}, county_id=None, school_id=None)
            AdmissionRun.objects.filter(pk=run.pk).update(job=job)
            return redirect("job_detail", pk=job.pk)
    except ValidationError as exc:
        _error(request, exc)
    return redirect("admissions_home")


@login_required
def run_detail(request, pk: int):
    """A run's facts, its approval, and its 录取分数线 per program as a working list (search, filters, export)."""
    require_role(request.user, Role.CITY_ADMIN)
    run = get_visible_or_404(AdmissionRun.objects.select_related("year", "started_by", "approved_by"), request.user, pk=pk)
    admitted, total = run.admissions.filter(program__isnull=False).count(), run.admissions.count()
    publish = _("将公布 %(total)s 名考生的录取结果（录取 %(admitted)s 名，未录取 %(not)s 名），公布后考生即可查询，不可撤回。") % {
        "total": _n(total), "admitted": _n(admitted), "not": _n(total - admitted)}
    return CUTOFFS.respond(request, run_cutoffs(request.user, run), lambda listing: render(request, "admissions/run.html", {
        "run": run, "run_label": run_label(run), "l": listing, "admitted": admitted, "total": total, "publish": publish}))


@login_required
@require_POST
def run_approve(request, pk: int):
    require_role(request.user, Role.CITY_ADMIN)
    run = get_visible_or_404(AdmissionRun, request.user, pk=pk)
    if not confirmed(request):
        return redirect("admissions_run", pk=run.pk)
    try:
        admission_run_approve(actor=request.user, run=run)
        messages.success(request, "录取结果已审批并公布")
    except ValidationError as exc:
        _error(request, exc)
    return redirect("admissions_run", pk=run.pk)


@login_required
@require_POST
def run_withdraw(request, pk: int):
    """The city withdraws a published result, with the reason (recorded in the audit)."""
    require_role(request.user, Role.CITY_ADMIN)
    run = get_visible_or_404(AdmissionRun, request.user, pk=pk)
    try:
        admission_run_withdraw(actor=request.user, run=run, reason=request.POST.get("reason", ""))
        messages.success(request, "已撤回公布：公开的录取分数线和结果查询已不再显示本次结果")
    except ValidationError as exc:
        _error(request, exc)
    return redirect("admissions_run", pk=run.pk)


