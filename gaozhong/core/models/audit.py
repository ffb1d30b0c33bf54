"""The audit trail: one append-only row per write, with who, when, what, before and after.

Rows cannot be changed or deleted through the application: ``save`` refuses an update, ``delete`` and the
queryset's ``update``/``delete`` refuse, and a database trigger (migration 0002) refuses UPDATE and DELETE on
PostgreSQL and SQLite alike, so even a raw query cannot rewrite history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .scope import ScopePaths


class AuditImmutable(Exception):
    """Raised on any attempt to change or remove an audit row."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D401
        raise AuditImmutable("审计记录不可修改 (audit rows cannot be changed)")

    def delete(self):
        raise AuditImmutable("审计记录不可删除 (audit rows cannot be deleted)")


class AuditEvent(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="操作人")
    actor_label = models.CharField("操作人(快照)", max_length=150)
    action = models.CharField("操作", max_length=80, db_index=True)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    county = models.ForeignKey("core.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="县(区)")
    school = models.ForeignKey("core.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="学校")
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    objects = AuditQuerySet.as_manager()
    scope_paths = ScopePaths(county="county", school="school")

    class Meta:
        verbose_name = verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["county", "at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutable("审计记录不可修改 (audit rows cannot be changed)")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("审计记录不可删除 (audit rows cannot be deleted)")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
