"""Typed inputs and results of the timetabling engine: the school case (calendar, subjects, rooms, teachers,
admin classes, students) and the solved timetable (classes, enrolments, lessons).

Slots are numbered ``(day - 1) * periods_per_day + (period - 1)``; :class:`Calendar` converts both ways.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Calendar", "Subject", "Room", "Teacher", "AdminClass", "Student", "Case",
    "ClassInfo", "Lesson", "Result", "Block", "Infeasible", "NoTimetableFound",
]

CORE, ELECTIVE = "core", "elective"
XUANKE, XUEKAO = "xuanke", "xuekao"
HOME = "home"


@dataclass(frozen=True, slots=True)
class Calendar:
    days: int
    periods_per_day: int
    blocked: frozenset[int]
    max_per_day: int

    @property
    def n_slots(self) -> int:
        return self.days * self.periods_per_day

    def slot(self, day: int, period: int) -> int:
        return (day - 1) * self.periods_per_day + (period - 1)

    def day_period(self, slot: int) -> tuple[int, int]:
        return slot // self.periods_per_day + 1, slot % self.periods_per_day + 1

    def day_of(self, slot: int) -> int:
        return slot // self.periods_per_day

    def free_slots(self) -> list[int]:
        return [t for t in range(self.n_slots) if t not in self.blocked]

    def label(self, slot: int) -> str:
        d, p = self.day_period(slot)
        return f"{d}:{p}"


@dataclass(frozen=True, slots=True)
class Subject:
    id: str
    name: str
    track: str  # "core" | "elective"
    periods: int
    xuekao_periods: int  # 0 for core subjects and electives without 学考 classes
    room_type: str  # "home" or a room type of rooms.csv
    max_class_size: int


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    type: str
    capacity: int


@dataclass(frozen=True, slots=True)
class Teacher:
    id: str
    subjects: tuple[str, ...]
    max_periods: int
    unavailable: frozenset[int]


@dataclass(frozen=True, slots=True)
class AdminClass:
    id: str
    home_room: str


@dataclass(frozen=True, slots=True)
class Student:
    id: str
    admin_class: str
    electives: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    """A validated case directory. Lists keep the input order; the ``*_by_id`` maps are built once."""

    calendar: Calendar
    subjects: tuple[Subject, ...]
    admin_classes: tuple[AdminClass, ...]
    students: tuple[Student, ...]
    teachers: tuple[Teacher, ...]
    rooms: tuple[Room, ...]
    subject_by_id: dict[str, Subject] = field(init=False, repr=False, compare=False)
    room_by_id: dict[str, Room] = field(init=False, repr=False, compare=False)
    teacher_by_id: dict[str, Teacher] = field(init=False, repr=False, compare=False)
    admin_by_id: dict[str, AdminClass] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "subject_by_id", {s.id: s for s in self.subjects})
        object.__setattr__(self, "room_by_id", {r.id: r for r in self.rooms})
        object.__setattr__(self, "teacher_by_id", {t.id: t for t in self.teachers})
        object.__setattr__(self, "admin_by_id", {a.id: a for a in self.admin_classes})

    @property
    def core_subjects(self) -> list[Subject]:
        return [s for s in self.subjects if s.track == CORE]

    @property
    def elective_subjects(self) -> list[Subject]:
        return [s for s in self.subjects if s.track == ELECTIVE]

    def admin_sizes(self) -> dict[str, int]:
        sizes = {a.id: 0 for a in self.admin_classes}
        for st in self.students:
            sizes[st.admin_class] += 1
        return sizes

    def needs(self, student: Student) -> list[tuple[str, str]]:
        """The (subject, kind) teaching classes a student must join. Rule (2) of issue 7."""
        chosen = set(student.electives)
        out = [(s, XUANKE) for s in student.electives]
        out += [(s.id, XUEKAO) for s in self.elective_subjects if s.id not in chosen and s.xuekao_periods > 0]
        return out

    def item_periods(self, item: tuple[str, str]) -> int:
        s = self.subject_by_id[item[0]]
        return s.periods if item[1] == XUANKE else s.xuekao_periods


@dataclass(frozen=True, slots=True)
class ClassInfo:
    id: str
    subject: str
    kind: str  # core | xuanke | xuekao
    admin_class: str | None
    teacher: str
    size: int
    lessons: int
    block: int | None = None  # index into Result.blocks for teaching classes


@dataclass(frozen=True, slots=True)
class Lesson:
    class_id: str
    slot: int
    room: str


@dataclass(frozen=True, slots=True)
class Block:
    """走班 block: teaching classes taught in parallel; no student is in two of them."""

    index: int
    length: int
    class_ids: tuple[str, ...]
    admin_classes: tuple[str, ...]


@dataclass
class Result:
    """A complete timetable meeting hard rules (1)–(7) of issue 7, with the figures the command prints."""

    case: Case = field(repr=False)
    classes: list[ClassInfo]
    enrolments: list[tuple[str, str]]  # (student_id, class_id)
    lessons: list[Lesson]
    blocks: list[Block]
    lower_bound: int
    teaching_classes: int
    seed: int = 0
    notes: list[str] = field(default_factory=list)

    def class_by_id(self) -> dict[str, ClassInfo]:
        return {c.id: c for c in self.classes}


class Infeasible(Exception):
    """The case cannot be timetabled; ``reasons`` are sentences a 教务 understands, naming the resources."""

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        super().__init__("\n".join(self.reasons))


class NoTimetableFound(Exception):
    """The search ran out of time (or was stopped) before it found a complete valid timetable."""
