"""Citizen ID numbers (公民身份号码, GB 11643-1999): the platform's one check, the check character and masking.

Every place that accepts or refuses a 身份证号 asks this module: the importer's ``id_number`` columns, the
people app's hiring and ban-list forms, and the registry engine's ``invalid_id_number`` rule (which tests a
whole column at once with :func:`valid_code_rows`, the same rule on an array, and explains the few bad values
with :func:`id_number_problems`).

The rule (GB 11643-1999 §4–§6): exactly 18 characters —

* characters 1–6, the address code: 6 digits, not starting with 0 (no administrative division code does);
* characters 7–14, the birth date YYYYMMDD: a real date of the Gregorian calendar (19000229 is not one,
  20000229 is) and not after the day of the check;
* characters 15–17, the sequence code: 3 digits;
* character 18, the check character: ISO 7064 MOD 11-2 over the first 17 digits, Σ aᵢ·Wᵢ with
  Wᵢ = 2^(18−i) mod 11, written ``0``–``9`` or a capital ``X`` for 10. A lower-case ``x`` is refused: the
  standard writes X, and a value is taken as it is written (nothing is upper-cased before the check).

>>> id_number_problem("11010519491231002X") is None
True
>>> id_number_problems("11010519491231002x")
['校验码须为大写 X，实为小写 x']
>>> mask_identifier("14052220050101123X")
'1405**********123X'
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import NamedTuple

import numpy as np

__all__ = [
    "WEIGHTS", "CHECK_CHARACTERS", "IdProblem", "check_character", "id_number_reasons", "id_number_problems",
    "id_number_problem", "valid_code_rows", "mask_identifier",
]

#: Weight of position i is 2**(17 - i) mod 11 (GB 11643-1999 §6.2).
WEIGHTS: tuple[int, ...] = tuple(pow(2, 17 - i, 11) for i in range(17))
#: Check character for a weighted sum mod 11 = 0, 1, …, 10.
CHECK_CHARACTERS = "10X98765432"

_DIGITS = frozenset("0123456789")


class IdProblem(NamedTuple):
    """One reason a value is not a valid ID number: a short Chinese phrase and its English gloss."""

    zh: str
    en: str


def check_character(first17: str) -> str:
    """The check character for 17 digits.

    Rule: GB 11643-1999 §6.2, ISO 7064 MOD 11-2 over the first 17 digits.
    """
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("need exactly 17 ASCII digits")
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def _date_exists(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])
    return year >= 1 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def id_number_reasons(value: str | None, *, today: date | None = None) -> list[IdProblem]:
    """Every way ``value`` fails the rule above (``[]`` when it is valid). ``today`` defaults to the current date.

    The value is judged as written: surrounding spaces or a lower-case ``x`` make it invalid.
    """
    if value is None or value == "":
        return [IdProblem("身份证号为空", "empty")]
    if len(value) != 18:
        return [IdProblem(f"身份证号有 {len(value)} 位，应为 18 位", f"must be 18 characters, found {len(value)}")]
    problems: list[IdProblem] = []
    body, last = value[:17], value[17]
    digits = all(c in _DIGITS for c in body)
    if not digits:
        problems.append(IdProblem(f"前 17 位 “{body}” 含非数字字符", "the first 17 characters must be 17 digits 0–9"))
    if last == "x":
        problems.append(IdProblem("校验码须为大写 X，实为小写 x", "the check character must be a capital X, not x"))
    elif last not in _DIGITS and last != "X":
        problems.append(IdProblem(f"校验码 “{last}” 不是 0–9 或 X", "the check character must be a digit or X"))
    if digits:
        if body[0] == "0":
            problems.append(IdProblem(f"地址码 {body[:6]} 不能以 0 开头", "the address code cannot start with 0"))
        birth = body[6:14]
        if not _date_exists(birth):
            problems.append(IdProblem(f"出生日期 {birth} 不存在", f"birth date {birth} does not exist"))
        elif birth > f"{today or date.today():%Y%m%d}":
            problems.append(IdProblem(f"出生日期 {birth} 尚未到来", f"birth date {birth} is in the future"))
        expected = check_character(body)
        if (last in _DIGITS or last == "X") and last != expected:
            problems.append(IdProblem(f"校验码应为 {expected}，实为 {last}",
                                      f"check character should be {expected}, found {last}: a digit is mistyped"))
    return problems


def id_number_problems(value: str | None, *, today: date | None = None) -> list[str]:
    """Every reason as a short Chinese phrase (the registry check's evidence); ``[]`` when valid."""
    return [p.zh for p in id_number_reasons(value, today=today)]


def id_number_problem(value: str | None, *, today: date | None = None) -> str | None:
    """Why ``value`` is not a valid ID number, in Chinese with English in brackets; None if valid.

    >>> id_number_problem("11010519491231002X") is None
    True
    >>> id_number_problem("110105194912310021")
    '校验码应为 X，实为 1 (check character should be X, found 1: a digit is mistyped)'
    """
    reasons = id_number_reasons(value, today=today)
    if not reasons:
        return None
    return "；".join(p.zh for p in reasons) + " (" + "; ".join(p.en for p in reasons) + ")"


def valid_code_rows(codes: np.ndarray, *, today: date | None = None) -> np.ndarray:
    """The same rule for many values at once: ``codes`` is an (n, 18) uint8 array of the ASCII codes of n values
    already known to be 17 digits followed by a digit or ``X``; returns one bool per row.

    Used where a scalar loop would be too slow (the registry check tests millions of numbers); the registry's
    tests hold it against :func:`id_number_reasons` value by value.
    """
    if codes.ndim != 2 or codes.shape[1] != 18:
        raise ValueError("need an (n, 18) array of ASCII codes")
    if not len(codes):
        return np.zeros(0, dtype=bool)
    # Position by position (rows of the transposed array are contiguous): Σ aᵢ·Wᵢ, YYYY, MM and DD.
    digits = np.ascontiguousarray(codes.T[:17]).astype(np.int32) - ord("0")
    weighted = np.zeros(len(codes), dtype=np.int32)
    for position, weight in enumerate(WEIGHTS):
        weighted += digits[position] * np.int32(weight)
    check = np.where(codes[:, 17] == ord("X"), 10, codes[:, 17].astype(np.int32) - ord("0"))
    checksum_ok = (weighted + check) % 11 == 1
    year = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9]
    month = digits[10] * 10 + digits[11]
    day = digits[12] * 10 + digits[13]
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 0, 12)]
    month_days = month_days + ((month == 2) & leap)
    date_ok = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
    now = today or date.today()
    not_future = (year * 10000 + month * 100 + day) <= now.year * 10000 + now.month * 100 + now.day
    region_ok = digits[0] != 0
    return checksum_ok & date_ok & not_future & region_ok


def mask_identifier(value: str) -> str:
    """Hide the middle of an identifier for display: ``1405**********123X`` for an 18-character ID number.

    The first and last quarter (at most 4 characters each) stay visible; the length is kept.
    """
    keep = min(4, len(value) // 4)
    if keep == 0:
        return "*" * len(value)
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]
