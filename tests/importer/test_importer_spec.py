"""Table specs: declaration mistakes are refused when the spec is built; headers match in Chinese or English."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from gaozhong.importer import Column, ColumnType, SpecError, TableSpec

from ._support import STUDENTS


def spec_of(*columns: Column, **kw) -> TableSpec:
    return TableSpec(name="t", title_zh="测试", sheet_name=kw.pop("sheet_name", "测试"), columns=columns, **kw)


def test_type_given_as_text_becomes_the_enum():
    col = Column("n", "数量", "Count", "integer")
    assert col.type is ColumnType.INTEGER


def test_choices_given_as_mapping_become_pairs_in_order():
    col = Column("g", "性别", "Gender", "choice", choices={"M": "男", "F": "女"})
    assert col.choices == (("M", "男"), ("F", "女"))
    assert col.label_for("F") == "女"
    with pytest.raises(KeyError):
        col.label_for("X")


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda: Column("not a key", "甲", "A"), "identifier"),
        (lambda: Column("a", " ", "A"), "both headers"),
        (lambda: Column("a", "甲", "A", "float"), "unknown type"),
        (lambda: Column("a", "甲", "A", "choice"), "needs choices"),
        (lambda: Column("a", "甲", "A", "text", choices={"x": "叉"}), "choice columns only"),
        (lambda: Column("a", "甲", "A", "choice", choices={"A": "B", "B": "C"}), "ambiguous"),
        (lambda: Column("a", "甲", "A", "choice", choices=[("A", "甲"), ("a", "乙")]), "ambiguous"),
        (lambda: Column("a", "甲", "A", "choice", choices=[("A", " 甲")]), "trimmed"),
        (lambda: Column("a", "甲", "A", "integer", max_length=3), "max_length"),
        (lambda: Column("a", "甲", "A", "text", max_length=0), "at least 1"),
        (lambda: Column("a", "甲", "A", "text", pattern="("), "bad pattern"),
        (lambda: Column("a", "甲", "A", "date", pattern="x"), "pattern applies"),
        (lambda: Column("a", "甲", "A", "integer", decimal_places=1), "decimal_places"),
        (lambda: Column("a", "甲", "A", "text", min=1), "min applies"),
        (lambda: Column("a", "甲", "A", "integer", min=1.5), "column's type"),
        (lambda: Column("a", "甲", "A", "integer", max=True), "column's type"),
        (lambda: Column("a", "甲", "A", "date", min=datetime(2020, 1, 1)), "not a datetime"),
        (lambda: Column("a", "甲", "A", "integer", min=5, max=4), "greater than max"),
    ],
)
def test_wrong_column_declarations_are_refused(make, fragment):
    with pytest.raises(SpecError, match=fragment):
        make()


@pytest.mark.parametrize(
    "column, fragment",
    [
        (Column("a", "甲", "A", "id_number", example="110105194912310021"), "refused"),
        (Column("a", "甲", "A", "identifier", example=1234), "not of the column's type"),
        (Column("a", "甲", "A", "integer", example="12"), "not of the column's type"),
        (Column("a", "甲", "A", "integer", min=0, max=10, example=11), "refused"),
        (Column("a", "甲", "A", "date", example=datetime(2020, 1, 1)), "not of the column's type"),
        (Column("a", "甲", "A", "choice", choices={"M": "男"}, example="男"), "not of the column's type"),
        (Column("a", "甲", "A", "decimal", decimal_places=1, example=Decimal("1.25")), "refused"),
        (Column("a", "甲", "A", "text", example=" 留白 "), "reads back"),
    ],
)
def test_an_example_its_own_column_refuses_is_a_spec_error(column, fragment):
    with pytest.raises(SpecError, match=fragment):
        spec_of(column)


def test_every_example_of_the_students_spec_reads_back_as_itself():
    from gaozhong.importer.convert import make_converter, to_cell_text

    for col in STUDENTS.columns:
        assert col.example is not None
        assert make_converter(col)(to_cell_text(col, col.example)) == col.example


@pytest.mark.parametrize(
    "columns, kw, fragment",
    [
        ((Column("a", "甲", "A"), Column("a", "乙", "B")), {}, "duplicate column key"),
        ((Column("a", "甲", "Name"), Column("b", "乙", " name ")), {}, "used by two columns"),
        ((Column("a", "甲", "A"), Column("b", "a", "B")), {}, "used by two columns"),
        ((Column("a", "甲", "A"),), {"sheet_name": "说明"}, "reserved"),
        ((Column("a", "甲", "A"),), {"sheet_name": "a/b"}, "sheet name"),
        ((Column("a", "甲", "A"),), {"sheet_name": "x" * 32}, "sheet name"),
        ((Column("a", "甲", "A"),), {"sheet_name": " 学生"}, "sheet name"),
        ((Column("a", "甲", "A"), Column("b", "乙", "B")), {"unique_together": [("a", "c")]}, "unique_together"),
        ((Column("a", "甲", "A"),), {"unique_together": [("a",)]}, "unique_together"),
        ((), {}, "no columns"),
    ],
)
def test_wrong_table_declarations_are_refused(columns, kw, fragment):
    with pytest.raises(SpecError, match=fragment):
        spec_of(*columns, **kw)


def test_headers_match_chinese_exactly_and_english_case_insensitively_after_trimming():
    assert STUDENTS.match_header("身份证号").key == "id_number"
    assert STUDENTS.match_header("  身份证号\u3000").key == "id_number"
    assert STUDENTS.match_header("ID NUMBER").key == "id_number"
    assert STUDENTS.match_header(" id number ").key == "id_number"
    assert STUDENTS.match_header("身份证") is None
    assert STUDENTS.match_header("IDnumber") is None


def test_a_column_with_the_same_chinese_and_english_header_is_fine():
    spec = spec_of(Column("a", "ABC", "abc"))
    assert spec.match_header("Abc").key == "a"
    assert spec.keys == ("a",)
    assert spec.column("a").header_zh == "ABC"


def test_identifier_columns_are_marked_as_kept_as_text():
    kept = {c.key for c in STUDENTS.columns if c.is_text_kept}
    assert kept == {"student_no", "id_number", "school_code"}


def test_bounds_of_a_date_column_must_be_dates():
    col = Column("d", "日期", "Date", "date", min=date(2000, 1, 1), max=date(2030, 1, 1))
    assert col.min < col.max
