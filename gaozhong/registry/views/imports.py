"""Import pages of the registry app: upload an attendance, exam-sitting or transfer file (run as a background
job; the job page shows every problem with sheet, row and column, or the counts) and download its template."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gaozhong.core.scoping import scope_of
from gaozhong.core.services.jobs import job_start
from gaozhong.core.services.uploads import store_upload
from gaozhong.core.views.imports import UploadForm
from gaozhong.importer.templates import build_template, template_filename

from ..importspecs import SPECS
from ..services.imports import may_import
from ..tasks import run_registry_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _spec(request, kind: str):
    if kind not in SPECS:
        raise Http404("no such import")
    if not may_import(request.user, kind):
        raise PermissionDenied("当前角色不能导入此类数据")
    return SPECS[kind]


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, kind: str):
    spec = _spec(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        stored = store_upload(f)
        scope = scope_of(request.user)
        job = job_start(actor=request.user, kind=f"import.{kind}", title=f"导入{spec.title_zh}：{f.name}", task=run_registry_import,
                        params={"kind": kind, "path": str(stored), "filename": f.name}, county_id=scope.county_id, school_id=scope.school_id)
        return redirect("job_detail", pk=job.pk)
    return render(request, "registry/import_upload.html", {"spec": spec, "form": form})


@login_required
def template(request, kind: str):
    spec = _spec(request, kind)
    resp = HttpResponse(build_template(spec), content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(template_filename(spec))}"
    return resp
