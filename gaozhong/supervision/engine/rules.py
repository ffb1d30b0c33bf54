"""Validation rules of the base forms, run on every row of an import before anything is written.

A rule compares elements of one unit and period: ``le``/``ge``/``eq`` compare the left element with the sum of
the right ones (reported or computed from the platform's records); ``change`` flags a reported value that moved
more than ``threshold`` percent from the unit's last approved value of an earlier period, unless the row
carries a comment (Rule: the issue's validation rule "a value that changes more than 30% from last term needs a
comment"). A rule with a missing operand is not judged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .catalog import ElementDef, RuleDef

__all__ = ["Violation", "check_rules", "change_percent"]

EPS = 1e-9


@dataclass(frozen=True)
class Violation:
    rule: str
    element: str  # the reported element the problem is shown on
    reason: str


def change_percent(value: float, previous: float) -> float | None:
    """Relative change in percent; None when the previous value is 0 (any change from 0 is judged as 100%)."""
    if abs(previous) < EPS:
        return None if abs(value) < EPS else 100.0
    return (value - previous) / abs(previous) * 100.0


def _num(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.0f}" if abs(x - round(x)) < EPS else f"{x:.2f}"


def check_rules(
    rules: Sequence[RuleDef],
    elements: Mapping[str, ElementDef],
    *,
    level: str,
    values: Mapping[str, float | None],
    previous: Mapping[str, float | None],
    comment: str,
) -> list[Violation]:
    """Every violation of ``rules`` by one row of a ``level`` form.

    ``values`` holds the row's reported values and the unit's computed ones; ``previous`` the unit's last approved
    reported values of an earlier period.
    """
    out: list[Violation] = []
    for rule in rules:
        if rule.kind == "change":
            if comment.strip():
                continue
            for e in elements.values():
                if e.source != "reported" or e.level != level or e.value_type == "boolean":
                    continue
                v, p = values.get(e.code), previous.get(e.code)
                if v is None or p is None:
                    continue
                pct = change_percent(float(v), float(p))
                if pct is not None and abs(pct) > rule.threshold + EPS:
                    out.append(Violation(rule.code, e.code, f"{rule.message}：上期 {_num(p)}，本期 {_num(v)}，变动 {pct:+.1f}%"))
            continue
        if rule.report_on is None or elements[rule.report_on].level != level:
            continue
        left = values.get(rule.left or "")
        rights = [values.get(r) for r in rule.right]
        if left is None or any(r is None for r in rights):
            continue
        total = sum(float(r) for r in rights)  # type: ignore[arg-type]
        lv = float(left)
        bad = (rule.kind == "le" and lv > total + EPS) or (rule.kind == "ge" and lv < total - EPS) or (rule.kind == "eq" and abs(lv - total) > EPS)
        if bad:
            names = " + ".join(elements[r].name_zh for r in rule.right)
            sign = {"le": "≤", "ge": "≥", "eq": "="}[rule.kind]
            out.append(Violation(rule.code, rule.report_on,
                                 f"{rule.message}（{elements[rule.left].name_zh} {_num(lv)} 应 {sign} {names} {_num(total)}）"))
    return out
