"""Small helpers the people views share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator

from gaozhong.core.roles import BUREAU, STAFF

ADMIN_ROLES = STAFF
BUREAU_ROLES = BUREAU


def add_errors(form, exc: Exception) -> None:
    """Show a refused write on the form: every message of a ValidationError, or the refusal's reason."""
    if isinstance(exc, ValidationError):
        for m in exc.messages:
            form.add_error(None, m)
    else:
        form.add_error(None, str(exc.args[0]) if exc.args else str(exc))


def page_of(request, qs, size: int = 50):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def int_param(request, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except (TypeError, ValueError):
        return default
