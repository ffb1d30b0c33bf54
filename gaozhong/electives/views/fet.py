"""FET files on the timetabling pages: upload a FET file to be solved (a job; a refused file is listed with every
problem on the page and nothing is kept), download the solved file, and download a stored timetable as FET."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gaozhong.core.models import Job, School
from gaozhong.core.scoping import get_visible_or_404, require_role, visible

from ..fetfiles import JOB_KIND
from ..forms import FetUploadForm
from ..models import Timetable
from ..services.common import STAFF_ROLES, Refused
from ..services.fet import FET_MAX_BYTES, fet_solve_start, fet_solved_file, timetable_fet_export

FET_TYPE = "application/xml; charset=utf-8"


def fet_form(user, data=None, files=None) -> FetUploadForm:
    schools = visible(School, user).filter(level=School.Level.SENIOR).order_by("code")
    return FetUploadForm(data, files, schools=schools, max_bytes=FET_MAX_BYTES)


#: the newest FET jobs the page lists (it says so when there are more)
FET_JOBS_SHOWN = 20


def fet_jobs(user) -> dict:
    """The newest FET jobs the user may see and how many there are (the page says when it lists only some)."""
    jobs = visible(Job, user).filter(kind=JOB_KIND).select_related("school")
    return {"fet_jobs": jobs[:FET_JOBS_SHOWN], "fet_jobs_shown": FET_JOBS_SHOWN, "fet_jobs_total": jobs.count()}


def _attachment_name(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name)}"


@login_required
@require_http_methods(["GET", "POST"])
def fet_upload(request):
    """The FET page: the upload form and the school's FET jobs; a valid upload starts the solve and shows its job."""
    require_role(request.user, *STAFF_ROLES)
    form = fet_form(request.user, request.POST or None, request.FILES or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            job = fet_solve_start(actor=request.user, school=form.cleaned_data["school"], data=f.read(), filename=f.name,
                                  time_limit=form.cleaned_data["time_limit"], seed=form.cleaned_data["seed"])
        except Refused as exc:
            refusal = exc.reasons
        else:
            return redirect("job_detail", pk=job.pk)
    return render(request, "electives/fet.html", {"fet_form": form, "refusal": refusal, **fet_jobs(request.user)})


@login_required
def fet_solved(request, pk: int):
    """The solved FET file of a FET job: every activity locked in time (and room)."""
    require_role(request.user, *STAFF_ROLES)
    job = get_visible_or_404(Job.objects.filter(kind=JOB_KIND), request.user, pk=pk)
    path = fet_solved_file(actor=request.user, job=job)
    name = Path(job.params.get("filename") or "timetable.fet").stem + "_已排.fet"
    resp = FileResponse(path.open("rb"), content_type=FET_TYPE)
    resp["Content-Disposition"] = _attachment_name(name)
    return resp


@login_required
def fet_export(request, pk: int):
    """A stored timetable as a FET file that FET opens with every lesson locked."""
    require_role(request.user, *STAFF_ROLES)
    tt = get_visible_or_404(Timetable.objects.select_related("window__school"), request.user, pk=pk)
    text = timetable_fet_export(actor=request.user, timetable=tt)
    resp = HttpResponse(text.encode("utf-8"), content_type=FET_TYPE)
    resp["Content-Disposition"] = _attachment_name(f"课表_{tt.window.school.code}_{tt.pk}.fet")
    return resp
