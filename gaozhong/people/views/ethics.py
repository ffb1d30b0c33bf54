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
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from gaozhong.core.listing import Col, Filter, Listing
from gaozhong.core.models import County, Role, School, Teacher
from gaozhong.core.scoping import can_write, get_visible_or_404, get_writable_or_403, require_role, visible

from ..forms import BanForm, EthicsDecideForm, EthicsOpenForm
from ..models import BannedPerson, EthicsRecord
from ..services.ethics import ban_add, bans_viewed, ethics_record_decide, ethics_record_open, ethics_viewed
from .common import ADMIN_ROLES, BUREAU_ROLES, add_errors, page_of


def _period(r: EthicsRecord) -> str:
    if not r.period_start:
        return "—"
    return f"{r.period_start:%Y-%m-%d} — {r.period_end:%Y-%m-%d}" if r.period_end else f"{r.period_start:%Y-%m-%d} — {gettext('长期')}"


ETHICS = Listing(
    name="ethics", title="师德档案", default_sort="-occurred", search=("teacher__name", "teacher__staff_no__exact", "teacher__school__name"),
    columns=[
        Col("number", "记录", lambda r: r.number, link=lambda r: reverse("people_ethics_detail", args=[r.pk]), kind="identifier"),
        Col("teacher", "教师", lambda r: r.teacher.name, sort="teacher__name", link=lambda r: reverse("people_teacher", args=[r.teacher.pk])),
        Col("staff_no", "教职工号", lambda r: r.teacher.staff_no, sort="teacher__staff_no", kind="identifier"),
        Col("school", "学校", lambda r: r.teacher.school.name if r.teacher.school else r.teacher.county.name, sort="teacher__school__code"),
        Col("category", "类别", lambda r: r.get_category_display(), sort="category"),
        Col("occurred", "发生日期", lambda r: r.occurred_on, sort="occurred_on", kind="date"),
        Col("status", "状态", lambda r: r.get_status_display(), sort="status"),
        Col("period", "影响期", _period, sort="period_start"),
        Col("veto", "今日一票否决", lambda r: gettext("否决") if r.blocks_today else "—"),
    ],
    filters=[
        Filter("status", "状态", lambda user: EthicsRecord.Status.choices, lambda qs, v: qs.filter(status=v)),
        Filter("category", "类别", lambda user: EthicsRecord.Category.choices, lambda qs, v: qs.filter(category=v)),
        Filter("county", "县(区)", lambda user: [(c.code, c.name) for c in visible(County, user).order_by("code")],
               lambda qs, v: qs.filter(teacher__county__code=v)),
        Filter("school", "学校", lambda user: [(s.code, s.name) for s in visible(School, user).filter(level=School.Level.SENIOR).order_by("code")],
               lambda qs, v: qs.filter(teacher__school__code=v)),
    ],
)


@login_required
def ethics_list(request):
    scope = require_role(request.user, *ADMIN_ROLES)
    qs = visible(EthicsRecord, request.user).select_related("teacher__school", "teacher__county")
    if request.GET.get("teacher"):  # the teacher page links here with the staff number
        qs = qs.filter(teacher__staff_no=request.GET["teacher"].strip())

    def page(listing):
        ethics_viewed(actor=request.user, records=listing.page.object_list, page="list")
        return render(request, "people/ethics_list.html", {"l": listing, "is_bureau": scope.role in BUREAU_ROLES})

    return ETHICS.respond(request, qs, page)


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
