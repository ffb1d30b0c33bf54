"""Stage 1: form the teaching classes and align them into 走班 blocks.

A *column* is a stretch of the week in which each student attends at most one teaching class; the column
lengths are the element-wise maximum of the students' sorted lesson counts, so every student's classes fit in
the fewest lessons. Columns of equal length form a *tier*; within a tier a student's classes may go to any
column (the orientation). The admin classes are split into G *groups* per tier (the groups of every tier are unions
of the same *units*, so blocks of different tiers line up); one group in one column is a *block*: its classes are taught in parallel, and a group's blocks are placed at their own times, so that a
subject needs at most as many teachers and rooms at once as one block has classes of it.

For each tier a small CP-SAT model picks the groups and the orientation counts that need the fewest classes,
then the most even class sizes; students are then dealt to classes in admin-class order so that a teaching
class mixes as few admin classes as possible. Rooms and teachers shape the model from the start: a block has no
more classes of a room type than rooms of it (labs per slot), a class is no larger than the largest room of its
type (lab capacity), each room type's lessons fit its rooms × free slots, and a teacher assignment (one class of
a block per teacher, periods within each teacher's capacity, core classes included) must exist.

Rule: issue 7 §1 quality (fewest teaching classes, then balanced sizes); rule (2), each student in exactly one
class of each need; rule (4), class size ≤ max_class_size (seed 002 §三(七), 班额 ≤ 55).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations, permutations

from .bounds import ceil_div, effective_cap, teacher_capacity
from .sat import cp_model, run
from .types import HOME, XUANKE, Case

__all__ = ["FormedClass", "FormedBlock", "Formation", "FormationImpossible", "column_structure", "form_classes", "min_groups",
           "initial_groups"]

Item = tuple[str, str]
MAX_MAPPINGS = 4000


class FormationImpossible(Exception):
    """The formation model was proved infeasible with the groups asked for: with more groups it may not be, so
    this is no proof that the case has no timetable."""


@dataclass
class FormedClass:
    id: str
    subject: str
    kind: str
    students: list[str]
    lessons: int
    block: int


@dataclass
class FormedBlock:
    index: int
    tier: int
    group: int
    column: int
    length: int
    classes: list[FormedClass] = field(default_factory=list)
    admin_classes: list[str] = field(default_factory=list)


@dataclass
class Formation:
    blocks: list[FormedBlock]
    classes: list[FormedClass]
    column_lengths: list[int]
    groups: dict[int, int]
    optimal: bool
    unit_of: dict[str, int] = field(default_factory=dict)  # admin class → unit (the finest grouping of every tier)


def _item_key(case: Case, item: Item) -> tuple:
    order = {s.id: i for i, s in enumerate(case.subjects)}
    return (-case.item_periods(item), item[1] != XUANKE, order[item[0]])


def column_structure(case: Case) -> tuple[list[int], list[tuple[int, int]], dict[str, list[tuple[Item, int]]]]:
    """Column lengths (longest first), tiers as (first column, number of columns), and each student's
    (item, tier) list: a student's j-th longest class goes to the tier of column j."""
    per_student: dict[str, list[Item]] = {}
    lengths: list[int] = []
    for st in case.students:
        items = sorted(case.needs(st), key=lambda i: _item_key(case, i))
        per_student[st.id] = items
        for j, it in enumerate(items):
            p = case.item_periods(it)
            if j < len(lengths):
                lengths[j] = max(lengths[j], p)
            else:
                lengths.append(p)
    lengths.sort(reverse=True)
    tiers: list[tuple[int, int]] = []
    j = 0
    while j < len(lengths):
        k = j
        while k < len(lengths) and lengths[k] == lengths[j]:
            k += 1
        tiers.append((j, k - j))
        j = k
    tier_of_col = {c: ti for ti, (a, n) in enumerate(tiers) for c in range(a, a + n)}
    out = {sid: [(it, tier_of_col[j]) for j, it in enumerate(items)] for sid, items in per_student.items()}
    return lengths, tiers, out


def _teacher_groups(case: Case, subjects: set[str]) -> list[tuple[frozenset[str], int]]:
    """(set of subjects, number of teachers who teach any of them) for singletons and for the unions that
    multi-subject teachers make binding (Hall's condition for the teachers of one block)."""
    teachers_of = {s: {t.id for t in case.teachers if s in t.subjects and t.max_periods > 0} for s in subjects}
    out = [(frozenset([s]), len(teachers_of[s])) for s in sorted(subjects)]
    overlapping = sorted(s for s in subjects if any(teachers_of[s] & teachers_of[o] for o in subjects if o != s))
    if len(overlapping) <= 8:
        for k in range(2, len(overlapping) + 1):
            for group in combinations(overlapping, k):
                union = set().union(*(teachers_of[s] for s in group))
                if len(union) < sum(len(teachers_of[s]) for s in group):
                    out.append((frozenset(group), len(union)))
    return out


def min_groups(case: Case, tier_items: dict[str, list[Item]], n_cols: int) -> int:
    """Fewest groups so that one block never needs more teachers of a subject, or rooms of a type, than exist."""
    counts: dict[Item, int] = defaultdict(int)
    for items in tier_items.values():
        for it in items:
            counts[it] += 1
    need_subject: dict[str, int] = defaultdict(int)
    need_type: dict[str, int] = defaultdict(int)
    for it, n in counts.items():
        k = ceil_div(n, max(1, effective_cap(case, it[0])))
        need_subject[it[0]] += k
        need_type[case.subject_by_id[it[0]].room_type] += k
    g = 1
    for s, k in need_subject.items():
        nt = sum(1 for t in case.teachers if s in t.subjects and t.max_periods > 0)
        g = max(g, ceil_div(k, n_cols * max(1, nt)))
    for rt, k in need_type.items():
        nr = sum(1 for r in case.rooms if r.type == rt)
        g = max(g, ceil_div(k, n_cols * max(1, nr)))
    return g


def initial_groups(case: Case) -> dict[int, int]:
    """The groups per tier the first formation uses (``min_groups`` of each tier)."""
    _lengths, tiers, student_items = column_structure(case)
    out = {}
    for ti, (_first, n_cols) in enumerate(tiers):
        tier_items = {sid: [it for it, t in items if t == ti] for sid, items in student_items.items()}
        out[ti] = max(1, min(min_groups(case, tier_items, n_cols), len(case.admin_classes)))
    return out


def _teacher_capacity(case: Case, m, block_cells: list[dict[Item, "cp_model.IntVar"]]) -> None:
    """Teachers in the formation model: every class of a block gets a qualified teacher, a teacher takes at most
    one class of a block (they run at once) and at most their periods a week, core classes included. Without
    this the formation can pick class counts that no teacher assignment can staff (e.g. eleven 学考 classes of
    one subject in each of two blocks when one of its eleven teachers can give only 3 periods)."""
    cap = teacher_capacity(case)
    n_admin = len(case.admin_classes)
    load: dict[str, list] = defaultdict(list)
    for s in case.core_subjects:
        ts = [t for t in case.teachers if s.id in t.subjects and cap[t.id] >= s.periods]
        if not ts:
            continue
        ys = []
        for t in ts:
            y = m.new_int_var(0, min(n_admin, cap[t.id] // s.periods), "")
            ys.append(y)
            load[t.id].append(s.periods * y)
        m.add(sum(ys) == n_admin)
    for cells in block_cells:
        per_teacher: dict[str, list] = defaultdict(list)
        for it, var in cells.items():
            per = case.item_periods(it)
            xs = []
            for t in case.teachers:
                if it[0] in t.subjects and cap[t.id] >= per:
                    x = m.new_bool_var("")
                    xs.append(x)
                    per_teacher[t.id].append(x)
                    load[t.id].append(per * x)
            if xs:
                m.add(sum(xs) == var)
            else:
                m.add(var == 0)
        for xs in per_teacher.values():
            if len(xs) > 1:
                m.add_at_most_one(xs)
    for tid, terms in load.items():
        m.add(sum(terms) <= cap[tid])


def _forced_overlap(case: Case, m, tier_cells: list, tier_lengths: list[int], G: int, used: list) -> None:
    """Blocks of two units that must run at the same time. A unit's admin classes sit in its blocks for L slots
    of the F free ones, so two units u and v are both in blocks for at least L_u + L_v − F slots; those of the
    tiers where u and v share a group are their shared blocks, the rest must come from a block of u running with
    a block of v. Such a pair needs, per room type, rooms for the classes of both, and per subject (or group of
    subjects sharing teachers), teachers for both. So the formation keeps enough pairs of blocks compatible
    (e.g. two units with 21 block slots each in a 38-slot week overlap for at least 4: a physics-heavy block of
    one unit cannot be paired with a physics-heavy block of the other when the labs hold only one of them)."""
    free = len(case.calendar.free_slots())
    rooms_of: dict[str, int] = defaultdict(int)
    for r in case.rooms:
        rooms_of[r.type] += 1
    for u in range(G):
        for v in range(u + 1, G):
            own_u, own_v, shared = [], [], 0
            for (Gt, n_cols, cells), L in zip(tier_cells, tier_lengths):
                if u % Gt == v % Gt:
                    shared += n_cols * L
                else:
                    own_u += [(L, cells[u % Gt, j]) for j in range(n_cols)]
                    own_v += [(L, cells[v % Gt, j]) for j in range(n_cols)]
            need = sum(L for L, _ in own_u) + sum(L for L, _ in own_v) + shared - free
            if need <= 0 or not own_u or not own_v:
                continue
            overlap = []
            by_a: dict[int, list] = defaultdict(list)
            by_b: dict[int, list] = defaultdict(list)
            for ia, (La, ca) in enumerate(own_u):
                for ib, (Lb, cb) in enumerate(own_v):
                    ok = m.new_bool_var("")
                    items = set(ca) | set(cb)
                    for rt in {case.subject_by_id[it[0]].room_type for it in items}:
                        terms = [c[it] for c in (ca, cb) for it in c if case.subject_by_id[it[0]].room_type == rt]
                        m.add(sum(terms) <= rooms_of[rt]).only_enforce_if(ok)
                    for group, k in _teacher_groups(case, {it[0] for it in items}):
                        terms = [c[it] for c in (ca, cb) for it in c if it[0] in group]
                        m.add(sum(terms) <= k).only_enforce_if(ok)
                    o = m.new_int_var(0, min(La, Lb), "")
                    m.add(o <= min(La, Lb) * ok)
                    overlap.append(o)
                    by_a[ia].append(o)
                    by_b[ib].append(o)
            for ia, os_ in by_a.items():
                m.add(sum(os_) <= own_u[ia][0])
            for ib, os_ in by_b.items():
                m.add(sum(os_) <= own_v[ib][0])
            m.add(sum(overlap) >= need * (used[u] + used[v] - 1))


def _room_time(case: Case, m, block_cells: list[dict[Item, "cp_model.IntVar"]]) -> None:
    """Room-slots per room type: the lessons of the classes formed (and of core subjects taught in such rooms)
    fit the rooms × free slots of the week, e.g. physics classes × 5 periods within 9 labs × 38 slots. (Each
    block already has no more classes of a type than rooms of it.)"""
    free = len(case.calendar.free_slots())
    rooms_of: dict[str, int] = defaultdict(int)
    for r in case.rooms:
        rooms_of[r.type] += 1
    core: dict[str, int] = defaultdict(int)
    for s in case.core_subjects:
        for a in case.admin_classes:
            core[case.room_by_id[a.home_room].type if s.room_type == HOME else s.room_type] += s.periods
    terms: dict[str, list] = defaultdict(list)
    for cells in block_cells:
        for it, var in cells.items():
            terms[case.subject_by_id[it[0]].room_type].append(case.item_periods(it) * var)
    for rt, ts in terms.items():
        if rt in rooms_of:
            m.add(sum(ts) <= rooms_of[rt] * free - core.get(rt, 0))


def _hint_all(m, solver) -> None:
    """Every variable of ``m`` hinted with its value in the solver's last solution."""
    for i in range(len(m.proto.variables)):
        m.add_hint(m.get_int_var_from_proto_index(i), solver.value(m.get_int_var_from_proto_index(i)))


def _solve_units(case: Case, admin_order: list[str], students_by_admin: dict[str, list[str]],
                 tiers: list[tuple[dict[str, list[Item]], int]], G: int, tier_groups: list[int], *, time_limit: float,
                 seed: int, stop: threading.Event | None, wall_limit: float | None = None,
                 limits: dict[str, int] | None = None, tier_lengths: list[int] | None = None
                 ) -> tuple[dict[str, int], list[dict[str, dict[Item, int]]], bool] | None:
    """One CP-SAT model over all tiers with one grouping of the admin classes into G *units*, so that a unit's
    blocks of different subjects can run while another unit is in its own blocks. A tier may use fewer groups
    (``tier_groups``): unit u then belongs to group u mod G_t, so every tier's grouping is a coarsening of the
    units and blocks of different tiers still line up.

    Returns (unit of each admin class, per tier the column of each student's items, optimal)."""
    started = time.monotonic()
    m = cp_model.CpModel()
    w = {}
    symmetric = all(gt in (1, G) for gt in tier_groups)
    for ai, a in enumerate(admin_order):
        for g in range(G):
            w[a, g] = m.new_bool_var(f"w{ai}_{g}") if (g <= ai or not symmetric) else None
        m.add_exactly_one([w[a, g] for g in range(G) if w[a, g] is not None])
    rooms_of: dict[str, int] = defaultdict(int)
    for r in case.rooms:
        rooms_of[r.type] += 1
    all_m = []
    balance_rows = []
    realise = []
    block_cells: list[dict[Item, cp_model.IntVar]] = []
    tier_cells: list[tuple[int, int, dict[tuple[int, int], dict[Item, cp_model.IntVar]]]] = []
    lb_total = 0
    for (tier_items, n_cols), Gt in zip(tiers, tier_groups):
        member = {(a, g): sum(w[a, u] for u in range(g, G, Gt) if w[a, u] is not None) for a in admin_order for g in range(Gt)}
        combos: dict[tuple[Item, ...], int] = {}
        cnt: dict[str, dict[int, int]] = {a: defaultdict(int) for a in admin_order}
        for a in admin_order:
            for sid in students_by_admin[a]:
                tau = tuple(tier_items[sid])
                if tau:
                    cnt[a][combos.setdefault(tau, len(combos))] += 1
        taus = list(combos)
        n_perm = sum(len(list(permutations(range(n_cols), len(t)))) if n_cols <= 7 else 10**9 for t in taus)
        maps = [list(permutations(range(n_cols), len(t))) if n_perm <= MAX_MAPPINGS
                else [tuple((i + r) % n_cols for i in range(len(t))) for r in range(n_cols)] for t in taus]
        items = sorted({it for tau in taus for it in tau}, key=lambda i: _item_key(case, i))
        N = {it: 0 for it in items}
        for a in admin_order:
            for ti, c in cnt[a].items():
                for it in taus[ti]:
                    N[it] += c
        cap = {it: max(1, effective_cap(case, it[0])) for it in items}
        LB = {it: ceil_div(N[it], cap[it]) for it in items}
        tot_tau = [sum(cnt[a][ti] for a in admin_order) for ti in range(len(taus))]
        z = {}
        for g in range(Gt):
            for ti in range(len(taus)):
                vs = []
                for pi in range(len(maps[ti])):
                    z[g, ti, pi] = m.new_int_var(0, tot_tau[ti], "z")
                    vs.append(z[g, ti, pi])
                m.add(sum(vs) == sum(cnt[a][ti] * member[a, g] for a in admin_order if cnt[a][ti]))
        mm = {}
        for g in range(Gt):
            for j in range(n_cols):
                for it in items:
                    terms = [z[g, ti, pi] for ti, tau in enumerate(taus) if it in tau
                             for pi, mp in enumerate(maps[ti]) if mp[tau.index(it)] == j]
                    var = m.new_int_var(0, LB[it] + 1, "m")
                    mm[g, j, it] = var
                    if terms:
                        n = sum(terms)
                        m.add(cap[it] * var >= n)
                        m.add(var <= n)
                        balance_rows.append((n, var, N[it], LB[it]))
                    else:
                        m.add(var == 0)
        # Parallel limits: one block never needs more teachers of a subject group, or rooms of a type, than exist.
        tgroups = _teacher_groups(case, {it[0] for it in items})
        for g in range(Gt):
            for j in range(n_cols):
                for group, k in tgroups:
                    m.add(sum(mm[g, j, it] for it in items if it[0] in group) <= k)
                if Gt > 1:
                    for subject, most in (limits or {}).items():
                        m.add(sum(mm[g, j, it] for it in items if it[0] == subject) <= most)
                for rt in {case.subject_by_id[it[0]].room_type for it in items}:
                    m.add(sum(mm[g, j, it] for it in items if case.subject_by_id[it[0]].room_type == rt) <= rooms_of[rt])
        for it in items:  # every student of an item is in one of its classes: a valid cut that tightens the bound
            m.add(sum(mm[g, j, it] for g in range(Gt) for j in range(n_cols)) >= LB[it])
            lb_total += LB[it]
        all_m += list(mm.values())
        realise.append((tier_items, taus, maps, z, Gt))
        tier_cells.append((Gt, n_cols, {(g, j): {it: mm[g, j, it] for it in items} for g in range(Gt) for j in range(n_cols)}))
        for g in range(Gt):
            for j in range(n_cols):
                block_cells.append({it: mm[g, j, it] for it in items})
    _teacher_capacity(case, m, block_cells)
    _room_time(case, m, block_cells)
    if G > 1 and tier_lengths:
        units_used = []
        for u in range(G):
            ne = m.new_bool_var("")
            m.add_max_equality(ne, [w[a, u] for a in admin_order if w[a, u] is not None] or [0])
            units_used.append(ne)
        _forced_overlap(case, m, tier_cells, tier_lengths, G, units_used)
    total = sum(all_m)
    m.minimize(total)
    first_wall = None if wall_limit is None else max(0.1, wall_limit - (time.monotonic() - started))
    # Within 1 % of the bound is good enough (the goal is LB + 3 %); the time saved goes to placement.
    status, solver = run(m, time_limit=time_limit * 0.7, seed=seed, stop=stop, wall_limit=first_wall, gap=max(1, lb_total // 100))
    if status == cp_model.INFEASIBLE:
        raise FormationImpossible(f"no formation with groups {tier_groups}")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    best = int(solver.objective_value)
    optimal = status == cp_model.OPTIMAL
    target = lb_total + (lb_total * 25) // 1000
    if not optimal and best > target:
        # Over LB + 2.5 % (the goal is 3 %, and a failed placement may add classes): search on from this
        # formation for one with fewer classes while the wall budget lasts.
        _hint_all(m, solver)
        rest = None if wall_limit is None else max(0.1, wall_limit - (time.monotonic() - started))
        status_t, solver_t = run(m, time_limit=time_limit * 1.5, seed=seed, stop=stop, wall_limit=rest, gap=max(1, lb_total // 100))
        if status_t in (cp_model.OPTIMAL, cp_model.FEASIBLE) and int(solver_t.objective_value) < best:
            status, solver, best = status_t, solver_t, int(solver_t.objective_value)
            optimal = status == cp_model.OPTIMAL
        m.clear_hints()
    # Second pass: same number of classes, sizes as even as possible (each cell near the subject's mean size).
    _hint_all(m, solver)
    m.add(total <= best)
    devs = []
    for n, var, Nt, lb in balance_rows:
        d = m.new_int_var(0, Nt * (lb + 2), "d")
        m.add(d >= n * lb - var * Nt)
        m.add(d >= var * Nt - n * lb)
        devs.append(d)
    m.minimize(sum(devs))
    rest = None if wall_limit is None else max(0.1, wall_limit - (time.monotonic() - started))
    status2, solver2 = run(m, time_limit=time_limit * 0.3, seed=seed, stop=stop, wall_limit=rest)
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        solver = solver2
    group = {a: next(g for g in range(G) if w[a, g] is not None and solver.value(w[a, g])) for a in admin_order}
    per_tier: list[dict[str, dict[Item, int]]] = []
    for tier_items, taus, maps, z, Gt in realise:
        columns: dict[str, dict[Item, int]] = {}
        for g in range(Gt):
            members = [a for a in admin_order if group[a] % Gt == g]
            for ti, tau in enumerate(taus):
                studs = [sid for a in members for sid in students_by_admin[a] if tuple(tier_items[sid]) == tau]
                pos = 0
                for pi, mp in enumerate(maps[ti]):
                    k = solver.value(z[g, ti, pi])
                    for sid in studs[pos:pos + k]:
                        columns[sid] = {it: mp[q] for q, it in enumerate(tau)}
                    pos += k
                assert pos == len(studs)
        per_tier.append(columns)
    return group, per_tier, optimal


def form_classes(case: Case, *, groups: dict[int, int] | None = None, time_limit: float = 20.0, seed: int = 0,
                 stop: threading.Event | None = None, wall_limit: float | None = None,
                 limits: dict[str, int] | None = None) -> Formation | None:
    """Form teaching classes and blocks. ``groups`` overrides the number of groups per tier; ``limits`` caps the
    classes of a subject in one block of a tier with more than one group (learnt from a formation whose crowded
    block could not be staffed). None if the model found nothing in time; :class:`FormationImpossible` if it
    proved that these groups admit no formation."""
    lengths, tiers, student_items = column_structure(case)
    admin_order = [a.id for a in case.admin_classes]
    students_by_admin: dict[str, list[str]] = {a: [] for a in admin_order}
    for st in case.students:
        students_by_admin[st.admin_class].append(st.id)
    admin_of = {st.id: st.admin_class for st in case.students}
    blocks: list[FormedBlock] = []
    classes: list[FormedClass] = []
    counters: dict[Item, int] = defaultdict(int)
    tier_data = []
    tier_groups = []
    for ti, (first, n_cols) in enumerate(tiers):
        tier_items = {sid: [it for it, t in items if t == ti] for sid, items in student_items.items()}
        tier_data.append((tier_items, n_cols))
        g = (groups or {}).get(ti) or min_groups(case, tier_items, n_cols)
        tier_groups.append(max(1, min(g, len(admin_order))))
    G = max(tier_groups, default=1)
    solved = _solve_units(case, admin_order, students_by_admin, tier_data, G, tier_groups, time_limit=time_limit, seed=seed,
                          stop=stop, wall_limit=wall_limit, limits=limits, tier_lengths=[lengths[first] for first, _n in tiers])
    if solved is None:
        return None
    group, per_tier, all_optimal = solved
    used_groups = dict(enumerate(tier_groups))
    for ti, (first, n_cols) in enumerate(tiers):
        columns = per_tier[ti]
        L = lengths[first]
        Gt = tier_groups[ti]
        for g in range(Gt):
            for j in range(n_cols):
                blk = FormedBlock(len(blocks), ti, g, first + j, L)
                cells: dict[Item, list[str]] = defaultdict(list)
                for a in admin_order:
                    if group[a] % Gt != g:
                        continue
                    for sid in students_by_admin[a]:
                        for it, col in columns.get(sid, {}).items():
                            if col == j:
                                cells[it].append(sid)
                if not cells:
                    continue
                for it in sorted(cells, key=lambda i: _item_key(case, i)):
                    studs = cells[it]
                    k = ceil_div(len(studs), max(1, effective_cap(case, it[0])))
                    base, extra = divmod(len(studs), k)
                    pos = 0
                    for q in range(k):
                        size = base + (1 if q < extra else 0)
                        counters[it] += 1
                        cid = f"{it[0]}-{'X' if it[1] == XUANKE else 'K'}{counters[it]:02d}"
                        fc = FormedClass(cid, it[0], it[1], studs[pos:pos + size], case.item_periods(it), blk.index)
                        pos += size
                        blk.classes.append(fc)
                        classes.append(fc)
                blk.admin_classes = sorted({admin_of[s] for c in blk.classes for s in c.students}, key=admin_order.index)
                blocks.append(blk)
    return Formation(blocks, classes, lengths, used_groups, all_optimal, dict(group))
