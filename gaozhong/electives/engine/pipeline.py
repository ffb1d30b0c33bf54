"""The solve: counting checks, then class formation, teacher assignment, placement and rooms, with retries.

``solve(case, time_limit=…, seed=…, progress=…, stop=…)`` returns a :class:`~.types.Result` that meets hard
rules (1)–(7) of issue 7, raises :class:`~.types.Infeasible` only when a counting check *proves* that no
timetable exists (naming the resource and the slots in conflict, issue 19 §1), or
:class:`~.types.NoTimetableFound` when the time ran out (or ``stop`` was set) before a valid timetable was
found, with the best partial result's figures. A stage that fails for one formation (no teacher assignment, no
placement) proves nothing about the case: the next try splits the widest tier into one more group, or forms
again with another seed, while time lasts. Every stage gets the time left as its wall-clock limit, and a small
reserve is kept for rooms and writing, so the call returns within ``time_limit``.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from typing import Callable

from .bounds import lower_bound
from .feasibility import check_counts
from .formation import Formation, FormationImpossible, form_classes, initial_groups
from .placement import PlacementFailure, Unit, place_and_staff, place_units
from .rooms import assign_rooms
from .teachers import ClassToStaff, assign_teachers
from .types import CORE, HOME, Block, Case, ClassInfo, Lesson, NoTimetableFound, Result

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


def _budget(time_limit: float, share: float, low: float, high: float) -> float:
    """A stage's deterministic budget: a share of the time limit, within [low, high]."""
    return min(high, max(low, time_limit * share))


def solve(case: Case, *, time_limit: float = 600.0, seed: int = 0, progress: Progress | None = None,
          stop: threading.Event | None = None, started: float | None = None) -> Result:
    """``started`` is the ``time.monotonic()`` the limit counts from (the command passes its own start, so that
    reading the case counts too); default now."""
    start = time.monotonic() if started is None else started
    # Room for the rooms stage, for CP-SAT to stop and for writing the files, so the command returns in time.
    deadline = start + time_limit - min(3.0, time_limit * 0.03)
    say = progress or (lambda phase, info: None)

    def left() -> float:
        return deadline - time.monotonic()

    best = {"classes": None, "stage": ""}

    def give_up(reason: str) -> NoTimetableFound:
        figures = "；教学班尚未组成 (teaching classes not formed yet)"
        if best["classes"] is not None:
            figures = (f"；最好的部分结果：{best['classes']} 个教学班 (下界 {LB})，{best['stage']} "
                       f"(best partial result: {best['classes']} teaching classes vs LB {LB}, {best['stage_en']})")
        return NoTimetableFound(reason + figures)

    def check_stop() -> None:
        if stop is not None and stop.is_set():
            raise give_up("已停止 (stopped before a valid timetable was found)")
        if left() <= 0:
            raise give_up(f"在 {time_limit:g} 秒内未找到可行课表，并未证明无解 (no valid timetable found within {time_limit:g} s; "
                          "this is not a proof that none exists)")

    say("check", {})
    check_counts(case)  # every Infeasible the solve raises is a counting proof from here
    lb = lower_bound(case)
    LB = sum(lb.values())
    sizes = case.admin_sizes()
    groups: dict[int, int] | None = None
    notes: list[str] = []
    attempt = 0
    retried = False
    run_seed = seed
    previous: Formation | None = None
    limits: dict[str, int] = {}  # subject → most classes in one block, learnt from failed placements
    learnt_tries = 0
    while True:
        check_stop()
        attempt += 1
        say("formation", {"attempt": attempt, "lower_bound": LB})
        # The first formation may take 30 % of the limit; a later one half of what is left.
        form_wall = time_limit * 0.3 if attempt == 1 else left() * 0.5
        impossible = False
        try:
            formation: Formation | None = form_classes(case, groups=groups, time_limit=_budget(time_limit, 0.03, 1.0, 8.0),
                                                        seed=run_seed, stop=stop, wall_limit=max(0.1, min(left(), form_wall)),
                                                        limits=dict(limits) or None)
        except FormationImpossible:
            formation, impossible = None, True
        check_stop()
        if impossible and previous is None:
            # Proved impossible with these groups (not for want of time): more groups in every tier.
            now = groups or initial_groups(case)
            wider = {ti: min(g + 1, len(case.admin_classes)) for ti, g in now.items()}
            if wider != now:
                groups = wider
                continue
            raise give_up("每个行政班单独成组也无法组成教学班，并未证明无解 (no teaching classes can be formed even with every admin "
                          "class a group of its own; this is not a proof that no timetable exists)")
        if formation is None:
            if previous is None:
                # Not formed in its share of the time: again with another seed while time is left.
                run_seed += 7919
                continue
            # No new formation in time: staff and place the previous one again with another seed.
            formation, run_seed = previous, run_seed + 7919
        previous = formation
        n_teaching = len(formation.classes)
        if best["classes"] is None:
            best.update(classes=n_teaching, stage="教学班已组成，教师未分配", stage_en="classes formed, teachers not assigned")
        say("formation", {"attempt": attempt, "classes": n_teaching, "lower_bound": LB, "groups": dict(formation.groups)})
        # Classes: core first, then teaching classes.
        taken = {c.id for c in formation.classes}
        core_rows = []
        for a in case.admin_classes:
            for s in case.core_subjects:
                core_rows.append((_core_id(a.id, s.id, taken), s, a))
        staff = [ClassToStaff(cid, s.id, s.periods, None, formation.unit_of.get(a.id)) for cid, s, a in core_rows]
        # Teaching classes get their teachers in the placement; here only those whose subject shares a teacher with a
        # core subject, so that the core assignment leaves such teachers their periods.
        core_ids = {s.id for s in case.core_subjects}
        shared = {x for t in case.teachers if core_ids & set(t.subjects) for x in t.subjects} - core_ids
        staff += [ClassToStaff(c.id, c.subject, c.lessons, c.block) for c in formation.classes if c.subject in shared]
        say("teachers", {"attempt": attempt})
        teacher_of, _proven = assign_teachers(case, staff, time_limit=_budget(time_limit, 0.01, 1.0, 5.0), seed=run_seed, stop=stop,
                                              wall_limit=max(0.1, min(left(), time_limit * 0.1)))
        check_stop()
        if teacher_of is None:
            groups, run_seed = _next_try(case, formation, run_seed)
            continue
        best.update(classes=n_teaching, stage="教师已分配，排课未完成", stage_en="teachers assigned, lessons not all placed")
        core_classes = [ClassInfo(cid, s.id, CORE, a.id, teacher_of[cid], sizes[a.id], s.periods) for cid, s, a in core_rows]
        blocks = [Block(b.index, b.length, tuple(c.id for c in b.classes), tuple(b.admin_classes)) for b in formation.blocks]
        say("placement", {"attempt": attempt, "classes": n_teaching, "lower_bound": LB})
        try:
            block_teacher, placed = _place(case, formation, core_classes, blocks, teacher_of, time_limit=time_limit,
                                           seed=run_seed, stop=stop, left=left)
        except PlacementFailure as exc:
            check_stop()
            learnt = _crowded(case, formation, exc.unstaffed, limits)
            if not retried:  # first another formation with the same groups, then one more group
                retried = True
                groups, run_seed = dict(formation.groups), run_seed + 7919
            else:
                retried = False
                groups, run_seed = _next_try(case, formation, run_seed)
            if learnt:
                limits.update(learnt)
                learnt_tries += 1
                if learnt_tries <= 3 and groups != dict(formation.groups):
                    # the same groups, with the crowded block shape forbidden, before one more group
                    groups, run_seed, retried = dict(formation.groups), run_seed + 7919, True
            continue
        classes = core_classes + [ClassInfo(c.id, c.subject, c.kind, None, block_teacher[c.id], len(c.students), c.lessons, c.block)
                                  for c in formation.classes]
        say("rooms", {})
        lessons = lessons_from_placement(case, classes, blocks, placed)
        enrol = [(sid, c.id) for c in formation.classes for sid in c.students]
        order = {st.id: i for i, st in enumerate(case.students)}
        enrol.sort(key=lambda e: (order[e[0]], e[1]))
        say("done", {"classes": n_teaching, "lower_bound": LB})
        return Result(case, classes, enrol, lessons, blocks, LB, n_teaching, seed, notes)


def _place(case: Case, formation: Formation, core_classes: list[ClassInfo], blocks: list[Block], hint: dict[str, str], *,
           time_limit: float, seed: int, stop: threading.Event | None, left: Callable[[], float]
           ) -> tuple[dict[str, str], dict[str, list[int]]]:
    """Teachers of the teaching classes and the slots of every unit. Raises PlacementFailure.

    1. Place the blocks with their teachers left open, under necessary conditions for staffing them (per subject,
       enough teachers free in all of a block's slots and at each slot) and with as little overlap between blocks
       of different units as possible: a teacher can then take classes in many blocks.
    2. Staff the blocks with the slots fixed (a small assignment); classes no teacher can take are counted.
       Classes left: 1 and 2 again with another seed (three tries), then slots and teachers searched together
       from the best try (fewest unstaffed classes).
    3. Place again with every teacher fixed, from that placement, to spread lessons over the week.
    """
    by_formed = {c.id: c for c in formation.classes}
    open_blocks = []
    for b in blocks:
        flex = [(case.subject_by_id[by_formed[c].subject].room_type, len(by_formed[c].students)) for c in b.class_ids]
        open_blocks.append(Unit(f"B{b.index}", b.length, (), b.admin_classes, flex,
                                open_classes=[(c, by_formed[c].subject, by_formed[c].lessons) for c in b.class_ids]))
    core_units = build_units(case, core_classes, [])
    units = open_blocks + core_units
    fixed_load: dict[str, int] = defaultdict(int)
    for c in core_classes:
        fixed_load[c.teacher] += c.lessons
    block_hint = {c.id: hint[c.id] for c in formation.classes if c.id in hint}
    admins = [set(u.admin_classes) for u in open_blocks]
    apart = any(not (x & y) for i, x in enumerate(admins) for y in admins[i + 1:])  # blocks of different units
    staffed: dict[str, str] = {}
    best: tuple[dict[str, set[int]], dict[str, str]] | None = None

    def staff(slots: dict[str, set[int]]) -> tuple[dict[str, list[int]], dict[str, str]]:
        return place_and_staff(case, units, time_limit=_budget(time_limit, 0.02, 1.0, 5.0), seed=seed, stop=stop,
                               wall_limit=max(0.1, left()), fixed_load=fixed_load, staff_hint=block_hint,
                               fixed_slots=slots, soft=True, workers=1)

    for k in range(3):  # a few placements (other seeds) before searching slots and teachers together
        try:
            first = place_and_staff(case, units, time_limit=_budget(time_limit, 0.05, 2.0, 20.0), seed=seed + k, stop=stop,
                                    wall_limit=max(0.1, left()), fixed_load=fixed_load, relaxed=True)[0]
        except PlacementFailure as exc:
            if exc.proven or left() < time_limit * 0.3:
                if best is None:
                    raise
                break
            first = None
            if apart:  # the least-overlap placement: blocks of different units coincide or keep apart
                try:
                    first = place_and_staff(case, units, time_limit=_budget(time_limit, 0.05, 2.0, 20.0), seed=seed + 50 + k,
                                            stop=stop, wall_limit=max(0.1, left()), fixed_load=fixed_load, relaxed=True,
                                            align=True)[0]
                except PlacementFailure as exc2:
                    if exc2.proven or left() < time_limit * 0.3:
                        if best is None:
                            raise
                        break
            if first is None:
                try:
                    first = place_and_staff(case, units, time_limit=_budget(time_limit, 0.25 if k == 0 else 0.1, 2.0, 1e9),
                                            seed=seed + 100 + k, stop=stop, wall_limit=max(0.1, left()), fixed_load=fixed_load,
                                            relaxed=True)[0]
                except PlacementFailure:
                    if best is None:
                        raise
                    break
        tries = [first]
        if apart:  # then from it, with the least overlap between blocks of different units
            tries.append(None)
        for first in tries:
            if first is None:
                if left() < time_limit * 0.3:
                    break
                try:
                    first = place_and_staff(case, units, time_limit=_budget(time_limit, 0.025, 2.0, 10.0), seed=seed + k,
                                            stop=stop, wall_limit=max(0.1, left()), fixed_load=fixed_load, relaxed=True,
                                            align=True, slot_hint=slots)[0]
                except PlacementFailure:
                    break
            slots = {key: set(v) for key, v in first.items()}
            placed, staffed = staff(slots)
            if best is None or len(staffed) > len(best[1]):
                best = (slots, staffed)
            if len(staffed) == len(formation.classes):
                break
        if len(staffed) == len(formation.classes) or left() < time_limit * 0.3:
            break
        unstaffed = [c.id for c in formation.classes if c.id not in best[1]]
        if k == 0 and _crowded(case, formation, unstaffed, {}) and len(_crowded(case, formation, unstaffed, {})) == len(
                {c.subject for c in formation.classes if c.id in set(unstaffed)}) and left() > time_limit * 0.4:
            # Every class left is in a block crowded with its subject: other slots rarely free one more of its
            # teachers there, a formation with that subject capped per block does (see _crowded).
            raise PlacementFailure(False, f"{len(unstaffed)} teaching classes without a teacher in crowded blocks", unstaffed)
    if len(staffed) < len(formation.classes):
        slots, staffed = best
        # A short search: when it fails, another formation has a better chance than more of the same.
        placed, staffed = place_and_staff(case, units, time_limit=_budget(time_limit, 0.1, 2.0, 60.0), seed=seed, stop=stop,
                                          wall_limit=max(0.1, left()), fixed_load=fixed_load, staff_hint=staffed or block_hint,
                                          slot_hint=slots, soft=True)
        if len(staffed) < len(formation.classes):
            raise PlacementFailure(False, f"{len(formation.classes) - len(staffed)} teaching classes without a teacher",
                                   [c.id for c in formation.classes if c.id not in staffed])
    classes = core_classes + [ClassInfo(c.id, c.subject, c.kind, None, staffed[c.id], len(c.students), c.lessons, c.block)
                              for c in formation.classes]
    final_units = build_units(case, classes, blocks)
    done = place_units(case, final_units, time_limit=_budget(time_limit, 0.05, 1.0, 20.0), seed=seed, stop=stop,
                       wall_limit=max(0.1, left()), polish=min(5.0, time_limit * 0.01), polish_wall=max(0.1, left()),
                       slot_hint={k: set(v) for k, v in placed.items()})
    return staffed, done


def _crowded(case: Case, formation: Formation, unstaffed: list[str], limits: dict[str, int]) -> dict[str, int]:
    """What a failed placement teaches the next formation: when teaching classes were left without a teacher,
    their blocks (in a tier with several groups) hold so many classes of the subject that the blocks of other
    units running at the same time are left too few of its teachers. The next formation keeps that subject to
    one class fewer per block. Only a block holding more than half of the subject's teachers counts as crowded.
    (A placement proved impossible teaches nothing this precise: labs and teachers together rule it out, so only
    the seed changes.)"""
    multi = {ti for ti, g in formation.groups.items() if g > 1}
    able = {s.id: sum(1 for t in case.teachers if s.id in t.subjects and t.max_periods > 0) for s in case.subjects}
    cells: dict[tuple[int, str], int] = defaultdict(int)
    for b in formation.blocks:
        if b.tier in multi:
            for c in b.classes:
                cells[b.index, c.subject] += 1
    block_of = {c.id: c.block for c in formation.classes}
    subject_of = {c.id: c.subject for c in formation.classes}
    picked: dict[str, int] = {}
    for cid in unstaffed:
        k = cells.get((block_of[cid], subject_of[cid]), 0)
        if k > 1 and 2 * k > able[subject_of[cid]]:
            picked[subject_of[cid]] = min(picked.get(subject_of[cid], k), k - 1)
    return {s: min(k, limits.get(s, k)) for s, k in picked.items() if k < limits.get(s, k + 1)}


def _next_try(case: Case, formation: Formation, run_seed: int) -> tuple[dict[int, int] | None, int]:
    """After a failed teacher assignment or placement: one more group in the widest tier while a tier can
    split, else the same groups with another seed (a different formation and search)."""
    more = _more_groups(case, formation)
    if more is not None:
        return more, run_seed
    return dict(formation.groups), run_seed + 7919


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
