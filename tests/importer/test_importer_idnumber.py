"""GB 11643 ID numbers: the platform's one check (address code, real past birth date, MOD 11-2 check character,
capital X only) against an independent MOD 11-2 implementation, the column form against the scalar form, and
masking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gaozhong.importer.idnumber import check_character, id_number_problem, id_number_reasons, mask_identifier, valid_code_rows

from ._support import mod11_2_check

seventeen = st.text(alphabet="0123456789", min_size=17, max_size=17)


def test_the_standard_example_is_valid():
    # GB 11643-1999 gives 11010519491231002X as its example.
    assert id_number_problem("11010519491231002X") is None
    assert mod11_2_check("11010519491231002") == "X"


@given(seventeen)
def test_check_character_agrees_with_the_recursive_form(first17):
    assert check_character(first17) == mod11_2_check(first17)


@st.composite
def valid_ids(draw):
    region = draw(st.integers(100000, 999999))
    born = draw(st.dates(date(1, 1, 1), date.today()))
    seq = draw(st.integers(0, 999))
    first = f"{region}{born.year:04d}{born.month:02d}{born.day:02d}{seq:03d}"
    return first + mod11_2_check(first)


@given(valid_ids())
def test_every_well_formed_number_is_accepted(idn):
    assert id_number_problem(idn) is None


@settings(max_examples=200)
@given(valid_ids(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_changed_character_is_refused(idn, pos, ch):
    if idn[pos] == ch or (ch == "X" and pos != 17):
        return
    changed = idn[:pos] + ch + idn[pos + 1:]
    assert id_number_problem(changed) is not None


@given(valid_ids(), st.integers(0, 15))
def test_swapping_two_neighbouring_different_digits_is_refused(idn, pos):
    if idn[pos] == idn[pos + 1]:
        return
    swapped = idn[:pos] + idn[pos + 1] + idn[pos] + idn[pos + 2:]
    assert id_number_problem(swapped) is not None


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("140522200501011", "18 位"),  # the old 15-digit form
        ("1405222005010112345", "18 位"),
        ("14052220050101123", "18 位"),
        ("1405222005010112A4", "17 digits"),
        ("14052220050101123x", "capital X"),  # refused, not upper-cased: GB 11643 writes X
        ("040522200501011234", "address code"),
        ("140522200502301234", "birth date"),
        ("140522190002291234", "birth date"),  # 1900 was not a leap year
        ("140522209912311234", "in the future"),
        ("１４０５２２２００５０１０１１２３４", "17 digits"),  # full-width digits
    ],
)
def test_malformed_numbers_say_what_is_wrong(value, fragment):
    assert fragment in id_number_problem(value)


def test_a_wrong_check_character_names_the_right_one():
    first = "14052220050101123"
    right = mod11_2_check(first)
    wrong = "0" if right != "0" else "1"
    assert f"校验码应为 {right}" in id_number_problem(first + wrong)


def test_mask_matches_the_issue_example():
    assert mask_identifier("14052220050101123X") == "1405**********123X"


@given(st.text(alphabet="0123456789ABCDEFG", min_size=0, max_size=30))
def test_mask_keeps_length_and_hides_the_middle(value):
    masked = mask_identifier(value)
    assert len(masked) == len(value)
    keep = min(4, len(value) // 4)
    assert masked[:keep] == value[:keep]
    assert masked[len(value) - keep:] == value[len(value) - keep:]
    assert set(masked[keep:len(value) - keep]) <= {"*"}
    assert masked.count("*") >= len(value) - 8


def test_birth_dates_over_many_years_round_trip():
    born = date(1850, 1, 1)
    while born <= date.today():
        first = f"510802{born:%Y%m%d}001"
        assert id_number_problem(first + check_character(first)) is None
        born += timedelta(days=97)


def test_a_birth_date_is_judged_against_the_day_of_the_check():
    first = "14052220250615123"
    idn = first + check_character(first)
    assert id_number_problem(idn, today=date(2025, 6, 15)) is None
    assert "尚未到来" in id_number_problem(idn, today=date(2025, 6, 14))
    assert "in the future" in id_number_problem(idn, today=date(2025, 6, 14))


def test_every_reason_is_listed():
    first = "04052219000229123"
    got = id_number_reasons(first + "x")
    assert [p.zh for p in got] == ["校验码须为大写 X，实为小写 x", "地址码 040522 不能以 0 开头", "出生日期 19000229 不存在"]


@settings(max_examples=300)
@given(st.lists(st.one_of(valid_ids(), st.text(alphabet="0123456789X", min_size=18, max_size=18)), min_size=1, max_size=20),
       st.dates(date(1990, 1, 1), date(2040, 1, 1)))
def test_the_column_form_gives_the_scalar_verdict(values, today):
    codes = np.frombuffer("".join(values).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
    shaped = [v[:17].isdigit() for v in values]
    got = valid_code_rows(codes, today=today)
    assert [bool(g) for g, ok in zip(got, shaped) if ok] == [not id_number_reasons(v, today=today) for v, ok in zip(values, shaped) if ok]
