"""The 通报 page: choose year, county and format, run it as a job, download the file through a scoped view."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gaozhong.core.models import County, Job, Role
from gaozhong.core.scoping import get_visible_or_404, require_role, scope_of, visible
from gaozhong.core.roles import BUREAU

from ..selectors import latest_complete_year, years
from ..services.reports import report_start
from ..tasks import report_dir
from .common import base_context

#: the newest report jobs the page lists (it says so when there are more, with the way to the job list)
JOBS_SHOWN = 20


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label="学年", coerce=int)
    county = forms.ModelChoiceField(label="县(区)", queryset=County.objects.none(), required=False, empty_label="全市", to_field_name="code")
    format = forms.ChoiceField(label="格式", choices=[("pdf", "PDF"), ("html", "HTML")])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}-{y + 1}") for y in reversed(years())]
        self.fields["county"].queryset = visible(County, user).order_by("code")
        if scope_of(user).role == Role.COUNTY_STAFF:
            self.fields["county"].required = True
            self.fields["county"].empty_label = None


@login_required
@require_http_methods(["GET", "POST"])
def reports(request):
    require_role(request.user, *BUREAU)
    form = ReportForm(request.POST or None, user=request.user, initial={"year": latest_complete_year(), "format": "pdf"})
    if request.method == "POST" and form.is_valid():
        try:
            job = report_start(actor=request.user, year=form.cleaned_data["year"], county=form.cleaned_data["county"], fmt=form.cleaned_data["format"])
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            return redirect("job_detail", pk=job.pk)
    jobs = visible(Job, request.user).filter(kind="supervision.report")
    return render(request, "supervision/reports.html", base_context(request, "sup_reports", form=form, jobs=jobs[:JOBS_SHOWN],
                                                                    jobs_shown=JOBS_SHOWN, jobs_total=jobs.count()))


@login_required
def report_download(request, pk: int):
    require_role(request.user, *BUREAU)
    job = get_visible_or_404(Job.objects.filter(kind="supervision.report"), request.user, pk=pk)
    fmt = job.params.get("format")
    path = report_dir() / f"job-{job.pk}.{fmt}"
    if job.status != Job.Status.SUCCEEDED or not path.exists():
        raise Http404("报告尚未生成 (not ready)")
    name = f"督导通报-{job.params.get('county') or '全市'}-{job.params.get('year')}.{fmt}"
    resp = FileResponse(path.open("rb"), content_type="application/pdf" if fmt == "pdf" else "text/html; charset=utf-8")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp
