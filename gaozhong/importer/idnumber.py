"""Citizen ID numbers (公民身份号码, GB 11643-1999): the check character and masking for display.

An 18-character number is a 6-digit address code, an 8-digit birth date (YYYYMMDD), a 3-digit sequence code
and one check character computed with ISO 7064 MOD 11-2 over the first 17 digits (``X`` stands for 10).

>>> id_number_problem("11010519491231002X") is None
True
>>> mask_identifier("14052220050101123X")
'1405**********123X'
"""

from __future__ import annotations

from datetime import date

__all__ = ["WEIGHTS", "CHECK_CHARACTERS", "check_character", "id_number_problem", "mask_identifier"]

#: Weight of position i is 2**(17 - i) mod 11 (GB 11643-1999 §6.2). The one definition of the check: the
#: registry engine's column check (gaozhong/registry/engine/idnumber.py) reads these too.
WEIGHTS: tuple[int, ...] = tuple(pow(2, 17 - i, 11) for i in range(17))
#: Check character for a weighted sum mod 11 = 0, 1, …, 10.
CHECK_CHARACTERS = "10X98765432"


def check_character(first17: str) -> str:
    """The check character for 17 digits.

    Rule: GB 11643-1999 §6.2, ISO 7064 MOD 11-2 over the first 17 digits.
    """
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("need exactly 17 ASCII digits")
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def id_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 18-character ID number, in Chinese with English in brackets; None if valid.

    Rule: GB 11643-1999: 17 digits, then a digit or ``X``; the address code does not start with 0; digits 7–14
    are a real calendar date (year 1900 or later); the last character is the MOD 11-2 check character.
    ``value`` is expected trimmed and upper-case (``x`` is normalised to ``X`` by the caller).
    """
    if len(value) != 18:
        return f"应为 18 位，实际 {len(value)} 位 (must be 18 characters, found {len(value)})"
    body, last = value[:17], value[17]
    if not (body.isascii() and body.isdigit()) or not (last == "X" or (last.isascii() and last.isdigit())):
        return "前 17 位应为数字，最后一位为数字或 X (17 digits then a digit or X)"
    if body[0] == "0":
        return "地址码不能以 0 开头 (the address code cannot start with 0)"
    year, month, day = int(body[6:10]), int(body[10:12]), int(body[12:14])
    try:
        born = date(year, month, day)
    except ValueError:
        born = None
    if born is None or year < 1900:
        return f"第 7–14 位 {body[6:14]} 不是有效的出生日期 (digits 7–14 are not a valid birth date)"
    expected = check_character(body)
    if last != expected:
        return f"校验位应为 {expected}，实际为 {last} (check character should be {expected}; a digit is mistyped)"
    return None


def mask_identifier(value: str) -> str:
    """Hide the middle of an identifier for display: ``1405**********123X`` for an 18-character ID number.

    The first and last quarter (at most 4 characters each) stay visible; the length is kept.
    """
    keep = min(4, len(value) // 4)
    if keep == 0:
        return "*" * len(value)
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]
