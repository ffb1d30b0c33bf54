"""What next year's intake asks of a school: classes to keep 班额 ≤ 55 and full-time teachers to keep 师生比 at
1 : 12.5, against what it has now.

Next year's students by grade: 高一 = the planned intake; 高二 = this year's 高一; 高三 = this year's 高二 (this
year's 高三 graduate; no attrition is assumed). Classes needed = Σ over grades ⌈students ÷ 55⌉ (Rule: 002 §三(七),
班额 ≤ 55); teachers needed = ⌈students ÷ 12.5⌉ (Rule: 002 §三(三), 师生比 1:12.5). The gap is what is needed
minus what the school has this year (classes, full-time teachers); a negative gap is room to spare.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gaozhong.common import standards
from gaozhong.common.standards import CLASS_MAX

__all__ = ["MAX_CLASS", "STUDENTS_PER_TEACHER", "SchoolNow", "WhatIf", "what_if"]

MAX_CLASS = CLASS_MAX
STUDENTS_PER_TEACHER = float(standards.STUDENTS_PER_TEACHER)


@dataclass(frozen=True)
class SchoolNow:
    key: str
    label: str
    grade_students: tuple[int, int, int]  # this year's 高一, 高二, 高三
    classes: int  # admin classes this year
    teachers: int  # full-time teachers this year
    planned_intake: int


@dataclass(frozen=True)
class WhatIf:
    key: str
    label: str
    planned_intake: int
    next_students: tuple[int, int, int]
    classes_needed: int
    classes_have: int
    new_classes_g1: int
    teachers_needed: int
    teachers_have: int

    @property
    def class_gap(self) -> int:
        return self.classes_needed - self.classes_have

    @property
    def teacher_gap(self) -> int:
        return self.teachers_needed - self.teachers_have

    @property
    def students(self) -> int:
        return sum(self.next_students)

    @property
    def ratio(self) -> float | None:
        return self.students / self.teachers_have if self.teachers_have else None


def what_if(school: SchoolNow) -> WhatIf:
    if school.planned_intake < 0:
        raise ValueError("planned intake cannot be negative")
    g1, g2, _g3 = school.grade_students
    nxt = (school.planned_intake, g1, g2)
    classes = sum(math.ceil(n / MAX_CLASS) for n in nxt)
    teachers = math.ceil(sum(nxt) / STUDENTS_PER_TEACHER - 1e-9)
    return WhatIf(
        key=school.key, label=school.label, planned_intake=school.planned_intake, next_students=nxt,
        classes_needed=classes, classes_have=school.classes, new_classes_g1=math.ceil(school.planned_intake / MAX_CLASS),
        teachers_needed=teachers, teachers_have=school.teachers,
    )
