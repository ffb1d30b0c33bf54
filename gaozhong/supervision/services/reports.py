"""Starting a 通报 report as a background job (the file is written by ``gaozhong.supervision.tasks.run_report``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from gaozhong.core.models import County, Job, Role, SchoolYear
from gaozhong.core.scoping import scope_of
from gaozhong.core.services.jobs import job_start

from ..tasks import run_report

FORMATS = ("pdf", "html")


def report_start(*, actor, year: int, county: County | None, fmt: str) -> Job:
    """Queue a report of ``year`` for the city (city admin) or one county (that county's staff or the city).
    The job row and its audit row are written by ``job_start`` in one transaction."""
    scope = scope_of(actor)
    if scope.role == Role.CITY_ADMIN:
        pass
    elif scope.role == Role.COUNTY_STAFF:
        if county is None or county.pk != scope.county_id:
            raise PermissionDenied("县(区)只能生成本县(区)的通报 (a county reports on itself)")
    else:
        raise PermissionDenied("只有市、县(区)教育局可以生成通报 (only a bureau issues reports)")
    if fmt not in FORMATS:
        raise ValidationError("格式须为 pdf 或 html (format must be pdf or html)")
    if not SchoolYear.objects.filter(start_year=year).exists():
        raise ValidationError(f"没有 {year} 学年的数据 (no such school year)")
    where = county.name if county else "全市"
    return job_start(actor=actor, kind="supervision.report", title=f"督导通报：{where} {year}-{year + 1} 学年（{fmt.upper()}）",
                     task=run_report, params={"year": year, "county": county.code if county else None, "format": fmt},
                     county_id=county.pk if county else None, school_id=None)
