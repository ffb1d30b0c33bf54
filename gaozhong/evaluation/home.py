"""Value-added evaluation's lines on the 首页 (registered in ``AppConfig.ready`` through
``gaozhong.core.hooks.register_home``): for a school, the data the evaluation still lacks that the school itself
imports (the readiness panel of the overview, ``selectors.value_added_readiness``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from gaozhong.core.hooks import HomeItem
from gaozhong.core.models import Role
from gaozhong.core.scoping import Scope

from .selectors import value_added_readiness
from .services.imports import IMPORT_ROLES, may_import


def evaluation_home(user, scope: Scope) -> list[HomeItem]:
    if scope.role != Role.SCHOOL_ADMIN:
        return []
    openable = {reverse("evaluation_import", args=[k]) for k in IMPORT_ROLES if may_import(user, k)}
    return [HomeItem(m.message, url=m.url, link_label=_("去导入"), order=45) for m in value_added_readiness(user=user) if m.url in openable]
