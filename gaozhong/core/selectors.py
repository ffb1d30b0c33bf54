"""Reads the pages and reports share: counts and series, always through the scoping layer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Count, Model, QuerySet

from gaozhong.common.standards import class_band

from .facts import school_facts
from .models import AdminClass, School, SchoolYear, Teacher
from .scoping import visible


#: Values per ``IN (...)`` lookup: far below SQLite's limit on SQL variables, so a file of any size can be checked.
IN_CHUNK = 2000


def filter_in(qs: QuerySet, field: str, values: Iterable) -> Iterator[Model]:
    """The rows of ``qs`` whose ``field`` is one of ``values``, looked up ``IN_CHUNK`` values at a time."""
    distinct = list(dict.fromkeys(values))
    for i in range(0, len(distinct), IN_CHUNK):
        yield from qs.filter(**{f"{field}__in": distinct[i:i + IN_CHUNK]})


def values_in(qs: QuerySet, field: str, values: Iterable, *fields: str) -> list:
    """Like :func:`filter_in`, as ``values_list(*fields)`` (flat when one field is named)."""
    distinct = list(dict.fromkeys(values))
    out: list = []
    for i in range(0, len(distinct), IN_CHUNK):
        part = qs.filter(**{f"{field}__in": distinct[i:i + IN_CHUNK]})
        out.extend(part.values_list(*fields, flat=True) if len(fields) == 1 else part.values_list(*fields))
    return out


def current_year() -> SchoolYear | None:
    return SchoolYear.objects.filter(is_current=True).first() or SchoolYear.objects.order_by("-start_year").first()


def home_counts(*, user) -> dict:
    """Key counts of the user's place for the current school year. Students, classes and classes over 55 are the
    facts layer's figures (``gaozhong.core.facts``) summed over the user's visible senior high schools."""
    year = current_year()
    schools = visible(School, user)
    senior_ids = list(schools.filter(level=School.Level.SENIOR).values_list("pk", flat=True))
    facts = school_facts([year.start_year], senior_ids).values() if year is not None else []
    return {
        "year": year,
        "senior_schools": len(senior_ids),
        "junior_schools": schools.filter(level=School.Level.JUNIOR).count(),
        "private_schools": schools.filter(level=School.Level.SENIOR, ownership=School.Ownership.PRIVATE).count(),
        "students": sum(f.students for f in facts),
        "teachers": visible(Teacher, user).count(),
        "classes": sum(f.classes_total for f in facts),
        "large_classes": sum(f.classes_over for f in facts),
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
        b[("ok", "large", "huge").index(class_band(n))] += 1
    years = sorted(bands)
    return {
        "labels": [f"{y}-{y + 1}" for y in years],
        "ok": [bands[y][0] for y in years],
        "large": [bands[y][1] for y in years],
        "huge": [bands[y][2] for y in years],
    }
