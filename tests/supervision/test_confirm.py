"""Approving reported figures and revoking an API token ask first: the page names the consequence, and a POST
without the ticked confirmation changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gaozhong.supervision.models import ApiToken, Submission
from gaozhong.supervision.services.tokens import token_issue

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_approving_a_report_needs_the_confirmation(world, catalog):
    sub = Submission.objects.create(level="county", county=world.a.county, school_year=world.year, status="submitted")
    c = _client(world.city_user)
    page = c.get(reverse("sup_submission", kwargs={"pk": sub.pk})).content.decode()
    assert "批准后，a县这份填报的 0 项数据即生效" in page and 'data-testid="confirm-box-do-approve"' in page
    c.post(reverse("sup_submission_approve", kwargs={"pk": sub.pk}))
    sub.refresh_from_db()
    assert sub.status == "submitted"
    c.post(reverse("sup_submission_approve", kwargs={"pk": sub.pk}), {"confirm": "yes"})
    sub.refresh_from_db()
    assert sub.status == "approved"


def test_revoking_a_token_needs_the_confirmation(world, catalog):
    tok, _ = token_issue(actor=world.a.county_user, name="省级平台")
    c = _client(world.a.county_user)
    page = c.get(reverse("sup_tokens")).content.decode()
    assert "使用令牌「省级平台」的系统立即无法访问数据接口" in page
    c.post(reverse("sup_token_revoke", kwargs={"pk": tok.pk}))
    assert ApiToken.objects.get(pk=tok.pk).revoked_at is None
    c.post(reverse("sup_token_revoke", kwargs={"pk": tok.pk}), {"confirm": "yes"})
    assert ApiToken.objects.get(pk=tok.pk).revoked_at is not None
