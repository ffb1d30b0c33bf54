"""In a real browser: window open → a candidate enters and confirms preferences → the bureau closes the window
and runs the admission (a job) → approves → the candidate looks the result up with 准考证号 + 身份证号后 6 位."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gaozhong.admissions.models import AdmissionRun, AdmissionYear, Preference, Program
from gaozhong.admissions.services.setup import admission_window_set, admission_year_create, programs_generate, school_plan_set, school_plans_approve

from ..admissions.test_services import fill_preferences, make_candidates
from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admission_round_in_the_browser(world, live_server, page):
    now = timezone.now()
    year = admission_year_create(actor=world.city_user, year=2026, window_opens=now - dt.timedelta(hours=1), window_closes=now + dt.timedelta(days=1))
    cands, cand_user = make_candidates(world)
    cand_user.set_password(world.password)
    cand_user.save()
    school_plan_set(actor=world.city_user, year=year, school=world.a.school, seats=11)
    school_plan_set(actor=world.city_user, year=year, school=world.b.school, seats=10)
    school_plans_approve(actor=world.city_user, year=year)
    programs_generate(actor=world.city_user, year=year)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    fill_preferences(year, cands[1:])
    me = cands[0]
    base = live_server.url

    login(page, base, "cand0", world.password)
    page.goto(f"{base}/admissions/preferences/")
    quota = Program.objects.get(year=year, feeder_school=me.junior_school, school=world.a.school)
    page.select_option("[data-testid=b2-1]", quota.code)
    page.select_option("[data-testid=b3-1]", "GB1-TZ")
    page.select_option("[data-testid=b3-2]", "GA1-TZ")
    page.click("main button[value=save]")
    page.wait_for_selector(".messages")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=confirmed]")
    assert list(Preference.objects.filter(candidate=me, batch=3).order_by("rank").values_list("program__code", flat=True)) == ["GB1-TZ", "GA1-TZ"]
    page.click("button:has-text('退出')")

    login(page, base, "city", world.password)
    page.goto(f"{base}/admissions/")
    page.check("[data-testid=confirm-box-close-window]")
    page.click("[data-testid=close-window]")
    page.wait_for_selector("[data-testid=start-run]")
    page.check("[data-testid=confirm-box-start-run]")
    page.click("[data-testid=start-run]")
    page.wait_for_selector("[data-testid=job-summary]")
    run = AdmissionRun.objects.get()
    assert run.status == "done"
    page.goto(f"{base}/admissions/runs/{run.pk}/")
    assert page.inner_text("[data-testid=digest]") == run.inputs_sha256
    page.check("[data-testid=confirm-box-approve]")
    page.click("[data-testid=approve]")
    page.wait_for_selector(".messages")
    page.click("button:has-text('退出')")

    page.goto(f"{base}/admissions/lookup/")
    page.fill("input[name=exam_no]", me.exam_no)
    page.fill("input[name=id_tail]", "000000")
    page.click("main button[type=submit]")
    assert "不正确" in page.inner_text("main")
    page.fill("input[name=exam_no]", me.exam_no)
    page.fill("input[name=id_tail]", me.id_number[-6:])
    page.click("main button[type=submit]")
    result = page.inner_text("[data-testid=lookup-result]")
    assert me.name in result and ("已被录取" in result or "未被录取" in result)
    assert "GB1" in result or "b县一中" in result
    page.goto(f"{base}/admissions/cutoffs/")
    assert "b县一中" in page.inner_text("[data-testid=cutoffs]")
