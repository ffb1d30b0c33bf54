"""Selection-window pages: the list (with the FET upload), opening a window, its page (choice statistics, what the choices need against
what the school has, imports, the solve), its settings, the student's own choice form, and imports."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gaozhong.core.masking import mask_student_no
from gaozhong.core.models import Job, Role, School, Student
from gaozhong.core.scoping import can_write, get_visible_or_404, get_writable_or_403, require_role, scope_of, visible
from gaozhong.core.selectors import current_year
from gaozhong.core.services.exports import personal_export_record, wants_full_ids
from gaozhong.core.services.jobs import job_start
from gaozhong.core.views.imports import UploadForm
from gaozhong.core.services.uploads import store_upload
from gaozhong.importer.export import write_xlsx
from gaozhong.importer.templates import build_template, template_filename

from ..forms import ChooseForm, SolveForm, WindowCreateForm, WindowEditForm
from ..importspecs import SPECS
from ..models import Choice, Window
from ..selectors import choice_stats, needs, student_timetable, student_window, window_resources, window_rows
from ..services.choices import choice_set
from ..services.common import STAFF_ROLES, Refused
from ..services.timetables import solve_start
from ..services.windows import window_create, window_update
from ..slots import weekday
from ..tasks import run_electives_import
from .fet import fet_form, fet_jobs

#: the newest timetables of a window and the students without choices its page lists (it says when there are more)
TIMETABLES_SHOWN, MISSING_SHOWN = 20, 60

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def index(request):
    scope = scope_of(request.user)
    if scope.role == Role.STUDENT:
        return redirect("electives_choose")
    if scope.role == Role.TEACHER:
        return redirect("electives_my")
    require_role(request.user, *STAFF_ROLES)
    windows = visible(Window, request.user).select_related("school", "school_year")
    return render(request, "electives/index.html", {"windows": windows, "fet_form": fet_form(request.user), **fet_jobs(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def window_new(request):
    require_role(request.user, *STAFF_ROLES)
    schools = visible(School, request.user).filter(level=School.Level.SENIOR).order_by("code")
    form = WindowCreateForm(request.POST or None, schools=schools)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            w = window_create(actor=request.user, school_year=current_year(), **form.cleaned_data)
        except Refused as exc:
            refusal = exc.reasons
        else:
            messages.success(request, "选课窗口已开放")
            return redirect("electives_window", pk=w.pk)
    return render(request, "electives/form.html", {"form": form, "title": "开放选课窗口", "refusal": refusal})


@login_required
def window_detail(request, pk: int):
    require_role(request.user, *STAFF_ROLES)
    window = get_visible_or_404(Window.objects.select_related("school", "school_year"), request.user, pk=pk)
    last_job = visible(Job, request.user).filter(kind="electives.solve", params__window_id=window.pk).first()
    timetables = window.timetables.select_related("created_by").order_by("-created_at")
    need = needs(window)
    missing = need["missing"]
    return render(request, "electives/window.html", {
        "window": window, "stats": choice_stats(window), "needs": need, "may_write": can_write(request.user, window),
        "solve_form": SolveForm(), "last_job": last_job, "timetables": timetables[:TIMETABLES_SHOWN],
        "timetables_shown": TIMETABLES_SHOWN, "timetables_total": timetables.count(), "missing": missing[:MISSING_SHOWN], "missing_n": len(missing),
        "specs": SPECS.values(), "now": timezone.now(), "resources": window_resources(window),
    })


@login_required
@require_http_methods(["GET", "POST"])
def window_edit(request, pk: int):
    require_role(request.user, *STAFF_ROLES)
    window = get_writable_or_403(Window, request.user, pk=pk)
    initial = {f: getattr(window, f) for f in WindowEditForm.base_fields}
    initial["closes_at"] = timezone.localtime(window.closes_at).strftime("%Y-%m-%dT%H:%M")
    initial["blocked"] = [v for v in window.blocked.split(";") if v]
    form = WindowEditForm(request.POST or None, initial=initial)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            window_update(actor=request.user, window=window, **form.cleaned_data)
        except Refused as exc:
            refusal = exc.reasons
        else:
            messages.success(request, "已保存")
            return redirect("electives_window", pk=window.pk)
    return render(request, "electives/window_edit.html", {"form": form, "title": f"设置：{window}", "refusal": refusal, "window": window,
                                                         "week": form.week(window.days, window.periods_per_day),
                                                         "day_names": [weekday(d) for d in range(1, window.days + 1)]})


@login_required
@require_POST
def solve(request, pk: int):
    require_role(request.user, *STAFF_ROLES)
    window = get_writable_or_403(Window, request.user, pk=pk)
    form = SolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("electives_window", pk=window.pk)
    try:
        job = solve_start(actor=request.user, window=window, **form.cleaned_data)
    except Refused as exc:
        for r in exc.reasons:
            messages.error(request, r)
        return redirect("electives_window", pk=window.pk)
    return redirect("job_detail", pk=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def choose(request):
    """A student's own choice: the window of their class's grade, open until the deadline."""
    scope = require_role(request.user, Role.STUDENT)
    student = get_visible_or_404(Student.objects.select_related("admin_class__school_year", "school"), request.user, pk=scope.student_id)
    window = student_window(user=request.user, student=student)
    choice = visible(Choice, request.user).filter(window=window, student=student).first() if window else None
    initial = {}
    if choice:
        codes = choice.codes
        initial = {"first": codes[0], "second": codes[1:]}
    form = ChooseForm(request.POST or None, initial=initial)
    refusal = None
    if request.method == "POST" and window is not None and form.is_valid():
        try:
            choice_set(actor=request.user, window=window, student=student, codes=form.codes())
        except Refused as exc:
            refusal = exc.reasons
        else:
            messages.success(request, "选科已保存")
            return redirect("electives_choose")
    tt = student_timetable(user=request.user, student=student)
    return render(request, "electives/choose.html", {"student": student, "window": window, "choice": choice, "form": form,
                                                     "refusal": refusal, "timetable": tt})


def _spec(kind: str):
    if kind not in SPECS:
        raise Http404("no such import")
    return SPECS[kind]


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, pk: int):
    """Upload a file of ``?kind=`` choices, rooms, plan or limits for the window (run as a job)."""
    require_role(request.user, *STAFF_ROLES)
    window = get_writable_or_403(Window.objects.select_related("school"), request.user, pk=pk)
    spec = _spec(request.GET.get("kind", ""))
    kind = spec.name
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        stored = store_upload(f)
        job = job_start(actor=request.user, kind=f"import.electives.{kind}", title=f"导入{spec.title_zh}：{f.name}", task=run_electives_import,
                        params={"kind": kind, "window_id": window.pk, "path": str(stored), "filename": f.name},
                        county_id=window.school.county_id, school_id=window.school_id)
        return redirect("job_detail", pk=job.pk)
    return render(request, "electives/import_upload.html", {"spec": spec, "form": form, "window": window})


@login_required
def import_template(request, kind: str):
    require_role(request.user, *STAFF_ROLES)
    spec = _spec(kind)
    resp = HttpResponse(build_template(spec), content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(template_filename(spec))}"
    return resp


@login_required
def export(request, pk: int):
    """The window's current ``?kind=`` data in its import's own columns: edit in Excel, import back. The choices
    name students by 学籍号, which embeds the 身份证号: masked unless asked for in full (``full=1``), and audited."""
    require_role(request.user, *STAFF_ROLES)
    window = get_visible_or_404(Window.objects.select_related("school"), request.user, pk=pk)
    spec = _spec(request.GET.get("kind", ""))
    buf = io.BytesIO()
    rows = window_rows(window, spec.name)
    if spec.name == "choices":
        full = wants_full_ids(request)
        if not full:
            rows = [{**r, "student_no": mask_student_no(r["student_no"])} for r in rows]
        write_xlsx(buf, spec, rows)
        personal_export_record(actor=request.user, action="electives.choices.exported", object_type="export.electives.choices",
                               filename=f"{spec.title_zh}_{window.school.code}_{window.grade}.xlsx", rows=len(rows), full=full,
                               county_id=window.school.county_id, school_id=window.school_id)
    else:
        write_xlsx(buf, spec, rows)
    resp = HttpResponse(buf.getvalue(), content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{spec.title_zh}_{window.school.code}_{window.grade}.xlsx')}"
    return resp
