"""Two-factor sign-in (TOTP, RFC 6238) for the bureaus' accounts.

City administrators and county staff may enrol an authenticator app; with ``MFA_REQUIRED`` (on by default in
production) they must, and every sign-in of theirs asks for a code after the password. A code is accepted once
(its time step is remembered), one step of clock drift is allowed either way, and wrong codes are limited like
wrong passwords (five in fifteen minutes, counted atomically in the shared cache).
"""

from __future__ import annotations

import pyotp
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gaozhong.core.audit import audit_record
from gaozhong.core.models import Role, TotpDevice
from gaozhong.core.scoping import scope_of
from gaozhong.core.roles import BUREAU

ISSUER = "高中教育管理平台"
MFA_ROLES = BUREAU
SESSION_FLAG = "gaozhong_mfa_ok"


def mfa_allowed(user) -> bool:
    return user.is_authenticated and scope_of(user).role in MFA_ROLES


def mfa_required(user) -> bool:
    return settings.MFA_REQUIRED and mfa_allowed(user)


def confirmed_device(user) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER)


@transaction.atomic
def mfa_enrolment_start(*, actor) -> TotpDevice:
    """A new secret for the actor's authenticator, not in force until a first code confirms it. Refused while a
    confirmed device exists (a lost phone is reset by the city administrator)."""
    if not mfa_allowed(actor):
        raise PermissionDenied("当前角色不使用动态口令")
    if confirmed_device(actor) is not None:
        raise PermissionDenied("已启用动态口令")
    TotpDevice.objects.filter(user=actor).delete()
    return TotpDevice.objects.create(user=actor, secret=pyotp.random_base32())


def _locked(user) -> bool:
    return (cache.get(_key(user)) or 0) >= settings.AXES_FAILURE_LIMIT


def _key(user) -> str:
    return f"gaozhong:mfa-failures:{user.pk}"


def _fail(user) -> None:
    cache.add(_key(user), 0, timeout=int(float(settings.AXES_COOLOFF_TIME) * 3600))
    try:
        n = cache.incr(_key(user))
    except ValueError:
        n = 1
    if n == settings.AXES_FAILURE_LIMIT:
        audit_record(actor=user, action="core.user.mfa_locked", obj=user, object_repr=user.get_username())


def _accept(device: TotpDevice, code: str) -> bool:
    """True when ``code`` is valid now (± one step) and of a later step than the last accepted one."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(device.secret)
    now = timezone.now()
    step_now = totp.timecode(now)
    for delta in (0, -1, 1):
        step = step_now + delta
        if step > device.last_step and totp.generate_otp(step) == code:
            device.last_step = step
            return True
    return False


@transaction.atomic
def mfa_confirm(*, actor, code: str) -> bool:
    """Confirm the actor's new authenticator with a first code; audited."""
    if _locked(actor):
        return False
    device = TotpDevice.objects.select_for_update().filter(user=actor, confirmed_at__isnull=True).first()
    if device is None or not _accept(device, code):
        _fail(actor)
        return False
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at", "last_step"])
    audit_record(actor=actor, action="core.user.mfa_enrolled", obj=actor, object_repr=actor.get_username())
    return True


@transaction.atomic
def mfa_check(*, actor, code: str) -> bool:
    """The second step of a sign-in: is ``code`` the actor's current one (and not used before)?"""
    if _locked(actor):
        return False
    device = TotpDevice.objects.select_for_update().filter(user=actor, confirmed_at__isnull=False).first()
    if device is None or not _accept(device, code):
        _fail(actor)
        return False
    device.save(update_fields=["last_step"])
    cache.delete(_key(actor))
    return True


def mfa_locked(user) -> bool:
    return _locked(user)


@transaction.atomic
def mfa_reset(*, actor, user) -> None:
    """The city administrator removes a user's authenticator (a lost phone); the user enrols again."""
    if scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("只有市教育局管理员可以重置动态口令")
    TotpDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action="core.user.mfa_reset", obj=user, object_repr=user.get_username())
