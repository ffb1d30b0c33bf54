"""Read the admission CSV files into all-text Polars tables, and find the lines that problems are on.

The files are opened by the platform's one CSV reader (:mod:`gaozhong.common.csvfile`): UTF-8, UTF-8 with BOM
or GB18030; the header is line 1 and every line counts; a blank record (every field empty or only spaces, tabs
or 全角空格) is skipped wherever it is, between records or at the end, and keeps the lines after it where they
are. Every cell is read as text first, so that a bad value can be reported with its file, line and column
instead of failing the whole read. Surrounding spaces (space, tab, 全角空格) are removed from every cell and an
empty cell is a missing value. A row with more or fewer fields than the header is an input problem.

A file is parsed by Polars; only when a parse shows a row that may be blank (a row of missing values, a line
with too few fields) is the file scanned for blank records, which are then removed before it is parsed again.
"""

from __future__ import annotations

import polars as pl

from gaozhong.common.csvfile import BLANK_CHARS, EMPTY_FILE, CsvFile, is_blank_record
from gaozhong.common.csvfile import csv_from_bytes as _csv_from_bytes
from gaozhong.common.csvfile import load_csv as _load_csv
from gaozhong.common.errors import InputError, Problem, ProblemList

__all__ = [
    "CsvFile", "load_csv", "csv_from_bytes", "check_header", "text_table", "line_of", "may_have_blank_rows", "EMPTY_REASON",
    "STRIP_CHARS",
]

EMPTY_REASON = "缺少值 (value is missing)"


def line_of(f: CsvFile, record: int) -> int:
    """Line number (header = 1) of one 0-based record index."""
    return f.line_of(record)


def _stripped_header(f: CsvFile) -> CsvFile:
    f.header = [h.strip() for h in f.header]
    return f


def load_csv(path, name: str) -> CsvFile:
    """Open one CSV file with the platform's reader; column names are trimmed. InputError if unreadable."""
    return _stripped_header(_load_csv(path, name))


def csv_from_bytes(raw: bytes, name: str) -> CsvFile:
    """Like :func:`load_csv` for bytes already in memory (an upload, a test)."""
    return _stripped_header(_csv_from_bytes(raw, name))


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
        except pl.exceptions.NoDataError:
            raise InputError([Problem(f.name, 1, None, EMPTY_FILE)]) from None
        except pl.exceptions.ComputeError:
            if f.make_utf8() or f.drop_blank_records():
                continue  # it was GB18030, or had blank records: read the cleaned text
            report_field_counts(f, problems)
            if not problems:
                problems.add(f.name, None, None, "无法按 CSV 读取 (cannot be read as CSV)")
            return None
        counts_ok = field_counts_ok(f, df.height)
        if not counts_ok and f.drop_blank_records():
            continue
        names = [f.header[i] for i in wanted]
        df.columns = names
        if any(sp in f.data for sp in _SPACES):
            df = df.with_columns(pl.col(c).str.strip_chars(STRIP_CHARS).replace("", None) for c in names)
        if may_have_blank_rows(df) and f.drop_blank_records():
            continue
        break
    if not counts_ok:  # the data are those just counted (dropping blank records would have parsed them again)
        report_field_counts(f, problems)
        if problems:
            return None
    return df


def may_have_blank_rows(df: pl.DataFrame) -> bool:
    """Whether some row is missing in every column read (cheap: null counts first)."""
    if df.width == 0 or df.height == 0 or any(df[c].null_count() == 0 for c in df.columns):
        return False
    return bool(df.select(pl.all_horizontal(pl.all().is_null()).any()).item())


#: What "surrounding spaces" means: ASCII space and tab, and the full-width space 全角空格 (U+3000); the same
#: characters make a field blank for the platform's CSV reader.
STRIP_CHARS = BLANK_CHARS
_SPACES = [b" ", b"\t", "\u3000".encode("utf-8")]


def field_counts_ok(f: CsvFile, nrows: int) -> bool:
    """Cheap check that every line has as many fields as the header (exact for files without quotes)."""
    if f.has_quotes:
        return False
    return f.data.count(b",") == (len(f.header) - 1) * (nrows + 1)


def report_field_counts(f: CsvFile, problems: ProblemList) -> None:
    """Scan the file with the csv module and report rows with a wrong number of fields (blank records are
    skipped, as everywhere)."""
    ncols = len(f.header)
    try:
        for record in f.records(strict=False):
            if len(record.fields) != ncols and not is_blank_record(record.fields):
                n = len(record.fields)
                problems.add(f.name, record.line, None, f"有 {n} 个字段，表头有 {ncols} 个 (row has {n} fields, the header has {ncols})")
    except InputError as exc:
        problems.extend(exc.problems)
