"""Browser tests drive Debian's Chromium through Playwright (the ``browser`` and ``page`` fixtures live in
tests/conftest.py so every domain's browser tests share one browser per test process); ``login`` signs in."""

from __future__ import annotations


def login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
