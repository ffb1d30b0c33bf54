"""The public result lookup's protection: failed tries per 准考证号 and per address, counted atomically in the
cache (simultaneous lookups cannot exceed a limit), the address taken from the trusted proxy header only, a
generous per-address limit (a school office looks up its students), and the same work for a missing number as
for an existing one."""

from __future__ import annotations

import re
import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gaozhong.admissions.selectors import lookup_query

from ..core.test_limits import redis_cache
from .test_publication import publish

PROXY = {"TRUSTED_PROXY_HEADER": "X-Forwarded-For", "TRUSTED_PROXY_COUNT": 1, "TRUSTED_PROXIES": ["127.0.0.1"]}


def _wrong(tail: str) -> str:
    return "000000" if tail != "000000" else "111111"


def _post(c: Client, exam_no: str, tail: str, address: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": address} if address else {}
    return c.post(reverse("admissions_lookup"), {"exam_no": exam_no, "id_tail": tail}, **extra)


@pytest.mark.django_db
@override_settings(**PROXY)
def test_many_addresses_on_one_number_are_stopped_after_n_failed_tries(world):
    year, run, cands = publish(world)
    target, other = cands[0], cands[1]
    c = Client()
    limit = settings.LOOKUP_NUMBER_FAILURES
    for i in range(limit):
        r = _post(c, target.exam_no, f"{i:06d}" if f"{i:06d}" != target.id_number[-6:] else "X00000", address=f"198.51.100.{i + 1}")
        assert r.status_code == 200 and "不正确" in r.content.decode()
    # from a new address, even the right answer: the number is blocked (guessing cannot go on until it hits)
    r = _post(c, target.exam_no, target.id_number[-6:], address="203.0.113.50")
    assert r.status_code == 429 and "该准考证号查询错误次数过多" in r.content.decode() and target.name not in r.content.decode()
    # another number from those same addresses still answers
    r = _post(c, other.exam_no, other.id_number[-6:], address="198.51.100.1")
    assert r.status_code == 200 and other.name in r.content.decode()


@pytest.mark.django_db
@override_settings(LOOKUP_ADDRESS_FAILURES=10)
def test_one_address_is_stopped_after_its_failed_tries_and_forwarded_headers_do_not_help_without_the_setting(world):
    year, run, cands = publish(world)
    c = Client()
    for i, cand in enumerate(cands[:10]):
        # without GAOZHONG_TRUSTED_PROXY_HEADER a client-written X-Forwarded-For is ignored: one address for all
        assert _post(c, cand.exam_no, _wrong(cand.id_number[-6:]), address=f"198.51.100.{i + 1}").status_code == 200
    r = _post(c, cands[10].exam_no, cands[10].id_number[-6:], address="198.51.100.99")
    assert r.status_code == 429 and "查询过于频繁" in r.content.decode()


@pytest.mark.django_db
def test_a_school_office_looks_up_60_students_from_one_address(world):
    """One address, 60 different students, some typed wrong first: every one is answered (only failed tries
    count against the address, and its limit is generous)."""
    year, run, cands = publish(world, n_per_junior=35)
    c = Client(REMOTE_ADDR="198.51.100.10")
    assert len(cands) >= 60
    for i, cand in enumerate(cands[:60]):
        if i % 12 == 0:  # a typo, then the right tail
            assert _post(c, cand.exam_no, _wrong(cand.id_number[-6:])).status_code == 200
        r = _post(c, cand.exam_no, cand.id_number[-6:])
        assert r.status_code == 200 and cand.name in r.content.decode(), i


@pytest.mark.django_db
def test_a_missing_number_costs_the_same_as_an_existing_one(world, django_assert_num_queries):
    year, run, cands = publish(world)
    c = Client()
    cand = cands[0]
    tail = cand.id_number[-6:]
    c.get(reverse("admissions_lookup"))
    cases = {"right": (cand.exam_no, tail), "wrong tail": (cand.exam_no, _wrong(tail)), "missing": ("2699999999", tail)}
    counts = {}
    for name, (exam_no, t) in cases.items():
        with CaptureQueriesContext(connection) as q:
            r = _post(c, exam_no, t)
        assert r.status_code == 200
        counts[name] = [re.sub(r"'[^']*'|\b\d+\b", "?", x["sql"]) for x in q.captured_queries]
    assert counts["right"] == counts["wrong tail"] == counts["missing"]  # same queries, same shape
    with django_assert_num_queries(1):
        _post(c, "2699999998", tail)
    # and the answers are read through the unique index on (publication, 准考证号), never scanned
    if connection.vendor == "sqlite":
        sql, params = lookup_query("2699999999")
        with connection.cursor() as cur:
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = "\n".join(str(row[-1]) for row in cur.fetchall())
        answers = [line for line in plan.splitlines() if " a " in f"{line} "]  # the joined answer table
        assert answers and all("SEARCH" in line and "(publication_id=? AND exam_no=?)" in line for line in answers), plan


# -- simultaneous lookups: threads through the whole request handling, with the real cache ------------------------

def _simultaneous(n: int, make_form, address_of=lambda i: None) -> list[int]:
    """``n`` lookups released at the same moment, each in its own thread with its own client and connection."""
    barrier = threading.Barrier(n)
    statuses: list[int] = []

    def one(i: int) -> None:
        c = Client()
        try:
            form = make_form(i)
            barrier.wait()
            statuses.append(_post(c, form["exam_no"], form["id_tail"], address=address_of(i)).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


@pytest.fixture(params=["locmem", "redis"])
def real_cache(request):
    """The in-process cache, and the shared Redis production uses (skipped when none answers)."""
    if request.param == "locmem":
        yield
        return
    with redis_cache():
        yield


@pytest.mark.django_db(transaction=True)
@override_settings(LOOKUP_ADDRESS_FAILURES=10)
def test_simultaneous_lookups_from_one_address_get_at_most_the_limit(world, real_cache):
    """40 wrong lookups at once from one address, against a limit of 10: 10 are answered, 30 refused."""
    year, run, cands = publish(world)
    statuses = _simultaneous(40, lambda i: {"exam_no": cands[i].exam_no, "id_tail": _wrong(cands[i].id_number[-6:])})
    assert len(statuses) == 40 and statuses.count(200) == 10 and statuses.count(429) == 30


@pytest.mark.django_db(transaction=True)
@override_settings(**PROXY, LOOKUP_NUMBER_FAILURES=5)
def test_simultaneous_lookups_on_one_number_from_many_addresses_get_at_most_the_limit(world, real_cache):
    year, run, cands = publish(world)
    target = cands[0]
    statuses = _simultaneous(30, lambda i: {"exam_no": target.exam_no, "id_tail": f"X{i:05d}"}, address_of=lambda i: f"198.51.100.{i + 1}")
    assert len(statuses) == 30 and statuses.count(200) == 5 and statuses.count(429) == 25
