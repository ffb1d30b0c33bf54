"""Rotation pages: each county's yearly rate against > 15% (table and chart), the proposal of who is due, and
the bureau's move form (Rule: seed 003 §三(五))."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gaozhong.core.listing import Col, Filter, Listing
from gaozhong.core.models import County, School, Teacher
from gaozhong.core.scoping import get_visible_or_404, get_writable_or_403, require_role, visible

from ..engine.rotation import DUE_AFTER_YEARS, ROTATION_TARGET
from ..forms import MoveForm
from ..selectors import reference_date, rotation_due, rotation_rates
from ..services.common import Refused
from ..services.imports import may_import
from ..services.rotation import teacher_move
from .common import BUREAU_ROLES, add_errors


@login_required
def rates(request):
    require_role(request.user, *BUREAU_ROLES)
    data = rotation_rates(user=request.user)
    chart = {
        "years": [str(y) for y in data["years"]],
        "series": [{"name": row["county"].name, "data": [round(float(c.rate) * 100, 1) for c in row["cells"]]} for row in data["table"]],
        "target": float(ROTATION_TARGET) * 100,
    }
    return render(request, "people/rotation.html", {**data, "chart": chart, "target": float(ROTATION_TARGET) * 100,
                                                    "may_import": may_import(request.user, "moves"), "year": reference_date().year})


def _destinations(x) -> str:
    return "、".join(f"{school.name}（{short:.1f}）" for school, short in x["destinations"]) or "—"


DUE = Listing(
    name="rotation_due", title="应交流人员建议名单", default_sort="order", search=("teacher", "staff_no", "school", "subject"),
    columns=[
        Col("order", "建议顺序", lambda x: x["order"], sort=True, kind="integer", numeric=True),
        Col("teacher", "教师", lambda x: x["teacher"].name, sort=True, link=lambda x: reverse("people_teacher", args=[x["teacher"].pk])),
        Col("staff_no", "教职工号", lambda x: x["teacher"].staff_no, sort=True, kind="identifier"),
        Col("school", "学校", lambda x: x["teacher"].school.name if x["teacher"].school else "", sort=True),
        Col("post", "岗位", lambda x: x["teacher"].post, sort=True),
        Col("years", "在本校年限", lambda x: round(float(x["p"].years), 1), sort=True, kind="decimal", numeric=True),
        Col("subject", "学科", lambda x: x["subject"] or "—", sort=True),
        Col("surplus", "本校该学科富余", lambda x: round(float(x["p"].home_surplus), 1) if x["subject"] else None, sort=True,
            kind="decimal", numeric=True),
        Col("destinations", "建议交流至（缺员人数）", _destinations),
    ],
    filters=[Filter("post", "岗位", lambda user: Teacher.Post.choices,
                    lambda rows, v: [x for x in rows if x["teacher"].post == v])],
)


@login_required
def due(request):
    scope = require_role(request.user, *BUREAU_ROLES)
    counties = visible(County, request.user).order_by("code")
    code = request.GET.get("county") or ""
    county = get_visible_or_404(County, request.user, code=code) if code else (
        get_visible_or_404(County, request.user, pk=scope.county_id) if scope.county_id else counties.first())
    try:
        min_years = max(1.0, min(30.0, float(request.GET.get("years", DUE_AFTER_YEARS))))
    except ValueError:
        min_years = DUE_AFTER_YEARS
    on = reference_date()
    data = rotation_due(user=request.user, county=county, on=on, min_years=min_years) if county else None
    rows = [{**x, "order": i} for i, x in enumerate(data["proposals"], start=1)] if data else []
    return DUE.respond(request, rows, lambda l: render(request, "people/rotation_due.html", {
        "counties": counties, "county": county, "data": data, "l": l, "on": on, "min_years": min_years}))


@login_required
@require_http_methods(["GET", "POST"])
def move_view(request, pk: int):
    require_role(request.user, *BUREAU_ROLES)
    teacher = get_writable_or_403(Teacher.objects.select_related("school"), request.user, pk=pk)
    schools = visible(School, request.user).exclude(pk=teacher.school_id).order_by("county__code", "code")
    form = MoveForm(request.POST or None, schools=schools)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            teacher_move(actor=request.user, teacher=teacher, **form.cleaned_data)
        except Refused as exc:
            refusal = exc
        except (PermissionDenied, ValidationError) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "已调动")
            return redirect("people_teacher", pk=teacher.pk)
    return render(request, "people/form.html", {"form": form, "title": f"交流调动：{teacher.name}（现在 {teacher.school or '—'}）",
                                                "teacher": teacher, "refusal": refusal})
