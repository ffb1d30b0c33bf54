"""Whether a value meets its target, and where the trend leads by the deadline.

Deadlines (Rule: the documents' "到 YYYY 年"): a target "到 YYYY 年" is the state at the end of school year
(YYYY−1)–YYYY, i.e. the school year that *starts* in YYYY−1 (:func:`judged_year`); for 高考 outcomes this is the
YYYY 高考, sat in June of that school year (the catalog files a 高考 under the school year it ends). So "到2023年"
is judged on 2022–23: not met then is ``missed``; not met in 2021–22 is still before the deadline.

Kinds of target (``Target.kind``): ``threshold`` (the value against the target), ``non_decreasing`` (不降低: the
threshold, and not below the unit's own value of the year before, seed 002 §三(八) 已经达到的不得降低),
``annual_drop`` (逐年下降 ≥ N: ``drop``, the value at least N below the year before, seed 003 §三(一)7), ``count``
(a number of units: a threshold on a count) and ``presence`` (建成: a yes/no value, met when 1).

Status of an indicator for one unit and one school year (the year's value against the target of the catalog
version in force that year):

- ``met`` 达标: the value meets the target (for ``drop``: it fell by at least the target since the year before).
- Not met, and the target has a deadline later than the year:
  - ``on_track`` 按趋势可如期达标: the projection to the deadline meets the target;
  - ``at_risk`` 按趋势难以如期达标: the projection does not meet it;
  - ``not_met`` 尚未达标: fewer than three yearly values, so no projection is made.
- ``missed`` 逾期未达标: not met in the deadline year or later, or not met for a target in force every year
  (for ``non_decreasing``: also when the value fell below the year before, ``Assessment.fell`` says so).
- ``no_data`` 无数据, ``no_target`` 未设目标值.

Projection (Rule: the issue's "projection to the deadline from the trend, only with ≥ 3 points"): an ordinary
least-squares straight line through the unit's yearly values up to the year judged (at most the last
``WINDOW`` = 5 years, at least 3), evaluated at the deadline year. Percentages are clipped to 0–100 and counts
at 0. For ``drop`` targets the slope itself is judged: on track when the line falls by at least the target per
year. The projection is a trend line, not a forecast model: it assumes the recent yearly change goes on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "STATUS_LABELS", "STATUS_ORDER", "WINDOW", "MIN_POINTS", "Target", "Projection", "Assessment", "meets", "project", "assess",
    "judged_year", "deadline_day",
]

WINDOW = 5
MIN_POINTS = 3
EPS = 1e-9

STATUS_LABELS = {
    "met": "达标",
    "on_track": "未达标·按趋势可如期达标",
    "at_risk": "未达标·按趋势难以如期达标",
    "not_met": "尚未达标",
    "missed": "逾期未达标",
    "no_data": "无数据",
    "no_target": "未设目标值",
}
# Worst first, for sorting lists by urgency.
STATUS_ORDER = ["missed", "at_risk", "not_met", "on_track", "met", "no_target", "no_data"]


def judged_year(deadline: int | None) -> int | None:
    """The school year (by its starting year) a "到 ``deadline`` 年" target is judged on: ``deadline`` − 1, the
    school year that ends in the summer of ``deadline``. None (in force every year) stays None."""
    return None if deadline is None else deadline - 1


def deadline_day(deadline: int) -> tuple[int, int, int]:
    """The last day of the school year a "到 ``deadline`` 年" target is judged on: 31 August of ``deadline``."""
    return (deadline, 8, 31)


@dataclass(frozen=True)
class Target:
    direction: str  # le, lt, ge, gt, eq, drop
    value: float | None
    deadline: int | None  # the school year judged, by its starting year (judged_year of the document's year); None = every year
    percent: bool = False  # a rate in 0–100, clipped when projected
    kind: str = "threshold"  # threshold | non_decreasing | annual_drop | count | presence

    def describe(self) -> str:
        signs = {"le": "≤", "lt": "<", "ge": "≥", "gt": ">", "eq": "="}
        if self.value is None:
            return "—"
        v = _fmt(self.value)
        if self.direction == "drop":
            return f"每年下降≥{v}"
        return f"{signs[self.direction]} {v}"


@dataclass(frozen=True)
class Projection:
    to_year: int
    value: float
    slope: float  # change per year
    intercept: float
    points: int
    meets: bool
    years: tuple[int, ...]

    def at(self, year: int) -> float:
        return self.intercept + self.slope * year


@dataclass(frozen=True)
class Assessment:
    year: int
    value: float | None
    status: str
    projection: Projection | None = None
    previous: float | None = None
    fell: bool = False  # a non_decreasing target whose value fell below the year before

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _fmt(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < EPS else f"{x:.2f}".rstrip("0").rstrip(".")


def meets(direction: str, value: float, target: float, previous: float | None = None) -> bool | None:
    """Whether ``value`` meets ``target``; for ``drop``, whether it is at least ``target`` below ``previous``
    (None when there is no previous value to compare with)."""
    if direction == "le":
        return value <= target + EPS
    if direction == "lt":
        return value < target - EPS
    if direction == "ge":
        return value >= target - EPS
    if direction == "gt":
        return value > target + EPS
    if direction == "eq":
        return abs(value - target) <= EPS
    if direction == "drop":
        if previous is None:
            return None
        return value <= previous - target + EPS
    raise ValueError(f"unknown direction {direction!r}")


def _ols(points: list[tuple[int, float]]) -> tuple[float, float]:
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    sxy = sum((x - mx) * (y - my) for x, y in points)
    slope = sxy / sxx if sxx else 0.0
    return slope, my - slope * mx


def project(series: Mapping[int, float | None], *, up_to: int, to_year: int, target: Target) -> Projection | None:
    """The least-squares line through the values of ``series`` in years ≤ ``up_to`` (last ``WINDOW`` years),
    evaluated at ``to_year``; None with fewer than ``MIN_POINTS`` values."""
    pts = sorted((y, float(v)) for y, v in series.items() if v is not None and y <= up_to)[-WINDOW:]
    if len(pts) < MIN_POINTS:
        return None
    slope, intercept = _ols(pts)
    value = intercept + slope * to_year
    if target.percent:
        value = min(100.0, max(0.0, value))
    elif target.direction != "drop":
        value = max(0.0, value) if all(v >= 0 for _, v in pts) else value
    if target.value is None:
        ok = False
    elif target.direction == "drop":
        ok = slope <= -target.value + EPS
    elif target.direction == "eq":
        ok = abs(value - target.value) < 0.5
    else:
        ok = bool(meets(target.direction, value, target.value))
    return Projection(to_year=to_year, value=value, slope=slope, intercept=intercept, points=len(pts), meets=ok, years=tuple(y for y, _ in pts))


def assess(series: Mapping[int, float | None], year: int, target: Target) -> Assessment:
    """Status of ``year``'s value in ``series`` (yearly values of one unit) against ``target``."""
    value = series.get(year)
    previous = series.get(year - 1)
    if value is None:
        return Assessment(year, None, "no_data")
    if target.value is None:
        return Assessment(year, value, "no_target")
    ok = meets(target.direction, float(value), target.value, None if previous is None else float(previous))
    if target.kind == "non_decreasing" and ok and previous is not None and float(value) < float(previous) - EPS:
        # Rule: 002 §三(八), 已经达到的不得降低: meeting the threshold after a fall is not 达标.
        return Assessment(year, value, "missed", previous=previous, fell=True)
    before_deadline = target.deadline is not None and year < target.deadline
    proj = project(series, up_to=year, to_year=target.deadline, target=target) if before_deadline else None
    if ok is None:  # a drop target with no value the year before
        return Assessment(year, value, "no_data", projection=proj, previous=previous)
    if ok:
        return Assessment(year, value, "met", projection=proj, previous=previous)
    if not before_deadline:
        return Assessment(year, value, "missed", previous=previous)
    if proj is None:
        return Assessment(year, value, "not_met", previous=previous)
    return Assessment(year, value, "on_track" if proj.meets else "at_risk", projection=proj, previous=previous)
