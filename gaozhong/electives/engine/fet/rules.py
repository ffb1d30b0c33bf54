"""What a FET file's constraints mean for each activity and each teacher or subgroup, shared by the solver
and the checker: allowed starts, forbidden slots, candidate rooms, and the resources a rule applies to.

Room semantics follow FET: an activity gets a room only when some room constraint names it; hard preferred
room sets intersect; home rooms (teacher or students set) apply only to activities with exactly that one
teacher / students set, and only when no other preferred-room constraint covers the activity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Activity, FetFile

__all__ = ["Rules", "build_rules"]


@dataclass(slots=True)
class RoomChoice:
    candidates: frozenset[str]
    required: bool
    #: soft (room set, weight percent): broken when the room chosen is not in the set (or none is chosen)
    soft: list[tuple[frozenset[str], float]] = field(default_factory=list)


@dataclass(slots=True)
class Rules:
    F: FetFile
    H: int
    acts: dict[int, Activity]
    subgroups: dict[int, frozenset[str]]
    breaks: frozenset[int]
    #: resource key ("t", name) or ("s", subgroup) → hard not-available slots (breaks included)
    unavailable: dict[tuple[str, str], frozenset[int]]
    #: activity id → allowed start slots (every hard time rule on the activity alone applied)
    starts: dict[int, list[int]]
    #: activity id → soft start penalties: list of (allowed start set, weight)
    soft_starts: dict[int, list[tuple[frozenset[int], float]]]
    rooms: dict[int, RoomChoice]
    room_na: dict[str, list[tuple[frozenset[int], float]]]

    def occupied(self, a: int, t: int) -> range:
        return range(t, t + self.acts[a].duration)

    def resources(self, who: str, name: str | None) -> list[tuple[str, str]]:
        if who == "teacher":
            return [("t", name)]
        if who == "teachers":
            return [("t", t) for t in self.F.teachers]
        if who == "set":
            return [("s", s) for s in sorted(self.F.sets[name])]
        return [("s", s) for s in self.F.subgroups]

    def res_of(self, a: int) -> list[tuple[str, str]]:
        act = self.acts[a]
        return [("t", t) for t in act.teachers] + [("s", s) for s in sorted(self.subgroups[a])]


def _starts_to_slots(pairs, dur: int, D: int, H: int) -> frozenset[int]:
    out = set()
    for d, h in pairs:
        for dd in ([d] if d is not None else range(D)):
            for hh in ([h] if h is not None else range(H)):
                out.add(dd * H + hh)
    return frozenset(out)


def build_rules(F: FetFile) -> Rules:
    D, H = len(F.days), len(F.hours)
    acts = {a.id: a for a in F.activities}
    subgroups = {a.id: F.act_subgroups(a) for a in F.activities}
    breaks: set[int] = set()
    una: dict[tuple[str, str], set[int]] = {}
    soft_na: list[tuple[tuple[str, str], frozenset[int], float]] = []
    for c in F.constraints:
        if c.kind == "ConstraintBreakTimes":
            breaks |= c.p["slots"]
        elif c.kind == "ConstraintTeacherNotAvailableTimes":
            if c.hard:
                una.setdefault(("t", c.p["who"]), set()).update(c.p["slots"])
            else:
                soft_na.append((("t", c.p["who"]), c.p["slots"], c.weight))
        elif c.kind == "ConstraintStudentsSetNotAvailableTimes":
            for s in F.sets[c.p["who"]]:
                if c.hard:
                    una.setdefault(("s", s), set()).update(c.p["slots"])
                else:
                    soft_na.append((("s", s), c.p["slots"], c.weight))
    keys = [("t", t) for t in F.teachers] + [("s", s) for s in F.subgroups]
    unavailable = {k: frozenset(una.get(k, set()) | breaks) for k in keys}
    forbid: dict[int, set[int]] = {a: set(breaks) for a in acts}
    allowed: dict[int, set[int] | None] = {a: None for a in acts}
    soft_starts: dict[int, list] = {a: [] for a in acts}
    for a, act in acts.items():
        for t in act.teachers:
            forbid[a] |= una.get(("t", t), set())
        for s in subgroups[a]:
            forbid[a] |= una.get(("s", s), set())

    def restrict(a: int, ok: frozenset[int], weight: float, by_slots: bool) -> None:
        dur = acts[a].duration
        if by_slots:  # every occupied slot must be allowed → allowed starts
            ok = frozenset(t for t in range(D * H) if all(u in ok for u in range(t, t + dur)))
        if weight >= 100.0:
            allowed[a] = set(ok) if allowed[a] is None else allowed[a] & ok
        else:
            soft_starts[a].append((ok, weight))

    for c in F.constraints:
        if c.kind in ("ConstraintActivityPreferredStartingTime", "ConstraintActivityPreferredStartingTimes"):
            a = c.p["acts"][0]
            restrict(a, _starts_to_slots(c.p["starts"], acts[a].duration, D, H), c.weight, False)
        elif c.kind == "ConstraintActivityPreferredTimeSlots":
            restrict(c.p["acts"][0], c.p["slots"], c.weight, True)
        elif c.kind in ("ConstraintActivitiesPreferredStartingTimes", "ConstraintActivitiesPreferredTimeSlots"):
            for a in c.p["targets"]:
                if "starts" in c.p:
                    restrict(a, _starts_to_slots(c.p["starts"], acts[a].duration, D, H), c.weight, False)
                else:
                    restrict(a, c.p["slots"], c.weight, True)
    starts: dict[int, list[int]] = {}
    for a, act in acts.items():
        out = []
        for d in range(D):
            for h in range(H - act.duration + 1):
                t = d * H + h
                if allowed[a] is not None and t not in allowed[a]:
                    continue
                if any(u in forbid[a] for u in range(t, t + act.duration)):
                    continue
                out.append(t)
        starts[a] = out
    # soft not-available times become soft start penalties of the activities concerned
    for key, slots, w in soft_na:
        for a, act in acts.items():
            if (key[0] == "t" and key[1] in act.teachers) or (key[0] == "s" and key[1] in subgroups[a]):
                ok = frozenset(t for t in range(D * H) if not any(u in slots for u in range(t, t + act.duration)))
                soft_starts[a].append((ok, w))
    return Rules(F, H, acts, subgroups, frozenset(breaks), unavailable, starts, soft_starts, _rooms(F, acts),
                 _room_na(F))


def _room_na(F: FetFile) -> dict[str, list[tuple[frozenset[int], float]]]:
    out: dict[str, list] = {}
    for c in F.constraints:
        if c.kind == "ConstraintRoomNotAvailableTimes":
            out.setdefault(c.p["who"], []).append((c.p["slots"], c.weight))
    return out


def _applies(p: dict, act: Activity) -> bool:
    if "act" in p:
        return p["act"] == act.id
    if "teacher" in p:
        return act.teachers == (p["teacher"],)
    if "students" in p:
        return act.students == (p["students"],)
    if "subject" in p and p["subject"] != act.subject:
        return False
    if "tag" in p and p["tag"] not in act.tags:
        return False
    return True


def _rooms(F: FetFile, acts: dict[int, Activity]) -> dict[int, RoomChoice]:
    per: dict[int, list[tuple[frozenset[str], float, bool]]] = {a: [] for a in acts}
    for c in F.constraints:
        if c.space and "rooms" in c.p:
            for a, act in acts.items():
                if _applies(c.p, act):
                    per[a].append((c.p["rooms"], c.weight, c.p["home"]))
    out: dict[int, RoomChoice] = {}
    for a, items in per.items():
        if not items:
            continue
        n = acts[a].n_students
        fits = frozenset(r for r, room in F.rooms.items() if room.capacity >= n)
        plain = [(s, w) for s, w, home in items if not home]
        home = [(s, w) for s, w, h in items if h]
        if plain:
            hard = [s for s, w in plain if w >= 100.0]
            soft = [(s, w) for s, w in plain if w < 100.0]
            if hard:
                cand = frozenset.intersection(*hard)
                out[a] = RoomChoice(cand & fits, True, soft)
            else:
                # a home room is satisfied by any room of the activity's own preferred rooms (FET)
                hard_home = [s for s, w in home if w >= 100.0]
                union = frozenset().union(*(s for s, _ in soft))
                if hard_home:
                    union |= frozenset.intersection(*hard_home)
                out[a] = RoomChoice(union & fits, bool(hard_home), soft)
        else:
            hard = [s for s, w in home if w >= 100.0]
            soft = [(s, w) for s, w in home if w < 100.0]
            if hard:
                out[a] = RoomChoice(frozenset.intersection(*hard) & fits, True, soft)
            else:
                out[a] = RoomChoice(frozenset().union(*(s for s, _ in soft)) & fits, False, soft)
    return out
