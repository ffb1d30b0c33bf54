"""Read the admission CSV files into all-text Polars tables, and find the lines that problems are on.

Every cell is read as text first, so that a bad value can be reported with its file, line and column instead
of failing the whole read. Surrounding spaces (space, tab, 全角空格) are removed from every cell and an empty cell is a missing
value. Lines are counted with the header as line 1. A file without quote characters maps record ``i`` to line
``i + 2``; a file with quotes is scanned once with the standard ``csv`` module, so a quoted line break still
gives the right physical line.

Blank lines at the end of a file are ignored; a blank line between records is an input problem, as is a row
with more or fewer fields than the header.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from gaozhong.common.errors import InputError, Problem, ProblemList
from gaozhong.common.textfile import decode_bytes

__all__ = ["CsvFile", "load_csv", "csv_from_bytes", "check_header", "text_table", "line_of", "EMPTY_REASON", "STRIP_CHARS"]

EMPTY_REASON = "缺少值 (value is missing)"


@dataclass(eq=False)
class CsvFile:
    """One CSV file's UTF-8 bytes (no BOM), its header, and how to turn record numbers into line numbers."""

    name: str
    data: bytes
    header: list[str]
    has_quotes: bool
    utf8_checked: bool = False  # data is known to be valid UTF-8
    _record_lines: np.ndarray | None = field(default=None, repr=False)

    def make_utf8(self) -> bool:
        """Check the data is UTF-8, re-encoding it from GB18030 if not; True if the data changed.

        Checking is left until a reader fails (Polars refuses invalid UTF-8), which saves decoding large
        files that are fine; a file that is neither encoding raises InputError.
        """
        if self.utf8_checked:
            return False
        self.utf8_checked = True
        try:
            self.data.decode("utf-8")
            return False
        except UnicodeDecodeError:
            self.data = decode_bytes(self.data, name=self.name).encode("utf-8")
            return True

    def release(self) -> None:
        """Drop the file's bytes once it is parsed, if line numbers can be had without them (no quotes)."""
        if not self.has_quotes:
            self.data = b""

    def lines(self, records: np.ndarray | list[int]) -> np.ndarray:
        """Line numbers (header = 1) of the given 0-based record indices."""
        idx = np.asarray(records, dtype=np.int64)
        if not self.has_quotes:
            return idx + 2
        if self._record_lines is None:
            self._record_lines = _scan_record_lines(self)
        return self._record_lines[idx]


def line_of(f: CsvFile, record: int) -> int:
    """Line number (header = 1) of one 0-based record index."""
    return int(f.lines([record])[0])


def _scan_record_lines(f: CsvFile) -> np.ndarray:
    f.make_utf8()
    text = f.data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    starts: list[int] = []
    prev_end = 0
    for i, _row in enumerate(reader):
        if i > 0:
            starts.append(prev_end + 1)
        prev_end = reader.line_num
    return np.asarray(starts, dtype=np.int64)


def load_csv(path: Path, name: str) -> CsvFile:
    """Read one CSV file (UTF-8, UTF-8 with BOM or GB18030) and its header; raise InputError if unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(name, None, None, "文件不存在 (file not found)")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, None, None, "是目录而不是文件 (is a directory, not a file)")]) from None
    return csv_from_bytes(raw, name)


def csv_from_bytes(raw: bytes, name: str) -> CsvFile:
    """Like :func:`load_csv` for bytes already in memory (an upload, a test)."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    if bom:
        raw = raw[3:]
    checked = raw.isascii()
    if bom and not checked:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError([Problem(name, None, None, f"文件以 UTF-8 BOM 开头但含有无效字节 (invalid UTF-8 at byte {exc.start + 3})")]) from None
        checked = True
    # Blank lines at the very end are not records.
    end = len(raw)
    while end > 0 and raw[end - 1] in b"\r\n \t":
        end -= 1
    if end == 0:
        raise InputError([Problem(name, 1, None, "文件为空，没有表头 (empty file: no header line)")])
    if end < len(raw) - 2:
        raw = raw[:end] + b"\n"
    first_nl = raw.find(b"\n")
    head = raw if first_nl < 0 else raw[:first_nl]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        raw = decode_bytes(raw, name=name).encode("utf-8")
        checked = True
        first_nl = raw.find(b"\n")
        head = raw if first_nl < 0 else raw[:first_nl]
    header = [h.strip() for h in next(csv.reader([head.decode("utf-8").rstrip("\r")]))]
    return CsvFile(name, raw, header, b'"' in raw, checked)


def check_header(
    f: CsvFile,
    required: list[str],
    optional: list[str],
    *,
    allow_extra: bool,
    problems: ProblemList,
) -> bool:
    """Report missing, duplicated, empty or (unless allowed) unknown column names; True if usable."""
    ok = True
    seen: set[str] = set()
    for col in f.header:
        if col == "":
            problems.add(f.name, 1, None, "表头中有空列名 (empty column name in the header)")
            ok = False
        elif col in seen:
            problems.add(f.name, 1, col, "列名重复 (column name appears twice)")
            ok = False
        seen.add(col)
    for col in required:
        if col not in seen:
            problems.add(f.name, 1, col, "缺少必需的列 (required column is missing)")
            ok = False
    if not allow_extra:
        known = set(required) | set(optional)
        for col in f.header:
            if col and col not in known:
                problems.add(
                    f.name, 1, col,
                    f"未知的列 (unknown column; expected {', '.join(required + optional)})",
                )
                ok = False
    return ok


def text_table(f: CsvFile, problems: ProblemList, columns: list[str] | None = None) -> pl.DataFrame | None:
    """Cells as stripped text (empty → null), or None after reporting rows with the wrong field count.

    ``columns`` limits the table to the columns named (the others are still counted in every row).
    """
    ncols = len(f.header)
    wanted = list(range(ncols)) if columns is None else [f.header.index(c) for c in columns]
    while True:
        try:
            df = pl.read_csv(
                f.data,
                has_header=True,
                new_columns=[f"c{i}" for i in range(ncols)],
                columns=[f"c{i}" for i in wanted],
                infer_schema=False,
                truncate_ragged_lines=False,
            )
            break
        except pl.exceptions.NoDataError:
            raise InputError([Problem(f.name, 1, None, "文件为空，没有表头 (empty file: no header line)")]) from None
        except pl.exceptions.ComputeError:
            if f.make_utf8():
                continue  # it was GB18030: read the re-encoded text
            report_field_counts(f, problems)
            if not problems:
                problems.add(f.name, None, None, "无法按 CSV 读取 (cannot be read as CSV)")
            return None
    if not field_counts_ok(f, df.height):
        report_field_counts(f, problems)
        if problems:
            return None
    names = [f.header[i] for i in wanted]
    df.columns = names
    if not any(sp in f.data for sp in _SPACES):
        return df  # nothing to strip; empty cells are already null
    return df.with_columns(pl.col(c).str.strip_chars(STRIP_CHARS).replace("", None) for c in names)


#: What "surrounding spaces" means: ASCII space and tab, and the full-width space 全角空格 (U+3000).
STRIP_CHARS = " \t\u3000"
_SPACES = [b" ", b"\t", "\u3000".encode("utf-8")]


def field_counts_ok(f: CsvFile, nrows: int) -> bool:
    """Cheap check that every line has as many fields as the header (exact for files without quotes)."""
    if f.has_quotes:
        return False
    return f.data.count(b",") == (len(f.header) - 1) * (nrows + 1)


def report_field_counts(f: CsvFile, problems: ProblemList) -> None:
    """Scan the file with the csv module and report blank lines and rows with a wrong number of fields."""
    ncols = len(f.header)
    f.make_utf8()
    text = f.data.decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    prev_end = 0
    for i, row in enumerate(reader):
        start = prev_end + 1
        prev_end = reader.line_num
        if i == 0:
            continue
        if not row:
            problems.add(f.name, start, None, "空行 (blank line between records)")
        elif len(row) != ncols:
            problems.add(
                f.name, start, None,
                f"有 {len(row)} 个字段，表头有 {ncols} 个 (row has {len(row)} fields, the header has {ncols})",
            )
