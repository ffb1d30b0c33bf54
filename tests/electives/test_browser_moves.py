"""In a real browser, a school's 教务 changes a solved timetable on the grid: clicks a lesson and sees every free slot
light up and the lessons it can swap with, moves it with one more click, swaps two lessons, does the same on a
390×844 phone and on the page without scripts, and re-solves around a teacher's leave picked on the teacher's
week, then reads and prints the list of moved lessons. Screenshots go to /tmp/gaozhong-moves/ to be looked at."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from gaozhong.electives.adjust import lesson_choices
from gaozhong.electives.casebuild import admin_code
from gaozhong.electives.models import Lesson, Timetable
from gaozhong.electives.services.timetables import solve_start
from gaozhong.electives.slots import slot_label

from ..browser.conftest import login
from .factories import elective_grade

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/gaozhong-moves")
PHONE = {"width": 390, "height": 844}


def _solved(world) -> Timetable:
    window = elective_grade(world)
    solve_start(actor=world.a.school_user, window=window, time_limit=30, seed=1)  # jobs run at once in tests
    return Timetable.objects.get(window=window, is_current=True)


def _lessons(tt):
    return Lesson.objects.filter(teaching_class__timetable=tt).select_related(
        "teaching_class__timetable", "teaching_class__subject", "teaching_class__teacher", "teaching_class__admin_class", "room")


def _on_grid(tt, ac):
    """The lessons an admin class's grid shows: its own and the 走班 lessons its students walk to."""
    return [x for x in _lessons(tt).order_by("pk")
            if x.teaching_class.admin_class_id == ac.pk or x.teaching_class.members.filter(student__admin_class=ac).exists()]


def _no_wider_than_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, width


def test_move_and_swap_on_the_grid(world, live_server, page, browser):
    SHOTS.mkdir(exist_ok=True)
    tt = _solved(world)
    ac = world.a.admin_class
    base = live_server.url
    grid_url = f"{base}/electives/timetables/{tt.pk}/grid/?kind=admin&key={admin_code(ac)}"
    shown = _on_grid(tt, ac)
    core = [x for x in shown if x.teaching_class.admin_class_id == ac.pk]
    mover = next(x for x in core if lesson_choices(x).free)
    choices = lesson_choices(mover)

    login(page, base, "school_a", world.password)
    page.goto(grid_url)
    page.click(f".lesson[data-id='{mover.pk}']")
    page.wait_for_selector("[data-testid=free-option]")
    assert page.locator("td.free").count() == len(choices.free)
    lit = {page.locator("td.free").nth(i).get_attribute("data-slot") for i in range(len(choices.free))}
    assert lit == {f"{t.day}:{t.period}" for t in choices.free}
    status = page.inner_text("[data-testid=move-panel] [data-field=status]")
    assert f"可调到 {len(choices.free)} 个空闲课时" in status and f"可对调 {len(choices.swaps)} 节课" in status
    options = page.locator("[data-testid=free-option]").all_inner_texts()
    assert options[0].startswith(choices.free[0].label) and all(o.startswith("周") for o in options)
    # a slot that is not free says why on hover
    taken = next(iter(choices.reasons))
    assert choices.reasons[taken][0] in page.get_attribute(f"td[data-slot='{taken[0]}:{taken[1]}']", "title")
    page.screenshot(path=str(SHOTS / "grid-selected-desktop.png"), full_page=True)
    assert not page.console_errors, page.console_errors

    # one click on a lit slot moves the lesson
    target = choices.free[len(choices.free) // 2]
    page.click(f"td[data-slot='{target.day}:{target.period}'] [data-testid=free-slot]")
    page.wait_for_selector(".messages li")
    assert f"调到 {target.label}" in page.inner_text(".messages")
    mover.refresh_from_db()
    assert (mover.day, mover.period) == (target.day, target.period)
    assert page.url == grid_url
    moved_box = page.locator(f".lesson[data-id='{mover.pk}']")
    assert moved_box.get_attribute("data-slot") == f"{target.day}:{target.period}"

    # a swap with a lesson shown on the same grid
    ids = {x.pk for x in shown}
    swapper, offer = next((x, t) for x in _on_grid(tt, ac) for t in lesson_choices(x).swaps if t.other.pk in ids)
    a0, b0 = (swapper.day, swapper.period), (offer.other.day, offer.other.period)
    page.click(f".lesson[data-id='{swapper.pk}']")
    page.wait_for_selector(f".lesson.swap[data-id='{offer.other.pk}']")
    page.screenshot(path=str(SHOTS / "grid-swap-desktop.png"), full_page=True)
    page.click(f".lesson.swap[data-id='{offer.other.pk}']")
    page.wait_for_selector(".messages li")
    assert "已对调" in page.inner_text(".messages")
    swapper.refresh_from_db()
    other = Lesson.objects.get(pk=offer.other.pk)
    assert (swapper.day, swapper.period) == b0 and (other.day, other.period) == a0

    # Escape leaves the picking without a change
    page.click(f".lesson[data-id='{swapper.pk}']")
    page.wait_for_selector("[data-testid=move-panel]:not([hidden])")
    page.keyboard.press("Escape")
    assert page.locator("td.free").count() == 0 and page.locator("[data-testid=move-panel]").is_hidden()

    # in English the panel and the slots read in English
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
    page.goto(grid_url)
    page.click(f".lesson[data-id='{swapper.pk}']")
    page.wait_for_selector("[data-testid=move-panel] [data-field=status]:has-text('free slots to move to')")
    assert all(" period " in o for o in page.locator("[data-testid=free-option]").all_inner_texts())
    page.screenshot(path=str(SHOTS / "grid-selected-english.png"), full_page=True)


def test_on_a_phone_and_without_scripts(world, live_server, browser):
    SHOTS.mkdir(exist_ok=True)
    tt = _solved(world)
    ac = world.a.admin_class
    base = live_server.url
    grid_url = f"{base}/electives/timetables/{tt.pk}/grid/?kind=admin&key={admin_code(ac)}"
    core = [x for x in _on_grid(tt, ac) if x.teaching_class.admin_class_id == ac.pk]
    mover = next(x for x in core if lesson_choices(x).free)
    choices = lesson_choices(mover)

    ctx = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    login(page, base, "school_a", world.password)
    page.goto(grid_url)
    _no_wider_than_the_screen(page)
    page.locator(f".lesson[data-id='{mover.pk}']").tap()
    page.wait_for_selector("[data-testid=free-option]")
    panel = page.locator("[data-testid=move-panel]").bounding_box()
    assert panel["y"] + panel["height"] <= PHONE["height"] + 1 and panel["width"] <= PHONE["width"]
    _no_wider_than_the_screen(page)
    page.screenshot(path=str(SHOTS / "grid-selected-phone.png"))
    target = choices.free[0]
    page.locator("[data-testid=free-option]").first.tap()
    page.wait_for_selector(".messages li")
    assert f"调到 {target.label}" in page.inner_text(".messages")
    mover.refresh_from_db()
    assert (mover.day, mover.period) == (target.day, target.period)
    ctx.close()

    # without scripts: the 调课 link opens the lesson's week with every free slot and swap to pick
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = ctx.new_page()
    login(page, base, "school_a", world.password)
    page.goto(grid_url)
    mover.refresh_from_db()
    choices = lesson_choices(mover)
    page.click(f".lesson[data-id='{mover.pk}'] [data-testid=move-link]")
    page.wait_for_selector("[data-testid=move-choices]")
    assert page.locator("[data-testid=pick-free]").count() == len(choices.free)
    assert page.locator("[data-testid=pick-swap]").count() == len(choices.swaps)
    assert f"现在在{slot_label(mover.day, mover.period)}" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "move-page-nojs-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    _no_wider_than_the_screen(page)
    page.screenshot(path=str(SHOTS / "move-page-nojs-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    target = choices.free[-1]
    page.check(f"input[value='{target.value}']")
    page.click("[data-testid=move-submit]")
    page.wait_for_selector(".messages li")
    assert f"调到 {target.label}" in page.inner_text(".messages") and page.url == grid_url
    mover.refresh_from_db()
    assert (mover.day, mover.period) == (target.day, target.period)
    ctx.close()


def test_leave_picked_on_the_week_and_the_printable_list(world, live_server, page, browser):
    SHOTS.mkdir(exist_ok=True)
    tt = _solved(world)
    base = live_server.url
    items = list(_lessons(tt).order_by("pk"))
    teacher = items[0].teaching_class.teacher
    busy = sorted({(x.day, x.period) for x in items if x.teaching_class.teacher_id == teacher.pk})[:2]

    login(page, base, "school_a", world.password)
    page.goto(f"{base}/electives/timetables/{tt.pk}/")
    page.select_option("[data-testid=leave-teacher-pick]", str(teacher.pk))
    page.click("[data-testid=leave-open]")
    page.wait_for_selector("[data-testid=leave-week]")
    for d, p in busy:
        page.check(f"input[name=slots][value='{d}:{p}']")
    page.fill("input[name=time_limit]", "20")
    page.screenshot(path=str(SHOTS / "leave-week-desktop.png"), full_page=True)
    page.click("[data-testid=leave-submit]")
    page.wait_for_selector("[data-testid=job-summary]", timeout=120_000)
    new = Timetable.objects.get(window=tt.window, is_current=True)
    assert new.parent_id == tt.pk and new.lessons_moved >= 1
    page.click("text=查看调动清单（可打印）")
    page.wait_for_selector("[data-testid=changes-moved]")
    assert page.locator("[data-testid=changes-moved] [data-testid=change-row]").count() == new.lessons_moved
    assert "请假：" + "、".join(slot_label(d, p) for d, p in busy) in page.inner_text("[data-testid=leave-info]")
    page.screenshot(path=str(SHOTS / "changes-desktop.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / "changes-print.png"), full_page=True)
    assert page.locator("header.top").is_hidden() and page.locator("[data-testid=notice]").first.is_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as dl:
        page.click("[data-testid=changes-pdf]")
    assert dl.value.suggested_filename.endswith(".pdf")

    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    pg = phone.new_page()
    login(pg, base, "school_a", world.password)
    pg.goto(f"{base}/electives/timetables/{new.pk}/changes/")
    _no_wider_than_the_screen(pg)
    pg.screenshot(path=str(SHOTS / "changes-phone.png"), full_page=True)
    pg.goto(f"{base}/electives/timetables/{new.pk}/leave/?teacher={teacher.pk}")
    _no_wider_than_the_screen(pg)
    pg.screenshot(path=str(SHOTS / "leave-week-phone.png"), full_page=True)
    phone.close()
