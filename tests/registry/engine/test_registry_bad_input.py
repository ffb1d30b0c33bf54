"""Bad input: exit 2, every problem on stderr with file, line (header = 1), column and reason, nothing written.

Each test starts from a good case, breaks one thing, and checks the exact location reported and that an
existing OUT.csv is left byte-identical (and no temporary file is left beside it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gaozhong.registry.cli import main

from .cases import Case, make_id

OLD = b"an OUT.csv from an earlier run\n\xe5\x9c\xa8\xe7\xb1\x8d\n"


def good_case() -> Case:
    c = Case()
    for i, school in enumerate(["S01", "S01", "S02", "S03"]):
        c.student(f"G{i}", school, id_number=make_id(seq=f"{i:03d}"))
        c.attendance.append((f"G{i}", school, "2025-2", 80))
        c.exams.append((f"G{i}", school, "E1", "2025-2"))
    c.transfers.append(("G1", "S01", "S02", "2025-03-01"))
    return c


@pytest.fixture
def refuse(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """Run on a bad case; assert exit 2, nothing on stdout and an untouched OUT.csv; return stderr's lines."""

    def run(case_dir: Path, *extra: str) -> list[str]:
        out = tmp_path / "out" / "OUT.csv"
        out.parent.mkdir(exist_ok=True)
        out.write_bytes(OLD)
        capsys.readouterr()
        assert main(["check", str(case_dir), "--out", str(out), *extra]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert out.read_bytes() == OLD
        assert sorted(p.name for p in out.parent.iterdir()) == ["OUT.csv"]
        err = captured.err.strip().splitlines()
        assert err, "a refusal must say why"
        return err

    return run


def write_and_edit(tmp_path: Path, name: str, edit) -> Path:
    case_dir = good_case().write(tmp_path / "case")
    path = case_dir / name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return case_dir


def test_the_good_case_is_accepted(tmp_path: Path) -> None:
    assert main(["check", str(good_case().write(tmp_path / "case")), "--out", str(tmp_path / "OUT.csv")]) == 0


@pytest.mark.parametrize("name", ["registry.csv", "attendance.csv", "exams.csv", "transfers.csv", "terms.toml"])
def test_missing_file(tmp_path: Path, refuse, name: str) -> None:
    case_dir = good_case().write(tmp_path / "case")
    (case_dir / name).unlink()
    assert refuse(case_dir) == [f"{name}: 文件不存在 (file not found)"]


def test_missing_directory(tmp_path: Path, refuse) -> None:
    err = refuse(tmp_path / "nowhere")
    assert err == [f"{tmp_path / 'nowhere'}: 目录不存在 (directory not found)"]


def test_all_missing_files_are_listed_at_once(tmp_path: Path, refuse) -> None:
    case_dir = good_case().write(tmp_path / "case")
    (case_dir / "exams.csv").unlink()
    (case_dir / "terms.toml").unlink()
    err = refuse(case_dir)
    assert [e.split(":")[0] for e in err] == ["exams.csv", "terms.toml"]


def test_missing_column(tmp_path: Path, refuse) -> None:
    case_dir = write_and_edit(tmp_path, "registry.csv", lambda t: t.replace(",status", ",state", 1))
    err = refuse(case_dir)
    assert len(err) == 1 and err[0].startswith("registry.csv:1: column status: 缺少必需的列")


def test_column_with_spaces_is_named(tmp_path: Path, refuse) -> None:
    case_dir = write_and_edit(tmp_path, "attendance.csv", lambda t: t.replace(",days_present", ", days_present", 1))
    err = refuse(case_dir)
    assert err[0].startswith("attendance.csv:1: column days_present: 缺少必需的列；表头中有 “ days_present”")


def test_repeated_column(tmp_path: Path, refuse) -> None:
    def twice(text: str) -> str:
        return text.replace("term\n", "term,term\n", 1).replace("2025-2\n", "2025-2,2025-2\n")

    case_dir = write_and_edit(tmp_path, "exams.csv", twice)
    assert refuse(case_dir) == ["exams.csv:1: column term: 列名重复 (column appears twice in the header)"]


@pytest.mark.parametrize("bad", ["2025-02-30", "2025/03/01", "2025-3-1", "20250301", "2025-13-01", "0000-01-01"])
def test_malformed_date(tmp_path: Path, refuse, bad: str) -> None:
    case_dir = write_and_edit(tmp_path, "transfers.csv", lambda t: t.replace("2025-03-01", bad))
    err = refuse(case_dir)
    assert err == [f"transfers.csv:2: column date: “{bad}” 不是有效日期，应为 YYYY-MM-DD (not a calendar date in ISO form YYYY-MM-DD)"]


def test_unknown_status(tmp_path: Path, refuse) -> None:
    case_dir = write_and_edit(tmp_path, "registry.csv", lambda t: t.replace("在籍\n", "借读\n", 2))
    err = refuse(case_dir)
    assert err == [
        f"registry.csv:{line}: column status: 未知的学籍状态 “借读”，应为 在籍、休学、转出、毕业 之一 (unknown status)"
        for line in (2, 3)
    ]


@pytest.mark.parametrize("bad", ["abc", "-1", "3.5", "８０", "1e3"])
def test_non_numeric_days(tmp_path: Path, refuse, bad: str) -> None:
    case_dir = write_and_edit(tmp_path, "attendance.csv", lambda t: t.replace("2025-2,80\nG2", f"2025-2,{bad}\nG2"))
    err = refuse(case_dir)
    assert err == [f"attendance.csv:3: column days_present: “{bad}” 不是非负整数天数 (not a non-negative whole number of days)"]


@pytest.mark.parametrize("bad", ["367", "99999999999999999999999"])
def test_too_many_days(tmp_path: Path, refuse, bad: str) -> None:
    case_dir = write_and_edit(tmp_path, "attendance.csv", lambda t: t.replace("2025-2,80\nG2", f"2025-2,{bad}\nG2"))
    err = refuse(case_dir)
    assert err == [f"attendance.csv:3: column days_present: “{bad}” 天超过 366 天 (more than 366 days in one term)"]


def test_empty_and_padded_values(tmp_path: Path, refuse) -> None:
    case_dir = write_and_edit(tmp_path, "exams.csv", lambda t: t.replace("G1,S01,E1", "G1,,E1").replace("G2,S02", "G2,S02 "))
    err = refuse(case_dir)
    assert err == [
        "exams.csv:3: column school_id: 值为空 (empty value)",
        "exams.csv:4: column school_id: “S02 ” 首尾有空格 (leading or trailing spaces)",
    ]


def test_repeated_student_id_names_the_first_line(tmp_path: Path, refuse) -> None:
    case = good_case()
    case.student("G1", "S04", id_number=make_id(seq="901"))
    assert refuse(case.write(tmp_path / "case")) == ["registry.csv:6: 学籍号重复，与第 3 行相同 (duplicate of line 3)"]


@pytest.mark.parametrize("name", ["attendance.csv", "exams.csv", "transfers.csv"])
def test_student_not_in_registry(tmp_path: Path, refuse, name: str) -> None:
    case_dir = write_and_edit(tmp_path, name, lambda t: t.replace("\nG1,", "\nX9,"))
    line = 2 if name == "transfers.csv" else 3  # G1 is the only transfer, and the second attendance/exam row
    assert refuse(case_dir) == [
        f"{name}:{line}: column student_id: 学籍号 “X9” 不在 registry.csv 中 (student not in registry.csv)"
    ]


def test_repeated_attendance_and_transfer_rows(tmp_path: Path, refuse) -> None:
    case = good_case()
    case.attendance.append(("G0", "S01", "2025-2", 3))
    case.attendance.append(("G0", "S01", "2025-1", 3))  # another term: fine
    case.transfers.append(("G1", "S01", "S02", "2025-03-01"))
    case.transfers.append(("G1", "S01", "S02", "2025-03-02"))  # another day: fine
    err = refuse(case.write(tmp_path / "case"))
    assert err == [
        "attendance.csv:6: 同一学生、学校、学期的出勤重复，与第 2 行相同 (duplicate of line 2)",
        "transfers.csv:3: 转学记录重复，与第 2 行相同 (duplicate of line 2)",
    ]


def test_transfer_to_the_same_school(tmp_path: Path, refuse) -> None:
    case_dir = write_and_edit(tmp_path, "transfers.csv", lambda t: t.replace("S01,S02", "S01,S01"))
    assert refuse(case_dir) == [
        "transfers.csv:2: column to_school_id: 转入学校与转出学校相同 “S01” (from and to school are the same)"
    ]


def test_rows_with_too_many_or_too_few_fields(tmp_path: Path, refuse) -> None:
    long_dir = write_and_edit(tmp_path, "attendance.csv", lambda t: t.replace("G2,S02,2025-2,80", "G2,S02,2025-2,80,9"))
    assert refuse(long_dir) == ["attendance.csv:4: 该行有 5 个字段，表头只有 4 个 (row has 5 fields, header has 4)"]
    short_dir = write_and_edit(tmp_path, "attendance.csv", lambda t: t.replace("G2,S02,2025-2,80", "G2,S02"))
    assert refuse(short_dir) == ["attendance.csv:4: 该行只有 2 个字段，表头有 4 个 (row has 2 fields, header has 4)"]


def test_line_numbers_count_blank_lines_and_quoted_line_breaks(tmp_path: Path, refuse) -> None:
    case_dir = good_case().write(tmp_path / "case")
    registry = case_dir / "registry.csv"
    lines = registry.read_text(encoding="utf-8").splitlines()
    # Line 2's name spans two lines; a blank line follows; the bad status is then on line 6.
    lines[1] = lines[1].replace("王小明", '"王\n小明"')
    lines.insert(2, "")
    lines[4] = lines[4].replace("在籍", "在校")
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = refuse(case_dir)
    assert err == [f"registry.csv:6: column status: 未知的学籍状态 “在校”，应为 在籍、休学、转出、毕业 之一 (unknown status)"]


def test_every_problem_in_every_file_is_listed(tmp_path: Path, refuse) -> None:
    case = good_case()
    case.registry[0] = ("G0", "x", "王小明", "S01", "高一", "在读")
    case.attendance.append(("G1", "S01", "2025-1", "七十"))
    case.transfers.append(("G2", "S02", "S03", "2025-02-29"))
    err = refuse(case.write(tmp_path / "case"))
    assert [e.split(": ")[0] + " " + e.split(": ")[1] for e in err] == [
        "registry.csv:2 column status",
        "attendance.csv:6 column days_present",
        "transfers.csv:3 column date",
    ]


def test_a_flood_of_problems_is_counted_not_hidden(tmp_path: Path, refuse) -> None:
    case = good_case()
    for i in range(500):
        case.attendance.append(("G0", "S01", f"T{i}", "x"))
    err = refuse(case.write(tmp_path / "case"))
    assert len(err) == 201 and err[-1] == "(all files): 300 more problems not listed"


def test_undecodable_and_empty_files(tmp_path: Path, refuse) -> None:
    case_dir = good_case().write(tmp_path / "case")
    (case_dir / "exams.csv").write_bytes(b"student_id,school_id,exam_id,term\n\xff\xfe\xff,S01,E1,2025-2\n")
    err = refuse(case_dir)
    assert len(err) == 1 and err[0].startswith("exams.csv: 文件编码不是 UTF-8 或 GB18030")
    (case_dir / "exams.csv").write_bytes(b"")
    assert refuse(case_dir) == ["exams.csv:1: 文件为空，没有表头 (empty file: no header line)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'current = "2025-3"\nterms = ["2025-1", "2025-2"]\n',
            "terms.toml:1: column current: 当前学期 “2025-3” 不在 terms 中 (current term not in terms)",
        ),
        ('terms = ["2025-1"]\n', "terms.toml: column current: 缺少当前学期 (key missing)"),
        ('current = "2025-1"\nterms = []\n', "terms.toml:2: column terms: 应为非空的学期名称列表 (must be a non-empty list of term names)"),
        ('current = "2025-1"\nterms = ["2025-1", "2025-1"]\n', "terms.toml:2: column terms: 学期 “2025-1” 重复 (term listed twice)"),
        ('current = "2025-1"\nterms = ["2025-1"]\nterm = "x"\n', "terms.toml:3: column term: 未知的键，只允许 current 和 terms (unknown key)"),
        ('current = "2025-1\nterms = ["2025-1"]\n', "terms.toml:1: 不是有效的 TOML"),
    ],
)
def test_bad_terms_file(tmp_path: Path, refuse, text: str, expected: str) -> None:
    case_dir = good_case().write(tmp_path / "case")
    (case_dir / "terms.toml").write_text(text, encoding="utf-8")
    err = refuse(case_dir)
    assert len(err) == 1 and err[0].startswith(expected)


@pytest.mark.parametrize(
    "extra",
    [["--bulk-threshold", "1"], ["--bulk-window-days", "0"], ["--bulk-threshold", "ten"], ["--unknown"]],
)
def test_bad_arguments(tmp_path: Path, refuse, extra: list[str]) -> None:
    err = refuse(good_case().write(tmp_path / "case"), *extra)
    assert err[0].startswith("gaozhong registry")


def test_out_missing_or_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case_dir = good_case().write(tmp_path / "case")
    assert main(["check", str(case_dir)]) == 2
    assert "--out" in capsys.readouterr().err
    assert main(["check", str(case_dir), "--out", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("blank", ["\n", ",,,,,\n", " ,\t,\u3000, , ,\n"])
def test_blank_records_are_skipped_and_later_lines_keep_their_numbers(tmp_path: Path, refuse, encoding: str, blank: str) -> None:
    """The platform's CSV rule: a record of empty or space-only fields carries no data, wherever it is."""
    plain = good_case().write(tmp_path / "plain")
    assert main(["check", str(plain), "--out", str(tmp_path / "plain.csv")]) == 0
    gappy = good_case().write(tmp_path / "gappy")
    for name in ("registry.csv", "attendance.csv"):
        path = gappy / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_bytes((lines[0] + blank + "".join(line + blank for line in lines[1:]) + blank).encode(encoding))
    assert main(["check", str(gappy), "--out", str(tmp_path / "gappy.csv")]) == 0
    assert (tmp_path / "gappy.csv").read_bytes() == (tmp_path / "plain.csv").read_bytes()
    path = gappy / "registry.csv"
    path.write_bytes(path.read_bytes().replace("在籍".encode(encoding), "在校".encode(encoding), 1))
    assert refuse(gappy) == ["registry.csv:3: column status: 未知的学籍状态 “在校”，应为 在籍、休学、转出、毕业 之一 (unknown status)"]
