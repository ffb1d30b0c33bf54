"""Write a :class:`~.types.Case` as the six files of a case directory (calendar.toml and five CSV files), the
exact input ``gaozhong timetable solve`` reads, and read such a set of texts back.

The web app stores the files of every timetable it solves, so that any result can be downloaded and re-run
with the command, and rebuilt when a lesson is moved or a teacher goes on leave.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .output import csv_text as _csv
from .reading import read_case
from .types import Case

__all__ = ["case_to_files", "case_from_files"]


def _slots(case: Case, slots) -> str:
    return ";".join(case.calendar.label(t) for t in sorted(slots))


def case_to_files(case: Case) -> dict[str, str]:
    """File name → text, in a fixed order so that equal cases give equal bytes."""
    cal = case.calendar
    blocked = ", ".join(f'"{cal.label(t)}"' for t in sorted(cal.blocked))
    calendar = (f"days = {cal.days}\nperiods_per_day = {cal.periods_per_day}\nblocked = [{blocked}]\n"
                f"max_lessons_per_class_per_day = {cal.max_per_day}\n")
    subjects = _csv(["subject_id", "name", "track", "periods", "xuekao_periods", "room_type", "max_class_size"],
                    [(s.id, s.name, s.track, s.periods, s.xuekao_periods if s.track != "core" else "", s.room_type, s.max_class_size)
                     for s in case.subjects])
    admin = _csv(["admin_class_id", "home_room_id"], [(a.id, a.home_room) for a in case.admin_classes])
    students = _csv(["student_id", "admin_class_id", "electives"], [(s.id, s.admin_class, ";".join(s.electives)) for s in case.students])
    teachers = _csv(["teacher_id", "subjects", "max_periods", "unavailable"],
                    [(t.id, ";".join(t.subjects), t.max_periods, _slots(case, t.unavailable)) for t in case.teachers])
    rooms = _csv(["room_id", "room_type", "capacity"], [(r.id, r.type, r.capacity) for r in case.rooms])
    return {"calendar.toml": calendar, "subjects.csv": subjects, "admin_classes.csv": admin, "students.csv": students,
            "teachers.csv": teachers, "rooms.csv": rooms}


def case_from_files(files: dict[str, str]) -> Case:
    """Read texts written by :func:`case_to_files` (or any valid case) through the command's own reader."""
    with tempfile.TemporaryDirectory(prefix="gaozhong-case-") as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        return read_case(tmp)
