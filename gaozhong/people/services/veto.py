"""The one-vote veto in the workflow: every service that puts a teacher forward (promotion, title, award, a
leadership post) calls :func:`veto_check` first and is refused with the reason and the blocking records.

Rule: seed 002 §三(二), 对师德失范者在提拔使用、评优评先、职称评聘等方面实行“一票否决”; seed 004 §24.
The check reads every 师德 record of the teacher, whoever asks: the rule must not depend on the viewer. The
services call it only after checking that the actor may change the teacher, so the records it returns are
ones the actor may see.
"""

from __future__ import annotations

import datetime as dt

from gaozhong.core.models import Teacher

from ..engine import veto
from ..models import EthicsRecord
from .common import Refused


class VetoRefused(Refused):
    """Refused by the one-vote veto; ``records`` are the blocking 师德 records."""


def veto_blockers(*, teacher: Teacher, on: dt.date) -> list[EthicsRecord]:
    """The teacher's 师德 records that block a nomination on ``on`` (Rule: seed 002 §三(二) 一票否决)."""
    records = list(EthicsRecord.objects.filter(teacher=teacher).exclude(status=EthicsRecord.Status.DISMISSED))
    blocking = {c.record_id for c in veto.blocking([r.as_case() for r in records], on)}
    return sorted((r for r in records if r.pk in blocking), key=lambda r: r.pk)


def veto_check(*, teacher: Teacher, what: str, on: dt.date) -> None:
    """Raise :class:`VetoRefused` when the teacher has an open, or on ``on`` a sanctioned, 师德 record.

    Rule: seed 002 §三(二) 一票否决 (``what`` names the step refused: 职称评聘, 评优评先, 提拔使用).
    """
    blockers = veto_blockers(teacher=teacher, on=on)
    if not blockers:
        return
    parts = []
    for r in blockers:
        if r.status == EthicsRecord.Status.OPEN:
            parts.append(f"{r.number}（{r.get_category_display()}，调查处理中）")
        else:
            end = r.period_end.isoformat() if r.period_end else "长期"
            parts.append(f"{r.number}（{r.get_category_display()}，{r.get_sanction_display()}，影响期 {r.period_start} 至 {end}）")
    raise VetoRefused(
        f"师德一票否决：{teacher.name}（{teacher.staff_no}）有未结或处分影响期内的师德记录 {'；'.join(parts)}，不得{what}。"
        f" (one-vote veto: an open or in-period 师德 record blocks this {what})",
        blockers,
    )
