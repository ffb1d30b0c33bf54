"""Integer codes for students, schools, terms and exams, so that the detectors count with arrays, not strings.

A student's code (``sid``) is its row in the registry; a school's, term's or exam's code is its position in
the sorted list of every such name found in any table. Attendance, exams and transfers get the ``sid`` of
their ``student_id`` by one join with the registry; a row whose student is not in the registry gets a null
``sid`` (an input error, reported by :mod:`.validate`). Other columns, including ``__row`` when present,
pass through.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from .model import ACTIVE

__all__ = ["Encoded", "encode"]


@dataclass(frozen=True)
class Encoded:
    """The four tables with codes. ``students`` row i is the student with sid i."""

    schools: pl.Series
    terms: pl.Series
    exam_ids: pl.Series
    #: student_id, id_number, school_id, status, home (school code), active (在籍)
    students: pl.DataFrame
    #: sid, school, term (codes), days_present
    attendance: pl.DataFrame
    #: sid, school, term, exam (codes)
    exams: pl.DataFrame
    #: sid, from_school, to_school (codes), date
    transfers: pl.DataFrame

    def term_codes(self, names: tuple[str, ...] | list[str]) -> list[int]:
        """Codes of the given term names that occur in the data (a listed term with no data has none)."""
        index = {name: i for i, name in enumerate(self.terms.to_list())}
        return [index[name] for name in names if name in index]

    def home(self) -> np.ndarray:
        """School code of each student's registration, indexed by sid."""
        return self.students["home"].to_numpy()

    def active(self) -> np.ndarray:
        """Whether each student is 在籍, indexed by sid."""
        return self.students["active"].to_numpy()


def _names(*columns: pl.Series) -> pl.Series:
    return pl.concat([c.drop_nulls().unique() for c in columns]).unique().sort()


def _code(column: str, names: pl.Series, alias: str) -> pl.Expr:
    return pl.col(column).cast(pl.Enum(names)).to_physical().alias(alias)


def _row(frame: pl.DataFrame) -> list[str]:
    """The record-index column, when the frame came from a file (for error messages)."""
    return [c for c in ("__row",) if c in frame.columns]


def encode(
    registry: pl.DataFrame, attendance: pl.DataFrame, exams: pl.DataFrame, transfers: pl.DataFrame
) -> Encoded:
    """Code the tables (text key columns; registry.student_id unique). Unknown students get a null sid."""
    schools = _names(
        registry["school_id"],
        attendance["school_id"],
        exams["school_id"],
        transfers["from_school_id"],
        transfers["to_school_id"],
    )
    terms = _names(attendance["term"], exams["term"])
    exam_ids = _names(exams["exam_id"])
    sids = registry.select("student_id").with_row_index("sid")

    # One join for the three tables: the registry's hash table is built once.
    keys = pl.concat([frame.select("student_id") for frame in (attendance, exams, transfers)])
    joined = keys.join(sids, on="student_id", how="left", maintain_order="left")["sid"]
    att_sid = joined.slice(0, attendance.height)
    exam_sid = joined.slice(attendance.height, exams.height)
    transfer_sid = joined.slice(attendance.height + exams.height, transfers.height)

    students = registry.select(
        "student_id",
        "id_number",
        "school_id",
        "status",
        _code("school_id", schools, "home"),
        (pl.col("status") == ACTIVE).fill_null(False).alias("active"),
        *_row(registry),
    )
    att = attendance.select(
        att_sid.alias("sid"),
        _code("school_id", schools, "school"),
        _code("term", terms, "term"),
        "days_present",
        *_row(attendance),
    )
    exm = exams.select(
        exam_sid.alias("sid"),
        _code("school_id", schools, "school"),
        _code("term", terms, "term"),
        _code("exam_id", exam_ids, "exam"),
        *_row(exams),
    )
    trf = transfers.select(
        transfer_sid.alias("sid"),
        _code("from_school_id", schools, "from_school"),
        _code("to_school_id", schools, "to_school"),
        "date",
        *_row(transfers),
    )
    return Encoded(schools, terms, exam_ids, students, att, exm, trf)
