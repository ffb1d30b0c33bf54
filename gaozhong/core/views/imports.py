"""Import pages (upload a file, run it as a job, see row/column errors or the result), templates and exports."""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gaozhong.core.importspecs import SPECS
from gaozhong.core.models import School, Student, Teacher
from gaozhong.core.scoping import scope_of, visible
from gaozhong.core.roles import STAFF
from gaozhong.core.services.exports import personal_export_record, wants_full_ids
from gaozhong.core.services.imports import may_import
from gaozhong.core.services.jobs import job_start
from gaozhong.core.tasks import run_import
from gaozhong.core.services.uploads import store_upload
from gaozhong.importer.export import write_xlsx
from gaozhong.importer.templates import build_template, template_filename

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(label="文件 (.xlsx 或 .csv)")

    def clean_file(self):
        f = self.cleaned_data["file"]
        name = f.name.lower()
        if not (name.endswith(".xlsx") or name.endswith(".csv")):
            raise forms.ValidationError("请上传 .xlsx 或 .csv 文件 (upload an .xlsx or .csv file)")
        if f.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(f"文件超过 {settings.IMPORT_MAX_BYTES // 1024 // 1024} MB (file too large)")
        return f


def _spec_or_404(kind: str):
    if kind not in SPECS:
        raise Http404("no such import")
    return SPECS[kind]


@login_required
def import_list(request):
    kinds = [s for s in SPECS.values() if may_import(request.user, s.name)]
    if not kinds:
        raise PermissionDenied("当前角色不能导入数据")
    return render(request, "core/import_list.html", {"specs": kinds})


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, kind: str):
    spec = _spec_or_404(kind)
    if not may_import(request.user, kind):
        raise PermissionDenied("当前角色不能导入此类数据")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        stored = store_upload(f)
        scope = scope_of(request.user)
        job = job_start(
            actor=request.user, kind=f"import.{kind}", title=f"导入{spec.title_zh}：{f.name}", task=run_import,
            params={"kind": kind, "path": str(stored), "filename": f.name}, county_id=scope.county_id, school_id=scope.school_id,
        )
        return redirect("job_detail", pk=job.pk)
    return render(request, "core/import_upload.html", {"spec": spec, "form": form})


@login_required
def import_template(request, kind: str):
    spec = _spec_or_404(kind)
    if not may_import(request.user, kind):
        raise PermissionDenied("当前角色不能导入此类数据")
    resp = HttpResponse(build_template(spec), content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(template_filename(spec))}"
    return resp


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


EXPORTS = {
    "schools": (School, lambda s: {"code": s.code, "name": s.name, "county": s.county.code, "level": s.level, "ownership": s.ownership, "quality": s.quality, "founded_year": s.founded_year, "address": s.address or None}),
    "students": (Student, lambda s: {"student_no": s.student_no, "id_number": s.id_number, "name": s.name, "gender": s.gender, "birth_date": s.birth_date, "school": s.school.code, "entry_year": s.entry_year,
                                     "grade": s.admin_class.grade if s.admin_class else None, "class_number": s.admin_class.number if s.admin_class else None, "status": s.status, "exam_no": s.exam_no or None, "entry_score": s.entry_score}),
    "teachers": (Teacher, lambda t: {"staff_no": t.staff_no, "id_number": t.id_number, "name": t.name, "gender": t.gender, "county": t.county.code, "school": t.school.code if t.school else None,
                                     "subjects": ";".join(s.name for s in t.subjects.all()) or None, "title": t.title, "post": t.post, "hire_date": t.hire_date, "is_bianzhi": t.is_bianzhi}),
}


@login_required
def export_xlsx(request, kind: str):
    """The rows of one kind the user may see, as .xlsx. ID numbers are masked unless ``?full=1`` is asked by a
    role that may take them out (``may_take_full_ids``); every export is audited (personal data of minors leaves
    the platform)."""
    if kind not in EXPORTS:
        raise Http404("no such export")
    scope = scope_of(request.user)
    if scope.role not in STAFF:
        raise PermissionDenied("当前角色不能导出")
    model, to_row = EXPORTS[kind]
    qs = visible(model, request.user)
    if model is Student:
        qs = qs.select_related("school", "admin_class")
    elif model is Teacher:
        qs = qs.select_related("school", "county").prefetch_related("subjects")
    else:
        qs = qs.select_related("county")
    full = kind != "schools" and wants_full_ids(request)
    buf = io.BytesIO()
    # The 学籍号 embeds the 身份证号 (G + ID), so it is masked wherever the ID is.
    mask = () if full or kind == "schools" else ("id_number", "student_no") if kind == "students" else ("id_number",)
    n = write_xlsx(buf, SPECS[kind], (to_row(o) for o in qs.iterator(chunk_size=2000)), mask=mask)
    personal_export_record(actor=request.user, action=f"core.{kind}.exported", object_type=f"export.{kind}", filename=f"{kind}.xlsx",
                           rows=n, full=full)
    resp = HttpResponse(buf.getvalue(), content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(SPECS[kind].title_zh)}.xlsx"
    return resp
