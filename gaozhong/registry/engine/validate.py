"""Validate the four input tables and cast them to the typed frames of :class:`RegistryInputs`.

Every problem in every file is collected and reported at once, each with file, line (header = line 1),
column and reason; nothing is repaired or skipped. The rules (all files are checked whole, including rows of
terms that are not examined):

- identifiers (``student_id``, ``school_id``, ``from_school_id``, ``to_school_id``, ``term``, ``exam_id``) are
  non-empty and have no leading or trailing spaces (a padded id would silently fail to match);
- ``registry.csv``: ``status`` is one of 在籍, 休学, 转出, 毕业; each ``student_id`` appears once.
  ``id_number`` is not an input error when wrong: the check reports it as ``invalid_id_number``;
- ``attendance.csv``: ``days_present`` is a whole number 0–366; one row per (student, school, term);
- ``transfers.csv``: ``date`` is an ISO date ``YYYY-MM-DD`` that exists on the calendar; the two schools
  differ; no row is repeated exactly (a repeat would be counted twice towards a batch);
- every ``student_id`` of attendance, exams and transfers is in the registry.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from gaozhong.common.errors import ProblemList

from .csvtable import ROW, Table
from .encode import Encoded, encode
from .model import STATUSES, RegistryInputs, Terms

__all__ = ["REQUIRED", "validate_encoded", "validate_tables"]

REQUIRED: dict[str, tuple[str, ...]] = {
    "registry.csv": ("student_id", "id_number", "name", "school_id", "grade", "status"),
    "attendance.csv": ("student_id", "school_id", "term", "days_present"),
    "exams.csv": ("student_id", "school_id", "exam_id", "term"),
    "transfers.csv": ("student_id", "from_school_id", "to_school_id", "date"),
}
MAX_DAYS = 366
LIMIT = 200

_EMPTY = "值为空 (empty value)"


@dataclass
class _Collector:
    """Problems found so far, kept as (table, row, column, reason); at most LIMIT per rule are spelt out."""

    items: list[tuple[Table, int, str | None, str]] = field(default_factory=list)
    unlisted: int = 0

    def flag(self, table: Table, bad: pl.DataFrame, column: str | None, reason: Callable[[dict], str]) -> None:
        if bad.height == 0:
            return
        for row in bad.head(LIMIT).iter_rows(named=True):
            self.items.append((table, row[ROW], column, reason(row)))
        self.unlisted += max(0, bad.height - LIMIT)

    def raise_if_any(self, order: list[Table]) -> None:
        if not self.items and not self.unlisted:
            return
        rank = {id(t): i for i, t in enumerate(order)}
        located: set[tuple[int, int, int, str | None, str]] = set()
        for table, row, column, reason in self.items:
            line = table.line(row) or 0
            width = table.width(row) if reason == _EMPTY else None
            if width is not None and width < len(table.header):
                # A short row: say so once instead of naming each missing column as empty.
                column = None
                reason = f"该行只有 {width} 个字段，表头有 {len(table.header)} 个 (row has {width} fields, header has {len(table.header)})"
            col_rank = table.header.index(column) if column in table.header else -1
            located.add((rank[id(table)], line, col_rank, column, reason))
        problems = ProblemList(limit=LIMIT)
        for file_rank, line, _, column, reason in sorted(located, key=lambda p: (p[0], p[1], p[2], p[4])):
            problems.add(order[file_rank].name, line, column, reason)
        problems.dropped += self.unlisted
        problems.raise_if_any()


@dataclass(frozen=True)
class _Rule:
    """One rule: rows where ``bad`` is true are reported at ``column`` with ``reason(row)``.

    ``by_value`` rules look at one column only, so they are tested on its distinct values (few for school,
    term, exam, status and day columns) and only the rows holding a bad value are then picked out.
    """

    column: str | None
    bad: pl.Expr
    reason: Callable[[dict], str]
    by_value: bool = False


def _blank(column: str) -> pl.Expr:
    return pl.col(column).is_null() | (pl.col(column) == "")


def _id_rules(*columns: str, by_value: bool) -> list[_Rule]:
    rules = []
    for column in columns:
        rules.append(_Rule(column, _blank(column), lambda r: _EMPTY, by_value))
        rules.append(
            _Rule(
                column,
                pl.col(column).str.contains(r"^\s|\s$").fill_null(False),
                lambda r, c=column: f"“{r[c]}” 首尾有空格 (leading or trailing spaces)",
                by_value,
            )
        )
    return rules


def _apply(found: _Collector, table: Table, rules: list[_Rule]) -> None:
    """Count the row rules' bad rows in one pass and test the value rules on distinct values; look at the
    rows only of the rules that found any."""
    frame = table.frame
    row_rules = [rule for rule in rules if not rule.by_value]
    counts = frame.select([rule.bad.sum().alias(str(i)) for i, rule in enumerate(row_rules)]).row(0) if row_rules else ()
    for rule, count in zip(row_rules, counts, strict=True):
        if count:
            found.flag(table, frame.filter(rule.bad), rule.column, rule.reason)
    distinct: dict[str, pl.DataFrame] = {}
    for rule in rules:
        if not rule.by_value:
            continue
        assert rule.column is not None
        if rule.column not in distinct:
            distinct[rule.column] = frame.select(pl.col(rule.column).unique())
        bad = distinct[rule.column].filter(rule.bad)[rule.column]
        if bad.len() == 0:
            continue
        holds = pl.col(rule.column).is_in(bad.drop_nulls().implode())
        if bad.null_count():
            holds = holds | pl.col(rule.column).is_null()
        found.flag(table, frame.filter(holds), rule.column, rule.reason)


def _first_lines(table: Table, repeated: pl.DataFrame, keys: list[str], what: str, found: _Collector) -> None:
    """Report every row of ``repeated`` (rows of ``table`` sharing ``keys``) after the first, naming its line."""
    later = repeated.with_columns(pl.col(ROW).min().over(keys).alias("__first")).filter(pl.col(ROW) != pl.col("__first"))
    found.flag(
        table,
        later,
        None,
        lambda r: f"{what}重复，与第 {table.line(r['__first'])} 行相同 (duplicate of line {table.line(r['__first'])})",
    )


def _check_unique_students(found: _Collector, registry: Table) -> bool:
    """Each registry student_id once; returns whether that holds. Sorting finds a repeat cheaply."""
    ids = registry.frame["student_id"].drop_nulls()
    ordered = ids.filter(ids != "").sort()
    if not (ordered == ordered.shift(1)).any():
        return True
    frame = registry.frame.filter(pl.col("student_id").is_duplicated() & ~_blank("student_id"))
    _first_lines(registry, frame, ["student_id"], "学籍号", found)
    return False


def _check_coded(found: _Collector, table: Table, coded: pl.DataFrame, keys: list[str], what: str) -> None:
    """Unknown students (null sid) and repeats of ``keys`` (codes) in one encoded table."""
    unknown_rows = coded.filter(pl.col("sid").is_null())[ROW]
    if unknown_rows.len():
        unknown = table.frame.filter(pl.col(ROW).is_in(unknown_rows.implode()) & ~_blank("student_id"))
        found.flag(
            table,
            unknown,
            "student_id",
            lambda r: f"学籍号 “{r['student_id']}” 不在 registry.csv 中 (student not in registry.csv)",
        )
    if not keys:
        return
    complete = coded.drop_nulls(keys)
    if complete.height == 0:
        return
    # One integer per key when the codes fit (mixed radix, each column offset by its minimum): hashing one
    # integer is much cheaper than hashing a struct; otherwise the struct itself.
    bounds = complete.select(
        *(pl.col(c).cast(pl.Int64).min().alias(f"{c}_min") for c in keys),
        *(pl.col(c).cast(pl.Int64).max().alias(f"{c}_max") for c in keys),
    ).row(0, named=True)
    spans = [bounds[f"{c}_max"] - bounds[f"{c}_min"] + 1 for c in keys]
    if math.prod(spans) < 2**62:
        key = pl.lit(0, dtype=pl.Int64)
        for column, span in zip(keys, spans, strict=True):
            key = key * span + (pl.col(column).cast(pl.Int64) - bounds[f"{column}_min"])
    else:
        key = pl.struct(keys)
    if complete.select(key.n_unique()).item() == complete.height:
        return
    repeated_rows = complete.filter(key.is_duplicated()).select(ROW, *keys)
    _first_lines(table, repeated_rows, keys, what, found)


_DAYS = pl.col("days_present")
_WHOLE = _DAYS.str.contains(r"^[0-9]+$").fill_null(False)
_DAYS_INT = _DAYS.str.to_integer(strict=False)
_DATE = pl.col("date").str.to_date("%Y-%m-%d", strict=False)

_REGISTRY_RULES = [
    *_id_rules("student_id", by_value=False),
    *_id_rules("school_id", by_value=True),
    _Rule("status", _blank("status"), lambda r: _EMPTY, True),
    _Rule(
        "status",
        ~_blank("status") & ~pl.col("status").is_in(STATUSES),
        lambda r: f"未知的学籍状态 “{r['status']}”，应为 {'、'.join(STATUSES)} 之一 (unknown status)",
        True,
    ),
]
_ATTENDANCE_RULES = [
    *_id_rules("student_id", by_value=False),
    *_id_rules("school_id", "term", by_value=True),
    _Rule("days_present", _blank("days_present"), lambda r: _EMPTY, True),
    _Rule(
        "days_present",
        ~_blank("days_present") & ~_WHOLE,
        lambda r: f"“{r['days_present']}” 不是非负整数天数 (not a non-negative whole number of days)",
        True,
    ),
    _Rule(
        "days_present",
        _WHOLE & (_DAYS_INT.is_null() | (_DAYS_INT > MAX_DAYS)),
        lambda r: f"“{r['days_present']}” 天超过 {MAX_DAYS} 天 (more than {MAX_DAYS} days in one term)",
        True,
    ),
]
_EXAM_RULES = [*_id_rules("student_id", by_value=False), *_id_rules("school_id", "exam_id", "term", by_value=True)]
_TRANSFER_RULES = [
    *_id_rules("student_id", by_value=False),
    *_id_rules("from_school_id", "to_school_id", by_value=True),
    _Rule("date", _blank("date"), lambda r: _EMPTY, True),
    _Rule(
        "date",
        ~_blank("date")
        & (~pl.col("date").str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$") | _DATE.is_null() | (_DATE.dt.year() < 1)),
        lambda r: f"“{r['date']}” 不是有效日期，应为 YYYY-MM-DD (not a calendar date in ISO form YYYY-MM-DD)",
        True,
    ),
    _Rule(
        "to_school_id",
        ~_blank("from_school_id") & (pl.col("from_school_id") == pl.col("to_school_id")),
        lambda r: f"转入学校与转出学校相同 “{r['to_school_id']}” (from and to school are the same)",
    ),
]


def validate_encoded(registry: Table, attendance: Table, exams: Table, transfers: Table) -> Encoded:
    """Check all four tables and return them coded (:mod:`.encode`), or raise :class:`InputError` listing every
    problem found, in file order, then line, then column."""
    found = _Collector()
    _apply(found, registry, _REGISTRY_RULES)
    _apply(found, attendance, _ATTENDANCE_RULES)
    _apply(found, exams, _EXAM_RULES)
    _apply(found, transfers, _TRANSFER_RULES)
    unique = _check_unique_students(found, registry)
    # Bad values were reported above; here they are null so that the cross-table checks can still run.
    reg = registry.frame if unique else registry.frame.unique("student_id", keep="first", maintain_order=True)
    enc = encode(
        reg.with_columns(pl.col("id_number").fill_null("")),
        attendance.frame.with_columns(_DAYS_INT.alias("days_present")),
        exams.frame,
        transfers.frame.with_columns(_DATE.alias("date")),
    )
    _check_coded(found, attendance, enc.attendance, ["sid", "school", "term"], "同一学生、学校、学期的出勤")
    _check_coded(found, exams, enc.exams, [], "")
    _check_coded(found, transfers, enc.transfers, ["sid", "from_school", "to_school", "date"], "转学记录")
    found.raise_if_any([registry, attendance, exams, transfers])
    return enc


def validate_tables(registry: Table, attendance: Table, exams: Table, transfers: Table, terms: Terms) -> RegistryInputs:
    """Check all four tables; return them typed (for :func:`check_frames`), or raise :class:`InputError`."""
    validate_encoded(registry, attendance, exams, transfers)
    return RegistryInputs(
        registry=registry.frame.select(
            pl.col("student_id"),
            pl.col("id_number").fill_null(""),
            pl.col("name").fill_null(""),
            pl.col("school_id"),
            pl.col("grade").fill_null(""),
            pl.col("status"),
        ),
        attendance=attendance.frame.select("student_id", "school_id", "term", _DAYS_INT.alias("days_present")),
        exams=exams.frame.select("student_id", "school_id", "exam_id", "term"),
        transfers=transfers.frame.select("student_id", "from_school_id", "to_school_id", _DATE.alias("date")),
        terms=terms,
    )
