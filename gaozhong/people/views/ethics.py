"""师德 pages: the list (filter by county, school, teacher, status), one record, opening a record and the
bureau's decision; the city's ban list. Every page that shows records writes one audit row listing them
(``people.ethics.viewed``); teachers, students and parents get 403 before anything is read.

Who sees what (docs/people.md): city bureau, the teacher's county bureau and the teacher's school 教务.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gaozhong.core.models import Role, Teacher
from gaozhong.core.scoping import can_write, get_visible_or_404, get_writable_or_403, require_role, visible

from ..forms import BanForm, EthicsDecideForm, EthicsOpenForm
from ..models import BannedPerson, EthicsRecord
from ..services.ethics import ban_add, bans_viewed, ethics_record_decide, ethics_record_open, ethics_viewed
from .common import ADMIN_ROLES, BUREAU_ROLES, add_errors, page_of


@login_required
def ethics_list(request):
    scope = require_role(request.user, *ADMIN_ROLES)
    qs = visible(EthicsRecord, request.user).select_related("teacher__school", "teacher__county")
    f = {k: (request.GET.get(k) or "").strip() for k in ("status", "teacher", "school")}
    if f["status"] in EthicsRecord.Status.values:
        qs = qs.filter(status=f["status"])
    if f["teacher"]:
        qs = qs.filter(teacher__staff_no=f["teacher"])
    if f["school"]:
        qs = qs.filter(teacher__school__code=f["school"])
    page = page_of(request, qs)
    ethics_viewed(actor=request.user, records=page.object_list, page="list")
    return render(request, "people/ethics_list.html", {"page": page, "f": f, "statuses": EthicsRecord.Status.choices,
                                                       "is_bureau": scope.role in BUREAU_ROLES})


@login_required
def ethics_detail(request, pk: int):
    scope = require_role(request.user, *ADMIN_ROLES)
    record = get_visible_or_404(EthicsRecord.objects.select_related("teacher__school", "teacher__county"), request.user, pk=pk)
    ethics_viewed(actor=request.user, records=[record], page="detail")
    return render(request, "people/ethics_detail.html", {
        "record": record, "can_decide": scope.role in BUREAU_ROLES and record.status == EthicsRecord.Status.OPEN and can_write(request.user, record),
    })


@login_required
@require_http_methods(["GET", "POST"])
def ethics_add(request, pk: int):
    require_role(request.user, *ADMIN_ROLES)
    teacher = get_writable_or_403(Teacher, request.user, pk=pk)
    form = EthicsOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rec = ethics_record_open(actor=request.user, teacher=teacher, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已登记 {rec.number}")
            return redirect("people_ethics_detail", pk=rec.pk)
    return render(request, "people/form.html", {"form": form, "title": f"登记师德记录：{teacher.name}", "teacher": teacher})


@login_required
@require_http_methods(["GET", "POST"])
def ethics_decide_view(request, pk: int):
    require_role(request.user, *ADMIN_ROLES)
    record = get_writable_or_403(EthicsRecord.objects.select_related("teacher__school", "teacher__county"), request.user, pk=pk)
    require_role(request.user, *BUREAU_ROLES)
    form = EthicsDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ethics_record_decide(actor=request.user, record=record, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            add_errors(form, exc)
            record.refresh_from_db()
        else:
            messages.success(request, "已处理")
            return redirect("people_ethics_detail", pk=record.pk)
    ethics_viewed(actor=request.user, records=[record], page="decide")
    return render(request, "people/form.html", {"form": form, "title": f"处理 {record.number}", "teacher": record.teacher, "record": record})


@login_required
def ban_list(request):
    require_role(request.user, Role.CITY_ADMIN)
    page = page_of(request, visible(BannedPerson, request.user).select_related("county"))
    bans_viewed(actor=request.user, bans=page.object_list)
    return render(request, "people/ban_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def ban_add_view(request):
    require_role(request.user, Role.CITY_ADMIN)
    form = BanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ban_add(actor=request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "已列入禁入名单")
            return redirect("people_bans")
    return render(request, "people/form.html", {"form": form, "title": "列入全行业禁入名单"})
