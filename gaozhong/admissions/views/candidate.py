"""The candidate's (or parent's) preference page, and the public pages: result lookup and published cutoffs."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gaozhong.admissions.models import AdmissionYear, Confirmation, Preference, Program, SupplementaryRound
from gaozhong.admissions.selectors import (
    current_admission_year, lookup_admission, published_cutoffs, published_programs, published_run, recent_lookups,
)
from gaozhong.admissions.services.lookup import lookup_attempt_record
from gaozhong.admissions.services.preferences import allowed_programs, preferences_confirm, preferences_set
from gaozhong.core.models import Candidate, Role
from gaozhong.core.scoping import get_visible_or_404, require_role, visible

LOOKUP_LIMIT = 10  # attempts per address
LOOKUP_WINDOW = dt.timedelta(minutes=10)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    scope = require_role(request.user, Role.STUDENT)
    if not scope.candidate_id:
        raise PermissionDenied("只有中考考生可以填报志愿")
    cand = get_visible_or_404(Candidate.objects.select_related("junior_school", "county"), request.user, pk=scope.candidate_id)
    year = visible(AdmissionYear, request.user).filter(year=cand.year).first()
    if year is None:
        return render(request, "admissions/preferences.html", {"candidate": cand, "year": None})
    batches = sorted(set(visible(Program, request.user).filter(year=year).values_list("batch", flat=True)))
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                preferences_confirm(actor=request.user, year=year, candidate=cand)
                messages.success(request, "志愿已确认")
            else:
                with transaction.atomic():
                    for b in batches:
                        codes = [c.strip() for c in request.POST.getlist(f"batch{b}") if c.strip()]
                        preferences_set(actor=request.user, year=year, candidate=cand, batch=b, program_codes=codes)
                messages.success(request, "志愿已保存；请核对后点击“确认志愿”")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("admissions_preferences")
    current = {b: list(visible(Preference, request.user).filter(year=year, candidate=cand, batch=b).order_by("rank").values_list("program__code", flat=True)) for b in batches}
    slots = []
    for b in batches:
        options = list(allowed_programs(year=year, candidate=cand, batch=b))
        n = year.max_unified_choices if b == max(batches) else min(year.max_unified_choices, max(1, len(options)))
        chosen = current[b] + [""] * (n - len(current[b]))
        slots.append({"batch": b, "options": options, "chosen": chosen[:n]})
    return render(request, "admissions/preferences.html", {
        "candidate": cand, "year": year, "slots": slots, "open": year.window_is_open(),
        "supplementary": visible(SupplementaryRound, request.user).filter(year=year).first(),
        "confirmed": visible(Confirmation, request.user).filter(year=year, candidate=cand).first(),
    })


class LookupForm(forms.Form):
    exam_no = forms.CharField(label="准考证号", max_length=20)
    id_tail = forms.CharField(label="身份证号后 6 位", min_length=6, max_length=6)


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


@require_http_methods(["GET", "POST"])
def lookup(request):
    """Public result lookup: 准考证号 + the last 6 characters of the 身份证号; at most 10 tries per address in 10
    minutes. Shows nothing before the bureau approves and publishes the results."""
    year = current_admission_year()
    run = published_run(year)
    form = LookupForm(request.POST or None)
    ctx = {"form": form, "published": run is not None, "year": year}
    if request.method == "POST":
        ip = _client_ip(request)
        if recent_lookups(ip=ip, since=timezone.now() - LOOKUP_WINDOW) >= LOOKUP_LIMIT:
            ctx["error"] = _("查询过于频繁，请 10 分钟后再试")
            return render(request, "admissions/lookup.html", ctx, status=429)
        ok = False
        if run is not None and form.is_valid():
            adm = lookup_admission(run=run, exam_no=form.cleaned_data["exam_no"], id_tail=form.cleaned_data["id_tail"])
            if adm is not None:
                ok = True
                programs = {p.code: p for p in published_programs(run)}
                ctx["admission"] = adm
                ctx["choices"] = [{**c, "program_name": str(programs[c["program"]]) if c["program"] in programs else c["program"]} for c in adm.explanation]
        lookup_attempt_record(ip=ip, success=ok)
        if not ok and run is not None:
            ctx["error"] = _("准考证号或身份证号后 6 位不正确")
    return render(request, "admissions/lookup.html", ctx)


def cutoffs(request):
    """Public: the published cutoff of every program, explained the way the bureau publishes it."""
    run, rows = published_cutoffs(current_admission_year())
    return render(request, "admissions/cutoffs.html", {"run": run, "rows": rows})
