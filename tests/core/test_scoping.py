"""Scoping: a user of another county or school gets 404 (or 403) on every URL that takes an object id, and
nothing changes. The walker reads the URL configuration, so a new URL with an id fails here until it is listed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from gaozhong.core.models import AdminClass, AuditEvent, Job, School, Student, Teacher
from gaozhong.core.scoping import visible

pytestmark = pytest.mark.django_db


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield p.name, prefix + str(p.pattern)


def _job_for(world, place):
    return Job.objects.create(kind="test", title="t", created_by=world.city_user, county=place.county, school=place.school)


# url name -> function(world, place) giving the object of that place the URL takes
OBJECT_URLS = {
    "school_detail": lambda w, p: p.school,
    "school_edit": lambda w, p: p.school,
    "class_detail": lambda w, p: p.admin_class,
    "student_detail": lambda w, p: p.student,
    "student_edit": lambda w, p: p.student,
    "teacher_detail": lambda w, p: p.teacher,
    "teacher_edit": lambda w, p: p.teacher,
    "job_detail": _job_for,
    "job_status": _job_for,
    "job_stop": _job_for,
}


def _domain_url_objects():
    """Each domain lists its URLs with ids in ``tests/<domain>/url_objects.py`` (``OBJECT_URLS``, same form)."""
    import importlib
    from pathlib import Path

    for f in sorted(Path(__file__).resolve().parent.parent.glob("*/url_objects.py")):
        OBJECT_URLS.update(importlib.import_module(f"tests.{f.parent.name}.url_objects").OBJECT_URLS)


_domain_url_objects()


def test_every_url_with_an_id_is_walked():
    with_ids = {name for name, route in _patterns() if "<int:pk>" in route}
    assert with_ids, "no URL takes an id?"
    assert with_ids == set(OBJECT_URLS), f"list these URLs in OBJECT_URLS: {with_ids ^ set(OBJECT_URLS)}"


def _domain_rows():
    """Every row of every domain app's tables (small in these tests), so a refused request provably changed nothing."""
    from django.apps import apps

    out = []
    for model in apps.get_models():
        if model._meta.app_label not in ("core", "auth", "sessions", "contenttypes", "admin", "axes", "django_tasks_db"):
            out.append((model._meta.label, list(model.objects.order_by("pk").values())))
    return out


STATE_EXTRA = []  # domains may append callables returning a comparable snapshot of their tables


def _state():
    return (
        [f() for f in STATE_EXTRA],
        AuditEvent.objects.count(),
        list(School.objects.order_by("pk").values_list("name", "quality")),
        list(Student.objects.order_by("pk").values_list("name", "status", "admin_class")),
        list(Teacher.objects.order_by("pk").values_list("name", "title")),
        list(Job.objects.order_by("pk").values_list("stop_requested", "status")),
        _domain_rows(),
    )


@pytest.mark.parametrize("url_name", sorted(OBJECT_URLS))
@pytest.mark.parametrize("outsider", ["county_user", "school_user", "teacher_user", "student_user"])
def test_it_hides_other_places_objects(world, url_name, outsider):
    obj = OBJECT_URLS[url_name](world, world.b)
    url = reverse(url_name, kwargs={"pk": obj.pk})
    c = Client()
    c.force_login(getattr(world.a, outsider))
    before = _state()
    for method in ("get", "post"):
        r = getattr(c, method)(url, {"name": "改名", "status": "转出", "quality": "ordinary", "title": "高级"})
        allowed = (403, 404, 405) if method == "get" else (403, 404)  # 405: a POST-only URL refuses GET before any lookup
        assert r.status_code in allowed, f"{outsider} {method.upper()} {url} -> {r.status_code}"
    assert _state() == before


@pytest.mark.parametrize("url_name", ["school_detail", "class_detail", "student_detail", "teacher_detail", "job_detail", "job_status"])
def test_it_shows_own_objects_to_the_county(world, url_name):
    obj = OBJECT_URLS[url_name](world, world.b)
    c = Client()
    c.force_login(world.b.county_user)
    assert c.get(reverse(url_name, kwargs={"pk": obj.pk})).status_code == 200


@pytest.mark.parametrize("url_name", ["school_edit", "student_edit", "teacher_edit"])
def test_it_requires_write_role(world, url_name):
    """A teacher may see their school and their class's student, but changes nothing (403)."""
    place = world.b
    obj = {"school_edit": place.school, "student_edit": place.student, "teacher_edit": place.teacher}[url_name]
    c = Client()
    c.force_login(place.teacher_user)
    before = _state()
    assert c.get(reverse(url_name, kwargs={"pk": obj.pk})).status_code == 403
    assert c.post(reverse(url_name, kwargs={"pk": obj.pk}), {"name": "改名"}).status_code == 403
    assert _state() == before


def test_teacher_sees_only_the_classes_they_teach(world):
    p = world.a
    assert list(visible(AdminClass, p.teacher_user)) == [p.admin_class]
    assert list(visible(Student, p.teacher_user)) == [p.student]
    c = Client()
    c.force_login(p.teacher_user)
    assert c.get(reverse("student_detail", kwargs={"pk": p.other_student.pk})).status_code == 404
    assert c.get(reverse("class_detail", kwargs={"pk": p.other_class.pk})).status_code == 404


def test_student_sees_only_themselves(world):
    p = world.a
    assert list(visible(Student, p.student_user)) == [p.student]
    assert visible(Teacher, p.student_user).count() == 0
    assert visible(School, p.student_user).count() == 1


def test_lists_show_only_own_county(world):
    c = Client()
    c.force_login(world.a.county_user)
    body = c.get(reverse("school_list")).content.decode()
    assert world.a.school.name in body and world.b.school.name not in body
    body = c.get(reverse("student_list")).content.decode()
    assert world.a.student.name in body and world.b.student.name not in body


def test_city_admin_sees_everything(world):
    assert visible(School, world.city_user).count() == School.objects.count()
    assert visible(Student, world.city_user).count() == Student.objects.count()


def test_anonymous_is_sent_to_login(world):
    r = Client().get(reverse("school_detail", kwargs={"pk": world.a.school.pk}))
    assert r.status_code == 302 and reverse("login") in r["Location"]


def test_user_without_membership_sees_nothing(world, django_user_model):
    u = django_user_model.objects.create(username="nobody")
    assert visible(School, u).count() == 0
    assert visible(Student, u).count() == 0
