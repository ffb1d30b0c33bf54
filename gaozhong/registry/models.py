"""Where students actually are (attendance, exam sittings, transfers), the national registry's registrations the
platform does not hold as its own students, registry checks and the anomalies they found, with their resolution.

A 身份证号 belongs to one platform student (a unique constraint on ``core.Student``), so a second registration of
a person (重复学籍) can only be seen in the national student registry's own rows (全国中小学生学籍信息管理系统):
those whose 学籍号 is not a platform student's are kept as :class:`Registration` rows, imported from its 学籍名册
or from an engine case's registry.csv. Evidence (attendance, exams, transfers) names either a platform student
or such a registration.

Rule: seed 002 §三(一) — 学籍管理: 人籍分离, 空挂学籍, 批量转学 are found and corrected; all students must be
admitted through the platform (所有学生必须通过平台录取), no cross-region enrolment (严禁跨区域招生).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gaozhong.core.models.scope import ScopePaths


class Registration(models.Model):
    """A registration of the national student registry (学籍系统) at a platform school under a 学籍号 that is not a
    platform student's: what the registry check compares the platform's students with (a second registration of
    one 身份证号, a registration nobody attends)."""

    student_no = models.CharField("学籍号", max_length=30, unique=True)
    id_number = models.CharField("身份证号", max_length=30, blank=True)
    name = models.CharField("姓名", max_length=40, blank=True)
    school = models.ForeignKey("core.School", on_delete=models.PROTECT, related_name="+", verbose_name="登记学校")
    grade = models.CharField("年级", max_length=10, blank=True)
    status = models.CharField("学籍状态", max_length=4)

    scope_paths = ScopePaths(county="school__county", school="school")

    class Meta:
        verbose_name = verbose_name_plural = "学籍系统登记"
        ordering = ["student_no"]


def _one_of_student_or_registration(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(name=name, condition=models.Q(student__isnull=False, registration__isnull=True)
                                  | models.Q(student__isnull=True, registration__isnull=False))


class AttendanceRecord(models.Model):
    student = models.ForeignKey("core.Student", null=True, blank=True, on_delete=models.CASCADE, related_name="attendance", verbose_name="学生")
    registration = models.ForeignKey(Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="attendance", verbose_name="学籍系统登记")
    school = models.ForeignKey("core.School", on_delete=models.PROTECT, related_name="+", verbose_name="出勤学校")
    term = models.CharField("学期", max_length=10)
    days_present = models.PositiveSmallIntegerField("出勤天数")

    scope_paths = ScopePaths(county="school__county", school="school", student="student")

    class Meta:
        verbose_name = verbose_name_plural = "出勤记录"
        constraints = [models.UniqueConstraint(fields=["student", "school", "term"], name="uniq_attendance"),
                       models.UniqueConstraint(fields=["registration", "school", "term"], name="uniq_attendance_registration"),
                       _one_of_student_or_registration("attendance_student_or_registration")]


class ExamSitting(models.Model):
    student = models.ForeignKey("core.Student", null=True, blank=True, on_delete=models.CASCADE, related_name="exam_sittings", verbose_name="学生")
    registration = models.ForeignKey(Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="exam_sittings", verbose_name="学籍系统登记")
    school = models.ForeignKey("core.School", on_delete=models.PROTECT, related_name="+", verbose_name="考点学校")
    exam_id = models.CharField("考试", max_length=30)
    term = models.CharField("学期", max_length=10)

    scope_paths = ScopePaths(county="school__county", school="school", student="student")

    class Meta:
        verbose_name = verbose_name_plural = "统考记录"
        constraints = [_one_of_student_or_registration("exam_student_or_registration")]


class TransferRecord(models.Model):
    student = models.ForeignKey("core.Student", null=True, blank=True, on_delete=models.CASCADE, related_name="transfers", verbose_name="学生")
    registration = models.ForeignKey(Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="transfers", verbose_name="学籍系统登记")
    from_school = models.ForeignKey("core.School", on_delete=models.PROTECT, related_name="+", verbose_name="转出学校")
    to_school = models.ForeignKey("core.School", on_delete=models.PROTECT, related_name="+", verbose_name="转入学校")
    date = models.DateField("转学日期")

    scope_paths = ScopePaths(county="from_school__county", school="from_school", student="student")

    class Meta:
        verbose_name = verbose_name_plural = "转学记录"
        constraints = [_one_of_student_or_registration("transfer_student_or_registration")]


class RegistryCheck(models.Model):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    current_term = models.CharField("当前学期", max_length=10)
    terms = models.JSONField("检查学期")
    bulk_threshold = models.PositiveSmallIntegerField("批量转学人数 K")
    bulk_window_days = models.PositiveSmallIntegerField("批量转学窗口 D 天")
    counts = models.JSONField("各类数量", default=dict)

    scope_paths = ScopePaths(county=None, school=None, everyone=True)

    class Meta:
        verbose_name = verbose_name_plural = "学籍检查"
        ordering = ["-created_at", "-id"]


class RegistryAnomaly(models.Model):
    class Kind(models.TextChoices):
        DUPLICATE = "duplicate_registration", "重复学籍"
        GHOST = "ghost_registration", "空挂学籍"
        MISMATCH = "registry_attendance_mismatch", "人籍分离"
        BULK = "bulk_transfer", "批量转学"
        INVALID_ID = "invalid_id_number", "身份证号无效"
        NO_ADMISSION = "enrolled_without_admission", "未经平台录取入学"

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        CORRECTED = "corrected", "已核实并纠正"
        EXPLAINED = "explained", "已说明"

    check_run = models.ForeignKey(RegistryCheck, on_delete=models.CASCADE, related_name="anomalies")
    kind = models.CharField("类型", max_length=40, choices=Kind.choices)
    student = models.ForeignKey("core.Student", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="学生")
    student_no = models.CharField("学籍号", max_length=30)
    id_number = models.CharField("身份证号", max_length=30, blank=True)
    school = models.ForeignKey("core.School", on_delete=models.PROTECT, related_name="+", verbose_name="学校")
    evidence = models.TextField("依据")
    status = models.CharField("处理状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    note = models.TextField("处理说明", blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    scope_paths = ScopePaths(county="school__county", school="school")

    class Meta:
        verbose_name = verbose_name_plural = "学籍异常"
        ordering = ["kind", "school__code", "student_no"]
