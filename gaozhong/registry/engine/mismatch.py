"""Detect ``registry_attendance_mismatch`` (人籍分离): registered at school A, studying at school B.

Rule: seed 002 §三(一) (人籍分离治理); issue 10 §2. A 在籍 student registered at A is flagged when, in the
current term,

- the days present at one other school B are more than half of the student's days present at all schools
  (2·days_B > total; exactly half is not flagged; a student with 0 days in the term is not flagged this way), or
- a unified exam was sat at a school other than A.

One row per student, school_id = A; the evidence names B (every such school for exams) with the figures.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .encode import Encoded
from .model import Terms

__all__ = ["KIND", "detect_mismatch"]

KIND = "registry_attendance_mismatch"


def _by_attendance(enc: Encoded, current: int, home: np.ndarray, active: np.ndarray) -> pl.DataFrame:
    rows = enc.attendance.filter(pl.col("term") == current)
    sid, school, present = (rows[c].to_numpy() for c in ("sid", "school", "days_present"))
    n = len(home)
    total = np.bincount(sid, weights=present, minlength=n).astype(np.int64)
    at_home = school == home[sid]
    home_days = np.bincount(sid[at_home], weights=present[at_home], minlength=n).astype(np.int64)
    # Days elsewhere, summed per (student, school); only the few rows away from home need grouping.
    away = np.flatnonzero(~at_home & active[sid])
    elsewhere = (
        pl.DataFrame({"sid": sid[away], "school": school[away], "days": present[away].astype(np.int64)})
        .group_by("sid", "school")
        .agg(pl.col("days").sum())
    )
    who, where, days = (elsewhere[c].to_numpy() for c in ("sid", "school", "days"))
    flag = 2 * days > total[who]
    who, where, days = who[flag], where[flag], days[flag]
    return pl.DataFrame(
        {
            "sid": pl.Series(who, dtype=pl.UInt32),
            "b": enc.schools.gather(where),
            "days": days,
            "home_days": home_days[who],
            "rest": total[who] - days - home_days[who],
        }
    )


def _by_exam(enc: Encoded, current: int, home: np.ndarray, active: np.ndarray) -> pl.DataFrame:
    exams = enc.exams.filter(pl.col("term") == current)
    sid, school = exams["sid"].to_numpy(), exams["school"].to_numpy()
    away = exams.filter(pl.Series(active[sid] & (school != home[sid])))
    return (
        away.select(
            "sid", enc.schools.gather(away["school"]).alias("b"), enc.exam_ids.gather(away["exam"]).alias("exam_id")
        )
        .group_by("sid", "b")
        .agg(pl.col("exam_id").unique().sort().str.join("、"))
        .group_by("sid")
        .agg(pl.format("在 {} 参加统考 {}", "b", "exam_id").sort_by("b").str.join("；").alias("where"))
    )


def detect_mismatch(enc: Encoded, terms: Terms) -> pl.DataFrame:
    """Rows (kind, sid, school_id, evidence) for every 在籍 student taught or examined elsewhere.

    Evidence, attendance part: ``2025-2 学期 在 S07 出勤 61 天，在籍学校 S03 出勤 0 天`` (with
    ``，其他学校共 N 天`` when days at further schools exist); exam part: ``2025-2 学期 在 S07 参加统考 E1、E2``
    (schools and exam ids in code point order); an exam-only row ends with ``，在籍学校 S03``.
    """
    empty = pl.DataFrame(schema={"kind": pl.String, "sid": pl.UInt32, "school_id": pl.String, "evidence": pl.String})
    codes = enc.term_codes([terms.current])
    if not codes:
        return empty
    current, home, active = codes[0], enc.home(), enc.active()
    cur = terms.current
    att = _by_attendance(enc, current, home, active)
    exam = _by_exam(enc, current, home, active)
    both = att.join(exam, on="sid", how="full", coalesce=True)
    both = both.with_columns(enc.students["school_id"].gather(both["sid"]).alias("school_id"))
    attendance_text = pl.format(
        f"{cur} 学期 在 {{}} 出勤 {{}} 天，在籍学校 {{}} 出勤 {{}} 天", "b", "days", "school_id", "home_days"
    ) + pl.when(pl.col("rest") > 0).then(pl.format("，其他学校共 {} 天", "rest")).otherwise(pl.lit(""))
    exam_text = pl.lit(f"{cur} 学期 ") + pl.col("where")
    evidence = (
        pl.when(pl.col("b").is_not_null() & pl.col("where").is_not_null())
        .then(attendance_text + "；" + exam_text)
        .when(pl.col("b").is_not_null())
        .then(attendance_text)
        .otherwise(exam_text + "，在籍学校 " + pl.col("school_id"))
    )
    return both.select(pl.lit(KIND).alias("kind"), "sid", "school_id", evidence.alias("evidence"))
