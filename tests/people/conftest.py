"""The people tests use the foundation's browser fixtures (Debian Chromium through Playwright) for their browser
test; they are defined in tests/browser/conftest.py and made available here."""

from tests.browser.conftest import browser, page  # noqa: F401
