"""What every supervision page shares: who may open it, the school year asked for, and the tab bar."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from gaozhong.core.confirm import confirmed
from gaozhong.core.models import Role
from gaozhong.core.scoping import get_visible_or_404, require_role, scope_of
from gaozhong.core.roles import STAFF

from ..selectors import latest_complete_year, years

SUPERVISION_ROLES = STAFF

TABS = [
    ("sup_dashboard", "概览"), ("sup_catalog", "指标目录"), ("sup_intake", "数据填报"), ("sup_leagues", "排名"),
    ("sup_laggards", "推进不力"), ("sup_whatif", "班额与师资测算"), ("sup_reports", "通报"), ("sup_ledger", "台账"), ("sup_tokens", "数据接口"),
]


def require_supervision(user):
    return require_role(user, *SUPERVISION_ROLES)


def year_of(request) -> int | None:
    """The school year asked for (``?year=``), else the latest complete one."""
    known = years()
    raw = request.GET.get("year") or request.POST.get("year")
    if raw and raw.isdigit() and int(raw) in known:
        return int(raw)
    return latest_complete_year()


def base_context(request, tab: str, **extra) -> dict:
    tabs = TABS if scope_of(request.user).role != Role.SCHOOL_ADMIN else [t for t in TABS if t[0] != "sup_reports"]
    return {"tabs": tabs, "tab": tab, "years": years(), "year": extra.pop("year", None) or year_of(request), **extra}


def workflow_step(request, model, pk: int, service, done: str, *, arg: str, page: str, confirm: bool = False, **kwargs):
    """One POSTed workflow step on an object the user may see: call its service (which checks the user's right
    and the state), report the outcome as a message, and return to the object's page. An irreversible step
    (``confirm=True``) is refused, changing nothing, unless the POST carries the ticked confirmation
    (``gaozhong.core.confirm``)."""
    require_supervision(request.user)
    obj = get_visible_or_404(model, request.user, pk=pk)
    if confirm and not confirmed(request):
        return redirect(page, pk=obj.pk)
    try:
        service(actor=request.user, **{arg: obj}, **kwargs)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, done)
    return redirect(page, pk=obj.pk)
