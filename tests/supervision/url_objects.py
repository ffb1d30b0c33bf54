"""Supervision URLs that take an object id, for the foundation's scoping walker (tests/core/test_scoping.py):
each gives the object of one place, which users of the other place must not reach (404/403, nothing changes)."""

from __future__ import annotations

import datetime as dt


def _submission(world, place):
    from gaozhong.supervision.models import Submission

    return Submission.objects.create(level="school", school=place.school, county=place.county, school_year=world.year, status="submitted")


def _task(world, place):
    from gaozhong.supervision.models import Task

    return Task.objects.create(kind="project", title=f"{place.school.name}扩建", county=place.county, school=place.school,
                               responsible_unit=place.school.name, responsible_person="王", due_date=dt.date(2026, 6, 30), status="submitted")


def _evidence(world, place):
    from gaozhong.supervision.models import Evidence

    return Evidence.objects.create(task=_task(world, place), original_name="a.pdf", stored_name=f"walker-{place.school.code}.pdf",
                                   content_type="application/pdf", size=5, sha256="0" * 64)


def _milestone(world, place):
    from gaozhong.supervision.models import Milestone

    return Milestone.objects.create(task=_task(world, place), title="开工", due_date=dt.date(2026, 1, 1))


def _report_job(world, place):
    from gaozhong.core.models import Job

    return Job.objects.create(kind="supervision.report", title="通报", created_by=world.city_user, county=place.county,
                              params={"year": 2025, "county": place.county.code, "format": "pdf"}, status="succeeded")


def _token(world, place):
    from gaozhong.supervision.models import ApiToken

    return ApiToken.objects.create(user=place.county_user, name="省级对接", prefix="gz_x", key_hash=f"h-{place.county.code}")


OBJECT_URLS = {
    "sup_school": lambda w, p: p.school,
    "sup_county": lambda w, p: p.county,
    "sup_submission": _submission,
    "sup_submission_submit": _submission,
    "sup_submission_review": _submission,
    "sup_submission_approve": _submission,
    "sup_submission_return": _submission,
    "sup_report_download": _report_job,
    "sup_task": _task,
    "sup_task_start": _task,
    "sup_task_submit": _task,
    "sup_task_close": _task,
    "sup_task_return": _task,
    "sup_evidence_upload": _task,
    "sup_evidence": _evidence,
    "sup_milestone_done": _milestone,
    "sup_token_revoke": _token,
}
