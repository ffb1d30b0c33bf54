"""Run a registry check on the platform's own data and resolve what it finds.

The engine (:mod:`gaozhong.registry.engine`) finds duplicate registrations, ghosts (空挂), registry–attendance
mismatches (人籍分离), bulk transfers and invalid ID numbers; the platform adds one kind the engine cannot see:
``enrolled_without_admission`` — a 高一 student registered at a school without an admission result from the
platform for that school (Rule: seed 002 §三(一), 所有学生必须通过平台录取; 严禁跨区域招生).
"""

from __future__ import annotations

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from gaozhong.admissions.models import Admission, AdmissionRun
from gaozhong.core.audit import audit_record
from gaozhong.core.masking import mask_student_no
from gaozhong.core.models import Role, School, Student
from gaozhong.core.scoping import can_write, scope_of
from gaozhong.core.selectors import current_year
from gaozhong.registry.engine.check import check_frames
from gaozhong.registry.engine.model import (
    ATTENDANCE_SCHEMA, EXAMS_SCHEMA, REGISTRY_SCHEMA, TRANSFERS_SCHEMA, CheckParams, RegistryInputs, Terms,
)
from gaozhong.registry.models import AttendanceRecord, ExamSitting, Registration, RegistryAnomaly, RegistryCheck, TransferRecord


def _frame(rows, schema) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


def registry_inputs(*, current_term: str, terms: list[str]) -> RegistryInputs:
    """The registry (the platform's students and the national registry's other registrations), attendance, exams and
    transfers of the whole city as the engine's typed frames."""
    students = pl.DataFrame(
        list(Student.objects.order_by("pk").values_list("student_no", "id_number", "name", "school__code", "admin_class__grade", "status")),
        schema={"student_id": pl.String, "id_number": pl.String, "name": pl.String, "school_id": pl.String, "grade": pl.Int64, "status": pl.String},
        orient="row",
    ).with_columns(pl.col("grade").cast(pl.String).fill_null(""))
    # The national registry's registrations the platform does not hold (a student imported later under the same
    # 学籍号 takes its place): a second registration of one 身份证号 shows only here.
    others = pl.DataFrame(
        list(Registration.objects.order_by("pk").values_list("student_no", "id_number", "name", "school__code", "grade", "status")),
        schema={"student_id": pl.String, "id_number": pl.String, "name": pl.String, "school_id": pl.String, "grade": pl.String, "status": pl.String},
        orient="row",
    ).filter(~pl.col("student_id").is_in(students["student_id"].implode()))
    registry = pl.concat([students, others])
    who = (Coalesce("student__student_no", "registration__student_no"),)
    attendance = _frame(list(AttendanceRecord.objects.values_list(*who, "school__code", "term", "days_present")), ATTENDANCE_SCHEMA)
    exams = _frame(list(ExamSitting.objects.values_list(*who, "school__code", "exam_id", "term")), EXAMS_SCHEMA)
    transfers = _frame(list(TransferRecord.objects.values_list(*who, "from_school__code", "to_school__code", "date")), TRANSFERS_SCHEMA)
    return RegistryInputs(registry=registry.cast(dict(REGISTRY_SCHEMA)), attendance=attendance, exams=exams, transfers=transfers,
                          terms=Terms(current=current_term, examined=tuple(terms)))


def enrolled_without_admission() -> list[dict]:
    """高一 students of an entry year whose admission ran on the platform (a published run), registered at a
    school that did not admit them there; the evidence names the student's platform result, if any."""
    year = current_year()
    if year is None:
        return []
    run = AdmissionRun.objects.filter(year__year=year.start_year, status=AdmissionRun.Status.APPROVED).first()
    if run is None:
        return []
    by_id = {a.candidate.id_number: a for a in Admission.objects.filter(run=run).select_related("candidate", "program__school")}
    out = []
    for st in Student.objects.filter(entry_year=year.start_year, status=Student.Status.ENROLLED, school__level=School.Level.SENIOR).select_related("school"):
        a = by_id.get(st.id_number)
        if a is not None and a.program_id and a.program.school_id == st.school_id:
            continue
        if a is None:
            why = f"{run.year.year} 年统一录取中没有该身份证号的考生记录"
        elif a.program_id is None:
            why = f"{run.year.year} 年统一录取未被任何学校录取（准考证号 {a.candidate.exam_no}）"
        else:
            why = f"{run.year.year} 年统一录取被 {a.program.school.name} 录取（准考证号 {a.candidate.exam_no}），不是在籍学校 {st.school.name}"
        out.append({"kind": RegistryAnomaly.Kind.NO_ADMISSION, "student": st, "student_no": st.student_no, "id_number": st.id_number,
                    "school": st.school, "evidence": why})
    return out


@transaction.atomic
def registry_check_run(*, actor, current_term: str, terms: list[str], bulk_threshold: int = 10, bulk_window_days: int = 30) -> RegistryCheck:
    """Run every check city-wide and record the anomalies (one audit row)."""
    if scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("学籍检查由市教育局统一运行 (city bureau only)")
    try:
        params = CheckParams(bulk_threshold=bulk_threshold, bulk_window_days=bulk_window_days)
        inputs = registry_inputs(current_term=current_term, terms=terms)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    result = check_frames(inputs, params)
    check = RegistryCheck.objects.create(created_by=actor, current_term=current_term, terms=terms, bulk_threshold=bulk_threshold, bulk_window_days=bulk_window_days)
    students = {s.student_no: s for s in Student.objects.select_related("school")}
    schools = {s.code: s for s in School.objects.all()}
    rows = [RegistryAnomaly(check_run=check, kind=a.kind, student=students.get(a.student_id), student_no=a.student_id, id_number=a.id_number,
                            school=schools[a.school_id], evidence=a.evidence) for a in result.anomalies()]
    rows += [RegistryAnomaly(check_run=check, **row) for row in enrolled_without_admission()]
    RegistryAnomaly.objects.bulk_create(rows, batch_size=2000)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    check.counts = counts
    check.save(update_fields=["counts"])
    audit_record(actor=actor, action="registry.check.run", obj=check, object_repr=f"学籍检查 {current_term}", after={"terms": terms, "counts": counts})
    return check


@transaction.atomic
def anomaly_resolve(*, actor, anomaly: RegistryAnomaly, outcome: str, note: str) -> RegistryAnomaly:
    """The school (or its county) records how an anomaly was settled: corrected, or explained with a note."""
    if not can_write(actor, anomaly):
        raise PermissionDenied("无权处理该学籍异常")
    if outcome not in (RegistryAnomaly.Status.CORRECTED, RegistryAnomaly.Status.EXPLAINED):
        raise ValidationError("处理结果须为“已核实并纠正”或“已说明”")
    if not note.strip():
        raise ValidationError("请填写处理说明 (a note is required)")
    before = {"status": anomaly.status, "note": anomaly.note}
    anomaly.status, anomaly.note, anomaly.resolved_by, anomaly.resolved_at = outcome, note.strip(), actor, timezone.now()
    anomaly.save(update_fields=["status", "note", "resolved_by", "resolved_at"])
    audit_record(actor=actor, action="registry.anomaly.resolved", obj=anomaly, object_repr=f"{anomaly.get_kind_display()} {mask_student_no(anomaly.student_no)}",
                 county_id=anomaly.school.county_id, school_id=anomaly.school_id, before=before, after={"status": outcome, "note": anomaly.note})
    return anomaly
