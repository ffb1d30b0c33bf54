"""Import pages of the evaluation app: upload a 高考成绩 or 学校年度指标 file, or a value-added data set in the
engine's CSV format (each run as a background job whose page shows every problem or the counts), and download
a template."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gaozhong.core.services.jobs import job_start
from gaozhong.core.services.uploads import store_upload
from gaozhong.core.views.importpages import ImportPages

from ..importspecs import SPECS
from ..services.imports import may_import
from ..tasks import run_evaluation_import


class DatasetForm(forms.Form):
    file = forms.FileField(label="数据文件")
    entry_year = forms.IntegerField(label="入学年份（届别）", min_value=2000, max_value=2100)
    outcome_year = forms.IntegerField(label="结果年份（默认入学年份 + 3）", min_value=2000, max_value=2100, required=False)
    outcome = forms.CharField(label="结果列", max_length=60)
    group = forms.CharField(label="分组列（学校代码）", max_length=60)
    covariates = forms.CharField(label="协变量列（逗号分隔，可空）", max_length=300, required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".csv"):
            raise forms.ValidationError("请上传 .csv 文件 (upload the engine's CSV file)")
        return f

    def clean_covariates(self):
        return [c.strip() for c in self.cleaned_data["covariates"].split(",") if c.strip()]


PAGES = ImportPages(specs=SPECS, may_import=may_import, task=run_evaluation_import, template_url="evaluation_import_template")
upload, template = PAGES.upload, PAGES.template


@login_required
@require_http_methods(["GET", "POST"])
def dataset_upload(request):
    if not may_import(request.user, "value_added"):
        raise PermissionDenied("增值评价数据由市教育局导入")
    form = DatasetForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        stored = store_upload(d["file"])
        job = job_start(actor=request.user, kind="import.value_added", title=f"导入增值评价数据：{d['file'].name}", task=run_evaluation_import,
                        params={"kind": "value_added", "path": str(stored), "filename": d["file"].name, "entry_year": d["entry_year"],
                                "outcome_year": d["outcome_year"], "outcome": d["outcome"], "group": d["group"], "covariates": d["covariates"]},
                        county_id=None, school_id=None)
        return redirect("job_detail", pk=job.pk)
    return render(request, "evaluation/dataset_upload.html", {"form": form})
