"""Import pages of admissions (中考考生与成绩, 招生计划, 志愿): upload a file for a year, run it as a job with
progress, see every row/column problem or the counts; the template is generated from the import's spec."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gaozhong.admissions.importspecs import SPECS
from gaozhong.admissions.selectors import current_admission_year
from gaozhong.admissions.services.imports import may_import
from gaozhong.admissions.tasks import run_admissions_import
from gaozhong.core.scoping import scope_of
from gaozhong.core.services.jobs import job_start
from gaozhong.core.services.uploads import store_upload
from gaozhong.core.views.imports import XLSX, UploadForm
from gaozhong.importer.templates import build_template, template_filename


class YearUploadForm(UploadForm):
    year = forms.IntegerField(label="招生年份", min_value=2000, max_value=2100)


def _spec(request, kind: str):
    if kind not in SPECS:
        raise Http404("no such import")
    if not may_import(request.user, kind):
        raise PermissionDenied("当前角色不能导入此类数据")
    return SPECS[kind]


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, kind: str):
    spec = _spec(request, kind)
    current = current_admission_year()
    form = YearUploadForm(request.POST or None, request.FILES or None, initial={"year": current.year if current else None})
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        year = form.cleaned_data["year"]
        stored = store_upload(f)
        scope = scope_of(request.user)
        job = job_start(actor=request.user, kind=f"import.admissions.{kind}", title=f"导入{year} 年{spec.title_zh}：{f.name}", task=run_admissions_import,
                        params={"kind": kind, "year": year, "path": str(stored), "filename": f.name}, county_id=scope.county_id, school_id=scope.school_id)
        return redirect("job_detail", pk=job.pk)
    return render(request, "admissions/import_upload.html", {"spec": spec, "form": form})


@login_required
def import_template(request, kind: str):
    spec = _spec(request, kind)
    resp = HttpResponse(build_template(spec), content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(template_filename(spec))}"
    return resp
