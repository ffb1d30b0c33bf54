"""Template filters of the admissions pages: the batches' headings, and the engine's tie-break values
(``cme=153;math=58``, as its files write them) as a reader says them (``语数外总分 153，数学 58``)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language, gettext

from ..services.runs import SCORE_LABELS

register = template.Library()

ENGLISH = {"score": "total", "cme": "Chinese+maths+English", "math": "maths", "chinese": "Chinese", "english": "English",
           "talent_score": "talent score"}


@register.filter
def tiebreak(text: str) -> str:
    """``cme=153;math=58`` → ``语数外总分 153，数学 58``; a column without a label keeps its name."""
    if not text:
        return ""
    english = (get_language() or "").startswith("en")
    out = []
    for item in str(text).split(";"):
        name, sep, value = item.partition("=")
        if not sep:
            out.append(item)
            continue
        label = ENGLISH.get(name) if english else SCORE_LABELS.get(name)
        out.append(f"{label or gettext(name)} {value}")
    return ", ".join(out) if english else "，".join(out)


#: The batches' headings on the preference form and the receipt (translated through the catalog).
BATCH_TITLES = {1: "第一批：特长生", 2: "第二批：指标到校", 3: "第三批：普高统招", 4: "第四批：中职"}


@register.filter
def batch_title(batch: int) -> str:
    """``3`` → ``第三批：普高统招``; a batch the platform does not name → ``第 N 批``."""
    title = BATCH_TITLES.get(batch)
    return gettext(title) if title else gettext("第 %(b)s 批") % {"b": batch}
