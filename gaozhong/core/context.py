"""Template context: the navigation a user's role gets, their scope's label, and whether they may export full ID numbers."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from .models import Role
from .roles import CLASSROOM, EVERYONE, STAFF
from .scoping import may_take_full_ids, scope_of

# (url name, label, roles that see it)
NAV = [
    ("home", pgettext_lazy("nav", "首页"), EVERYONE),
    ("school_list", pgettext_lazy("nav", "学校"), STAFF),
    ("class_list", pgettext_lazy("nav", "班级"), CLASSROOM),
    ("student_list", pgettext_lazy("nav", "学生"), CLASSROOM),
    ("teacher_list", pgettext_lazy("nav", "教师"), STAFF),
    ("import_list", pgettext_lazy("nav", "数据导入"), STAFF),
    ("job_list", pgettext_lazy("nav", "后台任务"), STAFF),
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
    # Whether the export links may offer full 身份证号 (docs/personal_data.md).
    return {"nav_items": items, "user_scope": scope, "may_take_full_ids": may_take_full_ids(user)}
