"""Training hours: yearly sums and the 教研员 under 72 课时 (seed 002 §三(二)) against plain loops."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gaozhong.people.engine.training import (
    LEVELS, RESEARCHER_MIN_HOURS, Attendance, Researcher, hours_by_level, hours_in_year, researchers_under, yearly_hours,
)

D = dt.date
CODES = [c for c, _ in LEVELS]


def test_the_minimum_is_72_and_72_meets_it():
    assert RESEARCHER_MIN_HOURS == 72
    rows = [Attendance(1, D(2025, 3, 1), Decimal(40), "city"), Attendance(1, D(2025, 9, 1), Decimal(32), "school"),
            Attendance(2, D(2025, 3, 1), Decimal("71.5"), "national"), Attendance(2, D(2024, 3, 1), Decimal(100), "national"),
            Attendance(4, D(2025, 12, 31), Decimal(8), "county")]
    out = researchers_under([Researcher(1, 10), Researcher(2, 10), Researcher(3, 20), Researcher(4, 20)], rows, 2025)
    assert set(out) == {10, 20}
    assert [(s.teacher_id, s.hours, s.missing) for s in out[10]] == [(2, Decimal("71.5"), Decimal("0.5"))]
    # no training at all is 0 hours, listed first (fewest hours first)
    assert [(s.teacher_id, s.hours) for s in out[20]] == [(3, Decimal(0)), (4, Decimal(8))]


def test_a_course_counts_in_the_year_it_was_completed():
    rows = [Attendance(1, D(2024, 12, 31), Decimal(10), "city"), Attendance(1, D(2025, 1, 1), Decimal(5), "city")]
    assert yearly_hours(rows) == {1: {2024: Decimal(10), 2025: Decimal(5)}}
    assert hours_in_year(rows, 2025) == {1: Decimal(5)}
    assert hours_by_level(rows, 2024) == {"national": 0, "provincial": 0, "city": Decimal(10), "county": 0, "school": 0}


attendance = st.builds(
    Attendance, st.integers(1, 6), st.dates(D(2023, 1, 1), D(2026, 12, 31)),
    st.decimals(min_value=Decimal("0.5"), max_value=Decimal(60), places=1), st.sampled_from(CODES),
)


@given(st.lists(attendance, max_size=40), st.integers(2023, 2026))
def test_sums_match_plain_loops(rows, year):
    expected: dict = {}
    for r in rows:
        expected.setdefault(r.teacher_id, {}).setdefault(r.completed_on.year, Decimal(0))
        expected[r.teacher_id][r.completed_on.year] += r.hours
    assert yearly_hours(rows) == expected
    assert hours_in_year(rows, year) == {t: y[year] for t, y in expected.items() if year in y}
    for code in CODES:
        assert hours_by_level(rows, year)[code] == sum((r.hours for r in rows if r.level == code and r.completed_on.year == year), Decimal(0))


@given(st.lists(attendance, max_size=40), st.integers(2023, 2026), st.lists(st.integers(1, 3), min_size=6, max_size=6))
def test_researchers_under_matches_a_filter(rows, year, county_of):
    researchers = [Researcher(t, county_of[t - 1]) for t in range(1, 7)]
    out = researchers_under(researchers, rows, year)
    for county in (1, 2, 3):
        expected = []
        for r in researchers:
            if r.county_id != county:
                continue
            h = Decimal(0)
            for a in rows:
                if a.teacher_id == r.teacher_id and a.completed_on.year == year:
                    h += a.hours
            if h < 72:
                expected.append((h, r.teacher_id))
        got = [(s.hours, s.teacher_id) for s in out.get(county, [])]
        assert got == sorted(expected)
        assert all(s.hours + s.missing == 72 for s in out.get(county, []))
