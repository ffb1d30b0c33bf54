"""Template context: the navigation a user's role gets, and their scope's label."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from .models import Role
from .scoping import scope_of

# (url name, label, roles that see it)
NAV = [
    ("home", pgettext_lazy("nav", "首页"), {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN, Role.TEACHER, Role.STUDENT}),
    ("school_list", pgettext_lazy("nav", "学校"), {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN}),
    ("class_list", pgettext_lazy("nav", "班级"), {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN, Role.TEACHER}),
    ("student_list", pgettext_lazy("nav", "学生"), {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN, Role.TEACHER}),
    ("teacher_list", pgettext_lazy("nav", "教师"), {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN}),
    ("import_list", pgettext_lazy("nav", "数据导入"), {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN}),
    ("job_list", pgettext_lazy("nav", "后台任务"), {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN}),
    ("audit_list", pgettext_lazy("nav", "审计日志"), {Role.CITY_ADMIN}),
]


def _all_nav():
    """The foundation's items, then each installed app's ``<app>/nav.py`` ``NAV`` list, in INSTALLED_APPS order."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    items = list(NAV)
    for cfg in apps.get_app_configs():
        if cfg.name.startswith("gaozhong.") and cfg.name != "gaozhong.core" and find_spec(f"{cfg.name}.nav"):
            items += import_module(f"{cfg.name}.nav").NAV
    return items


def navigation(request):
    user = getattr(request, "user", None)
    scope = scope_of(user)
    items = []
    if scope.role:
        for name, label, roles in _all_nav():
            if scope.role in roles:
                items.append({"url": reverse(name), "label": label, "name": name})
    return {"nav_items": items, "user_scope": scope}
