"""Turn one cell into a typed value for its column, or say in Chinese and English why it cannot be.

A cell arrives as what the file holds: a ``str`` from a CSV or an Excel text cell, or an ``int``, ``float``,
``bool``, ``datetime`` or ``time`` from an Excel cell of that kind. Nothing is guessed: a number cell in an
identifier column, a date with a time of day in a date column, 12.5 in an integer column are errors, not
values rounded or reformatted into something plausible.

>>> from gaozhong.importer.spec import Column
>>> to_value = make_converter(Column("id", "身份证号", "ID number", "id_number"))
>>> to_value(" 11010519491231002X ")
'11010519491231002X'
>>> to_value(1.40522200501011e17)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
gaozhong.importer.convert.CellError: 单元格是数字格式 1.40522200501011E+17，号码已被 Excel 改变 (number cell: ...)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from .idnumber import id_number_problem
from .columns import Column, ColumnType, SpecError

__all__ = ["CellError", "make_converter", "is_blank", "to_cell_text", "check_example", "EXCEL_ERRORS", "show"]

#: The values Excel shows for a formula that failed; a cell holding one is refused in every column.
EXCEL_ERRORS = frozenset(
    {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)

_SCIENTIFIC = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")
_DECIMAL_POINT = re.compile(r"[+-]?\d*\.\d*")
_IDENTIFIER = re.compile(r"[0-9A-Za-z-]+")
_INTEGER = re.compile(r"[+-]?\d+(\.0*)?")
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
_DATES = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
)
# Control characters a spreadsheet cell cannot hold (tab, line feed and carriage return are allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRUE = frozenset({"是", "yes", "true"})
_FALSE = frozenset({"否", "no", "false"})
_EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number


class CellError(Exception):
    """A cell's value does not fit its column; ``reason`` is the message shown to the user."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def show(value: Any) -> str:
    """A cell value as quoted in a message: numbers as Excel shows them, long text shortened for the message."""
    if isinstance(value, float):
        return f"{value:.{_EXCEL_DIGITS}G}"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def is_blank(raw: Any) -> bool:
    """True for an empty cell or one holding only whitespace."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _kind_of(raw: Any) -> str:
    if isinstance(raw, bool):
        return "布尔 TRUE/FALSE (boolean)"
    if isinstance(raw, (datetime, date)):
        return "日期 (date)"
    if isinstance(raw, (time, timedelta)):
        return "时间 (time)"
    return "数字 (number)"


def _text_of(raw: Any, col: Column) -> str:
    """Trimmed text of a cell for text-like columns; an exact whole number is written out, anything else refused."""
    if isinstance(raw, str):
        text = raw.strip()
        if text in EXCEL_ERRORS:
            raise CellError(f"单元格是错误值 {text} (the cell holds the error value {text})")
        bad = _CONTROL.search(text)
        if bad:
            raise CellError(f"含有不可见的控制字符 U+{ord(bad.group()):04X} (contains a control character)")
        return text
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise CellError(f"单元格是{_kind_of(raw)}格式，本列应为文本 (this column takes text; format the cell as 文本/Text)")
    if isinstance(raw, float):
        if not raw.is_integer() or abs(raw) >= 10**_EXCEL_DIGITS:
            raise CellError(f"单元格是数字 {show(raw)}，本列应为文本 (number cell in a text column; "
                            "format the column as 文本/Text and type it again)")
        raw = int(raw)
    if abs(raw) >= 10**_EXCEL_DIGITS:
        raise CellError(f"单元格是数字 {raw}，超过 Excel 的 15 位精度 (number cell beyond Excel's 15 digits; "
                        "format the column as 文本/Text)")
    return str(raw)


def _check_length_pattern(text: str, col: Column) -> None:
    if col.max_length is not None and len(text) > col.max_length:
        raise CellError(f"长度 {len(text)} 超过 {col.max_length} 个字符 (longer than {col.max_length} characters)")
    if col.pattern is not None and not re.fullmatch(col.pattern, text):
        hint = col.pattern_hint or col.pattern
        raise CellError(f"“{show(text)}” 格式不对，应为 {hint} (does not match the required format: {hint})")


def _text(col: Column) -> Callable[[Any], Any]:
    def convert(raw: Any) -> str:
        text = _text_of(raw, col)
        _check_length_pattern(text, col)
        return text

    return convert


def _identifier_text(raw: Any) -> str:
    """Rule: issue 3 item 9 — identifiers are text; a number or number-looking text is an error, never accepted."""
    if not isinstance(raw, str):
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raise CellError(
                f"单元格是数字格式 {show(raw)}，号码已被 Excel 改变 (number cell: Excel keeps 15 digits and has "
                "altered the number; format the column as 文本/Text and type it again)"
                if isinstance(raw, float) or abs(raw) >= 10**_EXCEL_DIGITS
                else f"单元格是数字格式 {raw}，编号必须是文本 (number cell: identifiers must be text; format the "
                "column as 文本/Text and type it again)"
            )
        raise CellError(f"单元格是{_kind_of(raw)}格式，编号必须是文本 (identifiers must be text)")
    text = raw.strip()
    if text in EXCEL_ERRORS:
        raise CellError(f"单元格是错误值 {text} (the cell holds the error value {text})")
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(
            f"“{show(text)}” 是科学计数法，号码已被 Excel 改变 (scientific notation: the number was altered by "
            "Excel; format the column as 文本/Text and type it again)"
        )
    if _DECIMAL_POINT.fullmatch(text):
        raise CellError(
            f"“{show(text)}” 带小数点，像是被当作数字保存过 (has a decimal point: it was stored as a number; "
            "format the column as 文本/Text and type it again)"
        )
    if "*" in text and _IDENTIFIER.fullmatch(text.replace("*", "0")):
        raise CellError(f"“{show(text)}” 是脱敏的编号，请改用含完整编号的导出文件 (a masked number: use the export with full numbers)")
    if not _IDENTIFIER.fullmatch(text):
        raise CellError(f"“{show(text)}” 只能包含字母、数字和连字符 (only letters, digits and hyphens are allowed)")
    return text


def _identifier(col: Column) -> Callable[[Any], Any]:
    def convert(raw: Any) -> str:
        text = _identifier_text(raw)
        _check_length_pattern(text, col)
        return text

    return convert


def _id_number(col: Column) -> Callable[[Any], Any]:
    def convert(raw: Any) -> str:
        """Rule: GB 11643-1999, the platform's one check (:func:`.idnumber.id_number_problem`); a lower-case x
        is refused, as everywhere."""
        text = _identifier_text(raw)
        problem = id_number_problem(text)
        if problem is not None:
            raise CellError(f"“{text}” 不是有效的身份证号：{problem}")
        return text

    return convert


def _check_bounds(value: Any, col: Column, shown: str) -> None:
    if col.min is not None and value < col.min:
        raise CellError(f"{shown} 小于最小值 {col.min} (below the minimum {col.min})")
    if col.max is not None and value > col.max:
        raise CellError(f"{shown} 大于最大值 {col.max} (above the maximum {col.max})")


def _not_a_number(raw: Any, what: str) -> CellError:
    if isinstance(raw, str):
        return CellError(f"“{show(raw.strip())}” 不是{what}")
    return CellError(f"单元格是{_kind_of(raw)}，不是{what}")


def _integer(col: Column) -> Callable[[Any], Any]:
    what = "整数 (not a whole number)"

    def convert(raw: Any) -> int:
        if isinstance(raw, bool):
            raise _not_a_number(raw, what)
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, float):
            if not raw.is_integer():
                raise _not_a_number(show(raw), what)
            if abs(raw) >= 10**_EXCEL_DIGITS:
                raise CellError(f"{show(raw)} 超过 Excel 的 15 位精度 (beyond Excel's 15 significant digits)")
            value = int(raw)
        elif isinstance(raw, str):
            text = raw.strip()
            if not _INTEGER.fullmatch(text):
                raise _not_a_number(text, what)
            value = int(text.split(".")[0])
        else:
            raise _not_a_number(raw, what)
        _check_bounds(value, col, str(value))
        return value

    return convert


def _decimal(col: Column) -> Callable[[Any], Any]:
    what = "数字 (not a number)"

    def convert(raw: Any) -> Decimal:
        if isinstance(raw, bool):
            raise _not_a_number(raw, what)
        if isinstance(raw, int):
            value = Decimal(raw)
        elif isinstance(raw, float):
            value = Decimal(repr(raw))  # the shortest text that is this float: 0.1, not 0.1000000000000000055…
            if not value.is_finite():
                raise _not_a_number(show(raw), what)
        elif isinstance(raw, str):
            text = raw.strip()
            if not _DECIMAL.fullmatch(text):
                raise _not_a_number(text, what)
            try:
                value = Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
                raise _not_a_number(text, what) from None
        else:
            raise _not_a_number(raw, what)
        if col.decimal_places is not None:
            places = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
            if places > col.decimal_places:
                raise CellError(
                    f"{value} 的小数位数超过 {col.decimal_places} 位 (more than {col.decimal_places} decimal places; "
                    "nothing is rounded)"
                )
        _check_bounds(value, col, str(value))
        return value

    return convert


def _date(col: Column) -> Callable[[Any], Any]:
    what = "日期 (not a date; write 2025-09-01 or 2025/9/1)"

    def convert(raw: Any) -> date:
        if isinstance(raw, datetime):
            if raw.time() != time(0):
                raise CellError(f"{raw:%Y-%m-%d %H:%M:%S} 含有时刻，本列只要日期 (has a time of day; this column takes a date)")
            value = raw.date()
        elif isinstance(raw, date):
            value = raw
        elif isinstance(raw, str):
            text = raw.strip()
            for pattern in _DATES:
                m = pattern.fullmatch(text)
                if m:
                    break
            else:
                raise _not_a_number(text, what)
            try:
                value = date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise CellError(f"“{text}” 不是存在的日期 (no such calendar date)") from None
        elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raise CellError(f"单元格是数字 {show(raw)}，不是日期 (number cell, not a date; format the cell as a date)")
        else:
            raise _not_a_number(raw, what)
        _check_bounds(value, col, value.isoformat())
        return value

    return convert


def _boolean(col: Column) -> Callable[[Any], Any]:
    def convert(raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            text = raw.strip().casefold()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise CellError(f"“{show(raw.strip())}” 应为 是 或 否 (must be 是/否 or yes/no)")
        raise CellError(f"单元格是{_kind_of(raw)}，应为 是 或 否 (must be 是/否 or yes/no)")

    return convert


def _choice(col: Column) -> Callable[[Any], Any]:
    by_label = {label: code for code, label in col.choices}  # type: ignore[misc]
    by_code = {code.casefold(): code for code, _ in col.choices}  # type: ignore[misc]
    allowed = "、".join(label for _, label in col.choices)  # type: ignore[misc]

    def convert(raw: Any) -> str:
        text = _text_of(raw, col)
        code = by_label.get(text) or by_code.get(text.casefold())
        if code is None:
            raise CellError(f"“{show(text)}” 不是允许的值：{allowed} (not one of the allowed values)")
        return code

    return convert


_FACTORIES: dict[ColumnType, Callable[[Column], Callable[[Any], Any]]] = {
    ColumnType.TEXT: _text,
    ColumnType.IDENTIFIER: _identifier,
    ColumnType.ID_NUMBER: _id_number,
    ColumnType.INTEGER: _integer,
    ColumnType.DECIMAL: _decimal,
    ColumnType.DATE: _date,
    ColumnType.BOOLEAN: _boolean,
    ColumnType.CHOICE: _choice,
}


def make_converter(col: Column) -> Callable[[Any], Any]:
    """A function from a non-blank cell to the column's typed value; it raises :class:`CellError`."""
    return _FACTORIES[ColumnType(col.type)](col)


def to_cell_text(col: Column, value: Any) -> str:
    """The text a typed value is written as in a CSV cell (and read back to the same value)."""
    kind = ColumnType(col.type)
    if kind is ColumnType.CHOICE:
        return col.label_for(value)
    if kind is ColumnType.BOOLEAN:
        if not isinstance(value, bool):
            raise TypeError(f"column {col.key!r}: {value!r} is not a bool")
        return "是" if value else "否"
    if kind is ColumnType.DATE:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise TypeError(f"column {col.key!r}: {value!r} is not a date")
        return value.isoformat()
    if kind is ColumnType.INTEGER and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError(f"column {col.key!r}: {value!r} is not an int")
    if kind is ColumnType.DECIMAL:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise TypeError(f"column {col.key!r}: {value!r} is not a Decimal or int")
        return format(value, "f")
    if kind in (ColumnType.TEXT, ColumnType.IDENTIFIER, ColumnType.ID_NUMBER) and not isinstance(value, str):
        raise TypeError(f"column {col.key!r}: {value!r} is not a str")
    return str(value)


def check_example(col: Column) -> None:
    """Raise SpecError unless the column's example, written as a cell, reads back as itself."""
    try:
        text = to_cell_text(col, col.example)
        value = make_converter(col)(text)
    except (TypeError, KeyError) as exc:
        raise SpecError(f"column {col.key!r}: example {col.example!r} is not of the column's type ({exc})") from None
    except CellError as exc:
        raise SpecError(f"column {col.key!r}: example {col.example!r} is refused by the column: {exc.reason}") from None
    if value != col.example:
        raise SpecError(f"column {col.key!r}: example {col.example!r} reads back as {value!r}")
