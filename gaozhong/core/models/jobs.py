"""Background jobs as users see them: kind, progress, phase, log and result.

The job runner (django-tasks with its database backend) executes a task; the task updates its ``Job`` row so the
page can show progress while it runs and the outcome afterwards. A job belongs to the place it was started for,
so the scoping layer shows it only to users of that place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .scope import ScopePaths


def duration_text(seconds: int) -> str:
    """How a job page writes a duration: "45 秒", "2 分 05 秒", "1 小时 03 分"."""
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    if h:
        return _("%(h)d 小时 %(m)02d 分") % {"h": h, "m": m}
    if m:
        return _("%(m)d 分 %(s)02d 秒") % {"m": m, "s": s}
    return _("%(s)d 秒") % {"s": s}


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"
        REJECTED = "rejected", "输入有误，未写入"
        CANCELLED = "cancelled", "已停止"

    kind = models.CharField("任务类型", max_length=60)
    title = models.CharField("标题", max_length=200)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    phase = models.CharField("阶段", max_length=200, blank=True)
    log = models.TextField("日志", blank=True)
    params = models.JSONField("参数", default=dict)
    result = models.JSONField("结果", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发起人")
    county = models.ForeignKey("core.County", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("core.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    stop_requested = models.BooleanField("请求停止", default=False)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)

    scope_paths = ScopePaths(county="county", school="school")

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED, self.Status.REJECTED, self.Status.CANCELLED)

    def elapsed_seconds(self, now=None) -> int | None:
        """Seconds from start to finish (or to ``now`` while it runs); None before it starts."""
        if self.started_at is None:
            return None
        end = self.finished_at or now or timezone.now()
        return max(0, int((end - self.started_at).total_seconds()))

    @property
    def elapsed_text(self) -> str:
        s = self.elapsed_seconds()
        return "" if s is None else duration_text(s)

    def __str__(self) -> str:
        return self.title
