"""The registry's lines on the 首页 (registered in ``AppConfig.ready`` through ``gaozhong.core.hooks.register_home``):
open anomalies of the latest check in the user's place, and for a school the evidence imports the check still lacks
(the readiness panel of the worklist, ``selectors.check_readiness``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaozhong.core.hooks import HomeItem
from gaozhong.core.models import Role
from gaozhong.core.roles import STAFF
from gaozhong.core.scoping import Scope, visible

from .models import RegistryAnomaly, RegistryCheck
from .selectors import check_readiness
from .services.imports import IMPORT_ROLES, may_import


def registry_home(user, scope: Scope) -> list[HomeItem]:
    if scope.role not in STAFF:
        return []
    check = RegistryCheck.objects.first()
    out: list[HomeItem] = []
    if check is not None:
        n = visible(RegistryAnomaly, user).filter(check_run=check, status=RegistryAnomaly.Status.OPEN).count()
        label = _("本校学生的学籍异常待处理") if scope.role == Role.SCHOOL_ADMIN else _("学籍异常待处理")
        out.append(HomeItem(label, count=n, note=_("%(date)s 检查") % {"date": timezone.localdate(check.created_at)},
                            url=reverse("registry_worklist"), link_label=_("去处理"), order=30))
    if scope.role == Role.SCHOOL_ADMIN:
        openable = {reverse("registry_import", args=[k]) for k in IMPORT_ROLES if may_import(user, k)}
        out += [HomeItem(m.message, url=m.url, link_label=_("去导入"), order=40) for m in check_readiness(user=user) if m.url in openable]
    return out
