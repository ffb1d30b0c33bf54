"""Write typed rows of a spec to .xlsx or CSV, streaming, so that exports of any size use little memory.

Both formats use the spec's Chinese headers and read back through :mod:`.readers` to the same values (unless a
column was masked). In .xlsx, identifiers are text cells in columns formatted ``@`` (Excel never sees them as
numbers), dates are date cells, choices are written as their Chinese labels. The workbook is written in
openpyxl's write-only mode. CSV is UTF-8 with a BOM, which Excel needs to show Chinese correctly; note that
Excel itself turns an 18-digit identifier in a CSV into a number when it opens the file, so .xlsx is the
format to offer for Excel users.

Masking (``mask=("id_number",)``) shows ``1405**********123X`` instead of the number, for lists that people
without the right to see ID numbers may download.

A CSV cell of a text column that starts with ``=``, ``@`` or a sign followed by something not a number is
written with a leading apostrophe, so that a spreadsheet opening the file does not run it as a formula. In
.xlsx such text is written as a text cell and kept exactly.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from .convert import EXCEL_ERRORS, to_cell_text
from .idnumber import mask_identifier
from .result import ParsedRow
from .spec import Column, ColumnType, TableSpec
from .templates import DATE_FORMAT, TEXT_FORMAT

__all__ = ["write_xlsx", "write_csv", "MAX_CELL_CHARS"]

#: Excel's limit on the characters in one cell; longer text is refused, never cut.
MAX_CELL_CHARS = 32767

_TEXT_KINDS = (ColumnType.TEXT, ColumnType.IDENTIFIER, ColumnType.ID_NUMBER)
_NUMBER_LIKE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")

RowLike = Mapping[str, Any] | ParsedRow


def _select(spec: TableSpec, columns: Sequence[str] | None, mask: Iterable[str]) -> tuple[list[Column], set[str]]:
    cols = list(spec.columns) if columns is None else [spec.column(k) for k in columns]
    if len({c.key for c in cols}) != len(cols):
        raise ValueError("a column is listed twice")
    masked = set(mask)
    for key in masked:
        col = spec.column(key)
        if col not in cols:
            raise ValueError(f"masked column {key!r} is not exported")
        if ColumnType(col.type) not in _TEXT_KINDS:
            raise ValueError(f"column {key!r} is not a text or identifier column and cannot be masked")
    return cols, masked


def _values(row: RowLike) -> Mapping[str, Any]:
    return row.values if isinstance(row, ParsedRow) else row


def _atomic(target: str | os.PathLike | BinaryIO, write: Callable[[BinaryIO], int]) -> int:
    """Write to a stream as is, or to a path through a temporary file renamed into place only on success."""
    if hasattr(target, "write"):
        return write(target)  # type: ignore[arg-type]
    path = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            count = write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def _text_value(col: Column, value: Any, masked: bool) -> str:
    text = to_cell_text(col, value)
    if masked:
        text = mask_identifier(text)
    if len(text) > MAX_CELL_CHARS:
        raise ValueError(f"column {col.key!r}: text of {len(text)} characters is longer than a cell holds")
    return text


# -- xlsx ------------------------------------------------------------------------------------------------------
def write_xlsx(target: str | os.PathLike | BinaryIO, spec: TableSpec, rows: Iterable[RowLike], *,
               columns: Sequence[str] | None = None, mask: Iterable[str] = (), sheet_name: str | None = None) -> int:
    """Write rows to an .xlsx workbook; returns the number of data rows written.

    ``target`` is a path (written atomically: on any error an existing file is left as it was) or a binary
    stream. ``columns`` picks and orders keys (default: all, in spec order). ``rows`` may be a generator; it is
    consumed once. A value of the wrong type for its column raises TypeError, an unknown choice code KeyError.
    """
    cols, masked = _select(spec, columns, mask)
    return _atomic(target, lambda fh: _write_xlsx(fh, spec, cols, masked, rows, sheet_name or spec.sheet_name))


def _write_xlsx(fh: BinaryIO, spec: TableSpec, cols: list[Column], masked: set[str], rows: Iterable[RowLike],
                title: str) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    for i, col in enumerate(cols, start=1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = max(12, 2 * len(col.header_zh) + 4, 22 if col.is_text_kept else 0)
        kind = ColumnType(col.type)
        if kind in _TEXT_KINDS:
            dim.number_format = TEXT_FORMAT
        elif kind is ColumnType.DATE:
            dim.number_format = DATE_FORMAT
    header = []
    for col in cols:
        cell = WriteOnlyCell(ws, value=col.header_zh)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)

    def text_cell(text: str, as_text_format: bool) -> Any:
        if as_text_format or text.startswith("=") or text in EXCEL_ERRORS:
            cell = WriteOnlyCell(ws, value=text)
            cell.data_type = "s"  # never a formula or an error value: exactly this text
            if as_text_format:
                cell.number_format = TEXT_FORMAT
            return cell
        return text

    try:
        count = _append_rows(ws, cols, masked, rows, text_cell)
    except BaseException:
        _discard(ws)
        raise
    wb.save(fh)
    return count


def _discard(ws: Any) -> None:
    """Finish and delete the temporary file a write-only sheet streams into, after a failed export."""
    try:
        ws.close()
    finally:
        writer = getattr(ws, "_writer", None)
        if writer is not None:
            try:
                writer.cleanup()
            except (OSError, KeyError, ValueError):  # already removed
                pass


def _append_rows(ws: Any, cols: list[Column], masked: set[str], rows: Iterable[RowLike],
                 text_cell: Callable[[str, bool], Any]) -> int:
    count = 0
    for row in rows:
        values = _values(row)
        out: list[Any] = []
        for col in cols:
            value = values.get(col.key)
            if value is None:
                out.append(None)
                continue
            kind = ColumnType(col.type)
            if kind in _TEXT_KINDS or kind in (ColumnType.CHOICE, ColumnType.BOOLEAN):
                out.append(text_cell(_text_value(col, value, col.key in masked), col.is_text_kept))
            elif kind is ColumnType.DATE:
                to_cell_text(col, value)  # type check: a date, not a datetime
                out.append(value)
            elif kind is ColumnType.INTEGER:
                to_cell_text(col, value)
                out.append(value)
            else:  # decimal: a number cell when a float holds it exactly, else text that reads back unchanged
                text = to_cell_text(col, value)
                as_float = float(value)
                out.append(as_float if Decimal(repr(as_float)) == value else text)
        ws.append(out)
        count += 1
    return count


# -- CSV -------------------------------------------------------------------------------------------------------
def _guard(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula (=, @, a sign before a non-number)."""
    if not text:
        return text
    first = text[0]
    if first in "=@\t\r" or (first in "+-" and len(text) > 1 and not _NUMBER_LIKE.fullmatch(text)):
        return "'" + text
    return text


def write_csv(target: str | os.PathLike | BinaryIO, spec: TableSpec, rows: Iterable[RowLike], *,
              columns: Sequence[str] | None = None, mask: Iterable[str] = (), formula_guard: bool = True) -> int:
    """Write rows as CSV in UTF-8 with BOM and CRLF line ends; returns the number of data rows written.

    Same ``target``, ``columns`` and ``mask`` rules as :func:`write_xlsx`. With ``formula_guard`` (the
    default), text that a spreadsheet would run as a formula gets a leading apostrophe (see the module notes).
    """
    cols, masked = _select(spec, columns, mask)

    def write(fh: BinaryIO) -> int:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
        try:
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow([c.header_zh for c in cols])
            count = 0
            for row in rows:
                values = _values(row)
                out = []
                for col in cols:
                    value = values.get(col.key)
                    if value is None:
                        out.append("")
                        continue
                    cell = _text_value(col, value, col.key in masked)
                    if formula_guard and ColumnType(col.type) in _TEXT_KINDS:
                        cell = _guard(cell)
                    out.append(cell)
                writer.writerow(out)
                count += 1
            text.flush()
        finally:
            text.detach()  # leave the caller's stream open
        return count

    return _atomic(target, write)

