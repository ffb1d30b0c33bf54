"""City, county, school, school year and administrative class (行政班)."""

from __future__ import annotations

from django.db import models

from .scope import ScopePaths


class City(models.Model):
    code = models.CharField("代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50)

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "市"

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="counties", verbose_name="市")
    code = models.CharField("代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50)

    scope_paths = ScopePaths(county="id", school=None)

    class Meta:
        verbose_name = verbose_name_plural = "县(区)"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class Level(models.TextChoices):
        SENIOR = "senior", "普通高中"
        JUNIOR = "junior", "初级中学"
        VOCATIONAL = "vocational", "中等职业学校"

    class Ownership(models.TextChoices):
        PUBLIC = "public", "公办"
        PRIVATE = "private", "民办"

    class Quality(models.TextChoices):
        PROVINCIAL_MODEL = "provincial", "省级示范"
        CITY_MODEL = "city", "市级示范"
        ORDINARY = "ordinary", "普通"

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="schools", verbose_name="县(区)")
    code = models.CharField("学校代码", max_length=20, unique=True)
    name = models.CharField("学校名称", max_length=80)
    level = models.CharField("学段", max_length=10, choices=Level.choices)
    ownership = models.CharField("办学性质", max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC)
    quality = models.CharField("办学等级", max_length=12, choices=Quality.choices, default=Quality.ORDINARY)
    founded_year = models.PositiveIntegerField("建校年份", null=True, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)

    scope_paths = ScopePaths(county="county", school="id", teacher="teachers", student="students")

    class Meta:
        verbose_name = verbose_name_plural = "学校"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_quality(self) -> bool:
        """优质高中: a provincial or city model school (seed 002 §三(一) 指标到校 applies to these)."""
        return self.quality in (self.Quality.PROVINCIAL_MODEL, self.Quality.CITY_MODEL)


class SchoolYear(models.Model):
    start_year = models.PositiveIntegerField("起始年份", unique=True)
    is_current = models.BooleanField("当前学年", default=False)

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "学年"
        ordering = ["start_year"]

    def __str__(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"


class AdminClass(models.Model):
    """行政班: the class a student belongs to for a school year; teaching classes (教学班) live in electives."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="classes", verbose_name="学校")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="classes", verbose_name="学年")
    grade = models.PositiveSmallIntegerField("年级", help_text="1 高一, 2 高二, 3 高三")
    number = models.PositiveSmallIntegerField("班号")
    head_teacher = models.ForeignKey("core.Teacher", null=True, blank=True, on_delete=models.SET_NULL, related_name="head_of", verbose_name="班主任")

    scope_paths = ScopePaths(county="school__county", school="school", admin_class="id")

    class Meta:
        verbose_name = verbose_name_plural = "行政班"
        ordering = ["school__code", "school_year__start_year", "grade", "number"]
        constraints = [models.UniqueConstraint(fields=["school", "school_year", "grade", "number"], name="uniq_class_number")]

    GRADE_NAMES = {1: "高一", 2: "高二", 3: "高三"}

    @property
    def name(self) -> str:
        return f"{self.GRADE_NAMES.get(self.grade, self.grade)}({self.number})班"

    def __str__(self) -> str:
        return f"{self.school.name} {self.school_year} {self.name}"
