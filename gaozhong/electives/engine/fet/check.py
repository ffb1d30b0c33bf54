"""An independent checker of a FET timetable: recompute, from the placed activities alone, every hard
(100 %) constraint of the file and list each violation. It shares only the parser with the solver, not its
model, so that a solver bug is not hidden by the same mistake twice.
"""

from __future__ import annotations

from collections import defaultdict

from .model import FetFile, Placement
from .parse import RESOURCE_RULES

__all__ = ["check_timetable"]


def check_timetable(F: FetFile, P: Placement) -> list[str]:
    """Every violated hard constraint, in words; an empty list means the timetable is valid."""
    bad: list[str] = []
    D, H = len(F.days), len(F.hours)
    acts = {a.id: a for a in F.activities}
    occ: dict[int, set[int]] = {}
    for a, act in acts.items():
        if a not in P.start:
            bad.append(f"activity {a} not placed")
            continue
        t = P.start[a]
        d, h = divmod(t, H)
        if not (0 <= d < D) or h + act.duration > H:
            bad.append(f"activity {a} runs past the end of the day")
        occ[a] = set(range(t, t + act.duration))
    busy: dict[tuple[str, str], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for a, slots in occ.items():
        act = acts[a]
        subs = set()
        for s in act.students:
            subs |= F.sets[s]
        for u in slots:
            for t in act.teachers:
                busy[("t", t)][u].append(a)
            for s in subs:
                busy[("s", s)][u].append(a)
    for k, per in busy.items():
        for u, lst in per.items():
            if len(lst) > 1:
                bad.append(f"{k[1]} has activities {sorted(lst)} at slot {u}")
    rooms_at: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for a, r in P.room.items():
        if r not in F.rooms:
            bad.append(f"activity {a} in unknown room {r}")
            continue
        if F.rooms[r].capacity < acts[a].n_students:
            bad.append(f"activity {a} ({acts[a].n_students} students) in room {r} of capacity {F.rooms[r].capacity}")
        for u in occ.get(a, ()):
            rooms_at[r][u].append(a)
    for r, per in rooms_at.items():
        for u, lst in per.items():
            if len(lst) > 1:
                bad.append(f"room {r} has activities {sorted(lst)} at slot {u}")

    def is_busy(k, u) -> bool:
        return bool(busy.get(k, {}).get(u))

    breaks: set[int] = set()
    na: dict[tuple[str, str], set[int]] = defaultdict(set)
    for c in F.constraints:
        if c.kind == "ConstraintBreakTimes":
            breaks |= c.p["slots"]
        elif c.hard and c.kind == "ConstraintTeacherNotAvailableTimes":
            na[("t", c.p["who"])] |= c.p["slots"]
        elif c.hard and c.kind == "ConstraintStudentsSetNotAvailableTimes":
            for s in F.sets[c.p["who"]]:
                na[("s", s)] |= c.p["slots"]
    for a, slots in occ.items():
        if slots & breaks:
            bad.append(f"activity {a} during a break")
    for k, slots in na.items():
        for u in slots:
            if is_busy(k, u):
                bad.append(f"{k[1]} busy at not-available slot {u}")

    def resources(who, name):
        if who == "teacher":
            return [("t", name)]
        if who == "teachers":
            return [("t", t) for t in F.teachers]
        subs = F.sets[name] if who == "set" else F.subgroups
        return [("s", s) for s in sorted(subs)]

    def start_ok(a, pairs) -> bool:
        d, h = divmod(P.start[a], H)
        return any((pd is None or pd == d) and (ph is None or ph == h) for pd, ph in pairs)

    # rooms each activity is preferred into, by non-home constraints (for the home-room rule)
    plain: dict[int, list[frozenset[str]]] = defaultdict(list)
    for c in F.constraints:
        if c.space and "rooms" in c.p and not c.p["home"]:
            for a, act in acts.items():
                if _room_applies(c.p, act):
                    plain[a].append(c.p["rooms"])
    for c in F.constraints:  # FET: same day ⇒ adjacent, whatever the min-days rule's weight
        if c.kind == "ConstraintMinDaysBetweenActivities" and c.p["consecutive"]:
            ids = c.p["acts"]
            for i in range(len(ids)):
                for j in range(i + 1, len(ids)):
                    a, b = sorted((ids[i], ids[j]), key=lambda x: P.start[x])
                    if P.start[a] // H == P.start[b] // H and P.start[a] + acts[a].duration != P.start[b]:
                        bad.append(f"ConstraintMinDaysBetweenActivities (line {c.line}): {a} and {b} on one day, "
                                   "not consecutive")
    for c in F.constraints:
        if not c.hard:
            continue
        k, p = c.kind, c.p
        where = f"{k} (line {c.line})"
        if k in ("ConstraintActivityPreferredStartingTime", "ConstraintActivityPreferredStartingTimes"):
            if not start_ok(p["acts"][0], p["starts"]):
                bad.append(f"{where}: activity {p['acts'][0]} starts elsewhere")
        elif k == "ConstraintActivityPreferredTimeSlots":
            a = p["acts"][0]
            if not occ[a] <= p["slots"]:
                bad.append(f"{where}: activity {a} outside its time slots")
        elif k in ("ConstraintActivitiesPreferredStartingTimes", "ConstraintActivitiesPreferredTimeSlots"):
            for a in p["targets"]:
                if ("starts" in p and not start_ok(a, p["starts"])) or ("slots" in p and not occ[a] <= p["slots"]):
                    bad.append(f"{where}: activity {a} outside")
        elif k == "ConstraintMinDaysBetweenActivities":
            ids = p["acts"]
            for i in range(len(ids)):
                for j in range(i + 1, len(ids)):
                    if abs(P.start[ids[i]] // H - P.start[ids[j]] // H) < p["min_days"]:
                        bad.append(f"{where}: activities {ids[i]} and {ids[j]} too close")
        elif k == "ConstraintActivitiesNotOverlapping":
            ids = p["acts"]
            for i in range(len(ids)):
                for j in range(i + 1, len(ids)):
                    if occ[ids[i]] & occ[ids[j]]:
                        bad.append(f"{where}: activities {ids[i]} and {ids[j]} overlap")
        elif k == "ConstraintActivitiesSameStartingDay":
            if len({P.start[a] // H for a in p["acts"]}) > 1:
                bad.append(f"{where}: not on one day")
        elif k == "ConstraintActivitiesSameStartingTime":
            if len({P.start[a] for a in p["acts"]}) > 1:
                bad.append(f"{where}: not at one time")
        elif k == "ConstraintActivitiesSameStartingHour":
            if len({P.start[a] % H for a in p["acts"]}) > 1:
                bad.append(f"{where}: not at one hour")
        elif k == "ConstraintTwoActivitiesConsecutive":  # only break hours may lie between the two (FET)
            a, b = p["acts"]
            end = P.start[a] + acts[a].duration
            if (P.start[a] // H != P.start[b] // H or P.start[b] < end
                    or any(u not in breaks for u in range(end, P.start[b]))):
                bad.append(f"{where}: {b} does not follow {a}")
        elif k in ("ConstraintActivitiesEndStudentsDay", "ConstraintActivityEndsStudentsDay"):
            targets = p["acts"] if "acts" in p else p["targets"]
            for a in targets:
                end = P.start[a] + acts[a].duration
                d = P.start[a] // H
                for s in set().union(*(F.sets[x] for x in acts[a].students)) if acts[a].students else ():
                    if any(is_busy(("s", s), u) for u in range(end, (d + 1) * H)):
                        bad.append(f"{where}: {s} has lessons after activity {a}")
        elif k in RESOURCE_RULES:
            for key in resources(p["who"], p.get("name")):
                _resource(bad, where, key, p, D, H, is_busy, breaks | na.get(key, set()))
        elif k == "ConstraintRoomNotAvailableTimes":
            for a, r in P.room.items():
                if r == p["who"] and occ[a] & p["slots"]:
                    bad.append(f"{where}: activity {a} in room {r} when it is not available")
        elif c.space and "rooms" in p:
            for a, act in acts.items():
                if not _room_applies(p, act):
                    continue
                r = P.room.get(a)
                if r in p["rooms"]:
                    continue
                if p["home"] and r is not None and any(r in s for s in plain[a]):
                    continue
                bad.append(f"{where}: activity {a} in room {r}, not in {sorted(p['rooms'])}")
    return bad


def _room_applies(p: dict, act) -> bool:
    if "act" in p:
        return p["act"] == act.id
    if "teacher" in p:
        return act.teachers == (p["teacher"],)
    if "students" in p:
        return act.students == (p["students"],)
    return ("subject" not in p or p["subject"] == act.subject) and ("tag" not in p or p["tag"] in act.tags)


def _resource(bad, where, key, p, D, H, is_busy, skip) -> None:
    rule, v = p["rule"], p["value"]
    gaps_week = 0
    late_days = 0
    for d in range(D):
        row = [is_busy(key, d * H + h) for h in range(H)]
        n = sum(row)
        if rule == "max_hours_daily" and n > v:
            bad.append(f"{where}: {key[1]} has {n} hours on day {d}")
        elif rule == "min_hours_daily" and n < v and (n > 0 or not p["allow_empty"]):
            bad.append(f"{where}: {key[1]} has {n} hours on day {d}")
        elif rule == "max_hours_continuously":
            run = 0
            for x in row:
                run = run + 1 if x else 0
                if run > v:
                    bad.append(f"{where}: {key[1]} works {run} hours in a row on day {d}")
                    break
        elif rule in ("max_gaps_per_week", "max_gaps_per_day"):
            usable = [row[h] for h in range(H) if d * H + h not in skip]
            if any(usable):
                first = usable.index(True)
                last = len(usable) - 1 - usable[::-1].index(True)
                g = sum(1 for x in usable[first:last + 1] if not x)
                gaps_week += g
                if rule == "max_gaps_per_day" and g > v:
                    bad.append(f"{where}: {key[1]} has {g} gaps on day {d}")
        elif rule == "early":
            usable = [row[h] for h in range(H) if d * H + h not in skip]
            if any(usable):
                first = usable.index(True)
                if first > 1:
                    bad.append(f"{where}: {key[1]} starts at free hour {first} on day {d}")
                elif first == 1:
                    late_days += 1
    if rule == "max_days_per_week":
        days = sum(1 for d in range(D) if any(is_busy(key, d * H + h) for h in range(H)))
        if days > v:
            bad.append(f"{where}: {key[1]} works {days} days")
    if rule == "max_gaps_per_week" and gaps_week > v:
        bad.append(f"{where}: {key[1]} has {gaps_week} gaps in the week")
    if rule == "early" and late_days > v:
        bad.append(f"{where}: {key[1]} begins at the second hour on {late_days} days")
