"""How a program ranks its applicants: by its ``rank_by`` column, then the policy's tie-break columns, then lottery.

Higher values win; among equal values the tie-break columns decide in the policy's order (higher wins), and
last the ``lottery`` number (lower wins; unique, so there is never a tie left). Under the
``first_choice_first`` mechanism the score band (``floor(value / band_width)``, higher first) and then the rank
at which the student listed the program come before all of that (see :mod:`run`).

Rule: issue 6 §1 — each program ranks by (rank_by, tie-break columns, lottery).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .types import AdmissionCase

__all__ = ["Ranking", "ranking", "score_bands"]


@dataclass(frozen=True, eq=False)
class Ranking:
    """One column's ranking of all students: ``order`` lists those with a value, best first; ``position`` is
    each student's place in it (-1 without a value)."""

    order: np.ndarray  # int64 student indices
    position: np.ndarray  # int64 per student


def _codes(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Integer codes with the same order as ``values`` (no NaN) and their span (max - min + 1)."""
    if values.size == 0:
        return np.zeros(0, dtype=np.int64), 1
    for digits in range(0, 7):
        scale = 10.0**digits
        scaled = np.round(values * scale)
        if np.array_equal(scaled / scale, values):  # every value is exactly m / 10**digits
            low, high = scaled.min(), scaled.max()
            if high - low < 2**40:
                return (scaled - low).astype(np.int64), int(high - low) + 1
            break
    uniq, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.int64), len(uniq)


def ranking(case: AdmissionCase, column: str) -> Ranking:
    """Rank every student by ``column`` (higher first), the policy's tie-break columns (higher first), then
    ``lottery`` (lower first). Students without a value in ``column`` are left out."""
    st = case.students
    values = st.values[column]
    has = ~np.isnan(values)
    idx = np.flatnonzero(has) if not has.all() else np.arange(len(values))
    keys: list[tuple[np.ndarray, int]] = []  # most significant first, each "lower sorts first"
    for col in (column, *case.policy.tiebreak):
        codes, span = _codes(st.values[col][idx])
        keys.append((span - 1 - codes, span))
    lottery = st.lottery[idx]
    low = int(lottery.min()) if lottery.size else 0
    keys.append((lottery - low, int(lottery.max()) - low + 1 if lottery.size else 1))
    total = 1
    for _, span in keys:
        total *= span
    if total < 2**62:
        composite = np.zeros(idx.size, dtype=np.int64)
        for codes, span in keys:
            composite *= span
            composite += codes
        # The lottery makes every key different, so an unstable sort (much faster) gives the same order; a case
        # whose lottery numbers repeat (never one read from files) gets the stable sort.
        order = np.argsort(composite)
        ranked_keys = composite[order]
        if ranked_keys.size > 1 and not bool((ranked_keys[1:] != ranked_keys[:-1]).all()):
            order = np.argsort(composite, kind="stable")
    else:
        order = np.lexsort([codes for codes, _ in reversed(keys)])
    position = np.full(len(values), -1, dtype=np.int64)
    ranked = idx[order]
    position[ranked] = np.arange(idx.size, dtype=np.int64)
    return Ranking(order=ranked, position=position)


def score_bands(values: np.ndarray, band_width: Fraction) -> np.ndarray:
    """floor(value / band_width) computed exactly for every value (NaN gets a band below all others)."""
    out = np.full(len(values), np.iinfo(np.int64).min // 4, dtype=np.int64)
    has = ~np.isnan(values)
    if not has.any():
        return out
    uniq, inverse = np.unique(values[has], return_inverse=True)
    bands = np.asarray([(Fraction(repr(float(v))) / band_width).__floor__() for v in uniq], dtype=np.int64)
    out[has] = bands[inverse]
    return out
