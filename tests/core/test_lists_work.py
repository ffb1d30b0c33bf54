"""Every list staff work with (gaozhong.core.listing), checked the same way on more rows than a page holds: the
page says 共 N 条 with N the rows the user may see, walking every page gives all N rows (no list stops at a
cap), sorting by a column orders the rows both ways, the search and a filter narrow the rows, and the export
(read back with openpyxl) holds exactly the filtered rows, all of them, not only the page.

Each case makes its rows and names: the page, the user, the table, a column that tells rows apart (by its
header, the same on the page and in the export), a sortable column with the export header whose values must be
in order, one search with the rows it must find, and one filter with the rows it must keep."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gaozhong.core.listing import PAGE_SIZE
from gaozhong.core.models import Candidate, Student

pytestmark = pytest.mark.django_db


# -- reading a list page and its export -------------------------------------------------------------------------------

class _Table(HTMLParser):
    """The header labels and body rows (cell texts) of the table with ``data-testid``."""

    def __init__(self, testid: str):
        super().__init__(convert_charrefs=True)
        self.testid, self.depth, self.inside = testid, 0, False
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("data-testid") == self.testid:
            self.inside = True
        if not self.inside:
            return
        if tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell).replace("▲", "").replace("▼", "").strip()
            (self.headers if self._in_head else self.rows[-1]).append(text)
            self._cell = None
        elif tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@dataclass
class Page:
    total: int
    pages: int
    headers: list[str]
    rows: list[list[str]]

    def column(self, label: str) -> list[str]:
        i = self.headers.index(label)
        return [r[i] for r in self.rows]


def _page(c: Client, url: str, testid: str, params: dict) -> Page:
    r = c.get(url, params)
    assert r.status_code == 200, (url, params, r.status_code)
    html = r.content.decode()
    m = re.search(r'<span class="count">共 (\d+) 条</span>', html)
    assert m, f"no 共 N 条 on {url}"
    pages = re.search(r'name="page" min="1" max="(\d+)"', html)
    t = _Table(testid)
    t.feed(html)
    assert t.headers, f"no table {testid} on {url}"
    rows = [] if len(t.rows) == 1 and len(t.rows[0]) == 1 and t.rows[0][0] == "无记录" else t.rows
    return Page(int(m.group(1)), int(pages.group(1)) if pages else 1, t.headers, rows)


def _every_page(c: Client, url: str, testid: str, params: dict, key: str) -> list[str]:
    first = _page(c, url, testid, params)
    out = first.column(key)
    for n in range(2, first.pages + 1):
        out += _page(c, url, testid, {**params, "page": n}).column(key)
    return out


def _export(c: Client, url: str, params: dict) -> tuple[list[str], list[tuple]]:
    r = c.get(url, {**params, "export": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats"), (url, r.status_code)
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content), read_only=True).active.iter_rows(values_only=True))
    return [str(h) for h in rows[0]], rows[1:]


def _export_column(c: Client, url: str, params: dict, label: str) -> list:
    headers, rows = _export(c, url, params)
    i = headers.index(label)
    return [row[i] for row in rows]


# -- the cases --------------------------------------------------------------------------------------------------------

@dataclass
class Case:
    make: Callable  # (world) -> None: the rows
    url: Callable  # (world) -> address
    user: Callable  # (world) -> who looks
    testid: str
    total: Callable  # (world) -> the rows the user sees unfiltered
    key: str  # a column that tells rows apart (page header = export header)
    sort: str  # a sortable column's key
    sort_label: str  # its export header; its values must come in order
    search: tuple[str, int]
    filter: tuple[dict, int]
    params: dict = field(default_factory=dict)
    page_key: Callable = str  # the key column's page text → its export text (a page adding a note to a cell)


def _anomalies(w):
    from gaozhong.registry.models import RegistryAnomaly, RegistryCheck

    check = RegistryCheck.objects.create(created_by=w.city_user, current_term="2025-2", terms=["2025-1", "2025-2"], bulk_threshold=10,
                                         bulk_window_days=30)
    kinds = ["ghost_registration", "registry_attendance_mismatch", "duplicate_registration"]
    RegistryAnomaly.objects.bulk_create([RegistryAnomaly(
        check_run=check, kind=kinds[i % 3], school=w.a.school if i % 2 == 0 else w.b.school,
        student=w.a.student if i % 10 == 0 else w.b.student if i % 10 == 5 else None, student_no=f"X{i:05d}", evidence=f"依据 {i}",
        status="corrected" if i % 5 == 1 else "open") for i in range(150)])


def _anomaly_count(**kw):
    from gaozhong.registry.models import RegistryAnomaly

    return RegistryAnomaly.objects.filter(**kw).count()


def _runs(w):
    from gaozhong.admissions.models import AdmissionRun, AdmissionYear

    now = timezone.now()
    years = {y: AdmissionYear.objects.create(year=y, window_opens=now, window_closes=now, status="published") for y in (2024, 2025, 2026)}
    statuses = ["done", "failed", "approved", "withdrawn"]
    for i in range(70):
        AdmissionRun.objects.create(year=years[2024 + i % 3], started_by=w.city_user, status=statuses[i % 4],
                                    inputs_sha256=("ab" if i % 7 == 0 else "cd") + f"{i:062d}", engine_version="1")


def _admissions_year(w, year: int, n: int, *, start: int = 0):
    """A published year with ``n`` admitted candidates: two thirds at school a (统招 and 指标到校), the rest at b."""
    from gaozhong.admissions.models import Admission, AdmissionRun, AdmissionYear, Program

    now = timezone.now()
    y = AdmissionYear.objects.create(year=year, window_opens=now, window_closes=now, status="published")
    progs = [Program.objects.create(year=y, code=code, school=school, kind=kind, batch=batch, capacity=1000, feeder_school=feeder)
             for code, school, kind, batch, feeder in ((f"GA1-TZ-{year}", w.a.school, "unified", 3, None),
                                                        (f"GA1-ZB-{year}", w.a.school, "quota", 2, w.a.junior),
                                                        (f"GB1-TZ-{year}", w.b.school, "unified", 3, None))]
    run = AdmissionRun.objects.create(year=y, started_by=w.city_user, status="approved")
    cands = Candidate.objects.bulk_create([Candidate(
        year=year, exam_no=f"{year % 100}{start + i:06d}", name=("王" if i % 7 == 0 else "李") + f"考生{i:03d}", id_number=f"1499012010010{i:05d}",
        gender="男", junior_school=w.a.junior, county=w.a.county, score=Decimal(500) + Decimal(i) / 2, chinese=90, math=90, english=90)
        for i in range(n)])
    Admission.objects.bulk_create([Admission(run=run, candidate=cand, program=progs[0 if i % 3 == 0 else 1 if i % 3 == 1 else 2],
                                             batch=3, choice_rank=1 + i % 4, round=1) for i, cand in enumerate(cands)])
    return run


def _admitted(w):
    _admissions_year(w, 2024, 6, start=900)
    _admissions_year(w, 2025, 330)  # a school sees 220 of them: more than the 200 the old page stopped at


def _cutoffs(w):
    from gaozhong.admissions.models import AdmissionRun, AdmissionYear, Cutoff, Program

    now = timezone.now()
    y = AdmissionYear.objects.create(year=2026, window_opens=now, window_closes=now, status="closed")
    run = AdmissionRun.objects.create(year=y, started_by=w.city_user, status="done")
    for i in range(80):
        p = Program.objects.create(year=y, code=f"P{i:03d}", school=w.a.school if i % 2 == 0 else w.b.school,
                                   kind="vocational" if i % 4 == 0 else "unified", batch=4 if i % 4 == 0 else 3, capacity=60, major=f"专业{i:03d}")
        Cutoff.objects.create(run=run, program=p, capacity=60, admitted=i % 60, cutoff_score=Decimal(400) + i, last_choice_rank=1 + i % 6)
    return run


def _run_url(w):
    from gaozhong.admissions.models import AdmissionRun

    return reverse("admissions_run", args=[AdmissionRun.objects.get().pk])


def _students(w):
    Student.objects.bulk_create([Student(school=w.a.school, student_no=f"S{i:05d}", id_number=f"Y{i:05d}", name=f"学生{i:03d}",
                                         gender="男" if i % 2 else "女", entry_year=2024 if i % 3 == 0 else 2025) for i in range(130)])


def _tasks(w):
    from gaozhong.supervision.models import Task

    Task.objects.bulk_create([Task(kind=["project", "policy"][i % 2], title=f"任务{i:03d}", county=w.a.county if i % 2 else w.b.county,
                                   responsible_unit="教育局" if i % 6 else "财政局", responsible_person="张", due_date=dt.date(2026, 1, 1) + dt.timedelta(days=i))
                              for i in range(120)])


def _ethics(w):
    from gaozhong.people.models import EthicsRecord

    EthicsRecord.objects.bulk_create([EthicsRecord(teacher=w.a.teacher if i % 2 else w.b.teacher, category=["paid_tutoring", "gifts"][i % 2 if i % 5 else 0],
                                                   occurred_on=dt.date(2024, 1, 1) + dt.timedelta(days=i), summary=f"事由{i}") for i in range(110)])


def _audit(w):
    from gaozhong.core.audit import audit_record

    for i in range(120):
        place = w.a if i % 2 else w.b
        audit_record(actor=w.city_user if i % 4 else place.county_user, action="core.school.updated", object_type="core.school",
                     object_repr=f"对象{i:03d}", county_id=place.county.id, school_id=place.school.id)


def _units(w):
    """The shipped catalog and 60 more senior schools; every third has a 大班额 class (BE-01 missed, overdue)."""
    from gaozhong.core.models import AdminClass, Enrollment, School
    from gaozhong.supervision.models import PolicyDocument
    from gaozhong.supervision.services.catalog import catalog_sync, document_adopt

    catalog_sync(actor=None, effective_from=2000)
    for doc in PolicyDocument.objects.filter(level="city"):
        document_adopt(actor=None, document=doc)
    for i in range(60):
        school = School.objects.create(county=w.a.county if i % 2 else w.b.county, code=f"H{i:03d}", name=f"测试{'甲乙'[i % 2]}中{i:03d}",
                                       level="senior", quality="provincial")
        ac = AdminClass.objects.create(school=school, school_year=w.year, grade=1, number=1)
        n = 60 if i % 3 == 0 else 40
        students = Student.objects.bulk_create([Student(school=school, student_no=f"H{i:03d}{k:03d}", id_number=f"Z{i:03d}{k:03d}", name=f"生{k}",
                                                        gender="男", entry_year=2025, admin_class=ac) for k in range(n)])
        Enrollment.objects.bulk_create([Enrollment(student=st, admin_class=ac) for st in students])


def _due(w):
    """60 more teachers of school a, hired 2005–2014: all due for rotation; every fourth a 副校长."""
    from gaozhong.core.models import Teacher
    from tests.people.factories import teacher

    for i in range(60):
        teacher(w.a, post=Teacher.Post.VICE_PRINCIPAL if i % 4 == 0 else Teacher.Post.TEACHING, hired=dt.date(2005 + i % 10, 9, 1),
                name=f"{'张王'[i % 2]}老师{i:03d}", staff_no=f"R{i:04d}")


CASES = {
    "registry_anomalies": Case(
        _anomalies, lambda w: reverse("registry_worklist"), lambda w: w.city_user, "anomalies",
        lambda w: _anomaly_count(status="open"), key="学籍号", sort="student_no", sort_label="学籍号",
        search=("a学生", 15), filter=({"kind": "ghost_registration", "status": "all"}, 50)),
    "registry_anomalies_county": Case(
        _anomalies, lambda w: reverse("registry_worklist"), lambda w: w.b.county_user, "anomalies",
        lambda w: _anomaly_count(status="open", school=w.b.school), key="学籍号", sort="student_no", sort_label="学籍号",
        search=("b学生", 15), filter=({"status": "corrected"}, 15)),
    "admission_runs": Case(
        _runs, lambda w: reverse("admissions_runs"), lambda w: w.city_user, "runs-table", lambda w: 70, key="运行", sort="year",
        sort_label="招生年份", search=("ab", 10), filter=({"year": "2025"}, 23)),
    "admitted_city": Case(
        _admitted, lambda w: reverse("admissions_admitted"), lambda w: w.city_user, "admitted-table", lambda w: 330, key="准考证号",
        sort="score", sort_label="中考总分", search=("王", 48), filter=({"kind": "quota"}, 110)),
    "admitted_own_school": Case(
        _admitted, lambda w: reverse("admissions_admitted"), lambda w: w.a.school_user, "admitted-table", lambda w: 220, key="准考证号",
        sort="score", sort_label="中考总分", search=("王", 32), filter=({"year": "2024"}, 4)),
    "run_cutoffs": Case(
        _cutoffs, _run_url, lambda w: w.city_user, "run-cutoffs", lambda w: 80, key="专业", sort="cutoff", sort_label="最低录取分",
        search=("专业01", 10), filter=({"kind": "vocational"}, 20)),
    "students": Case(
        _students, lambda w: reverse("student_list"), lambda w: w.a.school_user, "student-table", lambda w: 132, key="学籍号",
        sort="entry_year", sort_label="入学年份", search=("S00042", 1), filter=({"entry_year": "2024"}, 44)),
    "ledger": Case(
        _tasks, lambda w: reverse("sup_ledger"), lambda w: w.city_user, "task-table", lambda w: 120, key="任务", sort="due",
        sort_label="完成时限", search=("财政局", 20), filter=({"county": "149901"}, 60)),
    "ethics": Case(
        _ethics, lambda w: reverse("people_ethics_list"), lambda w: w.city_user, "ethics-table", lambda w: 110, key="记录",
        sort="occurred", sort_label="发生日期", search=("a老师", 55), filter=({"category": "gifts"}, 44)),
    "audit": Case(
        _audit, lambda w: reverse("audit_list"), lambda w: w.city_user, "audit-table", lambda w: 120, key="对象", sort="county",
        sort_label="县(区)", search=("county_", 30), filter=({"county": "149902"}, 60)),
    "rotation_due": Case(
        _due, lambda w: reverse("people_rotation_due"), lambda w: w.a.county_user, "due-table", lambda w: 61, key="教职工号", sort="years",
        sort_label="在本校年限", search=("王老师", 30), filter=({"post": "副校长"}, 15)),
    "laggards": Case(
        _units, lambda w: reverse("sup_laggards"), lambda w: w.city_user, "laggards", lambda w: 64, key="单位", sort="missed",
        sort_label="逾期未达标", search=("乙中", 30), filter=({"level": "school"}, 62), params={"year": "2025"},
        page_key=lambda text: text.rsplit(" ", 1)[0]),
    "leagues": Case(
        _units, lambda w: reverse("sup_leagues"), lambda w: w.city_user, "league", lambda w: 62, key="单位", sort="share",
        sort_label="达标比例（%）", search=("甲中", 30), filter=({"level": "county"}, 2), params={"year": "2025", "level": "school"}),
}


def _client(w, case: Case) -> Client:
    case.make(w)
    c = Client()
    c.force_login(case.user(w))
    return c


@pytest.mark.parametrize("name", CASES)
def test_the_count_is_right_and_every_row_is_on_some_page(world, name):
    case = CASES[name]
    c, url = _client(world, case), case.url(world)
    total = case.total(world)
    assert total > PAGE_SIZE  # more than one page, or the test proves nothing
    first = _page(c, url, case.testid, case.params)
    assert first.total == total and len(first.rows) == PAGE_SIZE and first.pages == -(-total // PAGE_SIZE)
    keys = _every_page(c, url, case.testid, case.params, case.key)
    assert len(keys) == total and len(set(keys)) == total


@pytest.mark.parametrize("name", CASES)
def test_sorting_orders_the_rows_both_ways(world, name):
    case = CASES[name]
    c, url = _client(world, case), case.url(world)
    up = _page(c, url, case.testid, {**case.params, "sort": case.sort})
    down = _page(c, url, case.testid, {**case.params, "sort": f"-{case.sort}"})
    assert up.column(case.key) != down.column(case.key)
    values = [v for v in _export_column(c, url, {**case.params, "sort": case.sort}, case.sort_label) if v is not None]
    assert len(values) == case.total(world) and values == sorted(values) and values[0] != values[-1]
    values = [v for v in _export_column(c, url, {**case.params, "sort": f"-{case.sort}"}, case.sort_label) if v is not None]
    assert values == sorted(values, reverse=True)


@pytest.mark.parametrize("name", CASES)
def test_the_search_and_a_filter_narrow_the_rows_and_the_export_is_exactly_them(world, name):
    case = CASES[name]
    c, url = _client(world, case), case.url(world)
    q, found = case.search
    chosen, kept = case.filter
    for params, n in (({**case.params, "q": q}, found), ({**case.params, **chosen}, kept)):
        page = _page(c, url, case.testid, params)
        assert page.total == n < case.total(world), params
        # the export holds the filtered rows, all of them (more than the page shows when there are), in the page's order
        shown = [case.page_key(k) for k in _every_page(c, url, case.testid, params, case.key)]
        exported = [str(v) for v in _export_column(c, url, params, case.key)]
        assert exported == shown and len(exported) == n, params


def test_a_school_sees_its_whole_admission_list_and_the_old_address_exports_it(world):
    """本校录取名单 stopped at 200 rows without saying so; now every admitted student is listed and exported."""
    _admitted(world)
    c = Client()
    c.force_login(world.a.school_user)
    home = c.get(reverse("admissions_home")).content.decode()
    assert "已公布录取 220 名" in home and reverse("admissions_admitted") in home
    _, rows = _export(c, reverse("admissions_results_xlsx"), {})
    assert len(rows) == 220 and {r[0] for r in rows} == {world.a.school.code}
    headers, _ = _export(c, reverse("admissions_results_xlsx"), {})
    assert "身份证号" in headers and all("*" in r[headers.index("身份证号")] for r in rows)  # masked


def test_list_headers_and_filters_come_in_english_when_english_is_chosen(world):
    _runs(world)
    c = Client()
    c.force_login(world.city_user)
    c.cookies["django_language"] = "en"
    html = c.get(reverse("admissions_runs"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    t = _Table("runs-table")
    t.feed(html)
    assert "Year" in t.headers and "Status" in t.headers and "招生年份" not in t.headers
    assert ">Status: All<" in html and ">Batch" not in html and "全部" not in html


def test_lists_paged_outside_the_layer_have_page_numbers_a_jump_box_and_the_count(world):
    """The other paged lists (班级, 教师, 后台任务, 培训, 禁入, 评聘, 准入, 报送) share the pager: 共 N 条, numbered pages
    keeping the page's own filters, a jump box; every row is on some page."""
    from gaozhong.core.models import Job

    Job.objects.bulk_create([Job(kind="x", title=f"任务{i:03d}", created_by=world.city_user, status="failed" if i % 2 else "succeeded")
                             for i in range(130)])
    c = Client()
    c.force_login(world.city_user)
    html = c.get(reverse("job_list"), {"status": "failed"}).content.decode()
    assert "共 65 条" in html and 'name="page" min="1" max="3"' in html
    assert "?status=failed&amp;page=2" in html and "?status=failed&amp;page=3" in html and 'aria-current="page">1<' in html
    titles = set()
    for n in (1, 2, 3):
        titles |= set(re.findall(r"任务\d{3}", c.get(reverse("job_list"), {"status": "failed", "page": n}).content.decode()))
    assert titles == {f"任务{i:03d}" for i in range(1, 130, 2)}
