"""A teacher's profile: the foundation's facts plus qualifications, post history, school history (every move
dated), training hours by year and nominations; forms to add a qualification and to change post."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gaozhong.core.models import Teacher
from gaozhong.core.scoping import can_write, get_visible_or_404, get_writable_or_403, scope_of, visible
from gaozhong.core.roles import STAFF

from ..forms import PostForm, QualificationForm
from ..models import HireCheck, Move, Nomination, PostRecord, Qualification, TrainingRecord
from ..services.common import Refused
from ..services.ethics import ethics_viewed
from ..services.profile import post_change, qualification_add
from ..services.veto import VetoRefused
from .common import BUREAU_ROLES, add_errors

#: the newest training records the profile lists (the yearly totals above count all of them)
TRAINING_SHOWN = 30


@login_required
def teacher_profile(request, pk: int):
    teacher = get_visible_or_404(Teacher.objects.select_related("school", "county"), request.user, pk=pk)
    user = request.user
    role = scope_of(user).role
    training = visible(TrainingRecord, user).filter(teacher=teacher).select_related("course").order_by("-completed_on")
    years: dict[int, list] = defaultdict(lambda: [Decimal(0), 0])
    for r in training:
        years[r.completed_on.year][0] += r.hours
        years[r.completed_on.year][1] += 1
    check = visible(HireCheck, user).filter(teacher=teacher).first()
    is_admin = role in STAFF
    return render(request, "people/teacher.html", {
        "teacher": teacher, "can_edit": can_write(user, teacher), "is_bureau": role in BUREAU_ROLES, "is_admin": is_admin,
        "qualifications": visible(Qualification, user).filter(teacher=teacher),
        "posts": visible(PostRecord, user).filter(teacher=teacher).order_by("started_on", "id"),
        "moves": visible(Move, user).filter(teacher=teacher).select_related("from_school", "to_school").order_by("moved_on", "id"),
        "training_years": sorted(years.items(), reverse=True), "training": training[:TRAINING_SHOWN],
        "training_shown": TRAINING_SHOWN, "training_total": sum(n for _, n in years.values()),
        "nominations": visible(Nomination, user).filter(teacher=teacher),
        "check": check, "inactive": check is not None and check.status != HireCheck.Status.CLEARED,
    })


@login_required
@require_http_methods(["GET", "POST"])
def qualification_add_view(request, pk: int):
    teacher = get_writable_or_403(Teacher, request.user, pk=pk)
    form = QualificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            qualification_add(actor=request.user, teacher=teacher, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "已添加")
            return redirect("people_teacher", pk=teacher.pk)
    return render(request, "people/form.html", {"form": form, "title": f"添加学历与资格：{teacher.name}", "teacher": teacher})


@login_required
@require_http_methods(["GET", "POST"])
def post_change_view(request, pk: int):
    teacher = get_writable_or_403(Teacher, request.user, pk=pk)
    form = PostForm(request.POST or None, initial={"post": teacher.post})
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            post_change(actor=request.user, teacher=teacher, **form.cleaned_data)
        except VetoRefused as exc:
            refusal = exc
        except Refused as exc:
            refusal = exc
        except (PermissionDenied, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "岗位已变更")
            return redirect("people_teacher", pk=teacher.pk)
    return render(request, "people/form.html", _with_refusal(request, {"form": form, "title": f"岗位变动：{teacher.name}", "teacher": teacher}, refusal))


def _with_refusal(request, context: dict, refusal) -> dict:
    """Add a refusal (reason and records) to a form page; showing veto records is a view of them, audited."""
    if refusal is not None:
        context["refusal"] = refusal
        if isinstance(refusal, VetoRefused):
            ethics_viewed(actor=request.user, records=refusal.records, page="veto-refusal")
    return context
