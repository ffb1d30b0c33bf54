"""API tokens (one user's key to the read-only JSON API, carrying that user's scope) and the log of every call.

Only a hash of the token is stored; the token itself is shown once when issued. A revoked token stops working
at once. Tokens and the call log live nowhere in particular: a user manages only their own tokens, and only the
city admin reads the whole log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gaozhong.core.models.scope import ScopePaths


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="用户")
    name = models.CharField("用途", max_length=80)
    prefix = models.CharField("前缀", max_length=12)
    key_hash = models.CharField("摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ApiCall(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls", verbose_name="令牌")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="用户")
    method = models.CharField("方法", max_length=8)
    path = models.CharField("路径", max_length=300)
    query = models.CharField("参数", max_length=500, blank=True)
    status = models.PositiveSmallIntegerField("状态码")
    rows = models.PositiveIntegerField("返回条数", null=True, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "接口调用记录"
        ordering = ["-at", "-id"]
