"""Training pages: the yearly ledger (each teacher's hours, hours by level) and the 教研员 below 72 课时 this
year per county (Rule: seed 002 §三(二))."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gaozhong.core.models import Teacher
from gaozhong.core.scoping import require_role

from ..engine.training import RESEARCHER_MIN_HOURS
from ..selectors import reference_date, researchers_below, training_hours, training_years
from ..services.imports import may_import
from .common import ADMIN_ROLES, int_param, page_of


@login_required
def ledger(request):
    require_role(request.user, *ADMIN_ROLES)
    year = int_param(request, "year", reference_date().year)
    school = (request.GET.get("school") or "").strip()
    post = request.GET.get("post") if request.GET.get("post") in Teacher.Post.values else ""
    data = training_hours(user=request.user, year=year, school_code=school, post=post)
    return render(request, "people/training.html", {
        "year": year, "years": training_years(user=request.user), "school": school, "post": post, "posts": Teacher.Post.choices,
        "page": page_of(request, data["rows"]), "by_level": data["by_level"], "total": data["total"], "trained": data["trained"],
        "may_import": may_import(request.user, "training"),
    })


@login_required
def researchers(request):
    require_role(request.user, *ADMIN_ROLES)
    year = int_param(request, "year", reference_date().year)
    return render(request, "people/researchers.html", {
        "year": year, "years": training_years(user=request.user), "counties": researchers_below(user=request.user, year=year),
        "minimum": RESEARCHER_MIN_HOURS,
    })
