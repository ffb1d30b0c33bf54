"""In a real browser, at desktop size and on a 390×844 phone: every role signs in to its own 首页 (its 待办 and
figures, no horizontal scrolling), and every entry of its menu opens with 200; a failed job shows a red bar at the
value it reached, and a running job's page follows it to its failure; a missing page is the site's Chinese 404
with a way back. Screenshots go to
$GAOZHONG_SCREENSHOTS (default /tmp/gaozhong-homes) for a person to look at."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image  # Pillow comes with WeasyPrint

from gaozhong.core.models import Job
from gaozhong.core.services.jobs import JobReporter

from ..browser.conftest import login
from ..browser.layout import open_menu, sign_out
from .test_homes import candidate, open_year  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
USERS = {"city": "city", "county": "county_a", "school": "school_a", "teacher": "teacher_a", "student": "student_a", "candidate": "cand_a"}
SHOTS = Path(os.environ.get("GAOZHONG_SCREENSHOTS", "/tmp/gaozhong-homes"))


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_role_home_and_menu_in_the_browser(world, candidate, open_year, live_server, page, size):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    w, h = SIZES[size]
    page.set_viewport_size({"width": w, "height": h})
    base = live_server.url
    for role, username in USERS.items():
        login(page, base, username, world.password)
        todos = page.wait_for_selector("[data-testid=home-todos]")
        assert todos.is_visible()
        assert todos.get_attribute("data-kind") == {"city": "bureau", "county": "bureau"}.get(role, role)
        assert _no_horizontal_scroll(page), f"{role} home scrolls sideways at {size}"
        page.screenshot(path=str(SHOTS / f"home-{role}-{size}.png"), full_page=True)
        links = page.eval_on_selector_all("nav.main-nav a", "els => els.map(e => [e.textContent.trim(), e.getAttribute('href')])")
        assert links and links[0][0] == "首页"
        for label, href in links:
            resp = page.goto(base + href)
            assert resp is not None and resp.status == 200, f"{role} menu {label} {href} -> {resp and resp.status}"
            assert "Not Found" not in page.inner_text("main")
        assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors
        page.goto(base + "/")
        sign_out(page)  # on a phone, from the folded menu


def test_failed_job_is_red_at_its_value_and_a_missing_page_leads_back(world, live_server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    job = Job.objects.create(kind="x", title="排课", created_by=world.a.county_user, county=world.a.county, status=Job.Status.FAILED,
                             progress=40, phase="求解教学班", result={"error": "教室不够"})
    base = live_server.url
    login(page, base, "county_a", world.password)
    for size, (w, h) in SIZES.items():
        page.set_viewport_size({"width": w, "height": h})
        page.goto(f"{base}/jobs/{job.pk}/")
        assert page.inner_text("[data-testid=job-status]") == "失败"
        assert page.inner_text("[data-testid=job-progress-text]") == "40% · 失败"
        bar = page.locator("[data-testid=job-progress]")
        assert bar.get_attribute("value") == "40"
        png = Image.open(io.BytesIO(bar.screenshot()))
        filled = png.convert("RGB").getpixel((png.width // 5, png.height // 2))  # inside the first 40 %
        empty = png.convert("RGB").getpixel((png.width * 4 // 5, png.height // 2))
        assert filled == (179, 38, 30), filled  # --bad: red, at the value reached
        assert empty != filled
        assert _no_horizontal_scroll(page)
        page.screenshot(path=str(SHOTS / f"job-failed-{size}.png"), full_page=True)

    # a running job's page follows it: phase and time while it runs, then the failure, without a manual reload
    running = Job.objects.create(kind="x", title="导入", created_by=world.a.county_user, county=world.a.county)
    rep = JobReporter(running.pk)
    rep.start("读取文件")
    rep.progress(30, "检查数据")
    page.goto(f"{base}/jobs/{running.pk}/")
    assert page.inner_text("[data-testid=job-phase]") == "阶段：检查数据" and page.is_visible("[data-testid=job-elapsed]")
    rep.finish(Job.Status.FAILED, {"error": "文件损坏"})
    page.wait_for_selector("[data-testid=job-error]", timeout=15000)
    assert page.inner_text("[data-testid=job-status]") == "失败" and page.inner_text("[data-testid=job-progress-text]") == "30% · 失败"
    assert "停在：检查数据" in page.inner_text("[data-testid=job-line]")

    page.goto(f"{base}/")
    resp = page.goto(f"{base}/no-such-page/")
    assert resp.status == 404
    assert "页面不存在" in page.inner_text("main")
    open_menu(page)  # the viewport is a phone's here: the menu is behind 菜单
    assert page.locator("nav.main-nav").is_visible()
    page.screenshot(path=str(SHOTS / "error-404-phone.png"), full_page=True)
    page.click("[data-testid=way-back] >> text=返回上一页")
    page.wait_for_url(f"{base}/")
