"""Browsing the audit trail (city admins): filter by action, user, object and date. Read only."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from gaozhong.core.models import AuditEvent, Role
from gaozhong.core.scoping import require_role, visible


@login_required
def audit_list(request):
    require_role(request.user, Role.CITY_ADMIN)
    qs = visible(AuditEvent, request.user).select_related("county", "school")
    f = {k: (request.GET.get(k) or "").strip() for k in ("action", "actor", "object_type", "object_id", "since", "until")}
    if f["action"]:
        qs = qs.filter(action__startswith=f["action"])
    if f["actor"]:
        qs = qs.filter(actor_label=f["actor"])
    if f["object_type"]:
        qs = qs.filter(object_type=f["object_type"])
    if f["object_id"]:
        qs = qs.filter(object_id=f["object_id"])
    for key, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        if f[key]:
            try:
                qs = qs.filter(**{lookup: dt.date.fromisoformat(f[key])})
            except ValueError:
                f[key] = ""
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page, "f": f})
