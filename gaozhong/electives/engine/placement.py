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

A block may leave its classes' teachers open (``Unit.open_classes``): the model then also picks each such
class's teacher — qualified, never two classes of one block, within ``max_periods`` with the fixed classes'
load counted, never in an unavailable slot of the block, and never in two blocks (or a block and a fixed class)
that overlap in time. Chosen together with the slots, a block's teachers cannot rule out every slot pattern
the way an assignment made beforehand can (rule 6).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from .bounds import teacher_capacity
from .sat import cp_model, run
from .types import Case

__all__ = ["Unit", "place_units", "place_and_staff", "PlacementFailure"]


@dataclass
class Unit:
    key: str
    length: int
    teachers: tuple[str, ...]
    admin_classes: tuple[str, ...]
    # (room type, class size) of every class of the unit that needs a room picked for it
    flexible: list[tuple[str, int]] = field(default_factory=list)
    home_room: str | None = None  # a core home lesson occupies this room
    # (class id, subject, lessons) of classes of a block whose teacher the placement chooses
    open_classes: list[tuple[str, str, int]] = field(default_factory=list)


class PlacementFailure(Exception):
    """``unstaffed``: teaching classes that no teacher could take in the best placement found, when known."""

    def __init__(self, proven: bool, message: str, unstaffed: list[str] | None = None):
        self.proven = proven
        self.unstaffed = unstaffed or []
        super().__init__(message)


def place_units(case: Case, units: list[Unit], *, time_limit: float, seed: int, stop: threading.Event | None = None,
                previous: dict[str, set[int]] | None = None, spread: bool = True,
                wall_limit: float | None = None, polish: float = 0.0,
                polish_wall: float | None = None, slot_hint: dict[str, set[int]] | None = None) -> dict[str, list[int]]:
    """Unit key → sorted slots. Raises PlacementFailure (proven=True when CP-SAT proved no placement exists).
    ``wall_limit`` and ``polish_wall`` count from the call (building the model included)."""
    return place_and_staff(case, units, time_limit=time_limit, seed=seed, stop=stop, previous=previous, spread=spread,
                           wall_limit=wall_limit, polish=polish, polish_wall=polish_wall, slot_hint=slot_hint)[0]


def place_and_staff(case: Case, units: list[Unit], *, time_limit: float, seed: int, stop: threading.Event | None = None,
                    previous: dict[str, set[int]] | None = None, spread: bool = True,
                    wall_limit: float | None = None, polish: float = 0.0, polish_wall: float | None = None,
                    fixed_load: dict[str, int] | None = None, staff_hint: dict[str, str] | None = None,
                    slot_hint: dict[str, set[int]] | None = None,
                    fixed_slots: dict[str, set[int]] | None = None, relaxed: bool = False, counts: bool = False, soft: bool = False, workers: int = 2, align: bool = False) -> tuple[dict[str, list[int]], dict[str, str]]:
    """(unit key → sorted slots, open class id → teacher id). ``fixed_load``: periods each teacher already
    teaches in classes whose teacher is fixed; ``staff_hint``: a teacher per open class to start from."""
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
        if fixed_slots is not None and u.key in fixed_slots:
            ok = [t for t in ok if t in fixed_slots[u.key]]
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
        if slot_hint is not None and u.key in slot_hint:
            for t, v in vs.items():
                m.add_hint(v, t in slot_hint[u.key])
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
    missing: list = []
    x = {} if relaxed else _staffing(case, m, units, y, fixed_load or {}, staff_hint or {}, missing if soft else None)
    if missing:
        m.minimize(sum(missing))
    if relaxed or counts:
        pairs = _staff_counts(case, m, units, y, fixed_load or {}, staff_hint or {})
        if relaxed and align and pairs and previous is None:
            m.minimize(sum(pairs))
    if previous is not None and objective:
        m.minimize(sum(objective))
    if wall_limit is not None:
        wall_limit = max(0.1, wall_limit - (time.monotonic() - started))
    status, solver = run(m, time_limit=time_limit, seed=seed, stop=stop, wall_limit=wall_limit, workers=workers)
    if status == cp_model.INFEASIBLE:
        raise PlacementFailure(True, "infeasible")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise PlacementFailure(False, "no placement found in time")
    found = {key: sorted(t for t, v in vs.items() if solver.value(v)) for key, vs in y.items()}
    staffed = {cid: tid for (cid, tid), v in x.items() if solver.value(v)}
    if missing:
        return found, staffed
    if previous is None and objective and polish > 0 and not (stop is not None and stop.is_set()):
        # Second pass from the first timetable: spread each unit's lessons over more days.
        m.clear_hints()
        for vs in y.values():
            for v in vs.values():
                m.add_hint(v, solver.value(v))
        for v in x.values():
            m.add_hint(v, solver.value(v))
        m.minimize(sum(objective))
        rest = None if polish_wall is None else max(0.1, polish_wall - (time.monotonic() - started))
        status2, solver2 = run(m, time_limit=polish, seed=seed, stop=stop, wall_limit=rest)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = {key: sorted(t for t, v in vs.items() if solver2.value(v)) for key, vs in y.items()}
            staffed = {cid: tid for (cid, tid), v in x.items() if solver2.value(v)}
    return found, staffed


def _staffing(case: Case, m, units: list[Unit], y: dict[str, dict[int, "cp_model.IntVar"]], fixed_load: dict[str, int],
              hint: dict[str, str], missing: list | None = None) -> dict[tuple[str, str], "cp_model.IntVar"]:
    """Teachers of the open classes, chosen in the placement model (see the module docstring). Two units that
    share an admin class never overlap, so only other pairs get an overlap indicator."""
    x: dict[tuple[str, str], cp_model.IntVar] = {}
    open_units = [u for u in units if u.open_classes]
    if not open_units:
        return x
    cap = teacher_capacity(case)
    free = case.calendar.free_slots()
    load: dict[str, list] = defaultdict(list)
    in_unit: dict[tuple[str, str], cp_model.IntVar] = {}
    for u in open_units:
        per_teacher: dict[str, list] = defaultdict(list)
        for cid, subject, lessons in u.open_classes:
            vs = []
            for t in case.teachers:
                if subject in t.subjects and cap[t.id] - fixed_load.get(t.id, 0) >= lessons:
                    v = m.new_bool_var(f"x_{cid}_{t.id}")
                    x[cid, t.id] = v
                    if cid in hint:
                        m.add_hint(v, hint[cid] == t.id)
                    vs.append(v)
                    per_teacher[t.id].append(v)
                    load[t.id].append(lessons * v)
            if missing is not None:
                miss = m.new_bool_var(f"miss_{cid}")
                missing.append(miss)
                m.add_exactly_one(vs + [miss])
            else:
                m.add_exactly_one(vs)  # no qualified teacher left: the model is infeasible, as it should be
        for tid, vs in per_teacher.items():
            busy = m.new_bool_var(f"in_{u.key}_{tid}")
            m.add(sum(vs) == busy)  # at most one class of a block per teacher
            in_unit[u.key, tid] = busy
            for t in case.teacher_by_id[tid].unavailable:
                if t in y[u.key]:
                    m.add_implication(busy, y[u.key][t].Not())
    for tid, terms in load.items():
        m.add(sum(terms) <= cap[tid] - fixed_load.get(tid, 0))
    # Overlap of two units, as needed: a teacher is in at most one of two units that overlap in time.
    admins = {u.key: set(u.admin_classes) for u in units}
    overlap: dict[tuple[str, str], cp_model.IntVar] = {}

    def overlaps(a: str, b: str) -> "cp_model.IntVar | None":
        key = (a, b) if a < b else (b, a)
        if admins[a] & admins[b]:
            return None  # never at once
        if key not in overlap:
            o = m.new_bool_var(f"o_{key[0]}_{key[1]}")
            for t in free:
                if t in y[a] and t in y[b]:
                    m.add_bool_or([y[a][t].Not(), y[b][t].Not(), o])
            overlap[key] = o
        return overlap[key]

    fixed_units: dict[str, list[str]] = defaultdict(list)
    for u in units:
        for tid in u.teachers:
            fixed_units[tid].append(u.key)
    open_of: dict[str, list[str]] = defaultdict(list)
    for (key, tid) in in_unit:
        open_of[tid].append(key)
    for tid, keys in open_of.items():
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                o = overlaps(a, b)
                if o is not None:
                    m.add_bool_or([in_unit[a, tid].Not(), in_unit[b, tid].Not(), o.Not()])
            for b in fixed_units.get(tid, []):
                o = overlaps(a, b)
                if o is not None:
                    m.add_implication(in_unit[a, tid], o.Not())
    return x


def _staff_counts(case: Case, m, units: list[Unit], y: dict[str, dict[int, "cp_model.IntVar"]], fixed_load: dict[str, int],
                  hint: dict[str, str]) -> dict:
    """Necessary conditions for staffing the open classes once the slots are known, without choosing teachers:
    a block has, per subject, at least as many teachers free in all its slots as classes; at each slot the
    blocks running then have no more classes of a subject than its teachers free then."""
    cap = teacher_capacity(case)
    free = case.calendar.free_slots()
    open_units = [u for u in units if u.open_classes]
    teachers_of: dict[str, list] = defaultdict(list)
    for t in case.teachers:
        for s in t.subjects:
            teachers_of[s].append(t)
    per_slot: dict[tuple[str, int], list] = defaultdict(list)
    teacher_ids = {s: {t.id for t in ts} for s, ts in teachers_of.items()}
    multi = sorted({s for t in case.teachers if len(t.subjects) > 1 for s in t.subjects})
    groups = [grp for k in range(2, min(len(multi), 4) + 1) for grp in combinations(multi, k)
              if len(set().union(*(teacher_ids.get(s, set()) for s in grp))) < sum(len(teacher_ids.get(s, ())) for s in grp)]

    free_of: dict[tuple[str, str], object] = {}

    def free_in(u: Unit, t) -> object:
        """1, or a Boolean that is true only when the unit's lessons use none of the teacher's unavailable slots
        (one per unit and teacher)."""
        if (u.key, t.id) not in free_of:
            bad = [y[u.key][x] for x in t.unavailable if x in y[u.key]]
            if not bad:
                free_of[u.key, t.id] = 1
            else:
                a = m.new_bool_var("")
                for v in bad:
                    m.add_implication(a, v.Not())
                free_of[u.key, t.id] = a
        return free_of[u.key, t.id]

    def able(u: Unit, teachers, shortest: int) -> list:
        """``free_in`` of each teacher with room for the unit's shortest open class."""
        return [free_in(u, t) for t in teachers if cap[t.id] - fixed_load.get(t.id, 0) >= shortest]

    def shortest_of(u: Unit, subjects) -> int:
        return min(n for _c, s2, n in u.open_classes if s2 in subjects)

    def pool_of(subjects) -> list:
        """The teachers of any of the subjects, in id order."""
        return [case.teacher_by_id[tid] for tid in sorted(set().union(*(teacher_ids.get(s, set()) for s in subjects)))]

    for u in open_units:
        need: dict[str, int] = defaultdict(int)
        for _cid, subject, _n in u.open_classes:
            need[subject] += 1
        for subject, k in need.items():
            m.add(sum(able(u, teachers_of[subject], shortest_of(u, (subject,)))) >= k)
            for x in free:
                if x in y[u.key]:
                    per_slot[subject, x].append(k * y[u.key][x])
        # The same over subjects that share teachers (e.g. history and geography): Hall's condition on the union.
        for grp in groups:
            k = sum(need.get(s, 0) for s in grp)
            if k == 0 or sum(1 for s in grp if need.get(s)) < 2:
                continue
            shortest = shortest_of(u, grp)
            m.add(sum(able(u, pool_of(grp), shortest)) >= k)
    for (subject, x), terms in per_slot.items():
        supply = sum(1 for t in teachers_of[subject] if x not in t.unavailable)
        m.add(sum(terms) <= supply)
    # Overlap indicators of blocks that share no admin class: fewer overlapping pairs (blocks of different
    # units at the same times, or at different times) leave a teacher more blocks to combine.
    pairs = []
    n_teachers = {s: sum(1 for t in ts if cap[t.id] - fixed_load.get(t.id, 0) > 0) for s, ts in teachers_of.items()}
    need_of = {}
    for u in open_units:
        need_of[u.key] = defaultdict(int)
        for _cid, subject, _n in u.open_classes:
            need_of[u.key][subject] += 1
    for i, a in enumerate(open_units):
        for b in open_units[i + 1:]:
            if set(a.admin_classes) & set(b.admin_classes):
                continue
            if any(k + need_of[b.key].get(s, 0) > n_teachers.get(s, 0) for s, k in need_of[a.key].items()):
                # more classes of a subject than its teachers: the two blocks never run at once
                for x in free:
                    if x in y[a.key] and x in y[b.key]:
                        m.add_at_most_one([y[a.key][x], y[b.key][x]])
                continue
            o = m.new_bool_var("")
            for x in free:
                if x in y[a.key] and x in y[b.key]:
                    m.add_bool_or([y[a.key][x].Not(), y[b.key][x].Not(), o])
            # Blocks that overlap need distinct teachers: Hall's condition on the union of their classes of a
            # subject (or of subjects sharing teachers), each teacher counted when free in all of either's slots.
            for grp in [(s,) for s in need_of[a.key]] + [g for g in groups if len(g) > 1]:
                ka = sum(need_of[a.key].get(s, 0) for s in grp)
                kb = sum(need_of[b.key].get(s, 0) for s in grp)
                if not ka or not kb:
                    continue
                pool = pool_of(grp)
                sa, sb = shortest_of(a, grp), shortest_of(b, grp)
                either = []
                for t in pool:
                    room = cap[t.id] - fixed_load.get(t.id, 0)
                    fa = free_in(a, t) if room >= sa else 0
                    fb = free_in(b, t) if room >= sb else 0
                    if isinstance(fa, int) and isinstance(fb, int):
                        either.append(1 if fa or fb else 0)
                    else:
                        e = m.new_bool_var("")
                        m.add(e <= fa + fb)
                        either.append(e)
                if ka + kb > sum(v for v in either if isinstance(v, int)):
                    m.add(sum(either) >= ka + kb).only_enforce_if(o)
            # Weight: the teaching periods of a subject the two blocks cannot share (short blocks cost less).
            weight = sum(min(k * a.length, need_of[b.key].get(s, 0) * b.length) for s, k in need_of[a.key].items())
            pairs.append(max(1, weight) * o)
    return pairs
