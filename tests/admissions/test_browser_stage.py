"""In a real browser, a year of the whole 高中阶段: the plans page shows each school's 招生范围; a county-b candidate
is offered only the programs in range (普高 and 中职 in one form) and files a 中职 choice; the city runs and
publishes the main round (普职比 on the 高中阶段 page), opens 补录; a candidate without a seat files a 补录 choice;
the city closes 补录, runs it (a job) and publishes round 2; the candidate sees the round-2 result."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from gaozhong.admissions.models import Admission, AdmissionRun, Preference, SupplementaryChoice
from gaozhong.core.models import Membership, Role

from ..browser.conftest import login
from .stage_world import stage_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page, base):
    page.click("button:has-text('退出')")
    page.wait_for_url(f"{base}/accounts/login/")


def _confirm_click(page, testid):
    page.check(f"[data-testid=confirm-box-{testid}]")
    page.click(f"[data-testid={testid}]")


def test_general_and_vocational_with_ranges_and_a_supplementary_round(world, live_server, page):
    year, cands, cand0_user, voc = stage_year(world)
    cand0_user.set_password(world.password)
    cand0_user.save()
    b_cand = cands[21]  # county b, filed preferences through the service; replaced here in the browser
    Preference.objects.filter(candidate=b_cand).delete()
    b_user = User.objects.create_user(username="cand_b", password=world.password)
    Membership.objects.create(user=b_user, role=Role.STUDENT, candidate=b_cand)
    base = live_server.url

    login(page, base, "city", world.password)
    page.goto(f"{base}/admissions/")
    assert page.inner_text("[data-testid=range-GA1]") == "a县" and page.inner_text("[data-testid=range-GB1]") == "全市"
    page.click("[data-testid=stage-link]")
    assert page.inner_text("[data-testid=plan-city]") == "21:6"
    _logout(page, base)

    login(page, base, "cand_b", world.password)
    page.goto(f"{base}/admissions/preferences/")
    b3 = page.eval_on_selector_all("[data-testid=b3-1] option", "els => els.map(e => e.value)")
    assert "GB1-TZ" in b3 and "GA1-TZ" not in b3  # a县一中 admits from county a only
    b4 = page.eval_on_selector_all("[data-testid=b4-1] option", "els => els.map(e => e.value)")
    assert {"VA1-ZY01", "VA1-ZY02"} <= set(b4)
    page.select_option("[data-testid=b4-1]", "VA1-ZY02")
    page.click("main button[value=save]")
    page.wait_for_selector(".messages")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=confirmed]")
    assert list(Preference.objects.filter(candidate=b_cand).values_list("program__code", flat=True)) == ["VA1-ZY02"]
    _logout(page, base)

    login(page, base, "city", world.password)
    page.goto(f"{base}/admissions/")
    _confirm_click(page, "close-window")
    page.wait_for_selector("[data-testid=start-run]")
    _confirm_click(page, "start-run")
    page.wait_for_selector("[data-testid=job-summary]")
    run = AdmissionRun.objects.get(round=1)
    assert Admission.objects.get(run=run, candidate=b_cand).program.code == "VA1-ZY02"  # 中职 in the same run
    page.goto(f"{base}/admissions/runs/{run.pk}/")
    _confirm_click(page, "approve")
    page.wait_for_selector(".messages")
    page.goto(f"{base}/admissions/stage/")
    assert page.inner_text("[data-testid=admitted-city]").endswith(f":{Admission.objects.filter(run=run, program__school=voc).count()}")
    page.goto(f"{base}/admissions/supplementary/")
    _confirm_click(page, "open-supp")
    page.wait_for_selector("[data-testid=supp-seats]")
    assert int(page.inner_text("[data-testid=seats-total]")) > 0
    _logout(page, base)

    me = cands[0]  # filed nothing in the main round: no seat
    assert Admission.objects.get(run=run, candidate=me).program is None
    login(page, base, "cand0", world.password)
    page.goto(f"{base}/admissions/preferences/")
    page.click("[data-testid=supp-mine-link]")
    assert "未被录取" in page.inner_text("[data-testid=first-round]")
    options = page.eval_on_selector_all("[data-testid=s4-1] option", "els => els.map(e => e.value)")
    assert "VA1-ZY01" in options or "VA1-ZY02" in options
    choice = "VA1-ZY01" if "VA1-ZY01" in options else "VA1-ZY02"
    page.select_option("[data-testid=s4-1]", choice)
    page.click("[data-testid=save-supp]")
    page.wait_for_selector(".messages")
    assert list(SupplementaryChoice.objects.filter(candidate=me).values_list("program__code", flat=True)) == [choice]
    _logout(page, base)

    login(page, base, "city", world.password)
    page.goto(f"{base}/admissions/supplementary/")
    _confirm_click(page, "close-supp")
    page.wait_for_selector("[data-testid=run-supp]")
    _confirm_click(page, "run-supp")
    page.wait_for_selector("[data-testid=job-summary]")
    run2 = AdmissionRun.objects.get(round=2)
    assert run2.status == "done"
    page.goto(f"{base}/admissions/supplementary/")
    _confirm_click(page, "approve-supp")
    page.wait_for_selector("[data-testid=supp-status]")
    assert page.inner_text("[data-testid=supp-status]") == "补录结果已公布"
    _logout(page, base)

    login(page, base, "cand0", world.password)
    page.goto(f"{base}/admissions/supplementary/mine/")
    final = page.inner_text("[data-testid=final-result]")
    assert "a县职教中心" in final and "补录" in final
    a2 = Admission.objects.get(run=run2, candidate=me)
    assert a2.round == 2 and a2.program.code == choice
    assert not page.console_errors
