"""Imports of a window from real Excel files: choices, rooms, the weekly plan and teachers' limits. A file with
any problem writes nothing and names sheet, row and column; a good file writes everything with one audit row."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from gaozhong.core.models import AuditEvent, Teacher
from gaozhong.electives.casebuild import build_case
from gaozhong.electives.models import Choice, Room, SubjectPlan, TeacherLimit
from gaozhong.electives.services.imports import electives_import

from .factories import elective_grade

pytestmark = pytest.mark.django_db


def xlsx(sheet: str, headers: list[str], rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(world, window, kind, data, actor=None):
    return electives_import(actor=actor or world.a.school_user, window=window, kind=kind, data=data, filename=f"{kind}.xlsx")


def test_choices_import_all_or_nothing(world):
    window = elective_grade(world, choose=False)
    students = list(window.school.students.filter(admin_class__in=[world.a.admin_class, world.a.other_class]).order_by("student_no"))
    good = [[s.student_no, "物理;化学;生物" if i % 2 else "LS、ZZ、DL"] for i, s in enumerate(students)]
    bad = good[:3] + [["NOPE001", "物理;化学;生物"], [students[3].student_no, "物理;历史;化学"]] + good[5:]
    out = run(world, window, "choices", xlsx("选科", ["学籍号", "选考科目"], bad))
    assert [(p.line, p.column) for p in out.problems] == [(5, "学籍号 (A)"), (6, "选考科目 (B)")], out.problems
    assert "NOPE001" in out.problems[0].reason and "物理、历史须选且只选一门" in out.problems[1].reason
    assert all(p.file == "choices.xlsx[选科]" for p in out.problems)
    assert not Choice.objects.exists() and not AuditEvent.objects.filter(action="electives.choices.imported").exists()
    out = run(world, window, "choices", xlsx("选科", ["学籍号", "选考科目"], good))
    assert not out.problems and out.created == 40
    assert Choice.objects.get(student=students[0]).electives == "LS;ZZ;DL"
    assert Choice.objects.get(student=students[1]).electives == "WL;HX;SW"
    assert AuditEvent.objects.filter(action="electives.choices.imported").count() == 1
    assert build_case(window).case is not None


def test_choices_import_refuses_another_schools_window(world):
    window = elective_grade(world, choose=False)
    with pytest.raises(Exception):
        run(world, window, "choices", xlsx("选科", ["学籍号", "选考科目"], []), actor=world.b.school_user)


def test_rooms_import_sets_home_rooms_and_refuses_unknown_classes(world):
    window = elective_grade(world, choose=False)
    headers = ["教室编号", "教室类型", "容纳人数", "行政班班号"]
    out = run(world, window, "rooms", xlsx("教室", headers, [["X1", "normal", 50, 1], ["X2", "Lab", 50, None], ["X3", "normal", 0, None]]))
    assert [(p.line, p.column.split(" ")[0]) for p in out.problems] == [(3, "教室类型"), (4, "容纳人数")], out.problems
    out = run(world, window, "rooms", xlsx("教室", headers, [["X1", "normal", 50, 9], ["X2", "lab", 50, None]]))
    assert [(p.line, p.column.split(" ")[0]) for p in out.problems] == [(2, "行政班班号")], out.problems
    assert not Room.objects.filter(code__startswith="X").exists()
    # swap the two home rooms in one file
    n1, n2 = world.a.admin_class.number, world.a.other_class.number
    out = run(world, window, "rooms", xlsx("教室", headers, [[f"H{n1}", "normal", 50, n2], [f"H{n2}", "normal", 50, n1], ["LAB2", "lab-chem", 48, None]]))
    assert not out.problems, out.problems
    assert Room.objects.get(code=f"H{n1}").admin_class == world.a.other_class
    assert Room.objects.get(code="LAB2").capacity == 48


def test_plan_and_limits_import(world):
    window = elective_grade(world, choose=False)
    out = run(world, window, "plan", xlsx("课时计划", ["科目代码", "类别", "每周节数", "学考班每周节数", "教室类型", "班额上限"],
                                         [["WL", "选考", 6, 2, "normal", 50], ["YW", "必修", 6, 1, "home", 55], ["HX", "elective", 4, 0, "home", 55]]))
    assert [(p.line, p.column.split(" ")[0]) for p in out.problems] == [(3, "学考班每周节数"), (4, "教室类型")], out.problems
    out = run(world, window, "plan", xlsx("课时计划", ["科目代码", "类别", "每周节数", "学考班每周节数", "教室类型", "班额上限"],
                                         [["WL", "选考", 6, 2, "normal", 50]]))
    assert not out.problems and out.updated == 1
    p = SubjectPlan.objects.get(window=window, subject__code="WL")
    assert (p.periods, p.xuekao_periods, p.max_class_size) == (6, 2, 50)
    t = Teacher.objects.filter(staff_no__startswith="E").order_by("staff_no").first()
    out = run(world, window, "limits", xlsx("教师课时", ["教职工号", "每周课时上限", "不可排课时"], [[t.staff_no, 12, "1:1;6:1"], ["ZZZ", 12, None]]))
    assert [(p.line, p.column.split(" ")[0]) for p in out.problems] == [(2, "不可排课时"), (3, "教职工号")], out.problems
    out = run(world, window, "limits", xlsx("教师课时", ["教职工号", "每周课时上限", "不可排课时"], [[t.staff_no, 12, "1:2, 1:1"]]))
    assert not out.problems
    assert TeacherLimit.objects.get(teacher=t).unavailable == "1:1;1:2"


@pytest.mark.parametrize("kind", ["choices", "rooms", "plan", "limits"])
def test_export_imports_back_unchanged(world, client, kind):
    """What the window page exports is the import's own format: importing it back changes nothing."""
    from gaozhong.electives.services.imports import electives_import as do_import

    window = elective_grade(world)
    t = Teacher.objects.filter(staff_no__startswith="E").order_by("staff_no").first()
    TeacherLimit.objects.create(window=window, teacher=t, max_periods=14, unavailable="2:1;2:2")
    client.force_login(world.a.school_user)
    # The choices go back through the export with full 学籍号 (the default one masks those that embed a 身份证号).
    resp = client.get(f"/electives/windows/{window.pk}/export.xlsx", {"kind": kind, **({"full": "1"} if kind == "choices" else {})})
    assert resp.status_code == 200
    before = AuditEvent.objects.count()
    out = do_import(actor=world.a.school_user, window=window, kind=kind, data=resp.content, filename="back.xlsx")
    expected = {"choices": 40, "rooms": Room.objects.count(), "plan": 10, "limits": 1}[kind]
    assert not out.problems, out.problems
    assert (out.created, out.updated, out.unchanged) == (0, 0, expected)
    assert AuditEvent.objects.count() == before + 1


@pytest.mark.parametrize("kind", ["choices", "rooms", "plan", "limits"])
def test_templates_download_and_their_example_row_is_not_imported(world, client, kind):
    window = elective_grade(world, choose=False)
    client.force_login(world.a.school_user)
    resp = client.get(f"/electives/import/{kind}/template.xlsx")
    assert resp.status_code == 200
    out = electives_import(actor=world.a.school_user, window=window, kind=kind, data=resp.content, filename="t.xlsx")
    assert out.problems and "示例行" in out.problems[0].reason


def test_choices_import_refuses_a_missing_column_a_repeated_student_and_a_wrong_file(world):
    window = elective_grade(world, choose=False)
    st = world.a.student
    out = run(world, window, "choices", xlsx("选科", ["学籍号"], [[st.student_no]]))
    assert any("选考科目" in (p.column or "") or "选考科目" in p.reason for p in out.problems), out.problems
    out = run(world, window, "choices", xlsx("选科", ["学籍号", "选考科目"], [[st.student_no, "物理;化学;生物"], [st.student_no, "历史;政治;地理"]]))
    assert [(p.line, p.column.split(" ")[0]) for p in out.problems] == [(3, "学籍号")], out.problems
    out = run(world, window, "choices", b"this is not a workbook")
    assert out.problems and out.problems[0].file.startswith("choices.xlsx")
    assert not Choice.objects.exists() and not AuditEvent.objects.filter(action="electives.choices.imported").exists()


def test_choices_export_masks_embedded_id_numbers_unless_asked_in_full(world, client):
    """A 学籍号 that embeds a 身份证号 is masked in the default choices export (which then cannot be imported back,
    and says why); the full export, for the school's 教务, imports back unchanged; both are audited."""
    from gaozhong.core.models import Student
    from gaozhong.electives.services.imports import electives_import as do_import

    window = elective_grade(world)
    st = world.a.student  # 学籍号 "G" + 身份证号
    client.force_login(world.a.school_user)
    n = AuditEvent.objects.filter(action="electives.choices.exported").count()
    masked = client.get(f"/electives/windows/{window.pk}/export.xlsx", {"kind": "choices"}).content
    text = "".join(str(c.value) for row in load_workbook(io.BytesIO(masked)).active.iter_rows() for c in row)
    assert st.student_no_masked in text and st.id_number not in text
    out = do_import(actor=world.a.school_user, window=window, kind="choices", data=masked, filename="back.xlsx")
    assert any("脱敏" in p.reason and st.id_number not in p.reason for p in out.problems)
    full = client.get(f"/electives/windows/{window.pk}/export.xlsx", {"kind": "choices", "full": "1"}).content
    out = do_import(actor=world.a.school_user, window=window, kind="choices", data=full, filename="back.xlsx")
    assert not out.problems and out.unchanged == Student.objects.filter(admin_class__in=[world.a.admin_class, world.a.other_class]).count()
    events = AuditEvent.objects.filter(action="electives.choices.exported").order_by("pk")
    assert [e.after["id_numbers"] for e in events[n:]] == ["masked", "full"]
    client.force_login(world.a.teacher_user)
    assert client.get(f"/electives/windows/{window.pk}/export.xlsx", {"kind": "choices", "full": "1"}).status_code == 403
