"""Admissions imports (中考考生与成绩, 招生计划, 志愿) with real .xlsx files and a GB18030 CSV: a good file is written
with one audit row; a bad file of each kind is refused with sheet, row and column, and nothing changes."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gaozhong.admissions.models import AdmissionYear, CandidateScores, Confirmation, Preference, Program, SchoolPlan
from gaozhong.admissions.services.imports import plans_import, preferences_import, zhongkao_import
from gaozhong.admissions.services.runs import canonical_inputs, run_engine
from gaozhong.admissions.services.setup import admission_year_create, programs_generate, school_plans_approve
from gaozhong.core.models import AuditEvent, Candidate, Job
from gaozhong.importer.idnumber import check_character

pytestmark = pytest.mark.django_db

ZK_HEADERS = ["准考证号", "姓名", "性别", "身份证号", "毕业学校代码", "户籍县(区)代码", "总分", "语文", "数学", "英语", "物理", "特长成绩", "语数外总分", "备注"]


def xlsx(headers, rows, sheet) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def idn(n: int) -> str:
    first = f"14990120100101{n:03d}"
    return first + check_character(first)


def zk_rows(n=6, start=0):
    """Candidates of both counties; 语数外总分 is an extra numeric column, 备注 a text column."""
    rows = []
    for i in range(start, start + n):
        junior, county = ("JA1", "149901") if i % 2 == 0 else ("JB1", "149902")
        c, m, e = 90 + i, 100 + (i % 3), 95.5
        rows.append([f"2026{i:04d}", f"考生{i}", "男" if i % 2 else "女", idn(i), junior, county, 600 - i, c, m, e, 60, None, c + m + e, "无"])
    return rows


def audits() -> int:
    return AuditEvent.objects.count()


def test_zhongkao_xlsx_creates_candidates_with_named_scores_and_one_audit_row(world):
    n = audits()
    out = zhongkao_import(actor=world.city_user, year=2026, data=xlsx(ZK_HEADERS, zk_rows(), "中考成绩"), filename="中考.xlsx")
    assert out.ok and (out.created, out.updated) == (6, 0)
    assert audits() == n + 1
    c = Candidate.objects.get(year=2026, exam_no="20260001")
    assert (c.junior_school.code, c.county.code, float(c.score), float(c.chinese)) == ("JB1", "149902", 599.0, 91.0)
    scores = CandidateScores.objects.get(candidate=c).scores
    assert scores == {"物理": "60", "语数外总分": "287.5"}  # the declared subject, the extra numeric column; 备注 is text
    # The named score reaches the run's input, where a tie-break rule can name it.
    year = admission_year_create(actor=world.city_user, year=2026, window_opens=timezone.now(), window_closes=timezone.now() + dt.timedelta(days=1),
                                 policy_toml='tiebreak = ["语数外总分", "数学"]\n')
    students = canonical_inputs(year)["students.csv"].splitlines()
    assert students[0] == "student_id,junior_school_id,county,score,cme,math,chinese,talent_score,物理,语数外总分,lottery"
    assert any(line.startswith("20260001,JB1,149902,599,287.5,101,91,,60,287.5,") for line in students)
    # Importing again with one change updates that candidate only.
    rows = zk_rows()
    rows[0][6] = 610
    again = zhongkao_import(actor=world.city_user, year=2026, data=xlsx(ZK_HEADERS, rows, "中考成绩"), filename="中考.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 1, 5)
    assert float(Candidate.objects.get(year=2026, exam_no="20260000").score) == 610


def test_a_bad_zhongkao_xlsx_names_sheet_row_and_column_and_writes_nothing(world):
    rows = zk_rows()
    rows[1][4] = "J-NONE"           # unknown junior school (row 3)
    rows[2][5] = "149999"           # unknown county (row 4)
    rows[3][4] = "GA1"              # a senior school as 毕业学校 (row 5)
    rows[4][12] = "二百九"           # text in a numeric extra column (row 6)
    rows[5][6] = None               # 总分 missing (row 7)
    n = audits()
    out = zhongkao_import(actor=world.city_user, year=2026, data=xlsx(ZK_HEADERS, rows, "中考成绩"), filename="中考.xlsx")
    text = "\n".join(str(p) for p in out.problems)
    assert "中考.xlsx[中考成绩]:7: column 总分 (G)" in text  # the reader's own check stops the file first
    assert not Candidate.objects.exists() and audits() == n
    rows[5][6] = 590
    out = zhongkao_import(actor=world.city_user, year=2026, data=xlsx(ZK_HEADERS, rows, "中考成绩"), filename="中考.xlsx")
    text = "\n".join(str(p) for p in out.problems)
    assert "中考.xlsx[中考成绩]:3: column 毕业学校代码 (E): 学校代码 “J-NONE” 不存在" in text
    assert "中考.xlsx[中考成绩]:4: column 户籍县(区)代码 (F): 县(区)代码 “149999” 不存在" in text
    assert "中考.xlsx[中考成绩]:5: column 毕业学校代码 (E)" in text and "不是初中" in text
    assert "中考.xlsx[中考成绩]:6: column 语数外总分" in text
    assert len(out.problems) == 4
    assert not Candidate.objects.exists() and not CandidateScores.objects.exists() and audits() == n


def test_zhongkao_gb18030_csv_good_and_bad(world):
    def csv_bytes(rows):
        lines = [",".join(ZK_HEADERS)] + [",".join("" if v is None else str(v) for v in r) for r in rows]
        return ("\r\n".join(lines) + "\r\n").encode("gb18030")

    rows = zk_rows(4)
    rows[2][4] = "J-NONE"
    out = zhongkao_import(actor=world.city_user, year=2026, data=csv_bytes(rows), filename="中考.csv")
    assert [str(p) for p in out.problems] == ["中考.csv:4: column 毕业学校代码: 学校代码 “J-NONE” 不存在 (no such school)"]
    assert not Candidate.objects.exists()
    rows[2][4] = "JA1"
    out = zhongkao_import(actor=world.city_user, year=2026, data=csv_bytes(rows), filename="中考.csv")
    assert out.ok and out.created == 4
    assert Candidate.objects.get(exam_no="20260002").name == "考生2"  # decoded from GB18030


def test_county_staff_import_only_their_own_countys_candidates(world):
    out = zhongkao_import(actor=world.a.county_user, year=2026, data=xlsx(ZK_HEADERS, zk_rows(2), "中考成绩"), filename="a.xlsx")
    assert [p.line for p in out.problems] == [3]  # the county b candidate
    assert "不在您的管辖范围内" in out.problems[0].reason and not Candidate.objects.exists()
    with pytest.raises(Exception):
        zhongkao_import(actor=world.a.school_user, year=2026, data=xlsx(ZK_HEADERS, zk_rows(2), "中考成绩"), filename="a.xlsx")


PLAN_HEADERS = ["学校代码", "计划数", "特长生计划", "招生范围"]


@pytest.fixture
def year(world):
    now = timezone.now()
    return admission_year_create(actor=world.city_user, year=2026, window_opens=now - dt.timedelta(days=1), window_closes=now + dt.timedelta(days=5))


def test_plans_xlsx_good_then_bad(world, year):
    n = audits()
    good = xlsx(PLAN_HEADERS, [["GA1", 12, 2, "149901"], ["GB1", 10, None, "149901;149902"]], "招生计划")
    out = plans_import(actor=world.city_user, year=2026, data=good, filename="计划.xlsx")
    assert out.ok and out.created == 2 and audits() == n + 1
    p = SchoolPlan.objects.get(year=year, school__code="GB1")
    assert (p.seats, p.talent_seats, p.counties, p.approved) == (10, 0, "149901;149902", False)
    bad = xlsx(PLAN_HEADERS, [["GA1", 14, 2, None], ["GZZ", 5, 0, None], ["JA1", 5, 0, None], ["GB1", 3, 4, "149901;888888"]], "招生计划")
    out = plans_import(actor=world.city_user, year=2026, data=bad, filename="计划.xlsx")
    text = "\n".join(str(p) for p in out.problems)
    assert "计划.xlsx[招生计划]:3: column 学校代码 (A): 学校代码 “GZZ” 不存在" in text
    assert "计划.xlsx[招生计划]:4: column 学校代码 (A)" in text and "不是普通高中" in text
    assert "计划.xlsx[招生计划]:5: column 特长生计划 (C)" in text
    assert "计划.xlsx[招生计划]:5: column 招生范围 (D): 县(区)代码 “888888” 不存在" in text
    assert SchoolPlan.objects.get(year=year, school__code="GA1").seats == 12 and audits() == n + 1  # row 2 not applied either
    # A county's staff set their own county's plans only.
    out = plans_import(actor=world.a.county_user, year=2026, data=xlsx(PLAN_HEADERS, [["GB1", 9, 0, None]], "招生计划"), filename="b.xlsx")
    assert "不在您的管辖范围内" in out.problems[0].reason


def _open_year(world, year):
    zhongkao_import(actor=world.city_user, year=2026, data=xlsx(ZK_HEADERS, zk_rows(8), "中考成绩"), filename="中考.xlsx")
    plans_import(actor=world.city_user, year=2026, data=xlsx(PLAN_HEADERS, [["GA1", 4, 1, None], ["GB1", 4, 0, None]], "招生计划"), filename="计划.xlsx")
    school_plans_approve(actor=world.city_user, year=year)
    programs_generate(actor=world.city_user, year=year)


PREF_HEADERS = ["准考证号", "批次", "志愿序号", "招生专业代码"]


def test_preferences_imported_as_confirmed_and_the_year_runs(world, year):
    _open_year(world, year)
    codes = set(Program.objects.filter(year=year).values_list("code", flat=True))
    assert {"GA1-TZ", "GB1-TZ", "GA1-TC", "GA1-ZB-JA1"} <= codes
    rows = [["20260000", 2, 1, "GA1-ZB-JA1"], ["20260000", 3, 1, "GB1-TZ"], ["20260000", 3, 2, "GA1-TZ"], ["20260001", 3, 1, "GA1-TZ"]]
    n = audits()
    out = preferences_import(actor=world.city_user, year=2026, data=xlsx(PREF_HEADERS, rows, "志愿"), filename="志愿.xlsx")
    assert out.ok and out.created == 2 and audits() == n + 1
    assert list(Preference.objects.filter(candidate__exam_no="20260000").order_by("batch", "rank").values_list("program__code", flat=True)) == ["GA1-ZB-JA1", "GB1-TZ", "GA1-TZ"]
    assert Confirmation.objects.filter(year=year).count() == 2
    # A second file replaces the preferences of the candidates it names, nobody else's.
    out = preferences_import(actor=world.city_user, year=2026, data=xlsx(PREF_HEADERS, [["20260001", 3, 1, "GB1-TZ"]], "志愿"), filename="志愿2.xlsx")
    assert out.ok and out.updated == 1
    assert Preference.objects.filter(year=year).count() == 4
    out = run_engine(canonical_inputs(year))
    assert "20260000,GA1-ZB-JA1,2,1" in out.results_csv


def test_a_bad_preferences_xlsx_names_row_and_column_and_changes_nothing(world, year):
    _open_year(world, year)
    preferences_import(actor=world.city_user, year=2026, data=xlsx(PREF_HEADERS, [["20260000", 3, 1, "GA1-TZ"]], "志愿"), filename="ok.xlsx")
    before = list(Preference.objects.values_list("candidate__exam_no", "batch", "rank", "program__code"))
    rows = [["20260000", 3, 1, "GB1-TZ"],        # fine alone
            ["29999999", 3, 1, "GA1-TZ"],        # unknown candidate (row 3)
            ["20260001", 3, 1, "NOPE"],          # unknown program (row 4)
            ["20260002", 2, 1, "GA1-TZ"],        # 统招 program in batch 2 (row 5)
            ["20260001", 2, 1, "GA1-ZB-JA1"],    # JB1's candidate on JA1's quota seats (row 6)
            ["20260000", 3, 1, "GA1-TZ"]]        # same rank twice (row 7)
    n = audits()
    out = preferences_import(actor=world.city_user, year=2026, data=xlsx(PREF_HEADERS, rows, "志愿"), filename="志愿.xlsx")
    text = "\n".join(str(p) for p in out.problems)
    assert "志愿.xlsx[志愿]:7:" in text  # the reader's unique check on (准考证号, 批次, 志愿序号)
    out = preferences_import(actor=world.city_user, year=2026, data=xlsx(PREF_HEADERS, rows[:-1], "志愿"), filename="志愿.xlsx")
    text = "\n".join(str(p) for p in out.problems)
    assert "志愿.xlsx[志愿]:3: column 准考证号 (A)" in text
    assert "志愿.xlsx[志愿]:4: column 招生专业代码 (D): 招生专业 “NOPE” 不存在" in text
    assert "志愿.xlsx[志愿]:5: column 批次 (B)" in text
    assert "志愿.xlsx[志愿]:6: column 招生专业代码 (D)" in text and "指标到校" in text
    assert len(out.problems) == 4
    assert list(Preference.objects.values_list("candidate__exam_no", "batch", "rank", "program__code")) == before and audits() == n


def test_plans_and_preferences_need_the_year_in_the_right_state(world, year):
    out = preferences_import(actor=world.city_user, year=2026, data=xlsx(PREF_HEADERS, [["20260000", 3, 1, "GA1-TZ"]], "志愿"), filename="p.xlsx")
    assert "还没有招生专业" in out.problems[0].reason
    out = plans_import(actor=world.city_user, year=2027, data=xlsx(PLAN_HEADERS, [["GA1", 4, 0, None]], "招生计划"), filename="p.xlsx")
    assert "尚未设立" in out.problems[0].reason
    AdmissionYear.objects.filter(pk=year.pk).update(status=AdmissionYear.Status.OPEN)
    out = plans_import(actor=world.city_user, year=2026, data=xlsx(PLAN_HEADERS, [["GA1", 4, 0, None]], "招生计划"), filename="p.xlsx")
    assert "筹备阶段" in out.problems[0].reason and not SchoolPlan.objects.exists()


def test_management_commands_import_and_refuse_with_exit_2(world, year, tmp_path):
    good = tmp_path / "zk.xlsx"
    good.write_bytes(xlsx(ZK_HEADERS, zk_rows(3), "中考成绩"))
    call_command("import_zhongkao", str(good), user="city", year=2026)
    assert Candidate.objects.filter(year=2026).count() == 3
    bad = tmp_path / "plans.xlsx"
    bad.write_bytes(xlsx(PLAN_HEADERS, [["GZZ", 4, 0, None]], "招生计划"))
    with pytest.raises(CommandError, match="未写入任何数据") as exc:
        call_command("import_plans", str(bad), user="city")  # the current admission year
    assert exc.value.returncode == 2 and not SchoolPlan.objects.exists()
    with pytest.raises(CommandError) as exc:
        call_command("import_preferences", str(tmp_path / "none.xlsx"), user="city")
    assert exc.value.returncode == 2


def test_upload_page_runs_a_job_template_downloads_and_roles(world, year, django_capture_on_commit_callbacks):
    c = Client()
    c.force_login(world.city_user)
    home = c.get(reverse("admissions_home")).content.decode()
    assert reverse("admissions_import", args=["zhongkao"]) in home and reverse("admissions_import", args=["preferences"]) in home
    r = c.get(reverse("admissions_import_template", args=["zhongkao"]))
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert [x.value for x in wb["中考成绩"][1]][:7] == ["准考证号", "姓名", "性别", "身份证号", "毕业学校代码", "户籍县(区)代码", "总分"]
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("admissions_import", args=["zhongkao"]),
                   {"year": 2026, "file": SimpleUploadedFile("中考.xlsx", xlsx(ZK_HEADERS, zk_rows(4), "中考成绩"))})
    assert r.status_code == 302
    job = Job.objects.latest("id")
    assert job.status == Job.Status.SUCCEEDED and Candidate.objects.filter(year=2026).count() == 4
    rows = zk_rows(2, start=10)
    rows[0][4] = "J-NONE"
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("admissions_import", args=["zhongkao"]), {"year": 2026, "file": SimpleUploadedFile("坏.xlsx", xlsx(ZK_HEADERS, rows, "中考成绩"))})
    assert Job.objects.latest("id").status == Job.Status.REJECTED
    page = c.get(r["Location"]).content.decode()
    assert "毕业学校代码 (E)" in page and "J-NONE" in page
    assert Candidate.objects.filter(year=2026).count() == 4
    c.force_login(world.a.school_user)
    assert c.get(reverse("admissions_import", args=["zhongkao"])).status_code == 403
    c.force_login(world.a.county_user)
    assert c.get(reverse("admissions_import", args=["plans"])).status_code == 200
    assert c.get(reverse("admissions_import", args=["nothing"])).status_code == 404
