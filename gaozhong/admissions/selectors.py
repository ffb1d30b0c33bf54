"""Reads of the admissions pages."""

from __future__ import annotations

from django.db.models import Count, Sum

from gaozhong.admissions.models import Admission, AdmissionRun, AdmissionYear, Cutoff, Program, SchoolPlan
from gaozhong.core.models import Candidate
from gaozhong.core.scoping import visible


def current_admission_year() -> AdmissionYear | None:
    return AdmissionYear.objects.order_by("-year").first()


def published_run(year: AdmissionYear | None) -> AdmissionRun | None:
    if year is None:
        return None
    return AdmissionRun.objects.filter(year=year, status=AdmissionRun.Status.APPROVED).first()


def plans_for(*, user, year: AdmissionYear):
    return visible(SchoolPlan, user).filter(year=year).select_related("school", "school__county").order_by("school__code")


def program_summary(year: AdmissionYear) -> dict:
    rows = Program.objects.filter(year=year).values("kind").annotate(n=Count("id"), seats=Sum("capacity"))
    return {r["kind"]: r for r in rows}


def preference_progress(year: AdmissionYear) -> dict:
    total = Candidate.objects.filter(year=year.year).count()
    entered = year.preferences.values("candidate").distinct().count()
    confirmed = year.confirmations.count()
    return {"candidates": total, "entered": entered, "confirmed": confirmed}


def published_cutoffs(year: AdmissionYear | None):
    run = published_run(year)
    if run is None:
        return None, []
    return run, Cutoff.objects.filter(run=run).select_related("program", "program__school", "program__feeder_school").order_by("program__batch", "program__code")


def school_admissions(*, user, run: AdmissionRun):
    return visible(Admission, user).filter(run=run, program__isnull=False).select_related("candidate", "candidate__junior_school", "program", "program__school").order_by("program__school__code", "candidate__exam_no")
