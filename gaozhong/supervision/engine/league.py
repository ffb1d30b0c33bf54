"""League tables (排名) and the list of units falling behind (推进不力).

A league for one indicator ranks units by value in the direction of its target (lower is better for ≤ and
drop targets, higher for ≥; for = targets, nearer is better); equal values share a rank. The overall league
ranks units by the share of their judged indicators that are met, then by fewer missed.

Rule: 000 §四(五), 001 §四(四), 002 §四(三), 003 §四(五) — 定期进行工作进度通报，对推进不力的单位问责. A unit
falls behind when at least one indicator is missed after its deadline (逾期未达标) or at risk of missing it
(按趋势难以如期达标); the list is ordered by missed, then at-risk counts, and names those indicators.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Ranked", "rank", "UnitStatuses", "OverallRow", "overall", "Laggard", "laggards"]

JUDGED = ("met", "on_track", "at_risk", "not_met", "missed")


@dataclass(frozen=True)
class Ranked:
    rank: int
    key: str
    value: float


def rank(values: dict[str, float | None], direction: str, target: float | None = None) -> list[Ranked]:
    """Rank units (``key -> value``) best first; units without a value are left out; ties share a rank."""
    items = [(k, float(v)) for k, v in values.items() if v is not None]
    if direction in ("le", "lt", "drop"):
        score = lambda v: v  # noqa: E731
    elif direction == "eq" and target is not None:
        score = lambda v: abs(v - target)  # noqa: E731
    else:
        score = lambda v: -v  # noqa: E731
    items.sort(key=lambda kv: (score(kv[1]), kv[0]))
    out: list[Ranked] = []
    prev = None
    for i, (k, v) in enumerate(items, start=1):
        r = out[-1].rank if prev is not None and abs(score(v) - prev) < 1e-9 else i
        out.append(Ranked(r, k, v))
        prev = score(v)
    return out


@dataclass
class UnitStatuses:
    key: str
    label: str
    statuses: dict[str, str] = field(default_factory=dict)  # indicator code -> status


@dataclass(frozen=True)
class OverallRow:
    rank: int
    key: str
    label: str
    met: int
    judged: int
    missed: int
    at_risk: int

    @property
    def share(self) -> float:
        return 100.0 * self.met / self.judged if self.judged else 0.0


def overall(units: Sequence[UnitStatuses]) -> list[OverallRow]:
    rows = []
    for u in units:
        judged = [s for s in u.statuses.values() if s in JUDGED]
        rows.append((u, sum(s == "met" for s in judged), len(judged), sum(s == "missed" for s in judged), sum(s == "at_risk" for s in judged)))
    rows.sort(key=lambda r: (-(r[1] / r[2] if r[2] else 0.0), r[3], r[4], r[0].key))
    out: list[OverallRow] = []
    prev = None
    for i, (u, met, judged, missed, risk) in enumerate(rows, start=1):
        score = (round(met / judged, 9) if judged else 0.0, missed, risk)
        r = out[-1].rank if prev == score else i
        out.append(OverallRow(r, u.key, u.label, met, judged, missed, risk))
        prev = score
    return out


@dataclass(frozen=True)
class Laggard:
    key: str
    label: str
    missed: tuple[str, ...]
    at_risk: tuple[str, ...]


def laggards(units: Sequence[UnitStatuses]) -> list[Laggard]:
    """Units with a missed or at-risk indicator, worst first, with those indicators' codes."""
    out = []
    for u in units:
        missed = tuple(sorted(c for c, s in u.statuses.items() if s == "missed"))
        risk = tuple(sorted(c for c, s in u.statuses.items() if s == "at_risk"))
        if missed or risk:
            out.append(Laggard(u.key, u.label, missed, risk))
    out.sort(key=lambda lg: (-len(lg.missed), -len(lg.at_risk), lg.key))
    return out
