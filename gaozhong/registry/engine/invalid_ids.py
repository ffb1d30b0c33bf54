"""Detect ``invalid_id_number``: a registry 身份证号 that fails GB 11643, whatever the student's status.

Rule: the platform's one ID-number check (:mod:`gaozhong.importer.idnumber`, GB 11643-1999), judged on the
day of the check (``CheckParams.today``); issue 10 §2. The whole column is tested at once; only the failing
rows are explained in words.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from .encode import Encoded
from .idnumber import id_number_problems, valid_mask

__all__ = ["KIND", "detect_invalid_ids"]

KIND = "invalid_id_number"


def detect_invalid_ids(enc: Encoded, today: date | None = None) -> pl.DataFrame:
    """Rows (kind, sid, school_id, evidence), evidence ``身份证号不符合 GB 11643：<every reason>``."""
    today = today or date.today()
    students = enc.students.select("id_number", "school_id").with_row_index("sid")
    bad = students.filter(~valid_mask(students["id_number"], today=today))
    reasons = []
    for value in bad["id_number"].to_list():
        problems = id_number_problems(value, today=today)
        if not problems:  # the column test and the explanation must agree
            raise AssertionError(f"id number {value!r} failed the column test but has no reason")
        reasons.append("身份证号不符合 GB 11643：" + "；".join(problems))
    return bad.select(pl.lit(KIND).alias("kind"), "sid", "school_id", pl.Series("evidence", reasons, dtype=pl.String))
