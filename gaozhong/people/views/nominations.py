"""Nomination pages: put a teacher forward (promotion, title, award) and the bureau's approval; the one-vote
veto refuses both with its reason and the blocking 师德 records shown (that showing is audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gaozhong.core.models import Teacher
from gaozhong.core.scoping import get_writable_or_403, require_role, visible

from ..forms import DecideForm, NominationForm
from ..models import Nomination
from ..services.common import Refused
from ..services.nominations import nominate, nomination_decide
from .common import ADMIN_ROLES, BUREAU_ROLES, add_errors, page_of
from .profile import _with_refusal


@login_required
def nomination_list(request):
    scope = require_role(request.user, *ADMIN_ROLES)
    status = request.GET.get("status") or ""
    qs = visible(Nomination, request.user).select_related("teacher__school")
    if status in Nomination.Status.values:
        qs = qs.filter(status=status)
    return render(request, "people/nominations.html", {"page": page_of(request, qs), "status": status,
                                                       "statuses": Nomination.Status.choices, "is_bureau": scope.role in BUREAU_ROLES})


@login_required
@require_http_methods(["GET", "POST"])
def nominate_view(request, pk: int):
    require_role(request.user, *ADMIN_ROLES)
    teacher = get_writable_or_403(Teacher.objects.select_related("school"), request.user, pk=pk)
    form = NominationForm(request.POST or None, initial={"kind": request.GET.get("kind") or Nomination.Kind.TITLE})
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            nominate(actor=request.user, teacher=teacher, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
        except (PermissionDenied, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "已推荐，待教育局审批")
            return redirect("people_teacher", pk=teacher.pk)
    return render(request, "people/form.html", _with_refusal(request, {"form": form, "title": f"推荐：{teacher.name}", "teacher": teacher}, refusal))


@login_required
@require_http_methods(["GET", "POST"])
def decide_view(request, pk: int):
    require_role(request.user, *ADMIN_ROLES)
    nomination = get_writable_or_403(Nomination.objects.select_related("teacher__school"), request.user, pk=pk)
    require_role(request.user, *BUREAU_ROLES)
    form = DecideForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            nomination_decide(actor=request.user, nomination=nomination, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
            nomination.refresh_from_db()
        except (PermissionDenied, ValidationError) as exc:
            add_errors(form, exc)
            nomination.refresh_from_db()
        else:
            messages.success(request, "已审批")
            return redirect("people_nominations")
    return render(request, "people/form.html", _with_refusal(request, {
        "form": form, "title": f"审批推荐：{nomination.teacher.name} {nomination.get_kind_display()} {nomination.target_label}",
        "teacher": nomination.teacher, "nomination": nomination}, refusal))
