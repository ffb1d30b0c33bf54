"""The one low-level CSV reader of every engine and of the importer: decoding, blank records, line numbers.

Every CSV file the platform reads (the engines' case files, the importer's uploads) is opened here, so these
rules are the same everywhere:

- **Encoding**: UTF-8, UTF-8 with BOM or GB18030 (:mod:`gaozhong.common.textfile`); a BOM is never part of the
  first column name. Bytes that are none of these are an input error naming the file.
- **Line numbers**: the header is line 1, and every line of the file counts (blank ones too); a record's line is
  the line it starts on, so a quoted value spanning lines moves the next record down. :attr:`Record.row` is the
  record's number as a spreadsheet program shows it (header = row 1, one row per record), which is what the
  importer reports.
- **Blank records**: a record whose every field is empty or holds only spaces, tabs or 全角空格 (``BLANK_CHARS``)
  carries no data. It is skipped wherever it is — between records or at the end — and is never an error; the
  records after it keep their own line numbers. (The importer lists the rows it skipped in its result.)
- **Malformed quoting** (a quote inside an unquoted value, an unclosed quote) is an input error at the line
  where reading stopped; nothing after it is read.

Row-by-row readers iterate :meth:`CsvFile.records`. Columnar readers (Polars) parse :attr:`CsvFile.data`; when a
parse shows rows that may be blank (a row of nulls, a line with too few commas) they call
:meth:`CsvFile.drop_blank_records`, which removes blank records from the bytes once and keeps each remaining
record's line, and :meth:`CsvFile.lines` turns row indexes into line numbers. A file without blank records and
without quotes is never scanned in Python, so the large files of the admission and registry engines cost no
more than their Polars parse.

>>> f = csv_from_bytes("id,score\\n\\nA,1\\n  ,\\u3000\\nB,2\\n\\n".encode(), "t.csv")
>>> [(r.line, r.fields) for r in f.records()]
[(3, ['A', '1']), (5, ['B', '2'])]
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import polars as pl

from .errors import InputError, Problem
from .textfile import decode_bytes

__all__ = [
    "BLANK_CHARS", "EMPTY_FILE", "Record", "CsvFile", "load_csv", "csv_from_bytes", "is_blank_field",
    "is_blank_record", "blank_rows", "malformed",
]

#: A field holding only these characters (space, tab, 全角空格) is blank; a record of blank fields is skipped.
BLANK_CHARS = " \t\u3000"
#: The reason given for a file with no header line (empty, or only blank lines).
EMPTY_FILE = "文件为空，没有表头 (empty file: no header line)"

_BLANK_LINE = re.compile(rb"^(?:[ \t,]|\xe3\x80\x80)*\r?$", re.MULTILINE)  # in UTF-8: U+3000 is E3 80 80


class Record(NamedTuple):
    """One data record: the line it starts on, its spreadsheet row, and its fields as written."""

    line: int
    row: int
    fields: list[str]


def is_blank_field(value: str | None) -> bool:
    """True for a missing or empty value, or one of only spaces, tabs and 全角空格."""
    return value is None or not value.strip(BLANK_CHARS)


def is_blank_record(fields: Iterable[str | None]) -> bool:
    """True when every field is blank (an empty line is a record of one empty field)."""
    return all(is_blank_field(v) for v in fields)


def blank_rows(columns: Iterable[str]) -> pl.Expr:
    """Polars expression: the row's value in every one of ``columns`` is null or blank (use all the file's
    columns; a row blank in some columns only is not a blank record)."""
    return pl.all_horizontal([pl.col(c).is_null() | (pl.col(c).str.strip_chars(BLANK_CHARS) == "") for c in columns])


def malformed(name: str, line: int, exc: Exception) -> Problem:
    """The problem reported for malformed quoting at ``line``."""
    return Problem(name, line, None, f"CSV 格式错误，其后的内容未读取 (malformed CSV: {exc}; the rest was not read)")


@dataclass(eq=False)
class CsvFile:
    """One CSV file: its bytes (UTF-8 once :attr:`utf8_checked`, no BOM, trailing blank lines cut), its header
    fields as written, and the way from record indexes (0 = first record after the header) to line numbers."""

    name: str
    data: bytes
    header: list[str]
    has_quotes: bool
    utf8_checked: bool = False
    #: Blank lines cut from the end of the file when it was read (they are blank records too).
    trailing_blank_lines: int = 0
    _record_lines: np.ndarray | None = field(default=None, repr=False)
    _blank_checked: bool = field(default=False, repr=False)

    # -- bytes --------------------------------------------------------------------------------------------------
    def make_utf8(self) -> bool:
        """Check the data is UTF-8, re-encoding it from GB18030 if not; True if the data changed.

        Checking is left until a reader needs it (Polars refuses invalid UTF-8), which saves decoding large
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

    def text(self) -> str:
        """The whole file (header included) as text."""
        self.make_utf8()
        return self.data.decode("utf-8")

    def release(self) -> None:
        """Drop the bytes once parsed, if line numbers can be had without them."""
        if self._record_lines is not None or not self.has_quotes:
            self.data = b""

    # -- line numbers -------------------------------------------------------------------------------------------
    def lines(self, records: np.ndarray | list[int]) -> np.ndarray:
        """Line numbers (header = 1) of 0-based record indexes of the current data."""
        idx = np.asarray(records, dtype=np.int64)
        if self._record_lines is None:
            if not self.has_quotes:
                return idx + 2
            self._record_lines = np.asarray([r.line for r in self.records(keep_blank=True, strict=False)], dtype=np.int64)
        return self._record_lines[idx]

    def line_of(self, record: int) -> int:
        """Line number (header = 1) of one 0-based record index."""
        return int(self.lines([record])[0])

    # -- blank records ------------------------------------------------------------------------------------------
    def drop_blank_records(self) -> bool:
        """Remove blank records from :attr:`data` (once); True if there were any, and then :meth:`lines` gives
        each remaining record's own line. Malformed quoting leaves the data as it is (the reader reports it)."""
        if self._blank_checked:
            return False
        self._blank_checked = True
        self.make_utf8()
        data = self.data
        if not self.has_quotes:
            first = data.find(b"\n")
            if first < 0:
                return False
            spans = [(m.start(), m.end()) for m in _BLANK_LINE.finditer(data, first + 1) if m.start() < len(data)]
            if not spans:
                return False
            newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
            total = newlines.size + (not data.endswith(b"\n"))  # lines, the header included
            blank = np.searchsorted(newlines, [a for a, _ in spans]) + 1  # 1-based line of each blank line
            pieces, previous = [], 0
            for a, b in spans:
                pieces.append(data[previous:a])
                previous = b + 1  # the blank line and its line break
            pieces.append(data[previous:])
            self.data = b"".join(pieces)
            self._record_lines = np.setdiff1d(np.arange(2, total + 1, dtype=np.int64), blank)
            return True
        try:
            records = list(self.records(keep_blank=True))
        except InputError:
            return False
        kept_records = [r for r in records if not is_blank_record(r.fields)]
        if len(kept_records) == len(records):
            return False
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(r.fields for r in kept_records)
        self.data = out.getvalue().encode("utf-8")
        self._record_lines = np.asarray([r.line for r in kept_records], dtype=np.int64)
        return True

    # -- records ------------------------------------------------------------------------------------------------
    def records(self, *, keep_blank: bool = False, strict: bool = True) -> Iterator[Record]:
        """Every data record with its line and row, blank ones skipped unless ``keep_blank``.

        Raises InputError (:func:`malformed`) where the quoting is malformed; the records before it have been
        given. Lines come from the file as read (after :meth:`drop_blank_records`, from the records it kept).
        """
        reader = csv.reader(io.StringIO(self.text(), newline=""), strict=strict)
        kept_lines = self._record_lines if self._blank_checked else None
        previous = 0
        row = 0
        try:
            for fields in reader:
                start, previous = previous + 1, reader.line_num
                row += 1
                if row == 1:
                    continue
                line = int(kept_lines[row - 2]) if kept_lines is not None else start
                if keep_blank or not is_blank_record(fields):
                    yield Record(line, row, fields)
        except csv.Error as exc:
            raise InputError([malformed(self.name, reader.line_num, exc)]) from None


def load_csv(path: str | Path, name: str | None = None) -> CsvFile:
    """Read one CSV file (UTF-8, UTF-8 with BOM or GB18030) and its header; InputError if it cannot be read."""
    p = Path(path)
    label = name or p.name
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(label, None, None, "文件不存在 (file not found)")]) from None
    except IsADirectoryError:
        raise InputError([Problem(label, None, None, "是目录而不是文件 (is a directory, not a file)")]) from None
    except PermissionError:
        raise InputError([Problem(label, None, None, "没有读取权限 (permission denied)")]) from None
    return csv_from_bytes(raw, label)


def _cut_trailing_blank_lines(raw: bytes) -> tuple[bytes, int, bool]:
    """The bytes without the blank lines at the end (the last record keeps its own spaces), how many lines were
    cut, and whether nothing but white space is left. Only the end of the file is looked at, and a file that
    ends with a single line break is returned as it is (no copy of a large file)."""
    end = len(raw)
    while end > 0 and raw[end - 1] in b"\r\n \t":
        end -= 1
    tail = raw[end:]
    breaks = [i for i in (tail.find(b"\n"), tail.find(b"\r")) if i >= 0]
    if not breaks:
        return raw, 0, end == 0
    cut = end + min(breaks)
    rest = raw[cut:]
    terminators = rest.count(b"\n") + rest.count(b"\r") - rest.count(b"\r\n")
    if terminators <= 1:
        return raw, 0, end == 0
    return raw[:cut] + b"\n", terminators - 1, end == 0


def csv_from_bytes(raw: bytes, name: str) -> CsvFile:
    """Like :func:`load_csv` for bytes already in memory (an upload, a test). A file with no header line
    raises InputError (:data:`EMPTY_FILE`, line 1)."""
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
    raw, trailing, empty = _cut_trailing_blank_lines(raw)
    if empty:
        raise InputError([Problem(name, 1, None, EMPTY_FILE)])
    first_nl = raw.find(b"\n")
    head = raw if first_nl < 0 else raw[:first_nl]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        raw = decode_bytes(raw, name=name).encode("utf-8")
        checked = True
        first_nl = raw.find(b"\n")
        head = raw if first_nl < 0 else raw[:first_nl]
    has_quotes = b'"' in raw
    f = CsvFile(name, raw, [], has_quotes, checked, trailing)
    if b'"' in head or b"\r" in head.rstrip(b"\r"):  # a quoted header, or lines ended by a bare CR
        try:
            f.header = next(csv.reader(io.StringIO(f.text(), newline="")), [])
        except csv.Error as exc:
            raise InputError([malformed(name, 1, exc)]) from None
    else:
        f.header = head.decode("utf-8").rstrip("\r").split(",")
    return f
