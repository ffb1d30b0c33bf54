"""Reading real .xlsx files written with openpyxl: values, every kind of bad cell, sheet, header and file."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from gaozhong.common.errors import InputError, Problem
from gaozhong.importer import Column, TableSpec, read_table, read_xlsx
from gaozhong.importer.readers import require_defusedxml

from ._support import HEADERS, STUDENTS, as_cells, students, write_book


def problems_of(path, spec=STUDENTS, **kw) -> list[Problem]:
    with pytest.raises(InputError) as info:
        read_table(path, spec, **kw)
    return info.value.problems


def book(tmp_path: Path, rows, name="students.xlsx", **kw) -> Path:
    return write_book(tmp_path / name, rows, **kw)


def good_rows(n=6, seed=3):
    truth = students(n, seed)
    return truth, [HEADERS] + [as_cells(s) for s in truth]


SRC = "students.xlsx[学生]"


# -- good files -----------------------------------------------------------------------------------------------
def test_a_well_made_workbook_reads_to_the_typed_values(tmp_path):
    truth, rows = good_rows(40)
    result = read_table(book(tmp_path, rows, text_columns=(0, 1, 5)), STUDENTS)
    assert [r.values for r in result.rows] == truth
    assert [r.line for r in result.rows] == list(range(2, 42))
    assert result.source == SRC
    assert result.present == STUDENTS.keys
    assert result.labels["id_number"] == "身份证号 (B)"
    assert result.labels["score"] == "中考成绩 (J)"
    assert result.blank_lines == () and result.trailing_blank_rows == 0
    assert result.rows[0]["name"] == truth[0]["name"]


def test_english_headers_in_any_order_and_case_read_the_same(tmp_path):
    truth, rows = good_rows(5)
    order = list(reversed(range(len(HEADERS))))
    english = [f"  {STUDENTS.columns[i].header_en.upper()} " for i in order]
    shuffled = [english] + [[r[i] for i in order] for r in rows[1:]]
    result = read_table(book(tmp_path, shuffled), STUDENTS)
    assert [r.values for r in result.rows] == truth
    assert result.present == tuple(reversed(STUDENTS.keys))
    assert result.labels["student_no"] == "STUDENT NUMBER (J)"


def test_optional_columns_may_be_absent_or_blank(tmp_path):
    truth, rows = good_rows(3)
    keep = [i for i, c in enumerate(STUDENTS.columns) if c.key not in ("class_name", "score")]
    rows = [[r[i] for i in keep] for r in rows]
    rows[1][keep.index(8)] = None  # boarding blank
    result = read_table(book(tmp_path, rows), STUDENTS)
    assert "class_name" not in result.present and "score" not in result.present
    assert result.rows[0]["class_name"] is None and result.rows[0]["boarding"] is None
    assert result.rows[1]["boarding"] == truth[1]["boarding"]
    assert result.label("score") == "中考成绩"  # an absent column is named by its header


def test_bytes_with_a_name_read_like_the_file(tmp_path):
    truth, rows = good_rows(3)
    data = book(tmp_path, rows).read_bytes()
    result = read_table(data, STUDENTS, name="upload.xlsx")
    assert [r.values for r in result.rows] == truth
    assert result.source == "upload.xlsx[学生]"
    with pytest.raises(ValueError):
        read_table(data, STUDENTS)


def test_string_dates_and_date_cells_both_read(tmp_path):
    truth, rows = good_rows(3)
    rows[1][4] = "2008/3/5"
    rows[2][4] = "2008-03-05"
    rows[3][4] = datetime(2008, 3, 5)
    result = read_table(book(tmp_path, rows), STUDENTS)
    assert [r["birth_date"] for r in result.rows] == [date(2008, 3, 5)] * 3


def test_a_wrong_stored_dimension_does_not_cut_rows_or_columns(tmp_path):
    truth, rows = good_rows(8)
    path = book(tmp_path, rows)
    patched = tmp_path / "dim.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:C3"', data)
                assert n == 1
            dst.writestr(item, data)
    result = read_table(patched, STUDENTS, name="students.xlsx")
    assert [r.values for r in result.rows] == truth


def test_the_sheet_can_be_chosen_by_the_caller(tmp_path):
    truth, rows = good_rows(2)
    result = read_xlsx(book(tmp_path, rows, sheet="2025级"), STUDENTS, sheet="2025级")
    assert result.source == "students.xlsx[2025级]"
    assert [r.values for r in result.rows] == truth


# -- identifier cells -----------------------------------------------------------------------------------------
def test_number_cells_and_number_text_in_identifier_columns_are_errors_naming_the_cell(tmp_path):
    truth, rows = good_rows(6)
    rows[1][1] = 1.40522200501011e17  # Excel's float for an 18-digit number
    rows[2][1] = "1.40522200501011E+17"  # the same, as text copied from Excel
    rows[3][1] = "140522200501011234.0"
    rows[4][0] = 20250001  # short number cell in 学籍号
    rows[5][5] = 1.0  # 学校代码 as a number
    got = problems_of(book(tmp_path, rows))
    assert [(p.file, p.line, p.column) for p in got] == [
        (SRC, 2, "身份证号 (B)"),
        (SRC, 3, "身份证号 (B)"),
        (SRC, 4, "身份证号 (B)"),
        (SRC, 5, "学籍号 (A)"),
        (SRC, 6, "学校代码 (F)"),
    ]
    assert "1.40522200501011E+17" in got[0].reason and "文本" in got[0].reason
    assert "科学计数法" in got[1].reason
    assert "小数点" in got[2].reason
    assert "20250001" in got[3].reason
    assert str(got[0]) == f"{SRC}:2: column 身份证号 (B): {got[0].reason}"


def test_identifier_typed_into_a_text_formatted_cell_reads_exactly(tmp_path):
    truth, rows = good_rows(2)
    rows[1][1] = "14052220050101123X"[:17] + "X"
    rows[1][1] = "110105194912310" + "02X"
    truth[0]["id_number"] = "11010519491231002X"
    result = read_table(book(tmp_path, rows, text_columns=(1,)), STUDENTS)
    assert result.rows[0]["id_number"] == "11010519491231002X"


# -- other bad cells ------------------------------------------------------------------------------------------
def test_bad_cells_of_every_type_are_all_reported_in_row_order(tmp_path):
    truth, rows = good_rows(6)
    rows[1][4] = datetime(2008, 3, 5, 14, 0)  # date with a time
    rows[1][7] = 2023.5
    rows[2][3] = "男生"
    rows[2][8] = "对"
    rows[3][9] = 612.55
    rows[3][4] = 39500  # a date typed into a General cell
    rows[4][2] = "#N/A"  # an error value (openpyxl writes it as an error cell)
    rows[5][5] = "T01"
    got = problems_of(book(tmp_path, rows))
    assert [(p.line, p.column) for p in got] == [
        (2, "出生日期 (E)"), (2, "入学年份 (H)"),
        (3, "性别 (D)"), (3, "住校 (I)"),
        (4, "出生日期 (E)"), (4, "中考成绩 (J)"),
        (5, "姓名 (C)"),
        (6, "学校代码 (F)"),
    ]
    reasons = [p.reason for p in got]
    assert "时刻" in reasons[0] and "整数" in reasons[1] and "男、女" in reasons[2]
    assert "是 或 否" in reasons[3] and "不是日期" in reasons[4] and "小数位数" in reasons[5]
    assert "#N/A" in reasons[6] and "S 加两位数字" in reasons[7]


def test_values_out_of_range_are_errors(tmp_path):
    truth, rows = good_rows(2)
    rows[1][4] = date(1989, 12, 31)
    rows[2][7] = 1999
    got = problems_of(book(tmp_path, rows))
    assert [(p.line, p.column) for p in got] == [(2, "出生日期 (E)"), (3, "入学年份 (H)")]


# -- blank rows and merged cells ------------------------------------------------------------------------------
def test_wholly_blank_rows_are_skipped_and_reported_half_rows_are_not(tmp_path):
    truth, rows = good_rows(4)
    rows.insert(3, [None] * 10)  # row 4 blank
    rows.insert(4, ["  ", None, "", None, None, None, None, None, None, None])  # row 5: whitespace only
    path = book(tmp_path, rows)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for r in (9, 10, 11):  # formatted but empty trailing rows
        wb.active.cell(row=r, column=2).number_format = "@"
    wb.save(path)
    result = read_table(path, STUDENTS)
    assert [r.values for r in result.rows] == truth
    assert [r.line for r in result.rows] == [2, 3, 6, 7]
    assert result.blank_lines == (4, 5)
    assert result.trailing_blank_rows == 4  # row 8 (absent from the file) and the formatted rows 9-11

    rows[4][2] = "李四"  # now row 5 is a half row: it must be checked, not skipped
    got = problems_of(book(tmp_path, rows, name="half.xlsx"))
    required = [c.header_zh for c in STUDENTS.columns if c.required and c.key != "name"]
    assert [(p.file, p.line) for p in got] == [("half.xlsx[学生]", 5)] * len(required)
    assert [p.column.split(" (")[0] for p in got] == required
    assert all("必填" in p.reason for p in got)


def test_merged_cells_are_an_error_naming_the_range(tmp_path):
    truth, rows = good_rows(4)
    rows[3][5] = None
    rows[4][5] = None  # school code typed once in a range F3:F5
    got = problems_of(book(tmp_path, rows, merged=["F3:F5"]))
    assert [(p.line, p.column) for p in got] == [(3, "学校代码 (F3:F5)"), (4, "学校代码 (F)"), (5, "学校代码 (F)")]
    assert "合并单元格" in got[0].reason


def test_merged_cells_in_an_optional_column_are_still_an_error(tmp_path):
    truth, rows = good_rows(3)
    rows[2][6] = None
    got = problems_of(book(tmp_path, rows, merged=["G2:G3"]))
    assert [(p.line, p.column) for p in got] == [(2, "班级 (G2:G3)")]


def test_merged_cells_beyond_the_header_are_named_by_range(tmp_path):
    truth, rows = good_rows(2)
    rows[1] = rows[1] + [None, "x"]
    got = problems_of(book(tmp_path, rows, merged=["L2:M2"]))
    assert [(p.line, p.column) for p in got] == [(2, "L2:M2"), (2, "L 列 (column L)")]


def test_a_chart_sheet_is_not_read_as_data(tmp_path):
    from openpyxl.chart import BarChart

    wb = Workbook()
    wb.active.title = "数据"
    chart = wb.create_chartsheet("学生")
    chart.add_chart(BarChart())
    path = tmp_path / "chart.xlsx"
    wb.save(path)
    got = problems_of(path)
    assert len(got) == 1 and "图表" in got[0].reason


# -- header problems ------------------------------------------------------------------------------------------
def test_missing_required_column_is_one_error_naming_it(tmp_path):
    truth, rows = good_rows(5)
    rows = [r[:1] + r[2:] for r in rows]  # drop 身份证号
    got = problems_of(book(tmp_path, rows))
    assert got == [Problem(SRC, 1, "身份证号", "缺少必填列 “身份证号” (missing required column ID number)")]


def test_unknown_extra_column_is_an_error_unless_the_spec_allows_it(tmp_path):
    truth, rows = good_rows(3)
    rows = [r + [v] for r, v in zip(rows, ["备注", "转入", None, "借读"])]
    got = problems_of(book(tmp_path, rows))
    assert [(p.line, p.column) for p in got] == [(1, "备注 (K)")]
    assert "未知的列" in got[0].reason and "身份证号" in got[0].reason

    open_spec = TableSpec(name="s", title_zh="学生", sheet_name="学生", columns=STUDENTS.columns, allow_extra_columns=True)
    result = read_table(book(tmp_path, rows, name="extra.xlsx"), open_spec)
    assert result.extra_headers == ("备注",)
    assert [r.extra for r in result.rows] == [{"备注": "转入"}, {"备注": ""}, {"备注": "借读"}]
    assert [r.values for r in result.rows] == truth


def test_the_same_column_twice_is_an_error_naming_both(tmp_path):
    truth, rows = good_rows(2)
    rows = [r + [r[2]] for r in rows]
    rows[0][-1] = "Name"
    got = problems_of(book(tmp_path, rows))
    assert [(p.line, p.column) for p in got] == [(1, "Name (K)")]
    assert "姓名 (C)" in got[0].reason


def test_values_under_a_column_without_header_are_an_error(tmp_path):
    truth, rows = good_rows(4)
    rows[2] = rows[2] + [None, "多余"]
    rows[4] = rows[4] + [None, "也多余"]
    got = problems_of(book(tmp_path, rows))
    assert [(p.line, p.column) for p in got] == [(3, "L 列 (column L)")]
    assert "2 行" in got[0].reason


def test_a_title_row_above_the_header_is_refused(tmp_path):
    truth, rows = good_rows(2)
    rows = [["2025 级学生名单"]] + rows
    got = problems_of(book(tmp_path, rows))
    assert got[0] == Problem(SRC, 1, "2025 级学生名单 (A)", got[0].reason)
    assert any("第 1 行必须是表头" in p.reason for p in got)
    assert all(p.line == 1 for p in got)  # no noise from the data rows


def test_empty_sheet_and_header_only_sheet(tmp_path):
    assert problems_of(book(tmp_path, [], name="e.xlsx")) == [Problem("e.xlsx[学生]", None, None, "工作表是空的 (the sheet is empty)")]
    got = problems_of(book(tmp_path, [HEADERS], name="h.xlsx"))
    assert got == [Problem("h.xlsx[学生]", None, None, "没有数据行 (the file has a header but no data rows)")]
    got = problems_of(book(tmp_path, [[None], HEADERS], name="r2.xlsx"))
    assert got[0].line == 1 and "表头" in got[0].reason


def test_wrong_sheet_lists_the_sheets_there_are(tmp_path):
    truth, rows = good_rows(2)
    got = problems_of(book(tmp_path, rows, sheet="Sheet1"))
    assert got == [Problem("students.xlsx", None, None, got[0].reason)]
    assert "“学生”" in got[0].reason and "“Sheet1”" in got[0].reason


# -- cross-row checks -----------------------------------------------------------------------------------------
def test_duplicates_in_unique_columns_name_both_rows(tmp_path):
    truth, rows = good_rows(8)
    rows[6][1] = rows[2][1]  # 身份证号 of row 3 again in row 7
    rows[8][1] = rows[2][1]  # and in row 9
    rows[5][0] = rows[1][0]  # 学籍号 of row 2 in row 6
    got = problems_of(book(tmp_path, rows))
    assert [(p.line, p.column) for p in got] == [(6, "学籍号 (A)"), (7, "身份证号 (B)"), (9, "身份证号 (B)")]
    assert "第 2 行" in got[0].reason and "第 3 行" in got[1].reason and "第 3 行" in got[2].reason
    assert rows[2][1] in got[1].reason


def test_duplicate_id_numbers_differing_only_in_the_case_of_x_are_duplicates(tmp_path):
    truth, rows = good_rows(2)
    rows[1][1] = "11010519491231002X"
    rows[2][1] = "11010519491231002x"
    got = problems_of(book(tmp_path, rows))
    assert [(p.line, p.column) for p in got] == [(3, "身份证号 (B)")]


def test_unique_together_names_both_rows(tmp_path):
    truth, rows = good_rows(4)
    for i in (5, 6, 2):
        rows[4][i] = rows[1][i]  # same school, class and name as row 2
    got = problems_of(book(tmp_path, rows))
    assert [(p.line, p.column) for p in got] == [(5, "学校代码 (F) + 班级 (G) + 姓名 (C)")]
    assert "第 2 行" in got[0].reason


def test_the_template_example_row_left_in_is_refused(tmp_path):
    truth, rows = good_rows(2)
    example = [STUDENTS.column(k).example for k in STUDENTS.keys]
    example[3] = "男"
    example[8] = "是"
    example[9] = 612.5
    rows.insert(1, example)
    got = problems_of(book(tmp_path, rows))
    assert [(p.line, p.column) for p in got] == [(2, None)]
    assert "示例行" in got[0].reason


# -- limits ---------------------------------------------------------------------------------------------------
def test_problems_beyond_the_limit_are_counted_not_hidden(tmp_path):
    truth, rows = good_rows(60)
    for r in rows[1:]:
        r[7] = "二〇二三"
    got = problems_of(book(tmp_path, rows), max_problems=25)
    assert len(got) == 26
    assert got[-1].reason == "35 more problems not listed"
    assert [p.line for p in got[:25]] == list(range(2, 27))


def test_more_rows_than_allowed_is_an_error(tmp_path):
    truth, rows = good_rows(5)
    got = problems_of(book(tmp_path, rows), max_rows=3)
    assert [(p.line, p.column) for p in got] == [(5, None)]
    assert "3 行" in got[0].reason
    assert len(read_table(book(tmp_path, rows, name="ok.xlsx"), STUDENTS, max_rows=5)) == 5


# -- formulas -------------------------------------------------------------------------------------------------
def test_a_formula_without_a_saved_result_is_an_error(tmp_path):
    truth, rows = good_rows(2)
    rows[2][7] = "=2020+3"  # openpyxl saves formulas without a calculated value
    got = problems_of(book(tmp_path, rows))
    assert [(p.line, p.column) for p in got] == [(3, "入学年份 (H)")]
    assert "公式" in got[0].reason


def test_a_formula_with_a_saved_result_reads_its_value(tmp_path):
    truth, rows = good_rows(2)
    path = book(tmp_path, rows)
    patched = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<c r="H3" t="n"><v>2023</v></c>', b'<c r="H3"><f>2020+3</f><v>2023</v></c>', data)
                assert n == 1
            dst.writestr(item, data)
    result = read_table(patched, STUDENTS)
    assert [r.values for r in result.rows] == truth


# -- files that are not plain .xlsx ---------------------------------------------------------------------------
@pytest.mark.parametrize("ext", [".xls", ".xlsm", ".xlsb", ".et", ".ods", ".txt", ""])
def test_other_file_types_are_refused_by_name(tmp_path, ext):
    truth, rows = good_rows(1)
    data = book(tmp_path, rows).read_bytes()
    got = problems_of(data, name=f"students{ext}")
    assert len(got) == 1 and got[0].line is None
    assert ".xlsx" in got[0].reason


def test_a_legacy_or_encrypted_file_renamed_to_xlsx_is_refused(tmp_path):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    got = problems_of(ole2, name="renamed.xlsx")
    assert got == [Problem("renamed.xlsx", None, None, got[0].reason)]
    assert ".xls" in got[0].reason and "密码" in got[0].reason


@pytest.mark.parametrize("content, fragment", [
    (b"\xe5\xa7\x93\xe5\x90\x8d,\xe8\xba\xab\xe4\xbb\xbd\xe8\xaf\x81\xe5\x8f\xb7\r\n", "不是 zip"),
    (b"PK\x03\x04 broken", "已损坏"),
    (b"", "不是 zip"),
])
def test_a_file_that_is_not_a_workbook_is_refused(tmp_path, content, fragment):
    got = problems_of(content, name="x.xlsx")
    assert len(got) == 1 and fragment in got[0].reason


def _rezip(path: Path, out: Path, *, add: dict[str, bytes] = {}, replace: dict[str, bytes] = {}) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, replace.get(item.filename, src.read(item.filename)))
        for name, data in add.items():
            dst.writestr(name, data)
    return out


def test_a_macro_workbook_renamed_to_xlsx_is_refused(tmp_path):
    truth, rows = good_rows(1)
    path = _rezip(book(tmp_path, rows), tmp_path / "macro.xlsx", add={"xl/vbaProject.bin": b"\x00" * 16})
    got = problems_of(path)
    assert len(got) == 1 and ".xlsm" in got[0].reason


def test_a_word_document_renamed_to_xlsx_is_refused(tmp_path):
    out = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("word/document.xml", "<w/>")
    got = problems_of(out)
    assert len(got) == 1 and "不是 Excel 工作簿" in got[0].reason


def test_entity_expansion_in_a_sheet_is_refused_by_defusedxml(tmp_path):
    truth, rows = good_rows(1)
    path = book(tmp_path, rows)
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    body = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet
    assert b"<v>2023</v>" in body
    bomb = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            + body.replace(b"<v>2023</v>", b"<v>&b;</v>", 1))
    got = problems_of(_rezip(path, tmp_path / "bomb.xlsx", replace={"xl/worksheets/sheet1.xml": bomb}))
    assert len(got) == 1
    assert "EntitiesForbidden" in got[0].reason or "DTDForbidden" in got[0].reason


def test_reading_refuses_to_run_without_defusedxml(monkeypatch, tmp_path):
    import openpyxl

    require_defusedxml()  # installed: no error
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    truth, rows = good_rows(1)
    with pytest.raises(RuntimeError, match="defusedxml"):
        read_table(book(tmp_path, rows), STUDENTS)


def test_missing_file_is_an_input_error(tmp_path):
    got = problems_of(tmp_path / "none.xlsx")
    assert got == [Problem("none.xlsx", None, None, "文件不存在 (file not found)")]


# -- results used by a caller ---------------------------------------------------------------------------------
def test_a_caller_reports_its_own_checks_in_the_same_format(tmp_path):
    truth, rows = good_rows(3)
    result = read_table(book(tmp_path, rows), STUDENTS)
    p = result.problem(result.rows[1].line, "school_code", "学校代码不存在 (unknown school)")
    assert p == Problem(SRC, 3, "学校代码 (F)", "学校代码不存在 (unknown school)")
    assert str(result.problem(4, None, "x")) == f"{SRC}:4: x"


def test_a_workbook_with_an_unrelated_second_sheet_reads_only_the_named_one(tmp_path):
    truth, rows = good_rows(2)
    path = book(tmp_path, rows)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    other = wb.create_sheet("说明", 0)
    other["A1"] = "不是数据"
    wb.save(path)
    assert [r.values for r in read_table(path, STUDENTS).rows] == truth


def test_a_workbook_without_row_references_reads_in_order(tmp_path):
    """Some generators omit the r= attributes; rows and cells then follow document order."""
    spec = TableSpec(name="n", title_zh="数", sheet_name="Sheet",
                     columns=(Column("a", "甲", "A", "integer", required=True), Column("b", "乙", "B", "text")))
    wb = Workbook()
    wb.active["A1"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<sheetData><row><c t="inlineStr"><is><t>\xe7\x94\xb2</t></is></c><c t="inlineStr"><is><t>\xe4\xb9\x99</t></is></c></row>'
             b'<row><c><v>7</v></c><c t="inlineStr"><is><t>q</t></is></c></row></sheetData></worksheet>')
    src = tmp_path / "plain.xlsx"
    src.write_bytes(buf.getvalue())
    out = _rezip(src, tmp_path / "norefs.xlsx", replace={"xl/worksheets/sheet1.xml": sheet})
    result = read_table(out, spec)
    assert [(r.line, r.values) for r in result.rows] == [(2, {"a": 7, "b": "q"})]


def _with_sheet_bytes(path: Path, out: Path, edit) -> Path:
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = edit(sheet) if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename)
            dst.writestr(item.filename, data)
    return out


@pytest.mark.parametrize("filler", [
    pytest.param(lambda n: b"<!--" + b"x" * n + b"-->", id="comment"),
    pytest.param(lambda n: b"<!--" + b"<a>" * (n // 3) + b"-->", id="comment-full-of-tags"),
    pytest.param(lambda n: b"<?pi " + b"y" * n + b"?>", id="processing-instruction"),
])
def test_one_huge_xml_token_is_refused_before_parsing(tmp_path, filler):
    """A small workbook whose sheet holds one 24 MB token: the XML parser would take time growing with the square of
    its size; the byte scan refuses it naming the sheet part, before openpyxl reads anything."""
    truth, rows = good_rows(3)
    path = _with_sheet_bytes(book(tmp_path, rows), tmp_path / "hostile.xlsx",
                             lambda s: s.replace(b"<sheetData>", filler(24 << 20) + b"<sheetData>", 1))
    assert path.stat().st_size < 1 << 20
    got = problems_of(path)
    assert len(got) == 1
    assert "xl/worksheets/sheet1.xml" in got[0].reason and "XML 片段" in got[0].reason


def test_a_tag_with_a_huge_attribute_is_refused(tmp_path):
    truth, rows = good_rows(3)
    path = _with_sheet_bytes(book(tmp_path, rows), tmp_path / "attr.xlsx",
                             lambda s: s.replace(b"<sheetData>", b'<sheetData x="' + b">" * (3 << 20) + b'">', 1))
    got = problems_of(path)
    assert len(got) == 1 and "XML 片段" in got[0].reason


def test_a_sheet_over_the_cell_cap_is_refused_and_one_under_it_reads(tmp_path, monkeypatch):
    from gaozhong.importer import xlsx_checks

    truth, rows = good_rows(6)
    path = book(tmp_path, rows)
    with zipfile.ZipFile(path) as zf:
        n_cells = len(re.findall(rb"<c[\s>/]", zf.read("xl/worksheets/sheet1.xml")))
    monkeypatch.setattr(xlsx_checks, "MAX_SHEET_CELLS", n_cells)
    assert read_xlsx(path, STUDENTS).rows  # exactly at the cap: read
    monkeypatch.setattr(xlsx_checks, "MAX_SHEET_CELLS", n_cells - 1)
    got = problems_of(path)
    assert len(got) == 1 and "单元格" in got[0].reason


def test_the_token_scan_carries_tokens_across_chunk_boundaries(tmp_path):
    """A legal workbook scanned in 7-byte chunks passes (no token is cut wrongly); a 2 MB comment full of tags is
    caught when read in 4 KB chunks."""
    from gaozhong.importer.xlsx_checks import xml_part_problem

    truth, rows = good_rows(40)
    path = book(tmp_path, rows)
    with zipfile.ZipFile(path) as zf:
        assert xml_part_problem(zf, chunk_size=7) is None
    hostile = _with_sheet_bytes(path, tmp_path / "c.xlsx",
                                lambda s: s.replace(b"<sheetData>", b"<!--" + b"<b/>" * (1 << 19) + b"x-->" + b"<sheetData>", 1))
    with zipfile.ZipFile(hostile) as zf:
        assert "XML 片段" in (xml_part_problem(zf, chunk_size=4096) or "")
