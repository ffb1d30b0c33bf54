"""The 指标到校 split per junior school, on a page and as Excel, for the bureaus and schools to check before the
admission run (seed 002 §三(一): 指标到校 ≥ 50 % of each quality school's plan, split among junior schools)."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from gaozhong.admissions.exports import QUOTA_SPLIT, quota_split_rows
from gaozhong.admissions.selectors import current_admission_year, quota_split
from gaozhong.core.roles import STAFF
from gaozhong.core.scoping import require_role
from gaozhong.importer.export import write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def quota_split_page(request):
    require_role(request.user, *STAFF)
    year = current_admission_year()
    split = quota_split(user=request.user, year=year) if year else []
    return render(request, "admissions/quota_split.html", {
        "year": year, "split": split, "seats": sum(r["seats"] for r in split),
        "schools": len({s["school"].pk for r in split for s in r["schools"]}),
        "share_pct": f"{(year.quota_share * 100).normalize():f}" if year else "",
    })


@login_required
def quota_split_xlsx(request):
    """Exactly the rows of the page: one per junior school and senior school."""
    require_role(request.user, *STAFF)
    year = current_admission_year()
    if year is None:
        raise Http404("尚未设立招生年度")
    buf = io.BytesIO()
    write_xlsx(buf, QUOTA_SPLIT, quota_split_rows(quota_split(user=request.user, year=year)))
    resp = HttpResponse(buf.getvalue(), content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{year.year}年指标到校分配.xlsx')}"
    return resp
