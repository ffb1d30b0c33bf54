"""Staffing by subject (学科师资): teachers needed per school from weekly periods × classes and from the
teacher–student ratio, against the teachers available; structural shortages per school and county.

Rule: seed 002 §三(三), 到2023年全面达到师生比1:12.5的国家规定标准，全面解决总量不足和结构性缺员问题.

- need by subject = ⌈classes × weekly periods of the subject ÷ standard weekly load⌉ (whole teachers);
- need by ratio = ⌈enrolled students ÷ 12.5⌉;
- a teacher available counts 1/k toward each of their k subjects (exact fractions), and 1 toward the total;
- a structural shortage is a subject with fewer teachers available than needed; a county's shortage of a
  subject is the sum of its schools' shortages (one school's spare teachers do not fill another's gap).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from gaozhong.common import standards

__all__ = [
    "STUDENTS_PER_TEACHER", "WEEKLY_PERIODS", "STANDARD_LOAD", "SchoolInput", "SubjectLine", "SchoolStaffing",
    "CountyStaffing", "ratio_need", "subject_need", "school_staffing", "county_staffing",
]

#: Rule: seed 002 §三(三), 师生比 1:12.5 (one full-time teacher per 12.5 enrolled students).
STUDENTS_PER_TEACHER = standards.STUDENTS_PER_TEACHER

#: Weekly periods per administrative class by subject code (the platform's subject codes); the same table the
#: demo city was staffed from.
WEEKLY_PERIODS: dict[str, int] = {
    "YW": 5, "SX": 5, "WY": 5, "WL": 3, "HX": 3, "SW": 3, "ZZ": 2, "LS": 2, "DL": 2, "TY": 2,
    "XX": 1, "TJ": 1, "XL": 1, "YY": 1, "MS": 1,
}

#: Weekly periods one full-time senior-high teacher teaches (a platform setting). With about 37 periods per
#: class a week and classes of about 50, it gives about 3.7 teachers per class, close to the 4 of the 1:12.5 ratio.
STANDARD_LOAD = 10


def ratio_need(students: int) -> int:
    """Full-time teachers needed for ``students`` enrolled students. Rule: seed 002 §三(三), 师生比 1:12.5."""
    if students < 0:
        raise ValueError("students must be >= 0")
    return math.ceil(Fraction(students) / STUDENTS_PER_TEACHER)


def subject_need(classes: int, periods: int, load: int = STANDARD_LOAD) -> int:
    """Teachers of one subject needed for ``classes`` classes of ``periods`` weekly periods each."""
    if classes < 0 or periods < 0 or load <= 0:
        raise ValueError("classes and periods must be >= 0 and load > 0")
    return math.ceil(Fraction(classes * periods, load))


@dataclass(frozen=True)
class SchoolInput:
    school_id: int
    county_id: int
    classes: int
    students: int
    teachers: Sequence[tuple[str, ...]]  # the subject codes of each full-time teacher available


@dataclass(frozen=True)
class SubjectLine:
    subject: str
    periods: int
    need: int
    have: Fraction

    @property
    def gap(self) -> Fraction:
        """Available minus needed: negative is a shortage."""
        return self.have - self.need

    @property
    def shortage(self) -> Fraction:
        return max(Fraction(0), -self.gap)


@dataclass(frozen=True)
class SchoolStaffing:
    school_id: int
    county_id: int
    classes: int
    students: int
    teachers: int
    ratio_need: int
    subjects: tuple[SubjectLine, ...]

    @property
    def ratio_gap(self) -> int:
        return self.teachers - self.ratio_need

    @property
    def shortages(self) -> tuple[SubjectLine, ...]:
        """Rule: seed 002 §三(三) 结构性缺员: subjects with fewer teachers than needed."""
        return tuple(s for s in self.subjects if s.shortage > 0)

    @property
    def subject_need_total(self) -> int:
        return sum(s.need for s in self.subjects)


def school_staffing(inp: SchoolInput, periods: Mapping[str, int] = WEEKLY_PERIODS, load: int = STANDARD_LOAD) -> SchoolStaffing:
    """One school's need and supply by subject and by ratio. Subjects a teacher teaches that have no weekly
    periods in the table are listed with a need of 0."""
    have: dict[str, Fraction] = defaultdict(Fraction)
    for subjects in inp.teachers:
        distinct = sorted(set(subjects))
        for s in distinct:
            have[s] += Fraction(1, len(distinct))
    codes = list(periods) + sorted(set(have) - set(periods))
    lines = tuple(
        SubjectLine(code, periods.get(code, 0), subject_need(inp.classes, periods.get(code, 0), load), have.get(code, Fraction(0)))
        for code in codes
    )
    return SchoolStaffing(inp.school_id, inp.county_id, inp.classes, inp.students, len(inp.teachers),
                          ratio_need(inp.students), lines)


@dataclass
class CountyStaffing:
    county_id: int
    schools: int = 0
    classes: int = 0
    students: int = 0
    teachers: int = 0
    ratio_need: int = 0
    schools_below_ratio: int = 0
    need: dict[str, int] = field(default_factory=dict)
    have: dict[str, Fraction] = field(default_factory=dict)
    shortage: dict[str, Fraction] = field(default_factory=dict)  # sum of the schools' shortages
    schools_short: dict[str, int] = field(default_factory=dict)  # schools short of the subject

    @property
    def ratio_gap(self) -> int:
        return self.teachers - self.ratio_need


def county_staffing(schools: Iterable[SchoolStaffing]) -> list[CountyStaffing]:
    """Per county, the sums of its schools' figures, in county-id order. Rule: seed 002 §三(三)."""
    out: dict[int, CountyStaffing] = {}
    for s in schools:
        c = out.setdefault(s.county_id, CountyStaffing(s.county_id))
        c.schools += 1
        c.classes += s.classes
        c.students += s.students
        c.teachers += s.teachers
        c.ratio_need += s.ratio_need
        c.schools_below_ratio += s.ratio_gap < 0
        for line in s.subjects:
            c.need[line.subject] = c.need.get(line.subject, 0) + line.need
            c.have[line.subject] = c.have.get(line.subject, Fraction(0)) + line.have
            c.shortage[line.subject] = c.shortage.get(line.subject, Fraction(0)) + line.shortage
            c.schools_short[line.subject] = c.schools_short.get(line.subject, 0) + (line.shortage > 0)
    return [out[k] for k in sorted(out)]
