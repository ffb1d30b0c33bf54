"""Authentication: Argon2 hashes, lockout after repeated failures, password rules, CSRF, session expiry."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(world):
    world.a.county_user.set_password("Another-pass-77")
    assert world.a.county_user.password.startswith("argon2")
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_works_and_wrong_password_does_not(world):
    c = Client()
    r = c.post(reverse("login"), {"username": "county_a", "password": "wrong-password-1"})
    assert r.status_code == 200 and "_auth_user_id" not in c.session
    r = c.post(reverse("login"), {"username": "county_a", "password": world.password})
    assert r.status_code == 302 and c.session["_auth_user_id"] == str(world.a.county_user.pk)


def test_account_locks_after_five_failures(world):
    c = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        c.post(reverse("login"), {"username": "county_a", "password": "wrong-password-1"})
    # Even the right password is refused now, from another address too.
    r = Client(REMOTE_ADDR="10.0.0.2").post(reverse("login"), {"username": "county_a", "password": world.password})
    assert r.status_code == 429 and "锁定" in r.content.decode()
    r = Client().post(reverse("login"), {"username": "county_b", "password": world.password})
    assert r.status_code == 302  # other accounts are unaffected


@pytest.mark.parametrize("pw", ["short1A", "1234567890123", "abcdefghijkl", "password123"])
def test_weak_passwords_are_refused(world, pw):
    with pytest.raises(ValidationError):
        validate_password(pw, user=world.a.county_user)


def test_good_password_passes(world):
    validate_password("Huanghe-river-2025", user=world.a.county_user)


def test_forms_require_csrf(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.a.school_user)
    r = c.post(reverse("teacher_edit", kwargs={"pk": world.a.teacher.pk}), {"name": "x", "gender": "女", "title": "一级", "post": "专任教师"})
    assert r.status_code == 403
    r = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "county_a", "password": world.password})
    assert r.status_code == 403


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_pages_send_a_content_security_policy(world):
    c = Client()
    c.force_login(world.city_user)
    r = c.get(reverse("home"))
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r["X-Frame-Options"] == "DENY"


def test_interface_is_chinese_by_default_and_english_on_request(world):
    c = Client()
    c.force_login(world.city_user)
    assert "学校" in c.get(reverse("home")).content.decode()
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = c.get(reverse("home")).content.decode()
    assert 'lang="en"' in body and "Schools" in body


def test_an_english_browser_still_gets_chinese_by_default(world):
    c = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    c.force_login(world.city_user)
    body = c.get(reverse("home")).content.decode()
    assert 'lang="zh-hans"' in body and "概览" in body


def test_password_change_locks_after_five_wrong_current_passwords(world):
    """The current password on the change form cannot be guessed without limit: after five wrong tries even the
    right one is refused, the password stays as it was, and the lock is audited; another user is unaffected."""
    from gaozhong.core.models import AuditEvent

    user = world.a.county_user
    c = Client()
    c.force_login(user)
    new = {"new_password": "Fresh-river-2031", "new_password2": "Fresh-river-2031"}
    for i in range(settings.AXES_FAILURE_LIMIT):
        r = c.post(reverse("password_change"), {"old_password": f"guess-{i}-x1", **new})
        assert r.status_code == 200
    r = c.post(reverse("password_change"), {"old_password": world.password, **new})
    assert r.status_code == 200 and "输错次数过多" in r.content.decode()
    user.refresh_from_db()
    assert user.check_password(world.password) and not user.check_password("Fresh-river-2031")
    assert AuditEvent.objects.filter(action="core.user.password_change_locked", actor=user).count() == 1
    other = Client()
    other.force_login(world.b.county_user)
    r = other.post(reverse("password_change"), {"old_password": world.password, **new})
    assert r.status_code == 302
    world.b.county_user.refresh_from_db()
    assert world.b.county_user.check_password("Fresh-river-2031")


def test_a_right_current_password_before_the_limit_changes_it_and_resets_the_count(world):
    user = world.a.county_user
    c = Client()
    c.force_login(user)
    new = {"new_password": "Fresh-river-2031", "new_password2": "Fresh-river-2031"}
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        c.post(reverse("password_change"), {"old_password": f"guess-{i}-x1", **new})
    r = c.post(reverse("password_change"), {"old_password": world.password, **new})
    assert r.status_code == 302
    r = c.post(reverse("password_change"), {"old_password": "wrong-again-1", "new_password": "Other-river-2032", "new_password2": "Other-river-2032"})
    assert "当前密码不正确" in r.content.decode()
