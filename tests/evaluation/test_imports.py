"""Evaluation imports: 高考成绩 and 学校年度指标 from real .xlsx files and GB18030 CSV, all or nothing with every
problem by sheet/row/column; the school profile reads the imported outcomes; the upload runs as a job; the
value-added page says what it lacks (readiness)."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, Job, Student
from gaozhong.evaluation.models import GaokaoResult, SchoolOutcome
from gaozhong.evaluation.selectors import school_profile, value_added_readiness
from gaozhong.evaluation.services.imports import gaokao_import, outcomes_import
from gaozhong.importer.idnumber import check_character

pytestmark = pytest.mark.django_db

NOBODY = "11010520080101123" + check_character("11010520080101123")  # a valid 身份证号 no student has

GK_HEADERS = ["高考年份", "考生号", "身份证号", "学籍号", "姓名", "总分", "语文", "数学", "外语", "物理", "化学", "生物", "达线批次"]
OUT_HEADERS = ["学校代码", "学年", "学考合格率(%)", "体质健康达标优良率(%)", "近视率(%)"]


def xlsx(rows, headers, sheet) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, headers, encoding="gb18030") -> bytes:
    lines = [",".join(headers)] + [",".join("" if v is None else str(v) for v in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def gk(year, exam_no, id_number, student_no, total, batch="本科批"):
    return [year, exam_no, id_number, student_no, "某某", total, 110, 120.5, 115, 80, 75, 70, batch]


def _state():
    return (list(GaokaoResult.objects.order_by("pk").values_list("student_id", "year", "total", "exam_no", "scores", "batch")),
            AuditEvent.objects.count())


def test_gaokao_xlsx_by_id_number_or_student_number(world):
    a1, a2 = world.a.student, world.a.other_student
    data = xlsx([gk(2026, "26140001", a1.id_number, None, 563), gk(2026, "26140002", None, a2.student_no, 498.5, "专科批")], GK_HEADERS, "高考成绩")
    events = AuditEvent.objects.count()
    out = gaokao_import(actor=world.a.county_user, data=data, filename="高考.xlsx")
    assert out.ok and (out.created, out.updated) == (2, 0)
    g1, g2 = GaokaoResult.objects.get(student=a1), GaokaoResult.objects.get(student=a2)
    assert (g1.year, g1.total, g1.exam_no, g1.batch) == (2026, Decimal("563.0"), "26140001", "benke")
    assert g1.scores == {"语文": 110.0, "数学": 120.5, "外语": 115.0, "物理": 80.0, "化学": 75.0, "生物": 70.0}
    assert (g2.total, g2.batch) == (Decimal("498.5"), "zhuanke")
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.latest("id").action == "evaluation.gaokao.imported"
    # The same file again changes nothing; a corrected total updates.
    again = gaokao_import(actor=world.a.county_user, data=data, filename="高考.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    fixed = xlsx([gk(2026, "26140001", a1.id_number, None, 565)], GK_HEADERS, "高考成绩")
    assert gaokao_import(actor=world.city_user, data=fixed, filename="改.xlsx").updated == 1
    assert GaokaoResult.objects.get(student=a1).total == Decimal("565.0")


def test_gaokao_bad_xlsx_names_sheet_row_column_and_writes_nothing(world):
    a1, a2, b1 = world.a.student, world.a.other_student, world.b.student
    rows = [
        gk(2026, "26140001", a1.id_number, None, 563),                # fine
        gk(2026, "26140002", None, "NOSUCH", 500),                     # unknown student number
        gk(2026, "26140003", a2.id_number, a1.student_no, 500),        # the two identify different students
        gk(2026, "26140004", None, None, 500),                         # neither given
        gk(2026, "26140005", b1.id_number, None, 500),                 # another county's student
        gk(2026, "26140006", NOBODY, None, 500),                       # a valid number nobody has
        gk(2026, "26140007", None, "G-OTHER", 999),                    # total out of range (importer)
    ]
    before = _state()
    out = gaokao_import(actor=world.a.county_user, data=xlsx(rows, GK_HEADERS, "高考成绩"), filename="高考.xlsx")
    assert not out.ok and _state() == before
    # The importer stops at the cell problem (总分 out of range) before looking anything up.
    assert [(p.file, p.line, p.column.split(" ")[0]) for p in out.problems] == [("高考.xlsx[高考成绩]", 8, "总分")], out.problems


def test_gaokao_reference_problems_each_reported(world):
    a1, a2, b1 = world.a.student, world.a.other_student, world.b.student
    rows = [
        gk(2026, "26140001", a1.id_number, None, 563),
        gk(2026, "26140002", None, "NOSUCH", 500),
        gk(2026, "26140003", a2.id_number, a1.student_no, 500),
        gk(2026, "26140004", None, None, 500),
        gk(2026, "26140005", b1.id_number, None, 500),
        gk(2026, "26140006", NOBODY, None, 500),
    ]
    before = _state()
    out = gaokao_import(actor=world.a.county_user, data=xlsx(rows, GK_HEADERS, "高考成绩"), filename="高考.xlsx")
    assert _state() == before
    where = {(p.line, p.column.split(" ")[0] if p.column else None) for p in out.problems}
    assert where == {(3, "学籍号"), (4, "身份证号"), (5, "身份证号"), (6, "身份证号"), (7, "身份证号")}, out.problems
    assert all(p.file == "高考.xlsx[高考成绩]" for p in out.problems)
    assert any("不在您的管辖范围内" in p.reason for p in out.problems if p.line == 6)


def test_gaokao_gb18030_csv_and_roles(world):
    a1 = world.a.student
    data = csv_bytes([gk(2026, "26140001", a1.id_number, None, 563)], GK_HEADERS)
    assert data.decode("gb18030") and b"\xe9" not in data[:4]  # really GB18030, not UTF-8
    with pytest.raises(PermissionDenied):
        gaokao_import(actor=world.a.school_user, data=data, filename="高考.csv")
    out = gaokao_import(actor=world.city_user, data=data, filename="高考.csv")
    assert out.ok and GaokaoResult.objects.get(student=a1).batch == "benke"
    bad = csv_bytes([gk(2026, "26140009", None, "NOSUCH", 563)], GK_HEADERS)
    before = _state()
    out = gaokao_import(actor=world.city_user, data=bad, filename="坏.csv")
    assert [(p.file, p.line) for p in out.problems] == [("坏.csv", 2)] and _state() == before


def test_outcomes_import_and_profile_reads_them(world):
    rows = [[world.a.school.code, "2025-2026", 95.5, 26.1, 74.2]]
    before = AuditEvent.objects.count()
    out = outcomes_import(actor=world.a.school_user, data=xlsx(rows, OUT_HEADERS, "学校年度指标"), filename="指标.xlsx")
    assert out.ok and out.created == 1 and AuditEvent.objects.count() == before + 1
    o = SchoolOutcome.objects.get(school=world.a.school)
    assert (o.xuekao_pass_rate, o.fitness_good_rate, o.myopia_rate) == (Decimal("95.5"), Decimal("26.1"), Decimal("74.2"))
    shown = {i.name: i for i in school_profile(user=world.a.school_user, school=world.a.school)}
    assert shown["学考合格率"].value == "95.5%" and shown["体质健康达标优良率"].value == "26.1%"
    assert shown["体质健康达标优良率"].status == "met"
    c = Client()
    c.force_login(world.a.school_user)
    page = c.get(reverse("evaluation_school", args=[world.a.school.pk])).content.decode()
    assert "95.5%" in page and "26.1%" in page


def test_outcomes_bad_rows_refused(world):
    rows = [
        [world.b.school.code, "2025-2026", 95, 20, 70],    # not the school admin's school
        ["NOPE", "2025-2026", 95, 20, 70],                 # unknown school
        [world.a.school.code, "2019-2020", 95, 20, 70],    # no such school year
        [world.a.school.code, "2025-2026", None, None, None],  # nothing to record
    ]
    out = outcomes_import(actor=world.a.school_user, data=xlsx(rows, OUT_HEADERS, "学校年度指标"), filename="指标.xlsx")
    got = sorted((p.line, (p.column or "").split(" ")[0]) for p in out.problems)
    assert got == [(2, "学校代码"), (3, "学校代码"), (4, "学年"), (5, "")], out.problems
    assert SchoolOutcome.objects.count() == 0
    gb = csv_bytes([["NOPE", "2025-2026", 95, 20, 70]], OUT_HEADERS)
    out = outcomes_import(actor=world.city_user, data=gb, filename="指标.csv")
    assert [(p.file, p.line) for p in out.problems] == [("指标.csv", 2)] and SchoolOutcome.objects.count() == 0


def test_upload_page_runs_a_job_and_template(world, django_capture_on_commit_callbacks):
    c = Client()
    c.force_login(world.a.county_user)
    data = xlsx([gk(2026, "26140001", world.a.student.id_number, None, 563)], GK_HEADERS, "高考成绩")
    assert c.get(reverse("evaluation_import", args=["gaokao"])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("evaluation_import", args=["gaokao"]), {"file": SimpleUploadedFile("高考.xlsx", data)})
    job = Job.objects.latest("id")
    assert r.status_code == 302 and r["Location"] == reverse("job_detail", kwargs={"pk": job.pk})
    assert job.status == "succeeded" and job.result["summary"]["新增 (created)"] == 1
    t = c.get(reverse("evaluation_import_template", args=["gaokao"]))
    wb = openpyxl.load_workbook(io.BytesIO(t.content))
    assert [c.value for c in wb["高考成绩"][1]][:6] == ["高考年份", "考生号", "身份证号", "学籍号", "姓名", "总分"]
    c.force_login(world.a.school_user)
    assert c.get(reverse("evaluation_import", args=["gaokao"])).status_code == 403
    assert c.get(reverse("evaluation_import", args=["school_outcomes"])).status_code == 200
    c.force_login(world.a.teacher_user)
    assert c.get(reverse("evaluation_import", args=["school_outcomes"])).status_code == 403


def test_management_commands_exit_2_on_bad_file(world, tmp_path):
    good = tmp_path / "高考.xlsx"
    good.write_bytes(xlsx([gk(2026, "26140001", world.a.student.id_number, None, 563)], GK_HEADERS, "高考成绩"))
    call_command("import_gaokao", str(good), "--user", "city")
    assert GaokaoResult.objects.count() == 1
    bad = tmp_path / "坏.csv"
    bad.write_bytes(csv_bytes([gk(2026, "26140002", None, "NOSUCH", 500)], GK_HEADERS))
    with pytest.raises(CommandError) as err:
        call_command("import_gaokao", str(bad), "--user", "city")
    assert err.value.returncode == 2 and GaokaoResult.objects.count() == 1
    out = tmp_path / "o.xlsx"
    out.write_bytes(xlsx([[world.a.school.code, "2025-2026", 90, 20, 70]], OUT_HEADERS, "学校年度指标"))
    call_command("import_school_outcomes", str(out), "--user", "school_a")
    assert SchoolOutcome.objects.count() == 1


def test_readiness_names_missing_gaokao_results_until_imported(world):
    """The 高三 cohort of the current school year (2025 → entry 2023) needs its 2026 gaokao results."""
    seniors = [Student.objects.create(school=world.a.school, student_no=f"S3{i}", id_number=f"X3{i}", name="高三", gender="男",
                                      entry_year=2023, entry_score=500 + i) for i in range(3)]
    msgs = [m.message for m in value_added_readiness(user=world.city_user)]
    assert "2026 年高考成绩未导入 (0 / 3 名高三学生)" in msgs
    assert any("2 所学校未上报 2025-2026 学年" in m for m in msgs)
    c = Client()
    c.force_login(world.city_user)
    page = c.get(reverse("evaluation_overview")).content.decode()
    assert "2026 年高考成绩未导入 (0 / 3 名高三学生)" in page and reverse("evaluation_import", args=["gaokao"]) in page
    # The county of b sees none of a's students: nothing missing there for gaokao.
    assert not any("高考" in m.message for m in value_added_readiness(user=world.b.county_user))
    GaokaoResult.objects.create(student=seniors[0], year=2026, total=500)
    assert "2026 年高考成绩尚缺 2 名学生 (1 / 3 名高三学生)" in [m.message for m in value_added_readiness(user=world.city_user)]
    for st in seniors[1:]:
        GaokaoResult.objects.create(student=st, year=2026, total=500)
    assert not any("高考" in m.message for m in value_added_readiness(user=world.city_user))
