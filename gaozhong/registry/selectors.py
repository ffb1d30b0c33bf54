"""Reads of the registry pages: what the check still lacks before it can run (readiness)."""

from __future__ import annotations

from django.urls import reverse

from gaozhong.core.models import School, Student
from gaozhong.core.readiness import Missing
from gaozhong.core.scoping import visible
from gaozhong.registry.models import AttendanceRecord, ExamSitting


def latest_term() -> str | None:
    """The newest term that has attendance records (the term a check examines as current)."""
    terms = set(AttendanceRecord.objects.values_list("term", flat=True).distinct())
    return max(terms) if terms else None


def check_readiness(*, user) -> list[Missing]:
    """Which of the user's senior schools with registered students have sent no attendance or exam records for
    the newest term (or none at all), with a link to the import. Empty when the check can run on full data."""
    schools = set(visible(School, user).filter(level=School.Level.SENIOR, students__status=Student.Status.ENROLLED)
                  .values_list("pk", flat=True).distinct())
    if not schools:
        return [Missing("平台上还没有在籍学生，请先导入学生名册", reverse("import_upload", args=["students"]))]
    term = latest_term()
    out: list[Missing] = []
    if term is None:
        out.append(Missing(f"尚未导入考勤记录 (0 / {len(schools)} 所学校)", reverse("registry_import", args=["attendance"])))
    else:
        have = set(AttendanceRecord.objects.filter(term=term, school_id__in=schools).values_list("school_id", flat=True).distinct())
        if len(schools - have):
            out.append(Missing(f"{len(schools - have)} 所学校未提交 {term} 学期考勤记录 ({len(have)} / {len(schools)} 所学校已提交)",
                               reverse("registry_import", args=["attendance"])))
    exam_term = term
    sat = set(ExamSitting.objects.filter(school_id__in=schools, **({"term": exam_term} if exam_term else {})).values_list("school_id", flat=True).distinct())
    if len(schools - sat):
        label = f"{exam_term} 学期" if exam_term else ""
        out.append(Missing(f"{len(schools - sat)} 所学校未提交 {label}考试参加记录 ({len(sat)} / {len(schools)} 所学校已提交)",
                           reverse("registry_import", args=["exam_sittings"])))
    return out

