"""Every electives test starts in the site's language: a request made in English (the language cookie) leaves
English active in the test's thread, and slot labels computed by a later test would follow it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _site_language():
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
