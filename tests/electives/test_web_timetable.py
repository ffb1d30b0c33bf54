"""A stored timetable: every free slot and every 对调 of a lesson at once, a move or swap made (audited, still valid
by the independent checker) or refused with what is in the way (nothing written), the pages that pick them on the
grid, the re-solve after a teacher's leave picked on the teacher's week (every moved lesson listed before → after,
counted independently, printable per teacher), the grids and their Excel export, and the pages each role may open."""

from __future__ import annotations

import io
import subprocess
from unittest.mock import patch

import pytest
from openpyxl import load_workbook

from gaozhong.core.models import AuditEvent, Job
from gaozhong.electives.models import Lesson, Timetable
from gaozhong.electives.services.common import Refused
from gaozhong.electives.adjust import lesson_choices, timetable_changes
from gaozhong.electives.services.timetables import leave_start, lesson_move, lesson_swap
from gaozhong.electives.slots import slot_label, slots_label

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


def choices_of(les):
    return lesson_choices(Lesson.objects.select_related("teaching_class__timetable", "teaching_class__subject", "teaching_class__teacher",
                                                        "room").get(pk=les.pk))


def slot_of(les):
    return (les.day, les.period)


def test_every_free_slot_at_once_each_one_a_valid_move(world, solved, client, tmp_path):
    """The options of a lesson list every free slot; moving to any of them keeps every rule (the checker) and writes
    one audit row; every other slot comes with what is in the way."""
    items = list(lessons(solved).order_by("pk"))
    les = next(x for x in items if choices_of(x).free)
    ch = choices_of(les)
    cal_slots = {(d, p) for d in range(1, 6) for p in range(1, 9)}
    assert {(t.day, t.period) for t in ch.free} | set(ch.reasons) | {slot_of(les)} == cal_slots
    assert not {(t.day, t.period) for t in ch.free} & set(ch.reasons)
    assert all(ch.reasons.values())
    target = ch.free[-1]
    old = slot_of(les)
    lesson_move(actor=world.a.school_user, lesson=les, day=target.day, period=target.period)
    les.refresh_from_db()
    assert slot_of(les) == (target.day, target.period) and les.room.code == target.room
    ev = AuditEvent.objects.get(action="electives.lesson.moved")
    assert ev.before["day"] == old[0] and ev.before["period"] == old[1] and ev.after["room"] == target.room
    assert check_stored(client, world.a.school_user, solved, tmp_path) == []


def test_a_move_onto_a_busy_slot_is_refused_with_what_is_in_the_way(world, solved):
    items = list(lessons(solved).order_by("pk"))
    a, b = next((a, b) for a in items for b in items if b.teaching_class.teacher_id == a.teaching_class.teacher_id
                and b.teaching_class_id != a.teaching_class_id)
    before = AuditEvent.objects.count()
    with pytest.raises(Refused) as exc:
        lesson_move(actor=world.a.school_user, lesson=a, day=b.day, period=b.period)
    assert any("任课教师此时要上" in r and b.teaching_class.code in r and "周" in r for r in exc.value.reasons), exc.value.reasons
    a.refresh_from_db()
    assert slot_of(a) != slot_of(b) and AuditEvent.objects.count() == before
    with pytest.raises(Refused) as exc:
        lesson_move(actor=world.a.school_user, lesson=a, day=3, period=8)
    assert any("周三第8节" in r and "停课" in r for r in exc.value.reasons)


def test_a_swap_trades_two_slots_and_keeps_every_rule(world, solved, client, tmp_path):
    items = list(lessons(solved).order_by("pk"))
    les, target = next((x, ch.swaps[0]) for x in items for ch in [choices_of(x)] if ch.swaps)
    other = target.other
    a0, b0 = slot_of(les), slot_of(other)
    # the slot of the other lesson is not free for the lesson as the timetable stands
    assert b0 in choices_of(les).reasons
    lesson_swap(actor=world.a.school_user, lesson=les, other=other)
    les.refresh_from_db()
    other.refresh_from_db()
    assert slot_of(les) == b0 and slot_of(other) == a0
    ev = AuditEvent.objects.get(action="electives.lesson.swapped")
    assert ev.before["lesson"]["id"] == les.pk and ev.after["other"]["day"] == a0[0]
    assert check_stored(client, world.a.school_user, solved, tmp_path) == []


def test_a_swap_that_breaks_a_rule_is_refused_and_changes_nothing(world, solved):
    items = list(lessons(solved).order_by("pk"))
    les = items[0]
    ch = choices_of(les)
    offered = {t.other.pk for t in ch.swaps}
    # a lesson of another class at a slot that is not free, not offered for a swap: refused with a reason
    bad = next(x for x in items if x.pk not in offered and x.teaching_class_id != les.teaching_class_id and slot_of(x) in ch.reasons)
    before = (slot_of(les), slot_of(bad), AuditEvent.objects.count())
    with pytest.raises(Refused) as exc:
        lesson_swap(actor=world.a.school_user, lesson=les, other=bad)
    assert exc.value.reasons and all("→" in r for r in exc.value.reasons)
    les.refresh_from_db()
    bad.refresh_from_db()
    assert (slot_of(les), slot_of(bad), AuditEvent.objects.count()) == before
    with pytest.raises(Refused):
        lesson_swap(actor=world.a.school_user, lesson=les, other=les)


def test_the_options_answer_and_the_move_page_offer_the_same_picks(world, solved, client):
    items = list(lessons(solved).order_by("pk"))
    les = next(x for x in items if choices_of(x).swaps)
    ch = choices_of(les)
    client.force_login(world.a.school_user)
    data = client.get(f"/electives/lessons/{les.pk}/options/").json()
    assert [f["value"] for f in data["free"]] == [t.value for t in ch.free]
    assert [s["other"]["id"] for s in data["swaps"]] == [t.other.pk for t in ch.swaps]
    assert data["lesson"]["label"] == slot_label(les.day, les.period) and data["lesson"]["label"].startswith("周")
    assert all(f["label"].startswith("周") and "第" in f["label"] for f in data["free"])
    page = client.get(f"/electives/lessons/{les.pk}/move/").content.decode()
    assert page.count('data-testid="pick-free"') == len(ch.free) and page.count('data-testid="pick-swap"') == len(ch.swaps)
    assert "现在在" + slot_label(les.day, les.period) in page
    # move through the page, back to the grid it came from, with the slots named
    grid = f"/electives/timetables/{solved.pk}/grid/?kind=teacher&key={les.teaching_class.teacher.staff_no}"
    target = ch.free[0]
    resp = client.post(f"/electives/lessons/{les.pk}/move/", {"target": target.value, "next": grid}, follow=True)
    assert resp.redirect_chain[-1][0] == grid
    text = resp.content.decode()
    assert f"调到 {target.label}" in text and f"从 {slot_label(les.day, les.period)}" in text
    les.refresh_from_db()
    assert (les.day, les.period) == (target.day, target.period)
    # an outside next is not followed
    ch = choices_of(les)
    resp = client.post(f"/electives/lessons/{les.pk}/move/", {"target": ch.free[0].value, "next": "https://example.com/"})
    assert resp.status_code == 302 and resp["Location"].startswith("/electives/timetables/")


def test_a_swap_through_the_page_and_a_stale_pick_refused(world, solved, client):
    items = list(lessons(solved).order_by("pk"))
    les, target = next((x, ch.swaps[0]) for x in items for ch in [choices_of(x)] if ch.swaps)
    client.force_login(world.a.school_user)
    a0, b0 = slot_of(les), slot_of(target.other)
    resp = client.post(f"/electives/lessons/{les.pk}/move/", {"target": target.value}, follow=True)
    assert "已对调" in resp.content.decode()
    les.refresh_from_db()
    assert slot_of(les) == b0
    # the same pick again is no longer valid: the page says why and nothing changes
    n = AuditEvent.objects.count()
    page = client.post(f"/electives/lessons/{les.pk}/move/", {"target": f"slot:{b0[0]}:{b0[1]}"}).content.decode()
    assert 'data-testid="refusal"' in page and "已在该课时" in page
    page = client.post(f"/electives/lessons/{les.pk}/move/", {"target": "3:7"}).content.decode()
    assert 'data-testid="refusal"' in page and "请在课表上选择" in page
    assert AuditEvent.objects.count() == n and slot_of(Lesson.objects.get(pk=les.pk)) == b0 != a0


def test_moves_are_for_staff_of_the_school_and_the_current_timetable(world, solved, client):
    les = lessons(solved).first()
    client.force_login(world.a.teacher_user)
    assert client.get(f"/electives/lessons/{les.pk}/options/").status_code in (403, 404)
    assert client.post(f"/electives/lessons/{les.pk}/move/", {"target": "slot:1:1"}).status_code in (403, 404)
    client.force_login(world.a.school_user)
    grid = client.get(f"/electives/timetables/{solved.pk}/grid/", {"kind": "admin"}).content.decode()
    assert "data-movable" in grid and "electives/moves.js" in grid and 'data-testid="move-link"' in grid
    Timetable.objects.filter(pk=solved.pk).update(is_current=False)
    assert client.get(f"/electives/lessons/{les.pk}/options/").status_code == 409
    grid = client.get(f"/electives/timetables/{solved.pk}/grid/", {"kind": "admin"}).content.decode()
    assert "data-movable" not in grid and 'data-testid="move-link"' not in grid
    with pytest.raises(Refused):
        lesson_move(actor=world.a.school_user, lesson=les, day=1, period=1)


def _leave(world, solved, capture, picked, time_limit=20):
    teacher = lessons(solved).first().teaching_class.teacher
    with capture(execute=True):
        job = leave_start(actor=world.a.school_user, timetable=solved, teacher=teacher, slots=picked, time_limit=time_limit)
    job.refresh_from_db()
    return teacher, job


def test_leave_resolve_lists_every_moved_lesson_before_and_after(world, solved, django_capture_on_commit_callbacks, client, tmp_path):
    items = list(lessons(solved).order_by("pk"))
    teacher = items[0].teaching_class.teacher
    busy = sorted({slot_of(x) for x in items if x.teaching_class.teacher_id == teacher.pk})[:2]
    teacher, job = _leave(world, solved, django_capture_on_commit_callbacks, busy)
    assert job.status == Job.Status.SUCCEEDED, job.log
    assert slots_label(busy) in job.title
    new = Timetable.objects.get(window=solved.window, is_current=True)
    solved.refresh_from_db()
    assert new.parent_id == solved.pk and not solved.is_current
    assert job.params["slots"] == ";".join(f"{d}:{p}" for d, p in busy)
    # counted independently: lessons whose (class, day, period) is not in the old timetable
    old = {(x.teaching_class.code, x.day, x.period): x.room.code for x in lessons(solved)}
    now = {(x.teaching_class.code, x.day, x.period): x.room.code for x in lessons(new)}
    moved_in = sorted(k for k in now if k not in old)
    moved_out = sorted(k for k in old if k not in now)
    assert new.lessons_moved == len(moved_in) == job.result["summary"]["调动课时 (lessons moved)"]
    assert 1 <= len(moved_in) < len(now) // 2
    assert not [x for x in lessons(new) if x.teaching_class.teacher_id == teacher.pk and slot_of(x) in busy]
    assert check_stored(client, world.a.school_user, new, tmp_path) == []
    assert job.result["link"] == f"/electives/timetables/{new.pk}/changes/"
    for code, d, p in moved_in:  # the job's log names every moved lesson and where it went
        assert f"→ {slot_label(d, p)}" in job.log and code in job.log
    # the list: every moved lesson with its class, subject, before and after
    client.force_login(world.a.school_user)
    page = client.get(f"/electives/timetables/{new.pk}/changes/").content.decode()
    found = timetable_changes(new)
    assert len(found.moved) == len(moved_in)
    assert {(r.code, *r.before) for r in found.moved} == set(moved_out)
    assert {(r.code, *r.after) for r in found.moved} == set(moved_in)
    for r in found.moved:
        assert f"→ {slot_label(*r.after)}" in page and r.code in page and r.subject in page
    rooms = {k for k in old.keys() & now.keys() if old[k] != now[k]}
    assert {(r.code, *r.before) for r in found.room_only} == rooms
    assert f"{teacher.name}（{teacher.staff_no}）请假：{slots_label(busy)}" in page
    concerned = {r.teacher.pk for r in found.rows} | {teacher.pk}
    assert page.count('data-testid="notice"') == len(concerned)
    # printable: a PDF with the list and one page per teacher concerned, or one teacher's notice
    pdf = client.get(f"/electives/timetables/{new.pk}/changes/", {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    one = client.get(f"/electives/timetables/{new.pk}/changes/", {"format": "pdf", "teacher": teacher.staff_no})
    whole, mine = pdf_pages(pdf.content, tmp_path / "all.pdf"), pdf_pages(one.content, tmp_path / "one.pdf")
    assert len(mine) == 1 and f"调课通知：{teacher.name} 老师" in mine[0]
    assert len(whole) >= 1 + len(concerned)
    assert sum(1 for page_text in whole if "调课通知：" in page_text) == len(concerned)
    for r in found.moved:
        assert any(r.code in t and slot_label(*r.after) in t for t in whole)
    assert client.get(f"/electives/timetables/{new.pk}/changes/", {"teacher": "nobody"}).status_code == 404
    assert client.get(f"/electives/timetables/{solved.pk}/changes/").status_code == 404  # a first solve has no source
    tt_page = client.get(f"/electives/timetables/{new.pk}/").content.decode()
    assert 'data-testid="changes-link"' in tt_page
    # the old timetable is history now: no moves and no re-solves on it
    old_lesson = lessons(solved).first()
    with pytest.raises(Refused):
        lesson_move(actor=world.a.school_user, lesson=old_lesson, day=1, period=1)
    with pytest.raises(Refused):
        leave_start(actor=world.a.school_user, timetable=solved, teacher=teacher, slots=busy)


def pdf_pages(data: bytes, path) -> list[str]:
    """The text of each page of a PDF (poppler's pdftotext, as the supervision report tests read theirs)."""
    assert data.startswith(b"%PDF")
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return [t for t in text.split("\f") if t.strip()]


def test_leave_refused_for_bad_or_pointless_slots(world, solved):
    items = list(lessons(solved).order_by("pk"))
    teacher = items[0].teaching_class.teacher
    busy = {slot_of(x) for x in items if x.teaching_class.teacher_id == teacher.pk}
    with pytest.raises(Refused) as exc:
        leave_start(actor=world.a.school_user, timetable=solved, teacher=teacher, slots=[(9, 9), (3, 8)])
    assert len(exc.value.reasons) == 2 and any("周三第8节" in r and "停课" in r for r in exc.value.reasons)
    with pytest.raises(Refused) as exc:
        leave_start(actor=world.a.school_user, timetable=solved, teacher=teacher, slots=[])
    assert "勾选" in exc.value.reasons[0]
    free = next((d, p) for d in range(1, 6) for p in range(1, 7) if (d, p) not in busy)
    with pytest.raises(Refused) as exc:
        leave_start(actor=world.a.school_user, timetable=solved, teacher=teacher, slots=[free])
    assert "没有课" in exc.value.reasons[0]
    assert not Job.objects.filter(kind="electives.leave").exists()


def test_the_leave_page_picks_slots_and_days_on_the_teachers_week(world, solved, client):
    items = list(lessons(solved).order_by("pk"))
    teacher = items[0].teaching_class.teacher
    client.force_login(world.a.school_user)
    page = client.get(f"/electives/timetables/{solved.pk}/leave/", {"teacher": teacher.pk}).content.decode()
    # a box for every slot of the week that is not blocked (5 days × 8 periods − 2), one per whole day, no typing
    assert page.count('data-testid="leave-slot"') == 38 and page.count('data-testid="leave-day"') == 5
    assert 'name="slots" value="2:1"' in page and 'aria-label="周二第1节"' in page and 'value="3:8"' not in page
    assert page.count("<b>") >= sum(1 for x in items if x.teaching_class.teacher_id == teacher.pk)
    # nothing ticked: refused on the page, the ticks kept
    page = client.post(f"/electives/timetables/{solved.pk}/leave/", {"teacher": teacher.pk, "time_limit": 20}).content.decode()
    assert 'data-testid="refusal"' in page and "勾选" in page
    busy = sorted({slot_of(x) for x in items if x.teaching_class.teacher_id == teacher.pk})
    day = busy[0][0]
    other = next(s for s in busy if s[0] != day)
    with patch("gaozhong.electives.services.timetables.job_start") as started:
        started.return_value = Job.objects.create(kind="electives.leave", title="t", created_by=world.a.school_user)
        resp = client.post(f"/electives/timetables/{solved.pk}/leave/",
                           {"teacher": teacher.pk, "slots": [f"{other[0]}:{other[1]}"], "days": [str(day)], "time_limit": 20})
    assert resp.status_code == 302
    picked = started.call_args.kwargs["params"]["slots"].split(";")
    whole = [f"{day}:{p}" for p in range(1, 9) if (day, p) not in {(3, 7), (3, 8)}]
    assert picked == sorted(set(whole) | {f"{other[0]}:{other[1]}"}, key=lambda v: tuple(map(int, v.split(":"))))
    # the timetable page offers the leave by teacher, with no slot to type
    tt_page = client.get(f"/electives/timetables/{solved.pk}/").content.decode()
    assert 'data-testid="leave-open"' in tt_page and 'name="slots"' not in tt_page


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


def test_in_english_the_slots_read_as_weekday_and_period(world, solved, client):
    from django.conf import settings

    les = next(x for x in lessons(solved).order_by("pk") if choices_of(x).free)
    client.force_login(world.a.school_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = client.get(f"/electives/lessons/{les.pk}/options/").json()
    day = ["Mon", "Tue", "Wed", "Thu", "Fri"][les.day - 1]
    assert data["lesson"]["label"] == f"{day} period {les.period}"
    assert all(" period " in f["label"] for f in data["free"])
    assert any("The teacher" in r or "students have" in r or "The class" in r or "Blocked" in r for x in data["reasons"] for r in x["reasons"])
    page = client.get(f"/electives/lessons/{les.pk}/move/").content.decode()
    assert f"now in {day} period {les.period}" in page and "Move here" in page
