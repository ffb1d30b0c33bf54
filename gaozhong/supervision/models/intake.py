"""Reported data (填报): one submission per unit (school, county or the city) and period (school year, term),
with its values, moving through 待提交 → 已提交 → 县级审核通过 → 已批准 (or 已退回).

An approved submission is never edited: a new import makes a new submission, and its approval marks the old one
superseded (已被替代). Compliance reads only approved values.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gaozhong.core.models.scope import ScopePaths

from .catalog import DataElement


class Submission(models.Model):
    class Level(models.TextChoices):
        SCHOOL = "school", "学校"
        COUNTY = "county", "县(区)"
        CITY = "city", "市"

    class Status(models.TextChoices):
        DRAFT = "draft", "待提交"
        SUBMITTED = "submitted", "已提交，待审核"
        REVIEWED = "reviewed", "县级审核通过，待市级批准"
        APPROVED = "approved", "已批准"
        RETURNED = "returned", "已退回"
        SUPERSEDED = "superseded", "已被替代"

    class Term(models.IntegerChoices):
        AUTUMN = 1, "第一学期"
        SPRING = 2, "第二学期"

    level = models.CharField("填报层级", max_length=10, choices=Level.choices)
    county = models.ForeignKey("core.County", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="县(区)")
    school = models.ForeignKey("core.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="学校")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.CASCADE, related_name="+", verbose_name="学年")
    term = models.PositiveSmallIntegerField("学期", choices=Term.choices, default=Term.AUTUMN)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    comment = models.TextField("变动说明", blank=True)
    source_file = models.CharField("来源文件", max_length=200, blank=True)
    source_sha256 = models.CharField("文件摘要", max_length=64, blank=True)
    source_row = models.PositiveIntegerField("文件行号", null=True, blank=True)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="替代的报送")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="导入人")
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="提交人")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="审核人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="批准人")
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="退回人")
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)

    scope_paths = ScopePaths(county="county", school="school")

    class Meta:
        verbose_name = verbose_name_plural = "督导数据报送"
        ordering = ["-school_year__start_year", "-term", "level", "county__code", "school__code", "-id"]
        indexes = [models.Index(fields=["level", "status", "school_year", "term"])]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.school_year} {self.get_term_display()}"

    @property
    def unit_name(self) -> str:
        if self.school_id:
            return self.school.name
        if self.county_id:
            return self.county.name
        return "全市"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED, self.Status.REVIEWED)

    @property
    def needs_review(self) -> bool:
        """Only a school's figures pass through county review; county and city forms go to the city directly."""
        return self.level == self.Level.SCHOOL


class SubmissionValue(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values", verbose_name="报送")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+", verbose_name="数据项")
    value = models.DecimalField("数值", max_digits=18, decimal_places=4)
    previous = models.DecimalField("上期已批准值", max_digits=18, decimal_places=4, null=True, blank=True)
    change_pct = models.DecimalField("变动(%)", max_digits=9, decimal_places=1, null=True, blank=True)

    scope_paths = ScopePaths(county="submission__county", school="submission__school")

    class Meta:
        verbose_name = verbose_name_plural = "报送数值"
        ordering = ["element__order"]
        constraints = [models.UniqueConstraint(fields=["submission", "element"], name="uniq_submission_element")]
