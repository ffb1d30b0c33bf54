"""Reading CSV files: the three encodings Chinese spreadsheet software writes, and CSV's own pitfalls."""

from __future__ import annotations

import csv
import io

import pytest

from gaozhong.common.errors import InputError, Problem
from gaozhong.importer import read_csv, read_table

from ._support import HEADERS, STUDENTS, as_text, students


def csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def problems_of(data: bytes, name="students.csv", **kw) -> list[Problem]:
    with pytest.raises(InputError) as info:
        read_table(data, STUDENTS, name=name, **kw)
    return info.value.problems


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_the_three_encodings_read_to_the_same_values(tmp_path, encoding):
    truth = students(30, seed=11)
    text = csv_text([HEADERS] + [as_text(s) for s in truth])
    path = tmp_path / "students.csv"
    path.write_bytes(text.encode(encoding))
    result = read_table(path, STUDENTS)
    assert [r.values for r in result.rows] == truth
    assert [r.line for r in result.rows] == list(range(2, 32))
    assert result.source == "students.csv"
    assert result.labels["id_number"] == "身份证号"  # a CSV has no column letters


def test_gb18030_file_is_really_not_utf8():
    text = csv_text([HEADERS] + [as_text(s) for s in students(2)])
    data = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert len(read_csv(data, STUDENTS, name="s.csv")) == 2


def test_undecodable_bytes_are_an_input_error():
    got = problems_of(b"\xff\xfe\x00a,b\r\n")
    assert len(got) == 1 and got[0].file == "students.csv" and "编码" in got[0].reason


def test_ids_that_excel_turned_into_numbers_when_saving_csv_are_errors():
    truth = students(3)
    rows = [HEADERS] + [as_text(s) for s in truth]
    rows[1][1] = "1.40522E+17"
    rows[3][0] = "140522200501011000.00"
    got = problems_of(csv_text(rows).encode())
    assert [(p.file, p.line, p.column) for p in got] == [("students.csv", 2, "身份证号"), ("students.csv", 4, "学籍号")]
    assert "科学计数法" in got[0].reason and "小数点" in got[1].reason


def test_quoted_cells_with_line_breaks_count_as_one_row():
    truth = students(3)
    truth[0]["class_name"] = "高一\n3班"
    rows = [HEADERS] + [as_text(s) for s in truth]
    rows[3][7] = "twenty"
    data = csv_text(rows).encode()
    got = problems_of(data)
    assert [(p.line, p.column) for p in got] == [(4, "入学年份")]  # the record number, not the text line
    rows[3][7] = "2023"
    result = read_table(csv_text(rows).encode(), STUDENTS, name="s.csv")
    assert [r.values for r in result.rows] == truth


def test_short_records_are_blank_at_the_end_long_records_are_an_error():
    truth = students(3)
    rows = [HEADERS] + [as_text(s) for s in truth]
    rows[1] = rows[1][:8]  # boarding and score left out: optional, read as blank
    rows[2] = rows[2] + ["", ""]  # trailing empty fields are harmless
    rows[3] = rows[3] + ["", "多余"]
    got = problems_of(csv_text(rows).encode())
    assert got == [Problem("students.csv", 4, "第 12 列 (column 12)", got[0].reason)]
    del rows[3]
    result = read_table(csv_text(rows).encode(), STUDENTS, name="s.csv")
    assert result.rows[0]["boarding"] is None and result.rows[0]["score"] is None
    assert result.rows[1].values == truth[1]


def test_blank_records_are_skipped_and_reported():
    truth = students(2)
    text = csv_text([HEADERS, as_text(truth[0]), [""] * 10, as_text(truth[1])]) + "\r\n,,,\r\n\r\n"
    result = read_table(text.encode(), STUDENTS, name="s.csv")
    assert [r.values for r in result.rows] == truth
    assert result.blank_lines == (3,)
    assert result.trailing_blank_rows == 3  # an empty line, ",,," and another empty line


@pytest.mark.parametrize("sep", ["\t", ";", "，"])
def test_a_file_with_another_separator_gets_a_hint(sep):
    text = sep.join(HEADERS) + "\r\n" + sep.join(as_text(students(1)[0])) + "\r\n"
    got = problems_of(text.encode())
    assert any("分隔符" in p.reason for p in got)
    assert all(p.line == 1 for p in got)


def test_malformed_quoting_is_reported_with_its_row():
    truth = students(2)
    text = csv_text([HEADERS, as_text(truth[0])]) + '"G1","x"y,\r\n'
    got = problems_of(text.encode())
    assert got[-1].line == 3 and "CSV" in got[-1].reason


def test_empty_file_and_header_only_file():
    empty = [Problem("students.csv", 1, None, "文件为空，没有表头 (empty file: no header line)")]  # the platform's CSV reader
    assert problems_of(b"") == empty
    assert problems_of("\ufeff".encode()) == empty
    assert problems_of(b"\r\n\r\n") == empty
    got = problems_of(csv_text([HEADERS]).encode("utf-8-sig"))
    assert got == [Problem("students.csv", None, None, "没有数据行 (the file has a header but no data rows)")]


def test_bom_does_not_become_part_of_the_first_header():
    truth = students(1)
    data = csv_text([HEADERS] + [as_text(truth[0])]).encode("utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    result = read_table(data, STUDENTS, name="s.csv")
    assert result.present[0] == "student_no" and result.labels["student_no"] == "学籍号"


def test_bare_cr_line_ends_read():
    truth = students(2)
    text = csv_text([HEADERS] + [as_text(s) for s in truth]).replace("\r\n", "\r")
    assert [r.values for r in read_table(text.encode(), STUDENTS, name="s.csv").rows] == truth


def test_missing_and_duplicate_columns_in_csv():
    truth = students(2)
    rows = [[h for h in HEADERS if h != "性别"] + ["Name"]]
    rows += [[v for h, v in zip(HEADERS, as_text(s)) if h != "性别"] + [s["name"]] for s in truth]
    got = problems_of(csv_text(rows).encode())
    assert [(p.line, p.column) for p in got] == [(1, "Name"), (1, "性别")]
    assert "缺少必填列" in got[1].reason and "姓名" in got[0].reason


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b"])
def test_control_characters_in_text_are_reported(char):
    truth = students(1)
    row = as_text(truth[0])
    row[2] = "王" + char + "明"
    got = problems_of(csv_text([HEADERS, row]).encode())
    assert [(p.line, p.column) for p in got] == [(2, "姓名")]
    assert f"U+{ord(char):04X}" in got[0].reason
