"""Reads the pages and reports share: counts and series, always through the scoping layer."""

from __future__ import annotations

from django.db.models import Count

from .models import AdminClass, School, SchoolYear, Student, Teacher
from .scoping import visible

LARGE_CLASS = 55  # 班额 ≤ 55 (Rule: seed 002 §三(七))


def current_year() -> SchoolYear | None:
    return SchoolYear.objects.filter(is_current=True).first() or SchoolYear.objects.order_by("-start_year").first()


def home_counts(*, user) -> dict:
    """Key counts of the user's place for the current school year."""
    year = current_year()
    schools = visible(School, user)
    classes = visible(AdminClass, user).filter(school_year=year, school__level=School.Level.SENIOR)
    sized = classes.annotate(n=Count("enrollments"))
    return {
        "year": year,
        "senior_schools": schools.filter(level=School.Level.SENIOR).count(),
        "junior_schools": schools.filter(level=School.Level.JUNIOR).count(),
        "private_schools": schools.filter(level=School.Level.SENIOR, ownership=School.Ownership.PRIVATE).count(),
        "students": visible(Student, user).filter(status=Student.Status.ENROLLED, school__level=School.Level.SENIOR).count(),
        "teachers": visible(Teacher, user).count(),
        "classes": classes.count(),
        "large_classes": sized.filter(n__gt=LARGE_CLASS).count(),
    }


def class_size_trend(*, user) -> dict:
    """Per school year: senior admin classes by size band (≤55, 56–65 大班额, ≥66 超大班额; seed 002 §三(七))."""
    rows = (
        visible(AdminClass, user)
        .filter(school__level=School.Level.SENIOR)
        .annotate(n=Count("enrollments"))
        .values_list("school_year__start_year", "n")
    )
    bands: dict[int, list[int]] = {}
    for year, n in rows:
        b = bands.setdefault(year, [0, 0, 0])
        b[0 if n <= LARGE_CLASS else 1 if n <= 65 else 2] += 1
    years = sorted(bands)
    return {
        "labels": [f"{y}-{y + 1}" for y in years],
        "ok": [bands[y][0] for y in years],
        "large": [bands[y][1] for y in years],
        "huge": [bands[y][2] for y in years],
    }
