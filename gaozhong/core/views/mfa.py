"""Two-factor sign-in pages: enrol an authenticator app, and enter its code after the password.

``MfaMiddleware`` sends a signed-in bureau user who has an authenticator (or must have one) to these pages until
the code of this sign-in is entered; nothing else of the site answers them before that.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from gaozhong.core.models import TotpDevice
from gaozhong.core.services.mfa import (
    SESSION_FLAG, confirmed_device, mfa_allowed, mfa_check, mfa_confirm, mfa_enrolment_start, mfa_locked, mfa_required,
    provisioning_uri,
)

LOCKED = "动态口令连续输错次数过多，请 15 分钟后再登录"


class CodeForm(forms.Form):
    code = forms.CharField(label="动态口令（6 位数字）", max_length=8, widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    if not mfa_allowed(request.user):
        raise PermissionDenied("当前角色不使用动态口令")
    if confirmed_device(request.user) is not None:
        return redirect("mfa_verify" if not request.session.get(SESSION_FLAG) else "home")
    form = CodeForm(request.POST or None)
    device = TotpDevice.objects.filter(user=request.user, confirmed_at__isnull=True).first()
    if request.method == "POST" and device is not None and form.is_valid():
        if mfa_confirm(actor=request.user, code=form.cleaned_data["code"]):
            request.session[SESSION_FLAG] = True
            return redirect("home")
        if mfa_locked(request.user):
            logout(request)
            return render(request, "core/locked_out.html", {"message": LOCKED}, status=429)
        form.add_error("code", "动态口令不正确，请核对手机时间后重试")
    if device is None or request.method == "GET":
        device = mfa_enrolment_start(actor=request.user) if device is None else device
    return render(request, "core/mfa_setup.html", {
        "form": form, "secret": device.secret, "uri": provisioning_uri(device), "required": mfa_required(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    if confirmed_device(request.user) is None:
        return redirect("mfa_setup" if mfa_required(request.user) else "home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa_check(actor=request.user, code=form.cleaned_data["code"]):
            request.session[SESSION_FLAG] = True
            nxt = request.GET.get("next", "")
            safe = url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure())
            return redirect(nxt if nxt and safe else "home")
        if mfa_locked(request.user):
            logout(request)
            return render(request, "core/locked_out.html", {"message": LOCKED}, status=429)
        form.add_error("code", "动态口令不正确")
    return render(request, "core/form.html", {"form": form, "title": "输入动态口令", "submit_label": "确认"})


class MfaMiddleware:
    """Until this sign-in's code is entered, a bureau user with an authenticator (or one who must have one) can
    open only the two-factor pages, sign out and switch the language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.session.get(SESSION_FLAG) and mfa_allowed(user):
            has_device = confirmed_device(user) is not None
            if has_device or mfa_required(user):
                path = request.path
                if not (path.startswith("/static/") or path in self._exempt_paths()):
                    return redirect(f"{reverse('mfa_verify' if has_device else 'mfa_setup')}?next={request.path}")
        return self.get_response(request)

    def _exempt_paths(self) -> set[str]:
        return {reverse(n) for n in ("mfa_setup", "mfa_verify", "logout", "login", "set_language")}
