"""Checks on an .xlsx file that openpyxl's read-only reader does not make: what kind of file it really is, and
what in a sheet would be lost in reading (merged cells, formulas without a saved result).

A legacy .xls, a macro-enabled .xlsm or a binary .xlsb renamed to .xlsx, a password-protected workbook (an
OLE2 container) and a file that is not a zip archive at all are each refused with a message saying what the
file is and what to do. The sheet scan reads the sheet's XML as bytes, without an XML parser, so it cannot be
tricked by entity declarations; openpyxl (through defusedxml) does the real parsing.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

__all__ = ["container_problem", "SheetScan", "scan_sheet", "MAX_UNCOMPRESSED_BYTES"]

#: Refuse workbooks whose parts would expand to more than this (a zip bomb, or a sheet far beyond any import).
MAX_UNCOMPRESSED_BYTES = 1 << 30

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)"')
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f\b")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_ROW_END = re.compile(rb"</(?:\w+:)?row>")


def container_problem(data: bytes) -> str | None:
    """Why ``data`` is not a plain .xlsx workbook we read (Chinese, English in brackets), or None if it is."""
    if data.startswith(_OLE2_MAGIC):
        return ("这是旧版 .xls 文件或加了密码的工作簿，请在 Excel/WPS 中取消密码并另存为 .xlsx "
                "(a legacy .xls file or a password-protected workbook: remove the password and save as .xlsx)")
    if not data.startswith(_ZIP_MAGIC):
        return "不是 .xlsx 文件（不是 zip 压缩包），请另存为 .xlsx (not an .xlsx file: it is not a zip archive)"
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "[Content_Types].xml" not in names:
                return "不是 Excel 工作簿 (not an Excel workbook: no [Content_Types].xml)"
            types = zf.read("[Content_Types].xml")
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        return f"文件已损坏，无法解压 (damaged file, cannot unzip: {exc})"
    if b"sheet.binary.macroEnabled" in types or any(n.endswith("workbook.bin") for n in names):
        return "这是二进制工作簿 .xlsb，请另存为 .xlsx (a binary .xlsb workbook: save it as .xlsx)"
    if b"macroEnabled" in types or any(n.endswith("vbaProject.bin") for n in names):
        return "这是含宏的工作簿 .xlsm，请另存为不含宏的 .xlsx (a macro-enabled workbook: save it as .xlsx)"
    if b"spreadsheetml.template.main+xml" in types:
        return "这是 Excel 模板 .xltx，请另存为 .xlsx (an Excel template: save it as .xlsx)"
    if b"spreadsheetml.sheet.main+xml" not in types:
        return "不是 Excel 工作簿（可能是改了扩展名的 Word 等文件）(not an Excel workbook)"
    if total > MAX_UNCOMPRESSED_BYTES:
        return f"解压后超过 {MAX_UNCOMPRESSED_BYTES >> 20} MB，拒绝读取 (expands to more than {MAX_UNCOMPRESSED_BYTES >> 20} MB)"
    return None


@dataclass
class SheetScan:
    """What the byte scan of one sheet found: merged ranges (``A3:A5``) and formula cells without a saved value
    (``(column letter, row)``; ``unlocated`` counts those without a cell reference)."""

    merged: list[str] = field(default_factory=list)
    formulas_without_value: list[tuple[str, int]] = field(default_factory=list)
    unlocated: int = 0


def _scan_cells(chunk: bytes, scan: SheetScan) -> None:
    for m in _CELL.finditer(chunk):
        body = m.group(2)
        if not body or not _FORMULA_TAG.search(body) or _VALUE.search(body):
            continue
        ref = _CELL_REF.search(m.group(1))
        if ref is None:
            scan.unlocated += 1
        else:
            scan.formulas_without_value.append((ref.group(1).decode(), int(ref.group(2))))


def scan_sheet(zf: zipfile.ZipFile, member: str, *, chunk_size: int = 1 << 20) -> SheetScan:
    """Scan a sheet's XML for merged cells and for formulas with no saved result.

    openpyxl's read-only mode does not report merged ranges (only the top-left cell of a range holds the
    value, so the other rows would read as blank), and with ``data_only`` a formula that was never calculated
    reads as an empty cell. Both would lose data without a word, so the reader reports them as errors.
    The XML is read in chunks cut after a ``</row>``, so no cell element is split.
    """
    scan = SheetScan()
    rest = b""
    with zf.open(member) as fh:
        while True:
            block = fh.read(chunk_size)
            buf = rest + block
            if not block:
                break
            cut = 0
            for m in _ROW_END.finditer(buf, max(0, len(rest) - 16)):
                cut = m.end()
            if cut == 0:
                rest = buf
                continue
            done, rest = buf[:cut], buf[cut:]
            if _FORMULA_TAG.search(done):
                _scan_cells(done, scan)
    if rest:
        if _FORMULA_TAG.search(rest):
            _scan_cells(rest, scan)
        scan.merged.extend(m.group(1).decode().upper() for m in _MERGE.finditer(rest))
    return scan
