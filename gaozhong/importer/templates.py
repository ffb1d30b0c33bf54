"""The downloadable .xlsx template of an import, built from its spec.

Sheet one (named as the spec's sheet) has the Chinese header row, frozen, and one example row; identifier
columns (身份证号, 学籍号, 准考证号) are formatted as text (number format ``@``) so that Excel keeps all 18
digits a clerk types; date columns show ``yyyy-mm-dd``; choice and yes/no columns get a drop-down list. Sheet
two, 说明, describes every column: type, required or not, allowed values, and the column's help text.

The example row imports only if changed: the reader refuses a row equal to it, so sample data left in the
file is never imported as a real record.
"""

from __future__ import annotations

import io
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from .convert import to_cell_text
from .spec import TEMPLATE_HELP_SHEET, Column, ColumnType, TableSpec

__all__ = ["build_template", "write_template", "template_filename", "describe_type", "describe_allowed"]

TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"

_TYPE_NAMES = {
    ColumnType.TEXT: "文本 (text)",
    ColumnType.IDENTIFIER: "编号，文本格式 (identifier, kept as text)",
    ColumnType.ID_NUMBER: "身份证号，18 位，文本格式 (ID number, 18 characters, kept as text)",
    ColumnType.INTEGER: "整数 (whole number)",
    ColumnType.DECIMAL: "数字 (number)",
    ColumnType.DATE: "日期 (date)",
    ColumnType.BOOLEAN: "是/否 (yes/no)",
    ColumnType.CHOICE: "选项 (one of a list)",
}

_HELP_HEADER = ("列名", "英文列名 (English header)", "类型 (type)", "必填 (required)", "唯一 (unique)",
                "允许的值 (allowed values)", "示例 (example)", "说明 (notes)")


def template_filename(spec: TableSpec) -> str:
    """The file name offered for download, e.g. ``学生导入模板.xlsx``."""
    return f"{spec.title_zh}导入模板.xlsx"


def describe_type(col: Column) -> str:
    return _TYPE_NAMES[ColumnType(col.type)]


def describe_allowed(col: Column) -> str:
    """What a cell of this column may hold, in Chinese with English in brackets, for the 说明 sheet."""
    kind = ColumnType(col.type)
    parts: list[str] = []
    if kind is ColumnType.CHOICE:
        parts.append("、".join(label for _, label in col.choices) + "（也可填代码 (or the code): "
                     + "、".join(code for code, _ in col.choices) + "）")
    elif kind is ColumnType.BOOLEAN:
        parts.append("是 / 否 (yes / no)")
    elif kind is ColumnType.DATE:
        parts.append("日期单元格，或 2025-09-01、2025/9/1、2025年9月1日 (a date cell or one of these forms)")
    elif kind is ColumnType.ID_NUMBER:
        parts.append("17 位数字加校验位 (数字或 X)，单元格须为文本格式 (17 digits and a check character; text cell)")
    elif kind is ColumnType.IDENTIFIER:
        parts.append("字母、数字和连字符，单元格须为文本格式 (letters, digits, hyphens; text cell)")
    elif kind is ColumnType.INTEGER:
        parts.append("整数 (a whole number)")
    elif kind is ColumnType.DECIMAL:
        parts.append("数字" + (f"，最多 {col.decimal_places} 位小数 (at most {col.decimal_places} decimals)"
                             if col.decimal_places is not None else " (a number)"))
    if col.min is not None:
        parts.append(f"≥ {col.min}")
    if col.max is not None:
        parts.append(f"≤ {col.max}")
    if col.max_length is not None:
        parts.append(f"最多 {col.max_length} 个字符 (at most {col.max_length} characters)")
    if col.pattern is not None:
        parts.append(f"格式 (format): {col.pattern_hint or col.pattern}")
    return "；".join(parts)


def _example_cell(col: Column) -> Any:
    """The example as it is written in its cell: dates and numbers as such, everything else as text."""
    if col.example is None:
        return None
    kind = ColumnType(col.type)
    if kind in (ColumnType.DATE, ColumnType.INTEGER):
        return col.example
    if kind is ColumnType.DECIMAL:
        as_float = float(col.example)
        # A number cell when the float is exactly the example; otherwise text, which reads back unchanged.
        return as_float if Decimal(repr(as_float)) == col.example else to_cell_text(col, col.example)
    return to_cell_text(col, col.example)


def build_template(spec: TableSpec) -> bytes:
    """The template workbook as .xlsx bytes (small; built in memory)."""
    buf = io.BytesIO()
    _write(spec, buf)
    return buf.getvalue()


def write_template(target: str | os.PathLike | BinaryIO, spec: TableSpec) -> None:
    """Write the template to a path (atomically: a reader never sees half a file) or to a binary stream."""
    if hasattr(target, "write"):
        _write(spec, target)  # type: ignore[arg-type]
        return
    path = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            _write(spec, fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write(spec: TableSpec, fh: BinaryIO) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = spec.sheet_name
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    for i, col in enumerate(spec.columns, start=1):
        letter = get_column_letter(i)
        head = ws.cell(row=1, column=i, value=col.header_zh)
        head.font = bold
        head.fill = required_fill if col.required else fill
        head.alignment = Alignment(horizontal="center")
        example = ws.cell(row=2, column=i, value=_example_cell(col))
        if example.data_type == "f":  # an example is never a formula
            example.data_type = "s"
        dim = ws.column_dimensions[letter]
        dim.width = max(12, 2 * len(col.header_zh) + 4, len(str(example.value or "")) + 4)
        kind = ColumnType(col.type)
        if col.is_text_kept or kind is ColumnType.TEXT:
            dim.number_format = TEXT_FORMAT
            example.number_format = TEXT_FORMAT
        elif kind is ColumnType.DATE:
            dim.number_format = DATE_FORMAT
            example.number_format = DATE_FORMAT
        options = None
        if kind is ColumnType.CHOICE:
            options = [label for _, label in col.choices]
        elif kind is ColumnType.BOOLEAN:
            options = ["是", "否"]
        listed = options and ",".join(options)
        # Excel limits an in-cell list to 255 characters; longer lists are described on the 说明 sheet only.
        if listed and len(listed) <= 255 and not any("," in o or '"' in o for o in options):
            dv = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=not col.required,
                                showErrorMessage=True, errorTitle=col.header_zh,
                                error="请从下拉列表中选择 (choose from the list)")
            dv.add(f"{letter}2:{letter}1048576")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"

    notes = wb.create_sheet(TEMPLATE_HELP_SHEET)
    notes.append([f"{spec.title_zh}导入模板说明 (import template for {spec.name})"])
    notes["A1"].font = Font(bold=True, size=13)
    notes.append([f"在工作表 “{spec.sheet_name}” 中填写，第 1 行是表头不要修改；第 2 行是示例，导入前请删除或改为真实数据。"
                  f" (Fill in sheet {spec.sheet_name!r}: keep row 1; delete or overwrite the example row 2.)"])
    notes.append(["身份证号、学籍号等编号列已设为文本格式，请勿改为数字格式，以免 18 位号码被 Excel 改变。"
                  " (Identifier columns are text; do not change them to numbers.)"])
    notes.append([])
    notes.append(list(_HELP_HEADER))
    for cell in notes[5]:
        cell.font = bold
        cell.fill = fill
    for col in spec.columns:
        notes.append([
            col.header_zh,
            col.header_en,
            describe_type(col),
            "是 (yes)" if col.required else "否 (no)",
            "是 (yes)" if col.unique else "否 (no)",
            describe_allowed(col),
            "" if col.example is None else to_cell_text(col, col.example),
            col.help,
        ])
    for row in notes.iter_rows(min_row=6):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    for letter, width in zip("ABCDEFGH", (14, 22, 30, 10, 10, 48, 22, 40)):
        notes.column_dimensions[letter].width = width
    notes.freeze_panes = "A6"
    wb.active = 0
    wb.save(fh)
