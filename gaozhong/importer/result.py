"""What a successful read returns: typed rows with their source row numbers, and how to report on them.

The caller (for instance a Django import service) checks references against the database after the read. It
reports what it finds with :meth:`ImportResult.problem`, so that its messages name the file, sheet, row and
column exactly as the reader's own do, and shows them all together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gaozhong.common.errors import Problem

from .spec import TableSpec

__all__ = ["ParsedRow", "ImportResult"]


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """One data row. ``line`` is the spreadsheet row (CSV record) number with the header as row 1.

    ``values`` holds every key of the spec: the typed value, or None for a blank cell or a column the file does
    not have. ``extra`` holds the text of columns the spec does not name (only when it allows them).
    """

    line: int
    values: dict[str, Any]
    extra: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


@dataclass(frozen=True)
class ImportResult:
    """A file that passed every check of its spec.

    ``source`` is the file name as used in messages (``students.xlsx[学生]`` for a sheet, ``students.csv``).
    ``present`` lists the spec keys found in the file in file order; a key not in it was absent, which an
    updating import may read as "leave unchanged". ``labels`` maps each present key to its column label
    (``身份证号 (C)``). ``blank_lines`` are wholly blank rows between data rows that were skipped;
    ``trailing_blank_rows`` counts wholly blank rows after the last data row.
    """

    spec: TableSpec
    source: str
    rows: list[ParsedRow]
    present: tuple[str, ...]
    labels: dict[str, str]
    extra_headers: tuple[str, ...] = ()
    blank_lines: tuple[int, ...] = ()
    trailing_blank_rows: int = 0

    def __len__(self) -> int:
        return len(self.rows)

    def label(self, key: str) -> str:
        """The column label for messages: as found in the file, or the spec's Chinese header if absent."""
        return self.labels.get(key) or self.spec.column(key).header_zh

    def problem(self, line: int | None, key: str | None, reason: str) -> Problem:
        """A problem about a cell (or a whole row when ``key`` is None) in the reader's format."""
        return Problem(self.source, line, None if key is None else self.label(key), reason)
