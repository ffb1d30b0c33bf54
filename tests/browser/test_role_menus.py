"""Every role's menu walked in Chromium, at desktop size and on a 390×844 phone: each menu entry opens without
a 4xx/5xx, inside the site's frame, in Chinese; on a phone the pages of students, teachers and candidates do not
scroll sideways (staff pages may let a wide table scroll inside its own box, never the page). Screenshots of every
page go to ``$GAOZHONG_SCREENSHOTS`` when it is set, for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import login
from tests.test_chinese_only import small_city  # noqa: F401  (the fixture)

ROLES = ["city", "county_a", "school_a", "teacher_a", "student_a", "cand0"]
#: roles whose pages must fit a phone's width without any sideways scrolling
PHONE_ROLES = {"teacher_a", "student_a", "cand0"}
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}

MENU_LINKS = """() => Array.from(document.querySelectorAll('nav.main-nav a[href]'))
    .map(a => a.getAttribute('href'))
    .filter(h => h.startsWith('/') && !h.startsWith('/accounts/logout'))"""
WIDTH = """() => ({page: document.scrollingElement.scrollWidth, view: window.innerWidth,
    wide: Array.from(document.querySelectorAll('body *')).filter(e => {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.right <= window.innerWidth + 1) return false;
        for (let p = e.parentElement; p; p = p.parentElement) {
            const o = getComputedStyle(p).overflowX;
            if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
        }
        return true;
    }).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right))})"""


def _shots() -> Path | None:
    d = os.environ.get("GAOZHONG_SCREENSHOTS")
    if not d:
        return None
    p = Path(d)
    p.mkdir(parents=True, exist_ok=True)
    return p


@pytest.mark.parametrize("size", list(SIZES))
def test_every_role_walks_its_menu(small_city, live_server, browser, size):  # noqa: F811
    from django.contrib.auth.models import User

    w = small_city
    # the candidate account has no password of its own in the fixture: give it the world's (already hashed)
    User.objects.filter(username="cand0").update(password=User.objects.get(username="city").password)
    base = live_server.url
    width, height = SIZES[size]
    shots = _shots()
    failures: list[str] = []
    opened = 0
    for username in ROLES:
        ctx = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        page = ctx.new_page()
        try:
            login(page, base, username, w.password)
            links = list(dict.fromkeys(page.evaluate(MENU_LINKS)))
            assert links, f"{username}: the menu is empty"
            for href in links:
                resp = page.goto(base + href)
                opened += 1
                status = resp.status if resp else 0
                if status >= 400:
                    failures.append(f"{username} {size}: {href}: status {status}")
                    continue
                if not page.query_selector("nav.main-nav"):
                    failures.append(f"{username} {size}: {href}: not inside the site's frame")
                if page.evaluate("document.documentElement.lang") not in ("zh-hans", "zh-Hans", "zh-cn", "zh-CN"):
                    failures.append(f"{username} {size}: {href}: page language {page.evaluate('document.documentElement.lang')}")
                if size == "phone" and username in PHONE_ROLES:
                    m = page.evaluate(WIDTH)
                    if m["page"] > m["view"] or m["wide"]:
                        failures.append(f"{username} phone: {href}: page {m['page']} px wide in a {m['view']} px screen; {m['wide']}")
                if shots is not None:
                    name = f"{size}-{username}-{urlsplit(href).path.strip('/').replace('/', '_') or 'home'}.png"
                    page.screenshot(path=str(shots / name), full_page=True)
            # an address that does not exist: the site's own 404 page, in Chinese, with a way back
            resp = page.goto(base + "/no-such-page/")
            assert resp.status == 404
            assert page.query_selector("nav.main-nav") and "首页" in page.inner_text("body"), f"{username}: bare 404 page"
        finally:
            ctx.close()
    assert opened >= 3 * len(ROLES), f"only {opened} menu pages opened"
    assert not failures, "\n".join(failures)
