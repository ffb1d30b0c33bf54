"""Manual changes to a solved timetable: what moving one lesson would break, and a minimal-change re-solve when a
teacher becomes unavailable (leave, meetings).

``check_move`` names every hard rule a move would break — the class's own day cap, the teacher, the students
(by the class they also have then), the room — so the web page can refuse it with the reason.
``resolve_unavailable`` keeps every class, enrolment and teacher and re-places the blocks and core classes
with CP-SAT minimising the number of lessons that change slot, then reports how many moved.

Rule: issue 7 hard rules (3), (5), (6); issue 7 §2, manual move with an instant clash check and minimal-change
re-solve.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import replace

from .placement import PlacementFailure, place_units
from .pipeline import build_units, lessons_from_placement
from .types import CORE, Case, Infeasible, Lesson, NoTimetableFound, Result

__all__ = ["check_move", "resolve_unavailable"]


def check_move(result: Result, lesson: Lesson, new_slot: int) -> list[str]:
    """Reasons (Chinese with English) why moving ``lesson`` to ``new_slot`` breaks a hard rule; empty if it does not."""
    case = result.case
    cal = case.calendar
    where = cal.label(new_slot) if 0 <= new_slot < cal.n_slots else str(new_slot)
    if not (0 <= new_slot < cal.n_slots):
        return [f"课时 {where} 不在日历内 (slot outside the calendar)"]
    classes = result.class_by_id()
    c = classes[lesson.class_id]
    reasons: list[str] = []
    if new_slot in cal.blocked:
        reasons.append(f"{where} 是停课课时 (blocked slot)")
    at: dict[int, list[Lesson]] = defaultdict(list)
    for les in result.lessons:
        if les != lesson:
            at[les.slot].append(les)
    own = [les for les in result.lessons if les.class_id == c.id and les != lesson]
    if any(les.slot == new_slot for les in own):
        reasons.append(f"{c.id} 在 {where} 已有一节课 (the class already has a lesson then)")
    day = cal.day_of(new_slot)
    same_day = sum(1 for les in own if cal.day_of(les.slot) == day) + 1
    if same_day > cal.max_per_day:
        reasons.append(f"{c.id} 在第 {day + 1} 天会有 {same_day} 节，上限 {cal.max_per_day} (too many lessons of the class that day)")
    teacher = case.teacher_by_id[c.teacher]
    if new_slot in teacher.unavailable:
        reasons.append(f"教师 {teacher.id} 在 {where} 不能上课 (teacher unavailable)")
    for les in at[new_slot]:
        if classes[les.class_id].teacher == teacher.id:
            reasons.append(f"教师 {teacher.id} 在 {where} 要上 {les.class_id} (teacher busy)")
    # Students: members of the moved class against everything else they attend at the new slot.
    members = _members(result)
    moving = members[c.id]
    clashes: dict[str, int] = defaultdict(int)
    for les in at[new_slot]:
        if les.class_id == c.id:
            continue
        n = len(moving & members[les.class_id])
        if n:
            clashes[les.class_id] += n
    for other, n in sorted(clashes.items()):
        reasons.append(f"{n} 名学生在 {where} 还要上 {other} (students also have {other} then)")
    for les in at[new_slot]:
        if les.room == lesson.room:
            reasons.append(f"教室 {lesson.room} 在 {where} 被 {les.class_id} 占用 (room busy)")
    return reasons


def _members(result: Result) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    by_admin: dict[str, set[str]] = defaultdict(set)
    for st in result.case.students:
        by_admin[st.admin_class].add(st.id)
    for c in result.classes:
        if c.kind == CORE:
            out[c.id] = by_admin[c.admin_class]
    for sid, cid in result.enrolments:
        out[cid].add(sid)
    return out


def resolve_unavailable(result: Result, teacher_id: str, slots: set[int], *, time_limit: float = 60.0, seed: int = 0,
                        stop: threading.Event | None = None) -> tuple[Result, int]:
    """Re-timetable after ``teacher_id`` becomes unavailable in ``slots``, moving as few lessons as possible.

    Returns the new result and the number of lessons whose slot changed. Raises Infeasible when no timetable
    with the same classes and teachers exists, NoTimetableFound when none was found in time.
    """
    case = result.case
    teachers = tuple(replace(t, unavailable=t.unavailable | frozenset(slots)) if t.id == teacher_id else t for t in case.teachers)
    if teacher_id not in case.teacher_by_id:
        raise KeyError(teacher_id)
    new_case = Case(case.calendar, case.subjects, case.admin_classes, case.students, teachers, case.rooms)
    units = build_units(new_case, result.classes, result.blocks)
    slots_of: dict[str, set[int]] = defaultdict(set)
    for les in result.lessons:
        slots_of[les.class_id].add(les.slot)
    previous: dict[str, set[int]] = {}
    for b in result.blocks:
        previous[f"B{b.index}"] = set().union(*(slots_of[c] for c in b.class_ids))
    for c in result.classes:
        if c.kind == CORE:
            previous[c.id] = slots_of[c.id]
    try:
        placed = place_units(new_case, units, time_limit=time_limit, seed=seed, stop=stop, previous=previous)
    except PlacementFailure as exc:
        if exc.proven:
            raise Infeasible([f"教师 {teacher_id} 请假后，现有教学班和任课安排排不出课表 (no timetable with the same classes and teachers once {teacher_id} is away)"]) from None
        raise NoTimetableFound(str(exc)) from None
    lessons = lessons_from_placement(new_case, result.classes, result.blocks, placed)
    old = {(les.class_id, les.slot) for les in result.lessons}
    moved = sum(1 for les in lessons if (les.class_id, les.slot) not in old)
    new = Result(new_case, list(result.classes), list(result.enrolments), lessons, list(result.blocks),
                 result.lower_bound, result.teaching_classes, seed, list(result.notes))
    return new, moved
