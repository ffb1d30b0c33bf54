"""Timetable pages: a solved timetable (classes against the bound, sizes, grids to pick), the 课表 grid of an
admin class, teaching class, teacher, room or student (printable, and as Excel; for staff, a lesson clicked there
lights up its free slots and swaps), a user's own timetable, the move page (the same picks without scripts), the
re-solve after a teacher's leave picked on the teacher's week and the printable list of what it moved, and the
case and result files."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from gaozhong.core.masking import mask_student_no
from gaozhong.core.models import Role, Student, Teacher
from gaozhong.core.scoping import can_write, get_visible_or_404, get_writable_or_403, require_role

from ..adjust import leave_cells, leave_unavailable, lesson_choices, timetable_changes
from ..casebuild import admin_code
from ..exports import case_zip, grids_xlsx
from ..forms import LeaveForm, MoveForm
from ..models import Lesson, Timetable
from ..notices import changes_pdf
from ..selectors import build_grid, class_sizes, grid_keys, grid_lessons, student_timetable, teacher_timetable, timetable_teachers
from ..services.common import STAFF_ROLES, Refused
from ..services.timetables import leave_start, lesson_move, lesson_swap, result_of_calendar
from ..slots import slot_label, weekday

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
        "leave_teachers": teachers if may else None, "extra": tt.teaching_classes - tt.lower_bound,
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
                                                             "teaching_class__teacher", "teaching_class__admin_class", "room"),
                               request.user, pk=pk)


@login_required
def lesson_options(request, pk: int):
    """Every free slot of a lesson and every lesson it can swap with (对调), with why each other slot is not free:
    what the grid lights up when the clerk clicks a lesson."""
    lesson = _lesson(request, pk)
    if not lesson.teaching_class.timetable.is_current:
        return JsonResponse({"refusal": [gettext("这不是当前课表，不能调课。")]}, status=409)
    return JsonResponse(lesson_choices(lesson).as_json())


def _next_url(request, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return nxt if nxt and ok else default


@login_required
@require_http_methods(["GET", "POST"])
def lesson_move_view(request, pk: int):
    """The move page: the lesson's week with every free slot and every swap to pick (the grid page does the same
    in place when scripts run). A POST moves or swaps through the services and goes back to the grid."""
    lesson = _lesson(request, pk)
    tt = lesson.teaching_class.timetable
    back = _next_url(request, _grid_url(tt, lesson))
    refusal = None
    form = MoveForm(request.POST or None)
    if not tt.is_current:
        refusal = [gettext("这不是当前课表，不能调课。")]
    elif request.method == "POST":
        if not form.is_valid():
            refusal = [e for errs in form.errors.values() for e in errs]
        else:
            kind, what = form.cleaned_data["target"]
            before = slot_label(lesson.day, lesson.period)
            try:
                if kind == "slot":
                    lesson_move(actor=request.user, lesson=lesson, day=what[0], period=what[1])
                else:
                    other = get_writable_or_403(Lesson.objects.select_related("teaching_class__timetable__window__school"), request.user, pk=what)
                    lesson, other = lesson_swap(actor=request.user, lesson=lesson, other=other)
            except Refused as exc:
                refusal = exc.reasons
            else:
                lesson.refresh_from_db()
                name = f"{lesson.teaching_class.code} {lesson.teaching_class.subject.name}"
                if kind == "slot":
                    messages.success(request, gettext("已将 %(name)s 从 %(before)s 调到 %(after)s（教室 %(room)s）") % {
                        "name": name, "before": before, "after": slot_label(lesson.day, lesson.period), "room": lesson.room.code})
                else:
                    messages.success(request, gettext("已对调：%(name)s 改到 %(after)s，%(other)s 改到 %(before)s") % {
                        "name": name, "after": slot_label(lesson.day, lesson.period), "before": before,
                        "other": f"{other.teaching_class.code} {other.teaching_class.subject.name}"})
                return redirect(back)
    choices = lesson_choices(lesson) if tt.is_current else None
    return render(request, "electives/move.html", {"lesson": lesson, "tt": tt, "choices": choices, "refusal": refusal, "next": back})


def _grid_url(tt: Timetable, lesson: Lesson) -> str:
    c = lesson.teaching_class
    if c.admin_class_id:
        return reverse("electives_grid", args=[tt.pk]) + f"?kind=admin&key={admin_code(c.admin_class)}"
    return reverse("electives_grid", args=[tt.pk]) + f"?kind=class&key={quote(c.code)}"


@login_required
@require_http_methods(["GET", "POST"])
def leave(request, pk: int):
    """请假重排: pick the teacher, tick the slots of the leave on their week (or whole days), start the re-solve."""
    require_role(request.user, *STAFF_ROLES)
    tt = get_writable_or_403(Timetable.objects.select_related("window__school"), request.user, pk=pk)
    teachers = timetable_teachers(user=request.user, tt=tt)
    cal = result_of_calendar(tt)
    blocked = {cal.day_period(t) for t in cal.blocked}
    form = LeaveForm(request.POST or None, teachers=teachers, days=cal.days, periods=cal.periods_per_day, blocked=blocked,
                     initial={"teacher": request.GET.get("teacher") or None})
    refusal = None
    if not tt.is_current:
        refusal = [gettext("这不是当前课表，请在当前课表上重排。")]
    elif request.method == "POST":
        if form.is_valid():
            try:
                job = leave_start(actor=request.user, timetable=tt, teacher=form.cleaned_data["teacher"], slots=form.picked(),
                                  time_limit=form.cleaned_data["time_limit"])
            except Refused as exc:
                refusal = exc.reasons
            else:
                return redirect("job_detail", pk=job.pk)
        else:
            refusal = [e for errs in form.errors.values() for e in errs]
    teacher = None
    raw = form["teacher"].value()
    if raw:
        teacher = teachers.filter(pk=raw).first() if str(raw).isdigit() else None
    week = None
    if teacher is not None:
        found = grid_lessons(tt, "teacher", teacher.staff_no)
        week = build_grid(tt, *found) if found else None
    picked = set(form["slots"].value() or [])
    whole = set(form["days"].value() or [])
    cells = leave_cells(week, picked, leave_unavailable(tt, teacher)) if week else None
    days = [(str(d), weekday(d), str(d) in whole) for d in range(1, cal.days + 1)]
    return render(request, "electives/leave.html", {"tt": tt, "form": form, "teacher": teacher, "teachers": teachers, "cells": cells,
                                                    "days": days, "refusal": refusal})


@login_required
def changes(request, pk: int):
    """What a re-solve after a leave changed, lesson by lesson (before → after) and per teacher concerned, to read,
    print (one notice a page) or download as PDF (``?format=pdf``, one teacher with ``&teacher=<教职工号>``)."""
    require_role(request.user, *STAFF_ROLES)
    tt = get_visible_or_404(Timetable.objects.select_related("window__school", "parent", "job"), request.user, pk=pk)
    found = timetable_changes(tt)
    if found is None:
        raise Http404("no source timetable")
    only = request.GET.get("teacher", "")
    notices = [(t, rows) for t, rows in found.by_teacher() if not only or t.staff_no == only]
    if only and not notices:
        raise Http404("no such teacher")
    ctx = {"tt": tt, "changes": found, "notices": notices, "only": only}
    if request.GET.get("format") == "pdf":
        data = changes_pdf(render_to_string("electives/changes_print.html", ctx, request=request))
        name = f"调课通知_{tt.window.school.code}_{tt.pk}{'_' + only if only else ''}.pdf"
        return _attachment(data, name, "application/pdf")
    return render(request, "electives/changes.html", ctx)


@login_required
def case_download(request, pk: int):
    """The case and result files of ``gaozhong timetable solve``, to re-run or check the timetable."""
    require_role(request.user, *STAFF_ROLES)
    tt = get_visible_or_404(Timetable.objects.select_related("window__school"), request.user, pk=pk)
    return _attachment(case_zip(tt), f"timetable_{tt.window.school.code}_{tt.pk}.zip", "application/zip")


