"""Typed contents of a FET file (FET 5.x/6.x XML) as the FET solver and checker use them.

Times are slot indices ``day * hours_per_day + hour``; an activity of duration ``d`` starting at hour ``h``
occupies hours ``h .. h+d-1`` of one day. Students sets are resolved to the subgroups they contain, which is
the level at which FET forbids overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Activity", "Room", "Constraint", "FetFile", "Placement"]


@dataclass(frozen=True, slots=True)
class Activity:
    id: int
    teachers: tuple[str, ...]
    subject: str
    tags: tuple[str, ...]
    students: tuple[str, ...]
    duration: int
    group_id: int
    n_students: int
    line: int


@dataclass(frozen=True, slots=True)
class Room:
    name: str
    capacity: int
    line: int


@dataclass(slots=True)
class Constraint:
    """One active constraint: its XML tag, weight (percent), line, space or time, and typed parameters."""

    kind: str
    weight: float
    line: int
    space: bool
    p: dict = field(default_factory=dict)

    @property
    def hard(self) -> bool:
        return self.weight >= 100.0


@dataclass(slots=True)
class FetFile:
    name: str
    text: str
    days: list[str]
    hours: list[str]
    teachers: list[str]
    subjects: list[str]
    tags: list[str]
    #: students set name (year, group or subgroup) → names of the subgroups it contains
    sets: dict[str, frozenset[str]]
    set_sizes: dict[str, int]
    rooms: dict[str, Room]
    activities: list[Activity]
    constraints: list[Constraint]

    @property
    def n_slots(self) -> int:
        return len(self.days) * len(self.hours)

    @property
    def subgroups(self) -> list[str]:
        out: set[str] = set()
        for s in self.sets.values():
            out |= s
        return sorted(out)

    def act_subgroups(self, a: Activity) -> frozenset[str]:
        out: set[str] = set()
        for s in a.students:
            out |= self.sets[s]
        return frozenset(out)


@dataclass(slots=True)
class Placement:
    """A solved timetable: activity id → start slot, and activity id → room name (or absent: no room)."""

    start: dict[int, int]
    room: dict[int, str]
    objective: float = 0.0
    status: str = ""
    seconds: float = 0.0
    first_seconds: float = 0.0
