"""Solve a FET file with CP-SAT: one boolean per activity start slot, optional room intervals, every hard
constraint (weight 100 %) as a constraint, every soft one as a weighted penalty in the objective.

Teachers and subgroups never overlap (at most one occupied activity per slot); activities never cross a day
end, a break or a hard not-available slot; rooms are no-overlap interval sets. Rules on a teacher's or a
subgroup's day (hours, gaps, days, continuity, early start) are built on busy booleans per slot.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from .model import FetFile, Placement
from .parse import RESOURCE_RULES
from .rules import Rules, build_rules

__all__ = ["solve_fet", "FetInfeasible", "FetNoSolution"]


class FetInfeasible(Exception):
    """The hard constraints admit no timetable; ``reasons`` says why where it is known."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))


class FetNoSolution(Exception):
    """No timetable was found within the time limit (none proven impossible either)."""


#: "weight" given to a hard rule on a teacher's or subgroup's day while searching elastically: its excess is
#: penalised far above every soft constraint, and a timetable counts only when the total excess is zero
ELASTIC = 1.0e6
_BIG = 10 ** 9


def _w(weight: float) -> int:
    """Penalty of one broken unit of a constraint of this weight.

    FET honours a constraint of weight w with probability w/100 at each placement, so a timetable that breaks
    constraints of weights w1, w2, ... is accepted by FET (e.g. ``fet-cl`` with everything locked) with
    probability prod(1 - wi/100). The penalty is -ln(1 - w/100), scaled: minimising the sum maximises that
    probability, and a 99 % constraint costs far more than two at 50 %.
    """
    if weight >= ELASTIC:
        return _BIG
    if weight >= 100.0:
        weight = 99.999
    return max(1, round(1000 * -math.log(1.0 - weight / 100.0)))


class _Model:
    def __init__(self, R: Rules):
        self.R = R
        self.m = cp_model.CpModel()
        self.pen: list[tuple[int, object]] = []
        self.x: dict[int, dict[int, object]] = {}
        self.busy: dict[tuple[str, str], dict[int, object]] = {}
        self.works: dict[tuple[tuple[str, str], int], object] = {}
        self.elastic = False
        #: resources whose days are prefixes (modelled by prefix_days): their no-gaps and early rules follow
        self.prefixed: set = set()
        self.daily_cap: dict[tuple[str, str], int] = {}
        self._busy_expr: dict[tuple[str, str], dict[int, list]] = defaultdict(lambda: defaultdict(list))

    # -- basic -------------------------------------------------------------------------------------------
    def starts(self) -> None:
        m, R = self.m, self.R
        empty = [a for a, s in R.starts.items() if not s]
        if empty:
            raise FetInfeasible([f"活动 {a} 没有可用的开始时间 (no allowed start: breaks, not-available times and "
                                 f"preferred times leave none)" for a in sorted(empty)[:20]])
        for a, ss in R.starts.items():
            self.x[a] = {t: m.NewBoolVar(f"x{a}_{t}") for t in ss}
            m.AddExactlyOne(self.x[a].values())
            for t, v in self.x[a].items():
                for u in R.occupied(a, t):
                    for k in R.res_of(a):
                        self._busy_expr[k][u].append(v)
            for ok, w in R.soft_starts[a]:
                bad = [v for t, v in self.x[a].items() if t not in ok]
                if bad:
                    b = m.NewBoolVar("")
                    m.Add(sum(bad) == b)
                    self.pen.append((_w(w), b))
        load: dict[tuple[str, str], int] = defaultdict(int)
        for a, act in R.acts.items():
            for k in R.res_of(a):
                load[k] += act.duration
        self.load = load
        for k, per in self._busy_expr.items():
            free = [u for u in range(R.F.n_slots) if u not in R.unavailable[k]]
            if load[k] == len(free):
                # a full week (common in schools): every free slot is taken exactly once -- an exact cover,
                # which propagates far better than "at most one"
                for u in free:
                    m.AddExactlyOne(per.get(u, []))
                continue
            for u, vs in per.items():
                if len(vs) > 1:
                    m.AddAtMostOne(vs)

    def occ(self, a: int, u: int) -> list:
        dur = self.R.acts[a].duration
        return [v for t, v in self.x[a].items() if t <= u < t + dur]

    def day_lits(self, a: int, d: int) -> list:
        H = self.R.H
        return [v for t, v in self.x[a].items() if t // H == d]

    def b(self, k: tuple[str, str], u: int):
        """Busy boolean of resource k at slot u (0 constant when nothing can be there)."""
        per = self.busy.setdefault(k, {})
        if u not in per:
            vs = self._busy_expr.get(k, {}).get(u, [])
            if not vs:
                per[u] = 0
            elif len(vs) == 1:
                per[u] = vs[0]
            else:
                v = self.m.NewBoolVar("")
                self.m.Add(sum(vs) == v)
                per[u] = v
        return per[u]

    def work(self, k, d: int):
        key = (k, d)
        if key not in self.works:
            H = self.R.H
            bs = [self.b(k, d * H + h) for h in range(H)]
            bs = [v for v in bs if not isinstance(v, int)]
            if not bs:
                self.works[key] = 0
            else:
                v = self.m.NewBoolVar("")
                for x in bs:
                    self.m.AddImplication(x, v)
                self.m.AddBoolOr(bs).OnlyEnforceIf(v)
                # hours of the day <= the day's cap * worked: lets the LP see max-days and daily limits together
                cap = min(len(bs), self.daily_cap.get(k, len(bs)))
                self.m.Add(sum(bs) <= cap * v)
                self.works[key] = v
        return self.works[key]

    def limit(self, expr, bound: int, weight: float, le: bool = True, hi: int = 64) -> None:
        """expr <= bound (le) or expr >= bound, hard or with a weighted excess."""
        if weight == 100.0:
            self.m.Add(expr <= bound if le else expr >= bound)
        else:
            e = self.m.NewIntVar(0, hi, "")
            self.m.Add(expr <= bound + e if le else expr + e >= bound)
            self.pen.append((_w(weight), e))

    # -- rooms -------------------------------------------------------------------------------------------
    def rooms(self) -> dict[int, dict[str, object]]:
        m, R = self.m, self.R
        y: dict[int, dict[str, object]] = {}
        per_room: dict[str, list] = defaultdict(list)
        H = R.H
        for a, ch in R.rooms.items():
            if ch.required and not ch.candidates:
                raise FetInfeasible([f"活动 {a} 没有可用教室 (no room satisfies its room constraints and capacity "
                                     f"{R.acts[a].n_students})"])
            if not ch.candidates:
                continue
            dur = R.acts[a].duration
            start = m.NewIntVar(0, len(R.F.days) * H, f"s{a}")
            m.Add(start == sum(t * v for t, v in self.x[a].items()))
            y[a] = {}
            for r in sorted(ch.candidates):
                p = m.NewBoolVar(f"y{a}_{r}")
                y[a][r] = p
                per_room[r].append(m.NewOptionalFixedSizeIntervalVar(start, dur, p, ""))
                for slots, w in R.room_na.get(r, []):
                    bad = [v for t, v in self.x[a].items() if any(u in slots for u in range(t, t + dur))]
                    for v in bad:
                        if w >= 100.0:
                            m.AddBoolOr([v.Not(), p.Not()])
                        else:
                            e = m.NewBoolVar("")
                            m.Add(v + p <= 1 + e)
                            self.pen.append((_w(w), e))
            if ch.required:
                m.AddExactlyOne(y[a].values())
            else:
                m.AddAtMostOne(y[a].values())
            for s, w in ch.soft:
                ok = [p for r, p in y[a].items() if r in s]
                miss = m.NewBoolVar("")
                m.Add(sum(ok) + miss >= 1)
                self.pen.append((_w(w), miss))
        for r, ivs in per_room.items():
            if len(ivs) > 1:
                m.AddNoOverlap(ivs)
        return y

    # -- activity relations -------------------------------------------------------------------------------
    def relation(self, c) -> None:
        m, R, H = self.m, self.R, self.R.H
        D = len(R.F.days)
        acts = c.p.get("acts", [])
        hard = c.hard
        if c.kind == "ConstraintMinDaysBetweenActivities":
            md = c.p["min_days"]
            for i in range(len(acts)):
                for j in range(i + 1, len(acts)):
                    a, b = acts[i], acts[j]
                    v = None if hard else m.NewBoolVar("")
                    for d in range(D):
                        near = [x for d2 in range(max(0, d - md + 1), min(D, d + md)) for x in self.day_lits(b, d2)]
                        lits = self.day_lits(a, d)
                        if not lits or not near:
                            continue
                        if hard:
                            m.Add(sum(lits) + sum(near) <= 1)
                        else:
                            m.Add(sum(lits) + sum(near) <= 1 + v)
                    if v is not None:
                        self.pen.append((_w(c.weight), v))
                    if c.p["consecutive"] and not hard:
                        self._consecutive_if_same_day(a, b)
        elif c.kind == "ConstraintActivitiesNotOverlapping":
            slots = set()
            for a in acts:
                for t in self.x[a]:
                    slots.update(R.occupied(a, t))
            for u in slots:
                vs = [v for a in acts for v in self.occ(a, u)]
                if len(vs) > 1:
                    self.limit(sum(vs), 1, c.weight, hi=len(vs))
        elif c.kind in ("ConstraintActivitiesSameStartingDay", "ConstraintActivitiesSameStartingTime",
                        "ConstraintActivitiesSameStartingHour"):
            a0 = acts[0]
            for b in acts[1:]:
                v = None if hard else m.NewBoolVar("")
                if c.kind.endswith("Time"):
                    keys = set(self.x[a0]) | set(self.x[b])
                    groups = [([self.x[a0][t]] if t in self.x[a0] else [], [self.x[b][t]] if t in self.x[b] else []) for t in keys]
                elif c.kind.endswith("Day"):
                    groups = [(self.day_lits(a0, d), self.day_lits(b, d)) for d in range(D)]
                else:
                    groups = [([v2 for t, v2 in self.x[a0].items() if t % H == h], [v2 for t, v2 in self.x[b].items() if t % H == h]) for h in range(H)]
                for g0, g1 in groups:
                    if hard:
                        m.Add(sum(g0) == sum(g1))
                    else:
                        m.Add(sum(g0) - sum(g1) <= v)
                        m.Add(sum(g1) - sum(g0) <= v)
                if v is not None:
                    self.pen.append((_w(c.weight), v))
        elif c.kind == "ConstraintTwoActivitiesConsecutive":
            a, b = acts
            dur = R.acts[a].duration
            v = None if hard else m.NewBoolVar("")
            for t, xa in self.x[a].items():
                nxt = t + dur  # FET: the second starts right after the first, only breaks between them
                while nxt % H and nxt in R.breaks:
                    nxt += 1
                ok = self.x[b].get(nxt) if (t % H) + dur < H and nxt % H else None
                if hard:
                    m.Add(xa <= (ok if ok is not None else 0))
                else:
                    m.Add(xa - (ok if ok is not None else 0) <= v)
            if v is not None:
                self.pen.append((_w(c.weight), v))
        elif c.kind in ("ConstraintActivitiesEndStudentsDay", "ConstraintActivityEndsStudentsDay"):
            targets = acts if acts else list(c.p["targets"])
            for a in targets:
                v = None if hard else m.NewBoolVar("")
                dur = R.acts[a].duration
                for s in sorted(R.subgroups[a]):
                    after = self._after(("s", s))
                    for t, xa in self.x[a].items():
                        d, h = divmod(t, H)
                        if h + dur < H:
                            later = after[d][h + dur]
                            if isinstance(later, int):
                                continue
                            if hard:
                                m.Add(xa + later <= 1)
                            else:
                                m.Add(xa + later <= 1 + v)
                if v is not None:
                    self.pen.append((_w(c.weight), v))

    def _after(self, k):
        """after[d][h]: resource k is busy at some hour >= h of day d (lower-bounded booleans)."""
        cache = getattr(self, "_after_cache", None)
        if cache is None:
            cache = self._after_cache = {}
        if k in cache:
            return cache[k]
        H, D = self.R.H, len(self.R.F.days)
        out = []
        for d in range(D):
            row = [0] * (H + 1)
            for h in range(H - 1, -1, -1):
                bv = self.b(k, d * H + h)
                if isinstance(bv, int) and isinstance(row[h + 1], int):
                    row[h] = 0
                    continue
                v = self.m.NewBoolVar("")
                if not isinstance(bv, int):
                    self.m.AddImplication(bv, v)
                if not isinstance(row[h + 1], int):
                    self.m.AddImplication(row[h + 1], v)
                row[h] = v
            out.append(row)
        cache[k] = out
        return out

    def _consecutive_if_same_day(self, a: int, b: int) -> None:
        """FET: when a min-days rule is broken and Consecutive_If_Same_Day is set, the two activities must be
        adjacent on that day -- always, whatever the rule's weight (fet-cl refuses a locked timetable otherwise)."""
        m, H, R = self.m, self.R.H, self.R
        da, db = R.acts[a].duration, R.acts[b].duration
        for t, xa in self.x[a].items():
            d = t // H
            same = self.day_lits(b, d)
            if not same:
                continue
            adj = [self.x[b][u] for u in (t + da, t - db) if u in self.x[b] and u // H == d]
            m.Add(xa + sum(same) - sum(adj) <= 1)

    # -- teacher / subgroup day rules --------------------------------------------------------------------
    def resource_rule(self, c) -> None:
        R, H, m = self.R, self.R.H, self.m
        D = len(R.F.days)
        rule, val, w = c.p["rule"], c.p["value"], c.weight
        if c.hard and self.elastic and not (rule in ("max_gaps_per_week", "max_gaps_per_day") and val == 0):
            w = ELASTIC
        for k in R.resources(c.p["who"], c.p.get("name")):
            if k not in self._busy_expr:
                continue
            if k in self.prefixed and c.hard and val == 0 and rule in ("max_gaps_per_week", "max_gaps_per_day",
                                                                       "early"):
                continue  # implied by the prefix days
            if rule == "max_hours_daily":
                for d in range(D):
                    bs = [self.b(k, d * H + h) for h in range(H)]
                    if sum(1 for x in bs if not isinstance(x, int)) > val:
                        self.limit(sum(bs), val, w, hi=H)
            elif rule == "min_hours_daily":
                for d in range(D):
                    bs = [self.b(k, d * H + h) for h in range(H)]
                    need = val * self.work(k, d) if c.p["allow_empty"] else val
                    if w == 100.0:
                        m.Add(sum(bs) >= need)
                    else:
                        e = m.NewIntVar(0, H, "")
                        m.Add(sum(bs) + e >= need)
                        self.pen.append((_w(w), e))
            elif rule == "max_days_per_week":
                self.limit(sum(self.work(k, d) for d in range(D)), val, w, hi=D)
            elif rule in ("max_gaps_per_week", "max_gaps_per_day") and val == 0 and w >= 100.0:
                for d in range(D):
                    self._contiguous(k, d)
            elif rule in ("max_gaps_per_week", "max_gaps_per_day"):
                if rule == "max_gaps_per_day":
                    for d in range(D):
                        self._gaps(k, d, val, w)
                else:
                    gs = [g for g in (self._gaps(k, d, None, w) for d in range(D)) if g is not None]
                    if gs:
                        self.limit(sum(gs), val, w, hi=D * H)
            elif rule == "max_hours_continuously":
                for d in range(D):
                    for h in range(H - val):
                        bs = [self.b(k, d * H + hh) for hh in range(h, h + val + 1)]
                        if all(not isinstance(x, int) for x in bs):
                            self.limit(sum(bs), val, w, hi=val + 1)
            elif rule == "early":
                late = []
                for d in range(D):
                    free = [d * H + h for h in range(H) if d * H + h not in R.unavailable[k]]
                    if len(free) < 2:
                        continue
                    wk = self.work(k, d)
                    if isinstance(wk, int):
                        continue
                    b0, b1 = self.b(k, free[0]), self.b(k, free[1])
                    self.limit(b0 + b1 - wk, 0, w, le=False, hi=1)
                    late.append(wk - b0)
                if late:
                    self.limit(sum(late), val, w, hi=D)
            else:  # pragma: no cover
                raise AssertionError(rule)

    def prefix_days(self, k) -> None:
        """Busy hours of each day form a prefix of the usable (not break, not unavailable) hours.

        The prefix is stated through the day's length: one boolean per possible length L (exactly one of them
        true), busy(i) = [L > i], the durations of k's activities on the day sum to L, and the lengths of the
        week sum to k's hours. The solver can then branch on a day's length and the LP sees how the week's
        hours are shared between the days.
        """
        H, R, m = self.R.H, self.R, self.m
        mine = [a for a in self.x if k in R.res_of(a)]
        week = []
        for d in range(len(R.F.days)):
            slots = [d * H + h for h in range(H) if d * H + h not in R.unavailable[k]]
            bs = [self.b(k, u) for u in slots]
            n = len(bs)
            while n and isinstance(bs[n - 1], int):
                n -= 1
            z = [m.NewBoolVar(f"len{k[1]}_{d}_{i}") for i in range(n + 1)]
            m.AddExactlyOne(z)
            for i in range(len(bs)):
                m.Add(bs[i] == sum(z[i + 1:]))
            length = sum(i * v for i, v in enumerate(z))
            m.Add(sum(R.acts[a].duration * v for a in mine for v in self.day_lits(a, d)) == length)
            week.append(length)
        m.Add(sum(week) == self.load[k])

    def _contiguous(self, k, d: int) -> None:
        """No gap at all on day d: busy at i and k implies busy at every usable j between them."""
        H, R = self.R.H, self.R
        slots = [d * H + h for h in range(H) if d * H + h not in R.unavailable[k]]
        bs = [self.b(k, u) for u in slots]
        n = len(bs)
        for i in range(n):
            if isinstance(bs[i], int):
                continue
            for j in range(i + 1, n):
                for kk in range(j + 1, n):
                    if isinstance(bs[kk], int):
                        continue
                    self.m.Add(bs[i] + bs[kk] - bs[j] <= 1)

    def _gaps(self, k, d: int, bound: int | None, weight: float):
        """Gaps of resource k on day d (free slots, not breaks or unavailable, between two busy ones).

        For usable slots i < j: gaps >= (slots between) * (b_i + b_j - 1) - (busy between), which is exact at
        the first and last busy slot. With ``bound`` the day's gaps are limited directly; without, an integer
        variable holding (at least) the day's gaps is returned.
        """
        H, m, R = self.R.H, self.m, self.R
        slots = [d * H + h for h in range(H) if d * H + h not in R.unavailable[k]]
        bs = [self.b(k, u) for u in slots]
        live = [i for i, x in enumerate(bs) if not isinstance(x, int)]
        if len(live) < 2:
            return None
        g = None
        if bound is None:
            g = m.NewIntVar(0, len(slots), "")
        elif weight != 100.0:
            e = m.NewIntVar(0, len(slots), "")
            self.pen.append((_w(weight), e))
            g = None
        for x, i in enumerate(live):
            for j in live[x + 1:]:
                between = j - i - 1
                if between <= (bound or 0) and bound is not None:
                    continue
                if between == 0:
                    continue
                expr = between * (bs[i] + bs[j] - 1) - sum(bs[i + 1:j])
                if bound is None:
                    m.Add(g >= expr)
                elif weight == 100.0:
                    m.Add(expr <= bound)
                else:
                    m.Add(expr <= bound + e)
        return g


def _prefix_days(F: FetFile, R: Rules) -> tuple[set, dict]:
    """Subgroups and teachers with no gaps and no late start (both hard, 0): each day's busy hours are a
    prefix of its usable hours. With a hard daily maximum M the usable hours after the M-th can never be
    busy (those starts are removed from ``R.starts``); with a hard daily minimum m (no empty day allowed) the
    first m usable hours are always busy (returned, per resource, as slots that must be occupied)."""
    nogap, early0 = set(), set()
    mx: dict = {}
    mn: dict = {}
    for c in F.constraints:
        if c.kind not in RESOURCE_RULES or not c.hard:
            continue
        rule, val = c.p["rule"], c.p["value"]
        ks = R.resources(c.p["who"], c.p.get("name"))
        if rule in ("max_gaps_per_week", "max_gaps_per_day") and val == 0:
            nogap.update(ks)
        elif rule == "early" and val == 0:
            early0.update(ks)
        elif rule == "max_hours_daily":
            for k in ks:
                mx[k] = min(mx.get(k, R.H), val)
        elif rule == "min_hours_daily" and not c.p["allow_empty"]:
            for k in ks:
                mn[k] = max(mn.get(k, 0), val)
    prefix = nogap & early0
    H = R.H
    banned: dict = {}
    must: dict = {}
    for k in prefix:
        for d in range(len(F.days)):
            usable = [d * H + h for h in range(H) if d * H + h not in R.unavailable[k]]
            if k in mx:
                banned.setdefault(k, set()).update(usable[mx[k]:])
            if k in mn:
                must.setdefault(k, []).extend(usable[:mn[k]])
    if banned:
        for a in R.starts:
            bad = set().union(*(banned.get(k, set()) for k in R.res_of(a)))
            if bad:
                dur = R.acts[a].duration
                R.starts[a] = [t for t in R.starts[a] if not any(u in bad for u in range(t, t + dur))]
    return prefix, must


_SYMMETRIC = ("ConstraintMinDaysBetweenActivities", "ConstraintActivitiesNotOverlapping",
              "ConstraintActivitiesSameStartingDay", "ConstraintActivitiesSameStartingTime",
              "ConstraintActivitiesSameStartingHour")


def _interchangeable(F: FetFile) -> list[list[int]]:
    """Groups of activities that no constraint tells apart: same teachers, students, subject, tags, duration
    and size, and named by exactly the same constraints, each of which treats its activities alike (min days,
    not overlapping, same starting day/time/hour). Any timetable stays valid when they trade places, so the
    solver may keep them in id order (a symmetry that otherwise multiplies the search)."""
    marks: dict[int, list] = defaultdict(list)
    for i, c in enumerate(F.constraints):
        acts = c.p.get("acts") or ()
        if acts:
            sym = c.kind in _SYMMETRIC
            for pos, a in enumerate(acts):
                marks[a].append((i,) if sym else (i, pos, a))
        for a in c.p.get("targets") or ():
            marks[a].append((i,))
        if "act" in c.p:
            marks[c.p["act"]].append((i,))
    groups: dict = defaultdict(list)
    for a in F.activities:
        key = (a.teachers, a.students, a.subject, tuple(sorted(a.tags)), a.duration, a.n_students,
               tuple(sorted(marks.get(a.id, []))))
        groups[key].append(a.id)
    return [sorted(g) for g in groups.values() if len(g) > 1]


def _build(F: FetFile, elastic: bool, symmetry: bool = True) -> tuple[_Model, dict]:
    """The CP-SAT model of F: every hard constraint, every soft one as a penalty (see :func:`solve_fet`)."""
    R = build_rules(F)
    prefix, must = _prefix_days(F, R)
    M = _Model(R)
    M.elastic = elastic
    M.starts()
    y = M.rooms()
    for c in F.constraints:
        if c.kind in RESOURCE_RULES and c.hard and c.p["rule"] == "max_hours_daily":
            for k in R.resources(c.p["who"], c.p.get("name")):
                M.daily_cap[k] = min(M.daily_cap.get(k, R.H), c.p["value"])
    for k in sorted(prefix):
        if k in M._busy_expr:
            M.prefix_days(k)
            M.prefixed.add(k)
    for k, slots in must.items():
        for u in slots:
            M.m.AddBoolOr(M._busy_expr.get(k, {}).get(u, []))
    for c in F.constraints:
        if c.kind in RESOURCE_RULES:
            M.resource_rule(c)
        elif "acts" in c.p and len(c.p["acts"]) >= 2 or c.kind in ("ConstraintActivitiesEndStudentsDay",
                                                                     "ConstraintActivityEndsStudentsDay"):
            M.relation(c)
    if symmetry:
        for g in _interchangeable(F):
            ss = [sum(t * v for t, v in M.x[a].items()) for a in g]
            for i in range(len(ss) - 1):
                M.m.Add(ss[i] < ss[i + 1])
    return M, y


def solve_fet(F: FetFile, *, time_limit: float = 60.0, seed: int = 0, workers: int = 4,
              log=None, fix: Placement | None = None, patience: float | None = None,
              stop: threading.Event | None = None) -> Placement:
    """Place every active activity (and its room where it has room constraints).

    Hard rules on a teacher's or subgroup's day are searched elastically (their excess heavily penalised);
    only a solution with zero excess counts. When the file also has soft constraints the search has two
    phases: first the excess alone is minimised until it is zero, then the full objective is searched from
    that timetable (a complete hint). Once a valid timetable is found, the search goes on improving the soft
    constraints until it is optimal, the time limit is reached, or ``patience`` seconds pass without a
    better solution (default: half the time the first valid one took, at least 1 s, at most a tenth of the
    time limit and 5 s). Setting ``stop`` ends the search
    within a fraction of a second: the best valid timetable found so far is returned, and without one the
    run raises :class:`FetNoSolution`.
    """
    t0 = time.monotonic()
    M, y = _build(F, elastic=fix is None, symmetry=fix is None)
    R = M.R
    m = M.m
    if fix is not None:  # used by tests: the model must accept a timetable known to be valid
        for a, xs in M.x.items():
            for t, v in xs.items():
                m.Add(v == int(fix.start.get(a) == t))
    big = _w(ELASTIC)
    elastic = [v for w, v in M.pen if w >= big]
    # Two phases when there are both elastic hard rules and soft constraints: first a timetable with zero
    # excess on the hard rules, the objective being that excess alone (CP-SAT's core-based worker then assumes
    # every hard rule kept, which finds a first timetable far sooner than with the soft penalties mixed in);
    # then the full objective, started from that timetable as a complete hint.
    two = fix is None and bool(elastic) and any(w < big for w, _ in M.pen)
    cap = min(5.0, 0.1 * time_limit)
    state = {"first": None, "last": None, "valid": False}
    lock = threading.Lock()
    solver = cp_model.CpSolver()

    class _CB(cp_model.CpSolverSolutionCallback):
        def __init__(self, first_only: bool):
            super().__init__()
            self.first_only = first_only

        def on_solution_callback(self):
            ok = all(self.Value(v) == 0 for v in elastic)
            with lock:
                now = time.monotonic()
                if ok:
                    state["valid"] = True
                    state["last"] = now
                    if state["first"] is None:
                        state["first"] = now - t0
            if ok and self.first_only:
                self.StopSearch()

    def _solve(first_only: bool):
        nonlocal solver
        solver = cp_model.CpSolver()
        if first_only and workers >= 3:
            # the first valid timetable comes from the core-based worker (every hard rule assumed kept): two of
            # them, with different seeds, beside a search without LP and one with the default LP
            solver.parameters.subsolvers.extend(["core", "core", "no_lp", "default_lp"])
        solver.parameters.max_time_in_seconds = max(1.0, time_limit - (time.monotonic() - t0))
        solver.parameters.random_seed = seed
        solver.parameters.num_workers = workers
        if log:
            solver.parameters.log_search_progress = True
        done = threading.Event()

        def _watch():
            while not done.wait(0.2):
                if stop is not None and stop.is_set():
                    solver.StopSearch()  # asked again each turn: a request made before the search began is not lost
                    continue
                if first_only:
                    continue
                with lock:
                    # no better timetable for `patience` s, by default half the time the first one took (at
                    # least 1 s, at most a tenth of the limit and 5 s): a quick first timetable is not polished
                    # for long
                    wait = patience if patience is not None else min(cap, max(1.0, 0.5 * (state["first"] or 0.0)))
                    if state["valid"] and time.monotonic() - state["last"] > wait:
                        solver.StopSearch()
                        return

        watcher = threading.Thread(target=_watch, daemon=True)
        watcher.start()
        try:
            return solver.Solve(m, _CB(first_only))
        finally:
            done.set()
            watcher.join()

    def _fail(status):
        if status == cp_model.INFEASIBLE:
            raise FetInfeasible(["硬约束无解 (the hard constraints admit no timetable; CP-SAT proved it)"])
        if stop is not None and stop.is_set():
            raise FetNoSolution("已停止，尚未找到满足全部硬约束的课表 (stopped before a timetable was found)")
        raise FetNoSolution(f"{time_limit:g} 秒内未找到满足全部硬约束的课表 (no timetable within the time limit)")

    def _read(status) -> Placement:
        val = solver.Value
        start = {a: next(t for t, v in xs.items() if val(v)) for a, xs in M.x.items()}
        room = {a: r for a, ys in y.items() for r, v in ys.items() if val(v)}
        soft = sum(w * val(v) for w, v in M.pen if w < big) / 1000.0
        pl = Placement(start, room, soft, solver.StatusName(status), time.monotonic() - t0)
        pl.first_seconds = state["first"] if state["first"] is not None else pl.seconds
        return pl

    if two:
        m.Minimize(sum(elastic))
        status = _solve(True)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or any(solver.Value(v) for v in elastic):
            _fail(status)
        found = _read(status)
        if stop is not None and stop.is_set():
            return found
        values = list(solver.ResponseProto().solution)
        m.ClearObjective()
        for i, v in enumerate(values):
            m.AddHint(m.GetIntVarFromProtoIndex(i), v)
        state["last"] = time.monotonic()
    if M.pen:
        m.Minimize(sum(w * v for w, v in M.pen))
    status = _solve(False)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or any(solver.Value(v) for v in elastic):
        if two:
            return found  # the polishing phase found nothing better in its time: the first timetable stands
        _fail(status)
    pl = _read(status)
    if two and pl.objective > found.objective:
        return found
    return pl
