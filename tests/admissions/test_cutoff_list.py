"""The public 录取分数线 as a list a phone can work: the server searches (学校 or 初中 by name), filters (县(区),
批次), sorts and pages the publication's rows, so a page carries at most one page of programs however many the city
has; each published row knows its school and county; a publication written before rows carried them still shows;
and a page already rendered costs one indexed read."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gaozhong.admissions.models import Program, PublishedResult
from gaozhong.admissions.views.cutofflist import PAGE_SIZE

from .test_publication import publish

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-testid="cutoff-row">(.*?)</tr>', re.S)


def _rows(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "|", r) for r in ROW.findall(html)]


def _get(c: Client, **params) -> str:
    r = c.get(reverse("admissions_cutoffs"), params)
    assert r.status_code == 200
    return r.content.decode()


def test_published_rows_carry_school_and_county(world):
    year, run, _ = publish(world)
    pub = PublishedResult.objects.get()
    programs = {p.code: p for p in Program.objects.filter(year=year).select_related("school__county")}
    assert {r["code"] for r in pub.cutoffs} == set(programs)
    for r in pub.cutoffs:
        p = programs[r["code"]]
        assert (r["school"], r["county"], r["county_code"], r["kind"]) == (p.school.name, p.school.county.name, p.school.county.code, p.kind)
        assert f"{r['school']} {r['detail']}" == r["program"] == str(p)


def test_search_filters_and_sort_are_done_on_the_server(world):
    year, run, _ = publish(world)
    c = Client()
    everything = _rows(_get(c))
    assert len(everything) == Program.objects.filter(year=year).count() == 4
    # a junior school by part of its name: its 指标到校 program only
    found = _rows(_get(c, q="a县初"))
    assert len(found) == 1 and "指标到校（a县初中）" in found[0]
    assert _rows(_get(c, q="不存在的学校")) == [] and "没有符合条件的招生专业" in _get(c, q="不存在的学校")
    # one county: that county's school only; a county code nobody has is ignored (the whole list)
    b = _rows(_get(c, county=world.b.county.code))
    assert len(b) == Program.objects.filter(year=year, school=world.b.school).count() and all("b县一中" in r for r in b)
    assert len(_rows(_get(c, county="999999"))) == 4
    # one batch, and the batch filter names the kind of program in it
    page = _get(c, batch="2")
    assert all("指标到校" in r for r in _rows(page)) and len(_rows(page)) == 2
    assert "第 2 批（指标到校）" in page and "第 3 批（统招）" in page
    # sorted by the cutoff score, highest first
    pub = PublishedResult.objects.get()
    scores = sorted((float(r["cutoff_score"]) for r in pub.cutoffs if r["cutoff_score"]), reverse=True)
    shown = [float(re.search(r'class="num score"[^>]*>([\d.]+)<', r).group(1)) for r in ROW.findall(_get(c, sort="-cutoff"))]
    assert shown == scores
    # sorted by school, programs come under their school's heading (a phone's cards); otherwise no headings
    assert _get(c).count('class="school-group"') == 2 and _get(c, sort="-cutoff").count('class="school-group"') == 0


def test_a_page_holds_one_page_of_programs_however_many_there_are(world):
    """A city with a thousand programs: the phone gets PAGE_SIZE of them and page links, never the whole table."""
    publish(world)
    pub = PublishedResult.objects.get()
    base = pub.cutoffs
    pub.cutoffs = [{**base[i % len(base)], "code": f"X{i:04d}", "school_code": f"S{i // 25:03d}", "school": f"第{i // 25}号中学"}
                   for i in range(1000)]
    pub.version = uuid.uuid4().hex
    pub.save()
    c = Client()
    first = _get(c)
    assert len(_rows(first)) == PAGE_SIZE and "共 1000 条" in first and "第0号中学" in first and "第39号中学" not in first
    last = _get(c, page=1000 // PAGE_SIZE)
    assert len(_rows(last)) == PAGE_SIZE and "第39号中学" in last
    assert len(_get(c)) < 80_000  # one page, not the city


def test_a_publication_written_before_rows_knew_their_school(world):
    publish(world)
    pub = PublishedResult.objects.get()
    keep = ("program", "batch", "capacity", "admitted", "cutoff_score", "last_choice_rank", "last_tiebreak")
    pub.cutoffs = [{k: r[k] for k in keep} for r in pub.cutoffs]
    pub.version = uuid.uuid4().hex
    pub.save()
    c = Client()
    page = _get(c)
    assert len(_rows(page)) == 4 and 'data-testid="cutoff-county"' not in page  # no county to filter by
    assert "a县一中" in page and "b县一中" in page
    assert len(_rows(_get(c, q="b县一中"))) == 2


def test_each_page_costs_one_read_once_rendered(world):
    publish(world)
    c = Client()
    for params in ({}, {"county": world.a.county.code, "sort": "-cutoff"}, {"q": "一中", "page": "1"}):
        first = _get(c, **params)
        with CaptureQueriesContext(connection) as q:
            again = _get(c, **params)
        assert _rows(again) == _rows(first) != [] and len(q.captured_queries) == 1, params
