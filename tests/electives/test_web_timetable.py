"""A stored timetable: a manual move refused with every rule it breaks (nothing written) or made (audited, still
valid), the re-solve after a teacher's leave (fewest lessons moved, counted independently), the grids and their
Excel export, and the pages each role may open."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from gaozhong.core.models import AuditEvent, Job
from gaozhong.electives.models import Lesson, Timetable
from gaozhong.electives.services.common import Refused
from gaozhong.electives.services.timetables import leave_start, lesson_move, move_reasons

from .checker import check
from .factories import elective_grade
from .test_web_solve import solve_now, unzip_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def solved(world, django_capture_on_commit_callbacks):
    window = elective_grade(world)
    job = solve_now(world, window, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.SUCCEEDED, job.log
    return Timetable.objects.get(window=window, is_current=True)


def lessons(tt):
    return Lesson.objects.filter(teaching_class__timetable=tt).select_related("teaching_class__teacher", "room", "teaching_class__timetable")


def check_stored(client, user, tt, where) -> list[str]:
    client.force_login(user)
    resp = client.get(f"/electives/timetables/{tt.pk}/case.zip")
    assert resp.status_code == 200
    unzip_to(resp.content, where)
    return check(where / "case", where / "out")


def test_move_onto_the_teachers_other_lesson_is_refused_with_reasons(world, solved):
    items = list(lessons(solved).order_by("pk"))
    a = items[0]
    b = next(x for x in items if x.teaching_class.teacher_id == a.teaching_class.teacher_id and (x.day, x.period) != (a.day, a.period))
    reasons = move_reasons(a, b.day, b.period)
    assert any(a.teaching_class.teacher.staff_no in r and "teacher busy" in r for r in reasons), reasons
    before = AuditEvent.objects.count()
    with pytest.raises(Refused) as exc:
        lesson_move(actor=world.a.school_user, lesson=a, day=b.day, period=b.period)
    assert exc.value.reasons == reasons
    a.refresh_from_db()
    assert (a.day, a.period) != (b.day, b.period) and AuditEvent.objects.count() == before


def test_move_to_a_blocked_slot_names_it(world, solved):
    les = lessons(solved).first()
    assert any("停课" in r for r in move_reasons(les, 3, 8))


def test_a_free_move_is_made_audited_and_the_timetable_stays_valid(world, solved, client, tmp_path):
    les = None
    for cand in lessons(solved).order_by("pk"):
        for d in range(1, 6):
            for p in range(1, 9):
                if not move_reasons(cand, d, p):
                    les, target = cand, (d, p)
                    break
            if les:
                break
        if les:
            break
    assert les is not None, "no lesson can move anywhere?"
    old = (les.day, les.period)
    lesson_move(actor=world.a.school_user, lesson=les, day=target[0], period=target[1])
    les.refresh_from_db()
    assert (les.day, les.period) == target
    ev = AuditEvent.objects.get(action="electives.lesson.moved")
    assert ev.before == {"day": old[0], "period": old[1]}
    assert check_stored(client, world.a.school_user, solved, tmp_path) == []


def test_the_move_page_refuses_and_the_check_answers_instantly(world, solved, client):
    items = list(lessons(solved).order_by("pk"))
    a = items[0]
    b = next(x for x in items if x.teaching_class.teacher_id == a.teaching_class.teacher_id and (x.day, x.period) != (a.day, a.period))
    client.force_login(world.a.school_user)
    data = client.get(f"/electives/lessons/{a.pk}/check/", {"day": b.day, "period": b.period}).json()
    assert any("teacher busy" in r for r in data["reasons"])
    page = client.post(f"/electives/lessons/{a.pk}/move/", {"day": b.day, "period": b.period}).content.decode()
    # the page gives the engine's reason in Chinese alone (the check's JSON keeps it as the engine wrote it)
    assert 'data-testid="refusal"' in page and f"教师 {a.teaching_class.teacher.staff_no} 在" in page and "teacher busy" not in page
    client.force_login(world.a.teacher_user)
    assert client.get(f"/electives/lessons/{a.pk}/check/", {"day": 1, "period": 1}).status_code in (403, 404)


def test_leave_resolve_moves_few_lessons_and_reports_how_many(world, solved, django_capture_on_commit_callbacks, client, tmp_path):
    items = list(lessons(solved).order_by("pk"))
    teacher = items[0].teaching_class.teacher
    busy = sorted({(x.day, x.period) for x in items if x.teaching_class.teacher_id == teacher.pk})[:2]
    text = ";".join(f"{d}:{p}" for d, p in busy)
    with django_capture_on_commit_callbacks(execute=True):
        job = leave_start(actor=world.a.school_user, timetable=solved, teacher=teacher, slots_text=text, time_limit=20)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.log
    new = Timetable.objects.get(window=solved.window, is_current=True)
    solved.refresh_from_db()
    assert new.parent_id == solved.pk and not solved.is_current
    # counted independently: lessons whose (class, day, period) is not in the old timetable
    old = {(x.teaching_class.code, x.day, x.period) for x in lessons(solved)}
    now = [(x.teaching_class.code, x.day, x.period) for x in lessons(new)]
    moved = sum(1 for x in now if x not in old)
    assert new.lessons_moved == moved == job.result["summary"]["调动课时 (lessons moved)"]
    assert 1 <= moved < len(now) // 2
    assert not [x for x in lessons(new) if x.teaching_class.teacher_id == teacher.pk and (x.day, x.period) in busy]
    assert check_stored(client, world.a.school_user, new, tmp_path) == []
    # the old timetable is history now: no moves and no re-solves on it
    old_lesson = lessons(solved).first()
    with pytest.raises(Refused):
        lesson_move(actor=world.a.school_user, lesson=old_lesson, day=old_lesson.day, period=old_lesson.period)
    with pytest.raises(Refused):
        leave_start(actor=world.a.school_user, timetable=solved, teacher=teacher, slots_text=text)
    assert f"{teacher.staff_no}" in new.case_files["teachers.csv"] and text.split(";")[0] in new.case_files["teachers.csv"]


def test_leave_refused_for_bad_slots(world, solved):
    teacher = lessons(solved).first().teaching_class.teacher
    with pytest.raises(Refused) as exc:
        leave_start(actor=world.a.school_user, timetable=solved, teacher=teacher, slots_text="9:9;x")
    assert len(exc.value.reasons) == 2
    assert not Job.objects.filter(kind="electives.leave").exists()


def test_grids_and_excel_export(world, solved, client):
    client.force_login(world.a.school_user)
    base = f"/electives/timetables/{solved.pk}"
    assert client.get(f"{base}/").status_code == 200
    for kind in ("admin", "class", "teacher", "room"):
        page = client.get(f"{base}/grid/", {"kind": kind}).content.decode()
        assert 'data-testid="kebiao"' in page, kind
    st = world.a.student
    page = client.get(f"{base}/grid/", {"kind": "student", "key": st.student_no}).content.decode()
    n_lessons = page.count('data-testid="lesson"')
    expected = Lesson.objects.filter(teaching_class__timetable=solved, teaching_class__admin_class=st.admin_class).count() + \
        Lesson.objects.filter(teaching_class__timetable=solved, teaching_class__members__student=st).count()
    assert n_lessons == expected > 0
    # one student's week: no two lessons in one cell
    resp = client.get(f"{base}/grid.xlsx", {"kind": "student", "key": st.student_no})
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert ws.cell(2, 2).value == "星期一" and ws.cell(3, 1).value == "第1节"
    cells = [ws.cell(r, c).value for r in range(3, 11) for c in range(2, 7)]
    assert sum(1 for v in cells if v and v != "（停课）") == expected
    assert all("\n" not in v for v in cells if v)
    assert ws.cell(9, 4).value == "（停课）"  # 星期三 第7节 is blocked
    wb = load_workbook(io.BytesIO(client.get(f"{base}/grid.xlsx", {"kind": "admin"}).content))
    assert len(wb.sheetnames) == 2


def test_own_timetables_for_student_and_teacher(world, solved, client):
    from gaozhong.core.models import Membership

    client.force_login(world.a.student_user)
    page = client.get("/electives/my/").content.decode()
    assert page.count('data-testid="lesson"') > 0 and world.a.student.name in page
    teacher = lessons(solved).first().teaching_class.teacher
    Membership.objects.filter(user=world.a.teacher_user).update(teacher=teacher)
    client.force_login(world.a.teacher_user)
    page = client.get("/electives/my/").content.decode()
    assert page.count('data-testid="lesson"') == lessons(solved).filter(teaching_class__teacher=teacher).count()


@pytest.mark.parametrize("who,status", [("school_user", 200), ("county_user", 200), ("teacher_user", 403), ("student_user", 403)])
def test_staff_pages_by_role(world, solved, client, who, status):
    client.force_login(getattr(world.a, who))
    for url in ("/electives/", f"/electives/windows/{solved.window.pk}/", f"/electives/timetables/{solved.pk}/"):
        r = client.get(url)
        assert r.status_code == (302 if url == "/electives/" and status == 403 else status), url
