"""Password rules beyond Django's: a password mixes letters and digits (bureau account policy), and the
current password may be guessed on the password-change form only as often as on the login form.

The failure count lives in the cache (the shared one in production, so every app server counts together) and
is incremented atomically (``add`` then ``incr``), with the login lockout's limit and cool-off.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError


def _failure_key(user) -> str:
    return f"gaozhong:pwchange-failures:{user.pk}"


def _cooloff_seconds() -> int:
    return int(float(settings.AXES_COOLOFF_TIME) * 3600)


def current_password_locked(user) -> bool:
    """True while the user has used up the allowed wrong current-password tries."""
    return (cache.get(_failure_key(user)) or 0) >= settings.AXES_FAILURE_LIMIT


def record_current_password_failure(user) -> int:
    """Count one wrong current password (atomically) and return the count in the cool-off window."""
    key = _failure_key(user)
    cache.add(key, 0, timeout=_cooloff_seconds())
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=_cooloff_seconds())
        return 1


def clear_current_password_failures(user) -> None:
    cache.delete(_failure_key(user))


class MixedCharactersValidator:
    def validate(self, password: str, user=None) -> None:
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError("密码须同时包含字母和数字 (a password needs both letters and digits)", code="password_not_mixed")

    def get_help_text(self) -> str:
        return "密码须同时包含字母和数字。"
