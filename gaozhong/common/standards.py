"""The standards table: every numeric standard the platform uses, each with the clause that sets it.

One place for every figure a rule compares against (班额 55, 校额 5000/3000, 师生比 1:12.5, 72 课时, 15 %, 50 %,
96 %/95 % …). Engines, selectors, pages and the indicator catalog's defaults read it from here; nothing else
writes the number down. Plain Python, no Django, so engines and the foundation may import it.

A clause is cited as ``<document code> §<section>`` (document codes are those of the catalog's ``[[document]]``
records: 000 晋城市实施意见, 001 阳城县实施意见, 002 广元十四五方案, 003 运城十四五规划, 004 晋城教育局2021工作要点).
Whether a deployment *judges* a target also depends on the documents it adopts (docs/supervision.md); the
numbers here are the documents' own.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "Standard", "STANDARDS", "CLASS_MAX", "CLASS_LARGE_MAX", "SCHOOL_MAX", "NEW_SCHOOL_MAX", "NEW_SCHOOL_SINCE",
    "STUDENTS_PER_TEACHER", "RESEARCHER_MIN_HOURS", "ROTATION_MIN_SHARE", "QUOTA_MIN_SHARE", "GROSS_ENROLMENT_002",
    "GROSS_ENROLMENT_003", "FUNDS_PER_STUDENT_MIN", "MYOPIA_DROP_POINTS", "FITNESS_GOOD_SHARE", "STAFF_REFERENCE",
    "ROTATION_REFERENCE", "class_band", "standard",
]


@dataclass(frozen=True)
class Standard:
    key: str
    value: float
    unit: str
    clause: str  # document code + section, e.g. "002 §三(七)"
    meaning: str


#: 班额: an administrative class has at most 55 students (消除 56 人以上大班额). Rule: 002 §三(七).
CLASS_MAX = 55
#: 大班额 is 56–65; 超大班额 is 66 and more (the national bands; 002 §三(七) 全面消除大班额).
CLASS_LARGE_MAX = 65
#: 校额: no senior high school of 5000 students or more. Rule: 002 §三(七).
SCHOOL_MAX = 5000
#: A new school has at most 3000 students. Rule: 002 §三(七).
NEW_SCHOOL_MAX = 3000
#: "New" schools are those founded in the 十四五 period (2021 on). Rule: 002 §三(七).
NEW_SCHOOL_SINCE = 2021
#: 师生比 1:12.5: at most 12.5 enrolled students per full-time teacher. Rule: 002 §三(三). Definition: see
#: ``STAFF_REFERENCE`` and ``gaozhong.core.facts`` (专任教师 = posts 专任教师 and 心理教师).
STUDENTS_PER_TEACHER = Fraction(25, 2)
#: 每位教研员每年接受不少于 72 课时的培训. Rule: 002 §三(二).
RESEARCHER_MIN_HOURS = 72
#: 每年交流人员比例要超过 15%. Rule: 003 §三(五).
ROTATION_MIN_SHARE = Fraction(15, 100)
#: 优质普通高中指标到校比例不低于 50%. Rule: 002 §三(一).
QUOTA_MIN_SHARE = Fraction(50, 100)
#: 高中阶段毛入学率 96 % (广元, 002 §二) and 95 % (运城, 003 §三(二)3): two documents, two targets.
GROSS_ENROLMENT_002 = 96
GROSS_ENROLMENT_003 = 95
#: 普通高中生均公用经费拨款标准每生每年 1000 元，已经达到的不得降低. Rule: 002 §三(八).
FUNDS_PER_STUDENT_MIN = 1000
#: 近视率每年降低 1 个百分点以上. Rule: 003 §三(一)7.
MYOPIA_DROP_POINTS = 1
#: 体质健康达标优良率 25 %. Rule: 003 §三(一)7.
FITNESS_GOOD_SHARE = 25

#: The day of the school year staff are counted on for 师生比 and staffing: 1 September (month, day) of the
#: school year's first calendar year (the autumn statistics date).
STAFF_REFERENCE = (9, 1)
#: The day the headcount of a county's principals and teachers is taken for its yearly rotation rate: 1 January
#: of the calendar year whose moves are counted (moves dated in that year ÷ headcount on its first day).
ROTATION_REFERENCE = (1, 1)

STANDARDS: dict[str, Standard] = {s.key: s for s in (
    Standard("class_max", CLASS_MAX, "人", "002 §三(七)", "普通高中班额不超过 55 人"),
    Standard("class_large_max", CLASS_LARGE_MAX, "人", "002 §三(七)", "56–65 人为大班额，66 人及以上为超大班额"),
    Standard("school_max", SCHOOL_MAX, "人", "002 §三(七)", "全面消除 5000 人以上普通高中校点"),
    Standard("new_school_max", NEW_SCHOOL_MAX, "人", "002 §三(七)", "新建学校规模不超过 3000 人"),
    Standard("new_school_since", NEW_SCHOOL_SINCE, "年", "002 §三(七)", "2021 年起建校的为新建学校"),
    Standard("students_per_teacher", float(STUDENTS_PER_TEACHER), "人/师", "002 §三(三)",
             "师生比 1:12.5：在籍学生数 ÷ 专任教师数（专任教师与心理教师，9 月 1 日在册）不超过 12.5"),
    Standard("researcher_min_hours", RESEARCHER_MIN_HOURS, "课时", "002 §三(二)", "教研员每年培训不少于 72 课时"),
    Standard("rotation_min_share", float(ROTATION_MIN_SHARE) * 100, "%", "003 §三(五)",
             "每年交流的校长和教师超过 1 月 1 日在岗人数的 15%"),
    Standard("quota_min_share", float(QUOTA_MIN_SHARE) * 100, "%", "002 §三(一)", "优质普通高中指标到校比例不低于 50%"),
    Standard("gross_enrolment_002", GROSS_ENROLMENT_002, "%", "002 §二", "高中阶段毛入学率 96% 以上"),
    Standard("gross_enrolment_003", GROSS_ENROLMENT_003, "%", "003 §三(二)3", "高中阶段毛入学率 95% 以上"),
    Standard("funds_per_student_min", FUNDS_PER_STUDENT_MIN, "元", "002 §三(八)", "生均公用经费每生每年 1000 元，已达到的不得降低"),
    Standard("myopia_drop_points", MYOPIA_DROP_POINTS, "个百分点", "003 §三(一)7", "近视率每年下降 1 个百分点以上"),
    Standard("fitness_good_share", FITNESS_GOOD_SHARE, "%", "003 §三(一)7", "体质健康达标优良率 25%"),
)}


def standard(key: str) -> float:
    """The value of standard ``key`` (KeyError for an unknown key, so a catalog naming a wrong one fails)."""
    return STANDARDS[key].value


def class_band(size: int) -> str:
    """``ok`` (≤ 55), ``large`` (56–65, 大班额) or ``huge`` (≥ 66, 超大班额). Rule: 002 §三(七)."""
    if size <= CLASS_MAX:
        return "ok"
    if size <= CLASS_LARGE_MAX:
        return "large"
    return "huge"
