"""Part 5, staffing by subject: need from weekly periods × classes and from 师生比 1:12.5 (seed 002 §三(三))
against the full-time teachers available, per school and county, as a table and a chart."""

from __future__ import annotations

import datetime as dt
import json
import math
import re

import pytest
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AdminClass, Enrollment, SchoolYear, Student, Subject, Teacher
from gaozhong.people.engine.staffing import WEEKLY_PERIODS
from gaozhong.people.models import HireCheck
from gaozhong.people.selectors import school_staffing

from .factories import idn, teacher

pytestmark = pytest.mark.django_db


def _subjects():
    names = {"YW": "语文", "WL": "物理", "XL": "心理健康", "XX": "信息技术"}
    return {code: Subject.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in names.items()} | {"SX": Subject.objects.get(code="SX")}


def _school_a(world):
    """GA1 gets 12 classes this year (2 exist), 660 more students of whom 594 are placed in this year's classes
    (the facts layer's 在籍学生: students in the school's admin classes of the year), and a mixed staff."""
    s = _subjects()
    classes = [AdminClass.objects.create(school=world.a.school, school_year=world.year, grade=2, number=n) for n in range(3, 13)]
    old = SchoolYear.objects.create(start_year=2024)
    AdminClass.objects.create(school=world.a.school, school_year=old, grade=1, number=1)  # another year: not counted
    students = Student.objects.bulk_create([Student(school=world.a.school, student_no=f"S{k}", id_number=idn(k, born="20090101"), name="生",
                                                    gender="男", entry_year=2025, status="在籍" if k % 10 else "休学") for k in range(660)])
    placed = [st for st in students if st.status == "在籍"]
    Enrollment.objects.bulk_create([Enrollment(student=st, admin_class=classes[k % len(classes)]) for k, st in enumerate(placed)])
    for _ in range(6):
        teacher(world.a, subjects=[s["YW"]])
    teacher(world.a, subjects=[s["SX"], s["WL"]])  # half maths, half physics
    teacher(world.a, post=Teacher.Post.COUNSELLOR, subjects=[s["XL"]])
    teacher(world.a, post=Teacher.Post.PRINCIPAL, subjects=[s["YW"]])  # not a full-time teacher
    teacher(world.a, post=Teacher.Post.STAFF, subjects=[s["XX"]])  # support staff: not counted
    new = teacher(world.a, subjects=[s["WL"]])
    HireCheck.objects.create(teacher=new, requested_on=dt.date(2025, 8, 1))  # not yet cleared: not counted
    return s


def test_a_school_against_a_direct_count(world):
    _school_a(world)
    got = school_staffing(user=world.city_user, school=world.a.school)["schools"][0]
    assert (got.classes, got.students) == (12, 2 + 594)  # placed in this year's classes: 660 less every tenth (休学)
    assert got.teachers == 1 + 6 + 1 + 1  # world's maths teacher, 语文 ×6, maths/physics, counsellor
    assert got.ratio_need == math.ceil((2 + 594) / 12.5) == 48
    lines = {x.subject: x for x in got.subjects}
    for code, periods in WEEKLY_PERIODS.items():
        assert lines[code].need == math.ceil(12 * periods / 10)
    assert (float(lines["SX"].have), float(lines["WL"].have), float(lines["YW"].have), float(lines["XL"].have)) == (1.5, 0.5, 6, 1)
    assert float(lines["XX"].have) == 0 and lines["XX"].shortage == 2
    assert {x.subject for x in got.shortages} == {c for c in WEEKLY_PERIODS if lines[c].have < lines[c].need}


def test_counties_sum_their_schools_and_each_user_sees_their_own(world):
    _school_a(world)
    data = school_staffing(user=world.city_user)
    by_county = {c.county_id: c for c in data["counties"]}
    a = by_county[world.a.county.pk]
    assert a.schools == 1 and a.students == 596 and a.shortage["XX"] == 2
    assert by_county[world.b.county.pk].students == 2 and by_county[world.b.county.pk].shortage["XL"] == 1  # 2 classes: ⌈2/10⌉ = 1
    assert [s.school_id for s in school_staffing(user=world.a.school_user)["schools"]] == [world.a.school.pk]
    assert [s.school_id for s in school_staffing(user=world.b.county_user)["schools"]] == [world.b.school.pk]


def _chart(body: str, ident: str):
    return json.loads(re.search(rf'<script id="{ident}" type="application/json">(.*?)</script>', body, re.S).group(1))


def test_the_pages_show_the_table_and_the_chart_data(world):
    _school_a(world)
    c = Client()
    c.force_login(world.city_user)
    body = c.get(reverse("people_staffing")).content.decode()
    assert 'data-testid="county-staffing"' in body and "a县" in body and "b县" in body
    chart = _chart(body, "chart-shortage")
    names = dict(Subject.objects.values_list("code", "name"))
    assert chart["subjects"] == [names.get(code, code) for code in WEEKLY_PERIODS]
    series = {s["name"]: dict(zip(chart["subjects"], s["data"])) for s in chart["series"]}
    assert series["a县"]["信息技术"] == 2.0 and series["b县"]["心理健康"] == 1.0
    c.force_login(world.a.school_user)
    body = c.get(reverse("people_staffing")).content.decode()
    assert world.a.school.name in body and world.b.school.name not in body
    body = c.get(reverse("people_staffing_school", kwargs={"pk": world.a.school.pk})).content.decode()
    chart = _chart(body, "chart-need-have")
    got = dict(zip(chart["subjects"], zip(chart["need"], chart["have"])))
    assert got["数学"] == (6, 1.5) and got["信息技术"] == (2, 0.0)
    c.force_login(world.a.teacher_user)
    assert c.get(reverse("people_staffing")).status_code == 403
