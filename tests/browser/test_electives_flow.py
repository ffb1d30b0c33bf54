"""In a real browser: the selection window is open → a student chooses → the school's 教务 sees the statistics
and starts the solve (a job) → opens the timetables → a manual move is refused with its reason (checked as
soon as the slot is picked) → a teacher's leave is re-solved and the page says how many lessons moved."""

from __future__ import annotations

import pytest

from gaozhong.electives.models import Choice, Lesson, Timetable

from ..electives.factories import elective_grade
from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_selection_to_timetable_in_the_browser(world, live_server, page):
    window = elective_grade(world)
    me = world.a.student
    Choice.objects.filter(window=window, student=me).delete()
    base = live_server.url

    login(page, base, "student_a", world.password)
    page.goto(f"{base}/electives/choose/")
    page.check("input[name=first][value=LS]")
    page.check("input[name=second][value=ZZ]")
    page.check("input[name=second][value=DL]")
    page.click("[data-testid=choose-submit]")
    page.wait_for_selector("[data-testid=my-choice]")
    assert "历史、政治、地理" in page.inner_text("[data-testid=my-choice]")
    assert Choice.objects.get(window=window, student=me).electives == "LS;ZZ;DL"
    page.click("button:has-text('退出')")

    login(page, base, "school_a", world.password)
    page.goto(f"{base}/electives/windows/{window.pk}/")
    assert page.inner_text("[data-testid=chosen]") == "40/40"
    assert "历政地" in page.inner_text("[data-testid=combos]")
    page.wait_for_selector("[data-testid=no-shortfall]")
    page.fill("input[name=time_limit]", "30")
    page.click("[data-testid=solve]")
    page.wait_for_selector("[data-testid=job-summary]", timeout=120_000)
    assert "教学班" in page.inner_text("[data-testid=job-summary]")
    page.click("text=查看课表")
    tt = Timetable.objects.get(window=window, is_current=True)
    page.wait_for_selector("[data-testid=current]")
    page.click("[data-testid=grid-admin]")
    page.wait_for_selector("[data-testid=kebiao]")
    assert page.locator("[data-testid=lesson]").count() > 0

    # a move onto the slot where the same teacher already teaches is refused, with the teacher named
    items = list(Lesson.objects.filter(teaching_class__timetable=tt).select_related("teaching_class__teacher").order_by("pk"))
    a = items[0]
    b = next(x for x in items if x.teaching_class.teacher_id == a.teaching_class.teacher_id and (x.day, x.period) != (a.day, a.period))
    page.goto(f"{base}/electives/lessons/{a.pk}/move/")
    page.select_option("select[name=day]", str(b.day))
    page.select_option("select[name=period]", str(b.period))
    page.locator("[data-testid=check-result] li", has_text="teacher busy").first.wait_for()
    page.click("[data-testid=move-submit]")
    page.wait_for_selector("[data-testid=refusal]")
    assert a.teaching_class.teacher.staff_no in page.inner_text("[data-testid=refusal]")
    a.refresh_from_db()
    assert (a.day, a.period) != (b.day, b.period)

    # the teacher is on leave for two of their slots: re-solve with fewest moves
    teacher = a.teaching_class.teacher
    busy = sorted({(x.day, x.period) for x in items if x.teaching_class.teacher_id == teacher.pk})[:2]
    page.goto(f"{base}/electives/timetables/{tt.pk}/")
    page.select_option("select[name=teacher]", str(teacher.pk))
    page.fill("input[name=slots]", ";".join(f"{d}:{p}" for d, p in busy))
    page.fill("input[name=time_limit]", "20")
    page.click("[data-testid=leave-submit]")
    page.wait_for_selector("[data-testid=job-summary]", timeout=120_000)
    new = Timetable.objects.get(window=window, is_current=True)
    assert new.parent_id == tt.pk and new.lessons_moved >= 1
    assert f"调动课时：{new.lessons_moved}" in page.inner_text("[data-testid=job-summary]")
    page.click("text=查看新课表")
    assert page.inner_text("[data-testid=moved]") == str(new.lessons_moved)
