"""Data intake pages: the base-form templates, uploads (run as jobs), the list of submissions and one
submission with its values, rule context and workflow buttons."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gaozhong.core.models import Role, SchoolYear
from gaozhong.core.scoping import can_write, get_visible_or_404, scope_of, visible
from gaozhong.core.roles import BUREAU
from gaozhong.core.services.jobs import job_start
from gaozhong.core.services.uploads import store_upload
from gaozhong.importer.templates import build_template, template_filename

from ..importspecs import LEVEL_FORMS, intake_spec
from ..models import Submission
from ..services.intake import may_import, submission_approve, submission_return, submission_review, submission_submit
from ..tasks import run_intake_import
from .common import base_context, require_supervision, workflow_step

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    level = forms.ChoiceField(label="基表", choices=[(k, v[0]) for k, v in LEVEL_FORMS.items()])
    year = forms.TypedChoiceField(label="学年", coerce=int)
    term = forms.TypedChoiceField(label="学期", coerce=int, choices=Submission.Term.choices)
    file = forms.FileField(label="文件 (.xlsx 或 .csv)")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y.start_year, str(y)) for y in SchoolYear.objects.order_by("-start_year")]
        self.fields["level"].choices = [(k, v[0]) for k, v in LEVEL_FORMS.items() if may_import(user, k)]

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("请上传 .xlsx 或 .csv 文件 (upload an .xlsx or .csv file)")
        if f.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError("文件过大 (file too large)")
        return f


@login_required
def intake(request):
    require_supervision(request.user)
    qs = visible(Submission, request.user).select_related("school", "county", "school_year")
    status = request.GET.get("status")
    if status in Submission.Status.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=Submission.Status.SUPERSEDED)
    level = request.GET.get("level")
    if level in Submission.Level.values:
        qs = qs.filter(level=level)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    form = UploadForm(user=request.user, initial={"year": SchoolYear.objects.filter(is_current=True).values_list("start_year", flat=True).first(), "term": 1})
    levels = [(k, v[0]) for k, v in LEVEL_FORMS.items() if may_import(request.user, k)]
    return render(request, "supervision/intake.html", base_context(
        request, "sup_intake", page=page, form=form, levels=levels, statuses=Submission.Status.choices, status=status or "", level=level or ""))


@login_required
def intake_template(request, level: str):
    require_supervision(request.user)
    if level not in LEVEL_FORMS:
        raise Http404
    if not may_import(request.user, level):
        raise PermissionDenied("当前角色不能填报此基表")
    spec = intake_spec(level)
    resp = HttpResponse(build_template(spec), content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(template_filename(spec))}"
    return resp


@login_required
@require_POST
def intake_upload(request):
    require_supervision(request.user)
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect("sup_intake")
    level = form.cleaned_data["level"]
    if not may_import(request.user, level):
        raise PermissionDenied("当前角色不能填报此基表")
    f = form.cleaned_data["file"]
    stored = store_upload(f)
    scope = scope_of(request.user)
    job = job_start(actor=request.user, kind=f"supervision.intake.{level}", title=f"导入{LEVEL_FORMS[level][0]}：{f.name}", task=run_intake_import,
                    params={"level": level, "year": form.cleaned_data["year"], "term": form.cleaned_data["term"], "path": str(stored), "filename": f.name},
                    county_id=scope.county_id, school_id=scope.school_id)
    return redirect("job_detail", pk=job.pk)


def _actions(user, sub: Submission) -> list[str]:
    """The workflow buttons this user gets on this submission (the services decide; this only hides dead buttons)."""
    role = scope_of(user).role
    if not can_write(user, sub):
        return []
    out = []
    S = Submission.Status
    if sub.status == S.DRAFT:
        out.append("submit")
    if sub.status == S.SUBMITTED and sub.needs_review and role in BUREAU:
        out += ["review", "return"]
    if role == Role.CITY_ADMIN and ((sub.status == S.REVIEWED) or (sub.status == S.SUBMITTED and not sub.needs_review)):
        out.append("approve")
        if "return" not in out:
            out.append("return")
    return out


@login_required
def submission(request, pk: int):
    require_supervision(request.user)
    sub = get_visible_or_404(Submission.objects.select_related("school", "county", "school_year", "submitted_by", "reviewed_by", "approved_by", "returned_by", "replaces"),
                             request.user, pk=pk)
    values = sub.values.select_related("element").order_by("element__order")
    return render(request, "supervision/submission.html", base_context(request, "sup_intake", sub=sub, values=values, actions=_actions(request.user, sub)))


def _act(request, pk: int, fn, ok: str, **kwargs):
    return workflow_step(request, Submission, pk, fn, ok, arg="submission", page="sup_submission", **kwargs)


@login_required
@require_POST
def submission_submit_view(request, pk: int):
    return _act(request, pk, submission_submit, "已提交")


@login_required
@require_POST
def submission_review_view(request, pk: int):
    return _act(request, pk, submission_review, "审核通过，已报市教育局批准")


@login_required
@require_POST
def submission_approve_view(request, pk: int):
    return _act(request, pk, submission_approve, "已批准，数据生效", confirm=True)


@login_required
@require_POST
def submission_return_view(request, pk: int):
    return _act(request, pk, submission_return, "已退回", reason=request.POST.get("reason", ""))
