"""Background jobs: list, detail with live progress, a JSON status the page polls, and a stop request."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gaozhong.core.masking import mask_ids
from gaozhong.core.models import Job
from gaozhong.core.scoping import get_visible_or_404, require_role, visible
from gaozhong.core.roles import STAFF
from gaozhong.core.services.jobs import job_request_stop, reap_dead_jobs

JOB_ROLES = STAFF


@login_required
def job_list(request):
    require_role(request.user, *JOB_ROLES)
    reap_dead_jobs()
    page = Paginator(visible(Job, request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/job_list.html", {"page": page})


@login_required
def job_detail(request, pk: int):
    require_role(request.user, *JOB_ROLES)
    reap_dead_jobs()
    job = get_visible_or_404(Job, request.user, pk=pk)
    return render(request, "core/job_detail.html", {"job": job})


@login_required
def job_status(request, pk: int):
    require_role(request.user, *JOB_ROLES)
    reap_dead_jobs()
    job = get_visible_or_404(Job, request.user, pk=pk)
    return JsonResponse({
        "status": job.status, "status_label": job.get_status_display(), "progress": job.progress, "phase": job.phase,
        "finished": job.is_finished, "log_tail": mask_ids(job.log[-4000:]),
    })


@login_required
@require_POST
def job_stop(request, pk: int):
    require_role(request.user, *JOB_ROLES)
    job = get_visible_or_404(Job, request.user, pk=pk)
    job_request_stop(actor=request.user, job=job)
    return redirect("job_detail", pk=job.pk)
