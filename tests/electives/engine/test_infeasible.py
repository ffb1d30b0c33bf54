"""Infeasible cases: exit 3 and a diagnosis that names the resources in conflict, found by the counting checks
before any search, or by the solver when the counts pass. OUT is left as it was. Issue 7 §1, infeasible input."""

from __future__ import annotations

from pathlib import Path

from .helpers import run, snapshot, tiny_case

SUBJECTS = [
    ("yw", "语文", "core", 4, "", "home", 55),
    ("ty", "体育", "core", 2, "", "field", 55),
    ("wl", "物理", "elective", 3, 1, "lab", 30),
    ("ls", "历史", "elective", 3, 1, "normal", 30),
    ("hx", "化学", "elective", 2, "", "normal", 30),
]


def infeasible(case: Path, tmp_path: Path) -> str:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "timetable.csv").write_text("keep me\n", encoding="utf-8")
    before = snapshot(out)
    code, stdout, stderr = run(["solve", str(case), "--out", str(out), "--time-limit", "30"])
    assert code == 3, (stdout, stderr)
    assert snapshot(out) == before
    assert stderr.startswith("无法排课 (infeasible):")
    return stderr


def test_lab_lessons_beyond_the_lab_slots(tmp_path):
    """The issue's example: 42 chemistry lab lessons a week, one lab with 40 free slots."""
    subjects = [("yw", "语文", "core", 4, "", "home", 80), ("hx", "化学", "elective", 6, 0, "lab-chem", 10)]
    students = [(f"S{i:02d}", "A1" if i < 35 else "A2", "hx") for i in range(70)]
    teachers = [("T1", "yw", 20, ""), *[(f"H{k}", "hx", 30, "") for k in range(3)]]
    rooms = [("R1", "normal", 40), ("R2", "normal", 40), ("L1", "lab-chem", 10)]
    case = tiny_case(tmp_path / "case", periods=8, blocked="[]", subjects=subjects, students=students, teachers=teachers, rooms=rooms)
    err = infeasible(case, tmp_path)
    assert "(42 lab-chem lessons a week, 1 room of type lab-chem with 40 free slots each)" in err


def test_a_teacher_needed_beyond_max_periods(tmp_path):
    teachers = [("T1", "yw", 5, ""), ("T3", "ty", 10, ""), ("T4", "wl", 12, ""), ("T5", "ls", 12, ""), ("T6", "hx", 10, "")]
    case = tiny_case(tmp_path / "case", teachers=teachers)
    err = infeasible(case, tmp_path)
    assert "(teacher T1 is needed 8 periods, max 5)" in err


def test_a_subject_whose_teachers_cannot_cover_it(tmp_path):
    teachers = [("T1", "yw", 3, ""), ("T2", "yw", 3, ""), ("T3", "ty", 10, ""), ("T4", "wl", 12, ""), ("T5", "ls", 12, ""), ("T6", "hx", 10, "")]
    err = infeasible(tiny_case(tmp_path / "case", teachers=teachers), tmp_path)
    assert "(subject yw needs 8 periods a week, its 2 teachers can give at most 6)" in err


def test_unavailable_slots_count_against_a_teacher(tmp_path):
    busy = ";".join(f"{d}:{p}" for d in range(1, 6) for p in range(1, 6))
    teachers = [("T1", "yw", 20, busy), ("T3", "ty", 10, ""), ("T4", "wl", 12, ""), ("T5", "ls", 12, ""), ("T6", "hx", 10, "")]
    err = infeasible(tiny_case(tmp_path / "case", teachers=teachers), tmp_path)
    assert "(teacher T1 is needed 8 periods, max 4)" in err


def test_no_teacher_for_a_subject(tmp_path):
    teachers = [("T1", "yw", 10, ""), ("T2", "yw", 10, ""), ("T4", "wl", 12, ""), ("T5", "ls", 12, ""), ("T6", "hx", 10, "")]
    err = infeasible(tiny_case(tmp_path / "case", teachers=teachers), tmp_path)
    assert "(no teacher teaches ty, it needs 4 periods a week)" in err


def test_an_admin_class_larger_than_its_home_room(tmp_path):
    rooms = [("R1", "normal", 15), ("R2", "normal", 25), ("R3", "normal", 30), ("F1", "field", 60), ("L1", "lab", 30)]
    err = infeasible(tiny_case(tmp_path / "case", rooms=rooms), tmp_path)
    assert "(admin class A1 has 20 students, its home room R1 holds 15)" in err


def test_more_lessons_than_the_week_has(tmp_path):
    err = infeasible(tiny_case(tmp_path / "case", days=2, periods=4, blocked="[]"), tmp_path)
    assert "students of admin class A1 need" in err and "only 8 free slots" in err


def test_more_lessons_than_the_day_cap_allows(tmp_path):
    subjects = [("yw", "语文", "core", 7, "", "home", 55), *SUBJECTS[1:]]
    err = infeasible(tiny_case(tmp_path / "case", days=3, periods=8, blocked="[]", per_day=2, subjects=subjects), tmp_path)
    assert "(7 lessons a week, at most 2 a day over 3 days allows 6)" in err


def test_a_teacher_free_on_too_few_days_for_a_class(tmp_path):
    """T1 teaches both 语文 classes (5 lessons each, at most 2 a day) but is free only on days 1 and 2: 12 free
    slots are enough by count, yet each class can have only 4 lessons on two days."""
    subjects = [("yw", "语文", "core", 5, "", "home", 55), *SUBJECTS[1:]]
    busy = ";".join(f"{d}:{p}" for d in range(3, 6) for p in range(1, 7) if (d, p) != (3, 6))
    teachers = [("T1", "yw", 10, busy), ("T3", "ty", 10, ""), ("T4", "wl", 12, ""), ("T5", "ls", 12, ""), ("T6", "hx", 10, ""), ("T7", "wl;ls", 8, "")]
    err = infeasible(tiny_case(tmp_path / "case", subjects=subjects, teachers=teachers), tmp_path)
    assert "(no teacher of yw can give one class 5 lessons at most 2 a day in their free slots)" in err


def test_periods_enough_but_not_in_whole_classes(tmp_path):
    """语文 needs 8 periods and its teachers have 10, but a class has one teacher for its 4 lessons: T1 (7 periods)
    takes one class, T2 (3 periods) none, so the second admin class has no 语文 teacher."""
    teachers = [("T1", "yw", 7, ""), ("T2", "yw", 3, ""), ("T3", "ty", 10, ""), ("T4", "wl", 12, ""), ("T5", "ls", 12, ""), ("T6", "hx", 10, "")]
    err = infeasible(tiny_case(tmp_path / "case", teachers=teachers), tmp_path)
    assert "(subject yw has at least 2 classes of 4 or more lessons a week, one teacher each; its 2 teachers can take at most 1 such classes" in err
    assert "T1 7→1, T2 3→0" in err
