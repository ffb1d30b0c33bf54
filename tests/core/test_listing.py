"""Lists staff can work (gaozhong.core.listing), on the 学校 list: sort by any column both ways, search, filters
chosen by label, page numbers with 共 N 条, and an export of exactly the filtered, sorted rows, all of them,
audited; bad parameters fall back instead of failing."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, School

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_schools(world):
    county = world.a.county
    School.objects.bulk_create([School(county=county, code=f"X{i:03d}", name=f"测试{'甲乙丙'[i % 3]}校{i:03d}", level="senior",
                                       ownership="private" if i % 4 == 0 else "public") for i in range(120)])
    return world


def _client(world) -> Client:
    c = Client()
    c.force_login(world.city_user)
    return c


def _codes(html: str) -> list[str]:
    body = html.split('data-testid="school-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><td>([A-Z]+\d+)</td>", body)


def test_sorting_by_a_column_both_ways_and_a_bad_sort_falls_back(many_schools):
    c = _client(many_schools)
    asc = _codes(c.get(reverse("school_list"), {"sort": "name"}).content.decode())
    names = dict(School.objects.values_list("code", "name"))
    assert [names[x] for x in asc] == sorted(names[x] for x in asc) and len(asc) == 50
    desc = _codes(c.get(reverse("school_list"), {"sort": "-code"}).content.decode())
    assert desc == sorted(School.objects.values_list("code", flat=True), reverse=True)[:50]
    r = c.get(reverse("school_list"), {"sort": "password"})
    assert r.status_code == 200 and _codes(r.content.decode()) == sorted(School.objects.values_list("code", flat=True))[:50]


def test_search_filters_and_page_links(many_schools):
    c = _client(many_schools)
    page = c.get(reverse("school_list"), {"q": "乙校"}).content.decode()
    assert "共 40 条" in page and all(int(x[1:]) % 3 == 1 for x in _codes(page))
    page = c.get(reverse("school_list"), {"ownership": "private", "county": many_schools.a.county.code}).content.decode()
    assert "共 30 条" in page
    # the filter is a select of labels, not a code to type
    assert re.search(r'<option value="private" selected>民办</option>', page)
    full = c.get(reverse("school_list"), {"page": "2"}).content.decode()
    total = School.objects.count()
    assert f"共 {total} 条" in full and 'aria-current="page">2<' in full and "?page=3" in full and 'name="page"' in full
    assert c.get(reverse("school_list"), {"page": "999"}).status_code == 200


def test_export_is_exactly_the_filtered_sorted_rows_all_of_them_and_audited(many_schools):
    c = _client(many_schools)
    before = AuditEvent.objects.filter(action="core.list.exported").count()
    r = c.get(reverse("school_list"), {"ownership": "public", "sort": "-code", "export": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("学校代码", "学校名称")
    expected = list(School.objects.filter(ownership="public").order_by("-code").values_list("code", flat=True))
    assert [row[0] for row in rows[1:]] == expected and len(expected) > 50  # more than one page
    event = AuditEvent.objects.filter(action="core.list.exported").latest("id")
    assert AuditEvent.objects.filter(action="core.list.exported").count() == before + 1
    assert event.after["rows"] == len(expected) and event.after["filters"] == {"ownership": "public"}


def test_a_county_user_lists_and_exports_only_its_county(many_schools):
    c = Client()
    c.force_login(many_schools.b.county_user)
    r = c.get(reverse("school_list"), {"export": "xlsx"})
    codes = [row[0] for row in list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))[1:]]
    assert codes and set(codes) == set(School.objects.filter(county=many_schools.b.county).values_list("code", flat=True))
    # a filter option of another county is not offered, and asking for it does not widen the list
    page = c.get(reverse("school_list"), {"county": many_schools.a.county.code}).content.decode()
    assert f'value="{many_schools.a.county.code}"' not in page and "X001" not in page


def test_every_audit_action_code_in_the_code_has_a_chinese_name():
    """Each literal action code written anywhere (``action="…"`` in gaozhong/) is named, and so are the
    imports' and exports' codes built from their kinds."""
    from pathlib import Path

    from gaozhong.core.actionnames import action_name, named_codes

    root = Path(__file__).resolve().parents[2] / "gaozhong"
    codes = set()
    for path in root.rglob("*.py"):
        codes |= set(re.findall(r'action="([a-z_]+\.[a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) > 50
    unnamed = sorted(c for c in codes if c not in named_codes())
    assert not unnamed, unnamed
    assert action_name("registry.check.run") == "运行学籍异常检查"
    for prefix in ("core.students.imported", "registry.attendance.imported", "electives.choices.imported", "people.training.imported"):
        assert prefix in named_codes()


def test_the_audit_log_shows_names_and_readable_changes_and_exports(world):
    from gaozhong.core.services.records import school_update

    school_update(actor=world.city_user, school=world.a.school, data={"name": "新名字中学"})
    c = _client(world)
    page = c.get(reverse("audit_list"), {"q": "新名字"}).content.decode()
    table = page.split('data-testid="audit-table"', 1)[1].split("</table>", 1)[0]
    assert "修改学校信息" in table and "core.school.updated" not in table and "学校名称：新名字中学" in table
    r = c.get(reverse("audit_list"), {"action": "core.school.updated", "export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][2] == "操作" and [row[2] for row in rows[1:]] == ["修改学校信息"]
