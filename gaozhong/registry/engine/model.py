"""The registry check's vocabulary: statuses, anomaly kinds, output columns, parameters and typed inputs/results.

Everything here is plain data; the detectors live in their own modules and :mod:`.check` ties them together.
The frames in :class:`RegistryInputs` have the exact schemas in ``*_SCHEMA`` below, so the web app can build
them from its database and call :func:`gaozhong.registry.engine.check_frames` without any file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

__all__ = [
    "ACTIVE",
    "STATUSES",
    "KINDS",
    "OUTPUT_COLUMNS",
    "REGISTRY_SCHEMA",
    "ATTENDANCE_SCHEMA",
    "EXAMS_SCHEMA",
    "TRANSFERS_SCHEMA",
    "Terms",
    "CheckParams",
    "RegistryInputs",
    "Anomaly",
    "CheckResult",
]

#: 在籍: the only status that can be a ghost, a duplicate or 人籍分离.
ACTIVE = "在籍"
#: Every status a registry row may have (issue 10 §2); anything else is bad input.
STATUSES: tuple[str, ...] = ("在籍", "休学", "转出", "毕业")

#: Anomaly kinds in output order: rows are sorted by this order first.
KINDS: tuple[str, ...] = (
    "duplicate_registration",
    "ghost_registration",
    "registry_attendance_mismatch",
    "bulk_transfer",
    "invalid_id_number",
)
OUTPUT_COLUMNS: tuple[str, ...] = ("kind", "student_id", "id_number", "school_id", "evidence")

REGISTRY_SCHEMA = pl.Schema(
    {
        "student_id": pl.String,
        "id_number": pl.String,
        "name": pl.String,
        "school_id": pl.String,
        "grade": pl.String,
        "status": pl.String,
    }
)
ATTENDANCE_SCHEMA = pl.Schema(
    {"student_id": pl.String, "school_id": pl.String, "term": pl.String, "days_present": pl.Int64}
)
EXAMS_SCHEMA = pl.Schema({"student_id": pl.String, "school_id": pl.String, "exam_id": pl.String, "term": pl.String})
TRANSFERS_SCHEMA = pl.Schema(
    {"student_id": pl.String, "from_school_id": pl.String, "to_school_id": pl.String, "date": pl.Date}
)


@dataclass(frozen=True, slots=True)
class Terms:
    """The terms examined (``terms.toml``): ``current`` is one of ``examined``; data of other terms is ignored."""

    current: str
    examined: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.examined or self.current not in self.examined:
            raise ValueError(f"current term {self.current!r} must be one of the examined terms {self.examined!r}")


@dataclass(frozen=True, slots=True)
class CheckParams:
    """Thresholds of the bulk-transfer rule: ``bulk_threshold`` (K) transfers within ``bulk_window_days`` (D),
    and ``today``, the day the 身份证号 rule judges birth dates against (None: the day the check runs).

    K ≥ 2 (one transfer is never a batch) and D ≥ 1 (last date − first date < D must be satisfiable).
    """

    bulk_threshold: int = 10
    bulk_window_days: int = 30
    today: date | None = None

    def __post_init__(self) -> None:
        if self.bulk_threshold < 2:
            raise ValueError(f"bulk_threshold must be at least 2, got {self.bulk_threshold}")
        if self.bulk_window_days < 1:
            raise ValueError(f"bulk_window_days must be at least 1, got {self.bulk_window_days}")


@dataclass(frozen=True, slots=True)
class RegistryInputs:
    """The four tables and the terms, validated and typed (schemas ``*_SCHEMA``); extra columns are allowed."""

    registry: pl.DataFrame
    attendance: pl.DataFrame
    exams: pl.DataFrame
    transfers: pl.DataFrame
    terms: Terms

    def __post_init__(self) -> None:
        for label, frame, schema in (
            ("registry", self.registry, REGISTRY_SCHEMA),
            ("attendance", self.attendance, ATTENDANCE_SCHEMA),
            ("exams", self.exams, EXAMS_SCHEMA),
            ("transfers", self.transfers, TRANSFERS_SCHEMA),
        ):
            for column, dtype in schema.items():
                got = frame.schema.get(column)
                if got is None:
                    raise TypeError(f"{label} frame lacks column {column!r}")
                if got != dtype:
                    raise TypeError(f"{label}.{column} must be {dtype}, got {got}")


@dataclass(frozen=True, slots=True)
class Anomaly:
    """One output row: what kind, whose, where, and a sentence a 学籍 clerk can act on."""

    kind: str
    student_id: str
    id_number: str
    school_id: str
    evidence: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    """All anomalies found, as a frame with columns :data:`OUTPUT_COLUMNS` in the documented order.

    Order: kind in the order of :data:`KINDS`, then student_id, school_id and evidence, each compared by
    Unicode code point. ``id_number`` is the registry's value ("" when the registry row has none).
    """

    frame: pl.DataFrame
    params: CheckParams = field(default_factory=CheckParams)

    def anomalies(self) -> list[Anomaly]:
        return [Anomaly(*row) for row in self.frame.select(OUTPUT_COLUMNS).iter_rows()]

    def counts(self) -> dict[str, int]:
        """Number of rows of each kind, every kind present (0 when none)."""
        got = dict(self.frame.group_by("kind").len().iter_rows()) if self.frame.height else {}
        return {kind: int(got.get(kind, 0)) for kind in KINDS}

    def to_csv(self) -> str:
        """OUT.csv text: UTF-8, header line, ``\\n`` line ends, fields quoted only when needed, an empty value
        written as nothing (``G1,,S01``)."""
        empty_as_null = [pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in OUTPUT_COLUMNS]
        return self.frame.select(empty_as_null).write_csv(line_terminator="\n")
