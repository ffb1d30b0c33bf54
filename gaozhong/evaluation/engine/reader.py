"""Read DATA.csv for the value-added model: one row per student, an outcome, a group and numeric covariates.

The file is opened by the platform's one CSV reader (:mod:`gaozhong.common.csvfile`): UTF-8, UTF-8 with BOM or
GB18030; the header is line 1 and every line counts; a blank record (every field empty or only spaces, tabs or
全角空格) is skipped wherever it is, between records or at the end. A file without quote characters whose every
line has the header's number of fields is read by Polars directly, so record i is line i + 1 (the header is
line 1). Any other file (quoted fields, a line with too few or too many fields, a blank line) is walked record
by record, each with its own line; so is a file whose fast read finds a problem while it has blank records.
Both routes hand the needed columns as text to one validation, so they accept and refuse exactly the same
values. Every problem is collected (file, line, column, reason) and raised together; nothing is dropped or
guessed: an empty value, a value that is not a finite number, or a blank group value is an error.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import polars as pl

from gaozhong.common.csvfile import CsvFile, csv_from_bytes, load_csv
from gaozhong.common.errors import InputError, Problem, ProblemList

from .types import ValueAddedData

__all__ = ["read_value_added_csv", "read_value_added_bytes"]

_PER_COLUMN = 200  # problems listed per column before counting the rest


def read_value_added_csv(
    path: str | Path,
    *,
    outcome: str,
    group: str,
    covariates: tuple[str, ...] | list[str] = (),
    name: str | None = None,
) -> ValueAddedData:
    """Read and validate the columns the model needs; raise :class:`InputError` listing every problem."""
    covariates = tuple(covariates)
    needed = [group, outcome, *covariates]
    if len(set(needed)) != len(needed):
        raise ValueError("outcome, group and covariates must be different columns")
    p = Path(path)
    return _read(load_csv(p, name or p.name), outcome, group, covariates)


def read_value_added_bytes(
    data: bytes,
    *,
    name: str,
    outcome: str,
    group: str,
    covariates: tuple[str, ...] | list[str] = (),
) -> ValueAddedData:
    """The same read from the file's bytes (an upload): UTF-8, UTF-8 with BOM or GB18030, as the command reads."""
    covariates = tuple(covariates)
    needed = [group, outcome, *covariates]
    if len(set(needed)) != len(needed):
        raise ValueError("outcome, group and covariates must be different columns")
    return _read(csv_from_bytes(data, name), outcome, group, covariates)


def _read(f: CsvFile, outcome: str, group: str, covariates: tuple[str, ...]) -> ValueAddedData:
    needed = [group, outcome, *covariates]
    _check_header(f.header, needed, f.name)
    if not f.has_quotes:
        f.make_utf8()
        rows = _clean_rows(f.data, len(f.header))
        if rows is not None:
            frame = pl.read_csv(io.BytesIO(f.data), infer_schema=False, columns=needed, has_header=True)
            if frame.height == rows:
                if rows == 0:
                    raise InputError([Problem(f.name, None, None, "文件只有表头，没有数据行 (only a header, no data rows)")])
                try:
                    return _validate(frame, None, f.name, outcome, group, covariates, [], f.header)
                except InputError:
                    if not f.drop_blank_records():
                        raise
                    # Blank records are skipped, not errors: read record by record without them.
    return _read_slow(f, needed, outcome, group, covariates)


def _check_header(header: list[str], needed: list[str], label: str) -> None:
    problems = ProblemList()
    shown = ", ".join(header)
    for col in needed:
        count = header.count(col)
        if count == 0:
            problems.add(label, 1, col, f"表头中没有这一列 (column not in the header; the header has: {shown})")
        elif count > 1:
            problems.add(label, 1, col, f"列名在表头中出现 {count} 次 (the column name appears {count} times in the header)")
    problems.raise_if_any()


def _clean_rows(data: bytes, ncol: int) -> int | None:
    """Number of data lines if every line has ``ncol`` comma-separated fields and none is blank, else None."""
    buf = np.frombuffer(data, dtype=np.uint8)
    if buf.size and buf[-1] == 10:
        buf = buf[:-1]  # the last line's line break
    breaks = np.flatnonzero(buf == 10)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [buf.size]))
    commas = np.flatnonzero(buf == 44)
    fields = np.searchsorted(commas, ends) - np.searchsorted(commas, starts) + 1
    if not np.all(fields == ncol):
        return None
    lengths = ends - starts
    if np.any(lengths == 0):
        return None
    lengths = lengths - (buf[ends - 1] == 13)
    if np.any(lengths == 0):
        return None
    return int(starts.size - 1)


def _read_slow(f: CsvFile, needed: list[str], outcome: str, group: str, covariates: tuple[str, ...]) -> ValueAddedData:
    """Walk the file record by record: exact line numbers for quoted fields, malformed and blank lines."""
    early: list[tuple[int, int, Problem]] = []  # (line, order, problem) for malformed lines
    header = f.header
    ncol = len(header)
    index = [header.index(c) for c in needed]
    columns: list[list[str | None]] = [[] for _ in needed]
    lines: list[int] = []
    try:
        for line, _row, fields in f.records():  # blank records are skipped (the platform's CSV rule)
            if len(fields) != ncol:
                reason = f"有 {len(fields)} 个字段，表头有 {ncol} 个 (has {len(fields)} fields, the header has {ncol})"
                early.append((line, -1, Problem(f.name, line, None, reason)))
            else:
                for values, i in zip(columns, index):
                    values.append(fields[i] if fields[i] != "" else None)
                lines.append(line)
    except InputError as exc:
        problem = exc.problems[0]
        early.append((problem.line or 0, -1, problem))
    if not lines and not early:
        raise InputError([Problem(f.name, None, None, "文件只有表头，没有数据行 (only a header, no data rows)")])
    frame = pl.DataFrame({c: v for c, v in zip(needed, columns)}, schema={c: pl.String for c in needed})
    return _validate(frame, np.asarray(lines, dtype=np.int64), f.name, outcome, group, covariates, early, header)


def _validate(
    frame: pl.DataFrame,
    lines: np.ndarray | None,
    label: str,
    outcome: str,
    group: str,
    covariates: tuple[str, ...],
    early: list[tuple[int, int, Problem]],
    header: list[str],
) -> ValueAddedData:
    """Check values (empty, blank group, not a finite number), convert, and number the groups by first appearance.

    ``early`` holds problems with whole lines found while reading; all are listed together in line order,
    and within a line in the order of the columns in the header.
    """
    found = list(early)
    unlisted = 0

    def report(col_order: int, column: str, mask: pl.Series, reason_for) -> None:
        nonlocal unlisted
        rows = np.flatnonzero(mask.fill_null(False).to_numpy())
        unlisted += max(0, rows.size - _PER_COLUMN)
        values = frame[column]
        for r in rows[:_PER_COLUMN]:
            line = int(lines[r]) if lines is not None else int(r) + 2
            found.append((line, col_order, Problem(label, line, column, reason_for(values[int(r)]))))

    g = frame[group]
    report(header.index(group), group, g.is_null(), lambda v: "值为空 (empty value)")
    report(header.index(group), group, g.str.strip_chars() == "", lambda v: "分组值只有空白 (the group value is blank)")
    numbers: dict[str, np.ndarray] = {}
    for column in [outcome, *covariates]:
        order = header.index(column)
        s = frame[column]
        as_float = s.cast(pl.Float64, strict=False)
        report(order, column, s.is_null(), lambda v: "值为空 (empty value)")
        report(order, column, s.is_not_null() & as_float.is_null(), lambda v: f"“{v}” 不是数字 (not a number)")
        infinite = as_float.is_not_null() & ~as_float.is_finite()
        report(order, column, infinite, lambda v: f"“{v}” 不是有限数值 (not a finite number)")
        numbers[column] = as_float.to_numpy()
    found.sort(key=lambda t: (t[0], t[1]))
    problems = ProblemList()
    for _, _, problem in found:
        problems.add(problem.file, problem.line, problem.column, problem.reason)
    problems.dropped += unlisted
    problems.raise_if_any()
    levels = g.unique(maintain_order=True)
    codes = g.cast(pl.Enum(levels.to_list())).to_physical().to_numpy().astype(np.int64)
    y = np.ascontiguousarray(numbers[outcome], dtype=np.float64)
    if covariates:
        x = np.column_stack([numbers[c] for c in covariates]).astype(np.float64, copy=False)
    else:
        x = np.zeros((y.size, 0))
    return ValueAddedData(
        lines=lines if lines is not None else np.arange(2, y.size + 2, dtype=np.int64),
        source=label,
        outcome=outcome,
        group=group,
        covariates=covariates,
        y=y,
        x=x,
        codes=codes,
        labels=tuple(levels.to_list()),
    )
