"""Chinese names of audit action codes, for the 审计日志 and every page that shows what was done.

An action code (``registry.check.run``) stays the stable key in the audit table; people read its name
(``运行学籍异常检查``). Each app declares the names of its own codes in a module ``audit_names`` with a mapping
``NAMES`` (code → Chinese name); the foundation loads every installed app's module when it starts
(:func:`load_all`), so it never imports a domain app by name. English comes through the translation catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext

_names: dict[str, str] = {}


def register(names: Mapping[str, str]) -> None:
    for code, name in names.items():
        if _names.get(code, name) != name:
            raise ValueError(f"audit action {code!r} is named twice differently")
        _names[code] = name


def load_all() -> None:
    autodiscover_modules("audit_names", register_to=None)


def action_name(code: str) -> str:
    """The name of an action code in the current language; an unnamed code is shown as it is."""
    name = _names.get(code)
    return gettext(name) if name else code


def named_codes() -> frozenset[str]:
    return frozenset(_names)


def choices() -> list[tuple[str, str]]:
    """(code, name) of every named action, by name, for a filter select."""
    return sorted(((c, action_name(c)) for c in _names), key=lambda cn: (cn[0].split(".", 1)[0], cn[1]))
