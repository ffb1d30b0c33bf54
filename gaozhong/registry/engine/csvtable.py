"""Read one input CSV into a Polars frame of strings and locate bad rows by line, for exact error messages.

Every value is read as text (no type guessing, leading zeros kept); the caller validates and casts. A row
index ``__row`` is added so that problems found in the frame can be traced back to the file. Lines are
counted as the user sees them in an editor: the header is line 1; a quoted value spanning lines makes the
next record start further down, which :class:`LineMap` accounts for. Blank lines (every field empty) carry no
data and are skipped; their lines still count.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from gaozhong.common.errors import InputError, Problem
from gaozhong.common.textfile import decode_bytes, read_utf8_bytes

__all__ = ["ROW", "Table", "LineMap", "read_table", "frame_table"]

#: Name of the record-index column added to every table (0 = first record after the header).
ROW = "__row"


@dataclass
class LineMap:
    """Map record indexes (``__row``) to the line each record starts on, and to its field count.

    Only used when a problem must be reported, so the file is re-read then (it is not kept in memory): without
    quotes in the file, record ``r`` is on line ``r + 2``; otherwise the standard ``csv`` module finds where
    each record starts.
    """

    path: Path
    name: str
    _data: bytes | None = field(default=None, repr=False)
    _starts: list[int] | None = field(default=None, repr=False)
    _widths: list[int] | None = field(default=None, repr=False)

    def _bytes(self) -> bytes:
        if self._data is None:
            self._data = read_utf8_bytes(self.path, name=self.name)
        return self._data

    def _scan(self) -> None:
        if self._starts is not None:
            return
        reader = csv.reader(io.StringIO(self._bytes().decode("utf-8"), newline=""))
        starts: list[int] = []
        widths: list[int] = []
        previous_end = 0
        for record in reader:
            starts.append(previous_end + 1)
            widths.append(len(record))
            previous_end = reader.line_num
        self._starts, self._widths = starts, widths

    def line(self, row: int) -> int:
        """The line (header = 1) on which record ``row`` starts."""
        if b'"' not in self._bytes():
            return row + 2
        self._scan()
        assert self._starts is not None
        return self._starts[row + 1]

    def width(self, row: int) -> int | None:
        """How many fields record ``row`` has in the file (``None`` if the file cannot be scanned)."""
        try:
            self._scan()
        except csv.Error:
            return None
        assert self._widths is not None
        return self._widths[row + 1] if row + 1 < len(self._widths) else None

    def overlong(self, header_width: int) -> list[tuple[int, int]]:
        """(line, width) of every record with more fields than the header, for Polars' ragged-line errors."""
        self._scan()
        assert self._starts is not None and self._widths is not None
        return [(s, w) for s, w in zip(self._starts[1:], self._widths[1:]) if w > header_width]


@dataclass
class Table:
    """One input file: its name as shown in messages, its header, the frame of text values, and its line map."""

    name: str
    header: list[str]
    frame: pl.DataFrame
    lines: LineMap | None

    def line(self, row: int) -> int | None:
        """Line of record ``row`` in the file (header = 1); for an in-memory frame, ``row + 2`` as if written out."""
        return self.lines.line(row) if self.lines is not None else row + 2

    def width(self, row: int) -> int | None:
        return self.lines.width(row) if self.lines is not None else None


def _header(path: Path, name: str) -> list[str]:
    """The header fields, from the first line only (decoded like the whole file would be)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
    except FileNotFoundError:
        raise InputError([Problem(name, None, None, "文件不存在 (file not found)")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, None, None, "是目录而不是文件 (is a directory, not a file)")]) from None
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    return next(csv.reader([decode_bytes(first, name=name)]), [])


def read_table(path: Path, name: str, required: tuple[str, ...]) -> Table:
    """Read ``path`` as CSV text with the ``required`` columns (extra columns are kept, unused).

    UTF-8 (with or without BOM) is parsed straight from the file; anything else goes through
    :func:`gaozhong.common.textfile.read_utf8_bytes` (GB18030) first. Raises :class:`InputError` for a
    missing or undecodable file, an empty file, a missing or repeated column, or a row with more fields than
    the header.
    """
    header = _header(path, name)
    if not any(h.strip() for h in header):
        raise InputError([Problem(name, 1, None, "文件为空或缺少表头 (empty file or no header line)")])
    problems = _header_problems(name, header, required)
    if problems:
        raise InputError(problems)
    lines = LineMap(path, name)
    try:
        try:
            frame = pl.read_csv(path, infer_schema=False)
        except pl.exceptions.ComputeError as exc:
            if "utf-8" not in str(exc).lower():
                raise
            frame = pl.read_csv(io.BytesIO(read_utf8_bytes(path, name=name)), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise InputError(_parse_problems(name, lines, len(header), exc)) from None
    frame = frame.with_row_index(ROW)
    blank = pl.all_horizontal([pl.col(c).is_null() | (pl.col(c) == "") for c in header])
    if frame.select(blank.any()).item():
        frame = frame.filter(~blank)
    return Table(name, header, frame, lines)


def frame_table(name: str, frame: pl.DataFrame, required: tuple[str, ...]) -> Table:
    """Wrap an in-memory frame of text columns (the web app's upload) like :func:`read_table` wraps a file."""
    header = list(frame.columns)
    problems = _header_problems(name, header, required)
    if problems:
        raise InputError(problems)
    frame = frame.select([pl.col(c).cast(pl.String) for c in header]).with_row_index(ROW)
    return Table(name, header, frame, None)


def _header_problems(name: str, header: list[str], required: tuple[str, ...]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(Problem(name, 1, column, "列名重复 (column appears twice in the header)"))
        seen.add(column)
    for column in required:
        if column not in seen:
            near = [h for h in header if h.strip() == column]
            hint = f"；表头中有 “{near[0]}”，请去掉空格 (header has {near[0]!r} with spaces)" if near else ""
            problems.append(
                Problem(name, 1, column, f"缺少必需的列{hint} (required column missing; header is {', '.join(header)})")
            )
    return problems


def _parse_problems(name: str, lines: LineMap, width: int, exc: Exception) -> list[Problem]:
    try:
        rows = lines.overlong(width)
    except (csv.Error, InputError):
        rows = []
    if rows:
        return [
            Problem(name, line, None, f"该行有 {w} 个字段，表头只有 {width} 个 (row has {w} fields, header has {width})")
            for line, w in rows
        ]
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return [Problem(name, None, None, f"无法解析为 CSV (cannot parse as CSV: {first})")]
