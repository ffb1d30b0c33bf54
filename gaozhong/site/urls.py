"""Root URLs: accounts, language switch, and each domain's pages."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from gaozhong.core.views import account, mfa

urlpatterns = [
    path("accounts/login/", account.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account.password_change_view, name="password_change"),
    path("accounts/mfa/setup/", mfa.mfa_setup, name="mfa_setup"),
    path("accounts/mfa/", mfa.mfa_verify, name="mfa_verify"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admissions/", include("gaozhong.admissions.urls")),
    path("evaluation/", include("gaozhong.evaluation.urls")),
    path("supervision/", include("gaozhong.supervision.urls")),
    path("people/", include("gaozhong.people.urls")),
    path("registry/", include("gaozhong.registry.urls")),
    path("electives/", include("gaozhong.electives.urls")),
    path("", include("gaozhong.core.urls")),
]
