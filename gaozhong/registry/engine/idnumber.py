"""The 身份证号 check of GB 11643-1999: shape, birth date on the calendar, and the ISO 7064 MOD 11-2 check.

Rule (issue 10 §2, ``invalid_id_number``): 18 characters, the first 17 ASCII digits and the 18th a check
character ``0``–``9`` or a capital ``X``; characters 7–14 a date YYYYMMDD that exists on the Gregorian
calendar (years 0001–9999; 19000229 does not exist, 20000229 does); and Σ aᵢ·Wᵢ (i = 1…17, Wᵢ = 2^(18−i)
mod 11) plus the check value (X = 10) ≡ 1 (mod 11). A lower-case ``x`` is not accepted: the standard writes X.

:func:`valid_mask` tests a whole column at once (used by the check); :func:`id_number_problems` explains
one value in words (used for the evidence of the few invalid rows, and by forms in the web app).

>>> id_number_problems("11010519491231002X")
[]
>>> id_number_problems("110105194912310021")
['校验码应为 X，实为 1']
"""

from __future__ import annotations

import calendar

import numpy as np
import polars as pl

# The MOD 11-2 weights and check characters are defined once, in the importer's checker; this module adds the
# registry check's own rule (issue 10 §2: any calendar date, lower-case x named) and the vectorised column test.
from gaozhong.importer.idnumber import CHECK_CHARACTERS, WEIGHTS, check_character

__all__ = ["WEIGHTS", "CHECK_CHARACTERS", "check_character", "id_number_problems", "valid_mask"]

_DIGITS = frozenset("0123456789")


def _date_exists(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])
    return year >= 1 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def id_number_problems(value: str | None) -> list[str]:
    """Every way ``value`` fails GB 11643, as short Chinese phrases for the evidence; ``[]`` when it is valid."""
    if value is None or value == "":
        return ["身份证号为空"]
    if len(value) != 18:
        return [f"身份证号有 {len(value)} 位，应为 18 位"]
    problems: list[str] = []
    body, last = value[:17], value[17]
    digits = all(c in _DIGITS for c in body)
    if not digits:
        problems.append(f"前 17 位 “{body}” 含非数字字符")
    if last == "x":
        problems.append("校验码须为大写 X，实为小写 x")
    elif last not in _DIGITS and last != "X":
        problems.append(f"校验码 “{last}” 不是 0–9 或 X")
    if digits:
        if not _date_exists(body[6:14]):
            problems.append(f"出生日期 {body[6:14]} 不存在")
        expected = check_character(body)
        if (last in _DIGITS or last == "X") and last != expected:
            problems.append(f"校验码应为 {expected}，实为 {last}")
    return problems


def valid_mask(ids: pl.Series) -> pl.Series:
    """Boolean per value: a valid GB 11643 number (null and "" are not). Vectorised; same rule as above.

    Values of the right shape are laid side by side as one byte string, viewed as an (n, 18) array of
    ASCII codes, so the weighted sum and the date test are a few whole-array operations.
    """
    text = ids.cast(pl.String)
    shape = text.str.contains(r"^[0-9]{17}[0-9X]$").fill_null(False)
    valid = np.zeros(len(text), dtype=bool)
    candidates = np.flatnonzero(shape.to_numpy())
    if candidates.size:
        joined = text.filter(shape).str.join("").item()
        codes = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(-1, 18)
        # Position by position (rows of the transposed array are contiguous): Σ aᵢ·Wᵢ, YYYY, MM and DD.
        digits = np.ascontiguousarray(codes.T[:17]).astype(np.int32) - ord("0")
        weighted = np.zeros(len(codes), dtype=np.int32)
        for position, weight in enumerate(WEIGHTS):
            weighted += digits[position] * np.int32(weight)
        year = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9]
        month = digits[10] * 10 + digits[11]
        day = digits[12] * 10 + digits[13]
        check = np.where(codes[:, 17] == ord("X"), 10, codes[:, 17].astype(np.int32) - ord("0"))
        checksum_ok = (weighted + check) % 11 == 1
        leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
        month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 0, 12)]
        month_days = month_days + ((month == 2) & leap)
        date_ok = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
        valid[candidates] = checksum_ok & date_ok
    return pl.Series("valid", valid)
