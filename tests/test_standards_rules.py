"""The rules of 班额 and 师生比 themselves (002 §三(七), §三(三)), on both sides of each boundary: the standards
table's bands and the facts layer's ratio, checked against the document's numbers written out here."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gaozhong.common.standards import CLASS_LARGE_MAX, CLASS_MAX, STUDENTS_PER_TEACHER, class_band
from gaozhong.core.facts import SchoolFacts, ratio_text


@pytest.mark.parametrize("size, band", [(1, "ok"), (55, "ok"), (56, "large"), (65, "large"), (66, "huge"), (90, "huge")])
def test_class_size_bands_follow_002_three_seven(size, band):
    assert (CLASS_MAX, CLASS_LARGE_MAX) == (55, 65)
    assert class_band(size) == band


def _facts(*, students: int, teachers_fulltime: int) -> SchoolFacts:
    return SchoolFacts(school_id=1, year=2025, students=students, fulltime_ids=frozenset(range(teachers_fulltime)))


@pytest.mark.parametrize("students, teachers, meets", [(125, 10, True), (126, 10, False), (1250, 100, True), (1251, 100, False)])
def test_students_per_teacher_is_enrolled_over_fulltime_against_12_5(students, teachers, meets):
    assert float(STUDENTS_PER_TEACHER) == 12.5
    f = _facts(students=students, teachers_fulltime=teachers)
    assert f.students_per_teacher == students / teachers
    assert (f.students_per_teacher <= STUDENTS_PER_TEACHER) is meets
    assert ratio_text(f) == f"1 : {students / teachers:.2f}"


def test_no_fulltime_teacher_has_no_ratio():
    f = _facts(students=100, teachers_fulltime=0)
    assert f.students_per_teacher is None and ratio_text(f) == "无专任教师"
    assert replace(f, fulltime_ids=frozenset(range(8))).students_per_teacher == 12.5
