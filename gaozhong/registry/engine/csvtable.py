"""Read one input CSV into a Polars frame of strings and locate bad rows by line, for exact error messages.

Every value is read as text (no type guessing, leading zeros kept); the caller validates and casts. A row
index ``__row`` is added so that problems found in the frame can be traced back to the file. The file follows
the platform's one CSV reader (:mod:`gaozhong.common.csvfile`): UTF-8, UTF-8 with BOM or GB18030; lines are
counted as the user sees them in an editor (the header is line 1, a quoted value spanning lines makes the next
record start further down, which :class:`LineMap` accounts for); a blank record (every field empty or only
spaces, tabs or 全角空格) carries no data and is skipped wherever it is, and its lines still count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from gaozhong.common.csvfile import BLANK_CHARS, EMPTY_FILE, CsvFile, blank_rows, csv_from_bytes, load_csv
from gaozhong.common.errors import InputError, Problem

__all__ = ["ROW", "Table", "LineMap", "read_table", "frame_table"]

#: Name of the record-index column added to every table (0 = first record after the header).
ROW = "__row"


@dataclass
class LineMap:
    """Map record indexes (``__row``) to the line each record starts on, and to its field count.

    Only used when a problem must be reported, so the file is opened again then (it is not kept in memory):
    :class:`~gaozhong.common.csvfile.CsvFile` gives each record's line.
    """

    path: Path
    name: str
    _file: CsvFile | None = field(default=None, repr=False)
    _widths: list[int] | None = field(default=None, repr=False)

    def _csv(self) -> CsvFile:
        if self._file is None:
            self._file = load_csv(self.path, self.name)
        return self._file

    def _scan(self) -> list[int]:
        if self._widths is None:
            self._widths = [len(r.fields) for r in self._csv().records(keep_blank=True, strict=False)]
        return self._widths

    def line(self, row: int) -> int:
        """The line (header = 1) on which record ``row`` starts."""
        return self._csv().line_of(row)

    def width(self, row: int) -> int | None:
        """How many fields record ``row`` has in the file (``None`` if the file cannot be scanned)."""
        try:
            widths = self._scan()
        except InputError:
            return None
        return widths[row] if row < len(widths) else None

    def overlong(self, header_width: int) -> list[tuple[int, int]]:
        """(line, width) of every record with more fields than the header, for Polars' ragged-line errors."""
        return [(r.line, len(r.fields)) for r in self._csv().records(strict=False) if len(r.fields) > header_width]


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
    """The header fields, from the first line only (decoded as the whole file would be)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
    except FileNotFoundError:
        raise InputError([Problem(name, None, None, "文件不存在 (file not found)")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, None, None, "是目录而不是文件 (is a directory, not a file)")]) from None
    return csv_from_bytes(head.split(b"\n", 1)[0], name).header


def read_table(path: Path, name: str, required: tuple[str, ...]) -> Table:
    """Read ``path`` as CSV text with the ``required`` columns (extra columns are kept, unused).

    UTF-8 (with or without BOM) is parsed straight from the file; anything else (GB18030) is re-encoded by the
    platform's CSV reader first. Raises :class:`InputError` for a missing or undecodable file, an empty file,
    a missing or repeated column, or a row with more fields than the header.
    """
    header = _header(path, name)
    if not any(h.strip() for h in header):
        raise InputError([Problem(name, 1, None, EMPTY_FILE)])
    problems = _header_problems(name, header, required)
    if problems:
        raise InputError(problems)
    lines = LineMap(path, name)
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        # Not UTF-8 (GB18030), or a blank record wider than the header: parse the reader's cleaned bytes.
        f, error = lines._csv(), exc
        while True:
            if not (f.make_utf8() or f.drop_blank_records()):
                raise InputError(_parse_problems(name, lines, len(header), error)) from None
            try:
                frame = pl.read_csv(f.data, infer_schema=False)
                break
            except pl.exceptions.PolarsError as again:
                error = again
    frame = frame.with_row_index(ROW)
    first = pl.col(header[0])  # a blank record is blank in its first column: test that one column first
    if frame.select((first.is_null() | (first.str.strip_chars(BLANK_CHARS) == "")).any()).item():
        frame = frame.filter(~blank_rows(header))
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
    except InputError:
        rows = []
    if rows:
        return [
            Problem(name, line, None, f"该行有 {w} 个字段，表头只有 {width} 个 (row has {w} fields, header has {width})")
            for line, w in rows
        ]
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return [Problem(name, None, None, f"无法解析为 CSV (cannot parse as CSV: {first})")]
