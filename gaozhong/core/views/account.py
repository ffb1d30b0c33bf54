"""Log in (with lockout after repeated failures, by django-axes) and change one's own password."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from django.conf import settings

from gaozhong.core.passwords import clear_current_password_failures, current_password_locked, record_current_password_failure
from gaozhong.core.services.records import password_change, password_change_locked


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


LOCKED_MESSAGE = "当前密码连续输错次数过多，请 15 分钟后再试"


class PasswordForm(forms.Form):
    old_password = forms.CharField(label="当前密码", widget=forms.PasswordInput)
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput)
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        if current_password_locked(self.user):
            raise forms.ValidationError(LOCKED_MESSAGE)
        if not self.user.check_password(data.get("old_password", "")):
            if record_current_password_failure(self.user) >= settings.AXES_FAILURE_LIMIT:
                password_change_locked(actor=self.user)
                raise forms.ValidationError(LOCKED_MESSAGE)
            self.add_error("old_password", "当前密码不正确")
        if data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    form = PasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(actor=request.user, new_password=form.cleaned_data["new_password"])
        except ValidationError as exc:
            form.add_error("new_password", exc)
        else:
            clear_current_password_failures(request.user)
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改")
            return redirect("home")
    return render(request, "core/form.html", {"form": form, "title": "修改密码"})
