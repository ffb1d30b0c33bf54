"""Read an uploaded .xlsx or CSV file against a :class:`~.spec.TableSpec`: typed rows, or every problem.

``read_table`` picks the reader from the file name. Excel files are read with openpyxl in read-only mode,
which parses XML through defusedxml (checked before every read); CSV files are opened by the platform's one CSV
reader, :mod:`gaozhong.common.csvfile` (UTF-8, UTF-8 with BOM or GB18030; blank records skipped). Both hand their rows to :class:`~.table.TableChecker`, so
the rules and messages are the same whatever the format.

Problems name the file (for Excel with the sheet: ``students.xlsx[学生]``), the row (header = 1) and the
column (header text, plus the Excel column letter: ``身份证号 (C)``). Nothing is written here: the caller
validates with this, checks references against its database, and writes everything in one transaction.

>>> from gaozhong.importer.spec import Column, TableSpec
>>> spec = TableSpec(name="t", title_zh="测试", sheet_name="测试",
...                  columns=(Column("n", "数量", "Count", "integer", required=True),))
>>> read_table("数量\\r\\n3\\r\\n".encode(), spec, name="t.csv").rows[0].values
{'n': 3}
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path
from typing import Any

from gaozhong.common.csvfile import csv_from_bytes
from gaozhong.common.errors import InputError, Problem

from .result import ImportResult
from .spec import TableSpec
from .table import TableChecker
from .xlsx_checks import container_problem, scan_sheet

__all__ = ["read_table", "read_xlsx", "read_csv", "REFUSED_EXTENSIONS", "require_defusedxml"]

#: Spreadsheet formats that are refused by name, with what to do instead.
REFUSED_EXTENSIONS = {
    ".xls": "旧版 .xls 文件不支持，请另存为 .xlsx (legacy .xls is not supported: save as .xlsx)",
    ".xlsm": "含宏的 .xlsm 文件不支持，请另存为 .xlsx (macro-enabled .xlsm is not supported: save as .xlsx)",
    ".xlsb": "二进制 .xlsb 文件不支持，请另存为 .xlsx (binary .xlsb is not supported: save as .xlsx)",
    ".xltx": "Excel 模板 .xltx 不支持，请另存为 .xlsx (an Excel template: save as .xlsx)",
    ".xltm": "Excel 模板 .xltm 不支持，请另存为 .xlsx (an Excel template: save as .xlsx)",
    ".et": "WPS 表格 .et 文件不支持，请另存为 .xlsx (WPS .et is not supported: save as .xlsx)",
    ".ods": "OpenDocument .ods 文件不支持，请另存为 .xlsx (.ods is not supported: save as .xlsx)",
}

Source = str | os.PathLike | bytes


def require_defusedxml() -> None:
    """Raise RuntimeError unless openpyxl parses XML through defusedxml (an installation fault, not user input)."""
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise RuntimeError(
            "openpyxl is not using defusedxml: refusing to read uploaded .xlsx files (install defusedxml, "
            "and do not set OPENPYXL_DEFUSEDXML=False)"
        )


def _load(source: Source, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        if not name:
            raise ValueError("name is required when reading from bytes")
        return bytes(source), name
    path = Path(source)
    label = name or path.name
    try:
        return path.read_bytes(), label
    except FileNotFoundError:
        raise InputError([Problem(label, None, None, "文件不存在 (file not found)")]) from None
    except IsADirectoryError:
        raise InputError([Problem(label, None, None, "是目录而不是文件 (is a directory, not a file)")]) from None


def read_table(source: Source, spec: TableSpec, *, name: str | None = None, sheet: str | None = None,
               max_problems: int = 1000, max_rows: int | None = None) -> ImportResult:
    """Read ``source`` (a path, or bytes with ``name``) by its extension: ``.xlsx`` or ``.csv``.

    Parameters
    ----------
    source : path of the file, or its bytes (an upload); ``name`` is then the file name shown in messages.
    spec : the table spec.
    sheet : for .xlsx, the sheet to read instead of ``spec.sheet_name``.
    max_problems : how many problems are listed before the rest are only counted.
    max_rows : most data rows accepted; more is an error.

    Raises
    ------
    InputError
        With every problem found; nothing should be written when it is raised.
    """
    label = name or (None if isinstance(source, (bytes, bytearray, memoryview)) else Path(source).name)
    if not label:
        raise ValueError("name is required when reading from bytes")
    ext = os.path.splitext(label)[1].lower()
    if ext == ".xlsx":
        return read_xlsx(source, spec, name=label, sheet=sheet, max_problems=max_problems, max_rows=max_rows)
    if ext == ".csv":
        return read_csv(source, spec, name=label, max_problems=max_problems, max_rows=max_rows)
    reason = REFUSED_EXTENSIONS.get(
        ext, f"不支持的文件类型 “{ext or '无扩展名'}”，请上传 .xlsx 或 .csv (unsupported file type: upload .xlsx or .csv)"
    )
    raise InputError([Problem(label, None, None, reason)])


# -- CSV -------------------------------------------------------------------------------------------------------
def read_csv(source: Source, spec: TableSpec, *, name: str | None = None, max_problems: int = 1000,
             max_rows: int | None = None) -> ImportResult:
    """Read a comma-separated file in UTF-8, UTF-8 with BOM or GB18030 (the platform's one CSV reader,
    :mod:`gaozhong.common.csvfile`). Every cell is text.

    Row numbers count CSV records (a quoted cell may span lines), which is the row number Excel shows when it
    opens the file. A blank record is skipped, as everywhere, and listed in the result. A record with fewer
    fields than the header has blanks at the end; values beyond the header are an error.
    """
    data, label = _load(source, name)
    f = csv_from_bytes(data, label)
    checker = TableChecker(spec, label, letters=False, max_problems=max_problems, max_rows=max_rows)
    cells = f.header
    if len(cells) == 1 and any(sep in cells[0] for sep in ("\t", ";", "，", "；")):
        checker.problems.add(label, 1, None, "表头只有一列：分隔符应为英文逗号 (only one column: the separator must be a comma)")
    checker.header(cells)
    if not checker.stopped:
        try:
            for record in f.records(keep_blank=True):
                checker.row(record.row, record.fields)
                if checker.stopped:
                    break
        except InputError as exc:
            checker.problems.extend(exc.problems)
            checker.problems.raise_if_any()
    checker.trailing_blank(f.trailing_blank_lines)
    return checker.finish()


# -- Excel -----------------------------------------------------------------------------------------------------
class _Damaged(Exception):
    pass


def _root_cause(exc: BaseException) -> str:
    """The innermost exception as ``Type: message``: openpyxl wraps defusedxml's refusals in a ValueError."""
    seen = {id(exc)}
    while (inner := exc.__cause__ or exc.__context__) is not None and id(inner) not in seen:
        seen.add(id(inner))
        exc = inner
    return f"{type(exc).__name__}: {exc}"


def _rows(ws: Any):
    """The sheet's rows as tuples of values; a parsing failure becomes _Damaged (reported, not raised raw)."""
    it = ws.iter_rows(values_only=True)
    while True:
        try:
            row = next(it)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl/defusedxml raise many kinds for a broken or hostile sheet
            raise _Damaged(_root_cause(exc)) from exc
        yield row


def read_xlsx(source: Source, spec: TableSpec, *, name: str | None = None, sheet: str | None = None,
              max_problems: int = 1000, max_rows: int | None = None) -> ImportResult:
    """Read one sheet of an .xlsx workbook with openpyxl in read-only mode.

    Refused with a clear message: .xls/.xlsm/.xlsb (by name or by content), password-protected workbooks,
    non-zip files, a missing sheet (the message lists the sheets there are), merged cells and formulas
    without a saved result in the sheet. Cell values keep their Excel type so that the column rules can
    refuse, for instance, a number cell in an identifier column.
    """
    require_defusedxml()
    data, label = _load(source, name)
    ext = os.path.splitext(label)[1].lower()
    if ext in REFUSED_EXTENSIONS:
        raise InputError([Problem(label, None, None, REFUSED_EXTENSIONS[ext])])
    reason = container_problem(data)
    if reason is not None:
        raise InputError([Problem(label, None, None, reason)])

    from openpyxl import load_workbook

    sheet_name = sheet or spec.sheet_name
    source_label = f"{label}[{sheet_name}]"
    with warnings.catch_warnings():
        # openpyxl warns about features it does not read (data validation extensions, print settings);
        # none of them changes a cell value.
        warnings.simplefilter("ignore", UserWarning)
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # a damaged or hostile workbook: defusedxml, zipfile, KeyError, ParseError ...
            reason = f"无法读取工作簿，文件可能已损坏或含有不安全的 XML (cannot read the workbook: {_root_cause(exc)})"
            raise InputError([Problem(label, None, None, reason)]) from None
        try:
            if sheet_name not in wb.sheetnames:
                there = "、".join(f"“{s}”" for s in wb.sheetnames)
                reason = f"找不到工作表 “{sheet_name}”，文件中的工作表有：{there} (no sheet named {sheet_name!r})"
                raise InputError([Problem(label, None, None, reason)])
            ws = wb[sheet_name]
            if not hasattr(ws, "reset_dimensions"):
                reason = f"“{sheet_name}” 是图表，不是数据工作表 (a chart sheet, not a worksheet)"
                raise InputError([Problem(label, None, None, reason)])
            ws.reset_dimensions()  # the stored dimension may be wrong; never let it cut rows or columns off
            import zipfile

            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                scan = scan_sheet(zf, ws._worksheet_path)
            checker = TableChecker(spec, source_label, letters=True, max_problems=max_problems, max_rows=max_rows)
            _mark_formulas(checker, scan)
            header_cells: tuple = ()
            try:
                for line, cells in enumerate(_rows(ws), start=1):
                    if line == 1:
                        header_cells = cells
                        checker.header(cells)
                    else:
                        checker.row(line, cells)
                    if checker.stopped:
                        break
            except _Damaged as exc:
                checker.problems.add(source_label, None, None, f"工作表已损坏，无法读取 (damaged sheet: {exc})")
                checker.problems.raise_if_any()
        finally:
            wb.close()
    _report_merged(checker, scan, header_cells)
    if not header_cells and not checker.problems:
        raise InputError([Problem(source_label, None, None, "工作表是空的 (the sheet is empty)")])
    return checker.finish()


_FORMULA_REASON = ("公式没有保存计算结果，请在 Excel/WPS 中打开并保存后再上传 (formula without a saved result: open and "
                   "save the file in Excel or WPS, or paste values)")


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _mark_formulas(checker: TableChecker, scan: Any) -> None:
    """Formula cells without a result read as blank; the checker reports them where it meets them."""
    for letter, row in scan.formulas_without_value:
        checker.mark_unreadable(row, _column_index(letter), _FORMULA_REASON)


def _report_merged(checker: TableChecker, scan: Any, header_cells: tuple) -> None:
    """One problem per merged range, at its first row, labelled with its first column's header and the range."""
    for ref in scan.merged:
        first = ref.split(":")[0]
        letters = "".join(ch for ch in first if ch.isalpha())
        row = int(first[len(letters):])
        index = _column_index(letters)
        header = header_cells[index] if index < len(header_cells) else None
        text = header.strip() if isinstance(header, str) else ""
        checker.problems.add(
            checker.source, row, f"{text} ({ref})" if text else ref,
            f"合并单元格 {ref}：只有左上角的格子有值，请取消合并并在每个格子里填写 (merged cells: only the "
            "top-left cell holds the value; unmerge and fill every cell)",
        )
    if scan.unlocated:
        checker.problems.add(checker.source, None, None, f"{scan.unlocated} 个公式没有保存计算结果 (formulas without a saved result)")
