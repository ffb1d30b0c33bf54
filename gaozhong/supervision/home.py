"""Supervision's lines on the 首页 (registered in ``AppConfig.ready`` through ``gaozhong.core.hooks.register_home``):
reported figures (填报) waiting for this user's step, and the task ledger's overdue and 待销号 tasks.

Who acts on what follows the workflow of ``services/intake.py`` and ``services/ledger.py``: a school submits its
own figures, the county reviews its schools' figures, the city approves (school figures after county review,
county and city forms directly) and closes (销号) tasks.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaozhong.core.hooks import HomeItem
from gaozhong.core.models import Role
from gaozhong.core.scoping import Scope, visible

from .models import Submission, Task

S, T = Submission.Status, Task.Status


def _intake(**query) -> str:
    return reverse("sup_intake") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def _ledger(query: str) -> str:
    return reverse("sup_ledger") + "?" + query


def supervision_home(user, scope: Scope) -> list[HomeItem]:
    role = scope.role
    if role not in (Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN):
        return []
    subs = visible(Submission, user)
    tasks = visible(Task, user)
    today = timezone.localdate()
    out: list[HomeItem] = []
    if role == Role.CITY_ADMIN:
        out += [
            HomeItem(_("待批准的学校填报（县级已审核）"), count=subs.filter(status=S.REVIEWED).count(),
                     url=_intake(status="reviewed"), link_label=_("去批准"), order=10),
            HomeItem(_("待批准的县(区)和市级填报"), count=subs.filter(status=S.SUBMITTED).exclude(level=Submission.Level.SCHOOL).count(),
                     url=_intake(status="submitted"), link_label=_("去批准"), order=11),
            HomeItem(_("已申请销号、待审核的台账任务"), count=tasks.filter(status=T.SUBMITTED).count(),
                     url=_ledger("status=submitted"), link_label=_("去销号"), order=20),
            HomeItem(_("数据已达标、待销号的整改任务"), count=tasks.filter(status=T.VERIFIED).count(),
                     url=_ledger("status=verified"), link_label=_("去销号"), order=21),
        ]
    elif role == Role.COUNTY_STAFF:
        out += [
            HomeItem(_("待审核的学校填报"), count=subs.filter(status=S.SUBMITTED, level=Submission.Level.SCHOOL).count(),
                     url=_intake(status="submitted", level="school"), link_label=_("去审核"), order=10),
            HomeItem(_("本县(区)待提交或被退回的填报"),
                     count=subs.filter(level=Submission.Level.COUNTY).filter(Q(status=S.DRAFT) | Q(status=S.RETURNED)).count(),
                     url=_intake(level="county"), link_label=_("去提交"), order=11),
        ]
    else:
        out += [
            HomeItem(_("本校待提交的填报"), count=subs.filter(status=S.DRAFT).count(), url=_intake(status="draft"), link_label=_("去提交"), order=10),
            HomeItem(_("被退回、须修改的填报"), count=subs.filter(status=S.RETURNED).count(), url=_intake(status="returned"),
                     link_label=_("去修改"), order=11),
            HomeItem(_("交给本校推进的台账任务"), count=tasks.filter(status__in=(T.OPEN, T.IN_PROGRESS, T.RETURNED)).count(),
                     url=reverse("sup_ledger"), link_label=_("去推进"), order=20),
        ]
    out.append(HomeItem(_("逾期未销号的台账任务"), count=tasks.exclude(status=T.CLOSED).filter(due_date__lt=today).count(),
                        url=_ledger("overdue=1"), link_label=_("查看"), order=25))
    return out
