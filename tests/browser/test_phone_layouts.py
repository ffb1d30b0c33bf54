"""On a 390×844 phone (and at desktop size), the pages candidates, families, students and teachers use: the public
result lookup before and after a query (admitted and not), the public 录取分数线, 选科, a student's and a teacher's
课表, and the site's frame around them. Each page fits the screen (no horizontal scrolling, nothing sticking out),
no school, teacher or candidate name is broken over two lines, and a screenshot of each is saved (the folder is
printed; ``GAOZHONG_SCREENSHOTS`` chooses it)."""

from __future__ import annotations

import pytest

from gaozhong.admissions.models import Program, PublishedAnswer
from gaozhong.core.models import Membership, Role, Teacher
from gaozhong.electives.models import Timetable
from gaozhong.electives.services.timetables import solve_start

from ..admissions.test_publication import publish
from ..electives.factories import elective_grade
from .conftest import login
from .layout import DESKTOP, PHONE, assert_fits, assert_names_unbroken, assert_one_line, phone_context, screenshot, shots_dir, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Names as long as real ones get (the fixtures' are short): a school's full name, a junior school's, a county's.
#: Widths between a phone and a desktop: a small tablet, a tablet, a narrow window.
TABLETS = (600, 768, 1024)
SCHOOLS = {"a": ("晋阳市小店区第一中学校", "小店区育英初级中学", "小店区"), "b": ("晋阳市迎泽区实验中学", "迎泽区第三十七初级中学", "迎泽区")}


def _long_names(world) -> list[str]:
    for tag, place in (("a", world.a), ("b", world.b)):
        senior, junior, county = SCHOOLS[tag]
        place.school.name, place.junior.name, place.county.name = senior, junior, county
        place.school.save(update_fields=["name"])
        place.junior.save(update_fields=["name"])
        place.county.save(update_fields=["name"])
    return [n for names in SCHOOLS.values() for n in names[:2]]


def _ask(page, base, cand) -> None:
    page.goto(f"{base}/admissions/lookup/")
    page.fill("input[name=exam_no]", cand.exam_no)
    page.fill("input[name=id_tail]", cand.id_number[-6:])
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=lookup-result]")


def test_lookup_and_cutoffs_on_a_phone_and_a_desktop(world, live_server, browser, page):
    names = _long_names(world)
    year, run, cands = publish(world)
    answers = {a.exam_no: a.answer for a in PublishedAnswer.objects.all()}
    admitted = next(c for c in cands if answers[c.exam_no]["program"])
    refused = next(c for c in cands if not answers[c.exam_no]["program"]
                   and any(ch["status"] == "not_admitted" for ch in answers[c.exam_no]["choices"]))
    base = live_server.url
    ctx, phone = phone_context(browser)
    try:
        for pg, size in ((phone, "phone"), (page, "desktop")):
            pg.goto(f"{base}/admissions/lookup/")
            screenshot(pg, f"lookup-{size}")
            assert_fits(pg)

            _ask(pg, base, admitted)
            if pg is phone:  # the answer is scrolled into view, below the form
                top = pg.evaluate("document.getElementById('lookup-result').getBoundingClientRect().top")
                assert 0 <= top < PHONE["height"] / 2 and pg.evaluate("window.scrollY") > 0, top
            screenshot(pg, f"lookup-admitted-{size}")
            result = pg.inner_text("[data-testid=lookup-result]")
            assert admitted.name in result and "已被录取" in result
            assert_fits(pg)
            assert_names_unbroken(pg, [admitted.name, *names])
            assert_one_line(pg, "[data-testid=choice-status]")

            _ask(pg, base, refused)
            screenshot(pg, f"lookup-refused-{size}")
            result = pg.inner_text("[data-testid=lookup-result]")
            assert refused.name in result and "未被录取" in result and "未录取" in result
            assert_fits(pg)
            assert_names_unbroken(pg, [refused.name, "未被录取", "未录取", *names])
            assert_one_line(pg, "[data-testid=choice-status]")

            pg.goto(f"{base}/admissions/cutoffs/")
            screenshot(pg, f"cutoffs-{size}")
            shown = pg.inner_text("[data-testid=cutoffs]")
            assert all(n in shown for n in (SCHOOLS["a"][0], SCHOOLS["b"][0]))
            assert_fits(pg)
            assert_names_unbroken(pg, names, at_least=len(names))
        # at phone size the cutoffs are cards under their school's name (one per program), on a desktop a table
        rows = "[data-testid=cutoff-row]"
        assert phone.locator(rows).count() == page.locator(rows).count() == Program.objects.filter(year=year).count()
        assert phone.eval_on_selector(rows, "el => getComputedStyle(el).display") == "grid"
        assert not phone.locator("[data-testid=cutoffs] thead").is_visible()
        assert phone.locator("tr.school-group").all_inner_texts()[0].startswith(SCHOOLS["a"][0])
        assert page.eval_on_selector(rows, "el => getComputedStyle(el).display") == "table-row"
        assert not page.locator("tr.school-group").first.is_visible()
        # the phone asks the server for what it wants to see: a junior school by part of its name, one county
        phone.fill("[data-testid=cutoff-search]", SCHOOLS["a"][1][3:5])
        phone.press("[data-testid=cutoff-search]", "Enter")
        phone.wait_for_url("**q=*")
        assert phone.locator(rows).count() == 1 and SCHOOLS["a"][1] in phone.inner_text(rows)
        assert_fits(phone)
        screenshot(phone, "cutoffs-searched-phone")
        phone.goto(f"{base}/admissions/cutoffs/")
        phone.select_option("[data-testid=cutoff-county]", label=SCHOOLS["b"][2])  # submits itself
        phone.wait_for_url("**county=*")
        assert phone.locator("tr.school-group").all_inner_texts() == [f"{SCHOOLS['b'][0]} {SCHOOLS['b'][2]}"]
        assert phone.locator(rows).count() == Program.objects.filter(year=year, school=world.b.school).count()
        # between a phone and a desktop (a tablet, a narrow window) nothing sticks out either
        for width in TABLETS:
            page.set_viewport_size({"width": width, "height": 900})
            for path in ("/admissions/cutoffs/", "/admissions/cutoffs/?sort=-cutoff"):
                page.goto(f"{base}{path}")
                screenshot(page, f"cutoffs{path.partition('?')[2]}-{width}")
                assert_fits(page, f"{path} at {width} px")
            _ask(page, base, refused)
            assert_fits(page, f"lookup at {width} px")
        page.set_viewport_size(DESKTOP)
    finally:
        ctx.close()
    print(f"\nscreenshots: {shots_dir()}")


def _teacher_user(world, tt):
    from django.contrib.auth.models import User

    t = Teacher.objects.filter(pk__in=tt.classes.values("teacher")).order_by("staff_no").first()
    u = User.objects.create_user(username="teacher_kebiao", password=world.password)
    Membership.objects.create(user=u, role=Role.TEACHER, school=t.school, teacher=t)
    return t


def _week_shown_as(pg, size: str) -> None:
    """A phone shows the week as a list of days, a desktop as the grid; both hold the same lessons."""
    grid, days = pg.locator("[data-testid=lesson]"), pg.locator("[data-testid=day-lesson]")
    assert grid.count() == days.count() > 0
    visible, hidden = (days, grid) if size == "phone" else (grid, days)
    assert visible.first.is_visible() and not hidden.first.is_visible()


def test_choice_and_timetables_on_a_phone_and_a_desktop(world, live_server, browser, page):
    window = elective_grade(world)
    solve_start(actor=world.a.school_user, window=window, time_limit=30, seed=1)  # jobs run at once in tests
    tt = Timetable.objects.get(window=window, is_current=True)
    teacher = _teacher_user(world, tt)
    teachers = sorted({t.name for t in Teacher.objects.filter(pk__in=tt.classes.values("teacher"))})
    base = live_server.url
    ctx, phone = phone_context(browser)
    try:
        for pg, size in ((phone, "phone"), (page, "desktop")):
            login(pg, base, "student_a", world.password)
            screenshot(pg, f"student-home-{size}")
            assert_fits(pg)
            pg.goto(f"{base}/electives/choose/")
            screenshot(pg, f"choose-{size}")
            assert "首选科目" in pg.inner_text("main")
            assert_fits(pg)
            pg.goto(f"{base}/electives/my/")
            screenshot(pg, f"student-kebiao-{size}")
            _week_shown_as(pg, size)
            assert_fits(pg)
            assert_names_unbroken(pg, [*teachers, world.a.student.name, world.a.admin_class.name])
            assert_one_line(pg, ".lesson .name")
            if pg is page:
                for width in TABLETS:
                    pg.set_viewport_size({"width": width, "height": 900})
                    screenshot(pg, f"student-kebiao-{width}")
                    assert_fits(pg, f"student's 课表 at {width} px")
                    assert_names_unbroken(pg, teachers)
                pg.set_viewport_size(DESKTOP)
            sign_out(pg)

            login(pg, base, "teacher_kebiao", world.password)
            pg.goto(f"{base}/electives/my/")
            screenshot(pg, f"teacher-kebiao-{size}")
            assert teacher.name in pg.inner_text("main")
            _week_shown_as(pg, size)
            assert_fits(pg)
            assert_names_unbroken(pg, [teacher.name])
            sign_out(pg)
    finally:
        ctx.close()
    print(f"\nscreenshots: {shots_dir()}")


def test_the_frame_on_a_phone(world, live_server, browser):
    """The header at 390 px: a short menu (a student's) shows at once; a long one (the city's) folds behind 菜单 and
    opens with it; neither makes the page wider than the screen."""
    base = live_server.url
    ctx, phone = phone_context(browser)
    try:
        login(phone, base, "student_a", world.password)
        assert not phone.locator("[data-menu-toggle]").is_visible() and phone.locator(".main-nav").is_visible()
        assert_fits(phone)
        assert_one_line(phone, ".main-nav a")
        screenshot(phone, "frame-student-phone")
        sign_out(phone)

        login(phone, base, "city", world.password)
        assert phone.locator("[data-menu-toggle]").is_visible() and not phone.locator(".main-nav").is_visible()
        header = phone.eval_on_selector("header.top", "el => el.getBoundingClientRect().height")
        assert header < 60, header  # one line: the brand, the language and 菜单
        assert_fits(phone)
        screenshot(phone, "frame-city-folded-phone")
        phone.click("[data-menu-toggle]")
        assert phone.locator(".main-nav").is_visible() and phone.locator("[data-testid=scope]").is_visible()
        assert phone.get_attribute("[data-menu-toggle]", "aria-expanded") == "true"
        assert_fits(phone)
        assert_one_line(phone, ".main-nav a")
        screenshot(phone, "frame-city-open-phone")
        sign_out(phone)
    finally:
        ctx.close()
