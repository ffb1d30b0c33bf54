"""In a real browser: the selection window is open → a student chooses → the school's 教务 sees the statistics
and starts the solve (a job) → opens the timetables → moves a lesson to one of its free slots picked on its week →
a teacher's leave, ticked on the teacher's week, is re-solved and the list names every moved lesson."""

from __future__ import annotations

import pytest

from gaozhong.electives.adjust import lesson_choices
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

    # the move page shows every free slot of a lesson on its week; picking one moves it
    a = next(x for x in Lesson.objects.filter(teaching_class__timetable=tt).select_related(
        "teaching_class__timetable", "teaching_class__subject", "teaching_class__teacher", "room").order_by("pk") if lesson_choices(x).free)
    target = lesson_choices(a).free[0]
    page.goto(f"{base}/electives/lessons/{a.pk}/move/")
    assert page.locator("[data-testid=pick-free]").count() == len(lesson_choices(a).free)
    page.check(f"input[value='{target.value}']")
    page.click("[data-testid=move-submit]")
    page.wait_for_selector(".messages li")
    assert f"调到 {target.label}" in page.inner_text(".messages")
    a.refresh_from_db()
    assert (a.day, a.period) == (target.day, target.period)

    # the teacher is on leave for two of their slots, ticked on their week: re-solve with fewest moves
    items = list(Lesson.objects.filter(teaching_class__timetable=tt).select_related("teaching_class__teacher").order_by("pk"))
    teacher = a.teaching_class.teacher
    busy = sorted({(x.day, x.period) for x in items if x.teaching_class.teacher_id == teacher.pk})[:2]
    page.goto(f"{base}/electives/timetables/{tt.pk}/")
    page.select_option("[data-testid=leave-teacher-pick]", str(teacher.pk))
    page.click("[data-testid=leave-open]")
    for d, p in busy:
        page.check(f"input[name=slots][value='{d}:{p}']")
    page.fill("input[name=time_limit]", "20")
    page.click("[data-testid=leave-submit]")
    page.wait_for_selector("[data-testid=job-summary]", timeout=120_000)
    new = Timetable.objects.get(window=window, is_current=True)
    assert new.parent_id == tt.pk and new.lessons_moved >= 1
    summary = page.inner_text("[data-testid=job-summary]")
    assert "调动课时" in summary and str(new.lessons_moved) in summary
    page.click("text=查看调动清单（可打印）")
    assert page.locator("[data-testid=changes-moved] [data-testid=change-row]").count() == new.lessons_moved
    page.goto(f"{base}/electives/timetables/{new.pk}/")
    assert page.inner_text("[data-testid=moved]") == str(new.lessons_moved)
