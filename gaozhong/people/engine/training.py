"""Training hours (培训学时): each teacher's hours per calendar year, hours by level of the five-level system,
and the 教研员 below the yearly minimum per county.

Rule: seed 002 §三(二), 每位教研员每年接受不少于72课时的培训; 国、省、市、县、校五级培训模式.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from gaozhong.common import standards

__all__ = [
    "LEVELS", "RESEARCHER_MIN_HOURS", "Attendance", "Researcher", "ShortResearcher", "yearly_hours", "hours_in_year",
    "hours_by_level", "researchers_under",
]

#: The five levels of training, national down to school (code, label). Rule: seed 002 §三(二) 五级培训.
LEVELS = (("national", "国家级"), ("provincial", "省级"), ("city", "市级"), ("county", "县级"), ("school", "校级"))

#: Yearly minimum for every 教研员. Rule: seed 002 §三(二), 每年不少于72课时.
RESEARCHER_MIN_HOURS = Decimal(standards.RESEARCHER_MIN_HOURS)


@dataclass(frozen=True)
class Attendance:
    """One completed course of one teacher: the day it was completed, the hours credited and the level."""

    teacher_id: int
    completed_on: dt.date
    hours: Decimal
    level: str


@dataclass(frozen=True)
class Researcher:
    teacher_id: int
    county_id: int


@dataclass(frozen=True)
class ShortResearcher:
    teacher_id: int
    county_id: int
    hours: Decimal
    missing: Decimal  # hours still needed to reach the minimum


def yearly_hours(rows: Iterable[Attendance]) -> dict[int, dict[int, Decimal]]:
    """teacher id → calendar year → hours completed that year (a course counts in the year it was completed)."""
    out: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in rows:
        out[r.teacher_id][r.completed_on.year] += r.hours
    return {t: dict(years) for t, years in out.items()}


def hours_in_year(rows: Iterable[Attendance], year: int) -> dict[int, Decimal]:
    """teacher id → hours completed in ``year`` (teachers with none are absent)."""
    out: dict[int, Decimal] = defaultdict(Decimal)
    for r in rows:
        if r.completed_on.year == year:
            out[r.teacher_id] += r.hours
    return dict(out)


def hours_by_level(rows: Iterable[Attendance], year: int) -> dict[str, Decimal]:
    """level code → hours completed in ``year``, every level present (zero when none)."""
    out = {code: Decimal(0) for code, _ in LEVELS}
    for r in rows:
        if r.completed_on.year == year:
            if r.level not in out:
                raise ValueError(f"unknown training level {r.level!r}")
            out[r.level] += r.hours
    return out


def researchers_under(researchers: Iterable[Researcher], rows: Iterable[Attendance], year: int,
                      minimum: Decimal = RESEARCHER_MIN_HOURS) -> dict[int, list[ShortResearcher]]:
    """county id → the 教研员 of that county with fewer than ``minimum`` hours in ``year``, fewest hours first.

    Rule: seed 002 §三(二), 每位教研员每年接受不少于72课时的培训: exactly 72 meets the rule; a researcher with no
    training at all is listed with 0. Counties with no one below the minimum are absent.
    """
    hours = hours_in_year(rows, year)
    out: dict[int, list[ShortResearcher]] = defaultdict(list)
    for r in researchers:
        h = hours.get(r.teacher_id, Decimal(0))
        if h < minimum:
            out[r.county_id].append(ShortResearcher(r.teacher_id, r.county_id, h, minimum - h))
    return {c: sorted(v, key=lambda s: (s.hours, s.teacher_id)) for c, v in out.items()}
