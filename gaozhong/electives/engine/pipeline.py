"""The solve: counting checks, then class formation, teacher assignment, placement and rooms, with retries.

``solve(case, time_limit=…, seed=…, progress=…, stop=…)`` returns a :class:`~.types.Result` that meets hard
rules (1)–(7) of issue 7, raises :class:`~.types.Infeasible` with a diagnosis, or
:class:`~.types.NoTimetableFound` when the time ran out (or ``stop`` was set) before a valid timetable was found.

When a placement fails, the blocks of the tier with the most classes in parallel are split into one more group
(fewer teachers and rooms needed at once) and the later stages run again, while time lasts.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from typing import Callable

from .bounds import lower_bound
from .feasibility import check_counts
from .formation import Formation, form_classes
from .placement import PlacementFailure, Unit, place_units
from .rooms import assign_rooms
from .teachers import ClassToStaff, assign_teachers
from .types import CORE, HOME, Block, Case, ClassInfo, Infeasible, Lesson, NoTimetableFound, Result

__all__ = ["solve", "build_units", "spread_subset"]

Progress = Callable[[str, dict], None]


def _core_id(admin: str, subject: str, taken: set[str]) -> str:
    cid = f"{admin}-{subject}"
    k = 2
    while cid in taken:
        cid = f"{admin}-{subject}#{k}"
        k += 1
    taken.add(cid)
    return cid


def spread_subset(slots: list[int], k: int, day_of: Callable[[int], int]) -> list[int]:
    """k of a block's slots for a class with fewer lessons than the block, one per day first."""
    if k >= len(slots):
        return sorted(slots)
    picked: list[int] = []
    seen_days: set[int] = set()
    for t in sorted(slots):
        if len(picked) < k and day_of(t) not in seen_days:
            picked.append(t)
            seen_days.add(day_of(t))
    for t in sorted(slots):
        if len(picked) < k and t not in picked:
            picked.append(t)
    return sorted(picked)


def build_units(case: Case, classes: list[ClassInfo], blocks: list[Block]) -> list[Unit]:
    """Placement units: one per block, one per core class. Unit keys are ``B<index>`` and the core class id."""
    sizes = {c.id: c.size for c in classes}
    by_id = {c.id: c for c in classes}
    units = []
    for b in blocks:
        teachers = tuple(sorted({by_id[c].teacher for c in b.class_ids}))
        flex = [(case.subject_by_id[by_id[c].subject].room_type, sizes[c]) for c in b.class_ids]
        units.append(Unit(f"B{b.index}", b.length, teachers, b.admin_classes, flex))
    for c in classes:
        if c.kind != CORE:
            continue
        s = case.subject_by_id[c.subject]
        if s.room_type == HOME:
            units.append(Unit(c.id, c.lessons, (c.teacher,), (c.admin_class,), [], case.admin_by_id[c.admin_class].home_room))
        else:
            units.append(Unit(c.id, c.lessons, (c.teacher,), (c.admin_class,), [(s.room_type, c.size)]))
    return units


def lessons_from_placement(case: Case, classes: list[ClassInfo], blocks: list[Block], placed: dict[str, list[int]]) -> list[Lesson]:
    """Turn unit slots into lessons with rooms."""
    by_id = {c.id: c for c in classes}
    rows = []
    for b in blocks:
        slots = placed[f"B{b.index}"]
        for cid in b.class_ids:
            c = by_id[cid]
            s = case.subject_by_id[c.subject]
            for t in spread_subset(slots, c.lessons, case.calendar.day_of):
                rows.append((cid, t, s.room_type, c.size, None))
    for c in classes:
        if c.kind != CORE:
            continue
        s = case.subject_by_id[c.subject]
        home = case.admin_by_id[c.admin_class].home_room if s.room_type == HOME else None
        for t in placed[c.id]:
            rows.append((c.id, t, s.room_type, c.size, home))
    rooms = assign_rooms(case, rows)
    lessons = [Lesson(cid, t, rooms[cid, t]) for cid, t, *_ in rows]
    order = {c.id: i for i, c in enumerate(classes)}
    lessons.sort(key=lambda les: (order[les.class_id], les.slot))
    return lessons


def solve(case: Case, *, time_limit: float = 600.0, seed: int = 0, progress: Progress | None = None,
          stop: threading.Event | None = None) -> Result:
    start = time.monotonic()
    deadline = start + time_limit
    say = progress or (lambda phase, info: None)

    def left() -> float:
        return deadline - time.monotonic()

    def check_stop() -> None:
        if stop is not None and stop.is_set():
            raise NoTimetableFound("已停止 (stopped before a valid timetable was found)")
        if left() <= 0:
            raise NoTimetableFound(f"在 {time_limit:g} 秒内未找到可行课表 (no valid timetable found within {time_limit:g} s)")

    say("check", {})
    check_counts(case)
    lb = lower_bound(case)
    LB = sum(lb.values())
    sizes = case.admin_sizes()
    groups: dict[int, int] | None = None
    notes: list[str] = []
    last_failure = ""
    proven_every_time = True
    for attempt in range(6):
        check_stop()
        say("formation", {"attempt": attempt + 1, "lower_bound": LB})
        formation: Formation | None = form_classes(case, groups=groups, time_limit=min(12.0, max(1.0, time_limit * 0.05)), seed=seed, stop=stop,
                                                    wall_limit=max(0.1, left()))
        check_stop()
        if formation is None:
            raise NoTimetableFound(f"在 {time_limit:g} 秒内未能组成教学班 (teaching classes could not be formed within {time_limit:g} s)")
        n_teaching = len(formation.classes)
        say("formation", {"attempt": attempt + 1, "classes": n_teaching, "lower_bound": LB, "groups": dict(formation.groups)})
        # Classes: core first, then teaching classes.
        taken = {c.id for c in formation.classes}
        core_rows = []
        for a in case.admin_classes:
            for s in case.core_subjects:
                core_rows.append((_core_id(a.id, s.id, taken), s, a))
        staff = [ClassToStaff(cid, s.id, s.periods, None) for cid, s, a in core_rows]
        staff += [ClassToStaff(c.id, c.subject, c.lessons, c.block) for c in formation.classes]
        say("teachers", {"attempt": attempt + 1})
        teacher_of, proven = assign_teachers(case, staff, time_limit=min(5.0, max(1.0, time_limit * 0.01)), seed=seed, stop=stop,
                                             wall_limit=max(0.1, left()))
        check_stop()
        if teacher_of is None:
            proven_every_time &= proven
            last_failure = "教师分配无解 (no teacher assignment: too few teachers for the classes taught in parallel)"
            groups = _more_groups(case, formation)
            if groups is None:
                break
            continue
        classes = [ClassInfo(cid, s.id, CORE, a.id, teacher_of[cid], sizes[a.id], s.periods) for cid, s, a in core_rows]
        classes += [ClassInfo(c.id, c.subject, c.kind, None, teacher_of[c.id], len(c.students), c.lessons, c.block) for c in formation.classes]
        blocks = [Block(b.index, b.length, tuple(c.id for c in b.classes), tuple(b.admin_classes)) for b in formation.blocks]
        units = build_units(case, classes, blocks)
        say("placement", {"attempt": attempt + 1, "units": len(units), "classes": n_teaching, "lower_bound": LB})
        try:
            budget = min(max(1.0, time_limit * 0.3), max(0.5, left()))
            placed = place_units(case, units, time_limit=budget, seed=seed, stop=stop, wall_limit=max(0.5, left()),
                                 polish=min(5.0, time_limit * 0.01), polish_wall=max(0.1, left()))
        except PlacementFailure as exc:
            check_stop()
            proven_every_time &= exc.proven
            last_failure = "排课无解 (placement infeasible)" if exc.proven else "排课未在时限内找到解 (no placement found in time)"
            groups = _more_groups(case, formation)
            if groups is None:
                break
            continue
        say("rooms", {})
        lessons = lessons_from_placement(case, classes, blocks, placed)
        enrol = [(sid, c.id) for c in formation.classes for sid in c.students]
        order = {st.id: i for i, st in enumerate(case.students)}
        enrol.sort(key=lambda e: (order[e[0]], e[1]))
        say("done", {"classes": n_teaching, "lower_bound": LB})
        return Result(case, classes, enrol, lessons, blocks, LB, n_teaching, seed, notes)
    if proven_every_time and last_failure:
        raise Infeasible([
            f"计数检查都通过，但求解器证明在所试的 {attempt + 1} 种走班分组下，这些教师、教室和课时排不出课表 "
            f"(every counting check passes, but the solver proved that no timetable exists with these teachers, rooms "
            f"and slots for the {attempt + 1} 走班 groupings tried): "
            + last_failure,
            *_hints(case),
        ])
    raise NoTimetableFound(last_failure or "未找到可行课表 (no valid timetable found)")


def _more_groups(case: Case, formation: Formation) -> dict[int, int] | None:
    """One more group in the tier whose blocks hold the most classes at once; None if no tier can split."""
    n_admin = len(case.admin_classes)
    worst, worst_tier = -1, None
    per_tier: dict[int, int] = defaultdict(int)
    for b in formation.blocks:
        per_tier[b.tier] = max(per_tier[b.tier], len(b.classes))
    for ti, width in sorted(per_tier.items()):
        if formation.groups[ti] < n_admin and width > worst:
            worst, worst_tier = width, ti
    if worst_tier is None:
        return None
    g = dict(formation.groups)
    g[worst_tier] += 1
    return g


def _hints(case: Case) -> list[str]:
    """Resources most likely in conflict when only the solver could tell."""
    out = []
    cal = case.calendar
    free = len(cal.free_slots())
    busy = [t for t in case.teachers if t.unavailable]
    if busy:
        worst = sorted(busy, key=lambda t: -len(t.unavailable))[:5]
        out.append("有 {} 位教师有不可排课时，最多的是 {} (teachers with unavailable slots, most: {})".format(
            len(busy), "、".join(f"{t.id} {len(t.unavailable)} 节" for t in worst), ", ".join(t.id for t in worst)))
    out.append(f"每周可上课课时 {free} 个 (free slots a week), 每班每天最多 {cal.max_per_day} 节 (max lessons per class per day)")
    return out
