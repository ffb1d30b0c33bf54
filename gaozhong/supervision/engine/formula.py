"""An indicator's value over a set of units: sum the numerator and the denominator over the units that have both,
then numerator / denominator × factor (the DHIS2 way, so a county's rate weighs its schools by size).

A unit without a value for one of the two elements is left out and counted as not covered, so a county figure
says how many of its schools it stands for. With no covered unit, or a zero denominator, there is no value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Evaluation", "evaluate"]


@dataclass(frozen=True)
class Evaluation:
    value: float | None
    numerator: float | None
    denominator: float | None
    covered: int  # units that had every element the formula needs
    units: int  # units the formula was asked about


def evaluate(numerator: str, denominator: str | None, factor: float, rows: Iterable[Mapping[str, float | None]]) -> Evaluation:
    """Value of ``numerator / denominator × factor`` (or the summed numerator alone) over ``rows``.

    >>> evaluate("ok", "all", 100, [{"ok": 3, "all": 4}, {"ok": 1, "all": 4}, {"ok": None, "all": 5}])
    Evaluation(value=50.0, numerator=4.0, denominator=8.0, covered=2, units=3)
    """
    num = den = 0.0
    covered = units = 0
    for row in rows:
        units += 1
        n = row.get(numerator)
        d = row.get(denominator) if denominator else None
        if n is None or (denominator and d is None):
            continue
        covered += 1
        num += float(n)
        if denominator:
            den += float(d)
    if covered == 0:
        return Evaluation(None, None, None, 0, units)
    if denominator is None:
        return Evaluation(num * factor, num, None, covered, units)
    if den == 0:
        return Evaluation(None, num, den, covered, units)
    return Evaluation(num / den * factor, num, den, covered, units)
