"""Stage 3: place 走班 blocks and core classes into the week's slots with CP-SAT.

A *unit* is either one block (all its teaching classes share the block's slots) or one core class. Per unit
and slot there is one Boolean; the model says, each family under the rule it states:

* a unit has exactly its lessons, on free slots, at most ``max_lessons_per_class_per_day`` a day (rule 3);
* an admin class has at most one unit at a time: its core classes and every block holding one of its
  students — this is what keeps a student out of two lessons at once (rule 5);
* a teacher has at most one unit at a time and none in an unavailable slot (rules 5, 6);
* for each room type and room size, the classes needing a room at least that large, plus the home rooms
  taken by home lessons, never outnumber such rooms (Hall's condition, so rooms can be matched afterwards;
  rules 4, 5, 7).

The soft goal spreads a unit's lessons over different days. With ``previous`` the goal becomes "move as few
lessons as possible" (minimal-change re-solve).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from .sat import cp_model, run
from .types import Case

__all__ = ["Unit", "place_units", "PlacementFailure"]


@dataclass
class Unit:
    key: str
    length: int
    teachers: tuple[str, ...]
    admin_classes: tuple[str, ...]
    # (room type, class size) of every class of the unit that needs a room picked for it
    flexible: list[tuple[str, int]] = field(default_factory=list)
    home_room: str | None = None  # a core home lesson occupies this room


class PlacementFailure(Exception):
    def __init__(self, proven: bool, message: str):
        self.proven = proven
        super().__init__(message)


def place_units(case: Case, units: list[Unit], *, time_limit: float, seed: int, stop: threading.Event | None = None,
                previous: dict[str, set[int]] | None = None, spread: bool = True,
                wall_limit: float | None = None, polish: float = 0.0,
                polish_wall: float | None = None) -> dict[str, list[int]]:
    """Unit key → sorted slots. Raises PlacementFailure (proven=True when CP-SAT proved no placement exists).
    ``wall_limit`` and ``polish_wall`` count from the call (building the model included)."""
    started = time.monotonic()
    cal = case.calendar
    free = cal.free_slots()
    unav = {t.id: t.unavailable for t in case.teachers}
    m = cp_model.CpModel()
    y: dict[str, dict[int, cp_model.IntVar]] = {}
    by_admin: dict[tuple[str, int], list] = defaultdict(list)
    by_teacher: dict[tuple[str, int], list] = defaultdict(list)
    by_home: dict[tuple[str, int], list] = defaultdict(list)
    days = sorted({cal.day_of(t) for t in free})
    objective = []
    for u in units:
        ok = [t for t in free if not any(t in unav[x] for x in u.teachers)]
        y[u.key] = {t: m.new_bool_var(f"y_{u.key}_{t}") for t in ok}
        vs = y[u.key]
        m.add(sum(vs.values()) == u.length)
        for d in days:
            day_vars = [v for t, v in vs.items() if cal.day_of(t) == d]
            if len(day_vars) > cal.max_per_day:
                m.add(sum(day_vars) <= cal.max_per_day)
            if spread and previous is None and u.length <= len(days) and len(day_vars) > 1:
                extra = m.new_int_var(0, cal.max_per_day, "")
                m.add(extra >= sum(day_vars) - 1)
                objective.append(extra)
        for t, v in vs.items():
            for a in u.admin_classes:
                by_admin[a, t].append(v)
            for x in u.teachers:
                by_teacher[x, t].append(v)
            if u.home_room is not None:
                by_home[u.home_room, t].append(v)
        if previous is not None and u.key in previous:
            kept = [vs[t] for t in previous[u.key] if t in vs]
            objective.append(u.length - sum(kept))
    # An admin class whose lessons fill every free slot (a full week) is in exactly one unit at each slot: the
    # same rule, stated so that the solver propagates it.
    demand: dict[str, int] = defaultdict(int)
    for u in units:
        for a in u.admin_classes:
            demand[a] += u.length
    full = {a for a, n in demand.items() if n == len(free)}
    for (a, t), vs in by_admin.items():
        if a in full:
            m.add_exactly_one(vs)
        elif len(vs) > 1:
            m.add_at_most_one(vs)
    for a in full:
        for t in free:
            if (a, t) not in by_admin:
                m.add_bool_or([])  # a full week with a slot no unit of the class can use: no placement
    for group in (by_teacher, by_home):
        for vs in group.values():
            if len(vs) > 1:
                m.add_at_most_one(vs)
    # Rooms: Hall's condition per room type and capacity level.
    rooms_by_type: dict[str, list[int]] = defaultdict(list)
    for r in case.rooms:
        rooms_by_type[r.type].append(r.capacity)
    home_type = {a.home_room: case.room_by_id[a.home_room] for a in case.admin_classes}
    for rt, caps in rooms_by_type.items():
        levels = sorted(set(caps))
        for k, q in enumerate(levels):
            prev = levels[k - 1] if k else 0
            supply = sum(1 for c in caps if c >= q)
            coef: dict[str, int] = {}
            for u in units:
                d = sum(1 for (t, size) in u.flexible if t == rt and size > prev)
                if u.home_room is not None:
                    room = home_type[u.home_room]
                    if room.type == rt and room.capacity >= q:
                        d += 1
                if d:
                    coef[u.key] = d
            if sum(coef.values()) <= supply:
                continue
            for t in free:
                terms = [c * y[key][t] for key, c in coef.items() if t in y[key]]
                if sum(coef[key] for key in coef if t in y[key]) > supply:
                    m.add(sum(terms) <= supply)
    if previous is not None and objective:
        m.minimize(sum(objective))
    if wall_limit is not None:
        wall_limit = max(0.1, wall_limit - (time.monotonic() - started))
    status, solver = run(m, time_limit=time_limit, seed=seed, stop=stop, wall_limit=wall_limit)
    if status == cp_model.INFEASIBLE:
        raise PlacementFailure(True, "infeasible")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise PlacementFailure(False, "no placement found in time")
    found = {key: sorted(t for t, v in vs.items() if solver.value(v)) for key, vs in y.items()}
    if previous is None and objective and polish > 0 and not (stop is not None and stop.is_set()):
        # Second pass from the first timetable: spread each unit's lessons over more days.
        for vs in y.values():
            for v in vs.values():
                m.add_hint(v, solver.value(v))
        m.minimize(sum(objective))
        rest = None if polish_wall is None else max(0.1, polish_wall - (time.monotonic() - started))
        status2, solver2 = run(m, time_limit=polish, seed=seed, stop=stop, wall_limit=rest)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = {key: sorted(t for t, v in vs.items() if solver2.value(v)) for key, vs in y.items()}
    return found
