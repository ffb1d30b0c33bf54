"""Detect ``bulk_transfer`` (批量转学): K or more transfers from one school to the same school within D days.

Rule: seed 002 §三(一) (批量转学治理); issue 10 §2, defaults K = 10, D = 30.

Precisely. Take the transfers of one (from school, to school) pair in date order (ties in registry order; the
result does not depend on how ties are ordered).
A *window* is K transfers consecutive in that order; it *qualifies* when last date − first date < D. A
transfer is flagged when it lies in at least one qualifying window; equivalently, when some K or more
transfers of the pair including it span fewer than D days. Qualifying windows that share a transfer belong to
one *batch* (so overlapping windows chain into one batch, which may span more than D days in total, while two
separate bursts far apart are two batches). Each flagged transfer gets one row, school_id = the school left;
its evidence names the destination, its batch's first and last date and size, and the transfer's own date.
K − 1 transfers, or K transfers spanning exactly D days, are not flagged. Transfers have dates, not terms,
so every transfer in transfers.csv takes part, whatever the examined terms.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .encode import Encoded
from .model import CheckParams

__all__ = ["KIND", "detect_bulk_transfers", "flag_windows"]

KIND = "bulk_transfer"


def flag_windows(group: np.ndarray, day: np.ndarray, k: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For transfers sorted by (group, day): which are flagged, and each one's batch's first and last index.

    Returns ``flagged`` (bool per transfer) and ``first``/``last`` (int per transfer, -1 where not flagged).
    """
    n = len(day)
    flagged = np.zeros(n, dtype=bool)
    first = np.full(n, -1, dtype=np.int64)
    last = np.full(n, -1, dtype=np.int64)
    if n < k:
        return flagged, first, last
    start = np.arange(n - k + 1)
    qualifies = (group[start + k - 1] == group[start]) & (day[start + k - 1] - day[start] < d)
    starts = np.flatnonzero(qualifies)
    if starts.size == 0:
        return flagged, first, last
    # Transfer i is flagged when a qualifying window starts in [i - k + 1, i].
    before = np.concatenate(([0], np.cumsum(qualifies)))
    index = np.arange(n)
    lo = np.clip(index - k + 1, 0, n - k + 1)
    hi = np.clip(index + 1, 0, n - k + 1)
    flagged = before[hi] - before[lo] > 0
    # Windows overlap (share a transfer) when their starts are less than k apart: one batch.
    new_batch = np.concatenate(([True], np.diff(starts) > k - 1))
    batch_of_start = np.cumsum(new_batch) - 1
    batch_first = starts[new_batch]
    batch_last = starts[np.concatenate((new_batch[1:], [True]))] + k - 1
    members = np.flatnonzero(flagged)
    latest_start = np.searchsorted(starts, members, side="right") - 1
    batch = batch_of_start[latest_start]
    first[members] = batch_first[batch]
    last[members] = batch_last[batch]
    return flagged, first, last


def detect_bulk_transfers(enc: Encoded, params: CheckParams) -> pl.DataFrame:
    """Rows (kind, sid, school_id, evidence) for every transfer in a batch, at the school it left.

    Evidence: ``从 S03 转往 S07：2025-03-01 至 2025-03-12 共 12 人次（阈值：30 天内 10 人次），本次转学日期
    2025-03-05``.
    """
    k, d = params.bulk_threshold, params.bulk_window_days
    ordered = enc.transfers.select("sid", "from_school", "to_school", "date").sort("from_school", "to_school", "date", "sid")
    new_pair = (pl.col("from_school") != pl.col("from_school").shift(1)) | (
        pl.col("to_school") != pl.col("to_school").shift(1)
    )
    group = ordered.select(new_pair.fill_null(True).cum_sum().alias("g"))["g"].to_numpy()
    day = ordered["date"].cast(pl.Int32).to_numpy()
    flagged, first, last = flag_windows(group, day, k, d)
    rows = ordered.filter(pl.Series(flagged))
    dates = ordered["date"]
    first, last = first[flagged], last[flagged]
    rows = rows.with_columns(
        enc.schools.gather(rows["from_school"]).alias("school_id"),
        enc.schools.gather(rows["to_school"]).alias("to_school_id"),
        dates.gather(first).alias("first_date"),
        dates.gather(last).alias("last_date"),
        pl.Series("size", last - first + 1),
    )
    return rows.select(
        pl.lit(KIND).alias("kind"),
        "sid",
        "school_id",
        pl.format(
            f"从 {{}} 转往 {{}}：{{}} 至 {{}} 共 {{}} 人次（阈值：{d} 天内 {k} 人次），本次转学日期 {{}}",
            "school_id",
            "to_school_id",
            "first_date",
            "last_date",
            "size",
            "date",
        ).alias("evidence"),
    )
