"""Chinese only in the Chinese interface: every role of a small world (the ``world`` fixture plus a supervision
catalog, a solved timetable, an admission year with a run, a registry check, a value-added run and an ethics
record) signs in, and a crawl follows every same-site link from the menus and the pages it reaches (GET only,
no export, download or logout), in Chinese. Any ASCII word in the visible text (text nodes outside <script> and
<style>) that is not a unit, a proper name or code (TOTP, Excel, FET…), a number, or a code or name the
fixture typed fails the test with the page and the text around it. The language menu must say "English".

The crawl is bounded: at most ``PER_NAME`` pages of one URL name (three school pages stand for all of them,
each with at most ``PER_NAME`` query-string variants) and ``MAX_PAGES`` pages per role; each role must reach
at least ``MIN_PAGES[role]`` pages so the test cannot pass by visiting nothing.

A few pages are then opened in English to check that the strings moved to translations come back in English.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

pytestmark = pytest.mark.django_db

PER_NAME = 3
MAX_PAGES = 160
MIN_PAGES = {"city": 40, "county_a": 30, "school_a": 30, "teacher_a": 4, "student_a": 3, "cand0": 3}

#: units, proper names and codes that are right in Chinese text
ALLOWED = {
    # units
    "cm", "mm", "m", "km", "kg", "g", "MB", "KB", "GB", "kB", "s", "ms", "min", "h",
    # proper names, formats and standards
    "TOTP", "Excel", "FET", "PDF", "CSV", "csv", "xlsx", "xls", "zip", "fet", "json", "JSON", "API", "ID", "GB", "ISO",
    "REML", "EBLUP", "HTTPS", "HTML", "URL", "UTF", "BOM", "OpenAPI", "QR", "App", "English", "SHA-256",
    # the version of the admissions engine a run used (a code recorded with the run)
    "gaozhong-admissions",
}
#: a file name the user or the platform gives (DATA.csv, openapi.json)
FILE_NAME = re.compile(r"^[\w.\-]+\.(csv|xlsx|json|fet|zip|pdf|toml)$", re.I)
#: paths never followed: downloads, exports, sign-out, and the API (JSON for machines)
SKIP = re.compile(r"(\.xlsx|\.csv|\.zip|\.fet|\.json|\.pdf|/export|/download|/logout|/accounts/|/i18n/|/api/|/status)", re.I)
#: pages not checked yet, with why: the audit log's action codes, object types and before/after values are being
#: given Chinese names (the audit page's own work); remove an entry once its page is Chinese
KNOWN_OPEN: dict[str, str] = {}
#: pages everyone may open that no menu links to for every role
PUBLIC = ["/admissions/lookup/", "/admissions/cutoffs/", "/admissions/preferences/"]
#: a run of letters, digits and code punctuation: an ID number with its X, "GA1-TZ" and "1499**0021" are one
#: token each, and a token with a digit or a masked character is a code, not a word
WORD = re.compile(r"[A-Za-z0-9_*'’\-\.]*[A-Za-z][A-Za-z0-9_*'’\-\.]*")


class _Text(HTMLParser):
    """Visible text nodes (outside script, style, template and code: a <code> element shows a literal a user
    types, a command or a header) and same-site links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.texts: list[str] = []
        self.links: list[str] = []
        self.options: list[str] = []
        self._in_lang = 0
        self._in_option = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "template", "code"):
            self.skip += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "option":
            self._in_option = True

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "code") and self.skip:
            self.skip -= 1
        if tag == "option":
            self._in_option = False

    def handle_data(self, data):
        if self.skip or not data.strip():
            return
        if self._in_option:
            self.options.append(data.strip())
        self.texts.append(data)


def typed_words() -> set[str]:
    """Every ASCII word of a code, name or account the fixture typed (shown back to the user as data)."""
    from django.apps import apps
    from django.contrib.auth.models import User
    from django.db import models

    from gaozhong.electives.rules import ROOM_TYPE_NAMES

    out: set[str] = set(User.objects.values_list("username", flat=True))
    out |= set(ROOM_TYPE_NAMES)  # the room types a school's rooms file and plan are written with
    for model in apps.get_models():
        if not model.__module__.startswith("gaozhong."):
            continue
        fields = [f.name for f in model._meta.get_fields() if isinstance(f, (models.CharField, models.SlugField))
                  and (f.name in ("code", "name", "staff_no", "student_no", "exam_no", "username", "number", "term", "unit_code", "title", "short_name", "filename", "element")
                       or f.name.endswith("_code") or f.name.endswith("_no"))]
        for f in fields:
            for v in model.objects.values_list(f, flat=True).distinct()[:5000]:
                if v:
                    out.update(WORD.findall(str(v)))
    return out


def offending(text: str, allowed: set[str]) -> list[str]:
    bad = []
    for m in WORD.finditer(text):
        w = m.group(0).strip("-'’.")
        if not w or any(ch.isdigit() or ch == "*" for ch in w) or w in allowed or w in ALLOWED or FILE_NAME.match(w):
            continue
        if re.fullmatch(r"[A-Z]", w):  # a one-letter name: 二本B类, 人数 K, an ID number's X
            continue
        bad.append(w)
    return bad


def crawl(client: Client, role: str, allowed: set[str]) -> tuple[list[str], list[str]]:
    """(visited paths, failures) of one signed-in client."""
    start = ["/", *PUBLIC]
    resp = client.get("/")
    assert resp.status_code == 200, (role, resp.status_code)
    queue = deque(start)
    seen: set[str] = set()
    per_name: Counter = Counter()
    per_path: Counter = Counter()
    visited, failures = [], []
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        try:
            match = resolve(path)
        except Resolver404:
            failures.append(f"{role}: {url}: link to a page that does not exist")
            continue
        key = match.url_name or path
        if key in KNOWN_OPEN:
            continue
        if path not in per_path and per_name[key] >= PER_NAME:
            continue
        if per_path[path] >= PER_NAME:
            continue
        per_name[key] += path not in per_path
        per_path[path] += 1
        resp = client.get(url)
        if resp.status_code in (301, 302):
            continue
        if resp.status_code != 200 or "text/html" not in resp.get("Content-Type", ""):
            if resp.status_code >= 500:
                failures.append(f"{role}: {url}: status {resp.status_code}")
            continue
        visited.append(url)
        p = _Text()
        p.feed(resp.content.decode())
        for t in p.texts:
            bad = offending(t, allowed)
            if bad:
                failures.append(f"{' '.join(bad)!r} in {' '.join(t.split())[:160]!r} ({role}: {url})")
        if "English" not in p.options:
            failures.append(f"the language menu does not say English: {p.options[:2]} ({role}: {url})")
        for href in p.links:
            target, _ = urldefrag(urljoin(url, href))
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver") or SKIP.search(parts.path):
                continue
            if "export" in parts.query or "download" in parts.query:
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return visited, failures


@pytest.fixture
def small_city(world, settings, tmp_path, django_capture_on_commit_callbacks):
    """The world with a little of every domain: enough for each page to show its tables, not a demo build."""
    from gaozhong.admissions.models import AdmissionYear
    from gaozhong.admissions.services.runs import admission_run_create, admission_run_execute
    from gaozhong.admissions.services.setup import admission_window_set, admission_year_create, programs_generate, school_plan_set, school_plans_approve
    from gaozhong.people.services.ethics import ethics_record_open
    from gaozhong.registry.services.checks import registry_check_run
    from gaozhong.supervision.models import PolicyDocument
    from gaozhong.supervision.services.catalog import catalog_sync, document_adopt
    from tests.admissions.test_services import fill_preferences, make_candidates
    from tests.electives.factories import elective_grade
    from tests.electives.test_web_solve import solve_now
    from gaozhong.core.curriculum import SUBJECTS
    from gaozhong.core.models import Subject
    from tests.registry.test_web import attend

    settings.UPLOAD_DIR = tmp_path / "uploads"
    for code, name, elective in SUBJECTS:
        Subject.objects.get_or_create(code=code, defaults={"name": name, "is_elective": elective})
    catalog_sync(actor=None, effective_from=2000)
    for doc in PolicyDocument.objects.filter(level="city"):
        document_adopt(actor=None, document=doc)
    # a timetable (and its finished job with a log)
    window = elective_grade(world, per_class=12)
    job = solve_now(world, window, django_capture_on_commit_callbacks)
    assert job.status == "succeeded", job.log
    # an admission year, its plans and a run
    now = timezone.now()
    year = admission_year_create(actor=world.city_user, year=2026, window_opens=now - dt.timedelta(days=1), window_closes=now + dt.timedelta(days=1))
    cands, _ = make_candidates(world, n_per_junior=8)
    school_plan_set(actor=world.a.county_user, year=year, school=world.a.school, seats=5, talent_seats=1)
    school_plan_set(actor=world.b.county_user, year=year, school=world.b.school, seats=5)
    school_plans_approve(actor=world.city_user, year=year)
    programs_generate(actor=world.city_user, year=year)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    fill_preferences(year, cands)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    # a registry check with findings
    attend(world.b.student, world.a.school, "2025-2", 61)
    registry_check_run(actor=world.city_user, current_term="2025-2", terms=["2025-1", "2025-2"])
    # an ethics record
    ethics_record_open(actor=world.a.school_user, teacher=world.a.teacher, category="paid_tutoring", occurred_on=dt.date(2025, 3, 1),
                       summary="假期有偿补课")
    return world


def test_every_page_of_every_role_is_chinese_only(small_city):
    w = small_city
    allowed = typed_words()
    report, failures = [], []
    for username in MIN_PAGES:
        from django.contrib.auth.models import User

        client = Client()
        client.force_login(User.objects.get(username=username))
        visited, bad = crawl(client, username, allowed)
        report.append(f"{username}: {len(visited)} pages")
        failures += bad
        if len(visited) < MIN_PAGES[username]:
            failures.append(f"{username}: only {len(visited)} pages reached (at least {MIN_PAGES[username]}): {visited}")
    # one line per offending text, with the first page it was seen on and how many more
    first: dict[str, str] = {}
    more: Counter = Counter()
    for f in failures:
        text, _, where = f.rpartition(" (")
        key = text or f
        if key in first:
            more[key] += 1
        else:
            first[key] = f
    lines = [first[k] + (f" and {more[k]} more" if more[k] else "") for k in first]
    assert not failures, "\n".join([*report, *lines])
    del w


def _text(resp) -> str:
    p = _Text()
    p.feed(resp.content.decode())
    return " ".join(" ".join(p.texts).split())


@pytest.fixture
def bilingual_bits(world, settings, tmp_path):
    """A window with a chemistry lab, the supervision catalog, a finished job whose phase and log were written
    "中文 (English)", and a published-looking lookup (no run: the lookup page's own texts)."""
    from gaozhong.core.models import Job
    from gaozhong.supervision.services.catalog import catalog_sync
    from tests.electives.factories import elective_grade

    settings.UPLOAD_DIR = tmp_path / "uploads"
    catalog_sync(actor=None, effective_from=2000)
    window = elective_grade(world, per_class=2, choose=False)
    job = Job.objects.create(kind="electives.solve", title="排课", created_by=world.a.school_user, county=world.a.county, school=world.a.school,
                             status=Job.Status.SUCCEEDED, phase="保存 (saving)", progress=100,
                             log="[10:00:00] 组建教学班 (forming teaching classes)\n[10:00:01] 保存 (saving)\n",
                             result={"summary": {"教学班 (teaching classes)": 16, "下界 (lower bound)": 12}, "link": "/", "link_label": "查看课表 (view the timetable)"})
    return window, job


def test_english_is_shown_when_english_is_chosen(world, bilingual_bits):
    window, job = bilingual_bits
    zh, en = Client(), Client()
    en.cookies["django_language"] = "en"
    for c in (zh, en):
        c.force_login(world.a.school_user)
    # a job's phase, log and result: the Chinese alone in Chinese, the English glosses in English
    t_zh, t_en = _text(zh.get(f"/jobs/{job.pk}/")), _text(en.get(f"/jobs/{job.pk}/"))
    assert "组建教学班" in t_zh and "forming teaching classes" not in t_zh and "教学班：16" in t_zh
    assert "forming teaching classes" in t_en and "teaching classes：16" in t_en and "view the timetable" in t_en
    status = en.get(f"/jobs/{job.pk}/status.json").json()
    assert status["phase"] == "saving" and "forming teaching classes" in status["log_tail"]
    assert zh.get(f"/jobs/{job.pk}/status.json").json()["phase"] == "保存"
    # room types by name; the English names through the catalog
    t_zh, t_en = _text(zh.get(f"/electives/windows/{window.pk}/")), _text(en.get(f"/electives/windows/{window.pk}/"))
    assert "化学实验室" in t_zh and "lab-chem" not in t_zh
    assert "Chemistry lab (lab-chem)" in t_en
    # indicator names: Chinese in Chinese, the catalog's English name in English
    t_zh, t_en = _text(zh.get("/supervision/catalog/")), _text(en.get("/supervision/catalog/"))
    assert "Students per full-time teacher" not in t_zh and "Students per full-time teacher" in t_en
    # the language menu names English in English, in both interfaces
    for c in (zh, en):
        p = _Text()
        p.feed(c.get("/").content.decode())
        assert p.options[:2] == ["简体中文", "English"], p.options


def test_lookup_refusal_in_each_language(world):
    """The public lookup's messages are translations, not "中文 (English)"."""
    import datetime as dt

    from gaozhong.admissions.models import AdmissionRun, AdmissionYear
    from gaozhong.admissions.services.publication import publication_build

    now = timezone.now()
    year = AdmissionYear.objects.create(year=2026, window_opens=now - dt.timedelta(days=2), window_closes=now - dt.timedelta(days=1), status="published")
    run = AdmissionRun.objects.create(year=year, started_by=world.city_user, status="approved")
    publication_build(run=run)  # what approval publishes: the lookup answers from it
    zh, en = Client(), Client()
    en.cookies["django_language"] = "en"
    form = {"exam_no": "269999999", "id_tail": "000000"}
    t_zh, t_en = _text(zh.post("/admissions/lookup/", form)), _text(en.post("/admissions/lookup/", form))
    assert "准考证号或身份证号后 6 位不正确" in t_zh and "match" not in t_zh
    assert "No match" in t_en
