"""The people app's start page: key figures of the user's place and links to every page; and a teacher's way
to their own profile."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render

from gaozhong.core.models import Role, Teacher
from gaozhong.core.scoping import require_role, scope_of, visible
from gaozhong.core.roles import BUREAU

from ..models import EthicsRecord, HireCheck, Nomination
from ..selectors import reference_date
from .common import ADMIN_ROLES, page_of


@login_required
def index(request):
    scope = require_role(request.user, *ADMIN_ROLES)
    q = (request.GET.get("q") or "").strip()
    teachers = visible(Teacher, request.user).select_related("school", "county")
    found = None
    if q:
        found = page_of(request, teachers.filter(Q(name__contains=q) | Q(staff_no=q)).order_by("staff_no"), 30)
    counts = {
        "teachers": teachers.count(),
        "pending_checks": visible(HireCheck, request.user).exclude(status=HireCheck.Status.CLEARED).count(),
        "open_ethics": visible(EthicsRecord, request.user).filter(status=EthicsRecord.Status.OPEN).count(),
        "submitted": visible(Nomination, request.user).filter(status=Nomination.Status.SUBMITTED).count(),
    }
    return render(request, "people/index.html", {
        "counts": counts, "q": q, "found": found, "year": reference_date().year,
        "is_bureau": scope.role in BUREAU, "is_city": scope.role == Role.CITY_ADMIN,
    })


@login_required
def me(request):
    """A teacher's own profile (qualifications, posts, schools, training; never 师德 records)."""
    scope = scope_of(request.user)
    if scope.teacher_id is None:
        raise Http404("没有关联的教师档案 (no teacher record for this account)")
    return redirect("people_teacher", pk=scope.teacher_id)
