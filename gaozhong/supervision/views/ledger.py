"""The task ledger: list with overdue flags, one task with milestones, evidence and workflow, creating and
importing tasks, and the scoped evidence download."""

from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from gaozhong.core.listing import Col, Filter, Listing
from gaozhong.core.models import County, Role, School
from gaozhong.core.scoping import can_write, get_visible_or_404, require_role, scope_of, visible
from gaozhong.core.roles import BUREAU
from gaozhong.core.services.jobs import job_start
from gaozhong.importer.templates import build_template, template_filename

from ..importspecs import TASKS
from ..models import Evidence, Milestone, Task
from ..services.ledger import (
    EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, TaskData, evidence_add, evidence_path, late_exceptions, milestone_done, parse_milestones, task_close, task_create,
    task_return, task_start, task_submit,
)
from ..tasks import run_tasks_import
from .common import base_context, require_supervision, workflow_step

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _overdue(task: Task) -> bool:
    return task.status != Task.Status.CLOSED and task.due_date < timezone.localdate()


def _only_overdue(qs, value):
    return qs.exclude(status=Task.Status.CLOSED).filter(due_date__lt=timezone.localdate())


LEDGER = Listing(
    name="supervision_tasks", title="督导台账", default_sort="due", search=("title", "responsible_unit", "responsible_person"),
    columns=[
        Col("title", "任务", lambda t: t.title, sort="title", link=lambda t: reverse("sup_task", args=[t.pk])),
        Col("kind", "类型", lambda t: t.get_kind_display(), sort="kind"),
        Col("unit", "单位", lambda t: t.unit_name, sort="county__code"),
        Col("responsible", "责任单位 / 责任人", lambda t: f"{t.responsible_unit} / {t.responsible_person}", sort="responsible_unit"),
        Col("due", "完成时限", lambda t: t.due_date, sort="due_date", kind="date", numeric=True,
            flag=lambda t: gettext("逾期") if _overdue(t) else None),
        Col("status", "状态", lambda t: t.get_status_display(), sort="status"),
    ],
    filters=[
        Filter("status", "状态", lambda user: Task.Status.choices, lambda qs, v: qs.filter(status=v)),
        Filter("kind", "类型", lambda user: Task.Kind.choices, lambda qs, v: qs.filter(kind=v)),
        Filter("county", "县(区)", lambda user: [(c.code, c.name) for c in visible(County, user).order_by("code")],
               lambda qs, v: qs.filter(county__code=v)),
        Filter("overdue", "期限", lambda user: [("1", gettext("只看逾期"))], _only_overdue, all_label="全部"),
    ],
    row_class=lambda t: "overdue" if _overdue(t) else "",
)


@login_required
def ledger(request):
    require_supervision(request.user)
    qs = visible(Task, request.user).select_related("county", "school", "indicator")
    today = timezone.localdate()
    counts = {"all": visible(Task, request.user).count(),
              "overdue": visible(Task, request.user).exclude(status=Task.Status.CLOSED).filter(due_date__lt=today).count(),
              "submitted": visible(Task, request.user).filter(status__in=[Task.Status.SUBMITTED, Task.Status.VERIFIED]).count()}
    return LEDGER.respond(request, qs, lambda listing: render(request, "supervision/ledger.html", base_context(
        request, "sup_ledger", l=listing, today=today, counts=counts, exceptions=late_exceptions(request.user),
        can_create=scope_of(request.user).role in BUREAU)))


def _actions(user, task: Task) -> list[str]:
    if not can_write(user, task):
        return []
    role = scope_of(user).role
    S = Task.Status
    out = []
    if task.status in (S.OPEN, S.RETURNED):
        out.append("start")
    if task.status in (S.OPEN, S.IN_PROGRESS, S.RETURNED):
        out += ["evidence", "submit"]
    if task.status in (S.SUBMITTED, S.VERIFIED) and role == Role.CITY_ADMIN:
        out += ["close", "return"]
    return out


@login_required
def task_detail(request, pk: int):
    require_supervision(request.user)
    task = get_visible_or_404(Task.objects.select_related("county", "school", "indicator", "created_by", "closed_by"), request.user, pk=pk)
    return render(request, "supervision/task.html", base_context(
        request, "sup_ledger", task=task, milestones=task.milestones.all(), evidence=task.evidence.select_related("uploaded_by"),
        actions=_actions(request.user, task), today=timezone.localdate(), types="、".join(sorted(EVIDENCE_TYPES)),
        max_mb=EVIDENCE_MAX_BYTES // 1024 // 1024))


def _act(request, pk: int, fn, ok: str, **kwargs):
    return workflow_step(request, Task, pk, fn, ok, arg="task", page="sup_task", **kwargs)


@login_required
@require_POST
def task_start_view(request, pk: int):
    return _act(request, pk, task_start, "已开始推进")


@login_required
@require_POST
def task_submit_view(request, pk: int):
    return _act(request, pk, task_submit, "已申请销号，待市教育局审核")


@login_required
@require_POST
def task_close_view(request, pk: int):
    return _act(request, pk, task_close, "已销号", reason=request.POST.get("reason", ""), confirm=True)


@login_required
@require_POST
def task_return_view(request, pk: int):
    return _act(request, pk, task_return, "已退回", reason=request.POST.get("reason", ""))


@login_required
@require_POST
def evidence_upload(request, pk: int):
    require_supervision(request.user)
    task = get_visible_or_404(Task, request.user, pk=pk)
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, "请选择文件 (choose a file)")
        return redirect("sup_task", pk=task.pk)
    if f.size > EVIDENCE_MAX_BYTES:
        messages.error(request, f"文件超过 {EVIDENCE_MAX_BYTES // 1024 // 1024} MB (file too large)")
        return redirect("sup_task", pk=task.pk)
    try:
        evidence_add(actor=request.user, task=task, name=f.name, data=f.read(), note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "已上传佐证材料")
    return redirect("sup_task", pk=task.pk)


@login_required
def evidence_download(request, pk: int):
    """Only users who may see the task get the file; it is sent as an attachment with its checked type."""
    require_supervision(request.user)
    ev = get_visible_or_404(Evidence.objects.select_related("task"), request.user, pk=pk)
    path = evidence_path(ev)
    if not path.exists():
        raise Http404("文件不存在 (file missing)")
    resp = FileResponse(path.open("rb"), content_type=ev.content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(ev.original_name)}"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@login_required
@require_POST
def milestone_done_view(request, pk: int):
    require_supervision(request.user)
    m = get_visible_or_404(Milestone.objects.select_related("task"), request.user, pk=pk)
    try:
        day = forms.DateField().clean(request.POST.get("done_on") or timezone.localdate().isoformat())
        milestone_done(actor=request.user, milestone=m, done_on=day)
    except (ValidationError, forms.ValidationError) as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "节点已完成")
    return redirect("sup_task", pk=m.task_id)


class TaskForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[(Task.Kind.PROJECT, "重点工程项目"), (Task.Kind.POLICY, "政策任务")])
    title = forms.CharField(label="任务", max_length=200)
    county = forms.ModelChoiceField(label="县(区)", queryset=County.objects.none(), required=False, empty_label="（市级任务）")
    school = forms.ModelChoiceField(label="学校（可选）", queryset=School.objects.none(), required=False)
    responsible_unit = forms.CharField(label="责任单位", max_length=100)
    responsible_person = forms.CharField(label="责任人", max_length=60)
    due_date = forms.DateField(label="完成时限", widget=forms.DateInput(attrs={"type": "date"}))
    milestones = forms.CharField(label="节点（“日期 节点名称”，用分号分隔）", required=False, max_length=1000)
    source_clause = forms.CharField(label="依据", required=False, max_length=60)
    description = forms.CharField(label="内容与路线图", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    late_reason = forms.CharField(label="晚于条款时限的理由（仅市教育局；完成时限晚于依据条款的时限时必填）", required=False, max_length=300)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = visible(County, user).order_by("code")
        self.fields["school"].queryset = visible(School, user).filter(level=School.Level.SENIOR).order_by("code")

    def clean_milestones(self):
        try:
            return parse_milestones(self.cleaned_data["milestones"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request):
    require_role(request.user, *BUREAU)
    form = TaskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            task = task_create(actor=request.user, data=TaskData(
                kind=d["kind"], title=d["title"], responsible_unit=d["responsible_unit"], responsible_person=d["responsible_person"],
                due_date=d["due_date"], county=d["county"], school=d["school"], description=d["description"], source_clause=d["source_clause"],
                milestones=d["milestones"], late_reason=d["late_reason"]))
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, "已建立任务")
            return redirect("sup_task", pk=task.pk)
    return render(request, "supervision/form.html", base_context(request, "sup_ledger", form=form, title="新建台账任务"))


@login_required
@require_http_methods(["GET", "POST"])
def tasks_import_view(request):
    require_role(request.user, *BUREAU)
    if request.method == "POST":
        f = request.FILES.get("file")
        if f is None or not f.name.lower().endswith((".xlsx", ".csv")) or f.size > settings.IMPORT_MAX_BYTES:
            messages.error(request, "请上传不超过限额的 .xlsx 或 .csv 文件 (upload an .xlsx or .csv file)")
            return redirect("sup_tasks_import")
        folder = Path(settings.UPLOAD_DIR) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        stored = folder / f"{uuid.uuid4().hex}{Path(f.name).suffix.lower()}"
        with stored.open("wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        scope = scope_of(request.user)
        job = job_start(actor=request.user, kind="supervision.tasks", title=f"导入台账任务：{f.name}", task=run_tasks_import,
                        params={"path": str(stored), "filename": f.name}, county_id=scope.county_id, school_id=scope.school_id)
        return redirect("job_detail", pk=job.pk)
    return render(request, "supervision/tasks_import.html", base_context(request, "sup_ledger", spec=TASKS))


@login_required
def tasks_template(request):
    require_role(request.user, *BUREAU)
    resp = HttpResponse(build_template(TASKS), content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(template_filename(TASKS))}"
    return resp
