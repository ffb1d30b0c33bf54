"""Checks on an .xlsx file that openpyxl's read-only reader does not make: what kind of file it really is, and
what in a sheet would be lost in reading (merged cells, formulas without a saved result), and what would make
reading itself a weapon (one XML token of many megabytes, a sheet of more cells than any import has).

A legacy .xls, a macro-enabled .xlsm or a binary .xlsb renamed to .xlsx, a password-protected workbook (an
OLE2 container) and a file that is not a zip archive at all are each refused with a message saying what the
file is and what to do. The sheet scan reads the sheet's XML as bytes, without an XML parser, so it cannot be
tricked by entity declarations; openpyxl (through defusedxml) does the real parsing.

Why the token guard: the XML parser under openpyxl re-scans a token that arrives in many pieces, so one token
of N bytes (a comment, a processing instruction, a tag with a huge attribute) costs time growing with N². A
0.2 MB workbook holding a 200 MB comment kept a worker busy for half an hour. Every XML part is scanned once,
linearly, before any parsing; a token longer than :data:`MAX_TOKEN_BYTES` (no cell can hold one: Excel caps a
cell at 32,767 characters) or a sheet with more than :data:`MAX_SHEET_CELLS` cells is refused at once.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import numpy as np

__all__ = ["container_problem", "SheetScan", "scan_sheet", "xml_part_problem", "MAX_UNCOMPRESSED_BYTES",
           "MAX_PART_BYTES", "MAX_TOKEN_BYTES", "MAX_SHEET_CELLS"]

#: Refuse workbooks whose parts would expand to more than this (a zip bomb, or a sheet far beyond any import).
MAX_UNCOMPRESSED_BYTES = 1 << 30
#: Refuse any one XML part larger than this uncompressed (the largest import, 500,000 rows, stays well below).
MAX_PART_BYTES = 512 << 20
#: Refuse an XML token (tag, comment, processing instruction, CDATA, text run) longer than this.
MAX_TOKEN_BYTES = 1 << 20
#: Refuse a sheet with more cells than this (e.g. 500,000 rows of 20 columns).
MAX_SHEET_CELLS = 10_000_000

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
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return xml_part_problem(zf)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        return f"文件已损坏，无法解压 (damaged file, cannot unzip: {exc})"


_CELL_OPEN = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CLOSERS = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))


def xml_part_problem(zf: zipfile.ZipFile, *, chunk_size: int = 1 << 20) -> str | None:
    """Scan every XML part once, linearly, before any parser sees it: why the workbook is refused, or None.

    Refused: a part larger than :data:`MAX_PART_BYTES`; a token (tag, comment, processing instruction, CDATA
    section, run of text) longer than :data:`MAX_TOKEN_BYTES`; a worksheet with more than
    :data:`MAX_SHEET_CELLS` cells. The scan stops at the first finding, so a hostile part costs about one
    megabyte of reading. Malformed XML is left to the parser, which reports it.
    """
    for info in zf.infolist():
        if not (info.filename.endswith(".xml") or info.filename.endswith(".rels")):
            continue
        if info.file_size > MAX_PART_BYTES:
            return (f"{info.filename} 解压后 {info.file_size >> 20} MB，超过单个部件上限 {MAX_PART_BYTES >> 20} MB，拒绝读取 "
                    f"(part larger than {MAX_PART_BYTES >> 20} MB)")
        is_sheet = info.filename.startswith("xl/worksheets/")
        with zf.open(info) as fh:
            reason = _scan_tokens(fh, info.filename, count_cells=is_sheet, chunk_size=chunk_size)
        if reason:
            return reason
    return None


def _scan_tokens(fh, part: str, *, count_cells: bool, chunk_size: int) -> str | None:
    """One pass over a part in chunks. A tag cannot contain "<", so the distance between two "<" bounds every tag
    and run of text (measured with NumPy, no Python loop per token); comments, processing instructions and CDATA
    may contain "<" and are measured from opener to closer. What follows the last "<" of a chunk is carried to
    the next, and a carry longer than the limit is itself a token too long."""
    limit = MAX_TOKEN_BYTES
    too_long = (f"{part} 中有超过 {limit >> 20} MB 的单个 XML 片段（注释、标记或文本），不是正常的表格内容，拒绝读取 "
                f"(an XML token longer than {limit >> 20} MB)")
    carry = b""
    cells = 0
    while True:
        block = fh.read(chunk_size)
        if not block:
            return None  # an unterminated tail shorter than the limit is the parser's to report
        buf = carry + block
        lts = np.flatnonzero(np.frombuffer(buf, dtype=np.uint8) == 0x3C)
        if lts.size == 0:
            if len(buf) > limit:
                return too_long
            carry = buf
            continue
        if lts[0] > limit or int(np.diff(lts).max(initial=0)) > limit:
            return too_long
        cut = int(lts[-1])
        pos = 0
        while True:
            found = [(i, o, c) for o, c in _CLOSERS if (i := buf.find(o, pos)) >= 0]
            if not found:
                break
            i, opener, closer = min(found)
            end = buf.find(closer, i + len(opener))
            if end < 0:
                cut = i
                break
            if end + len(closer) - i > limit:
                return too_long
            pos = end + len(closer)
        if count_cells:
            cells += len(_CELL_OPEN.findall(buf, 0, cut))
            if cells > MAX_SHEET_CELLS:
                return (f"{part} 超过 {MAX_SHEET_CELLS:,} 个单元格，超出任何导入的规模，拒绝读取 "
                        f"(more than {MAX_SHEET_CELLS:,} cells)")
        carry = buf[cut:]
        if len(carry) > limit:
            return too_long


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
