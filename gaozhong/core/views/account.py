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

from gaozhong.core.services.records import password_change


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


class PasswordForm(forms.Form):
    old_password = forms.CharField(label="当前密码", widget=forms.PasswordInput)
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput)
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        if self.user and not self.user.check_password(data.get("old_password", "")):
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
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改")
            return redirect("home")
    return render(request, "core/form.html", {"form": form, "title": "修改密码"})
