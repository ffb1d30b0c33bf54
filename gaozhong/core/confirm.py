"""Irreversible actions ask first. The page names the consequence, with the counts from the database, beside a
checkbox the user ticks (``{% include "core/_confirm.html" %}``); the view refuses the POST unless it carries the
ticked box (:func:`confirmed`), whatever the browser did, and changes nothing.

Used before publishing admission results, approving, opening or closing an admission step, running an
admission, closing (销号) a ledger task, approving reported figures and revoking an API token.
"""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _

#: the checkbox's name and value on every confirmation
FIELD, VALUE = "confirm", "yes"


def confirmed(request) -> bool:
    """Whether the POST carries the ticked confirmation; if not, tell the user (the caller changes nothing)."""
    if request.POST.get(FIELD) == VALUE:
        return True
    messages.error(request, _("未执行：请先阅读操作后果并勾选确认。"))
    return False
