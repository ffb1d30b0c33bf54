"""In a real browser: the city admin runs value-added for a cohort, sees the caterpillar plot drawn, opens a
school's profile with its indicators, and downloads the effects as Excel."""

from __future__ import annotations

import io

import openpyxl
import pytest

from ..evaluation.test_pages import cohort  # noqa: F401  (fixture)
from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_value_added_in_the_browser(world, cohort, live_server, page):  # noqa: F811
    base = live_server.url
    login(page, base, "city", world.password)
    page.goto(f"{base}/evaluation/")
    page.select_option("select[name=entry_year]", "2022")
    page.click("main form[action$='/runs/new/'] button[type=submit]")
    page.wait_for_selector("[data-testid=caterpillar][data-rendered='1']", timeout=15000)
    assert page.locator("[data-testid=caterpillar] svg").count() == 1
    table = page.inner_text("[data-testid=effects-table]")
    assert "GA1" in table and "GB1" in table and "95%" not in page.title()
    with page.expect_download() as dl:
        page.click("text=导出 Excel")
    ws = openpyxl.load_workbook(io.BytesIO(open(dl.value.path(), "rb").read())).worksheets[0]
    assert [c.value for c in ws[1]][:3] == ["届别", "学校代码", "学校名称"] and ws.max_row == 4
    page.click(f"[data-testid=effects-table] >> text={world.b.school.name}")
    page.wait_for_selector("[data-testid=profile]")
    profile = page.inner_text("[data-testid=profile]")
    for name in ("增值评价", "班额达标", "师生比", "定义", "来源"):
        assert name in profile
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
