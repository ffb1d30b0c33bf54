"""Admissions URLs that take an id, for the foundation's scoping walker. Runs belong to the city: every
county, school, teacher and student account gets 403/404 on them."""

from __future__ import annotations


def _run(world, place):
    import datetime as dt

    from django.utils import timezone

    from gaozhong.admissions.models import AdmissionRun, AdmissionYear

    year, _ = AdmissionYear.objects.get_or_create(year=2026, defaults={"window_opens": timezone.now(), "window_closes": timezone.now() + dt.timedelta(days=1), "status": "closed"})
    return AdmissionRun.objects.create(year=year, started_by=world.city_user, status="done")


OBJECT_URLS = {
    "admissions_run": _run,
    "admissions_run_approve": _run,
    "admissions_run_withdraw": _run,
}
