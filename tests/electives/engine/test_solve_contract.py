"""Contract of ``gaozhong timetable solve`` on generated schools: files, columns, hard rules via the independent
checker, the printed summary, determinism and replacing OUT. Rules: issue 7 §1 hard rules (1)–(7)."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest

from ..checker import check
from ..schoolgen import School
from .helpers import read_rows, run, snapshot, tiny_case


@pytest.fixture(scope="module")
def school(tmp_path_factory) -> tuple[Path, Path, str]:
    """A 150-student 3+1+2 school (3 admin classes, chemistry in labs), solved once for the module."""
    base = tmp_path_factory.mktemp("school")
    case = base / "case"
    School(150, seed=7, admin_size=50).write(case)
    out = base / "out"
    code, stdout, stderr = run(["solve", str(case), "--out", str(out), "--time-limit", "60", "--seed", "3"])
    assert code == 0, stderr
    return case, out, stdout


def test_it_writes_the_three_files_with_the_contract_columns(school):
    case, out, _ = school
    assert sorted(p.name for p in out.iterdir()) == ["classes.csv", "enrolments.csv", "timetable.csv"]
    assert read_rows(out / "classes.csv")[0] == ["class_id", "subject_id", "kind", "admin_class_id", "teacher_id"]
    assert read_rows(out / "enrolments.csv")[0] == ["student_id", "class_id"]
    assert read_rows(out / "timetable.csv")[0] == ["class_id", "day", "period", "room_id"]


def test_the_timetable_meets_every_hard_rule(school):
    case, out, _ = school
    assert check(case, out) == []


def test_core_classes_have_an_admin_class_and_teaching_classes_none(school):
    _, out, _ = school
    _, rows = read_rows(out / "classes.csv")
    kinds = Counter(r[2] for r in rows)
    assert set(kinds) == {"core", "xuanke", "xuekao"}
    for r in rows:
        assert (r[3] != "") == (r[2] == "core")


def test_the_summary_states_classes_against_the_lower_bound(school):
    case, out, stdout = school
    _, rows = read_rows(out / "classes.csv")
    teaching = sum(1 for r in rows if r[2] != "core")
    # LB computed here from the case files, independently of the engine.
    _, students = read_rows(case / "students.csv")
    _, subjects = read_rows(case / "subjects.csv")
    lb = 0
    for sid, _, track, _, xk, _, cap in subjects:
        if track != "elective":
            continue
        chose = sum(1 for s in students if sid in s[2].split(";"))
        lb += math.ceil(chose / int(cap)) + (math.ceil((len(students) - chose) / int(cap)) if int(xk or 0) else 0)
    first = stdout.splitlines()[0]
    assert f"教学班 (teaching classes): {teaching}, 下界 LB {lb} " in first
    assert teaching <= math.floor(lb * 1.03) + 1
    assert "班额 (size)" in stdout


def test_the_same_seed_gives_the_same_files(tmp_path):
    case = tiny_case(tmp_path / "case")
    a, b = tmp_path / "a", tmp_path / "b"
    assert run(["solve", str(case), "--out", str(a), "--seed", "5", "--time-limit", "60"])[0] == 0
    assert run(["solve", str(case), "--out", str(b), "--seed", "5", "--time-limit", "60"])[0] == 0
    assert snapshot(a) == snapshot(b)
    assert check(case, a) == []


def test_a_successful_run_replaces_the_three_files_and_keeps_others(tmp_path):
    case = tiny_case(tmp_path / "case")
    out = tmp_path / "out"
    out.mkdir()
    (out / "classes.csv").write_text("old\n", encoding="utf-8")
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert run(["solve", str(case), "--out", str(out), "--time-limit", "60"])[0] == 0
    assert (out / "classes.csv").read_text(encoding="utf-8").startswith("class_id,")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert check(case, out) == []


def test_a_gb18030_case_with_bom_free_chinese_names_solves(tmp_path):
    case = tiny_case(tmp_path / "case")
    p = case / "subjects.csv"
    p.write_bytes(p.read_text(encoding="utf-8").encode("gb18030"))
    out = tmp_path / "out"
    code, stdout, stderr = run(["solve", str(case), "--out", str(out), "--time-limit", "60"])
    assert code == 0, stderr
    assert "物理 wl" in stdout
    assert check(case, out) == []


def test_students_of_an_admin_class_sharing_electives_stay_together(tmp_path):
    """定二走一 school: each admin class chose the same pair, so no teaching class needs two admin classes' students
    for a fixed subject beyond the lower bound."""
    students = [(f"S{i:02d}", "A1", "wl;hx") for i in range(20)] + [(f"T{i:02d}", "A2", "ls;hx") for i in range(20)]
    case = tiny_case(tmp_path / "case", students=students)
    out = tmp_path / "out"
    code, stdout, stderr = run(["solve", str(case), "--out", str(out), "--time-limit", "60"])
    assert code == 0, stderr
    assert check(case, out) == []
    assert "+0," in stdout.splitlines()[0]


def test_the_summary_sizes_match_the_files(school):
    case, out, stdout = school
    _, rows = read_rows(out / "classes.csv")
    _, enrol = read_rows(out / "enrolments.csv")
    size = Counter(c for _, c in enrol)
    per: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        if r[2] != "core":
            per.setdefault((r[1], r[2]), []).append(size[r[0]])
    for (sid, kind), v in per.items():
        word = "选考" if kind == "xuanke" else "学考"
        line = next(ln for ln in stdout.splitlines() if f" {sid} {word} ({kind}):" in ln)
        assert f": {len(v)} 班 (classes)," in line and f"班额 (size) {min(v)}–{max(v)}" in line
    assert f"最大 (max) {max(max(v) - min(v) for v in per.values())}" in stdout


def test_too_short_a_time_limit_says_no_timetable_and_writes_nothing(tmp_path):
    case = tmp_path / "case"
    School(600, seed=2).write(case)
    out = tmp_path / "out"
    code, stdout, stderr = run(["solve", str(case), "--out", str(out), "--time-limit", "0.3"])
    assert code == 1
    assert "未找到课表 (no timetable)" in stderr and "0.3" in stderr
    assert not out.exists()


def test_a_generated_school_solves_the_same_twice_with_one_seed(school, tmp_path):
    case, out, _ = school
    again = tmp_path / "again"
    assert run(["solve", str(case), "--out", str(again), "--time-limit", "60", "--seed", "3"])[0] == 0
    assert snapshot(again) == snapshot(out)
