"""Template filters of the electives pages: a room type by its Chinese name (``{{ r.room_type|room_type }}``), a
list of slots as people say them (``{{ "3:7;3:8"|slots }}`` → 周三第7节、周三第8节), and an engine summary line
in the user's language (``{{ line|summary_line }}``)."""

from __future__ import annotations

import re

from django import template
from django.utils.translation import get_language, gettext

from gaozhong.core.bilingual import shown

from ..rules import ROOM_TYPE_NAMES
from ..slots import slot_label

register = template.Library()

def _english() -> bool:
    return (get_language() or "").startswith("en")


@register.filter
def room_type(code: str) -> str:
    name = ROOM_TYPE_NAMES.get((code or "").strip())
    if name is None:
        return code
    return f"{gettext(name)} ({code})" if _english() else name


def slot_text(day: int, period: int) -> str:
    """One slot as people say it: 周三第7节 (Wed period 7 in English), by the one slot formatter."""
    return slot_label(day, period)


@register.filter
def slots(text: str) -> str:
    """``3:7;3:8`` → ``周三第7节、周三第8节``; an item that is not ``day:period`` is shown as written."""
    out = []
    for item in re.split(r"[;,，；\s]+", text or ""):
        m = re.fullmatch(r"(\d):(\d{1,2})", item.strip())
        out.append(slot_text(int(m.group(1)), int(m.group(2))) if m and 1 <= int(m.group(1)) <= 7 else item)
    return "、".join(x for x in out if x)


@register.filter
def summary_line(line: str) -> str:
    """A line of the engine's summary ("教学班 (teaching classes): 16, 下界 LB 12 …", kept as the command line
    prints it) in the user's language: in Chinese the glosses go and "LB" is 下界."""
    text = shown(line)
    if _english():
        return text
    return re.sub(r"\bLB\b", "下界", text.replace("下界 LB", "下界"))
