"""A fresh city reaches its first results from files alone: an empty database, ``setup_city``, the bureau's own
.xlsx files through the import commands (学校, 学生, 中考考生与成绩, 招生计划, 志愿, 高考成绩, 考勤, 考试参加,
转学), and only the services a bureau clicks in the web (create the admission year, approve the plans, generate
programs, open and close the window, run and publish; a value-added run; the registry check).

It ends with a published admission result a candidate looks up, a value-added run whose school effects follow
the effects the gaokao file plants, and a registry worklist holding exactly the anomalies the evidence files
plant (a 空挂学籍 and a 人籍分离).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gaozhong.admissions.models import Admission, AdmissionRun, AdmissionYear
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create, admission_run_execute
from gaozhong.admissions.services.setup import admission_window_set, admission_year_create, programs_generate, school_plans_approve
from gaozhong.core.masking import mask_student_no
from gaozhong.core.models import AuditEvent, Candidate, Student
from gaozhong.evaluation.models import GaokaoResult, SchoolEffect
from gaozhong.evaluation.services.runs import value_added_run_create
from gaozhong.registry.models import AttendanceRecord, RegistryAnomaly, TransferRecord
from gaozhong.registry.services.checks import registry_check_run
from tests.core.test_fresh_install import ADMIN, PASSWORD, Install, idn, step_setup_city

pytestmark = pytest.mark.django_db

YEAR = 2026  # the coming admission
COHORT = 2022  # graduated in 2025: entry score (中考成绩) and gaokao total
SENIORS = [("G0501", "太原市第五中学", "140105", "省级示范"), ("G0502", "小店区实验中学", "140105", "普通"),
           ("G0601", "迎泽高级中学", "140106", "市级示范")]
JUNIORS = [("J0501", "小店区第一初级中学", "140105"), ("J0502", "小店区第二初级中学", "140105"), ("J0601", "迎泽区第一初级中学", "140106")]
EFFECT = {"G0501": 25.0, "G0502": -20.0, "G0601": 0.0}  # what each school adds to the gaokao total, planted below
TERMS = ["2025-1", "2025-2"]


def _schools(inst: Install) -> None:
    rows = [[code, name, county, "普通高中", "公办", quality, 1950, None] for code, name, county, quality in SENIORS]
    rows += [[code, name, county, "初级中学", "公办", "普通", None, None] for code, name, county in JUNIORS]
    path = inst.xlsx("学校名册.xlsx", "学校", ["学校代码", "学校名称", "县(区)代码", "学段", "办学性质", "办学等级", "建校年份", "地址"], rows)
    call_command("import_schools", str(path), user=ADMIN)


def _students(inst: Install) -> dict[str, list[str]]:
    """Per senior school: 12 graduates of COHORT with their 中考成绩, and 4 students 在籍 of the 2024 cohort."""
    headers = ["学籍号", "身份证号", "姓名", "性别", "出生日期", "学校代码", "入学年份", "年级", "班号", "学籍状态", "中考准考证号", "中考成绩"]
    rows, current = [], {}
    for s, (code, _, county, _) in enumerate(SENIORS):
        for k in range(16):
            graduate = k < 12
            i = idn(county, "20070101" if graduate else "20090101", 100 * s + k)
            rows.append([f"G{i}", i, f"学生{code}{k:02d}", "男" if k % 2 else "女", dt.date(2007 if graduate else 2009, 1, 1), code,
                         COHORT if graduate else 2024, None, None, "毕业" if graduate else "在籍",
                         f"{COHORT % 100}{s}{k:04d}" if graduate else None, 450 + 15 * k if graduate else None])
            if not graduate:
                current.setdefault(code, []).append(f"G{i}")
    call_command("import_students", str(inst.xlsx("学生名册.xlsx", "学生", headers, rows)), user=ADMIN)
    return current


def _gaokao(inst: Install) -> None:
    """The 考试院's results of COHORT: 100 + 0.8 × entry score + the school's effect + a small fixed wobble."""
    rows = []
    for st in Student.objects.filter(entry_year=COHORT).select_related("school").order_by("student_no"):
        wobble = ((len(rows) * 37) % 11 - 5) * 2.0
        total = 100 + 0.8 * float(st.entry_score) + EFFECT[st.school.code] + wobble
        rows.append([2025, f"25140105{len(rows):06d}", None, st.student_no, st.name, round(total, 1)])
    call_command("import_gaokao", str(inst.xlsx("高考成绩.xlsx", "高考成绩", ["高考年份", "考生号", "身份证号", "学籍号", "姓名", "总分"], rows)), user=ADMIN)


def _zhongkao(inst: Install) -> list[list]:
    """24 candidates, 8 per junior school, totals 700, 689, … (no two alike), as the examination authority sends them."""
    rows = []
    for k in range(24):
        junior, _, county = JUNIORS[k % 3]
        total = 700 - 11 * k
        part = round(total / 700 * 110)
        rows.append([f"26{k:06d}", f"考生{k:02d}", "男" if k % 2 else "女", idn(county, "20100601", 200 + k), junior, county, total, part, part, part])
    call_command("import_zhongkao", str(inst.xlsx("中考成绩.xlsx", "中考成绩", ["准考证号", "姓名", "性别", "身份证号", "毕业学校代码", "户籍县(区)代码",
                                                                              "总分", "语文", "数学", "英语"], rows)), "--year", str(YEAR), user=ADMIN)
    return rows


def _registry_evidence(inst: Install, current: dict[str, list[str]]) -> tuple[str, str]:
    """考勤 and 考试参加 of both terms for every student in school, but for a ghost (no record anywhere) and one who
    studies at G0601 in 2025-2 while registered at G0501 (人籍分离); one ordinary transfer."""
    ghost, away = current["G0502"][0], current["G0501"][1]
    att, exams = [], []
    for code, nos in current.items():
        for no in nos:
            if no == ghost:
                continue
            for term in TERMS:
                where = "G0601" if no == away and term == TERMS[-1] else code
                att.append([no, where, term, 88])
                exams.append([no, where, f"{term}-期末统考", term])
    call_command("import_attendance", str(inst.xlsx("考勤.xlsx", "考勤", ["学籍号", "出勤学校代码", "学期", "出勤天数"], att)), user=ADMIN)
    call_command("import_exam_sittings", str(inst.xlsx("考试参加.xlsx", "考试参加", ["学籍号", "考点学校代码", "考试编号", "学期"], exams)), user=ADMIN)
    moved = [[current["G0601"][2], "G0601", "G0502", dt.date(2025, 3, 10)]]
    call_command("import_transfers", str(inst.xlsx("转学.xlsx", "转学", ["学籍号", "转出学校代码", "转入学校代码", "转学日期"], moved)), user=ADMIN)
    return ghost, away


def test_a_fresh_city_reaches_a_published_admission_a_value_added_run_and_a_registry_worklist(tmp_path):
    assert User.objects.count() == Candidate.objects.count() == 0  # an empty database
    inst = Install(tmp_path)
    step_setup_city(inst)
    admin = User.objects.get(username=ADMIN)
    _schools(inst)
    current = _students(inst)

    # 增值评价: the 高考成绩 file, then the run (the button on the value-added page).
    _gaokao(inst)
    assert GaokaoResult.objects.count() == 36
    run = value_added_run_create(actor=admin, entry_year=COHORT)
    effects = {e.group: e.effect for e in SchoolEffect.objects.filter(run=run)}
    assert run.n == 36 and run.groups == 3 and set(effects) == set(EFFECT)
    assert effects["G0501"] > effects["G0601"] > effects["G0502"]  # the planted order: +25, 0, −20
    assert run.slope == pytest.approx(0.8, abs=0.1)

    # 招生录取: the year (a click), the 中考 file, the plans file, approve and generate (clicks), 志愿 file, run, publish.
    now = timezone.now()
    year = admission_year_create(actor=admin, year=YEAR, window_opens=now - dt.timedelta(days=1), window_closes=now + dt.timedelta(days=10))
    cands = _zhongkao(inst)
    plans = [["G0501", 10, 0, None], ["G0502", 10, 0, None], ["G0601", 10, 0, None]]
    call_command("import_plans", str(inst.xlsx("招生计划.xlsx", "招生计划", ["学校代码", "计划数", "特长生计划", "招生范围"], plans)), user=ADMIN)
    assert school_plans_approve(actor=admin, year=year) == 3
    programs_generate(actor=admin, year=year)
    admission_window_set(actor=admin, year=year, status=AdmissionYear.Status.OPEN)
    prefs = [[c[0], 3, rank, f"{school}-TZ"] for c in cands for rank, school in enumerate(("G0501", "G0601", "G0502"), start=1)]
    call_command("import_preferences", str(inst.xlsx("志愿.xlsx", "志愿", ["准考证号", "批次", "志愿序号", "招生专业代码"], prefs)), user=ADMIN)
    admission_window_set(actor=admin, year=year, status=AdmissionYear.Status.CLOSED)
    arun = admission_run_execute(run=admission_run_create(actor=admin, year=year))
    admission_run_approve(actor=admin, run=arun)
    year.refresh_from_db()
    assert year.status == AdmissionYear.Status.PUBLISHED and AdmissionRun.objects.get().status == AdmissionRun.Status.APPROVED
    # Independent check: everyone put G0501 first, so its admits are exactly the best scores.
    admits = list(Admission.objects.filter(run=arun).select_related("candidate", "program__school").order_by("-candidate__score"))
    at_g0501 = [a.program is not None and a.program.school.code == "G0501" for a in admits]
    assert at_g0501[0] and at_g0501 == sorted(at_g0501, reverse=True) and 5 <= sum(at_g0501) <= 10

    c = Client()
    top = cands[0]
    page = c.post(reverse("admissions_lookup"), {"exam_no": top[0], "id_tail": top[3][-6:]}).content.decode()
    assert top[1] in page and "已被录取" in page and "太原市第五中学" in page
    wrong = c.post(reverse("admissions_lookup"), {"exam_no": top[0], "id_tail": "000000" if top[3][-6:] != "000000" else "111111"})
    assert "太原市第五中学" not in wrong.content.decode()

    # 学籍监管: the evidence files, the check (the button on the worklist), the worklist.
    ghost, away = _registry_evidence(inst, current)
    assert AttendanceRecord.objects.count() == 2 * (12 - 1) and TransferRecord.objects.count() == 1
    check = registry_check_run(actor=admin, current_term=TERMS[-1], terms=TERMS)
    found = set(RegistryAnomaly.objects.filter(check_run=check).values_list("kind", "student_no"))
    assert found == {(RegistryAnomaly.Kind.GHOST, ghost), (RegistryAnomaly.Kind.MISMATCH, away)}
    assert c.post(reverse("login"), {"username": ADMIN, "password": PASSWORD}).status_code == 302
    page = c.get(reverse("registry_worklist")).content.decode()
    assert mask_student_no(ghost) in page and mask_student_no(away) in page

    # Every file went in through its import, each with its one audit row.
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"core.city.set_up", "core.schools.imported", "core.students.imported", "evaluation.gaokao.imported", "admissions.zhongkao.imported",
            "admissions.plans.imported", "admissions.preferences.imported", "registry.attendance.imported", "registry.exam_sittings.imported",
            "registry.transfers.imported", "admissions.run.approved", "registry.check.run"} <= actions
