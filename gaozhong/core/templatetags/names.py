"""Names kept whole inside a longer text: ``{{ title|keep_names:names }}`` shows ``title`` with every occurrence of
each of ``names`` (a school's, a class's, a person's) in ``<span class="name">``, which site.css keeps on one
line, so a narrow screen breaks the text between names, never inside one (高一(1)班 is not split at its
bracket)."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(needs_autoescape=True)
def keep_names(text, names, autoescape=True):
    esc = conditional_escape if autoescape else (lambda s: s)
    text = "" if text is None else str(text)
    wanted = sorted({str(n) for n in (names or ()) if n}, key=len, reverse=True)
    if not wanted:
        return esc(text)
    parts = re.split("(" + "|".join(re.escape(n) for n in wanted) + ")", text)
    return mark_safe("".join(format_html('<span class="name">{}</span>', p) if i % 2 else esc(p) for i, p in enumerate(parts)))
