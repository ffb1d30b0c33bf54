"""In a real browser, a 中考 candidate from sign-in to the printed 录取通知书: the preference form with a mistake keeps
every choice and marks the wrong one; saved and confirmed; the 志愿回执; (the bureau publishes, here through the
services); the result with every choice explained; the 录取通知书 PDF with the school's 报到 arrangement; and the
result, form and receipt on a 390×844 phone without horizontal scrolling. Screenshots go to /tmp."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from gaozhong.admissions.models import Admission, AdmissionYear, Confirmation, Preference, Program, PublishedAnswer, SchoolPlan
from gaozhong.admissions.services.notice import school_report_set
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create, admission_run_execute
from gaozhong.admissions.services.setup import admission_window_set, admission_year_create, programs_generate, school_plan_set, school_plans_approve
from gaozhong.core.models import Candidate

from ..admissions.test_services import fill_preferences, make_candidates
from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/gaozhong-candidate-flow")
REPORT = {"GA1": ("2026年8月25日 8:00—11:30", "a县一中北校区体育馆"), "GB1": ("2026年8月26日 9:00—11:00", "b县一中教学楼一层大厅")}


def _no_horizontal_scroll(page) -> int:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"{page.url}: page is {width}px wide"
    return width


def test_candidate_from_sign_in_to_the_printed_notice(world, live_server, page, browser):
    SHOTS.mkdir(exist_ok=True)
    now = timezone.now()
    year = admission_year_create(actor=world.city_user, year=2026, window_opens=now - dt.timedelta(hours=1), window_closes=now + dt.timedelta(days=1))
    cands, cand_user = make_candidates(world)
    cand_user.set_password(world.password)
    cand_user.save()
    me = cands[0]
    Candidate.objects.filter(pk=me.pk).update(score=699, chinese=120, math=120, english=120)  # the top score: admitted
    school_plan_set(actor=world.city_user, year=year, school=world.a.school, seats=11)
    school_plan_set(actor=world.city_user, year=year, school=world.b.school, seats=10)
    school_plans_approve(actor=world.city_user, year=year)
    programs_generate(actor=world.city_user, year=year)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    fill_preferences(year, cands[1:])
    quota = Program.objects.get(year=year, feeder_school=me.junior_school, school=world.a.school)
    base = live_server.url

    # sign in → the form with a mistake: the same program twice in 第三批
    login(page, base, "cand0", world.password)
    page.goto(f"{base}/admissions/preferences/")
    assert "699.0" in page.inner_text("[data-testid=my-score]")
    page.select_option("[data-testid=b2-1]", quota.code)
    page.select_option("[data-testid=b3-1]", "GB1-TZ")
    page.select_option("[data-testid=b3-2]", "GB1-TZ")
    page.select_option("[data-testid=b3-3]", "GA1-TZ")
    page.click("main button[value=save]")
    page.wait_for_selector("[data-testid=form-problems]")
    problems = page.inner_text("[data-testid=form-problems]")
    assert "第 3 批（普高统招）第 2 志愿与第 1 志愿重复" in problems
    # everything entered is still there, and only the wrong choice is marked
    assert [page.input_value(f"[data-testid=b3-{i}]") for i in (1, 2, 3, 4)] == ["GB1-TZ", "GB1-TZ", "GA1-TZ", ""]
    assert page.input_value("[data-testid=b2-1]") == quota.code
    assert page.get_attribute("[data-testid=b3-2]", "aria-invalid") == "true"
    assert page.get_attribute("[data-testid=b3-1]", "aria-invalid") is None
    assert "重复" in page.inner_text("[data-testid=error-b3-2]")
    assert not Preference.objects.filter(candidate=me).exists()
    page.screenshot(path=str(SHOTS / "1-form-error.png"), full_page=True)

    # the same mistake on a phone: the marked form, its plan tables open, fits the screen
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
    p = phone.new_page()
    login(p, base, "cand0", world.password)
    p.goto(f"{base}/admissions/preferences/")
    p.select_option("[data-testid=b3-1]", "GA1-TZ")
    p.select_option("[data-testid=b3-3]", "GA1-TZ")
    p.click("main button[value=save]")
    p.wait_for_selector("[data-testid=error-b3-3]")
    assert p.input_value("[data-testid=b3-1]") == "GA1-TZ" and p.get_attribute("[data-testid=b3-3]", "aria-invalid") == "true"
    for summary in p.locator("details.plan-info summary").all():
        summary.click()
    assert p.locator("[data-testid=plan-info-3]").is_visible()
    _no_horizontal_scroll(p)
    p.screenshot(path=str(SHOTS / "1b-phone-form-error.png"), full_page=True)

    # corrected, saved and confirmed in one step
    page.select_option("[data-testid=b3-2]", "GA1-TZ")
    page.select_option("[data-testid=b3-3]", "")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=confirmed]")
    assert list(Preference.objects.filter(candidate=me, batch=3).order_by("rank").values_list("program__code", flat=True)) == ["GB1-TZ", "GA1-TZ"]
    assert Confirmation.objects.filter(candidate=me).exists()

    # the receipt
    page.click("[data-testid=receipt-link]")
    page.wait_for_selector("[data-testid=receipt]")
    receipt = page.inner_text("[data-testid=receipt]")
    assert me.name in receipt and "确认时间" in receipt and me.id_number not in receipt
    b3 = page.inner_text("[data-testid=receipt-batch-3]")
    assert b3.index("b县一中") < b3.index("a县一中")
    page.screenshot(path=str(SHOTS / "2-receipt.png"), full_page=True)

    # the bureau closes the window, runs and approves (its own browser test covers those clicks)
    for code, (t, place) in REPORT.items():
        school_report_set(actor=world.city_user, plan=SchoolPlan.objects.get(year=year, school__code=code), report_time=t, report_place=place)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    admission_run_approve(actor=world.city_user, run=run)
    adm = Admission.objects.select_related("program__school").get(run=run, candidate=me)
    assert adm.program is not None
    school = adm.program.school

    # the result, each choice explained
    page.goto(f"{base}/")
    page.click("nav.main-nav a:has-text('录取结果')")
    page.wait_for_selector("[data-testid=my-result]")
    result = page.inner_text("[data-testid=my-result]")
    assert "已被录取" in result and school.name in result
    answer = PublishedAnswer.objects.get(exam_no=me.exam_no).answer
    rows = page.locator("[data-testid=choices] tbody tr")
    assert rows.count() == len(answer["choices"]) == 3
    for i, ch in enumerate(answer["choices"]):
        text = rows.nth(i).inner_text()
        assert ch["program"] in text
        if ch["status"] == "admitted":
            assert "经此志愿录取" in text
        else:
            assert all(r.split(" (")[0] in text for r in ch["reasons"]) and ch["reasons"]
    report = page.inner_text("[data-testid=report-info]")
    assert REPORT[school.code][0] in report and REPORT[school.code][1] in report
    page.screenshot(path=str(SHOTS / "3-result.png"), full_page=True)

    # the 录取通知书
    with page.expect_download() as dl:
        page.click("[data-testid=notice-pdf]")
    pdf = SHOTS / "notice.pdf"
    dl.value.save_as(str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout)
    for expected in (me.name, me.exam_no, school.name, REPORT[school.code][0].replace(" ", ""), REPORT[school.code][1], me.id_number_masked):
        assert expected in text, expected
    assert me.id_number not in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(SHOTS / "4-notice")], check=True)

    # on the phone: no horizontal scrolling on the result, the form and the receipt
    try:
        for name, path in (("5-phone-result", "/admissions/result/"), ("6-phone-form", "/admissions/preferences/"),
                           ("7-phone-receipt", "/admissions/receipt/")):
            p.goto(base + path)
            _no_horizontal_scroll(p)
            p.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        p.goto(base + "/admissions/result/")
        # each choice is one card: no cell wider than the screen, the status kept on one line
        widest = p.evaluate("Math.max(...[...document.querySelectorAll('main *')].map(e => e.getBoundingClientRect().right))")
        assert widest <= 390, widest
        heights = p.evaluate("[...document.querySelectorAll('[data-testid=choices] td.nowrap')].map(e => e.getBoundingClientRect().height)")
        line = p.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
        assert heights and max(heights) < 2 * line, (heights, line)
    finally:
        phone.close()
    assert not page.console_errors, page.console_errors
