"""The people app's lines on the 首页 (registered in ``AppConfig.ready`` through ``gaozhong.core.hooks.register_home``):
for the bureaus, the 准入查询 waiting for a result, the 师德 cases under investigation and the nominations waiting
for a decision (the bureau decides all three, ``services/hiring.py``, ``ethics.py``, ``nominations.py``); for a
teacher, the way to their own profile."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from gaozhong.core.hooks import LINK, HomeItem
from gaozhong.core.models import Role
from gaozhong.core.roles import BUREAU
from gaozhong.core.scoping import Scope, visible

from .models import EthicsRecord, HireCheck, Nomination


def people_home(user, scope: Scope) -> list[HomeItem]:
    if scope.role in BUREAU:
        return [
            HomeItem(_("待录入结果的准入查询"), count=visible(HireCheck, user).filter(status=HireCheck.Status.PENDING).count(),
                     url=reverse("people_hire_checks"), link_label=_("去录入"), order=40),
            HomeItem(_("调查处理中的师德问题"), count=visible(EthicsRecord, user).filter(status=EthicsRecord.Status.OPEN).count(),
                     url=reverse("people_ethics_list") + f"?status={EthicsRecord.Status.OPEN}", link_label=_("去处理"), order=41),
            HomeItem(_("待审批的推荐（提拔、职称、评优）"), count=visible(Nomination, user).filter(status=Nomination.Status.SUBMITTED).count(),
                     url=reverse("people_nominations") + f"?status={Nomination.Status.SUBMITTED}", link_label=_("去审批"), order=42),
        ]
    if scope.role == Role.TEACHER:
        return [HomeItem(_("我的档案"), kind=LINK, note=_("学历、职称、任职和培训学时"), url=reverse("people_me"), order=60)]
    return []
