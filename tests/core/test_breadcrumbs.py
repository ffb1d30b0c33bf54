"""Breadcrumbs (gaozhong.core.breadcrumbs): every staff page below the menu says where it sits, from 首页 through
its menu section to itself, every step a link the user can open; menu pages, students' and public pages show
none; the trail is Chinese, and English when English is chosen.

The walk opens every page of the URL configuration (objects from the scoping walker's ``OBJECT_URLS``) as the
first of city, county, school and teacher accounts that may open it, so a new page without a crumb fails here."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gaozhong.core.breadcrumbs import crumbs
from gaozhong.core.context import all_nav
from gaozhong.core.scoping import scope_of

from .test_scoping import OBJECT_URLS, _patterns

pytestmark = pytest.mark.django_db

#: a valid value for the URLs that take a slug or a code
SLUGS = {"import_upload": "students", "admissions_import": "zhongkao", "people_import": "training", "registry_import": "attendance",
         "evaluation_import": "gaokao"}
#: addresses that are files or answers for scripts, not pages
NOT_PAGES = re.compile(r"(\.\w+$|\.<str:fmt>$|/status|/options/$|/evidence/|/download/$|^supervision/api/|^i18n/|^accounts/(login|logout|mfa))")
#: pages the walk cannot open in this small world, with why (each is named in CRUMBS all the same, checked below)
UNREACHED = {
    "sup_indicator": "needs the supervision catalog",
    "sup_indicator_edit": "needs the supervision catalog",
}


def _trail(html: str) -> list[tuple[str, str | None]] | None:
    m = re.search(r'<nav class="breadcrumbs"[^>]*><ol>(.*?)</ol></nav>', html)
    if not m:
        return None
    out = []
    for li in re.findall(r"<li>(.*?)</li>", m.group(1)):
        link = re.search(r'<a href="([^"]+)">(.*?)</a>', li)
        out.append((link.group(2), link.group(1)) if link else (re.sub(r"<[^>]+>", "", li), None))
    return out


@pytest.fixture
def timetable(world, django_capture_on_commit_callbacks):
    """A solved timetable of school a (the electives pages need a real one)."""
    from tests.electives.factories import elective_grade
    from tests.electives.test_web_solve import solve_now

    job = solve_now(world, elective_grade(world, per_class=12), django_capture_on_commit_callbacks)
    assert job.status == "succeeded", job.log
    return world


def _get(world, user, url):
    c = Client()
    c.force_login(user)
    return c, c.get(url)


def test_a_run_page_sits_under_the_runs_list_and_is_named_by_its_year_and_number(world):
    from gaozhong.admissions.models import AdmissionRun, AdmissionYear

    now = timezone.now()
    year = AdmissionYear.objects.create(year=2026, window_opens=now, window_closes=now, status="closed")
    AdmissionRun.objects.create(year=year, started_by=world.city_user, status="failed")
    run = AdmissionRun.objects.create(year=year, started_by=world.city_user, status="done")
    _, r = _get(world, world.city_user, reverse("admissions_run", args=[run.pk]))
    assert _trail(r.content.decode()) == [("首页", reverse("home")), ("招生录取", reverse("admissions_home")),
                                          ("录取运行", reverse("admissions_runs")), ("2026 年第 2 次", None)]


@pytest.mark.parametrize("name,args,who,expected", [
    ("school_edit", "a.school", "city_user", ["首页", "学校", "a县一中", "编辑"]),
    ("class_detail", "a.admin_class", "a.teacher_user", ["首页", "班级", "a县一中 高一(1)班"]),
    ("people_rotation_due", None, "a.county_user", ["首页", "教师队伍", "交流轮岗", "应交流人员建议名单"]),
    ("admissions_admitted", None, "a.school_user", ["首页", "招生录取", "本校录取名单"]),
    ("sup_leagues", None, "city_user", ["首页", "督导", "排名"]),
    ("people_teacher", "a.teacher", "a.school_user", ["首页", "教师队伍", "a老师"]),
])
def test_sample_pages_show_their_trail(world, name, args, who, expected):
    def pick(path):
        obj = world
        for part in path.split("."):
            obj = getattr(obj, part)
        return obj

    url = reverse(name, args=[pick(args).pk] if args else [])
    c, r = _get(world, pick(who), url)
    trail = _trail(r.content.decode())
    assert r.status_code == 200 and [label for label, _ in trail] == expected
    assert trail[-1][1] is None and all(link for _, link in trail[:-1])
    for _, link in trail[:-1]:
        assert c.get(link).status_code == 200, link


def test_a_ledger_task_stops_at_its_menu_entry_and_a_lesson_sits_under_its_timetable(world, timetable):
    from gaozhong.supervision.models import Task

    from ..electives.url_objects import _lesson

    task = Task.objects.create(kind="policy", title="消除大班额", county=world.a.county, responsible_unit="教育局", responsible_person="张",
                               due_date=timezone.localdate())
    _, r = _get(world, world.city_user, reverse("sup_task", args=[task.pk]))
    assert [label for label, _ in _trail(r.content.decode())] == ["首页", "台账", "消除大班额"]
    lesson = _lesson(world, world.a)
    tt = lesson.teaching_class.timetable
    _, r = _get(world, world.a.school_user, reverse("electives_move", args=[lesson.pk]))
    assert _trail(r.content.decode()) == [("首页", reverse("home")), ("选课排课", reverse("electives_index")),
                                          (tt.window.title, reverse("electives_window", args=[tt.window_id])),
                                          (f"课表 #{tt.pk}", reverse("electives_timetable", args=[tt.pk])), ("调课", None)]


def test_menu_pages_students_and_the_public_have_no_trail(world):
    for name in ("school_list", "admissions_home", "registry_worklist", "home"):
        _, r = _get(world, world.city_user, reverse(name))
        assert _trail(r.content.decode()) is None, name
    _, r = _get(world, world.a.student_user, reverse("electives_my"))
    assert _trail(r.content.decode()) is None
    assert _trail(Client().get(reverse("admissions_cutoffs")).content.decode()) is None


def test_the_trail_is_english_when_english_is_chosen(world):
    c = Client()
    c.force_login(world.city_user)
    c.cookies["django_language"] = "en"
    html = c.get(reverse("admissions_runs")).content.decode()
    assert [label for label, _ in _trail(html)] == ["Home", "Admissions", "Admission runs"]
    assert 'aria-label="You are here"' in html


def test_every_staff_page_below_the_menu_has_a_trail(world, timetable):
    users = [world.city_user, world.a.county_user, world.a.school_user, world.a.teacher_user]
    opened, failures = [], []
    for name, route in _patterns():
        if not name or NOT_PAGES.search(route) or name in UNREACHED:
            continue
        if "<int:pk>" in route:
            url = reverse(name, kwargs={"pk": OBJECT_URLS[name](world, world.a).pk})
        elif "<slug:kind>" in route:
            url = reverse(name, kwargs={"kind": SLUGS[name]})
        else:
            url = reverse(name)
        for user in users:
            c = Client()
            c.force_login(user)
            r = c.get(url)
            if r.status_code == 200 and r["Content-Type"].startswith("text/html"):
                break
        else:
            continue  # a POST-only action (405), or a page this world's accounts cannot open (403/302)
        trail = _trail(r.content.decode())
        opened.append(name)
        if name == "home" or name in {n for n, _, roles in all_nav() if scope_of(user).audiences & set(roles)}:
            if trail is not None:
                failures.append(f"{name} is in the menu of {user.username} but shows {trail}")
            continue
        if not trail or trail[0] != ("首页", reverse("home")) or trail[-1][1] is not None or len(trail) < 2:
            failures.append(f"{name} ({user.username}): {trail}")
    assert not failures, failures
    assert len(opened) > 60, opened  # the walk reached the pages, not a handful
    assert set(UNREACHED) <= set(crumbs())
