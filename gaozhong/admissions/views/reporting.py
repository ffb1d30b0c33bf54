"""新生报到安排: a school's staff (or its county, or the city) set the 报到 time and place of each plan of a year,
which the 录取通知书 prints."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gaozhong.admissions.models import AdmissionYear, SchoolPlan
from gaozhong.admissions.services.notice import REPORT_LATER, REPORT_PLACE_MAX, REPORT_TIME_MAX, school_report_set
from gaozhong.core.models import School
from gaozhong.core.roles import STAFF
from gaozhong.core.scoping import get_visible_or_404, require_role, visible


def _year(request) -> tuple[AdmissionYear | None, list[int]]:
    years = list(visible(AdmissionYear, request.user).order_by("-year").values_list("year", flat=True))
    raw = request.POST.get("year") or request.GET.get("year") or ""
    chosen = int(raw) if raw.isdigit() and int(raw) in years else (years[0] if years else None)
    return (visible(AdmissionYear, request.user).filter(year=chosen).first() if chosen else None), years


@login_required
@require_http_methods(["GET", "POST"])
def reporting(request):
    """The plans of the schools the user manages for a year, each with its 报到 time and place; one form a school.
    A refused change comes back with what was typed and the reason beside it."""
    require_role(request.user, *STAFF)
    year, years = _year(request)
    if year is None:
        raise Http404("no admission year")
    plans = list(visible(SchoolPlan, request.user).filter(year=year, school__in=visible(School, request.user))
                 .select_related("school").order_by("school__level", "school__code"))
    typed: dict[int, dict] = {}
    if request.method == "POST":
        raw = request.POST.get("plan", "")
        plan = get_visible_or_404(SchoolPlan.objects.filter(year=year, school__in=visible(School, request.user)), request.user,
                                  pk=int(raw) if raw.isdigit() else 0)
        t, place = request.POST.get("report_time", ""), request.POST.get("report_place", "")
        try:
            school_report_set(actor=request.user, plan=plan, report_time=t, report_place=place)
            messages.success(request, _("已保存%(school)s的报到安排") % {"school": plan.school.name})
            return redirect(f"{reverse('admissions_reporting')}?year={year.year}#plan-{plan.pk}")
        except (ValidationError, PermissionDenied) as exc:
            typed[plan.pk] = {"report_time": t, "report_place": place, "error": "；".join(getattr(exc, "messages", [str(exc)]))}
    rows = [{"plan": p, **typed.get(p.pk, {"report_time": p.report_time, "report_place": p.report_place, "error": ""})} for p in plans]
    return render(request, "admissions/reporting.html", {
        "year": year, "years": years, "rows": rows, "later": REPORT_LATER, "time_max": REPORT_TIME_MAX, "place_max": REPORT_PLACE_MAX,
        "unset": sum(1 for p in plans if not (p.report_time and p.report_place)),
    })
