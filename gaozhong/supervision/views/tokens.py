"""API tokens: a user issues and revokes their own; the new token is shown once. The city admin sees the call log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gaozhong.core.confirm import confirmed
from gaozhong.core.scoping import scope_of

from ..models import ApiCall, ApiToken
from ..services.tokens import token_issue, token_revoke
from .common import base_context, require_supervision

#: the newest calls the page lists (it says so when there are more)
CALLS_SHOWN = 100


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    require_supervision(request.user)
    raw = None
    if request.method == "POST":
        try:
            _, raw = token_issue(actor=request.user, name=request.POST.get("name", ""))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    mine = ApiToken.objects.filter(user=request.user)
    calls = ApiCall.objects.select_related("token", "user")
    if not scope_of(request.user).is_city:
        calls = calls.filter(user=request.user)
    return render(request, "supervision/tokens.html", base_context(request, "sup_tokens", tokens=mine, raw=raw, calls=calls[:CALLS_SHOWN],
                                                                   calls_shown=CALLS_SHOWN, calls_total=calls.count()))


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    require_supervision(request.user)
    tok = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if tok is None:
        raise Http404("no such token")
    if not confirmed(request):
        return redirect("sup_tokens")
    try:
        token_revoke(actor=request.user, token=tok)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "令牌已吊销")
    return redirect("sup_tokens")
