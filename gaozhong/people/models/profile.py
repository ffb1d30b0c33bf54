"""A teacher's profile beyond the foundation's ``Teacher``: qualifications, post history, dated school history
(every move) and the pre-hire check (准入查询) that keeps a new hire inactive until it is cleared.

Each row hangs off ``core.Teacher`` and lives where the teacher works now (scope paths through the teacher).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from gaozhong.core.models import County, School, Teacher
from gaozhong.core.models.scope import ScopePaths

TEACHER_PLACE = dict(county="teacher__county", school="teacher__school")


class Qualification(models.Model):
    class Kind(models.TextChoices):
        DEGREE = "degree", "学历学位"
        CERTIFICATE = "certificate", "教师资格证"
        OTHER = "other", "其他证书"

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="qualifications", verbose_name="教师")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    name = models.CharField("名称", max_length=80, help_text="如：硕士研究生 教育学硕士；高级中学教师资格（数学）")
    institution = models.CharField("授予单位", max_length=100, blank=True)
    major = models.CharField("专业/学科", max_length=60, blank=True)
    obtained_on = models.DateField("取得日期")
    certificate_no = models.CharField("证书编号", max_length=40, blank=True)

    scope_paths = ScopePaths(**TEACHER_PLACE, teacher="teacher")

    class Meta:
        verbose_name = verbose_name_plural = "学历与资格"
        ordering = ["obtained_on", "id"]

    def __str__(self) -> str:
        return f"{self.teacher.name} {self.name}"


class PostRecord(models.Model):
    """One spell in a post (岗位) and duty (职务); the open spell (no end) is the current one."""

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="post_history", verbose_name="教师")
    post = models.CharField("岗位", max_length=6, choices=Teacher.Post.choices)
    duty = models.CharField("职务", max_length=40, blank=True, help_text="如：教研组长、年级主任")
    started_on = models.DateField("起始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    scope_paths = ScopePaths(**TEACHER_PLACE, teacher="teacher")

    class Meta:
        verbose_name = verbose_name_plural = "岗位经历"
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.teacher.name} {self.post} {self.duty}".strip()


class Move(models.Model):
    """A dated move of a teacher: the school history. A hire has no school of origin; 交流轮岗 moves count
    toward the county's yearly rotation rate (seed 003 §三(五)), ordinary transfers (调动) do not."""

    class Kind(models.TextChoices):
        HIRE = "hire", "入职"
        ROTATION = "rotation", "交流轮岗"
        TRANSFER = "transfer", "调动"

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="moves", verbose_name="教师")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    moved_on = models.DateField("日期", db_index=True)
    from_school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="调出学校")
    to_school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="调入学校")
    from_county = models.ForeignKey(County, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="调出县(区)")
    to_county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name="调入县(区)")
    note = models.CharField("备注", max_length=200, blank=True)

    scope_paths = ScopePaths(**TEACHER_PLACE, teacher="teacher")

    class Meta:
        verbose_name = verbose_name_plural = "任职学校经历"
        ordering = ["moved_on", "id"]
        indexes = [models.Index(fields=["from_county", "moved_on"])]

    def __str__(self) -> str:
        return f"{self.moved_on} {self.teacher.name} {self.get_kind_display()}"


class HireCheck(models.Model):
    """准入查询 of a new hire (seed 002 §三(二) 教职工准入违法犯罪信息查询; seed 004 §24): until it is recorded as
    cleared, the teacher is inactive (not counted as available, not nominated, not moved). Teachers who came in
    before the platform have no check and are active."""

    class Status(models.TextChoices):
        PENDING = "pending", "待查询"
        CLEARED = "cleared", "已通过"
        NOT_CLEARED = "not_cleared", "未通过"

    teacher = models.OneToOneField(Teacher, on_delete=models.CASCADE, related_name="hire_check", verbose_name="教师")
    status = models.CharField("查询结果", max_length=12, choices=Status.choices, default=Status.PENDING)
    requested_on = models.DateField("申请日期", default=timezone.localdate)
    checked_on = models.DateField("查询日期", null=True, blank=True)
    reference = models.CharField("查询回执编号", max_length=60, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    scope_paths = ScopePaths(**TEACHER_PLACE)

    class Meta:
        verbose_name = verbose_name_plural = "准入查询"
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"{self.teacher.name} 准入查询 {self.get_status_display()}"
