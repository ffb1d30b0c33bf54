"""The downloadable template: its layout, and that a template filled in as a clerk would imports cleanly."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from gaozhong.common.errors import InputError
from gaozhong.importer import build_template, read_table, template_filename, write_template
from gaozhong.importer.spec import TEMPLATE_HELP_SHEET

from ._support import HEADERS, STUDENTS, as_cells, students


@pytest.fixture()
def template(tmp_path):
    path = tmp_path / template_filename(STUDENTS)
    write_template(path, STUDENTS)
    return path


def test_file_name():
    assert template_filename(STUDENTS) == "学生导入模板.xlsx"


def test_layout_header_example_frozen_and_help_sheet(template):
    wb = load_workbook(template)
    assert wb.sheetnames == ["学生", TEMPLATE_HELP_SHEET]
    ws = wb["学生"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 2
    example = {c.key: cell for c, cell in zip(STUDENTS.columns, ws[2])}
    assert example["id_number"].value == "110105200803150010" and example["id_number"].data_type == "s"
    assert example["student_no"].value == "G110105200803150010"
    assert example["gender"].value == "男"
    assert example["boarding"].value == "是"
    assert example["birth_date"].value == datetime(2008, 3, 15) and example["birth_date"].is_date
    assert example["entry_year"].value == 2023 and example["entry_year"].data_type == "n"
    assert example["score"].value == 612.5


def test_identifier_columns_are_formatted_as_text(template):
    ws = load_workbook(template)["学生"]
    for i, col in enumerate(STUDENTS.columns):
        letter = "ABCDEFGHIJ"[i]
        fmt = ws.column_dimensions[letter].number_format
        if col.is_text_kept:
            assert fmt == "@", col.key
            assert ws[f"{letter}2"].number_format == "@"
        elif col.type == "date":
            assert fmt == "yyyy-mm-dd"
        elif col.type in ("integer", "decimal"):
            assert fmt == "General"


def test_choice_and_yes_no_columns_have_drop_down_lists(template):
    ws = load_workbook(template)["学生"]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists == {"D2:D1048576": '"男,女"', "I2:I1048576": '"是,否"'}


def test_help_sheet_describes_every_column(template):
    ws = load_workbook(template)[TEMPLATE_HELP_SHEET]
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    assert [r[0] for r in rows] == HEADERS
    by_header = {r[0]: r for r in rows}
    assert by_header["身份证号"][1] == "ID number"
    assert "身份证号" in by_header["身份证号"][2]
    assert by_header["身份证号"][3].startswith("是") and by_header["班级"][3].startswith("否")
    assert by_header["身份证号"][4].startswith("是") and by_header["姓名"][4].startswith("否")
    assert "男、女" in by_header["性别"][5] and "M、F" in by_header["性别"][5]
    assert "≥ 1990-01-01" in by_header["出生日期"][5] and "≤ 2020-12-31" in by_header["出生日期"][5]
    assert "最多 1 位小数" in by_header["中考成绩"][5]
    assert "S 加两位数字" in by_header["学校代码"][5]
    assert by_header["性别"][6] == "男" and by_header["出生日期"][6] == "2008-03-15"
    assert by_header["学籍号"][7] == "全国学籍号，G 加身份证号"


def test_the_untouched_template_is_refused_for_its_example_row(template):
    with pytest.raises(InputError) as info:
        read_table(template, STUDENTS)
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.column) == (f"{template.name}[学生]", 2, None)
    assert "示例行" in problem.reason


def test_a_filled_in_template_imports_cleanly(template, tmp_path):
    """What a clerk does: overwrite the example row, type more rows below; ids go into the text-formatted cells."""
    truth = students(25, seed=5)
    wb = load_workbook(template)
    ws = wb["学生"]
    for r, s in enumerate(truth, start=2):
        for c, value in enumerate(as_cells(s), start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if STUDENTS.columns[c - 1].is_text_kept:
                cell.number_format = "@"  # Excel carries the column's format to new cells
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    result = read_table(filled, STUDENTS)
    assert [r.values for r in result.rows] == truth


def test_a_template_with_the_example_row_deleted_imports_cleanly(template, tmp_path):
    truth = students(3, seed=9)
    wb = load_workbook(template)
    ws = wb["学生"]
    ws.delete_rows(2)
    for s in truth:
        ws.append(as_cells(s))
    filled = tmp_path / "deleted.xlsx"
    wb.save(filled)
    assert [r.values for r in read_table(filled, STUDENTS).rows] == truth


def test_build_template_bytes_equal_content_and_write_is_atomic(tmp_path, monkeypatch):
    data = build_template(STUDENTS)
    assert data[:4] == b"PK\x03\x04"
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"previous")
    import gaozhong.importer.templates as templates

    def broken(spec, fh):
        fh.write(b"half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(templates, "_write", broken)
    with pytest.raises(RuntimeError):
        write_template(target, STUDENTS)
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


def test_template_example_values_are_the_spec_examples(template):
    ws = load_workbook(template)["学生"]
    cells = [c.value for c in ws[2]]
    expected = as_cells({c.key: c.example for c in STUDENTS.columns})
    expected[4] = datetime.combine(expected[4], datetime.min.time()) if isinstance(expected[4], date) else expected[4]
    assert cells == expected
