"""Helpers for the timetable tests: write small case directories, run the command, read CSV output."""

from __future__ import annotations

import csv
import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from gaozhong.electives.cli import main

HEADERS = {
    "subjects.csv": ["subject_id", "name", "track", "periods", "xuekao_periods", "room_type", "max_class_size"],
    "admin_classes.csv": ["admin_class_id", "home_room_id"],
    "students.csv": ["student_id", "admin_class_id", "electives"],
    "teachers.csv": ["teacher_id", "subjects", "max_periods", "unavailable"],
    "rooms.csv": ["room_id", "room_type", "capacity"],
}


def write_csv(path: Path, header: list[str], rows: list) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def tiny_case(d: Path, *, days: int = 5, periods: int = 6, blocked: str = '["3:6"]', per_day: int = 2, subjects=None,
              admins=None, students=None, teachers=None, rooms=None) -> Path:
    """A hand-sized school: 2 admin classes, 2 core subjects, 3 electives (choose 2), one teacher each."""
    d.mkdir(parents=True, exist_ok=True)
    (d / "calendar.toml").write_text(
        f"days = {days}\nperiods_per_day = {periods}\nblocked = {blocked}\nmax_lessons_per_class_per_day = {per_day}\n", encoding="utf-8")
    subjects = subjects or [
        ("yw", "语文", "core", 4, "", "home", 55),
        ("ty", "体育", "core", 2, "", "field", 55),
        ("wl", "物理", "elective", 3, 1, "lab", 30),
        ("ls", "历史", "elective", 3, 1, "normal", 30),
        ("hx", "化学", "elective", 2, "", "normal", 30),
    ]
    admins = admins or [("A1", "R1"), ("A2", "R2")]
    if students is None:
        combos = ["wl;hx", "ls;hx", "wl;ls"]
        students = [(f"S{i:02d}", "A1" if i < 20 else "A2", combos[i % 3]) for i in range(40)]
    teachers = teachers or [
        ("T1", "yw", 10, ""), ("T2", "yw", 10, ""), ("T3", "ty", 10, "1:1"), ("T4", "wl", 12, ""),
        ("T5", "ls", 12, ""), ("T6", "hx", 10, "2:2;2:3"), ("T7", "wl;ls", 8, ""),
    ]
    rooms = rooms or [("R1", "normal", 25), ("R2", "normal", 25), ("R3", "normal", 30), ("F1", "field", 60), ("L1", "lab", 30)]
    write_csv(d / "subjects.csv", HEADERS["subjects.csv"], subjects)
    write_csv(d / "admin_classes.csv", HEADERS["admin_classes.csv"], admins)
    write_csv(d / "students.csv", HEADERS["students.csv"], students)
    write_csv(d / "teachers.csv", HEADERS["teachers.csv"], teachers)
    write_csv(d / "rooms.csv", HEADERS["rooms.csv"], rooms)
    return d


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    return rows[0], rows[1:]


def snapshot(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())} if d.exists() else {}
