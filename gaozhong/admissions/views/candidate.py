"""The candidate's (or parent's) preference page, and the public pages: result lookup and published cutoffs."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gaozhong.admissions.models import AdmissionYear, Confirmation, Preference, Program, SupplementaryRound
from gaozhong.admissions.selectors import current_publication, lookup_row, published_answer
from gaozhong.admissions.services.lookup import lookup_try_begin
from gaozhong.admissions.services.preferences import allowed_programs, preferences_confirm, preferences_set
from gaozhong.admissions.views.cutofflist import cutoff_page
from gaozhong.core.clientaddr import client_address
from gaozhong.core.models import Candidate, Role
from gaozhong.core.scoping import get_visible_or_404, require_role, visible


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


@require_http_methods(["GET", "POST"])
def lookup(request):
    """Public result lookup: 准考证号 + the last 6 characters of the 身份证号, against the latest published year.
    Limited per 准考证号 and per address (``services.lookup``); one indexed read (``selectors.lookup_query``)."""
    form = LookupForm(request.POST or None)
    pub = lookup_row(request.POST.get("exam_no", "")) if request.method == "POST" else current_publication()
    ctx = {"form": form, "published": pub is not None, "publication": pub}
    if request.method == "POST" and pub is not None:
        attempt = lookup_try_begin(year=pub.year, exam_no=request.POST.get("exam_no", ""), address=client_address(request))
        if attempt.refused:
            ctx["error"] = (_("该准考证号查询错误次数过多，请稍后再试，或向毕业学校查询") if attempt.refused == "number"
                            else _("查询过于频繁，请稍后再试"))
            return render(request, "admissions/lookup.html", ctx, status=429)
        answer = published_answer(row=pub, id_tail=form.cleaned_data["id_tail"]) if form.is_valid() else None
        if answer is None:
            ctx["error"] = _("准考证号或身份证号后 6 位不正确")
        else:
            attempt.matched()
            ctx["answer"] = answer
    return render(request, "admissions/lookup.html", ctx)


def cutoffs(request):
    """Public: the published cutoff of every program of the latest published year, explained the way the bureau
    publishes it, searched, filtered, sorted and paged on the server (``cutofflist``). One indexed read per
    request; each page of the list is rendered once per publication, language and query."""
    pub = current_publication()
    table = cutoff_page(request, pub) if pub is not None else ""
    return render(request, "admissions/cutoffs.html", {"publication": pub, "table": table})
