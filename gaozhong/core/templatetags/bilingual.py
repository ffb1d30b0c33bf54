"""``{{ text|shown }}``: a text written as "中文 (English)" in the language the user chose (gaozhong.core.bilingual)."""

from django import template

from gaozhong.core.bilingual import shown, shown_lines

register = template.Library()


@register.filter("shown")
def shown_filter(value):
    """Any value (a message, a lazy string) as its text in the user's language; None as the empty text."""
    return "" if value is None else shown(str(value))


register.filter("shown_lines", shown_lines)
