"""Masking of personal identifiers shown on pages and in exports (the data is personal data of minors).

The rule (docs/personal_data.md): no page shows a full 身份证号 to anyone, nor a 学籍号 that embeds one (a national
学籍号 is "G" + the student's 身份证号, seed 002 §三(一) 学籍管理), nor any ID-shaped run inside free text (registry
evidence, import problems, job logs, messages, audit values). Only an export asked for in full (``full=1``) by a
role that may take full numbers out (``gaozhong.core.scoping.may_take_full_ids``) carries them, for the people of
that role's scope, and it is audited. ``tests/test_personal_data_crawl.py`` crawls every role's pages and
downloads and fails on any number a role is not entitled to.
"""

from __future__ import annotations

import re

__all__ = ["mask_id_number", "mask_ids", "mask_name", "mask_student_no"]

# An ID-shaped run: 17 digits and a digit or X. Inside a longer run of digits, its first 18 characters are masked.
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


def mask_ids(value) -> str:
    """Any text with every ID-shaped run masked where it stands: ``学籍号 G140522200501011234 重复`` →
    ``学籍号 G1405**********1234 重复``; text without one is returned as it is (``None`` as "")."""
    if value is None:
        return ""
    return _EMBEDDED_ID.sub(lambda m: mask_id_number(m.group(0)), str(value))


def mask_student_no(value: str | None) -> str:
    """A 学籍号 that embeds a 身份证号 is masked where the ID would be: ``G140522200501011234`` →
    ``G1405**********1234``; a number without an ID in it is shown as it is."""
    return mask_ids(value)
