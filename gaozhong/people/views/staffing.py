"""Staffing pages: need against supply by subject and by the 1:12.5 ratio, per school and per county, with the
structural shortages as a table and a chart (Rule: seed 002 §三(三))."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gaozhong.core.models import County, Role, School
from gaozhong.core.scoping import get_visible_or_404, require_role, visible

from ..engine.staffing import STANDARD_LOAD, STUDENTS_PER_TEACHER
from ..selectors import as_float, school_staffing, subject_names
from .common import ADMIN_ROLES


@login_required
def overview(request):
    scope = require_role(request.user, *ADMIN_ROLES)
    code = request.GET.get("county") or ""
    county = get_visible_or_404(County, request.user, code=code) if code and scope.role != Role.SCHOOL_ADMIN else None
    data = school_staffing(user=request.user, county=county)
    names = subject_names()
    subjects = [line.subject for line in data["schools"][0].subjects] if data["schools"] else []
    by_id = data["by_id"]
    counties = {c.pk: c for c in County.objects.filter(pk__in={s.county_id for s in data["schools"]})}
    county_rows = [{"county": counties[c.county_id], "c": c, "short": [(names.get(s, s), as_float(c.shortage[s]), c.schools_short[s])
                                                                       for s in subjects if c.shortage.get(s, 0) > 0]} for c in data["counties"]]
    school_rows = [{"school": by_id[s.school_id], "s": s,
                    "short": [(names.get(line.subject, line.subject), as_float(line.shortage), line.have == 0) for line in s.shortages]}
                   for s in data["schools"]]
    # Chart: teachers short by subject, one series per county (or per school within one county).
    if county is None and len(county_rows) > 1:
        series = [{"name": r["county"].name, "data": [as_float(r["c"].shortage.get(s, 0)) for s in subjects]} for r in county_rows]
    else:
        series = [{"name": r["school"].name, "data": [as_float(line.shortage) for line in r["s"].subjects]} for r in school_rows]
    chart = {"subjects": [names.get(s, s) for s in subjects], "series": series}
    return render(request, "people/staffing.html", {
        "county": county, "counties": visible(County, request.user).order_by("code") if scope.role != Role.SCHOOL_ADMIN else [],
        "county_rows": county_rows, "school_rows": school_rows, "chart": chart, "load": STANDARD_LOAD, "ratio": float(STUDENTS_PER_TEACHER),
    })


@login_required
def school_view(request, pk: int):
    require_role(request.user, *ADMIN_ROLES)
    school = get_visible_or_404(School.objects.select_related("county"), request.user, pk=pk)
    data = school_staffing(user=request.user, school=school)
    names = subject_names()
    s = data["schools"][0] if data["schools"] else None
    lines = [{"name": names.get(line.subject, line.subject), "line": line, "have": as_float(line.have), "gap": as_float(line.gap)}
             for line in s.subjects] if s else []
    chart = {"subjects": [x["name"] for x in lines], "need": [x["line"].need for x in lines], "have": [x["have"] for x in lines]}
    return render(request, "people/staffing_school.html", {"school": school, "s": s, "lines": lines, "chart": chart,
                                                           "load": STANDARD_LOAD, "ratio": float(STUDENTS_PER_TEACHER)})
