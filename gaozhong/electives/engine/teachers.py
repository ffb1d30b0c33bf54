"""Stage 2: give every class one teacher before its lessons are placed.

A teacher gets only subjects listed for them, at most ``max_periods`` a week (and no more than their free
slots), and never two classes of one 走班 block, since a block's classes are taught at the same time. Among
such assignments CP-SAT picks one that spreads the load evenly (smallest highest load as a share of
max_periods) so that the placement stage has room to move.

Rule: issue 7 hard rule (6), a teacher teaches only listed subjects, never in an unavailable slot, at most
``max_periods`` a week, one teacher for all lessons of a class.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from .bounds import teacher_capacity
from .sat import cp_model, run
from .types import Case

__all__ = ["ClassToStaff", "assign_teachers"]


@dataclass(frozen=True)
class ClassToStaff:
    id: str
    subject: str
    periods: int
    block: int | None  # 走班 block, or None for a core class
    unit: int | None = None  # a core class: the 走班 unit of its admin class (its core lessons share that unit's free time)


def assign_teachers(case: Case, classes: list[ClassToStaff], *, time_limit: float, seed: int,
                    stop: threading.Event | None = None, wall_limit: float | None = None) -> tuple[dict[str, str] | None, bool]:
    """(class id → teacher id, proven): the assignment, or None with ``proven`` True when none exists and False
    when none was found in time."""
    started = time.monotonic()
    cap = teacher_capacity(case)
    m = cp_model.CpModel()
    x: dict[tuple[str, str], cp_model.IntVar] = {}
    by_teacher: dict[str, list[tuple[ClassToStaff, cp_model.IntVar]]] = {t.id: [] for t in case.teachers}
    for c in classes:
        opts = [t for t in case.teachers if c.subject in t.subjects and cap[t.id] >= c.periods]
        if not opts:
            return None, True
        vs = []
        for t in opts:
            v = m.new_bool_var(f"x_{c.id}_{t.id}")
            x[c.id, t.id] = v
            by_teacher[t.id].append((c, v))
            vs.append(v)
        m.add_exactly_one(vs)
    peak = m.new_int_var(0, 1000, "peak")
    for t in case.teachers:
        rows = by_teacher[t.id]
        if not rows:
            continue
        load = sum(c.periods * v for c, v in rows)
        m.add(load <= cap[t.id])
        if t.max_periods:
            m.add(peak * t.max_periods >= 100 * load)
        blocks: dict[int, list] = {}
        for c, v in rows:
            if c.block is not None:
                blocks.setdefault(c.block, []).append(v)
        for vs in blocks.values():
            if len(vs) > 1:
                m.add_at_most_one(vs)
    # Teachers with unavailable slots are better kept out of long parallel blocks.
    penalty = []
    for t in case.teachers:
        if t.unavailable:
            penalty += [c.periods * v for c, v in by_teacher[t.id] if c.block is not None]
    # A core teacher with several classes in one unit has to fit them all into that unit's core time (in a full
    # week: the slots the unit is not in 走班 blocks); classes in different units have different core times.
    crowd = []
    for t in case.teachers:
        per_unit: dict[int, list] = {}
        for c, v in by_teacher[t.id]:
            if c.block is None and c.unit is not None:
                per_unit.setdefault(c.unit, []).append(c.periods * v)
        for u, terms in per_unit.items():
            if len(terms) > 1:
                first = max(c.periods for c, _ in by_teacher[t.id] if c.block is None and c.unit == u)
                over = m.new_int_var(0, 1000, "")
                m.add(over >= sum(terms) - first)
                crowd.append(over)
    m.minimize(peak * 1000 + sum(penalty) + 1000 * sum(crowd))
    if wall_limit is not None:
        wall_limit = max(0.1, wall_limit - (time.monotonic() - started))
    status, solver = run(m, time_limit=time_limit, seed=seed, stop=stop, wall_limit=wall_limit)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status == cp_model.INFEASIBLE
    return {cid: tid for (cid, tid), v in x.items() if solver.value(v)}, True
