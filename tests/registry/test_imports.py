"""Registry evidence imports (考勤, 考试参加, 转学) from real .xlsx files and GB18030 CSV: all or nothing, every
problem by sheet/row/column, one audit row, scoped to the actor; the worklist says which schools have sent
nothing (readiness)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, Job
from gaozhong.registry.models import AttendanceRecord, ExamSitting, TransferRecord
from gaozhong.registry.selectors import check_readiness
from gaozhong.registry.services.imports import attendance_import, exam_sittings_import, transfers_import

pytestmark = pytest.mark.django_db

ATT = ["学籍号", "出勤学校代码", "学期", "出勤天数"]
EXM = ["学籍号", "考点学校代码", "考试编号", "学期"]
TRF = ["学籍号", "转出学校代码", "转入学校代码", "转学日期"]


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


def gb_csv(rows, headers) -> bytes:
    return ("\r\n".join(",".join(str(v) for v in r) for r in [headers, *rows]) + "\r\n").encode("gb18030")


def state():
    return (list(AttendanceRecord.objects.order_by("pk").values_list("student_id", "school_id", "term", "days_present")),
            ExamSitting.objects.count(), TransferRecord.objects.count(), AuditEvent.objects.count())


def test_attendance_xlsx_by_a_school_for_its_own_school(world):
    a, b = world.a, world.b
    rows = [[a.student.student_no, a.school.code, "2025-1", 80], [a.other_student.student_no, a.school.code, "2025-1", 81],
            [b.student.student_no, a.school.code, "2025-1", 60]]  # a student registered at b attends at a: evidence of 人籍分离
    events = AuditEvent.objects.count()
    out = attendance_import(actor=a.school_user, data=xlsx(rows, ATT, "考勤"), filename="考勤.xlsx")
    assert out.ok and out.created == 3 and AuditEvent.objects.count() == events + 1
    assert AttendanceRecord.objects.get(student=b.student).school == a.school
    rows[0][3] = 85
    again = attendance_import(actor=a.school_user, data=xlsx(rows, ATT, "考勤"), filename="考勤.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
    assert AttendanceRecord.objects.get(student=a.student).days_present == 85


def test_bad_attendance_xlsx_refused_by_sheet_row_column(world):
    a, b = world.a, world.b
    rows = [[a.student.student_no, a.school.code, "2025-1", 80],
            ["NOSUCH", a.school.code, "2025-1", 80],             # unknown student
            [a.other_student.student_no, b.school.code, "2025-1", 80],  # another school's attendance
            [a.other_student.student_no, "ZZZ", "2025-2", 80]]   # unknown school
    before = state()
    out = attendance_import(actor=a.school_user, data=xlsx(rows, ATT, "考勤"), filename="考勤.xlsx")
    assert state() == before
    assert [(p.file, p.line, p.column.split(" ")[0]) for p in out.problems] == [
        ("考勤.xlsx[考勤]", 3, "学籍号"), ("考勤.xlsx[考勤]", 4, "出勤学校代码"), ("考勤.xlsx[考勤]", 5, "出勤学校代码")]
    assert "不在您的管辖范围内" in out.problems[1].reason and "不存在" in out.problems[2].reason
    cells = [[a.student.student_no, a.school.code, "2025-3", 400]]  # bad term and too many days: the importer's own checks
    out = attendance_import(actor=a.school_user, data=xlsx(cells, ATT, "考勤"), filename="考勤.xlsx")
    assert {p.column.split(" ")[0] for p in out.problems} == {"学期", "出勤天数"} and state() == before


def test_gb18030_csv_exams_and_transfers(world):
    a, b = world.a, world.b
    exams = [[a.student.student_no, a.school.code, "2025-1-期末统考", "2025-1"]]
    out = exam_sittings_import(actor=a.county_user, data=gb_csv(exams, EXM), filename="统考.csv")
    assert out.ok and ExamSitting.objects.count() == 1
    assert exam_sittings_import(actor=a.county_user, data=gb_csv(exams, EXM), filename="统考.csv").unchanged == 1
    assert ExamSitting.objects.count() == 1
    transfers = [[a.student.student_no, a.school.code, b.school.code, "2025-09-01"]]
    with pytest.raises(PermissionDenied):
        transfers_import(actor=a.school_user, data=gb_csv(transfers, TRF), filename="转学.csv")
    before = state()
    bad = [[a.student.student_no, b.school.code, a.school.code, "2025-09-01"],  # leaves a school outside county a
           [a.student.student_no, a.school.code, a.school.code, "2025-09-02"],  # same school twice
           ["NOSUCH", a.school.code, "ZZZ", "2025-09-03"]]                     # unknown student and school
    out = transfers_import(actor=a.county_user, data=gb_csv(bad, TRF), filename="转学.csv")
    assert sorted((p.line, p.column.split(" ")[0]) for p in out.problems) == [
        (2, "转出学校代码"), (3, "转入学校代码"), (4, "学籍号"), (4, "转入学校代码")], out.problems
    assert all(p.file == "转学.csv" for p in out.problems) and state() == before
    out = transfers_import(actor=a.county_user, data=gb_csv(transfers, TRF), filename="转学.csv")
    assert out.ok and TransferRecord.objects.get().date == dt.date(2025, 9, 1)


def test_upload_page_job_template_and_command(world, tmp_path, django_capture_on_commit_callbacks):
    a = world.a
    c = Client()
    c.force_login(a.school_user)
    data = xlsx([[a.student.student_no, a.school.code, "2025-1", 80]], ATT, "考勤")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("registry_import", args=["attendance"]), {"file": SimpleUploadedFile("考勤.xlsx", data)})
    job = Job.objects.latest("id")
    assert r["Location"] == reverse("job_detail", kwargs={"pk": job.pk}) and job.status == "succeeded"
    t = openpyxl.load_workbook(io.BytesIO(c.get(reverse("registry_import_template", args=["attendance"])).content))
    assert [x.value for x in t["考勤"][1]] == ATT
    assert c.get(reverse("registry_import", args=["transfers"])).status_code == 403
    c.force_login(a.teacher_user)
    assert c.get(reverse("registry_import", args=["attendance"])).status_code == 403
    bad = tmp_path / "考勤.csv"
    bad.write_bytes(gb_csv([["NOSUCH", a.school.code, "2025-1", 3]], ATT))
    before = state()
    with pytest.raises(CommandError) as err:
        call_command("import_attendance", str(bad), "--user", "school_a")
    assert err.value.returncode == 2 and state() == before


def test_readiness_counts_schools_without_records(world):
    a, b = world.a, world.b
    msgs = [m.message for m in check_readiness(user=world.city_user)]
    assert msgs[0] == "尚未导入考勤记录 (0 / 2 所学校)"
    attendance_import(actor=a.school_user, data=xlsx([[a.student.student_no, a.school.code, "2025-2", 80]], ATT, "考勤"), filename="k.xlsx")
    msgs = [m.message for m in check_readiness(user=world.city_user)]
    assert "1 所学校未提交 2025-2 学期考勤记录 (1 / 2 所学校已提交)" in msgs
    assert "2 所学校未提交 2025-2 学期考试参加记录 (0 / 2 所学校已提交)" in msgs
    assert not any("考勤" in m.message for m in check_readiness(user=a.school_user))  # a's own school has sent its file
    c = Client()
    c.force_login(world.city_user)
    page = c.get(reverse("registry_worklist")).content.decode()
    assert "1 所学校未提交 2025-2 学期考勤记录" in page and reverse("registry_import", args=["attendance"]) in page


def test_bad_exam_sittings_xlsx_and_a_file_that_is_not_a_workbook(world):
    a = world.a
    rows = [[a.student.student_no, a.school.code, "2025-1-期末统考", "2025-1"],
            [a.student.student_no, "ZZZ", "2025-1-期末统考", "2025-1"],
            ["NOSUCH", a.school.code, "2025-1-期末统考", "2025-1"]]
    before = state()
    out = exam_sittings_import(actor=a.county_user, data=xlsx(rows, EXM, "考试参加"), filename="统考.xlsx")
    assert [(p.file, p.line, p.column.split(" ")[0]) for p in out.problems] == [
        ("统考.xlsx[考试参加]", 3, "考点学校代码"), ("统考.xlsx[考试参加]", 4, "学籍号")]
    out = exam_sittings_import(actor=a.county_user, data=b"not a zip file", filename="统考.xlsx")
    assert len(out.problems) == 1 and out.problems[0].file.startswith("统考.xlsx")
    assert state() == before


def test_check_form_defaults_to_the_newest_imported_term(world):
    a = world.a
    attendance_import(actor=a.school_user, data=xlsx([[a.student.student_no, a.school.code, "2026-1", 80]], ATT, "考勤"), filename="k.xlsx")
    c = Client()
    c.force_login(world.city_user)
    page = c.get(reverse("registry_worklist")).content.decode()
    assert 'value="2026-1"' in page and 'name="terms" value="2026-1"' in page


REG = ["学籍号", "身份证号", "姓名", "学校代码", "年级", "学籍状态"]


def test_the_national_registrys_second_registration_is_found_as_a_duplicate(world):
    """The platform holds one student per 身份证号; the 学籍系统名册 brings the national registry's second
    registration of a's student at b's school, attended there: the check finds both as 重复学籍, without a
    second student on the platform."""
    from gaozhong.core.models import Student
    from gaozhong.registry.models import Registration, RegistryAnomaly
    from gaozhong.registry.services.checks import registry_check_run
    from gaozhong.registry.services.imports import registrations_import

    a, b = world.a, world.b
    second = "D" + a.student.student_no[1:]
    rows = [[a.student.student_no, a.student.id_number, a.student.name, a.school.code, "1", "在籍"],  # the platform's own: agrees
            [second, a.student.id_number, a.student.name, b.school.code, "1", "在籍"]]
    with pytest.raises(PermissionDenied):
        registrations_import(actor=a.county_user, data=xlsx(rows, REG, "学籍"), filename="学籍.xlsx")
    out = registrations_import(actor=world.city_user, data=xlsx(rows, REG, "学籍"), filename="学籍.xlsx")
    assert out.ok and (out.created, out.unchanged) == (1, 0)
    assert Registration.objects.get().school == b.school and Student.objects.filter(id_number=a.student.id_number).count() == 1
    att = [[no, code, t, 80] for no, code in ((second, b.school.code), (a.student.student_no, a.school.code)) for t in ("2025-1", "2025-2")]
    assert attendance_import(actor=world.city_user, data=xlsx(att, ATT, "考勤"), filename="考勤.xlsx").ok
    assert AttendanceRecord.objects.filter(registration__student_no=second).count() == 2
    check = registry_check_run(actor=world.city_user, current_term="2025-2", terms=["2025-1", "2025-2"])
    dup = set(RegistryAnomaly.objects.filter(check_run=check, kind="duplicate_registration").values_list("student_no", "school__code", "student"))
    assert dup == {(a.student.student_no, a.school.code, a.student.pk), (second, b.school.code, None)}
    # A row of a platform student that disagrees with the platform is refused, with nothing written.
    rows[0][5] = "转出"
    out = registrations_import(actor=world.city_user, data=xlsx(rows, REG, "学籍"), filename="学籍.xlsx")
    assert [(p.line, p.column.split(" ")[0]) for p in out.problems] == [(2, "学籍状态")]


def test_the_registry_roll_has_its_command_like_every_import(world, tmp_path):
    """``gaozhong manage import_registry FILE --user U``: the city writes it; a county is refused, nothing written."""
    from django.core.management.base import CommandError

    from gaozhong.registry.models import Registration

    a, b = world.a, world.b
    path = tmp_path / "学籍.xlsx"
    path.write_bytes(xlsx([["D" + a.student.student_no[1:], a.student.id_number, a.student.name, b.school.code, "1", "在籍"]], REG, "学籍"))
    with pytest.raises((CommandError, PermissionDenied)):
        call_command("import_registry", str(path), "--user", "county_a")
    assert not Registration.objects.exists()
    call_command("import_registry", str(path), "--user", "city")
    assert Registration.objects.get().school == b.school
