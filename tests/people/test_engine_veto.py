"""The veto rule against a second, day-by-day computation: a sanctioned record covers every day from its start
to its end (both included), an open record every day, a dismissed one none."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaozhong.people.engine.veto import DISMISSED, OPEN, SANCTIONED, EthicsCase, blocking, blocks

D = dt.date


@pytest.mark.parametrize("case,on,expected", [
    (EthicsCase(1, OPEN), D(2020, 1, 1), True),
    (EthicsCase(1, OPEN, D(2030, 1, 1), D(2030, 2, 1)), D(2020, 1, 1), True),  # open blocks whatever its dates
    (EthicsCase(1, SANCTIONED, D(2025, 6, 1), D(2026, 5, 31)), D(2025, 6, 1), True),  # first day
    (EthicsCase(1, SANCTIONED, D(2025, 6, 1), D(2026, 5, 31)), D(2026, 5, 31), True),  # last day
    (EthicsCase(1, SANCTIONED, D(2025, 6, 1), D(2026, 5, 31)), D(2025, 5, 31), False),  # day before
    (EthicsCase(1, SANCTIONED, D(2025, 6, 1), D(2026, 5, 31)), D(2026, 6, 1), False),  # day after
    (EthicsCase(1, SANCTIONED, D(2025, 6, 1), None), D(2060, 1, 1), True),  # lasting
    (EthicsCase(1, SANCTIONED, None, D(2025, 1, 1)), D(2000, 1, 1), True),  # no start: from the start
    (EthicsCase(1, DISMISSED, D(2025, 6, 1), None), D(2025, 7, 1), False),
])
def test_it_blocks_exactly_within_the_rule(case, on, expected):
    assert blocks(case, on) is expected


def test_it_refuses_an_unknown_status():
    with pytest.raises(ValueError):
        blocks(EthicsCase(1, "closed"), D(2025, 1, 1))


ORIGIN = D(2024, 1, 1)
days = st.integers(min_value=0, max_value=90)


@st.composite
def cases(draw):
    n = draw(st.integers(0, 6))
    out = []
    for i in range(n):
        status = draw(st.sampled_from([OPEN, SANCTIONED, DISMISSED]))
        a = draw(st.one_of(st.none(), days))
        b = draw(st.one_of(st.none(), days))
        if a is not None and b is not None and b < a:
            a, b = b, a
        out.append(EthicsCase(draw(st.integers(1, 1000)) * 10 + i, status,
                              None if a is None else ORIGIN + dt.timedelta(a), None if b is None else ORIGIN + dt.timedelta(b)))
    return out


def _covered(case: EthicsCase) -> set[dt.date]:
    """The days (within a window around the drawn dates) a case blocks, listed one by one."""
    window = [ORIGIN + dt.timedelta(k) for k in range(-5, 100)]
    if case.status == OPEN:
        return set(window)
    if case.status == DISMISSED:
        return set()
    lo = case.period_start or window[0]
    hi = case.period_end or window[-1]
    out, d = set(), lo
    while d <= hi:
        out.add(d)
        d += dt.timedelta(1)
    return out


@given(cases(), st.integers(-5, 99))
def test_blocking_matches_a_day_by_day_listing(cs, k):
    on = ORIGIN + dt.timedelta(k)
    expected = sorted((c for c in cs if on in _covered(c)), key=lambda c: c.record_id)
    assert blocking(cs, on) == expected
