"""A second factor for bureau accounts: one TOTP authenticator (RFC 6238) per user."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .scope import ScopePaths


class TotpDevice(models.Model):
    """The shared secret of a user's authenticator app. Confirmed once the user has entered a first valid code;
    ``last_step`` is the time step of the last accepted code, so a code is never accepted twice."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device", verbose_name="账号")
    secret = models.CharField("密钥", max_length=64)
    confirmed_at = models.DateTimeField("启用时间", null=True, blank=True)
    last_step = models.BigIntegerField("最近使用的时间步", default=0)

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "动态口令设备"

    def __str__(self) -> str:
        return f"{self.user} · TOTP"
