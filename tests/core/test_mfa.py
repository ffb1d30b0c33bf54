"""Two-factor sign-in (TOTP) for city and county accounts: enrolment, the code after the password, no reuse of a
code, a limit on wrong codes, required by the production setting, and nothing else of the site before it."""

from __future__ import annotations

import pyotp
import pytest
from django.conf import settings as dj_settings
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, TotpDevice
from gaozhong.core.services.mfa import mfa_reset

pytestmark = pytest.mark.django_db


def signed_in(world, user) -> Client:
    c = Client()
    r = c.post(reverse("login"), {"username": user.username, "password": world.password})
    assert r.status_code == 302
    return c


def enrol(c: Client) -> pyotp.TOTP:
    page = c.get(reverse("mfa_setup")).content.decode()
    secret = TotpDevice.objects.get(confirmed_at__isnull=True).secret
    assert secret in page
    totp = pyotp.TOTP(secret)
    r = c.post(reverse("mfa_setup"), {"code": totp.now()})
    assert r.status_code == 302
    return totp


def test_required_in_production_setting_sends_a_county_user_to_enrol_first(world, settings):
    settings.MFA_REQUIRED = True
    c = signed_in(world, world.a.county_user)
    r = c.get(reverse("school_list"))
    assert r.status_code == 302 and r.url.startswith(reverse("mfa_setup"))
    enrol(c)
    assert c.get(reverse("school_list")).status_code == 200
    assert AuditEvent.objects.filter(action="core.user.mfa_enrolled", actor=world.a.county_user).count() == 1


def test_a_school_account_is_not_asked(world, settings):
    settings.MFA_REQUIRED = True
    c = signed_in(world, world.a.school_user)
    assert c.get(reverse("school_list")).status_code == 200
    assert c.get(reverse("mfa_setup")).status_code == 403


def test_every_sign_in_asks_for_a_fresh_code_and_a_code_is_used_once(world, settings):
    settings.MFA_REQUIRED = False  # enrolled by choice: asked all the same
    c = signed_in(world, world.city_user)
    assert c.get(reverse("school_list")).status_code == 200  # not enrolled, not required
    totp = enrol(c)
    used = totp.now()
    c2 = signed_in(world, world.city_user)
    r = c2.get(reverse("school_list"))
    assert r.status_code == 302 and r.url.startswith(reverse("mfa_verify"))
    r = c2.post(reverse("mfa_verify"), {"code": used})  # the enrolment's code, once more
    assert r.status_code == 200 and "动态口令不正确" in r.content.decode()
    assert c2.get(reverse("school_list")).status_code == 302
    device = TotpDevice.objects.get(user=world.city_user)
    nxt = totp.generate_otp(device.last_step + 1)  # the next time step's code (one step of drift is allowed)
    r = c2.post(reverse("mfa_verify") + "?next=" + reverse("school_list"), {"code": nxt})
    assert r.status_code == 302 and r.url == reverse("school_list")
    assert c2.get(reverse("school_list")).status_code == 200


def test_wrong_codes_lock_the_sign_in(world, settings):
    settings.MFA_REQUIRED = True
    c = signed_in(world, world.a.county_user)
    totp = enrol(c)
    c2 = signed_in(world, world.a.county_user)
    for i in range(dj_settings.AXES_FAILURE_LIMIT - 1):
        assert c2.post(reverse("mfa_verify"), {"code": f"00000{i}"}).status_code == 200
    r = c2.post(reverse("mfa_verify"), {"code": "000009"})
    assert r.status_code == 429 and "输错次数过多" in r.content.decode()
    assert AuditEvent.objects.filter(action="core.user.mfa_locked").count() == 1
    c3 = signed_in(world, world.a.county_user)
    device = TotpDevice.objects.get(user=world.a.county_user)
    r = c3.post(reverse("mfa_verify"), {"code": totp.generate_otp(device.last_step + 1)})
    assert r.status_code == 429  # even the right code, until the cool-off ends


def test_only_the_city_resets_a_lost_authenticator(world):
    TotpDevice.objects.create(user=world.a.county_user, secret=pyotp.random_base32())
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        mfa_reset(actor=world.a.county_user, user=world.a.county_user)
    mfa_reset(actor=world.city_user, user=world.a.county_user)
    assert not TotpDevice.objects.filter(user=world.a.county_user).exists()
    assert AuditEvent.objects.filter(action="core.user.mfa_reset").count() == 1
