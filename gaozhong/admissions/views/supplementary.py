"""补录 pages: the city opens and closes the window, runs the 补录 (a job) and publishes it; a candidate without a
seat (or who declines theirs, where allowed) files choices and sees the result of both rounds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gaozhong.admissions.models import Admission, AdmissionRun, Program, SupplementaryChoice, SupplementaryRound
from gaozhong.admissions.selectors import current_admission_year
from gaozhong.admissions.services.supplementary import (
    first_round_admission, main_run, may_take_part, offered_seats, supplementary_choices_set, supplementary_close, supplementary_decline,
    supplementary_open, supplementary_programs, supplementary_run_approve, supplementary_run_create,
)
from gaozhong.admissions.tasks_supplementary import run_supplementary_job
from gaozhong.core.confirm import confirmed
from gaozhong.core.models import Candidate, Role
from gaozhong.core.scoping import get_visible_or_404, require_role, visible
from gaozhong.core.services.jobs import job_start


def _error(request, exc) -> None:
    messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))


@login_required
def bureau(request):
    require_role(request.user, Role.CITY_ADMIN)
    year = current_admission_year()
    if year is None:
        raise Http404("no admission year")
    rnd = SupplementaryRound.objects.filter(year=year).select_related("base_run").first()
    ctx = {"year": year, "round": rnd, "main_run": main_run(year)}
    if rnd is not None:
        seats = offered_seats(rnd)
        programs = {p.code: p for p in Program.objects.filter(year=year, code__in=seats).select_related("school", "feeder_school")}
        ctx["seats"] = [(programs[c], n) for c, n in sorted(seats.items(), key=lambda kv: (programs[kv[0]].batch, kv[0])) if n > 0]
        ctx["seats_total"] = sum(seats.values())
        ctx["without_seat"] = Admission.objects.filter(run=rnd.base_run, program__isnull=True).count()
        ctx["declined"] = rnd.declines.count()
        ctx["filed"] = rnd.choices.values("candidate").distinct().count()
        ctx["runs"] = AdmissionRun.objects.filter(year=year, round=2)
        ctx["consequence"] = {
            "close": f"截止后考生不能再填报或修改补录志愿；已有 {ctx['filed']} 名考生填报。",
            "run": f"将以已公布的第一轮结果和 {ctx['filed']} 名考生的补录志愿运行补录（{ctx['seats_total']} 个名额），生成待审批的结果。",
            "approve": "审批后补录结果即为本年度最终录取结果并公布，补录结束，不能再运行。",
        }
    else:
        ctx["consequence"] = {"open": "开放后将按第一轮公布结果固定各专业剩余名额，未被录取的考生可以填报补录志愿。"}
    return render(request, "admissions/supplementary.html", ctx)


@login_required
@require_POST
def bureau_action(request):
    require_role(request.user, Role.CITY_ADMIN)
    year = current_admission_year()
    if year is None:
        raise Http404("no admission year")
    action = request.POST.get("action")
    if not confirmed(request):
        return redirect("admissions_supplementary")
    try:
        if action == "open":
            supplementary_open(actor=request.user, year=year, allow_declined=request.POST.get("allow_declined") == "on")
            messages.success(request, "补录已开放")
        elif action == "close":
            supplementary_close(actor=request.user, year=year)
            messages.success(request, "补录填报已截止")
        elif action == "run":
            with transaction.atomic():
                run = supplementary_run_create(actor=request.user, year=year)
                job = job_start(actor=request.user, kind="admissions.run", title=f"{year.year} 年补录运行 #{run.pk}", task=run_supplementary_job,
                                params={"run_id": run.pk}, county_id=None, school_id=None)
                AdmissionRun.objects.filter(pk=run.pk).update(job=job)
            return redirect("job_detail", pk=job.pk)
        elif action == "approve":
            run = get_visible_or_404(AdmissionRun, request.user, pk=int(request.POST.get("run", "0") or 0), year=year, round=2)
            supplementary_run_approve(actor=request.user, run=run)
            messages.success(request, "补录结果已审批并公布")
        else:
            raise Http404("unknown action")
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    return redirect("admissions_supplementary")


@login_required
@require_http_methods(["GET", "POST"])
def mine(request):
    """The candidate's 补录 page: the first-round result, 放弃 where allowed, choices by batch, and the result."""
    scope = require_role(request.user, Role.STUDENT)
    if not scope.candidate_id:
        raise PermissionDenied("只有中考考生可以参加补录")
    cand = get_visible_or_404(Candidate.objects.select_related("junior_school", "county"), request.user, pk=scope.candidate_id)
    year = current_admission_year()
    rnd = SupplementaryRound.objects.filter(year=year).select_related("base_run", "year").first() if year and year.year == cand.year else None
    if request.method == "POST":
        if rnd is None:
            messages.error(request, "本年度尚未开放补录")
            return redirect("admissions_supplementary_mine")
        try:
            if request.POST.get("action") == "decline":
                if not confirmed(request):
                    return redirect("admissions_supplementary_mine")
                supplementary_decline(actor=request.user, year=year, candidate=cand)
                messages.success(request, "已放弃第一轮录取，可以填报补录志愿")
            else:
                with transaction.atomic():
                    for b in sorted({p.batch for p in supplementary_programs(rnd=rnd, candidate=cand)} | set(
                            visible(SupplementaryChoice, request.user).filter(round=rnd).values_list("batch", flat=True))):
                        codes = [c.strip() for c in request.POST.getlist(f"batch{b}") if c.strip()]
                        supplementary_choices_set(actor=request.user, year=year, candidate=cand, batch=b, program_codes=codes)
                messages.success(request, "补录志愿已保存")
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
        return redirect("admissions_supplementary_mine")
    ctx = {"candidate": cand, "round": rnd}
    if rnd is not None:
        first = first_round_admission(rnd, cand)
        ctx["first"] = first
        ctx["may"] = may_take_part(rnd, cand)
        ctx["declined"] = rnd.declines.filter(candidate=cand).exists()
        if rnd.status == SupplementaryRound.Status.OPEN and ctx["may"]:
            chosen = {}
            for ch in visible(SupplementaryChoice, request.user).filter(round=rnd).select_related("program").order_by("batch", "rank"):
                chosen.setdefault(ch.batch, []).append(ch.program.code)
            options: dict[int, list[Program]] = {}
            for p in supplementary_programs(rnd=rnd, candidate=cand):
                options.setdefault(p.batch, []).append(p)
            n = year.max_unified_choices
            ctx["slots"] = [{"batch": b, "options": opts, "chosen": (chosen.get(b, []) + [""] * n)[:n]} for b, opts in sorted(options.items())]
        published = AdmissionRun.objects.filter(year=rnd.year, round=2, status=AdmissionRun.Status.APPROVED).first()
        if published is not None:
            final = Admission.objects.filter(run=published, candidate=cand).select_related("program", "program__school").first()
            names = {p.code: str(p) for p in Program.objects.filter(year=rnd.year).select_related("school", "feeder_school")}
            ctx["final"] = final
            ctx["final_choices"] = [{**c, "program_name": names.get(c["program"], c["program"])} for c in (final.explanation if final else [])]
    return render(request, "admissions/supplementary_mine.html", ctx)
