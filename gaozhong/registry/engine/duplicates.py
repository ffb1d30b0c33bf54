"""Detect ``duplicate_registration`` (重复学籍): one 身份证号 在籍 under two or more student_ids.

Rule: seed 002 §三(一) (严格落实和规范学籍管理要求); issue 10 §2. Only 在籍 rows count: a 转出 or 毕业 row with
the same number is history, not a second registration. An empty id_number is never a duplicate (it is
reported as ``invalid_id_number``). Each student_id of such a number gets a row at its own school.
"""

from __future__ import annotations

import polars as pl

from .encode import Encoded

__all__ = ["KIND", "detect_duplicates"]

KIND = "duplicate_registration"


def detect_duplicates(enc: Encoded) -> pl.DataFrame:
    """Rows (kind, sid, school_id, evidence) for every 在籍 student sharing its id_number with another.

    Evidence: ``身份证号 … 同时在籍于 N 个学籍号：G1（S1）、G2（S2）`` with student_ids in code point order.
    """
    candidates = enc.students.with_row_index("sid").filter(pl.col("active") & (pl.col("id_number") != ""))
    ordered = candidates["id_number"].sort()
    repeated = ordered.filter(ordered == ordered.shift(1)).unique()
    shared = candidates.filter(pl.col("id_number").is_in(repeated.implode()))
    listing = shared.group_by("id_number").agg(
        pl.format("{}（{}）", "student_id", "school_id").sort_by("student_id").str.join("、").alias("listing"),
        pl.len().alias("count"),
    )
    return shared.join(listing, on="id_number").select(
        pl.lit(KIND).alias("kind"),
        "sid",
        "school_id",
        pl.format("身份证号 {} 同时在籍于 {} 个学籍号：{}", "id_number", "count", "listing").alias("evidence"),
    )
