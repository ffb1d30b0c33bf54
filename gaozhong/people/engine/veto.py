"""The one-vote veto (一票否决): which 师德 records block a promotion, a title or an award on a given day.

Rule: seed 002 §三(二), 对师德失范者在提拔使用、评优评先、职称评聘等方面实行“一票否决”; seed 004 §24.
A record still being dealt with (open) blocks, whatever its dates: the workflow does not put forward a teacher
while a case is pending. A sanctioned record blocks from the first to the last day of its period (both
included); a sanction without an end blocks for good. A record found unsubstantiated (dismissed) never blocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["OPEN", "SANCTIONED", "DISMISSED", "EthicsCase", "blocks", "blocking"]

OPEN = "open"
SANCTIONED = "sanctioned"
DISMISSED = "dismissed"


@dataclass(frozen=True)
class EthicsCase:
    """What the rule needs of one 师德 record: its id, status and the period its sanction runs."""

    record_id: int
    status: str
    period_start: dt.date | None = None
    period_end: dt.date | None = None  # None: no end (lasting sanction)


def blocks(case: EthicsCase, on: dt.date) -> bool:
    """Whether ``case`` blocks a nomination on day ``on``.

    Rule: seed 002 §三(二) 一票否决: open → blocks; sanctioned → blocks within [period_start, period_end]
    (a missing start means from the start, a missing end means without end); dismissed → never.
    """
    if case.status == OPEN:
        return True
    if case.status == SANCTIONED:
        if case.period_start is not None and on < case.period_start:
            return False
        return case.period_end is None or on <= case.period_end
    if case.status == DISMISSED:
        return False
    raise ValueError(f"unknown 师德 record status {case.status!r}")


def blocking(cases: Iterable[EthicsCase], on: dt.date) -> list[EthicsCase]:
    """The cases that block on ``on``, in record-id order (the reason a refusal quotes)."""
    return sorted((c for c in cases if blocks(c, on)), key=lambda c: c.record_id)
