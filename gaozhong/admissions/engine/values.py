"""Parse and print the numbers of the admission files exactly.

Numbers are plain decimals (``612``, ``612.5``, ``+7``, ``007``; no exponent, no separators) of at most 15
significant digits, so each one is held exactly by a float64 and two different numbers never compare equal.
A negative number is reported as such. Printing gives the shortest exact decimal: 612 prints ``612`` and
612.5 prints ``612.5``, never ``612.0``.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import polars as pl

from gaozhong.common.errors import ProblemList

from .csvread import EMPTY_REASON, CsvFile

__all__ = ["format_number", "decimal_column", "integer_column", "add_row_problems"]

_DECIMAL = r"^[+-]?[0-9]+(\.[0-9]+)?$"
_INTEGER = r"^[+-]?[0-9]+$"
MAX_DIGITS = 15


def format_number(x: float) -> str:
    """Shortest exact decimal for a value read by :func:`decimal_column` (612.0 → ``612``)."""
    d = Decimal(repr(float(x))).normalize()
    text = format(d, "f")
    return "0" if text in ("-0", "0") else text


def add_row_problems(
    problems: ProblemList,
    f: CsvFile,
    rows: np.ndarray,
    column: str | None,
    reasons: list[str] | str,
) -> None:
    """Add one problem per record index (0-based) without building millions of messages."""
    rows = np.asarray(rows)
    if rows.size == 0:
        return
    room = max(problems.limit - len(problems), 0)
    take = rows[:room]
    lines = f.lines(take) if take.size else []
    for k, line in enumerate(lines):
        reason = reasons if isinstance(reasons, str) else reasons[k]
        problems.add(f.name, int(line), column, reason)
    problems.dropped += int(rows.size - take.size)


def _texts(s: pl.Series, rows: np.ndarray, limit: int) -> list[str]:
    return [str(v) for v in s.gather(rows[:limit]).to_list()]


def decimal_column(
    f: CsvFile, s: pl.Series, column: str, problems: ProblemList, *, required: bool
) -> np.ndarray:
    """Non-negative decimals as float64 (NaN where empty); bad cells are reported with their lines."""
    empty = s.is_null().to_numpy()
    if required and empty.any():
        add_row_problems(problems, f, np.flatnonzero(empty), column, EMPTY_REASON)
    fmt_ok = s.str.contains(_DECIMAL).fill_null(True).to_numpy()
    bad_fmt = np.flatnonzero(~fmt_ok)
    if bad_fmt.size:
        texts = _texts(s, bad_fmt, problems.limit)
        add_row_problems(problems, f, bad_fmt, column, [f"“{t}” 不是数字 (not a number)" for t in texts])
    values = s.cast(pl.Float64, strict=False).to_numpy().astype(np.float64, copy=True)
    values[~fmt_ok] = np.nan
    negative = np.flatnonzero(values < 0)
    if negative.size:
        texts = _texts(s, negative, problems.limit)
        add_row_problems(problems, f, negative, column, [f"“{t}” 是负数 (negative number)" for t in texts])
        values[negative] = np.nan
    long = s.str.len_chars().fill_null(0).to_numpy() > MAX_DIGITS
    if long.any():
        idx = np.flatnonzero(long & fmt_ok)
        digits = (
            s.gather(idx)
            .str.replace(r"^[+-]", "")
            .str.replace(r"(\.[0-9]*?)0+$", "$1")
            .str.replace(r"\.", "")
            .str.strip_chars_start("0")
            .str.len_chars()
            .to_numpy()
        )
        too_long = idx[digits > MAX_DIGITS]
        if too_long.size:
            texts = _texts(s, too_long, problems.limit)
            add_row_problems(
                problems, f, too_long, column,
                [f"“{t}” 超过 {MAX_DIGITS} 位有效数字 (more than {MAX_DIGITS} significant digits)" for t in texts],
            )
            values[too_long] = np.nan
    return values


def integer_column(
    f: CsvFile, s: pl.Series, column: str, problems: ProblemList, *, required: bool, minimum: int = 0
) -> np.ndarray:
    """Whole numbers ≥ ``minimum`` as int64; empty or bad cells are reported and set to -1."""
    empty = s.is_null().to_numpy()
    if required and empty.any():
        add_row_problems(problems, f, np.flatnonzero(empty), column, EMPTY_REASON)
    fmt_ok = s.str.contains(_INTEGER).fill_null(True).to_numpy()
    parsed = s.cast(pl.Int64, strict=False)
    overflow = fmt_ok & ~empty & parsed.is_null().to_numpy()
    values = parsed.fill_null(-1).to_numpy().astype(np.int64, copy=True)
    bad = np.flatnonzero(~fmt_ok | overflow | (~empty & (values < minimum)))
    if bad.size:
        texts = _texts(s, bad, problems.limit)
        if minimum == 0:
            cn, en = "非负整数", "not a non-negative whole number"
        else:
            cn, en = f"≥ {minimum} 的整数", f"not a whole number ≥ {minimum}"
        add_row_problems(problems, f, bad, column, [f"“{t}” 不是{cn} ({en})" for t in texts])
        values[bad] = -1
    values[empty] = -1
    return values
