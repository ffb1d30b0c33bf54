"""Timetable pages: a solved timetable (classes against the bound, sizes, grids to pick), the 课表 grid of an
admin class, teaching class, teacher, room or student (printable, and as Excel), a user's own timetable, moving
one lesson with an instant clash check, the re-solve after a teacher's leave, and the case and result files."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gaozhong.core.masking import mask_student_no
from gaozhong.core.models import Role, Student, Teacher
from gaozhong.core.scoping import can_write, get_visible_or_404, get_writable_or_403, require_role

from ..casebuild import admin_code
from ..exports import case_zip, grids_xlsx
from ..forms import LeaveForm, MoveForm
from ..models import Lesson, Timetable
from ..selectors import build_grid, class_sizes, grid_keys, grid_lessons, student_timetable, teacher_timetable, timetable_teachers
from ..services.common import STAFF_ROLES, Refused
from ..services.timetables import leave_start, lesson_move, move_reasons, result_of_calendar

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = {"admin": "行政班", "class": "教学班", "teacher": "教师", "room": "教室", "student": "学生"}


def _attachment(data: bytes, name: str, ctype: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp


@login_required
def timetable_detail(request, pk: int):
    require_role(request.user, *STAFF_ROLES)
    tt = get_visible_or_404(Timetable.objects.select_related("window__school", "parent", "created_by"), request.user, pk=pk)
    may = can_write(request.user, tt)
    teachers = timetable_teachers(user=request.user, tt=tt)
    return render(request, "electives/timetable.html", {
        "tt": tt, "sizes": class_sizes(tt), "keys": grid_keys(tt), "kinds": KINDS, "may_write": may,
        "leave_form": LeaveForm(teachers=teachers) if may else None, "extra": tt.teaching_classes - tt.lower_bound,
        "pct": 100 * (tt.teaching_classes - tt.lower_bound) / tt.lower_bound if tt.lower_bound else 0,
    })


def _grid_args(request):
    kind = request.GET.get("kind", "admin")
    key = request.GET.get("key", "")
    if kind not in KINDS:
        raise Http404("no such grid")
    return kind, key


@login_required
def grid(request, pk: int):
    require_role(request.user, *STAFF_ROLES)
    tt = get_visible_or_404(Timetable.objects.select_related("window__school"), request.user, pk=pk)
    kind, key = _grid_args(request)
    keys = grid_keys(tt)
    choices = keys.get(kind, [])
    if kind != "student" and key not in {k for k, _ in choices}:
        key = choices[0][0] if choices else ""
    found = grid_lessons(tt, kind, key) if key else None
    g = build_grid(tt, *found) if found else None
    if key and g is None:
        messages.error(request, f"未找到 {key} (not found)")
    return render(request, "electives/grid.html", {"tt": tt, "grid": g, "kind": kind, "key": key, "kinds": KINDS, "keys": choices,
                                                   "may_move": can_write(request.user, tt) and tt.is_current})


@login_required
def grid_xlsx(request, pk: int):
    """One grid (``key`` given) or every grid of a kind (admin classes, teachers, rooms) in one workbook."""
    require_role(request.user, *STAFF_ROLES)
    tt = get_visible_or_404(Timetable.objects.select_related("window__school"), request.user, pk=pk)
    kind, key = _grid_args(request)
    keys = [key] if key else [k for k, _ in grid_keys(tt).get(kind, [])]
    grids = []
    for k in keys:
        found = grid_lessons(tt, kind, k)
        if found is None:
            raise Http404("no such grid")
        grids.append(build_grid(tt, *found))
    name = f"课表_{tt.window.school.code}_{KINDS[kind]}{'_' + key if key else ''}.xlsx"
    return _attachment(grids_xlsx(grids, kind), name, XLSX)


@login_required
def my_timetable(request):
    """A student's or a teacher's own 课表."""
    scope = require_role(request.user, Role.STUDENT, Role.TEACHER)
    if scope.role == Role.STUDENT:
        st = get_visible_or_404(Student.objects.select_related("admin_class__school"), request.user, pk=scope.student_id)
        tt, kind, key = student_timetable(user=request.user, student=st), "student", st.student_no
    else:
        t = get_visible_or_404(Teacher, request.user, pk=scope.teacher_id)
        tt = teacher_timetable(user=request.user, teacher=t)
        kind, key = "teacher", t.staff_no
    g = None
    if tt is not None:
        found = grid_lessons(tt, kind, key)
        g = build_grid(tt, *found) if found else None
    if request.GET.get("format") == "xlsx" and g is not None:
        return _attachment(grids_xlsx([g], kind), f"我的课表_{mask_student_no(key)}.xlsx", XLSX)
    return render(request, "electives/grid.html", {"tt": tt, "grid": g, "kind": kind, "own": True, "kinds": KINDS})


def _lesson(request, pk: int) -> Lesson:
    require_role(request.user, *STAFF_ROLES)
    return get_writable_or_403(Lesson.objects.select_related("teaching_class__timetable__window__school", "teaching_class__subject",
                                                             "teaching_class__teacher", "room"), request.user, pk=pk)


@login_required
def lesson_check(request, pk: int):
    """The instant clash check of a move: every rule it would break (empty list: the move is allowed)."""
    lesson = _lesson(request, pk)
    try:
        day, period = int(request.GET["day"]), int(request.GET["period"])  # a read: POST carries no move
    except (KeyError, ValueError):
        return JsonResponse({"reasons": ["请选择星期和节次 (choose a day and a period)"]}, status=400)
    return JsonResponse({"reasons": move_reasons(lesson, day, period)})


@login_required
@require_http_methods(["GET", "POST"])
def lesson_move_view(request, pk: int):
    lesson = _lesson(request, pk)
    tt = lesson.teaching_class.timetable
    cal = result_of_calendar(tt)
    form = MoveForm(request.POST or None, days=cal.days, periods=cal.periods_per_day, initial={"day": lesson.day, "period": lesson.period})
    refusal = None
    if not tt.is_current:
        refusal = ["这不是当前课表，不能调课 (only the current timetable can be changed)"]
    elif request.method == "POST" and form.is_valid():
        try:
            lesson_move(actor=request.user, lesson=lesson, **form.cleaned_data)
        except Refused as exc:
            refusal = exc.reasons
        else:
            messages.success(request, f"已将 {lesson.teaching_class.code} 调到星期{'一二三四五六日'[lesson.day - 1]}第{lesson.period}节")
            return redirect(f"{_grid_url(tt, lesson)}")
    return render(request, "electives/move.html", {"lesson": lesson, "tt": tt, "form": form, "refusal": refusal})


def _grid_url(tt: Timetable, lesson: Lesson) -> str:
    c = lesson.teaching_class
    if c.admin_class_id:
        return reverse("electives_grid", args=[tt.pk]) + f"?kind=admin&key={admin_code(c.admin_class)}"
    return reverse("electives_grid", args=[tt.pk]) + f"?kind=class&key={quote(c.code)}"


@login_required
@require_POST
def leave(request, pk: int):
    require_role(request.user, *STAFF_ROLES)
    tt = get_writable_or_403(Timetable.objects.select_related("window__school"), request.user, pk=pk)
    teachers = timetable_teachers(user=request.user, tt=tt)
    form = LeaveForm(request.POST, teachers=teachers)
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect("electives_timetable", pk=tt.pk)
    try:
        job = leave_start(actor=request.user, timetable=tt, teacher=form.cleaned_data["teacher"], slots_text=form.cleaned_data["slots"],
                          time_limit=form.cleaned_data["time_limit"])
    except Refused as exc:
        for r in exc.reasons:
            messages.error(request, r)
        return redirect("electives_timetable", pk=tt.pk)
    return redirect("job_detail", pk=job.pk)


@login_required
def case_download(request, pk: int):
    """The case and result files of ``gaozhong timetable solve``, to re-run or check the timetable."""
    require_role(request.user, *STAFF_ROLES)
    tt = get_visible_or_404(Timetable.objects.select_related("window__school"), request.user, pk=pk)
    return _attachment(case_zip(tt), f"timetable_{tt.window.school.code}_{tt.pk}.zip", "application/zip")


