"""Background jobs: list, detail with live progress, a JSON status the page polls, and a stop request."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gaozhong.core.bilingual import shown, shown_lines
from gaozhong.core.masking import mask_ids
from gaozhong.core.models import Job
from gaozhong.core.scoping import get_visible_or_404, require_role, visible
from gaozhong.core.roles import STAFF
from gaozhong.core.services.jobs import job_request_stop, reap_dead_jobs

JOB_ROLES = STAFF


def _in_language(job: Job) -> Job:
    """The job's phase, log and result texts (written "中文 (English)") in the user's language, for display only."""
    job.phase, job.log, job.title = shown(job.phase), shown_lines(job.log), shown(job.title)
    r = job.result if isinstance(job.result, dict) else None
    if r:
        r = dict(r)
        for p in r.get("problems") or []:
            p["reason"] = shown(p.get("reason") or "")
        if r.get("diagnosis"):
            r["diagnosis"] = [shown(d) for d in r["diagnosis"]]
        if isinstance(r.get("summary"), dict):
            r["summary"] = {shown(k): shown(v) for k, v in r["summary"].items()}
        for key in ("link_label", "error"):
            if r.get(key):
                r[key] = shown(r[key])
        job.result = r
    return job


@login_required
def job_list(request):
    require_role(request.user, *JOB_ROLES)
    reap_dead_jobs()
    jobs = visible(Job, request.user)
    status = request.GET.get("status", "")
    if status in Job.Status.values:
        jobs = jobs.filter(status=status)
    page = Paginator(jobs, 30).get_page(request.GET.get("page"))
    page.object_list = [_in_language(j) for j in page.object_list]
    return render(request, "core/job_list.html", {"page": page, "status": status, "statuses": Job.Status.choices})


@login_required
def job_detail(request, pk: int):
    require_role(request.user, *JOB_ROLES)
    reap_dead_jobs()
    job = _in_language(get_visible_or_404(Job, request.user, pk=pk))
    return render(request, "core/job_detail.html", {"job": job})


@login_required
def job_status(request, pk: int):
    require_role(request.user, *JOB_ROLES)
    reap_dead_jobs()
    job = _in_language(get_visible_or_404(Job, request.user, pk=pk))
    return JsonResponse({
        "status": job.status, "status_label": job.get_status_display(), "progress": job.progress, "phase": job.phase,
        "elapsed": job.elapsed_text, "finished": job.is_finished, "log_tail": mask_ids(job.log[-4000:]),
    })


@login_required
@require_POST
def job_stop(request, pk: int):
    require_role(request.user, *JOB_ROLES)
    job = get_visible_or_404(Job, request.user, pk=pk)
    job_request_stop(actor=request.user, job=job)
    return redirect("job_detail", pk=job.pk)
