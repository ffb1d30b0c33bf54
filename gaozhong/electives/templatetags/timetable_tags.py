"""Template filters of the timetable pages: a slot as people read it.

``{{ lesson|slot }}`` (anything with ``day`` and ``period``, a (day, period) pair or a ``"3:7"`` value) →
``周三第7节``; ``{{ window.blocked|slot_list }}`` (a stored ``3:7;3:8`` list, or a list of pairs) → ``周三第7节、
周三第8节``, and text that is not such a list is shown as written.
"""

from __future__ import annotations

from django import template

from ..slots import parse_slot_value, slot_label, slots_label

register = template.Library()


def _pair(value) -> tuple[int, int] | None:
    if isinstance(value, dict):
        value = (value.get("day"), value.get("period"))
    elif hasattr(value, "day") and hasattr(value, "period"):
        value = (value.day, value.period)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return value[0], value[1]
    if isinstance(value, str):
        return parse_slot_value(value.strip())
    return None


@register.filter
def slot(value) -> str:
    pair = _pair(value)
    return slot_label(*pair) if pair else ("" if value is None else str(value))


@register.filter
def slot_list(value) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        pairs = [_pair(v) for v in value]
        return slots_label([p for p in pairs if p])
    text = str(value or "")
    items = [x for x in text.replace("，", ";").replace(",", ";").replace("；", ";").replace(" ", ";").split(";") if x.strip()]
    pairs = [parse_slot_value(x.strip()) for x in items]
    if not items or any(p is None for p in pairs):
        return text
    return slots_label(pairs)
