"""Masking of personal identifiers shown on pages and in exports (the data is personal data of minors)."""

from __future__ import annotations

import re

__all__ = ["mask_id_number", "mask_name", "mask_student_no"]

# A national 学籍号 is "G" + the student's 身份证号 (seed 002 §三(一) 学籍管理): the ID is inside it.
_EMBEDDED_ID = re.compile(r"\d{17}[\dXx]")


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


def mask_student_no(value: str | None) -> str:
    """A 学籍号 that embeds a 身份证号 is masked where the ID would be: ``G140522200501011234`` →
    ``G1405**********1234``; a number without an ID in it is shown as it is."""
    if not value:
        return ""
    return _EMBEDDED_ID.sub(lambda m: mask_id_number(m.group(0)), value)
