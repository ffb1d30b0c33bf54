"""Staffing need and supply against a second computation: loops for the ceilings, float sums for the
fractional supply, and the county sums rebuilt from the schools."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaozhong.people.engine.staffing import (
    STANDARD_LOAD, STUDENTS_PER_TEACHER, WEEKLY_PERIODS, SchoolInput, county_staffing, ratio_need, school_staffing, subject_need,
)


def _smallest(pred) -> int:
    n = 0
    while not pred(n):
        n += 1
    return n


def test_ratio_is_one_to_twelve_and_a_half():
    assert STUDENTS_PER_TEACHER == Fraction(25, 2)
    assert [ratio_need(s) for s in (0, 1, 12, 13, 25, 125, 126, 1250)] == [0, 1, 1, 2, 2, 10, 11, 100]


@given(st.integers(0, 6000))
def test_ratio_need_is_the_smallest_staff_that_covers_the_students(students):
    assert ratio_need(students) == _smallest(lambda n: n * 12.5 >= students)


@given(st.integers(0, 80), st.integers(0, 6), st.integers(1, 20))
def test_subject_need_is_the_smallest_staff_that_covers_the_periods(classes, periods, load):
    assert subject_need(classes, periods, load) == _smallest(lambda n: n * load >= classes * periods)


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        ratio_need(-1)
    with pytest.raises(ValueError):
        subject_need(3, 2, 0)


def test_a_school_without_a_psychology_teacher_is_short_of_one():
    # 30 classes, 1 period of 心理健康 each: need ⌈30/10⌉ = 3; nobody teaches it.
    teachers = [("YW",)] * 15 + [("SX", "WL")] * 2
    s = school_staffing(SchoolInput(1, 9, classes=30, students=1500, teachers=teachers))
    line = {x.subject: x for x in s.subjects}
    assert line["XL"].need == 3 and line["XL"].have == 0 and line["XL"].shortage == 3
    assert line["YW"].need == 15 and line["YW"].gap == 0 and line["YW"].shortage == 0
    assert line["SX"].have == 1 and line["WL"].have == 1  # two teachers of two subjects: half each
    assert s.teachers == 17 and s.ratio_need == 120 and s.ratio_gap == -103
    assert "XL" in {x.subject for x in s.shortages} and "YW" not in {x.subject for x in s.shortages}


def test_a_subject_outside_the_table_is_listed_with_no_need():
    s = school_staffing(SchoolInput(1, 9, classes=10, students=500, teachers=[("FR",)]))
    line = {x.subject: x for x in s.subjects}
    assert line["FR"].need == 0 and line["FR"].have == 1 and line["FR"].gap == 1


codes = st.sampled_from(sorted(WEEKLY_PERIODS))
school_inputs = st.builds(
    SchoolInput, st.integers(1, 50), st.integers(1, 3), st.integers(0, 60), st.integers(0, 3000),
    st.lists(st.lists(codes, min_size=0, max_size=3).map(tuple), max_size=60),
)


@given(school_inputs)
def test_school_lines_match_a_second_computation(inp):
    s = school_staffing(inp)
    for line in s.subjects:
        have = 0.0
        for subjects in inp.teachers:
            distinct = set(subjects)
            if line.subject in distinct:
                have += 1 / len(distinct)
        assert float(line.have) == pytest.approx(have)
        need = _smallest(lambda n: n * STANDARD_LOAD >= inp.classes * WEEKLY_PERIODS[line.subject])
        assert line.need == need
        assert (line.shortage > 0) == (have < need - 1e-9)
    assert s.teachers == len(inp.teachers)


@given(st.lists(school_inputs, max_size=8))
def test_county_sums_do_not_net_one_schools_surplus_against_anothers_gap(inputs):
    schools = [school_staffing(i) for i in inputs]
    counties = county_staffing(schools)
    assert [c.county_id for c in counties] == sorted({s.county_id for s in schools})
    for c in counties:
        mine = [s for s in schools if s.county_id == c.county_id]
        assert c.schools == len(mine) and c.students == sum(s.students for s in mine) and c.teachers == sum(s.teachers for s in mine)
        assert c.ratio_need == sum(s.ratio_need for s in mine)
        assert c.schools_below_ratio == sum(1 for s in mine if s.teachers < s.ratio_need)
        for code in WEEKLY_PERIODS:
            short = sum(max(0.0, line.need - float(line.have)) for s in mine for line in s.subjects if line.subject == code)
            assert float(c.shortage[code]) == pytest.approx(short)
            assert c.schools_short[code] == sum(1 for s in mine for line in s.subjects if line.subject == code and line.shortage > 0)
