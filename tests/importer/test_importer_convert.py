"""One cell to one typed value: each column type's rules, including every edge case the issue names."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaozhong.importer import Column
from gaozhong.importer.convert import CellError, is_blank, make_converter, to_cell_text


def conv(kind: str, **kw):
    return make_converter(Column("v", "值", "Value", kind, **kw))


def refused(convert, raw) -> str:
    with pytest.raises(CellError) as info:
        convert(raw)
    return info.value.reason


# -- identifiers ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["identifier", "id_number"])
@pytest.mark.parametrize(
    "raw, fragment",
    [
        (1.40522200501011e17, "1.40522200501011E+17"),  # what Excel stores for an 18-digit number
        (140522200501011234, "数字格式"),  # an int cell (exact in Python, never in Excel)
        (20250001, "数字格式"),  # even a short number cell: identifiers are text
        ("1.40522200501011E+17", "科学计数法"),
        ("1.40522E+17", "科学计数法"),
        ("1.4e5", "科学计数法"),
        ("140522200501011234.0", "小数点"),
        ("12.", "小数点"),
        (True, "布尔"),
        (datetime(2025, 9, 1), "日期"),
        ("#N/A", "错误值"),
        ("1405 2220", "字母、数字"),
        ("１４０５", "字母、数字"),  # full-width digits are not silently converted
    ],
)
def test_identifiers_refuse_numbers_and_number_looking_text(kind, raw, fragment):
    assert fragment in refused(conv(kind), raw)


def test_identifier_text_is_trimmed_and_kept_exactly():
    c = conv("identifier")
    assert c("  G0001-ab ") == "G0001-ab"
    assert c("000123") == "000123"  # leading zeros stay


def test_identifier_length_and_pattern():
    c = conv("identifier", max_length=4, pattern=r"S\d+", pattern_hint="S 加数字")
    assert c("S12") == "S12"
    assert "超过 4" in refused(c, "S1234")
    assert "S 加数字" in refused(c, "T12")


def test_id_number_is_trimmed_and_checked_as_written():
    c = conv("id_number")
    assert c(" 11010519491231002X\t") == "11010519491231002X"
    assert "大写 X" in refused(c, "11010519491231002x")  # the one GB 11643 check: a lower-case x is refused
    assert "校验码应为 X" in refused(c, "110105194912310021")
    assert "18 位" in refused(c, "140522200501011")


# -- text -----------------------------------------------------------------------------------------------------
def test_text_takes_exact_whole_number_cells_and_refuses_the_rest():
    c = conv("text", max_length=5)
    assert c(" 高一3班 ") == "高一3班"
    assert c(12) == "12"
    assert c(12.0) == "12"
    assert "文本" in refused(c, 12.5)
    assert "文本" in refused(c, 1.40522200501011e17)
    assert "文本" in refused(c, date(2025, 9, 1))
    assert "文本" in refused(c, False)
    assert "超过 5" in refused(c, "一二三四五六")
    assert c("一二三四五") == "一二三四五"


@pytest.mark.parametrize("kind", ["text", "integer", "decimal", "date", "boolean", "identifier"])
@pytest.mark.parametrize("err", ["#N/A", "#VALUE!", "#REF!", "#DIV/0!"])
def test_excel_error_values_are_refused_in_every_column(kind, err):
    with pytest.raises(CellError):
        conv(kind)(err)


# -- numbers --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, value", [("12", 12), ("+12", 12), (" -3 ", -3), ("12.0", 12), ("007", 7),
                                         (12, 12), (12.0, 12), (-0.0, 0)])
def test_integer_accepts(raw, value):
    assert conv("integer")(raw) == value


@pytest.mark.parametrize("raw", ["12.5", "1,200", "1e3", "十二", "", "0x10", 12.5, True, date(2025, 1, 1), 1e16])
def test_integer_refuses(raw):
    with pytest.raises(CellError):
        conv("integer")(raw)


def test_integer_bounds_are_inclusive():
    c = conv("integer", min=0, max=10)
    assert c("0") == 0 and c("10") == 10
    assert "最小值" in refused(c, "-1")
    assert "最大值" in refused(c, 11)


@given(st.integers(-10**12, 10**12))
def test_integer_text_round_trips(n):
    assert conv("integer")(str(n)) == n


@pytest.mark.parametrize("raw, value", [("612.5", Decimal("612.5")), (612.5, Decimal("612.5")), (0.1, Decimal("0.1")),
                                         (3, Decimal(3)), (".5", Decimal("0.5")), ("-2.50", Decimal("-2.5"))])
def test_decimal_accepts(raw, value):
    assert conv("decimal")(raw) == value


@pytest.mark.parametrize("raw", ["1e3", "1,5", "NaN", "inf", float("inf"), float("nan"), False, "一"])
def test_decimal_refuses(raw):
    with pytest.raises(CellError):
        conv("decimal")(raw)


def test_decimal_places_are_checked_not_rounded():
    c = conv("decimal", decimal_places=1, min=Decimal(0), max=Decimal(800))
    assert c("612.50") == Decimal("612.5")
    assert "小数位数" in refused(c, "612.55")
    assert "小数位数" in refused(c, 0.05)
    assert "最大值" in refused(c, "800.1")


# -- dates ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw", ["2025-09-01", "2025-9-1", "2025/9/1", "2025/09/01", "2025年9月1日", " 2025/9/1 ",
                                 datetime(2025, 9, 1), date(2025, 9, 1)])
def test_date_accepts(raw):
    assert conv("date")(raw) == date(2025, 9, 1)


@pytest.mark.parametrize(
    "raw, fragment",
    [
        (datetime(2025, 9, 1, 8, 30), "时刻"),
        (45901, "数字"),
        (45901.0, "数字"),
        ("45901", "日期"),
        ("9/1/2025", "日期"),
        ("20250901", "日期"),
        ("2025-02-30", "不是存在的日期"),
        ("2025-09-01 08:00", "日期"),
        (time(8, 0), "时间"),
        (True, "日期"),
    ],
)
def test_date_refuses(raw, fragment):
    assert fragment in refused(conv("date"), raw)


def test_date_bounds():
    c = conv("date", min=date(2000, 1, 1), max=date(2020, 12, 31))
    assert "最小值" in refused(c, "1999-12-31")
    assert "最大值" in refused(c, datetime(2021, 1, 1))
    assert c("2000/1/1") == date(2000, 1, 1)


@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)))
def test_date_forms_round_trip(d):
    c = conv("date")
    assert c(d.isoformat()) == d
    assert c(f"{d.year}/{d.month}/{d.day}") == d
    assert c(f"{d.year}年{d.month}月{d.day}日") == d


# -- booleans and choices -------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, value", [("是", True), ("否", False), ("YES", True), (" no ", False), ("True", True),
                                         ("FALSE", False), (True, True), (False, False)])
def test_boolean_accepts(raw, value):
    assert conv("boolean")(raw) is value


@pytest.mark.parametrize("raw", ["对", "1", "0", "Y", 1, 0, "是的"])
def test_boolean_refuses(raw):
    with pytest.raises(CellError):
        conv("boolean")(raw)


def test_choice_reads_labels_exactly_and_codes_case_insensitively():
    c = conv("choice", choices={"public": "公办", "private": "民办"})
    assert c("公办") == "public"
    assert c(" 民办 ") == "private"
    assert c("PUBLIC") == "public"
    reason = refused(c, "国办")
    assert "公办、民办" in reason


def test_choice_with_number_codes_accepts_a_number_cell():
    c = conv("choice", choices={"1": "一级", "2": "二级"})
    assert c(2) == "2"
    assert c("一级") == "1"
    with pytest.raises(CellError):
        c(2.5)


# -- writing back -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kind, kw, value",
    [
        ("text", {}, "高一(3)班"),
        ("identifier", {}, "G0001"),
        ("id_number", {}, "11010519491231002X"),
        ("integer", {}, -7),
        ("decimal", {}, Decimal("612.5")),
        ("decimal", {}, Decimal("1E+2")),
        ("date", {}, date(2008, 3, 15)),
        ("boolean", {}, False),
        ("choice", {"choices": {"M": "男", "F": "女"}}, "F"),
    ],
)
def test_cell_text_reads_back_to_the_same_value(kind, kw, value):
    col = Column("v", "值", "Value", kind, **kw)
    assert make_converter(col)(to_cell_text(col, value)) == value


@pytest.mark.parametrize("kind, value", [("integer", True), ("integer", "3"), ("date", datetime(2020, 1, 1)),
                                         ("boolean", 1), ("decimal", 1.5), ("text", 5)])
def test_cell_text_refuses_values_of_the_wrong_type(kind, value):
    with pytest.raises(TypeError):
        to_cell_text(Column("v", "值", "Value", kind), value)


def test_blank_means_empty_or_only_whitespace():
    assert is_blank(None) and is_blank("") and is_blank(" \t\u3000")
    assert not is_blank(0) and not is_blank("0") and not is_blank(False)
