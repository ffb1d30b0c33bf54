"""Rotation: where a person was on a day, county rates against > 15% (seed 003 §三(五)), moves still needed,
years at the school and the due-for-rotation ranking, each against a second, plainly written computation."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaozhong.people.engine.rotation import (
    ROTATION_TARGET, Candidate, CountyRate, MoveEvent, Person, county_rates, due_for_rotation, moves_needed, school_at, years_at_school,
)

D = dt.date


def test_school_at_follows_the_dated_moves():
    p = Person(1, D(2010, 9, 1), current_school=30)
    moves = [MoveEvent(1, D(2018, 8, 25), 10, 20, True), MoveEvent(1, D(2022, 8, 25), 20, 30, True)]
    assert school_at(p, moves, D(2010, 8, 31)) is None  # not yet hired
    assert school_at(p, moves, D(2015, 1, 1)) == 10  # before the first move: where it started from
    assert school_at(p, moves, D(2018, 8, 25)) == 20  # on the day of a move: already moved
    assert school_at(p, moves, D(2022, 1, 1)) == 20
    assert school_at(p, moves, D(2025, 1, 1)) == 30
    assert school_at(Person(2, D(2010, 9, 1), 40), moves, D(2015, 1, 1)) == 40  # someone else's moves do not count
    hired = [MoveEvent(3, D(2024, 9, 1), None, 50, False)]
    assert school_at(Person(3, D(2024, 9, 1), 50), hired, D(2024, 8, 1)) is None


def test_strictly_above_fifteen_percent():
    assert ROTATION_TARGET == Fraction(15, 100)
    assert not CountyRate(1, 2025, 20, 3).meets  # exactly 15%
    assert CountyRate(1, 2025, 20, 4).meets
    assert not CountyRate(1, 2025, 0, 0).meets
    assert CountyRate(1, 2025, 20, 3).needed == 1 and CountyRate(1, 2025, 20, 4).needed == 0
    assert CountyRate(1, 2025, 7, 1).percent == 14.3


@given(st.integers(0, 3000), st.integers(0, 600))
def test_moves_needed_is_the_smallest_count_above_the_target(headcount, movers):
    m = movers
    while headcount and not (m * 100 > 15 * headcount):
        m += 1
    assert moves_needed(headcount, movers) == (m - movers if headcount else 0)


def test_rates_count_people_once_leave_transfers_out_and_use_the_county_left():
    school_county = {1: 100, 2: 100, 3: 200}
    people = [Person(i, D(2000, 9, 1), 1) for i in range(1, 8)] + [Person(8, D(2000, 9, 1), 3), Person(9, D(2000, 9, 1), 2, eligible=False)]
    moves = [
        MoveEvent(1, D(2024, 3, 1), 2, 1, True), MoveEvent(1, D(2024, 9, 1), 1, 2, True), MoveEvent(1, D(2025, 2, 1), 2, 1, True),  # twice in 2024
        MoveEvent(2, D(2024, 8, 1), 2, 1, False),  # a transfer: not counted
        MoveEvent(8, D(2024, 8, 1), 1, 3, True),  # left county 100 for county 200: counts for 100
        MoveEvent(9, D(2024, 8, 1), 1, 2, True),  # support staff: not counted
    ]
    rates = {(r.county_id, r.year): r for r in county_rates(people, moves, school_county, [2024, 2025])}
    # 1 January 2024: persons 1–7 and 8 in county 100 (8 moved later), 9 is not eligible.
    assert (rates[100, 2024].headcount, rates[100, 2024].movers) == (8, 2)
    assert (rates[200, 2024].headcount, rates[200, 2024].movers) == (0, 0)
    assert (rates[100, 2025].headcount, rates[200, 2025].headcount) == (7, 1)
    assert rates[100, 2025].movers == 1


# -- generated histories, checked against intervals built forward ------------------------------------------------

SCHOOLS = {1: 10, 2: 10, 3: 20, 4: 20, 5: 30}


@st.composite
def histories(draw):
    people, moves = [], []
    for pid in range(1, draw(st.integers(1, 12)) + 1):
        hired = D(2015 + draw(st.integers(0, 8)), 9, 1)
        at = draw(st.sampled_from(sorted(SCHOOLS)))
        day = hired
        for k in range(draw(st.integers(0, 3))):
            day = day + dt.timedelta(days=draw(st.integers(0, 700)))
            to = draw(st.sampled_from(sorted(s for s in SCHOOLS if s != at)))
            moves.append(MoveEvent(pid, day, at, to, draw(st.booleans()), seq=pid * 10 + k))
            at = to
        people.append(Person(pid, hired, at, draw(st.booleans())))
    return people, moves


def _intervals(person, moves):
    """[(from, to_exclusive, school)] built forward from the first school."""
    mine = sorted((m for m in moves if m.person_id == person.person_id), key=lambda m: (m.on, m.seq))
    school = mine[0].from_school if mine else person.current_school
    start, out = person.hire_date, []
    for m in mine:
        out.append((start, m.on, school))
        start, school = m.on, m.to_school
    out.append((start, D(9999, 1, 1), school))
    return out


@given(histories(), st.integers(2014, 2026))
def test_rates_match_intervals_built_forward(hist, year):
    people, moves = hist
    jan1 = D(year, 1, 1)
    for p in people:
        expected = None
        if jan1 >= p.hire_date:
            expected = next((s for a, b, s in _intervals(p, moves) if a <= jan1 < b), None)
        assert school_at(p, moves, jan1) == expected
    rates = county_rates(people, moves, SCHOOLS, [year])
    for r in rates:
        head = 0
        for p in people:
            if not p.eligible:
                continue
            for a, b, s in _intervals(p, moves):
                if a <= jan1 < b and jan1 >= p.hire_date and SCHOOLS[s] == r.county_id:
                    head += 1
        movers = {m.person_id for m in moves if m.rotation and m.on.year == year and SCHOOLS[m.from_school] == r.county_id
                  and next(p for p in people if p.person_id == m.person_id).eligible}
        assert (r.headcount, r.movers) == (head, len(movers))
        assert r.meets == (head > 0 and len(movers) * 100 > 15 * head)


def test_years_at_school_count_from_the_last_move_in():
    p = Person(1, D(2005, 9, 1), 20)
    assert years_at_school(p, [], D(2025, 9, 1)) == pytest.approx(20, abs=0.01)
    moves = [MoveEvent(1, D(2021, 9, 1), 10, 20, True)]
    assert years_at_school(p, moves, D(2025, 9, 1)) == pytest.approx(4, abs=0.01)
    assert years_at_school(p, moves, D(2020, 9, 1)) == pytest.approx(15, abs=0.01)  # the move had not happened yet


def _expected_proposals(cands, gaps, county_of, min_years):
    out = []
    for c in cands:
        if c.years < min_years:
            continue
        choice = (None, 0.0, ())
        if not c.leader:
            options = []
            for subj in sorted(set(c.subjects)):
                dests = [(s, -g) for (s, sj), g in gaps.items() if sj == subj and g < 0 and s != c.school_id and county_of[s] == c.county_id]
                dests.sort(key=lambda d: (-d[1], d[0]))
                options.append((len(dests) > 0, gaps.get((c.school_id, subj), 0.0), -ord(subj[0]) * 0, subj, tuple(dests)))
            if options:
                best = max(options, key=lambda o: (o[0], o[1]))
                # among equal (has, surplus) the first subject in name order wins
                best = next(o for o in options if (o[0], o[1]) == (best[0], best[1]))
                choice = (best[3], best[1], best[4])
        out.append((c.person_id, choice))
    out.sort(key=lambda x: (0 if x[1][2] else 1, 0 if x[1][1] >= 1 else 1, -next(c.years for c in cands if c.person_id == x[0]), x[0]))
    return out


subjects = st.sampled_from(["SX", "WL", "XL", "YW"])


@given(st.lists(st.tuples(st.sampled_from(sorted(SCHOOLS)), st.lists(subjects, max_size=2), st.floats(0, 20), st.booleans()), max_size=15),
       st.dictionaries(st.tuples(st.sampled_from(sorted(SCHOOLS)), subjects), st.integers(-4, 4).map(float), max_size=12))
def test_due_ranking_matches_a_second_computation(rows, gaps):
    cands = [Candidate(i, s, SCHOOLS[s], tuple(sub), y, leader) for i, (s, sub, y, leader) in enumerate(rows, start=1)]
    got = due_for_rotation(cands, gaps, SCHOOLS, 6.0)
    expected = _expected_proposals(cands, gaps, SCHOOLS, 6.0)
    assert [(p.person_id, (p.subject, p.home_surplus, p.destinations)) for p in got] == expected
    assert all(p.years >= 6.0 for p in got)
