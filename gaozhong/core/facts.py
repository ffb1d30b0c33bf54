"""The facts layer: each per-school, per-school-year quantity computed once, from the foundation's records only.

Supervision (its computed data elements), the school profile, the people pages and the home page all read these
figures, so a school's 师生比 or its count of classes over 55 is the same number wherever it appears.

Definitions (each stated once, here):

- **在籍学生数** (students): students placed in the school's administrative classes of that school year
  (``Enrollment``).
- **班额** bands (Rule: 002 §三(七)): classes of ≤ 55, 56–65 (大班额) and ≥ 66 (超大班额) students, from
  ``gaozhong.common.standards.class_band``; 高一 classes separately (new intake).
- **专任教师** (full-time teachers, Rule: 002 §三(三) 师生比 1:12.5): staff of post 专任教师 or 心理教师, hired on or
  before the staff reference day (1 September of the school year, ``standards.STAFF_REFERENCE``), not held back
  by a registered exclusion (the people app registers teachers whose 准入查询 is not cleared, seed 004 §24).
  Not 校长/副校长, 教辅 or 教研员. The platform keeps no leaving dates, so earlier years count today's staff by
  hire date.
- **师生比** = 在籍学生数 ÷ 专任教师数 (students per full-time teacher; the standard is ≤ 12.5).

The foundation imports no domain app: a domain that holds a reason to leave a teacher out registers a function
with :func:`register_teacher_exclusion` (in its ``AppConfig.ready``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count

from gaozhong.common.standards import NEW_SCHOOL_MAX, NEW_SCHOOL_SINCE, SCHOOL_MAX, STAFF_REFERENCE, class_band

from .models import AdminClass, School, Teacher

__all__ = [
    "TEACHING_POSTS", "LEADER_POSTS", "PSYCH_SUBJECT", "SchoolFacts", "staff_reference_day", "register_teacher_exclusion",
    "excluded_teachers", "school_facts", "school_facts_one", "ratio_text",
]

TEACHING_POSTS = (Teacher.Post.TEACHING, Teacher.Post.COUNSELLOR)
LEADER_POSTS = (Teacher.Post.PRINCIPAL, Teacher.Post.VICE_PRINCIPAL)
PSYCH_SUBJECT = "心理健康"

_exclusions: list[Callable[[], set[int]]] = []


def register_teacher_exclusion(fn: Callable[[], set[int]]) -> None:
    """Let a domain app name teachers not to count as staff (e.g. pre-hire check not cleared)."""
    if fn not in _exclusions:
        _exclusions.append(fn)


def excluded_teachers() -> set[int]:
    out: set[int] = set()
    for fn in _exclusions:
        out |= set(fn())
    return out


def staff_reference_day(year: int) -> dt.date:
    """The day staff are counted for school year ``year`` (by its starting year)."""
    return dt.date(year, *STAFF_REFERENCE)


@dataclass
class SchoolFacts:
    school_id: int
    year: int
    students: int = 0
    classes_total: int = 0
    classes_ok: int = 0  # ≤ 55
    classes_large: int = 0  # 56–65
    classes_huge: int = 0  # ≥ 66
    g1_classes_total: int = 0
    g1_classes_ok: int = 0
    max_class: int = 0
    students_by_grade: dict[int, int] = field(default_factory=dict)
    fulltime_ids: frozenset[int] = field(default_factory=frozenset)
    teachers_bianzhi: int = 0
    teachers_and_principals: int = 0
    psych_present: bool = False
    large_school: bool = False  # ≥ 5000 students
    new_school: bool = False
    new_school_too_large: bool = False  # new and > 3000

    @property
    def teachers_fulltime(self) -> int:
        return len(self.fulltime_ids)

    @property
    def classes_over(self) -> int:
        """Classes over 55 (大班额 and 超大班额)."""
        return self.classes_large + self.classes_huge

    @property
    def students_per_teacher(self) -> float | None:
        """师生比 as students per full-time teacher (None without teachers)."""
        return self.students / self.teachers_fulltime if self.teachers_fulltime else None


def ratio_text(f: SchoolFacts) -> str:
    """How every page writes a school's 师生比: ``1 : 13.91`` (two decimals)."""
    r = f.students_per_teacher
    return "无专任教师" if r is None else f"1 : {r:.2f}"


def school_facts(years: Iterable[int], school_ids: Iterable[int] | None = None) -> dict[tuple[int, int], SchoolFacts]:
    """Facts per (school id, school year) for senior high schools with admin classes that year."""
    year_list = list(years)
    schools = School.objects.filter(level=School.Level.SENIOR)
    if school_ids is not None:
        schools = schools.filter(pk__in=list(school_ids))
    info = {s.pk: s for s in schools}
    out: dict[tuple[int, int], SchoolFacts] = {}
    sizes = (AdminClass.objects.filter(school_id__in=list(info), school_year__start_year__in=year_list)
             .annotate(n=Count("enrollments")).values_list("school_id", "school_year__start_year", "grade", "n"))
    for sid, y, grade, n in sizes:
        f = out.setdefault((sid, y), SchoolFacts(sid, y))
        band = class_band(n)
        f.classes_total += 1
        f.students += n
        f.max_class = max(f.max_class, n)
        f.students_by_grade[grade] = f.students_by_grade.get(grade, 0) + n
        f.classes_ok += band == "ok"
        f.classes_large += band == "large"
        f.classes_huge += band == "huge"
        if grade == 1:
            f.g1_classes_total += 1
            f.g1_classes_ok += band == "ok"
    if not out:
        return out
    excluded = excluded_teachers()
    psych_ids = set(Teacher.subjects.through.objects.filter(subject__name=PSYCH_SUBJECT, teacher__school_id__in=list(info))
                    .values_list("teacher_id", flat=True))
    by_school: dict[int, list[tuple]] = defaultdict(list)
    for t in Teacher.objects.filter(school_id__in=list(info)).values_list("pk", "school_id", "post", "hire_date", "is_bianzhi"):
        if t[0] not in excluded:
            by_school[t[1]].append(t)
    for (sid, y), f in out.items():
        s = info[sid]
        cutoff = staff_reference_day(y)
        present = [t for t in by_school.get(sid, []) if t[3] <= cutoff]
        f.fulltime_ids = frozenset(t[0] for t in present if t[2] in TEACHING_POSTS)
        f.teachers_bianzhi = sum(1 for t in present if t[4])
        f.teachers_and_principals = sum(1 for t in present if t[2] in TEACHING_POSTS or t[2] in LEADER_POSTS)
        f.psych_present = any(t[2] == Teacher.Post.COUNSELLOR or t[0] in psych_ids for t in present)
        f.large_school = f.students >= SCHOOL_MAX
        f.new_school = s.founded_year is not None and s.founded_year >= NEW_SCHOOL_SINCE
        f.new_school_too_large = f.new_school and f.students > NEW_SCHOOL_MAX
    return out


def school_facts_one(school_id: int, year: int) -> SchoolFacts | None:
    return school_facts([year], [school_id]).get((school_id, year))
