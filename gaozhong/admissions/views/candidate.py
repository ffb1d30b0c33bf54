"""The candidate's (or parent's) own pages — preferences, the 志愿回执, their result with every choice explained and
the 录取通知书 — and the public pages: result lookup and published cutoffs."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gaozhong.admissions.models import AdmissionYear, Confirmation, Preference, Program, SupplementaryRound
from gaozhong.admissions.notices import notice_pdf
from gaozhong.admissions.selectors import (
    admitted_plan, candidate_result, current_publication, lookup_row, previous_cutoffs, published_answer, receipt,
)
from gaozhong.admissions.services.lookup import lookup_try_begin
from gaozhong.admissions.services.notice import REPORT_LATER, admission_notice
from gaozhong.admissions.services.preferences import (
    SlotProblem, allowed_programs, preference_problems, preferences_confirm, preferences_set,
)
from gaozhong.admissions.services.supplementary import may_take_part
from gaozhong.admissions.views.cutofflist import cutoff_page
from gaozhong.core.clientaddr import client_address
from gaozhong.core.models import Candidate, Role
from gaozhong.core.scoping import get_visible_or_404, require_role, visible


def _own_candidate(request) -> Candidate:
    """The signed-in 中考 candidate's record (403 for any other account)."""
    scope = require_role(request.user, Role.STUDENT)
    if not scope.candidate_id:
        raise PermissionDenied("只有中考考生可以查看")
    return get_visible_or_404(Candidate.objects.select_related("junior_school", "county"), request.user, pk=scope.candidate_id)


def _slots(*, year: AdmissionYear, batches: list[int], options: dict[int, list[Program]], chosen: dict[int, list[str]],
           problems: list[SlotProblem]) -> list[dict]:
    """Each batch of the form: its programs and its choices, each choice with the problem found in it."""
    wrong = {(p.batch, p.rank): p.message for p in problems}
    out = []
    for b in batches:
        n = year.max_unified_choices if b == max(batches) else min(year.max_unified_choices, max(1, len(options[b])))
        codes = (chosen.get(b, []) + [""] * n)[:max(n, len(chosen.get(b, [])))]
        slots = [{"rank": i, "code": c, "error": wrong.get((b, i), "")} for i, c in enumerate(codes, start=1)]
        out.append({"batch": b, "options": options[b], "slots": slots, "invalid": any(s["error"] for s in slots)})
    return out


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """The candidate's preferences by batch. On any problem the page comes back with everything as entered, each
    wrong choice marked and named by batch and rank; 确认志愿 saves what is on the form, then confirms it."""
    cand = _own_candidate(request)
    year = visible(AdmissionYear, request.user).filter(year=cand.year).first()
    if year is None:
        return render(request, "admissions/preferences.html", {"candidate": cand, "year": None})
    batches = sorted(set(visible(Program, request.user).filter(year=year).values_list("batch", flat=True)))
    options = {b: allowed_programs(year=year, candidate=cand, batch=b) for b in batches}
    last = previous_cutoffs(year)
    for opts in options.values():
        for p in opts:
            p.last_cutoff, p.last_rank = last.by_code.get(p.code, (None, None))
    is_open = year.window_is_open()
    problems: list[SlotProblem] = []
    error = ""
    entered = None
    if request.method == "POST":
        confirm = request.POST.get("action") == "confirm"
        entered = {b: [c.strip() for c in request.POST.getlist(f"batch{b}")] for b in batches}
        if is_open:
            for b in batches:
                problems += preference_problems(year=year, candidate=cand, batch=b, slots=entered[b], allowed={p.code: p for p in options[b]})
        if not problems:
            try:
                with transaction.atomic():
                    for b in batches:
                        preferences_set(actor=request.user, year=year, candidate=cand, batch=b, program_codes=[c for c in entered[b] if c])
                    if confirm:
                        preferences_confirm(actor=request.user, year=year, candidate=cand)
                messages.success(request, _("志愿已保存并确认") if confirm else _("志愿已保存；请核对后点击“确认志愿”"))
                return redirect("admissions_preferences")
            except (ValidationError, PermissionDenied) as exc:
                error = "；".join(getattr(exc, "messages", [str(exc)]))
    saved = {}
    for b, code in visible(Preference, request.user).filter(year=year, candidate=cand).order_by("batch", "rank").values_list("batch", "program__code"):
        saved.setdefault(b, []).append(code)
    chosen = entered if (entered is not None and is_open) else saved
    return render(request, "admissions/preferences.html", {
        "candidate": cand, "year": year, "open": is_open, "last_year": last.year, "error": error, "problems": problems,
        "slots": _slots(year=year, batches=batches, options=options, chosen=chosen, problems=problems),
        "supplementary": visible(SupplementaryRound, request.user).filter(year=year).first(),
        "confirmed": visible(Confirmation, request.user).filter(year=year, candidate=cand).first(),
    })


@login_required
def receipt_page(request):
    """The candidate's 志愿回执: every batch's choices in order and when they were confirmed, to print."""
    cand = _own_candidate(request)
    year = visible(AdmissionYear, request.user).filter(year=cand.year).first()
    ctx = {"candidate": cand, "year": year, "printed_at": timezone.localtime()}
    if year is not None:
        ctx["receipt"] = receipt(user=request.user, candidate=cand, year=year)
    return render(request, "admissions/receipt.html", ctx)


@login_required
def result(request):
    """The candidate's own result after publication, read from the publication the public lookup reads, with every
    choice explained; for an admitted candidate the 报到 arrangement and the 录取通知书."""
    cand = _own_candidate(request)
    res = candidate_result(user=request.user, candidate=cand)
    year = visible(AdmissionYear, request.user).filter(year=cand.year).first()
    rnd = visible(SupplementaryRound, request.user).filter(year=year).first() if year else None
    ctx = {"candidate": cand, "result": res, "answer": res.answer if res else None,
           "supplementary_open": rnd is not None and rnd.status == SupplementaryRound.Status.OPEN and may_take_part(rnd, cand)}
    if res is not None and res.admitted:
        ctx["plan"] = admitted_plan(user=request.user, candidate=cand, result=res)
    return render(request, "admissions/result.html", ctx)


@login_required
def notice_download(request):
    """The admitted candidate's 录取通知书 as a PDF (audited: it carries the candidate's personal data)."""
    cand = _own_candidate(request)
    # the audit row and the rendering stand or fall together: a notice that failed to render is not recorded
    with transaction.atomic():
        try:
            notice = admission_notice(actor=request.user, candidate=cand)
        except ValidationError:
            raise Http404("没有录取通知书") from None
        data = notice_pdf(render_to_string("admissions/notice_print.html", {"n": notice, "later": REPORT_LATER}, request=request))
    resp = HttpResponse(data, content_type="application/pdf")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'录取通知书_{cand.exam_no}.pdf')}"
    return resp


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
