"""Opening a course-selection window for a grade (with the usual 3+1+2 weekly plan), and changing its deadline
and week. Rule: seed 000 §二, 001 §二 (选课走班); seed 002 §三(七) (班额 ≤ 55, the plan's default class size)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gaozhong.core.audit import audit_record, model_update
from gaozhong.core.models import School, SchoolYear, Subject
from gaozhong.electives.engine.types import Calendar

from ..casebuild import parse_slots
from ..models import SubjectPlan, Window
from .common import Refused, place, require_staff_write

# (code, track, periods, xuekao_periods, room_type): the weekly plan a new window starts from.
DEFAULT_PLAN = [
    ("YW", "core", 5, 0, "home"), ("SX", "core", 5, 0, "home"), ("WY", "core", 5, 0, "home"), ("TY", "core", 2, 0, "field"),
    ("WL", "elective", 5, 1, "normal"), ("LS", "elective", 5, 1, "normal"), ("HX", "elective", 4, 1, "lab-chem"),
    ("SW", "elective", 4, 1, "normal"), ("ZZ", "elective", 4, 1, "normal"), ("DL", "elective", 4, 1, "normal"),
]
GRADE_NAMES = {1: "高一", 2: "高二", 3: "高三"}


@transaction.atomic
def window_create(*, actor, school: School, school_year: SchoolYear, grade: int, closes_at: dt.datetime, title: str = "") -> Window:
    """Open the selection window of ``grade`` with the default weekly plan (subjects the platform knows)."""
    require_staff_write(actor, school, "该学校")
    if Window.objects.filter(school=school, school_year=school_year, grade=grade).exists():
        raise Refused([f"{school.name} {school_year} 学年{GRADE_NAMES.get(grade, grade)}已有选课窗口 (a window exists already)"])
    if grade not in GRADE_NAMES:
        raise Refused(["年级须为 1、2 或 3 (grade must be 1, 2 or 3)"])
    window = Window.objects.create(school=school, school_year=school_year, grade=grade, closes_at=closes_at,
                                   title=title.strip() or f"{school_year.start_year}学年{GRADE_NAMES[grade]}选课", blocked="3:7;3:8")
    subjects = {s.code: s for s in Subject.objects.filter(code__in=[p[0] for p in DEFAULT_PLAN])}
    SubjectPlan.objects.bulk_create([SubjectPlan(window=window, subject=subjects[c], track=t, periods=p, xuekao_periods=x, room_type=r)
                                     for c, t, p, x, r in DEFAULT_PLAN if c in subjects])
    audit_record(actor=actor, action="electives.window.created", obj=window, **place(window),
                 after={"grade": grade, "closes_at": closes_at.isoformat(), "plan": sorted(subjects)})
    return window


@transaction.atomic
def window_update(*, actor, window: Window, closes_at: dt.datetime, days: int, periods_per_day: int, blocked: str,
                  max_per_day: int, default_max_periods: int) -> Window:
    """Change the deadline and the week the timetable is solved for (days, periods, blocked slots, limits)."""
    require_staff_write(actor, window, "该选课窗口")
    problems = []
    if not 1 <= days <= 7:
        problems.append("每周上课天数须在 1–7 之间 (days must be 1–7)")
    if not 1 <= periods_per_day <= 14:
        problems.append("每天节数须在 1–14 之间 (periods per day must be 1–14)")
    if max_per_day < 1:
        problems.append("每班每天最多节数须 ≥ 1")
    if not problems:
        slots, bad = parse_slots(blocked, Calendar(days, periods_per_day, frozenset(), max_per_day))
        problems += [f"停课课时：{b}" for b in bad]
        blocked = ";".join(f"{t // periods_per_day + 1}:{t % periods_per_day + 1}" for t in sorted(slots))
    if problems:
        raise Refused(problems)
    data = dict(closes_at=closes_at, days=days, periods_per_day=periods_per_day, blocked=blocked, max_per_day=max_per_day,
                default_max_periods=default_max_periods)
    changed, before, after = model_update(instance=window, fields=list(data), data=data)
    if changed:
        audit_record(actor=actor, action="electives.window.updated", obj=window, **place(window), before=before, after=after)
    return window
