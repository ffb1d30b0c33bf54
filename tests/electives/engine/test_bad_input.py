"""Bad input to ``gaozhong timetable solve``: exit 2, every problem named by file, line (header = line 1),
column and reason, and an existing OUT left byte for byte as it was. Issue 7 §1, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import read_rows, run, snapshot, tiny_case, write_csv


@pytest.fixture
def case(tmp_path) -> Path:
    return tiny_case(tmp_path / "case")


@pytest.fixture
def out(tmp_path) -> Path:
    o = tmp_path / "out"
    o.mkdir()
    (o / "classes.csv").write_text("class_id,subject_id,kind,admin_class_id,teacher_id\nold,yw,core,A1,T1\n", encoding="utf-8")
    (o / "timetable.csv").write_bytes(b"old bytes\r\n")
    return o


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    header, rows = read_rows(path)
    rows[line - 2][header.index(column)] = value
    write_csv(path, header, rows)


def refused(case: Path, out: Path) -> str:
    before = snapshot(out)
    code, stdout, stderr = run(["solve", str(case), "--out", str(out)])
    assert code == 2, (stdout, stderr)
    assert snapshot(out) == before
    return stderr


CELL_CASES = [
    ("students.csv", 3, "admin_class_id", "A9", "不在 admin_classes.csv"),
    ("students.csv", 4, "electives", "wl;wl", "选了两次"),
    ("students.csv", 5, "electives", "wl;sw", "未知科目 “sw”"),
    ("students.csv", 6, "electives", "wl;yw", "是必修科目"),
    ("students.csv", 7, "student_id", "S00", "重复"),
    ("subjects.csv", 2, "periods", "x", "不是整数"),
    ("subjects.csv", 3, "periods", "-2", "≥ 1"),
    ("subjects.csv", 4, "max_class_size", "3.5", "不是整数"),
    ("subjects.csv", 5, "room_type", "gym", "不在 rooms.csv"),
    ("subjects.csv", 6, "track", "optional", "core 或 elective"),
    ("subjects.csv", 4, "xuekao_periods", "-1", "非负整数"),
    ("subjects.csv", 4, "room_type", "home", "选考科目不能用 home"),
    ("subjects.csv", 3, "subject_id", "yw", "重复"),
    ("teachers.csv", 2, "subjects", "yw;zz", "未知科目 “zz”"),
    ("teachers.csv", 3, "max_periods", "-1", "非负整数"),
    ("teachers.csv", 4, "unavailable", "6:1", "超出日历"),
    ("teachers.csv", 5, "unavailable", "1-1", "天:节"),
    ("teachers.csv", 6, "teacher_id", "T1", "重复"),
    ("rooms.csv", 2, "capacity", "many", "不是整数"),
    ("rooms.csv", 3, "room_id", "R1", "重复"),
    ("admin_classes.csv", 2, "home_room_id", "R9", "不在 rooms.csv"),
    ("admin_classes.csv", 3, "admin_class_id", "A1", "重复"),
]


@pytest.mark.parametrize("name,line,column,value,reason", CELL_CASES, ids=[f"{c[0]}:{c[1]}:{c[2]}" for c in CELL_CASES])
def test_a_bad_cell_is_named_by_file_line_and_column(case, out, name, line, column, value, reason):
    set_cell(case / name, line, column, value)
    err = refused(case, out)
    wanted = [ln for ln in err.splitlines() if ln.startswith(f"{name}:{line}: column {column}: ")]
    assert wanted, err
    assert any(reason in ln for ln in wanted), err


def test_a_missing_column_is_named(case, out):
    header, rows = read_rows(case / "rooms.csv")
    write_csv(case / "rooms.csv", header[:2], [r[:2] for r in rows])
    err = refused(case, out)
    assert "rooms.csv:1: column capacity: 缺少此列 (missing column)" in err


def test_an_unknown_column_is_named(case, out):
    header, rows = read_rows(case / "teachers.csv")
    write_csv(case / "teachers.csv", header + ["姓名"], [r + ["张"] for r in rows])
    err = refused(case, out)
    assert "teachers.csv:1: column 姓名: 未知列" in err


def test_a_short_row_is_named_by_line(case, out):
    p = case / "students.csv"
    p.write_text(p.read_text(encoding="utf-8") + "S99,A1\n", encoding="utf-8")
    err = refused(case, out)
    assert "students.csv:42: 有 2 个字段" in err


def test_a_slot_outside_the_calendar_in_blocked(tmp_path, out):
    case = tiny_case(tmp_path / "case", blocked='["3:6", "3:9"]')
    err = refused(case, out)
    assert "calendar.toml:3: column blocked: 课时 “3:9” 超出日历" in err


def test_calendar_missing_key_and_bad_number(tmp_path, out):
    case = tiny_case(tmp_path / "case")
    (case / "calendar.toml").write_text('days = 5\nperiods_per_day = "eight"\nblocked = []\n', encoding="utf-8")
    err = refused(case, out)
    assert "calendar.toml: column max_lessons_per_class_per_day: 缺少此键" in err
    assert "calendar.toml:2: column periods_per_day:" in err


def test_calendar_syntax_error(tmp_path, out):
    case = tiny_case(tmp_path / "case")
    (case / "calendar.toml").write_text("days = 5\nperiods_per_day = \n", encoding="utf-8")
    assert "calendar.toml:2: TOML 语法错误" in refused(case, out)


def test_a_missing_file_is_named(case, out):
    (case / "rooms.csv").unlink()
    assert "rooms.csv: 文件不存在 (file not found)" in refused(case, out)


def test_every_problem_is_listed_at_once(case, out):
    set_cell(case / "students.csv", 2, "electives", "wl;wl")
    set_cell(case / "teachers.csv", 2, "max_periods", "ten")
    err = refused(case, out)
    assert "students.csv:2: column electives" in err and "teachers.csv:2: column max_periods" in err


def test_a_missing_case_directory(tmp_path, out):
    assert "不是目录" in refused(tmp_path / "nope", out)


def test_bad_arguments_exit_2_without_writing(case, out):
    before = snapshot(out)
    assert run(["solve", str(case), "--out", str(out), "--time-limit", "0"])[0] == 2
    assert run(["solve", str(case)])[0] == 2
    assert run(["nonsense"])[0] == 2
    assert snapshot(out) == before


def test_blank_records_are_skipped_and_later_lines_keep_their_numbers(case, out):
    """The platform's CSV rule: a record of empty or space-only fields is skipped wherever it is."""
    path = case / "subjects.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    third = lines[2].rstrip("\n").split(",")
    third[lines[0].rstrip("\n").split(",").index("periods")] = "x"
    path.write_text(lines[0] + "\n" + lines[1] + ",,,,,,\n \t, \u3000\n" + ",".join(third) + "\n" + "".join(lines[3:]) + "\n\n",
                    encoding="utf-8")
    err = refused(case, out)
    mine = [line for line in err.splitlines() if line.startswith("subjects.csv")]
    assert len(mine) == 1 and mine[0].startswith("subjects.csv:6: column periods:")  # line 3 without the blank records
