"""Reads for changing a stored timetable by hand: what one lesson can do (every free slot, every 对调, and what is in
the way elsewhere) as the grid and the move page show it, and what a re-solve after a leave changed against the
timetable it came from, per lesson and per teacher concerned (the printable notice).

The engine (:mod:`gaozhong.electives.engine.adjust`) decides; this module maps its lessons back to the stored
rows and words each obstacle. The view passes objects it has already checked through the scoping layer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext

from gaozhong.core.models import Teacher
from gaozhong.electives.engine.adjust import (BLOCKED, DAY_CAP, OWN, ROOM, STUDENTS, TEACHER, UNAVAILABLE, MoveOptions, changed_lessons,
                                              move_options)
from gaozhong.electives.engine.casefiles import case_from_files
from gaozhong.electives.engine.types import Lesson as ELesson

from .models import Lesson, TeachingClass, Timetable
from .results import result_of
from .slots import parse_slot_value, slot_label, slot_value, weekday

__all__ = ["Target", "LessonChoices", "lesson_choices", "class_labels", "obstacle_text", "parse_target", "Changes", "timetable_changes",
           "leave_cells", "leave_unavailable"]


@dataclass
class Target:
    """One thing the clerk can pick for a lesson: move it to a free slot, or swap it with another lesson."""

    value: str  # the form value: "slot:3:2" or "swap:<lesson id>"
    day: int
    period: int
    room: str  # the room the lesson would use there
    other: Lesson | None = None  # the lesson it swaps with
    other_room: str | None = None  # that lesson's room afterwards

    @property
    def label(self) -> str:
        return slot_label(self.day, self.period)

    @property
    def is_swap(self) -> bool:
        return self.other is not None


@dataclass
class LessonChoices:
    lesson: Lesson
    days: int
    periods: int
    free: list[Target]
    swaps: list[Target]
    reasons: dict[tuple[int, int], list[str]]  # (day, period) → what keeps the lesson out
    blocked: set[tuple[int, int]] = field(default_factory=set)

    @property
    def day_names(self) -> list[str]:
        return [weekday(d) for d in range(1, self.days + 1)]

    def cells(self) -> list[tuple[int, list[dict]]]:
        """(period, [cell per day]) for the picker grid: the lesson's own slot, a free slot with its target, or the
        reasons a slot is not free with the swaps offered there."""
        free = {(t.day, t.period): t for t in self.free}
        swaps: dict[tuple[int, int], list[Target]] = defaultdict(list)
        for t in self.swaps:
            swaps[t.day, t.period].append(t)
        here = (self.lesson.day, self.lesson.period)
        rows = []
        for p in range(1, self.periods + 1):
            row = []
            for d in range(1, self.days + 1):
                key = (d, p)
                state = "here" if key == here else "free" if key in free else "blocked" if key in self.blocked else "taken"
                row.append({"day": d, "period": p, "label": slot_label(d, p), "state": state, "target": free.get(key),
                            "swaps": swaps.get(key, []), "reasons": self.reasons.get(key, [])})
            rows.append((p, row))
        return rows

    def as_json(self) -> dict:
        def lesson_json(les: Lesson) -> dict:
            c = les.teaching_class
            return {"id": les.pk, "code": c.code, "subject": c.subject.name, "teacher": c.teacher.name, "room": les.room.code,
                    "day": les.day, "period": les.period, "label": slot_label(les.day, les.period)}

        return {
            "lesson": lesson_json(self.lesson),
            "free": [{"value": t.value, "day": t.day, "period": t.period, "label": t.label, "room": t.room} for t in self.free],
            "swaps": [{"value": t.value, "day": t.day, "period": t.period, "label": t.label, "room": t.room,
                       "other": lesson_json(t.other), "other_room": t.other_room} for t in self.swaps],
            "reasons": [{"day": d, "period": p, "label": slot_label(d, p), "reasons": r} for (d, p), r in sorted(self.reasons.items())],
        }


def class_labels(tt: Timetable) -> dict[str, str]:
    """Class code → ``201-SX 数学`` as the pages name a class."""
    return {c.code: f"{c.code} {c.subject.name}" for c in TeachingClass.objects.filter(timetable=tt).select_related("subject")}


def obstacle_text(o, labels: dict[str, str], max_per_day: int) -> str:
    name = labels.get(o.class_id, o.class_id or "")
    if o.kind == BLOCKED:
        return gettext("停课课时")
    if o.kind == OWN:
        return gettext("本班此时已有一节课")
    if o.kind == DAY_CAP:
        return gettext("本班当天将有 %(n)s 节，超过每天 %(max)s 节") % {"n": o.count, "max": max_per_day}
    if o.kind == UNAVAILABLE:
        return gettext("任课教师此时不能上课")
    if o.kind == TEACHER:
        return gettext("任课教师此时要上 %(cls)s") % {"cls": name}
    if o.kind == STUDENTS:
        return gettext("%(n)s 名学生此时要上 %(cls)s") % {"n": o.count, "cls": name}
    if o.kind == ROOM:
        return gettext("教室此时被 %(cls)s 占用") % {"cls": name} if o.class_id else gettext("此时没有空闲的合适教室")
    return o.kind


def _worth_saying(obstacles: list) -> list:
    """The obstacles of a slot as the clerk reads them: a room held by a class already named (the same class's
    students or teacher are in the way) goes without saying."""
    named = {o.class_id for o in obstacles if o.kind != ROOM}
    return [o for o in obstacles if not (o.kind == ROOM and o.class_id in named)]


def _stored_lessons(tt: Timetable, keys) -> dict[tuple[str, int, int], Lesson]:
    """The stored rows of the lessons (class code, day, period) named, with what the page shows of them."""
    keys = list(keys)
    if not keys:
        return {}
    which = Q()
    for code, d, p in keys:
        which |= Q(teaching_class__code=code, day=d, period=p)
    rows = Lesson.objects.filter(teaching_class__timetable=tt).filter(which).select_related("teaching_class__subject",
                                                                                           "teaching_class__teacher", "room")
    return {(les.teaching_class.code, les.day, les.period): les for les in rows}


def lesson_choices(lesson: Lesson) -> LessonChoices:
    """Every free slot of ``lesson``, every lesson it can swap with, and why each other slot is not free, on the
    timetable as it stands now (after any earlier moves)."""
    tt = lesson.teaching_class.timetable
    result = result_of(tt)
    cal = result.case.calendar
    here = ELesson(lesson.teaching_class.code, cal.slot(lesson.day, lesson.period), lesson.room.code)
    opts: MoveOptions = move_options(result, here)
    stored = _stored_lessons(tt, [(sw.other.class_id, *cal.day_period(sw.other.slot)) for sw in opts.swaps])
    labels = class_labels(tt)
    free = []
    for spot in opts.free:
        d, p = cal.day_period(spot.slot)
        free.append(Target(f"slot:{slot_value(d, p)}", d, p, spot.room))
    swaps = []
    for sw in opts.swaps:
        d, p = cal.day_period(sw.other.slot)
        other = stored[sw.other.class_id, d, p]
        swaps.append(Target(f"swap:{other.pk}", d, p, sw.room, other, sw.other_room))
    reasons = {cal.day_period(t): [obstacle_text(o, labels, cal.max_per_day) for o in _worth_saying(obs)] for t, obs in opts.obstacles.items()}
    return LessonChoices(lesson, cal.days, cal.periods_per_day, free, swaps, reasons, {cal.day_period(t) for t in cal.blocked})


def parse_target(value: str) -> tuple[str, object] | None:
    """("slot", (day, period)) or ("swap", lesson id) of a target form value; None for anything else."""
    kind, _, rest = str(value).partition(":")
    if kind == "slot":
        pair = parse_slot_value(rest)
        return ("slot", pair) if pair else None
    if kind == "swap" and rest.isdigit():
        return "swap", int(rest)
    return None


# -- what a re-solve changed ----------------------------------------------------------------------------------------

@dataclass
class ChangeRow:
    code: str
    subject: str
    kind: str
    group: str  # the admin class, or 走班 for a teaching class
    teacher: Teacher
    before: tuple[int, int]
    after: tuple[int, int]
    room_before: str
    room_after: str

    @property
    def moved(self) -> bool:
        return self.before != self.after


@dataclass
class Changes:
    timetable: Timetable
    parent: Timetable
    rows: list[ChangeRow]
    leave_teacher: Teacher | None
    leave_slots: list[tuple[int, int]]

    @property
    def moved(self) -> list[ChangeRow]:
        return [r for r in self.rows if r.moved]

    @property
    def room_only(self) -> list[ChangeRow]:
        return [r for r in self.rows if not r.moved]

    def by_teacher(self) -> list[tuple[Teacher, list[ChangeRow]]]:
        """The teachers concerned (the one on leave first, then by staff number), each with their changed lessons."""
        groups: dict[int, list[ChangeRow]] = defaultdict(list)
        teachers: dict[int, Teacher] = {}
        for r in self.rows:
            groups[r.teacher.pk].append(r)
            teachers[r.teacher.pk] = r.teacher
        if self.leave_teacher is not None:
            teachers.setdefault(self.leave_teacher.pk, self.leave_teacher)
        first = self.leave_teacher.pk if self.leave_teacher else None
        order = sorted(teachers.values(), key=lambda t: (t.pk != first, t.staff_no))
        return [(t, groups.get(t.pk, [])) for t in order]


def timetable_changes(tt: Timetable) -> Changes | None:
    """What ``tt`` changed against the timetable it was re-solved from (None when it has no source): every lesson
    in another slot (before → after) and every lesson in another room, with the leave that caused it."""
    parent = tt.parent
    if parent is None:
        return None
    cal = case_from_files(tt.case_files).calendar

    def engine_lessons(t: Timetable) -> list[ELesson]:
        return [ELesson(code, cal.slot(d, p), room) for code, d, p, room in
                Lesson.objects.filter(teaching_class__timetable=t).values_list("teaching_class__code", "day", "period", "room__code")]

    classes = {c.code: c for c in TeachingClass.objects.filter(timetable=tt).select_related("subject", "teacher", "admin_class")}
    rows = []
    for ch in changed_lessons(engine_lessons(parent), engine_lessons(tt)):
        c = classes[ch.class_id]
        group = c.admin_class.name if c.admin_class_id else gettext("走班")
        rows.append(ChangeRow(c.code, c.subject.name, c.get_kind_display(), group, c.teacher, cal.day_period(ch.before),
                              cal.day_period(ch.after), ch.room_before, ch.room_after))
    teacher, slots = None, []
    job = tt.job
    if job is not None and job.kind == "electives.leave":
        teacher = Teacher.objects.filter(pk=job.params.get("teacher_id")).first()
        slots = sorted(p for p in (parse_slot_value(x) for x in str(job.params.get("slots", "")).split(";")) if p)
    return Changes(tt, parent, rows, teacher, slots)


def leave_cells(grid, picked: set[str], unavailable: set[tuple[int, int]]) -> list[tuple[int, list[dict]]]:
    """(period, [cell per day]) of a teacher's week for ticking the slots of a leave: the ``day:period`` value, its
    label, the teacher's lessons there, whether it is blocked, already unavailable or ticked."""
    rows = []
    for p, row in grid.cells():
        cells = []
        for d, (lessons, blocked) in enumerate(row, start=1):
            value = slot_value(d, p)
            cells.append({"value": value, "label": slot_label(d, p), "lessons": lessons, "blocked": blocked,
                          "unavailable": (d, p) in unavailable, "checked": value in picked})
        rows.append((p, cells))
    return rows


def leave_unavailable(tt: Timetable, teacher: Teacher) -> set[tuple[int, int]]:
    """The (day, period) slots ``teacher`` could never be timetabled in (their 不可排课时 when ``tt`` was solved)."""
    case = case_from_files(tt.case_files)
    t = case.teacher_by_id.get(teacher.staff_no)
    return {case.calendar.day_period(s) for s in t.unavailable} if t else set()
