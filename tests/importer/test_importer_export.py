"""Exports to .xlsx and CSV: they read back to the same values, keep identifiers as text, mask on request,
and never leave a half-written file."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from gaozhong.importer import read_table, write_csv, write_xlsx
from gaozhong.importer.idnumber import mask_identifier

from ._support import HEADERS, STUDENTS, students


def tricky_students():
    truth = students(20, seed=21)
    truth[0]["name"] = "=A1+1"  # a formula-looking name must stay text
    truth[1]["class_name"] = None
    truth[1]["boarding"] = None
    truth[1]["score"] = None
    truth[2]["name"] = "-王"
    truth[3]["class_name"] = "高一\n(3)班"
    truth[4]["score"] = Decimal("0.1")
    truth[5]["id_number"] = "11010519491231002X"
    return truth


def test_xlsx_export_reads_back_to_the_same_values(tmp_path):
    truth = tricky_students()
    path = tmp_path / "out.xlsx"
    assert write_xlsx(path, STUDENTS, truth) == len(truth)
    result = read_table(path, STUDENTS)
    assert [r.values for r in result.rows] == truth
    assert result.source == "out.xlsx[学生]"


def test_xlsx_export_writes_identifiers_as_text_cells_and_dates_as_dates(tmp_path):
    truth = tricky_students()
    path = tmp_path / "out.xlsx"
    write_xlsx(path, STUDENTS, truth)
    ws = load_workbook(path)["学生"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.freeze_panes == "A2"
    for letter in "ABF":
        assert ws.column_dimensions[letter].number_format == "@"
    for row in ws.iter_rows(min_row=2):
        for cell in (row[0], row[1], row[5]):
            assert cell.data_type == "s" and cell.number_format == "@"
        assert row[4].is_date
        assert row[2].data_type == "s"  # names, including "=A1+1", are text, never formulas
    assert ws["C2"].value == truth[0]["name"]
    assert ws["D2"].value in ("男", "女") and ws["I2"].value in ("是", "否")


def test_xlsx_export_masks_the_columns_asked(tmp_path):
    truth = students(5)
    path = tmp_path / "masked.xlsx"
    write_xlsx(path, STUDENTS, truth, mask=["id_number"], columns=["name", "id_number", "school_code"])
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == ["姓名", "身份证号", "学校代码"]
    got = [tuple(c.value for c in row) for row in ws.iter_rows(min_row=2)]
    assert got == [(s["name"], mask_identifier(s["id_number"]), s["school_code"]) for s in truth]
    assert all(v[1][4:14] == "*" * 10 for v in got)


def test_mask_and_column_arguments_are_checked(tmp_path):
    with pytest.raises(ValueError, match="cannot be masked"):
        write_xlsx(tmp_path / "x.xlsx", STUDENTS, [], mask=["birth_date"])
    with pytest.raises(ValueError, match="not exported"):
        write_csv(tmp_path / "x.csv", STUDENTS, [], mask=["id_number"], columns=["name"])
    with pytest.raises(KeyError):
        write_csv(tmp_path / "x.csv", STUDENTS, [], columns=["nope"])
    with pytest.raises(ValueError, match="twice"):
        write_csv(tmp_path / "x.csv", STUDENTS, [], columns=["name", "name"])


def test_csv_export_is_utf8_with_bom_and_crlf_and_reads_back(tmp_path):
    # Formula-looking names (rows 0 and 2) get the CSV formula guard, tested below.
    truth = [s for i, s in enumerate(tricky_students()) if i not in (0, 2)]
    path = tmp_path / "out.csv"
    assert write_csv(path, STUDENTS, truth) == len(truth)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + "学籍号,身份证号".encode())
    assert data.count(b"\r\n") == len(truth) + 1 and b"\n(3)" in data  # the cell's own line break is kept
    assert [r.values for r in read_table(path, STUDENTS).rows] == truth


def test_csv_export_writes_dates_iso_booleans_and_labels():
    s = students(1)[0]
    buf = io.BytesIO()
    write_csv(buf, STUDENTS, [s])
    rows = list(csv.reader(io.StringIO(buf.getvalue().decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADERS
    assert rows[1][4] == s["birth_date"].isoformat()
    assert rows[1][3] == {"M": "男", "F": "女"}[s["gender"]]
    assert rows[1][8] == ("是" if s["boarding"] else "否")
    assert rows[1][9] == str(s["score"])


@pytest.mark.parametrize("name, written", [
    ("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("+cmd", "'+cmd"), ("-王", "'-王"),
    ("-", "-"), ("-3", "-3"), ("王-", "王-"), ("\tx", "'\tx"),
])
def test_csv_formula_guard(name, written):
    s = dict(students(1)[0], name=name)
    rows = []
    for guard in (True, False):
        buf = io.BytesIO()
        write_csv(buf, STUDENTS, [s], formula_guard=guard)
        rows.append(list(csv.reader(io.StringIO(buf.getvalue().decode("utf-8-sig"), newline="")))[1][2])
    assert rows == [written, name]


def test_a_failed_export_leaves_an_existing_file_byte_identical(tmp_path):
    good = students(10)
    bad = good[:5] + [dict(good[5], birth_date="2008-01-01")] + good[6:]  # a str where a date belongs
    for writer, name in ((write_xlsx, "out.xlsx"), (write_csv, "out.csv")):
        path = tmp_path / name
        writer(path, STUDENTS, good)
        before = path.read_bytes()
        with pytest.raises(TypeError):
            writer(path, STUDENTS, bad)
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.xlsx"]  # no temporary files left


def test_a_generator_that_fails_midway_leaves_nothing(tmp_path):
    def rows():
        yield from students(3)
        raise RuntimeError("database went away")

    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    before = set(ALL_TEMP_FILES)
    with pytest.raises(RuntimeError):
        write_xlsx(tmp_path / "new.xlsx", STUDENTS, rows())
    assert list(tmp_path.iterdir()) == []
    assert set(ALL_TEMP_FILES) == before  # openpyxl's streaming temp file was removed too


def test_error_value_text_is_exported_as_text_not_as_an_error_cell():
    s = dict(students(1)[0], class_name="#N/A")
    buf = io.BytesIO()
    write_xlsx(buf, STUDENTS, [s])
    cell = load_workbook(io.BytesIO(buf.getvalue())).active["G2"]
    assert (cell.value, cell.data_type) == ("#N/A", "s")


@pytest.mark.parametrize("key, value, error", [
    ("gender", "X", KeyError), ("entry_year", "2023", TypeError), ("boarding", 1, TypeError),
    ("score", 612.5, TypeError), ("id_number", 110105194912310021, TypeError),
])
def test_values_of_the_wrong_type_are_refused(tmp_path, key, value, error):
    s = dict(students(1)[0], **{key: value})
    with pytest.raises(error):
        write_xlsx(io.BytesIO(), STUDENTS, [s])
    with pytest.raises(error):
        write_csv(io.BytesIO(), STUDENTS, [s])


def test_text_longer_than_a_cell_holds_is_refused_not_cut(tmp_path):
    s = dict(students(1)[0], class_name="班" * 32768)
    with pytest.raises(ValueError, match="longer than a cell"):
        write_xlsx(io.BytesIO(), STUDENTS, [s])


def test_parsed_rows_export_directly(tmp_path):
    truth = students(4)
    src = tmp_path / "in.xlsx"
    write_xlsx(src, STUDENTS, truth)
    parsed = read_table(src, STUDENTS).rows
    out = io.BytesIO()
    write_xlsx(out, STUDENTS, parsed)
    assert [r.values for r in read_table(out.getvalue(), STUDENTS, name="again.xlsx").rows] == truth


def test_decimals_that_a_float_cannot_hold_are_written_as_text_and_read_back(tmp_path):
    from gaozhong.importer import Column, TableSpec

    spec = TableSpec(name="m", title_zh="经费", sheet_name="经费",
                     columns=(Column("amount", "金额", "Amount", "decimal", required=True),))
    values = [{"amount": Decimal("12345678901234567.89")}, {"amount": Decimal("1000.25")}]
    path = tmp_path / "money.xlsx"
    write_xlsx(path, spec, values)
    ws = load_workbook(path).active
    assert ws["A2"].data_type == "s" and ws["A3"].data_type == "n"
    assert [r.values for r in read_table(path, spec).rows] == values
