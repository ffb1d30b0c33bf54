"""Template helpers of supervision: a clause cited the way a clerk reads it.

``{{ "002 §三(七)"|cite }}`` → the document's short title and the clause (``广元十四五县中方案 三(七)``), with the
full title, 文号 and date as the hover text (``title``) and, for print, in brackets after it. A citation of a
document the deployment has not adopted says so; an unknown or free-text citation is shown as written.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html

from ..models import PolicyDocument

register = template.Library()

# "002 §三(七)", also with a leading "seed " and trailing words ("seed 003 §三(二)3：从高一年级起…").
_LEADING = re.compile(r"^(?:seed )?(\d{3}) §([^\s：:，,；;]+)(.*)$", re.S)


def citation(source_clause: str) -> tuple[str, str, bool, str] | None:
    """(short citation, full title with 文号 and date, adopted?, trailing text) of ``source_clause``; None if it
    names no known document."""
    m = _LEADING.match((source_clause or "").strip())
    if m is None:
        return None
    doc = PolicyDocument.objects.filter(code=m.group(1)).select_related("adoption").first()
    if doc is None:
        return None
    adopted = hasattr(doc, "adoption")
    return f"{doc.short_title} {m.group(2)}", doc.full_citation, adopted, m.group(3)


@register.filter
def cite(source_clause: str):
    c = citation(source_clause)
    if c is None:
        return source_clause
    short, full, adopted, rest = c
    if not adopted:
        return format_html('<span class="cite cite-not-adopted" title="{}">{}（本市未采用）</span>{}', full, short, rest)
    return format_html('<span class="cite" title="{}">{}</span><span class="cite-full">（{}）</span>{}', full, short, full, rest)


@register.filter
def cite_print(source_clause: str):
    """For documents meant for print (通报): short citation followed by the full title and 文号."""
    c = citation(source_clause)
    if c is None:
        return source_clause
    short, full, _adopted, rest = c
    return format_html("{}{}<br><span class=\"muted\">{}</span>", short, rest, full)
