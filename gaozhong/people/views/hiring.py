"""Hiring pages: the hire form (refused for a banned person anywhere in the city), the list of pre-hire checks
(准入查询) and the bureau's form to record a check's outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gaozhong.core.models import School
from gaozhong.core.scoping import get_writable_or_403, require_role, visible

from ..forms import HireCheckForm, HireForm
from ..models import HireCheck
from ..services.common import Refused
from ..services.hiring import hire_check_record, teacher_hire
from .common import ADMIN_ROLES, BUREAU_ROLES, add_errors, page_of


@login_required
@require_http_methods(["GET", "POST"])
def hire_view(request):
    require_role(request.user, *ADMIN_ROLES)
    schools = visible(School, request.user).filter(level=School.Level.SENIOR).order_by("code")
    form = HireForm(request.POST or None, schools=schools)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            t = teacher_hire(actor=request.user, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
        except (PermissionDenied, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已登记 {t.name}；准入查询通过前为未激活状态")
            return redirect("people_teacher", pk=t.pk)
    return render(request, "people/form.html", {"form": form, "title": "新聘教师登记", "refusal": refusal,
                                                "hint": "新聘人员须经准入查询（违法犯罪信息查询）通过后方可上岗。"})


@login_required
def check_list(request):
    scope = require_role(request.user, *ADMIN_ROLES)
    status = request.GET.get("status") or HireCheck.Status.PENDING
    qs = visible(HireCheck, request.user).select_related("teacher__school")
    if status in HireCheck.Status.values:
        qs = qs.filter(status=status)
    return render(request, "people/hire_checks.html", {"page": page_of(request, qs), "status": status,
                                                       "statuses": HireCheck.Status.choices, "is_bureau": scope.role in BUREAU_ROLES})


@login_required
@require_http_methods(["GET", "POST"])
def check_record_view(request, pk: int):
    require_role(request.user, *ADMIN_ROLES)
    check = get_writable_or_403(HireCheck.objects.select_related("teacher__school"), request.user, pk=pk)
    require_role(request.user, *BUREAU_ROLES)
    form = HireCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hire_check_record(actor=request.user, check=check, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "已记录准入查询结果")
            return redirect("people_teacher", pk=check.teacher_id)
    return render(request, "people/form.html", {"form": form, "title": f"准入查询结果：{check.teacher.name}", "teacher": check.teacher})
