"""Shared fixtures: a small world with a city admin and two counties, each with county staff, a school admin
(教务) and a teacher, so every test can ask what an outsider sees."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pytest



@dataclass
class Place:
    county: object
    school: object
    junior: object
    admin_class: object
    other_class: object
    teacher: object
    student: object
    other_student: object
    county_user: object
    school_user: object
    teacher_user: object
    student_user: object


@dataclass
class World:
    city_user: object
    a: Place
    b: Place
    year: object
    password: str


PASSWORD = "Test-pass-2025"

CHROMIUM = "/usr/bin/chromium"


def _id(n: int) -> str:
    from gaozhong.importer.idnumber import check_character as id_check_char

    first = f"14990120080101{n:03d}"
    return first + id_check_char(first)


@pytest.fixture
def world(db) -> World:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from gaozhong.core.models import (
        AdminClass, City, County, Enrollment, Membership, Role, School, SchoolYear, Student, Subject, Teacher, TeachingAssignment,
    )

    pw = make_password(PASSWORD)
    city = City.objects.create(code="1499", name="测试市")
    year = SchoolYear.objects.create(start_year=2025, is_current=True)
    math = Subject.objects.create(code="SX", name="数学")
    city_user = User.objects.create(username="city", password=pw)
    Membership.objects.create(user=city_user, role=Role.CITY_ADMIN)
    places = []
    for k, tag in enumerate("ab", start=1):
        county = County.objects.create(city=city, code=f"14990{k}", name=f"{tag}县")
        school = School.objects.create(county=county, code=f"G{tag.upper()}1", name=f"{tag}县一中", level="senior", quality="provincial")
        junior = School.objects.create(county=county, code=f"J{tag.upper()}1", name=f"{tag}县初中", level="junior")
        ac = AdminClass.objects.create(school=school, school_year=year, grade=1, number=1)
        ac2 = AdminClass.objects.create(school=school, school_year=year, grade=1, number=2)
        teacher = Teacher.objects.create(school=school, county=county, staff_no=f"T{tag}1", name=f"{tag}老师", id_number=_id(k * 10), gender="女", hire_date=dt.date(2010, 9, 1))
        teacher.subjects.add(math)
        TeachingAssignment.objects.create(teacher=teacher, admin_class=ac, subject=math)
        st = Student.objects.create(school=school, student_no=f"G{_id(k * 10 + 1)}", id_number=_id(k * 10 + 1), name=f"{tag}学生", gender="男", entry_year=2025, admin_class=ac)
        st2 = Student.objects.create(school=school, student_no=f"G{_id(k * 10 + 2)}", id_number=_id(k * 10 + 2), name=f"{tag}同学", gender="女", entry_year=2025, admin_class=ac2)
        Enrollment.objects.create(student=st, admin_class=ac)
        Enrollment.objects.create(student=st2, admin_class=ac2)
        cu = User.objects.create(username=f"county_{tag}", password=pw)
        Membership.objects.create(user=cu, role=Role.COUNTY_STAFF, county=county)
        su = User.objects.create(username=f"school_{tag}", password=pw)
        Membership.objects.create(user=su, role=Role.SCHOOL_ADMIN, school=school)
        tu = User.objects.create(username=f"teacher_{tag}", password=pw)
        Membership.objects.create(user=tu, role=Role.TEACHER, school=school, teacher=teacher)
        pu = User.objects.create(username=f"student_{tag}", password=pw)
        Membership.objects.create(user=pu, role=Role.STUDENT, school=school, student=st)
        places.append(Place(county, school, junior, ac, ac2, teacher, st, st2, cu, su, tu, pu))
    return World(city_user=city_user, a=places[0], b=places[1], year=year, password=PASSWORD)


@pytest.fixture(autouse=True)
def _audit_flush_window(request):
    """Transactional tests end with a database flush, which the append-only audit triggers would refuse: open
    the maintenance window for the flush only (the application itself never does)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False))
    if not transactional:
        yield
        return
    from django.db import connection

    # Set up the database first, so that its flush runs after this fixture's teardown.
    request.getfixturevalue("_django_db_helper")
    with connection.cursor() as cur:
        cur.execute("UPDATE gaozhong_audit_maintenance SET allowed = 0")
    yield
    with connection.cursor() as cur:
        cur.execute("UPDATE gaozhong_audit_maintenance SET allowed = 1")


# Property tests run derandomized: the same examples on every run, so a green main stays green. Explore with
# `pytest --hypothesis-profile=explore` when changing an engine.
from hypothesis import settings as _hyp_settings  # noqa: E402

_hyp_settings.register_profile("gaozhong", derandomize=True, deadline=None, print_blob=True)
_hyp_settings.register_profile("explore", deadline=None, print_blob=True, max_examples=500)
_hyp_settings.load_profile("gaozhong")


@pytest.fixture
def cli_in_process(monkeypatch):
    """Run ``gaozhong manage``-style commands inside the test: Django's ``run_from_argv`` closes every database
    connection when a command ends (right for a process of its own), which would close the test's connection
    and its transaction on PostgreSQL. Here the test's connection stays open."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the tests' own database access stays
    # synchronous and safe, so Django's async-safety check is relaxed for browser tests.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed: run scripts/test.sh, which installs it")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.console_errors = errors
    yield pg
    ctx.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Counters kept in the cache (lookup limits, password-change tries) start from zero in every test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
