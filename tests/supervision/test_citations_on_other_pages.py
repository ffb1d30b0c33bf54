"""Pages outside supervision cite their rules the way a clerk reads them: the document's short title and clause,
with the full title on hover, never a bare code like "003 §三(二)3"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["evaluation_method", "registry_worklist"])
def test_pages_cite_documents_by_short_title(world, catalog, url_name):
    c = Client()
    c.force_login(world.city_user)
    page = c.get(reverse(url_name)).content.decode()
    assert 'class="cite' in page and "§" not in page
