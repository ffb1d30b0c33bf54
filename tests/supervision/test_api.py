"""The JSON API: per-user tokens carry the user's scope (a county token never sees another county), can be
revoked, every call is logged, and the OpenAPI schema is served."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from gaozhong.core.models import AuditEvent
from gaozhong.supervision.models import ApiCall, DataElement, Submission, SubmissionValue, Task
from gaozhong.supervision.services.tokens import token_issue, token_revoke

pytestmark = pytest.mark.django_db

API = "/supervision/api"


def _get(path, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().get(API + path, params, **headers)


@pytest.fixture
def data(world, catalog):
    """Approved figures and a task in each county."""
    el = DataElement.objects.get(code="staff_posts")
    for p in (world.a, world.b):
        s = Submission.objects.create(level="school", school=p.school, county=p.county, school_year=world.year, status="approved")
        SubmissionValue.objects.create(submission=s, element=el, value=Decimal("42"))
        Task.objects.create(kind="project", title=f"{p.county.name}任务", county=p.county, responsible_unit="局", responsible_person="王",
                            due_date=dt.date(2020, 1, 1))
    return world


def test_a_county_token_sees_only_its_county(data):
    _, raw = token_issue(actor=data.a.county_user, name="省级平台")
    schools = _get("/schools", raw).json()
    assert [s["code"] for s in schools] == ["GA1"]
    values = _get("/values", raw, year=2025).json()
    assert {v["unit_code"] for v in values} == {"GA1"} and values[0]["element"] == "staff_posts" and Decimal(values[0]["value"]) == 42
    tasks = _get("/tasks", raw, overdue=True).json()
    assert [t["title"] for t in tasks] == ["a县任务"] and tasks[0]["overdue"] is True
    units = {(r["unit_level"], r["unit_code"]) for r in _get("/indicator-values", raw, year=2025).json()}
    assert units == {("county", "149901"), ("school", "GA1")}
    # The city's token sees both counties; a school's token only its school.
    _, city = token_issue(actor=data.city_user, name="市平台")
    assert {s["code"] for s in _get("/schools", city).json()} == {"GA1", "GB1"}
    assert {v["unit_code"] for v in _get("/values", city).json()} == {"GA1", "GB1"}
    _, school = token_issue(actor=data.b.school_user, name="校平台")
    assert [t["title"] for t in _get("/tasks", school).json()] == []  # the task is the county's, not the school's


def test_the_catalog_is_served_with_every_version(data):
    _, raw = token_issue(actor=data.a.school_user, name="x")
    cat = _get("/indicators", raw).json()
    ss = next(i for i in cat if i["code"] == "SS-01")
    assert ss["numerator"] == "students_enrolled" and ss["denominator"] == "teachers_fulltime" and Decimal(ss["target"]) == Decimal("12.5")
    assert ss["source_clause"] == "002 §三(三)" and len(cat) == 44


def test_tokens_are_needed_revocable_and_every_call_is_logged(data):
    tok, raw = token_issue(actor=data.a.county_user, name="省级平台")
    assert _get("/schools").status_code == 401
    assert _get("/schools", "gz_wrong").status_code == 401
    assert _get("/schools", raw).status_code == 200
    n = AuditEvent.objects.count()
    token_revoke(actor=data.a.county_user, token=tok)
    assert AuditEvent.objects.count() == n + 1
    assert _get("/schools", raw).status_code == 401
    calls = list(ApiCall.objects.order_by("id").values_list("status", "token_id", "path"))
    assert calls == [(401, None, f"{API}/schools"), (401, None, f"{API}/schools"), (200, tok.pk, f"{API}/schools"), (401, None, f"{API}/schools")]
    assert ApiCall.objects.get(status=200).rows == 1 and ApiCall.objects.get(status=200).user == data.a.county_user


def test_only_the_owner_or_the_city_revokes_and_teachers_get_no_token(data):
    tok, _ = token_issue(actor=data.a.county_user, name="x")
    n = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        token_revoke(actor=data.b.county_user, token=tok)
    with pytest.raises(PermissionDenied):
        token_issue(actor=data.a.teacher_user, name="x")
    assert AuditEvent.objects.count() == n
    token_revoke(actor=data.city_user, token=tok)
    tok.refresh_from_db()
    assert tok.revoked_at is not None


def test_openapi_schema_is_served(data):
    r = Client().get(f"{API}/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert {"/supervision/api/schools", "/supervision/api/indicators", "/supervision/api/values", "/supervision/api/tasks"} <= set(spec["paths"])
    assert "BearerAuth" in str(spec["components"]) or "HttpBearer" in str(spec["components"]) or "TokenAuth" in str(spec["components"])


def test_token_page_shows_the_new_token_once(data):
    c = Client()
    c.force_login(data.a.county_user)
    body = c.post("/supervision/tokens/", {"name": "省级平台对接"}).content.decode()
    token = body.split('data-testid="new-token">')[1].split("<")[0]
    assert token.startswith("gz_") and _get("/schools", token).status_code == 200
    body = c.get("/supervision/tokens/").content.decode()
    assert token not in body and "省级平台对接" in body and "/supervision/api/schools" in body


@pytest.mark.parametrize("path,params", [
    ("/values", {"offset": -1}), ("/values", {"limit": 0}), ("/schools", {"offset": -1}),
    ("/tasks", {"limit": 5001}), ("/schools", {"offset": "x"}),
])
def test_paging_out_of_range_is_a_400_with_the_reason_not_a_500(data, path, params):
    _, raw = token_issue(actor=data.city_user, name="市平台")
    r = _get(path, raw, **params)
    assert r.status_code == 400 and r.json()["errors"]


def test_paging_walks_the_rows_without_gaps(data):
    _, raw = token_issue(actor=data.city_user, name="市平台")
    first, second = _get("/schools", raw, limit=1).json(), _get("/schools", raw, limit=1, offset=1).json()
    assert len(first) == len(second) == 1 and {first[0]["code"], second[0]["code"]} == {"GA1", "GB1"}
