"""The training ledger: courses of the five-level system (国/省/市/县/校) with their hours, and who completed
which course when. Rule: seed 002 §三(二) 五级培训; 教研员每年不少于72课时."""

from __future__ import annotations

from django.db import models

from gaozhong.core.models import City, Teacher
from gaozhong.core.models.scope import ScopePaths

from ..engine.training import LEVELS


class Course(models.Model):
    """A course of the city's catalogue; like subjects, reference data everyone's records point to."""

    class Level(models.TextChoices):
        NATIONAL = LEVELS[0]
        PROVINCIAL = LEVELS[1]
        CITY = LEVELS[2]
        COUNTY = LEVELS[3]
        SCHOOL = LEVELS[4]

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", verbose_name="市")
    code = models.CharField("课程编号", max_length=30)
    name = models.CharField("课程名称", max_length=100)
    level = models.CharField("培训层级", max_length=12, choices=Level.choices)
    hours = models.DecimalField("课时", max_digits=5, decimal_places=1)

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "培训课程"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["city", "code"], name="uniq_course_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TrainingRecord(models.Model):
    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="training", verbose_name="教师")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="records", verbose_name="课程")
    completed_on = models.DateField("结业日期", db_index=True)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    certificate_no = models.CharField("证书编号", max_length=40, blank=True)

    scope_paths = ScopePaths(county="teacher__county", school="teacher__school", teacher="teacher")

    class Meta:
        verbose_name = verbose_name_plural = "培训记录"
        ordering = ["-completed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["teacher", "course"], name="uniq_training_teacher_course")]

    def __str__(self) -> str:
        return f"{self.teacher.name} {self.course.name}"
