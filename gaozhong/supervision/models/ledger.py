"""The task ledger (台账, 挂账销号): key projects, policy tasks and rectification tasks (整改), each with a
responsible unit and person, milestones, evidence files and an audited status.

Status: 未开始 → 推进中 → 已申请销号 (with evidence) → 已销号 by the city, or 已退回 to the unit; a rectification task
whose unit and indicator approved data show met becomes 待销号 (with that data as its evidence) until a city user
closes or returns it. A task is overdue when its deadline has passed and it is not closed. A task due after the
deadline of the clause it implements carries the city's recorded reason (``late_reason``, audited). Rule: 003
§四(四), 000 §四(二).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from gaozhong.core.models.scope import ScopePaths

from .catalog import Indicator


class Task(models.Model):
    class Kind(models.TextChoices):
        PROJECT = "project", "重点工程项目"
        POLICY = "policy", "政策任务"
        RECTIFICATION = "rectification", "整改任务"

    class Status(models.TextChoices):
        OPEN = "open", "未开始"
        IN_PROGRESS = "in_progress", "推进中"
        SUBMITTED = "submitted", "已申请销号"
        VERIFIED = "verified", "待销号"
        CLOSED = "closed", "已销号"
        RETURNED = "returned", "已退回"

    kind = models.CharField("类型", max_length=14, choices=Kind.choices)
    title = models.CharField("任务", max_length=200)
    description = models.TextField("内容与路线图", blank=True)
    source_clause = models.CharField("依据", max_length=60, blank=True)
    county = models.ForeignKey("core.County", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="县(区)")
    school = models.ForeignKey("core.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="学校")
    responsible_unit = models.CharField("责任单位", max_length=100)
    responsible_person = models.CharField("责任人", max_length=60)
    due_date = models.DateField("完成时限")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="整改指标")
    indicator_year = models.PositiveIntegerField("未达标学年", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="创建人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    submitted_at = models.DateTimeField("申请销号时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="销号人")
    close_reason = models.CharField("销号依据", max_length=300, blank=True)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    verified_at = models.DateTimeField("数据核验时间", null=True, blank=True)
    verification = models.TextField("数据佐证", blank=True, help_text="已批准数据显示目标达到：学年、数值、目标与报送编号")
    late_reason = models.CharField("晚于条款时限的理由", max_length=300, blank=True)
    late_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                         verbose_name="同意晚于时限")

    scope_paths = ScopePaths(county="county", school="school")

    class Meta:
        verbose_name = verbose_name_plural = "台账任务"
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def unit_name(self) -> str:
        if self.school_id:
            return self.school.name
        if self.county_id:
            return self.county.name
        return "全市"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != self.Status.CLOSED and self.due_date < today


class Milestone(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones", verbose_name="任务")
    title = models.CharField("节点", max_length=200)
    due_date = models.DateField("计划完成")
    done_on = models.DateField("实际完成", null=True, blank=True)

    scope_paths = ScopePaths(county="task__county", school="task__school")

    class Meta:
        verbose_name = verbose_name_plural = "任务节点"
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.done_on is None and self.due_date < today


class Evidence(models.Model):
    """A file proving progress or completion, stored under ``UPLOAD_DIR/supervision/evidence`` (outside the web
    root) by a random name, and served only by the scoped download view."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence", verbose_name="任务")
    original_name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField("存储名", max_length=80, unique=True)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("摘要", max_length=64)
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    scope_paths = ScopePaths(county="task__county", school="task__school")

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
