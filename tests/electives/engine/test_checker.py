"""The independent checker catches a broken timetable for every hard rule (1)–(7) of issue 7: each test takes a
valid solved case, breaks one rule by editing one output or input file, and expects the rule's number."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..checker import check
from .helpers import HEADERS, read_rows, run, tiny_case, write_csv


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("solved")
    case = tiny_case(base / "case")
    out = base / "out"
    code, _, err = run(["solve", str(case), "--out", str(out), "--time-limit", "60", "--seed", "1"])
    assert code == 0, err
    assert check(case, out) == []
    return case, out


@pytest.fixture
def copy(solved, tmp_path) -> tuple[Path, Path]:
    case, out = solved
    c2, o2 = tmp_path / "case", tmp_path / "out"
    shutil.copytree(case, c2)
    shutil.copytree(out, o2)
    return c2, o2


def edit(path: Path, fn) -> None:
    header, rows = read_rows(path)
    write_csv(path, header, fn(header, rows))


def rules(case: Path, out: Path) -> set[str]:
    return {v[:3] for v in check(case, out)}


def lessons(out: Path) -> list[list[str]]:
    return read_rows(out / "timetable.csv")[1]


def classes(out: Path) -> dict[str, list[str]]:
    return {r[0]: r for r in read_rows(out / "classes.csv")[1]}


def test_rule_1_a_missing_core_class(copy):
    case, out = copy
    core = next(c for c, r in classes(out).items() if r[2] == "core")
    edit(out / "classes.csv", lambda h, rows: [r for r in rows if r[0] != core])
    edit(out / "timetable.csv", lambda h, rows: [r for r in rows if r[0] != core])
    assert "(1)" in rules(case, out)


def test_rule_2_a_student_missing_a_class(copy):
    case, out = copy
    edit(out / "enrolments.csv", lambda h, rows: rows[1:])
    assert "(2)" in rules(case, out)


def test_rule_2_a_student_in_an_extra_class(copy):
    case, out = copy
    cls = classes(out)
    def add(h, rows):
        sid, cid = rows[0]
        other = next(c for c, r in cls.items() if r[2] != "core" and r[1] != cls[cid][1])
        return rows + [[sid, other]]
    edit(out / "enrolments.csv", add)
    assert "(2)" in rules(case, out)


def test_rule_3_a_lesson_too_few(copy):
    case, out = copy
    edit(out / "timetable.csv", lambda h, rows: rows[1:])
    assert "(3)" in rules(case, out)


def test_rule_3_a_lesson_in_a_blocked_slot(copy):
    case, out = copy
    edit(out / "timetable.csv", lambda h, rows: [[rows[0][0], "3", "6", rows[0][3]]] + rows[1:])
    assert "(3)" in rules(case, out)


def test_rule_3_three_lessons_of_a_class_on_one_day(copy):
    case, out = copy
    def squeeze(h, rows):
        cid = next(r[0] for r in rows if sum(1 for x in rows if x[0] == r[0]) >= 3)
        k = 0
        new = []
        for r in rows:
            if r[0] == cid and k < 3:
                new.append([cid, "5", str(k + 1), r[3]])
                k += 1
            else:
                new.append(r)
        return new
    edit(out / "timetable.csv", squeeze)
    assert "(3)" in rules(case, out)


def test_rule_4_a_class_larger_than_max_class_size(copy):
    case, out = copy
    edit(case / "subjects.csv", lambda h, rows: [r[:6] + ["5"] if r[0] == "hx" else r for r in rows])
    assert "(4)" in rules(case, out)


def test_rule_4_a_class_larger_than_its_room(copy):
    case, out = copy
    room = lessons(out)[0][3]
    edit(case / "rooms.csv", lambda h, rows: [[r[0], r[1], "3"] if r[0] == room else r for r in rows])
    assert "(4)" in rules(case, out)


def test_rule_5_a_student_in_two_lessons_at_once(copy):
    case, out = copy
    cls = classes(out)
    ls = lessons(out)
    # Move a teaching-class lesson onto a slot of a core lesson of one of its students' admin class.
    _, enrol = read_rows(out / "enrolments.csv")
    _, students = read_rows(case / "students.csv")
    admin_of = {s[0]: s[1] for s in students}
    sid, cid = enrol[0]
    core = next(c for c, r in cls.items() if r[2] == "core" and r[3] == admin_of[sid])
    d, p = next((r[1], r[2]) for r in ls if r[0] == core)
    edit(out / "timetable.csv", lambda h, rows: [[cid, d, p, r[3]] if r is next(x for x in rows if x[0] == cid) else r for r in rows])
    assert "(5)" in rules(case, out)


def same_slot_pair(ls: list[list[str]]) -> tuple[list[str], list[str]]:
    for a in ls:
        for b in ls:
            if (a[1], a[2]) == (b[1], b[2]) and a[0] != b[0]:
                return a, b
    raise AssertionError("no two lessons share a slot")


def test_rule_5_a_teacher_in_two_lessons_at_once(copy):
    case, out = copy
    cls = classes(out)
    a, b = same_slot_pair(lessons(out))
    edit(out / "classes.csv", lambda h, rows: [r[:4] + [cls[a[0]][4]] if r[0] == b[0] else r for r in rows])
    edit(case / "teachers.csv", lambda h, rows: [[r[0], "yw;ty;wl;ls;hx", "99", ""] for r in rows])
    assert "(5)" in rules(case, out)


def test_rule_5_two_classes_in_one_room(copy):
    case, out = copy
    a, b = same_slot_pair(lessons(out))
    edit(out / "timetable.csv", lambda h, rows: [[r[0], r[1], r[2], a[3]] if r == b else r for r in rows])
    assert "(5)" in rules(case, out)


def test_rule_6_a_teacher_of_another_subject(copy):
    case, out = copy
    edit(out / "classes.csv", lambda h, rows: [r[:4] + ["T3"] if r[1] == "yw" else r for r in rows])
    assert "(6)" in rules(case, out)


def test_rule_6_a_lesson_in_the_teachers_unavailable_slot(copy):
    case, out = copy
    cls = classes(out)
    cid, d, p, _ = lessons(out)[0]
    t = cls[cid][4]
    edit(case / "teachers.csv", lambda h, rows: [[r[0], r[1], r[2], f"{d}:{p}"] if r[0] == t else r for r in rows])
    assert "(6)" in rules(case, out)


def test_rule_6_a_teacher_over_max_periods(copy):
    case, out = copy
    edit(case / "teachers.csv", lambda h, rows: [[r[0], r[1], "1", r[3]] for r in rows])
    assert "(6)" in rules(case, out)


def test_rule_7_a_home_lesson_outside_the_home_room(copy):
    case, out = copy
    edit(out / "timetable.csv", lambda h, rows: [[r[0], r[1], r[2], "R3"] if r[0].endswith("-yw") else r for r in rows])
    assert "(7)" in rules(case, out)


def test_rule_7_a_lab_subject_in_an_ordinary_room(copy):
    case, out = copy
    edit(out / "timetable.csv", lambda h, rows: [[r[0], r[1], r[2], "R3"] if r[0].startswith("wl-X") else r for r in rows])
    assert "(7)" in rules(case, out)


def test_header_names_are_the_contract(copy):
    case, out = copy
    assert read_rows(case / "students.csv")[0] == HEADERS["students.csv"]
