"""Changing a solved timetable by hand: every slot one lesson can move to and every lesson it can swap with
(对调), found in one call; and the list of lessons that differ between two timetables (what a re-solve moved).

``move_options(result, lesson)`` returns :class:`MoveOptions`:

- ``free``: the slots the lesson can move to as the timetable stands, each with the room it would use there —
  its own room when that is free, else the smallest free room of its subject's type that holds the class (a
  home-room lesson only ever uses its admin class's home room);
- ``swaps``: the lessons it can trade slots with, each move valid once the other lesson has left, at slots it
  cannot simply move to (the other lesson, or the room it holds, is what is in the way);
- ``obstacles``: for every other slot that is not free, what is in the way.

A move keeps every other lesson where it is, in its room. The hard rules checked are those a move can break
(docs/timetable.md): (3) one lesson of a class per slot, no blocked slot, at most ``max_per_day`` lessons of the
class on a day; (4) and (7) the room's type and capacity, the home room; (5) no student, teacher or room in two
lessons at once; (6) no lesson in a teacher's unavailable slot. Weekly counts do not change by a move.

``changed_lessons(old, new)`` pairs, class by class, the slots a class left with the slots it gained (and lists
the lessons that kept their slot but changed room), for the notice a re-solve after a leave prints.

Pure Python, no Django; the same timetable gives the same answer (slots in order, then class ids).
Rule: issue 7 hard rules (3)–(7); issue 16 item 7 (move dialog with every free slot, 对调, 请假重排 list).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from .types import CORE, HOME, Lesson, Result

__all__ = ["BLOCKED", "OWN", "DAY_CAP", "UNAVAILABLE", "TEACHER", "STUDENTS", "ROOM", "Obstacle", "Spot", "Swap",
           "MoveOptions", "SwapCheck", "Change", "move_options", "swap_check", "changed_lessons"]

BLOCKED, OWN, DAY_CAP, UNAVAILABLE, TEACHER, STUDENTS, ROOM = "blocked", "own", "day_cap", "unavailable", "teacher", "students", "room"
# Obstacles no swap can remove: the slot itself, the teacher's own time, the class's own day.
_FIXED = frozenset({BLOCKED, OWN, DAY_CAP, UNAVAILABLE})


@dataclass(frozen=True, slots=True)
class Obstacle:
    """Why a lesson cannot go to a slot. ``class_id`` is the class in the way (own lesson, teacher, students,
    the holder of a home room); ``count`` the students the two classes share, or the class's lessons that day."""

    kind: str
    class_id: str | None = None
    count: int = 0


@dataclass(frozen=True, slots=True)
class Spot:
    slot: int
    room: str


@dataclass(frozen=True, slots=True)
class Swap:
    other: Lesson
    room: str  # the lesson's room at other.slot
    other_room: str  # the other lesson's room at the lesson's slot


@dataclass
class MoveOptions:
    lesson: Lesson
    free: list[Spot]
    swaps: list[Swap]
    obstacles: dict[int, list[Obstacle]]


@dataclass(frozen=True, slots=True)
class SwapCheck:
    """What keeps each of two lessons out of the other's slot once both have left (empty lists: the swap is
    valid), and the rooms they would use."""

    there: list[Obstacle]  # the lesson at the other's slot
    back: list[Obstacle]  # the other lesson at the lesson's slot
    room: str | None
    other_room: str | None

    @property
    def ok(self) -> bool:
        return not self.there and not self.back


@dataclass(frozen=True, slots=True)
class Change:
    class_id: str
    before: int
    after: int
    room_before: str
    room_after: str

    @property
    def moved(self) -> bool:
        return self.before != self.after


class _Index:
    """The timetable laid out for fit checks: lessons per slot and per class, who shares students with whom."""

    def __init__(self, result: Result):
        case = result.case
        self.cal = case.calendar
        self.classes = result.class_by_id()
        self.by_slot: dict[int, list[Lesson]] = defaultdict(list)
        self.of_class: dict[str, list[Lesson]] = defaultdict(list)
        for les in result.lessons:
            self.by_slot[les.slot].append(les)
            self.of_class[les.class_id].append(les)
        for rows in self.by_slot.values():
            rows.sort(key=lambda les: les.class_id)
        self.lessons = set(result.lessons)
        by_admin: dict[str, set[str]] = defaultdict(set)
        for st in case.students:
            by_admin[st.admin_class].add(st.id)
        self.members: dict[str, frozenset[str]] = {}
        taught: dict[str, set[str]] = defaultdict(set)
        for sid, cid in result.enrolments:
            taught[cid].add(sid)
        self.classes_of: dict[str, list[str]] = defaultdict(list)
        for c in result.classes:
            self.members[c.id] = frozenset(by_admin[c.admin_class]) if c.kind == CORE else frozenset(taught[c.id])
            for sid in self.members[c.id]:
                self.classes_of[sid].append(c.id)
        self._shared: dict[str, Counter] = {}
        self.teacher_unavailable = {t.id: t.unavailable for t in case.teachers}
        self.rooms_by_type: dict[str, list] = defaultdict(list)
        for r in sorted(case.rooms, key=lambda r: (r.capacity, r.id)):
            self.rooms_by_type[r.type].append(r)
        self.subjects = case.subject_by_id
        self.home = {a.id: a.home_room for a in case.admin_classes}

    def shared(self, class_id: str) -> Counter:
        """Other class → number of students it shares with ``class_id``."""
        got = self._shared.get(class_id)
        if got is None:
            got = Counter(other for sid in self.members[class_id] for other in self.classes_of[sid] if other != class_id)
            self._shared[class_id] = got
        return got

    def fit(self, lesson: Lesson, slot: int, gone: frozenset[Lesson]) -> tuple[list[Obstacle], str | None]:
        """What keeps ``lesson`` out of ``slot`` once the lessons in ``gone`` have left (``lesson`` among them),
        and the room it would use there when nothing does."""
        cal = self.cal
        c = self.classes[lesson.class_id]
        obstacles: list[Obstacle] = []
        if slot in cal.blocked:
            obstacles.append(Obstacle(BLOCKED))
        own = [les for les in self.of_class[c.id] if les not in gone]
        if any(les.slot == slot for les in own):
            obstacles.append(Obstacle(OWN, c.id))
        day = cal.day_of(slot)
        that_day = sum(1 for les in own if cal.day_of(les.slot) == day) + 1
        if that_day > cal.max_per_day:
            obstacles.append(Obstacle(DAY_CAP, c.id, that_day))
        if slot in self.teacher_unavailable.get(c.teacher, frozenset()):
            obstacles.append(Obstacle(UNAVAILABLE))
        there = [les for les in self.by_slot.get(slot, ()) if les not in gone and les.class_id != c.id]
        shared = self.shared(c.id)
        for les in there:
            if self.classes[les.class_id].teacher == c.teacher:
                obstacles.append(Obstacle(TEACHER, les.class_id))
            if shared.get(les.class_id):
                obstacles.append(Obstacle(STUDENTS, les.class_id, shared[les.class_id]))
        taken = {les.room: les.class_id for les in there}
        room = self._room(c, lesson.room, taken)
        if room is None:
            holder = taken.get(self.home[c.admin_class]) if self._is_home(c) else None
            obstacles.append(Obstacle(ROOM, holder))
        return obstacles, (room if not obstacles else None)

    def _is_home(self, c) -> bool:
        return self.subjects[c.subject].room_type == HOME and c.admin_class is not None

    def _room(self, c, current: str, taken: dict[str, str]) -> str | None:
        if self._is_home(c):
            home = self.home[c.admin_class]
            return None if home in taken else home
        fits = [r.id for r in self.rooms_by_type[self.subjects[c.subject].room_type] if r.capacity >= c.size and r.id not in taken]
        if current in fits:
            return current
        return fits[0] if fits else None


def move_options(result: Result, lesson: Lesson) -> MoveOptions:
    """Every slot ``lesson`` can move to, every lesson it can swap with, and what is in the way elsewhere.

    Raises KeyError when ``lesson`` is not a lesson of ``result``."""
    ix = _Index(result)
    if lesson not in ix.lessons:
        raise KeyError(lesson)
    alone = frozenset({lesson})
    free: list[Spot] = []
    swaps: list[Swap] = []
    obstacles: dict[int, list[Obstacle]] = {}
    for slot in range(ix.cal.n_slots):
        if slot == lesson.slot:
            continue
        obs, room = ix.fit(lesson, slot, alone)
        if not obs:
            free.append(Spot(slot, room))
            continue
        obstacles[slot] = obs
        if any(o.kind in _FIXED for o in obs):
            continue
        # A swap can only help when at most one class is in the way (a class has one lesson per slot).
        blockers = {o.class_id for o in obs if o.kind in (TEACHER, STUDENTS)}
        if len(blockers) > 1:
            continue
        for other in ix.by_slot.get(slot, ()):
            if other.class_id == lesson.class_id or (blockers and other.class_id not in blockers):
                continue
            gone = frozenset({lesson, other})
            there, room_there = ix.fit(lesson, slot, gone)
            if there:
                continue
            back, room_back = ix.fit(other, lesson.slot, gone)
            if back:
                continue
            swaps.append(Swap(other, room_there, room_back))
    return MoveOptions(lesson, free, swaps, obstacles)


def swap_check(result: Result, lesson: Lesson, other: Lesson) -> SwapCheck:
    """Whether ``lesson`` and ``other`` can trade slots (each keeping every rule once both have left).

    Raises KeyError when either is not a lesson of ``result``, ValueError for two lessons of one class or slot."""
    ix = _Index(result)
    for les in (lesson, other):
        if les not in ix.lessons:
            raise KeyError(les)
    if lesson.class_id == other.class_id or lesson.slot == other.slot:
        raise ValueError("a swap needs lessons of two classes in two slots")
    gone = frozenset({lesson, other})
    there, room = ix.fit(lesson, other.slot, gone)
    back, other_room = ix.fit(other, lesson.slot, gone)
    return SwapCheck(there, back, room, other_room)


def changed_lessons(old: list[Lesson], new: list[Lesson]) -> list[Change]:
    """The lessons that differ between two timetables of the same classes: per class, the slots it left paired in
    order with the slots it gained (``moved``), and the lessons that kept their slot in another room."""
    before: dict[str, dict[int, str]] = defaultdict(dict)
    after: dict[str, dict[int, str]] = defaultdict(dict)
    for les in old:
        before[les.class_id][les.slot] = les.room
    for les in new:
        after[les.class_id][les.slot] = les.room
    out: list[Change] = []
    for cid in sorted(set(before) | set(after)):
        b, a = before[cid], after[cid]
        left = sorted(set(b) - set(a))
        gained = sorted(set(a) - set(b))
        if len(left) != len(gained):
            raise ValueError(f"class {cid} has {len(b)} lessons before and {len(a)} after")
        out += [Change(cid, s, t, b[s], a[t]) for s, t in zip(left, gained)]
        out += [Change(cid, s, s, b[s], a[s]) for s in sorted(set(a) & set(b)) if a[s] != b[s]]
    out.sort(key=lambda ch: (ch.before, ch.class_id, ch.after))
    return out
