"""Masking of personal identifiers shown on pages and in exports (the data is personal data of minors)."""

from __future__ import annotations

__all__ = ["mask_id_number", "mask_name"]


def mask_id_number(value: str | None) -> str:
    """``140522200501011234`` → ``1405**********1234``: the region prefix and the last four stay visible."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_name(value: str | None) -> str:
    """``张小明`` → ``张*明``; two characters ``李娜`` → ``李*``."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
