"""Counting facts every later stage uses: who needs which teaching class, the lower bound LB on the number of
teaching classes, and the largest class a room type can hold.

Rule: issue 7 §1 quality, LB = Σ over electives of ceil(choosers / max_class_size) + ceil(non-choosers /
max_class_size) for electives with 学考 lessons; seed 002 §三(七), 班额 ≤ 55 is the usual max_class_size.
"""

from __future__ import annotations

from collections import defaultdict

from .types import HOME, XUANKE, Case

__all__ = ["item_students", "lower_bound", "effective_cap", "ceil_div", "teacher_capacity"]

Item = tuple[str, str]  # (subject_id, "xuanke" | "xuekao")


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def item_students(case: Case) -> dict[Item, list[str]]:
    """Student ids per (subject, kind), in students.csv order. Rule (2): one class of each chosen elective and
    one 学考 class of each unchosen elective that has 学考 lessons."""
    out: dict[Item, list[str]] = defaultdict(list)
    for st in case.students:
        for item in case.needs(st):
            out[item].append(st.id)
    order = {s.id: i for i, s in enumerate(case.subjects)}
    return dict(sorted(out.items(), key=lambda kv: (kv[0][1] != XUANKE, order[kv[0][0]])))


def lower_bound(case: Case) -> dict[Item, int]:
    """LB per (subject, kind) with the subject's max_class_size, as issue 7 defines it."""
    return {item: ceil_div(len(ids), case.subject_by_id[item[0]].max_class_size) for item, ids in item_students(case).items()}


def effective_cap(case: Case, subject_id: str) -> int:
    """Largest class of a subject that also fits the largest room of its room type (rule 4)."""
    s = case.subject_by_id[subject_id]
    if s.room_type == HOME:
        return s.max_class_size
    room_max = max((r.capacity for r in case.rooms if r.type == s.room_type), default=0)
    return min(s.max_class_size, room_max)



def teacher_capacity(case: Case) -> dict[str, int]:
    """Periods a week each teacher can give: the smaller of ``max_periods`` and their free slots (rule 6)."""
    free = case.calendar.free_slots()
    return {t.id: min(t.max_periods, sum(1 for x in free if x not in t.unavailable)) for t in case.teachers}
