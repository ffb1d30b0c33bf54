"""One app's import pages: the upload page (the file runs as a background job; the job page shows every problem
with sheet, row and column, or the counts) and the template download, built from the app's specs.

An app declares ``pages = ImportPages(specs=SPECS, may_import=may_import, task=run_x_import,
template_url="x_import_template")`` and routes ``pages.upload`` and ``pages.template``.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gaozhong.core.scoping import scope_of
from gaozhong.core.services.jobs import job_start
from gaozhong.core.services.uploads import store_upload
from gaozhong.core.views.imports import XLSX, UploadForm
from gaozhong.importer.templates import build_template, template_filename


class ImportPages:
    def __init__(self, *, specs: dict, may_import: Callable, task, template_url: str,
                 page: str = "core/import_upload_app.html"):
        self.specs, self.may_import, self.task, self.template_url, self.page = specs, may_import, task, template_url, page
        self.upload = login_required(require_http_methods(["GET", "POST"])(self._upload))
        self.template = login_required(self._template)

    def spec(self, request, kind: str):
        if kind not in self.specs:
            raise Http404("no such import")
        if not self.may_import(request.user, kind):
            raise PermissionDenied("当前角色不能导入此类数据")
        return self.specs[kind]

    def _upload(self, request, kind: str):
        spec = self.spec(request, kind)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            f = form.cleaned_data["file"]
            stored = store_upload(f)
            scope = scope_of(request.user)
            job = job_start(actor=request.user, kind=f"import.{kind}", title=f"导入{spec.title_zh}：{f.name}", task=self.task,
                            params={"kind": kind, "path": str(stored), "filename": f.name},
                            county_id=scope.county_id, school_id=scope.school_id)
            return redirect("job_detail", pk=job.pk)
        return render(request, self.page, {"spec": spec, "form": form, "template_url": self.template_url})

    def _template(self, request, kind: str):
        spec = self.spec(request, kind)
        resp = HttpResponse(build_template(spec), content_type=XLSX)
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(template_filename(spec))}"
        return resp
