"""Demo data for the registry: a year of attendance and unified-exam sittings for every enrolled senior student,
some scattered transfers, and planted anomalies of every kind the check finds (3 duplicate registrations, 6
ghosts, 5 registry–attendance mismatches, one bulk transfer of 12 students, 2 invalid ID numbers), then a check.

Through the front door: the evidence arrives as the files the schools' and bureaus' systems write — the national
registry's 学籍系统名册 (.xlsx), 考勤 and 考试参加 (CSV, about 65,000 rows each) and 转学 (.xlsx) — loaded through
the registry's imports (``gaozhong.core.demofiles``); the check is the service the web's button calls. The three
duplicate registrations are rows of the 学籍系统名册: a second 学籍号 at another school for a 身份证号 a platform
student holds (the platform holds one student per 身份证号, so the second registration is the national
registry's, attended at its school). The two mistyped ID numbers (a bad GB 11643 check character) stay direct
writes on two students, because the student import refuses them on purpose.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.contrib.auth.models import User

from gaozhong.core.demo import DemoCity
from gaozhong.core.demofiles import DemoFile, load_demo_files
from gaozhong.core.models import School, Student
from gaozhong.importer.export import write_csv, write_xlsx
from gaozhong.registry.importspecs import SPECS
from gaozhong.registry.services.checks import registry_check_run
from gaozhong.registry.services.imports import attendance_import, exam_sittings_import, registrations_import, transfers_import

TERMS = ["2025-1", "2025-2"]


def _writer(kind: str, rows: list[dict], csv: bool):
    def write(folder: Path) -> list[Path]:
        path = folder / f"{kind.replace('_', '-')}.{'csv' if csv else 'xlsx'}"
        (write_csv if csv else write_xlsx)(path, SPECS[kind], rows)
        return [path]

    return write


def build(*, seed: int, progress, city: DemoCity | None = None) -> None:
    r = random.Random(seed + 11)
    seniors = list(School.objects.filter(level=School.Level.SENIOR).order_by("code"))
    enrolled = list(Student.objects.filter(status=Student.Status.ENROLLED, school__level=School.Level.SENIOR).order_by("student_no").select_related("school", "admin_class"))
    picks = r.sample(range(len(enrolled)), 40)
    ghosts = {enrolled[i].pk for i in picks[:6]}
    mismatch = {enrolled[i].pk: seniors[(seniors.index(enrolled[i].school) + 1) % len(seniors)] for i in picks[6:11]}
    att, exams = [], []
    for st in enrolled:
        if st.pk in ghosts:
            continue
        for term in TERMS:
            elsewhere = mismatch.get(st.pk) if term == TERMS[-1] else None
            # not a standard: days attended elsewhere, or at home
            where, days = (elsewhere, r.randrange(55, 70)) if elsewhere is not None else (st.school, r.randrange(80, 96))
            att.append({"student_no": st.student_no, "school": where.code, "term": term, "days_present": days})
            exams.append({"student_no": st.student_no, "school": where.code, "exam_id": f"{term}-期末统考", "term": term})

    # Duplicate registrations: the national registry has the same ID number 在籍 at a second school under a
    # second student number, attended there (rows of its 学籍系统名册, beside the platform's own students).
    registrations = []
    for i in picks[11:14]:
        st = enrolled[i]
        other = seniors[(seniors.index(st.school) + 3) % len(seniors)]
        registrations.append({"student_no": "D" + st.student_no[1:], "id_number": st.id_number, "name": st.name, "school": other.code,
                              "grade": str(st.admin_class.grade) if st.admin_class_id else "", "status": Student.Status.ENROLLED})
    for d in registrations:
        for term in TERMS:
            att.append({"student_no": d["student_no"], "school": d["school"], "term": term, "days_present": r.randrange(70, 90)})
    # Invalid ID numbers: a mistyped check character (direct: the student import refuses it).
    for i in picks[14:16]:
        st = enrolled[i]
        bad = st.id_number[:17] + ("0" if st.id_number[17] != "0" else "1")
        Student.objects.filter(pk=st.pk).update(id_number=bad)
    # One bulk transfer (12 students from one school to another within 20 days) and scattered ones.
    src, dst = seniors[4], seniors[11]
    movers = [s for s in enrolled if s.school_id == src.pk and s.pk not in ghosts and s.pk not in mismatch][:12]
    start = dt.date(2025, 9, 1)
    transfers = [{"student_no": s.student_no, "from_school": src.code, "to_school": dst.code, "date": start + dt.timedelta(days=r.randrange(0, 20))}
                 for s in movers]
    for i in picks[16:24]:
        st = enrolled[i]
        to = r.choice(seniors)
        transfers.append({"student_no": st.student_no, "from_school": st.school.code, "to_school": to.code,
                          "date": dt.date(2025, 3, 1) + dt.timedelta(days=r.randrange(0, 300))})

    admin = User.objects.get(username="city_admin")
    load_demo_files([
        DemoFile("registry", _writer("registry", registrations, csv=False), registrations_import),
        DemoFile("attendance", _writer("attendance", att, csv=True), attendance_import),
        DemoFile("exam_sittings", _writer("exam_sittings", exams, csv=True), exam_sittings_import),
        DemoFile("transfers", _writer("transfers", transfers, csv=False), transfers_import),
    ], actor=admin, folder=city.folder if city else None, progress=progress)
    progress(f"planted anomalies; {len(transfers)} transfers")
    check = registry_check_run(actor=admin, current_term=TERMS[-1], terms=TERMS)
    progress(f"registry check: {check.counts}")
