"""Registry checks on the platform's own data: the engine's kinds from database records, the platform-only
enrolled_without_admission, a worklist scoped to county and school, and an audited resolution."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, Candidate
from gaozhong.registry.models import AttendanceRecord, RegistryAnomaly
from gaozhong.registry.services.checks import anomaly_resolve, registry_check_run

pytestmark = pytest.mark.django_db


def attend(student, school, term, days):
    AttendanceRecord.objects.create(student=student, school=school, term=term, days_present=days)


@pytest.fixture
def records(world):
    # a: both students attend at home; b's first student attends at school a in the current term (人籍分离);
    # b's second student has no record at all (空挂).
    for st in (world.a.student, world.a.other_student):
        attend(st, world.a.school, "2025-1", 80)
        attend(st, world.a.school, "2025-2", 82)
    attend(world.b.student, world.b.school, "2025-1", 80)
    attend(world.b.student, world.a.school, "2025-2", 61)
    return world


def test_check_finds_ghost_and_mismatch_from_the_database(records):
    w = records
    check = registry_check_run(actor=w.city_user, current_term="2025-2", terms=["2025-1", "2025-2"])
    found = {(a.kind, a.student_no) for a in RegistryAnomaly.objects.filter(check_run=check)}
    assert found == {("ghost_registration", w.b.other_student.student_no), ("registry_attendance_mismatch", w.b.student.student_no)}
    mismatch = RegistryAnomaly.objects.get(kind="registry_attendance_mismatch")
    assert mismatch.school == w.b.school and "GA1" in mismatch.evidence and "61" in mismatch.evidence
    assert check.counts == {"ghost_registration": 1, "registry_attendance_mismatch": 1}


def test_enrolled_without_admission(records):
    from django.utils import timezone

    from gaozhong.admissions.models import Admission, AdmissionRun, AdmissionYear, Program

    w = records
    now = timezone.now()
    year = AdmissionYear.objects.create(year=2025, window_opens=now, window_closes=now + dt.timedelta(days=1), status="published")
    prog = Program.objects.create(year=year, code="GA1-TZ", school=w.a.school, kind="unified", batch=3, capacity=10)
    run = AdmissionRun.objects.create(year=year, started_by=w.city_user, status="approved")

    def cand(student, n):
        return Candidate.objects.create(year=2025, exam_no=f"25{n}", name=student.name, id_number=student.id_number, gender="男",
                                        junior_school=w.a.junior, county=w.a.county, score=600, chinese=100, math=100, english=100)

    Admission.objects.create(run=run, candidate=cand(w.a.student, 1), program=prog, batch=3, choice_rank=1)
    Admission.objects.create(run=run, candidate=cand(w.b.student, 2), program=prog, batch=3, choice_rank=1)
    check = registry_check_run(actor=w.city_user, current_term="2025-2", terms=["2025-1", "2025-2"])
    flagged = {a.student_no: a.evidence for a in RegistryAnomaly.objects.filter(check_run=check, kind="enrolled_without_admission")}
    assert set(flagged) == {w.a.other_student.student_no, w.b.student.student_no, w.b.other_student.student_no}
    assert "没有该身份证号的考生记录" in flagged[w.a.other_student.student_no]
    assert "被 a县一中 录取" in flagged[w.b.student.student_no]


def test_only_the_city_runs_checks(records):
    with pytest.raises(PermissionDenied):
        registry_check_run(actor=records.a.county_user, current_term="2025-2", terms=["2025-1", "2025-2"])
    with pytest.raises(ValidationError):
        registry_check_run(actor=records.city_user, current_term="2026-1", terms=["2025-1", "2025-2"])


def test_worklist_is_scoped_and_resolution_is_audited(records):
    w = records
    registry_check_run(actor=w.city_user, current_term="2025-2", terms=["2025-1", "2025-2"])
    ghost = RegistryAnomaly.objects.get(kind="ghost_registration")
    c = Client()
    c.force_login(w.a.county_user)
    assert w.b.other_student.student_no_masked not in c.get(reverse("registry_worklist")).content.decode()
    c.force_login(w.b.school_user)
    assert w.b.other_student.student_no_masked in c.get(reverse("registry_worklist")).content.decode()
    n = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        anomaly_resolve(actor=w.b.school_user, anomaly=ghost, outcome="explained", note="  ")
    with pytest.raises(PermissionDenied):
        anomaly_resolve(actor=w.a.school_user, anomaly=ghost, outcome="explained", note="x")
    assert AuditEvent.objects.count() == n and RegistryAnomaly.objects.get(pk=ghost.pk).status == "open"
    r = c.post(reverse("registry_anomaly", kwargs={"pk": ghost.pk}), {"outcome": "corrected", "note": "已注销空挂学籍"})
    assert r.status_code == 302
    ghost.refresh_from_db()
    assert ghost.status == "corrected" and ghost.resolved_by == w.b.school_user
    assert AuditEvent.objects.count() == n + 1 and AuditEvent.objects.latest("id").action == "registry.anomaly.resolved"
