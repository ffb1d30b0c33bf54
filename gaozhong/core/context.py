"""Template context: the navigation a user's role gets, their scope's label, and the standards pages quote.

An entry names the roles (or audiences, ``gaozhong.core.roles``) that may open its page; a user sees it when one
of their audiences is named, so a menu never offers a page that answers 403 or 404 (tests/core/test_homes.py
walks every role's menu). ``may_take_full_ids`` says whether export links may offer full 身份证号
(docs/personal_data.md)."""

from __future__ import annotations

from fractions import Fraction

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from gaozhong.common.standards import (
    CLASS_LARGE_MAX, CLASS_MAX, QUOTA_MIN_SHARE, RESEARCHER_MIN_HOURS, ROTATION_MIN_SHARE, STUDENTS_PER_TEACHER,
)

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


def app_declarations(name: str) -> list:
    """What each installed domain app's ``<app>/nav.py`` declares under ``name`` (``NAV``, ``CRUMBS``), in
    INSTALLED_APPS order: how the foundation hears of the domains' pages without importing them."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    out = []
    for cfg in apps.get_app_configs():
        if cfg.name.startswith("gaozhong.") and cfg.name != "gaozhong.core" and find_spec(f"{cfg.name}.nav"):
            declared = getattr(import_module(f"{cfg.name}.nav"), name, None)
            if declared is not None:
                out.append(declared)
    return out


def all_nav():
    """The foundation's items, then each installed app's ``NAV`` list, in INSTALLED_APPS order."""
    items = list(NAV)
    for declared in app_declarations("NAV"):
        items += declared
    return items


def navigation(request):
    user = getattr(request, "user", None)
    scope = scope_of(user)
    items = []
    if scope.role:
        mine = scope.audiences
        for name, label, roles in all_nav():
            if mine & set(roles):
                items.append({"url": reverse(name), "label": label, "name": name})
    # Whether the export links may offer full 身份证号 (docs/personal_data.md).
    return {"nav_items": items, "user_scope": scope, "may_take_full_ids": may_take_full_ids(user)}


def _plain(x: Fraction | int) -> int | float:
    """12.5 stays 12.5, 15 is written 15 (not 15.0)."""
    return int(x) if Fraction(x).denominator == 1 else float(x)


#: The standards as pages write them (``{{ std.class_max }}``), read from gaozhong/common/standards.py: a page
#: never writes 55, 12.5, 72 or 15 % itself (tests/test_standards_rules.py checks the templates).
STANDARDS_SHOWN = {
    "class_max": CLASS_MAX,  # 班额 ≤ 55 (002 §三(七))
    "class_large_min": CLASS_MAX + 1,  # 大班额 56–65
    "class_large_max": CLASS_LARGE_MAX,
    "class_huge_min": CLASS_LARGE_MAX + 1,  # 超大班额 ≥ 66
    "students_per_teacher": _plain(STUDENTS_PER_TEACHER),  # 师生比 1:12.5 (002 §三(三))
    "researcher_min_hours": RESEARCHER_MIN_HOURS,  # 72 课时 (002 §三(二))
    "rotation_min_percent": _plain(ROTATION_MIN_SHARE * 100),  # 交流轮岗 > 15 % (003 §三(五))
    "quota_min_percent": _plain(QUOTA_MIN_SHARE * 100),  # 指标到校 ≥ 50 % (002 §三(一))
}


def standards(request):
    """``std``: the standards every template may quote."""
    return {"std": STANDARDS_SHOWN}
