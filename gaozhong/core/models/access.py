"""Roles: what a user account is, and where it sits (county, school, class or one student)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .places import County, School
from .scope import ScopePaths


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", "市教育局管理员"
    COUNTY_STAFF = "county_staff", "县(区)教育局工作人员"
    SCHOOL_ADMIN = "school_admin", "学校教务管理员"
    TEACHER = "teacher", "教师"
    STUDENT = "student", "学生/家长"


class Membership(models.Model):
    """One account, one role, one place. The scoping layer reads nothing else to decide what a user sees."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name="账号")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    county = models.ForeignKey(County, null=True, blank=True, on_delete=models.PROTECT, verbose_name="县(区)")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, verbose_name="学校")
    teacher = models.OneToOneField("core.Teacher", null=True, blank=True, on_delete=models.PROTECT, verbose_name="教师")
    student = models.OneToOneField("core.Student", null=True, blank=True, on_delete=models.PROTECT, verbose_name="学生")
    candidate = models.OneToOneField("core.Candidate", null=True, blank=True, on_delete=models.PROTECT, verbose_name="中考考生")

    scope_paths = ScopePaths(county="county", school="school")

    class Meta:
        verbose_name = verbose_name_plural = "角色"
        constraints = [
            models.CheckConstraint(
                name="membership_role_has_place",
                condition=(
                    models.Q(role="city_admin", county__isnull=True, school__isnull=True)
                    | models.Q(role="county_staff", county__isnull=False, school__isnull=True)
                    | models.Q(role="school_admin", school__isnull=False)
                    | models.Q(role="teacher", school__isnull=False, teacher__isnull=False)
                    | models.Q(role="student", student__isnull=False)
                    | models.Q(role="student", candidate__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
