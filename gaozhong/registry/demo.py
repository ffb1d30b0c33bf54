"""Demo data for the registry: a year of attendance and unified-exam sittings for every enrolled senior student,
some scattered transfers, and planted anomalies of every kind the check finds (3 duplicate registrations, 6
ghosts, 5 registry–attendance mismatches, one bulk transfer of 12 students, 2 invalid ID numbers), then a check.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import User

from gaozhong.core.models import School, Student
from gaozhong.registry.models import AttendanceRecord, ExamSitting, TransferRecord
from gaozhong.registry.services.checks import registry_check_run

TERMS = ["2025-1", "2025-2"]


def build(*, seed: int, progress) -> None:
    r = random.Random(seed + 11)
    seniors = list(School.objects.filter(level=School.Level.SENIOR).order_by("code"))
    enrolled = list(Student.objects.filter(status=Student.Status.ENROLLED, school__level=School.Level.SENIOR).order_by("student_no").select_related("school"))
    picks = r.sample(range(len(enrolled)), 40)
    ghosts = {enrolled[i].pk for i in picks[:6]}
    mismatch = {enrolled[i].pk: seniors[(seniors.index(enrolled[i].school) + 1) % len(seniors)] for i in picks[6:11]}
    att, exams = [], []
    for st in enrolled:
        if st.pk in ghosts:
            continue
        for term in TERMS:
            elsewhere = mismatch.get(st.pk) if term == TERMS[-1] else None
            if elsewhere is not None:
                att.append(AttendanceRecord(student=st, school=elsewhere, term=term, days_present=r.randrange(55, 70)))
                exams.append(ExamSitting(student=st, school=elsewhere, exam_id=f"{term}-期末统考", term=term))
            else:
                att.append(AttendanceRecord(student=st, school=st.school, term=term, days_present=r.randrange(80, 96)))
                exams.append(ExamSitting(student=st, school=st.school, exam_id=f"{term}-期末统考", term=term))
    AttendanceRecord.objects.bulk_create(att, batch_size=5000)
    ExamSitting.objects.bulk_create(exams, batch_size=5000)
    progress(f"{len(att)} attendance and {len(exams)} exam records")

    # Duplicate registrations: the same ID number 在籍 at a second school under a second student number.
    dup_rows = []
    for i in picks[11:14]:
        st = enrolled[i]
        other = seniors[(seniors.index(st.school) + 3) % len(seniors)]
        dup_rows.append(Student(school=other, student_no="D" + st.student_no[1:], id_number=st.id_number, name=st.name, gender=st.gender,
                                birth_date=st.birth_date, entry_year=st.entry_year, status=Student.Status.ENROLLED))
    Student.objects.bulk_create(dup_rows)
    for d in dup_rows:
        for term in TERMS:
            AttendanceRecord.objects.create(student=d, school=d.school, term=term, days_present=r.randrange(70, 90))
    # Invalid ID numbers: a mistyped check character.
    for i in picks[14:16]:
        st = enrolled[i]
        bad = st.id_number[:17] + ("0" if st.id_number[17] != "0" else "1")
        Student.objects.filter(pk=st.pk).update(id_number=bad)
    # One bulk transfer (12 students from one school to another within 20 days) and scattered ones.
    src, dst = seniors[4], seniors[11]
    movers = [s for s in enrolled if s.school_id == src.pk and s.pk not in ghosts and s.pk not in mismatch][:12]
    start = dt.date(2025, 9, 1)
    transfers = [TransferRecord(student=s, from_school=src, to_school=dst, date=start + dt.timedelta(days=r.randrange(0, 20))) for s in movers]
    for i in picks[16:24]:
        st = enrolled[i]
        transfers.append(TransferRecord(student=st, from_school=st.school, to_school=r.choice(seniors), date=dt.date(2025, 3, 1) + dt.timedelta(days=r.randrange(0, 300))))
    TransferRecord.objects.bulk_create(transfers)
    progress(f"planted anomalies; {len(transfers)} transfers")
    check = registry_check_run(actor=User.objects.get(username="city_admin"), current_term=TERMS[-1], terms=TERMS)
    progress(f"registry check: {check.counts}")
