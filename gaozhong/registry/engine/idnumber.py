"""The registry check's column test of 身份证号: the platform's one GB 11643 rule, applied to a whole column.

The rule and its wording live in :mod:`gaozhong.importer.idnumber` (the check every import and form uses):
address code not starting with 0, a real birth date not after the day of the check, the MOD 11-2 check
character with a capital ``X`` only. :func:`valid_mask` applies it to a Polars column at once (the values of
the right shape are laid side by side as one (n, 18) byte array for
:func:`~gaozhong.importer.idnumber.valid_code_rows`); :func:`id_number_problems` explains one value in words
(the evidence of the few invalid rows).

>>> id_number_problems("11010519491231002X")
[]
>>> id_number_problems("110105194912310021")
['校验码应为 X，实为 1']
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from gaozhong.importer.idnumber import CHECK_CHARACTERS, WEIGHTS, check_character, id_number_problems, valid_code_rows

__all__ = ["WEIGHTS", "CHECK_CHARACTERS", "check_character", "id_number_problems", "valid_mask"]


def valid_mask(ids: pl.Series, *, today: date | None = None) -> pl.Series:
    """Boolean per value: a valid ID number on ``today`` (default: the current date); null and "" are not."""
    text = ids.cast(pl.String)
    shape = text.str.contains(r"^[0-9]{17}[0-9X]$").fill_null(False)
    valid = np.zeros(len(text), dtype=bool)
    candidates = np.flatnonzero(shape.to_numpy())
    if candidates.size:
        joined = text.filter(shape).str.join("").item()
        codes = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(-1, 18)
        valid[candidates] = valid_code_rows(codes, today=today)
    return pl.Series("valid", valid)
