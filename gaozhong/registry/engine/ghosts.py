"""Detect ``ghost_registration`` (空挂学籍): 在籍 but neither attending nor sitting an exam anywhere.

Rule: seed 002 §三(一) (加强人籍分离、空挂学籍、批量转学等治理); issue 10 §2. A 在籍 student is a ghost when,
over all examined terms, the attendance days summed over every school are 0 (no rows, or rows of 0 days) and
no exam was sat at any school. 休学, 转出 and 毕业 students are never ghosts. Data of terms not examined is
ignored.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .encode import Encoded
from .model import Terms

__all__ = ["KIND", "detect_ghosts"]

KIND = "ghost_registration"


def detect_ghosts(enc: Encoded, terms: Terms) -> pl.DataFrame:
    """Rows (kind, sid, school_id, evidence) for every ghost, at the school where it is registered.

    Evidence: ``2025-1、2025-2 学期 在任何学校均无出勤天数和统考记录，在籍学校 S03``.
    """
    examined = enc.term_codes(terms.examined)
    attended = enc.attendance.filter(pl.col("term").is_in(examined) & (pl.col("days_present") > 0))["sid"]
    sat = enc.exams.filter(pl.col("term").is_in(examined))["sid"]
    seen = np.zeros(enc.students.height, dtype=bool)
    seen[attended.to_numpy()] = True
    seen[sat.to_numpy()] = True
    ghost = np.flatnonzero(enc.active() & ~seen)
    prefix = f"{'、'.join(terms.examined)} 学期 在任何学校均无出勤天数和统考记录，在籍学校 "
    return (
        enc.students.select("school_id")
        .with_row_index("sid")
        .filter(pl.col("sid").is_in(pl.Series(ghost, dtype=pl.UInt32).implode()))
        .select(pl.lit(KIND).alias("kind"), "sid", "school_id", (pl.lit(prefix) + pl.col("school_id")).alias("evidence"))
    )
