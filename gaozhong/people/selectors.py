"""Reads the people pages share, always through the scoping layer: profiles, training hours, rotation figures
and staffing by subject. The computations themselves are in ``engine/``.

Figures of a county (its rotation rate, its staffing) are computed from the whole city's rows, because people
move between counties, and are shown only for the counties and schools the user may see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone

from gaozhong.core.facts import SchoolFacts, school_facts
from gaozhong.core.models import County, School, Subject, Teacher
from gaozhong.core.scoping import visible
from gaozhong.core.selectors import current_year

from .engine import rotation as rot
from .engine import staffing as stf
from .engine import training as trn
from .models import HireCheck, Move, TrainingRecord

#: Posts that count as principals and teachers for rotation (seed 003 §三(五) 校长和教师).
ROTATION_POSTS = (Teacher.Post.TEACHING, Teacher.Post.PRINCIPAL, Teacher.Post.VICE_PRINCIPAL, Teacher.Post.COUNSELLOR)
LEADER_POSTS = (Teacher.Post.PRINCIPAL, Teacher.Post.VICE_PRINCIPAL)


def reference_date() -> dt.date:
    """The day reports are made for: today, but no later than the last day of the current school year (the
    platform's records describe that year until the next one is opened)."""
    today = timezone.localdate()
    year = current_year()
    if year is None:
        return today
    return min(today, dt.date(year.start_year + 1, 8, 31))


def inactive_teacher_ids() -> set[int]:
    """Teachers whose pre-hire check (准入查询) is not cleared (seed 004 §24)."""
    return set(HireCheck.objects.exclude(status=HireCheck.Status.CLEARED).values_list("teacher_id", flat=True))


def subject_names() -> dict[str, str]:
    return dict(Subject.objects.values_list("code", "name"))


# -- training --------------------------------------------------------------------------------------------------

def _attendance(records) -> list[trn.Attendance]:
    return [trn.Attendance(t, d, h, lv) for t, d, h, lv in records.values_list("teacher_id", "completed_on", "hours", "course__level")]


def training_years(*, user) -> list[int]:
    years = {d.year for d in visible(TrainingRecord, user).values_list("completed_on", flat=True).distinct()}
    years.add(reference_date().year)
    return sorted(years, reverse=True)


def training_hours(*, user, year: int, school_code: str = "", post: str = "") -> dict:
    """Each visible teacher's hours in ``year`` (with none listed as 0), hours by level, and totals."""
    teachers = visible(Teacher, user).select_related("school", "county").order_by("county__code", "school__code", "staff_no")
    if school_code:
        teachers = teachers.filter(school__code=school_code)
    if post:
        teachers = teachers.filter(post=post)
    records = visible(TrainingRecord, user).filter(completed_on__year=year, teacher__in=teachers)
    rows = _attendance(records)
    hours = trn.hours_in_year(rows, year)
    courses = defaultdict(int)
    for t_id in records.values_list("teacher_id", flat=True):
        courses[t_id] += 1
    listed = [{"teacher": t, "hours": hours.get(t.pk, Decimal(0)), "courses": courses.get(t.pk, 0)} for t in teachers]
    by_level = trn.hours_by_level(rows, year)
    return {
        "rows": listed,
        "by_level": [(label, by_level[code]) for code, label in trn.LEVELS],
        "total": sum(hours.values(), Decimal(0)),
        "trained": len(hours),
    }


def researchers_below(*, user, year: int) -> list[dict]:
    """Per visible county, its 教研员 below 72 课时 in ``year`` (Rule: seed 002 §三(二)), and how many it has."""
    researchers = visible(Teacher, user).filter(post=Teacher.Post.RESEARCHER).exclude(pk__in=inactive_teacher_ids()).select_related("county")
    by_id = {t.pk: t for t in researchers}
    rows = _attendance(visible(TrainingRecord, user).filter(completed_on__year=year, teacher__in=list(by_id)))
    short = trn.researchers_under([trn.Researcher(t.pk, t.county_id) for t in by_id.values()], rows, year)
    total = defaultdict(int)
    for t in by_id.values():
        total[t.county_id] += 1
    out = []
    for county in visible(County, user).filter(pk__in=set(total)).order_by("code") if total else []:
        lst = short.get(county.pk, [])
        out.append({"county": county, "researchers": total[county.pk],
                    "below": [{"teacher": by_id[s.teacher_id], "hours": s.hours, "missing": s.missing} for s in lst]})
    return out


# -- rotation --------------------------------------------------------------------------------------------------

def _people_and_moves(exclude_inactive: bool = True):
    inactive = inactive_teacher_ids() if exclude_inactive else set()
    people = [rot.Person(pk, hired, school, post in ROTATION_POSTS and pk not in inactive)
              for pk, hired, school, post in Teacher.objects.values_list("pk", "hire_date", "school_id", "post")]
    moves = [rot.MoveEvent(t, on, f, to, kind == Move.Kind.ROTATION, seq=pk)
             for pk, t, on, f, to, kind in Move.objects.values_list("pk", "teacher_id", "moved_on", "from_school_id", "to_school_id", "kind")]
    return people, moves


def county_rotation(years: list[int]) -> dict[tuple[int, int], rot.CountyRate]:
    """Every county's rotation figures per calendar year (movers in the year ÷ headcount on 1 January,
    ``standards.ROTATION_REFERENCE``), not scoped: the one computation the people pages and supervision share.
    Rule: seed 003 §三(五)."""
    people, moves = _people_and_moves()
    school_county = dict(School.objects.values_list("pk", "county_id"))
    return {(r.county_id, r.year): r for r in rot.county_rates(people, moves, school_county, years)}


def rotation_years() -> list[int]:
    """Calendar years from the first rotation move on record to the reference date's year."""
    first = min(Move.objects.filter(kind=Move.Kind.ROTATION).values_list("moved_on__year", flat=True), default=reference_date().year)
    return list(range(first, reference_date().year + 1))


def rotation_rates(*, user, years: list[int] | None = None) -> dict:
    """Each visible county's rotation rate per year against > 15% (Rule: seed 003 §三(五))."""
    if years is None:
        years = rotation_years()
    counties = {c.pk: c for c in visible(County, user).order_by("code")}
    figures = county_rotation(years)
    rates = [r for key, r in sorted(figures.items(), key=lambda kv: (kv[0][1], kv[0][0])) if r.county_id in counties]
    table = []
    for c_id, county in counties.items():
        table.append({"county": county, "cells": [r for r in rates if r.county_id == c_id]})
    return {"years": sorted(set(years)), "table": table, "rates": rates}


def rotation_due(*, user, county: County, on: dt.date, min_years: float = rot.DUE_AFTER_YEARS) -> dict:
    """Principals and teachers of ``county`` due for rotation on ``on``, ranked (see engine.rotation), with the
    subjects each school lacks and how many moves this year still reach > 15% (Rule: seed 003 §三(五))."""
    people, moves = _people_and_moves()
    by_person = defaultdict(list)
    for m in moves:
        by_person[m.person_id].append(m)
    eligible = {p.person_id: p for p in people if p.eligible}
    teachers = {t.pk: t for t in visible(Teacher, user).filter(school__county=county, post__in=ROTATION_POSTS)
                .select_related("school").prefetch_related("subjects") if t.pk in eligible}
    staffing = school_staffing(user=user, county=county)
    gaps = {(s.school_id, line.subject): float(line.gap) for s in staffing["schools"] for line in s.subjects}
    school_county = {s.school_id: county.pk for s in staffing["schools"]}
    candidates = []
    for t in teachers.values():
        years = rot.years_at_school(eligible[t.pk], by_person.get(t.pk, []), on)
        candidates.append(rot.Candidate(t.pk, t.school_id, county.pk, tuple(s.code for s in t.subjects.all()), years,
                                        leader=t.post in LEADER_POSTS))
    proposals = rot.due_for_rotation(candidates, gaps, school_county, min_years)
    rate = next((r for r in rot.county_rates(people, moves, dict(School.objects.values_list("pk", "county_id")), [on.year])
                 if r.county_id == county.pk), rot.CountyRate(county.pk, on.year, 0, 0))
    schools = {s.pk: s for s in School.objects.filter(pk__in=school_county)}
    names = subject_names()
    lacking = []
    for s in staffing["schools"]:
        short = [(names.get(line.subject, line.subject), float(line.shortage)) for line in s.shortages]
        if short:
            lacking.append({"school": schools[s.school_id], "subjects": short})
    return {
        "proposals": [{"p": p, "teacher": teachers[p.person_id], "subject": names.get(p.subject or "", p.subject or ""),
                       "destinations": [(schools[d], short) for d, short in p.destinations[:3]]} for p in proposals],
        "rate": rate, "lacking": lacking, "min_years": min_years,
    }


# -- staffing --------------------------------------------------------------------------------------------------

def school_staffing(*, user, county: County | None = None, school: School | None = None) -> dict:
    """Staffing need and supply of the visible senior high schools (optionally of one county or one school),
    per school and per county (Rule: seed 002 §三(三), 师生比 1:12.5 and 结构性缺员)."""
    year = current_year()
    schools = visible(School, user).filter(level=School.Level.SENIOR).select_related("county").order_by("county__code", "code")
    if county is not None:
        schools = schools.filter(county=county)
    if school is not None:
        schools = schools.filter(pk=school.pk)
    schools = list(schools)
    ids = [s.pk for s in schools]
    # Classes, students and full-time teachers come from the facts layer (one definition for every page).
    facts = school_facts([year.start_year], ids) if year is not None else {}
    none = SchoolFacts(0, 0)
    subjects: dict[int, list[str]] = defaultdict(list)
    through = Teacher.subjects.through
    for t_id, code in through.objects.filter(teacher__school__in=ids).values_list("teacher_id", "subject__code"):
        subjects[t_id].append(code)
    results = []
    for s in schools:
        f = facts.get((s.pk, year.start_year if year else 0), none)
        staff = [tuple(subjects.get(t_id, ())) for t_id in sorted(f.fulltime_ids)]
        results.append(stf.school_staffing(stf.SchoolInput(s.pk, s.county_id, f.classes_total, f.students, staff)))
    return {"schools": results, "counties": stf.county_staffing(results), "by_id": {s.pk: s for s in schools}}


def as_float(x: Fraction | int) -> float:
    return round(float(x), 1)
