"""In a real browser: a school's 教务 puts a teacher with an open 师德 record forward for a title and is refused
with the reason and the record; a colleague without one is put forward."""

from __future__ import annotations

import pytest

from gaozhong.core.models import AuditEvent
from gaozhong.people.models import Nomination

from ..browser.conftest import login
from .factories import ethics, teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_veto_refuses_a_title_nomination_in_the_browser(world, live_server, page):
    base = live_server.url
    rec = ethics(world.a.teacher)
    clean = teacher(world.a, name="王清白")
    login(page, base, "school_a", world.password)

    page.click("nav >> text=教师队伍")
    page.fill("input[name=q]", world.a.teacher.name)
    page.click("main button[type=submit]")
    page.click(f"[data-testid=teacher-results] >> text={world.a.teacher.name}")
    page.click("[data-testid=nominate]")
    page.select_option("select[name=kind]", label="职称评聘")
    page.select_option("select[name=target_title]", label="一级教师")
    page.fill("input[name=note]", "教学业绩突出")
    page.click("main button[type=submit]")

    refusal = page.wait_for_selector("[data-testid=refusal]")
    text = refusal.inner_text()
    assert "师德一票否决" in text and "不得职称评聘" in text and rec.number in text and "有偿补课" in text and "调查处理中" in text
    assert not Nomination.objects.exists()
    assert AuditEvent.objects.filter(action="people.ethics.viewed", object_id=str(rec.pk)).count() == 1
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors

    page.goto(f"{base}/people/teachers/{clean.pk}/nominate/")
    page.select_option("select[name=kind]", label="职称评聘")
    page.select_option("select[name=target_title]", label="一级教师")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/people/teachers/{clean.pk}/")
    assert "已推荐" in page.inner_text("main")
    assert Nomination.objects.get().teacher == clean
