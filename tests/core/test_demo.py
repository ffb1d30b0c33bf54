"""The demo city has the shape the issue asks for, is built deterministically, and has an account per role."""

from __future__ import annotations

import pytest
from django.db.models import Count

from gaozhong.core.demo import build_demo
from gaozhong.core.models import AdminClass, Candidate, County, Membership, Role, School, SchoolYear, Student, Teacher
from gaozhong.importer.idnumber import id_number_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            summary = build_demo(seed=2025)
            yield summary
            transaction.set_rollback(True)


def test_demo_city_has_the_documents_shape(demo):
    assert County.objects.count() == 6
    seniors = School.objects.filter(level="senior")
    assert seniors.filter(ownership="public").count() == 18 and seniors.filter(ownership="private").count() == 3
    assert 75 <= School.objects.filter(level="junior").count() <= 85
    assert 18_000 <= Candidate.objects.filter(year=2026).count() <= 22_000
    assert 18_000 <= Candidate.objects.filter(year=2025).count() <= 22_000
    assert 3_000 <= Teacher.objects.count() <= 4_000
    assert SchoolYear.objects.count() >= 4  # the current year and three past ones
    assert Student.objects.filter(status="在籍").count() > 25_000


def test_some_classes_are_over_55_and_fewer_each_year(demo):
    over = {}
    for y in SchoolYear.objects.order_by("start_year"):
        sizes = AdminClass.objects.filter(school_year=y).annotate(n=Count("enrollments")).values_list("n", flat=True)
        assert sizes and min(sizes) >= 30
        over[y.start_year] = sum(1 for n in sizes if n > 55)
    years = sorted(over)
    assert over[years[0]] > over[years[-1]] > 0
    assert AdminClass.objects.filter(school_year__start_year=years[0]).annotate(n=Count("enrollments")).filter(n__gte=66).exists()


def test_identity_numbers_are_valid_and_unique_but_for_the_planted_anomalies(demo):
    """Every invalid ID number in the demo is one the registry check found (planted on purpose); a student's ID
    number is unique on the platform, and the planted duplicate registrations are the national registry's second
    registrations of three students' numbers, each found at both schools."""
    from gaozhong.registry.models import Registration, RegistryAnomaly

    ids = list(Student.objects.filter(status="在籍").values_list("student_no", "id_number"))
    invalid = {no for no, i in ids if id_number_problem(i) is not None}
    found = RegistryAnomaly.objects.values_list("kind", "student_no")
    assert invalid == {no for k, no in found if k == "invalid_id_number"} and len(invalid) == 2
    assert len({i for _, i in Student.objects.values_list("student_no", "id_number")}) == Student.objects.count()
    owner = dict((i, no) for no, i in ids)
    seconds = list(Registration.objects.values_list("student_no", "id_number"))
    assert len(seconds) == 3 and all(i in owner for _, i in seconds)
    repeated = {no for no, _ in seconds} | {owner[i] for _, i in seconds}
    assert repeated == {no for k, no in found if k == "duplicate_registration"} and len(repeated) == 6


def test_every_role_has_a_demo_account(demo):
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert all(u for u, _, _ in demo.accounts)
    teacher = Membership.objects.get(user__username="teacher_demo")
    assert teacher.teacher.assignments.exists()


def _digest() -> str:
    import hashlib

    h = hashlib.sha256()
    for row in Student.objects.order_by("student_no").values_list("student_no", "name", "school__code", "admin_class__number", "entry_score"):
        h.update(repr(row).encode())
    for row in Candidate.objects.order_by("exam_no").values_list("exam_no", "name", "score"):
        h.update(repr(row).encode())
    return h.hexdigest()


def test_demo_is_deterministic(demo, tmp_path):
    """A second build from the same seed, in a fresh SQLite database of its own, has the same digest."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env["GAOZHONG_DATA_DIR"] = str(tmp_path)
    subprocess.run([sys.executable, "-m", "gaozhong.cli", "demo", "--no-serve"], env=env, check=True, capture_output=True)
    script = "import django; django.setup(); from tests.core.test_demo import _digest; print(_digest())"
    env["DJANGO_SETTINGS_MODULE"] = "gaozhong.site.settings"
    out = subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == _digest()


def test_the_electives_window_is_ready_to_solve(demo):
    """The 高二 window of G0101: every student has a 3+1+2 choice, physics near 60%, and the counting checks pass."""
    from gaozhong.electives.casebuild import build_case
    from gaozhong.electives.engine.feasibility import needs_table
    from gaozhong.electives.models import Choice, Window
    from gaozhong.electives.rules import check_combination

    window = Window.objects.get(school__code="G0101", grade=2)
    assert window.is_open
    built = build_case(window)
    assert built.problems == [] and len(built.case.students) == window.choices.count() > 800
    assert all(not check_combination(c.split(";")) for c in Choice.objects.values_list("electives", flat=True))
    physics = sum(1 for s in built.case.students if "WL" in s.electives) / len(built.case.students)
    assert 0.55 <= physics <= 0.65
    assert needs_table(built.case).conflicts == []
    st = Membership.objects.get(user__username="student_xuanke").student
    assert st.admin_class.grade == 2 and st.school.code == "G0101"


def test_the_demo_came_in_through_setup_city_and_the_imports(demo):
    """One setup_city, then the schools, students (in school: .xlsx; graduates: CSV, per school) and teachers
    files, each an import with its audit row; the files are on disk and read back to the rows in the database."""
    from collections import Counter

    from gaozhong.core.demofiles import demo_files_dir
    from gaozhong.core.importspecs import SPECS
    from gaozhong.core.models import AuditEvent
    from gaozhong.importer.readers import read_table

    actions = Counter(AuditEvent.objects.values_list("action", flat=True))
    assert actions["core.city.set_up"] == 1 and actions["core.schools.imported"] == 1 and actions["core.teachers.imported"] == 1
    assert actions["core.students.imported"] == 2 * School.objects.filter(level="senior").count()
    folder = demo_files_dir()
    schools = read_table(folder / "schools.xlsx", SPECS["schools"])
    assert sorted(r["code"] for r in schools.rows) == sorted(School.objects.values_list("code", flat=True))
    g0101 = read_table(folder / "students-G0101.xlsx", SPECS["students"]).rows + read_table(folder / "students-G0101-graduates.csv", SPECS["students"]).rows
    assert sorted(r["student_no"] for r in g0101) == sorted(Student.objects.filter(school__code="G0101").values_list("student_no", flat=True))
    teachers = read_table(folder / "teachers.xlsx", SPECS["teachers"])
    assert len(teachers.rows) == Teacher.objects.filter(staff_no__startswith="T").count()


def test_the_domain_data_came_in_through_their_imports(demo):
    """中考, 招生计划, 高考成绩, 学校年度指标, 考勤, 考试参加 and 转学 each arrived as a file through its import (one
    audit row a file); the files on disk read back to the rows in the database."""
    from collections import Counter

    from gaozhong.admissions.importspecs import SPECS as ADMISSIONS
    from gaozhong.admissions.models import SchoolPlan
    from gaozhong.core.demofiles import demo_files_dir
    from gaozhong.core.models import AuditEvent
    from gaozhong.evaluation.importspecs import GAOKAO
    from gaozhong.evaluation.models import GaokaoResult, SchoolOutcome
    from gaozhong.importer.readers import read_table
    from gaozhong.registry.importspecs import SPECS as REGISTRY
    from gaozhong.registry.models import AttendanceRecord, ExamSitting, TransferRecord

    actions = Counter(AuditEvent.objects.values_list("action", flat=True))
    gaokao_years = sorted(set(GaokaoResult.objects.values_list("year", flat=True)))
    assert len(gaokao_years) == 3 and actions["evaluation.gaokao.imported"] == 3
    for action in ("evaluation.school_outcomes.imported", "registry.registry.imported", "registry.attendance.imported",
                   "registry.exam_sittings.imported", "registry.transfers.imported"):
        assert actions[action] == 1, action
    assert actions["admissions.zhongkao.imported"] == actions["admissions.plans.imported"] == 2  # last year's and this year's
    folder = demo_files_dir()
    for year in (2025, 2026):
        zhongkao = read_table(folder / f"zhongkao-{year}.csv", ADMISSIONS["zhongkao"], max_rows=None)
        assert sorted(r["exam_no"] for r in zhongkao.rows) == sorted(Candidate.objects.filter(year=year).values_list("exam_no", flat=True))
        plans = read_table(folder / f"plans-{year}.xlsx", ADMISSIONS["plans"])
        assert {r["school"]: r["seats"] for r in plans.rows} == dict(SchoolPlan.objects.filter(year__year=year).values_list("school__code", "seats"))
    gaokao = read_table(folder / f"gaokao-{gaokao_years[-1]}.csv", GAOKAO, max_rows=None)
    assert {r["student_no"]: r["total"] for r in gaokao.rows} == dict(
        GaokaoResult.objects.filter(year=gaokao_years[-1]).values_list("student__student_no", "total"))
    assert SchoolOutcome.objects.count() == 21 * SchoolYear.objects.count()
    attendance = read_table(folder / "attendance.csv", REGISTRY["attendance"], max_rows=None)
    assert len(attendance.rows) == AttendanceRecord.objects.count()
    assert len(read_table(folder / "exam-sittings.csv", REGISTRY["exam_sittings"], max_rows=None).rows) == ExamSitting.objects.count()
    assert len(read_table(folder / "transfers.xlsx", REGISTRY["transfers"]).rows) == TransferRecord.objects.count() == 20


def test_both_years_are_published_and_the_public_pages_answer_for_this_one(demo):
    """The public 录取分数线 page and the lookup answer from the first start: 2025's run approved and published;
    2026's main run and its 补录 published, the public pages showing 2026's final result."""
    from django.test import Client
    from django.urls import reverse

    from gaozhong.admissions.models import AdmissionRun, AdmissionYear, PublishedAnswer, PublishedResult, SchoolPlan

    assert dict(AdmissionYear.objects.values_list("year", "status")) == {2025: "published", 2026: "published"}
    run = AdmissionRun.objects.get(year__year=2025)
    pub = PublishedResult.objects.get(year=2025)
    assert run.status == "approved" and pub.run_id == run.pk and pub.candidates == Candidate.objects.filter(year=2025).count()
    seats = sum(SchoolPlan.objects.filter(year__year=2025).values_list("seats", flat=True))
    assert 0.9 * seats < pub.admitted <= seats < pub.candidates and len(pub.cutoffs) > 100  # about half go on to senior high
    this = PublishedResult.objects.get(year=2026)
    assert this.run.round == 2 and this.run.status == "approved" and this.candidates == Candidate.objects.filter(year=2026).count()
    c = Client()
    page = c.get(reverse("admissions_cutoffs")).content.decode()
    assert "2026" in page and "晋阳市第一中学" in page  # the first page, in the schools' order
    page = c.get(reverse("admissions_cutoffs"), {"q": "晋阳市职业技术学校"}).content.decode()
    assert "机电技术应用" in page and "补录" in page  # the 中职 school's majors, both rounds
    cand = Candidate.objects.filter(year=2026).order_by("exam_no").first()
    page = c.post(reverse("admissions_lookup"), {"exam_no": cand.exam_no, "id_tail": cand.id_number[-6:]}).content.decode()
    assert cand.name in page and PublishedAnswer.objects.filter(publication=this, exam_no=cand.exam_no).exists()


def test_this_years_admission_ran_the_whole_year_with_a_supplementary_round(demo):
    """2026 from its plans to its 补录: 普高 and 中职 admitted in one main run, every admission within its program's
    招生范围 and plan; 补录 admits from the seats left without touching a main-round seat but the declined ones;
    candidate_demo was admitted in the main round, candidate_bulu in 补录; the fill rates of the main round and
    the final ones differ where 补录 filled seats; 普职比 of the result is what the admissions say."""
    from collections import Counter

    from gaozhong.admissions.models import Admission, AdmissionRun, Program, SupplementaryRound
    from gaozhong.admissions.services.stage import fill_rates, general_vocational

    main = AdmissionRun.objects.get(year__year=2026, round=1)
    supp = AdmissionRun.objects.get(year__year=2026, round=2)
    rnd = SupplementaryRound.objects.get(year__year=2026)
    assert main.status == supp.status == "approved" and supp.base_run_id == main.pk and rnd.status == "published"
    first = Counter(Admission.objects.filter(run=main, program__isnull=False).values_list("program__school__level", flat=True))
    assert first["senior"] > 9_000 and first["vocational"] > 5_000
    declined = set(rnd.declines.values_list("candidate_id", flat=True))
    assert declined and rnd.choices.values("candidate").distinct().count() > 500
    before = dict(Admission.objects.filter(run=main, program__isnull=False).values_list("candidate_id", "program_id"))
    after = dict(Admission.objects.filter(run=supp, round=1).values_list("candidate_id", "program_id"))
    assert after == {c: p for c, p in before.items() if c not in declined}
    final = Counter(Admission.objects.filter(run=supp, program__isnull=False).values_list("program_id", flat=True))
    rolled = Counter()
    for p in Program.objects.filter(year__year=2026, rollover_to__isnull=False):
        rolled[p.rollover_to_id] += p.capacity - final[p.pk]
    assert all(final[p.pk] <= p.capacity + rolled[p.pk] for p in Program.objects.filter(year__year=2026))
    second = Counter(Admission.objects.filter(run=supp, round=2).values_list("program__school__level", flat=True))
    assert second["senior"] > 0 and second["vocational"] > 0
    for a in Admission.objects.filter(run=supp, program__isnull=False).select_related("program", "candidate__county"):
        assert a.program.admits_from(a.candidate.county.code), a.candidate.exam_no
    mine = Admission.objects.get(run=supp, candidate=Membership.objects.get(user__username="candidate_demo").candidate)
    bulu = Membership.objects.get(user__username="candidate_bulu").candidate
    assert mine.round == 1 and mine.program is not None
    assert Admission.objects.get(run=main, candidate=bulu).program is None and Admission.objects.get(run=supp, candidate=bulu).round == 2
    rates = fill_rates(supp.fill_rates_csv)
    assert any(r.first_round_fill_rate != r.final_fill_rate for r in rates.values())
    levels = Counter(Admission.objects.filter(run=supp, program__isnull=False).values_list("program__school__level", flat=True))
    city = next(r for r in general_vocational(supp.general_vocational_csv) if r.scope == "city" and r.basis == "admitted")
    assert (city.general, city.vocational) == (levels["senior"], levels["vocational"])


def test_last_years_admission_admitted_every_gaoyi_student_where_registered(demo):
    """Last year's candidates are this year's 高一 students (by their registration's 准考证号) and the graduates who
    did not go on; the published run admits each student at the school they are registered at, so the registry's
    未经平台录取入学 check flags only the registry demo's planted duplicates and mistyped ID numbers."""
    from gaozhong.admissions.models import Admission
    from gaozhong.registry.models import RegistryAnomaly

    school_of = dict(Student.objects.filter(entry_year=2025).exclude(student_no__startswith="D").values_list("exam_no", "school_id"))
    admitted = dict(Admission.objects.filter(run__year__year=2025, candidate__exam_no__in=list(school_of))
                    .values_list("candidate__exam_no", "program__school_id"))
    assert len(school_of) > 9_000 and admitted == school_of
    assert Candidate.objects.filter(year=2025).count() == 2 * len(school_of)
    flagged = RegistryAnomaly.objects.filter(kind="enrolled_without_admission").values_list("student_no", "id_number")
    assert all(no.startswith("D") or id_number_problem(idn) is not None for no, idn in flagged), list(flagged)


def test_the_admission_year_has_vocational_schools_programs_by_major_and_ranges(demo):
    from gaozhong.admissions.models import AdmissionYear, Preference, Program, SchoolPlan

    year = AdmissionYear.objects.get(year=2026)
    assert year.range_required and year.special_share is not None
    assert School.objects.filter(level="vocational").count() == 3
    vocational = Program.objects.filter(year=year, kind="vocational")
    assert vocational.count() == 10 and all(p.major and p.batch == 4 for p in vocational)
    assert {p.school.code: p.counties for p in vocational} == {"V0101": "全市", "V2102": "149921;149922", "V2303": "149923;149924"}
    ranges = dict(SchoolPlan.objects.filter(year=year, school__level="senior").values_list("school__quality", "counties").distinct())
    assert ranges["provincial"] == "全市" and ranges["ordinary"] != "全市"
    prefs = Preference.objects.filter(year=year).select_related("program", "candidate__county")
    assert prefs.filter(batch=4).exists() and prefs.filter(batch=1).exists()
    assert all(p.program.admits_from(p.candidate.county.code) for p in prefs)  # every choice one the form offers


def test_the_senior_schools_have_their_reporting_arrangement_and_the_vocational_schools_announce_later(demo):
    from gaozhong.admissions.models import SchoolPlan

    plans = SchoolPlan.objects.filter(year__year__in=(2025, 2026)).select_related("school")
    seniors = [p for p in plans if p.school.level == "senior"]
    assert seniors and all(p.report_time.startswith(f"{p.year.year}年8月") and p.school.name in p.report_place for p in seniors)
    assert all(not p.report_time and not p.report_place for p in plans if p.school.level == "vocational")
