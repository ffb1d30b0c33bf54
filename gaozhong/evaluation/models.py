"""Gaokao results, school outcomes reported each year, value-added data sets imported in the engine's CSV format,
and recorded value-added runs with their school effects."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gaozhong.core.models.scope import ScopePaths


class GaokaoResult(models.Model):
    """A student's gaokao result (高考成绩) in the year they sat it: total, subject scores and the batch line reached."""

    class Batch(models.TextChoices):
        SPECIAL = "special", "特殊类型招生控制线"
        BENKE1 = "benke1", "本科一批"
        BENKE2 = "benke2", "本科二批"
        BENKE = "benke", "本科批"
        ZHUANKE = "zhuanke", "专科批"
        NONE = "none", "未达线"

    student = models.OneToOneField("core.Student", on_delete=models.CASCADE, related_name="gaokao", verbose_name="学生")
    year = models.PositiveIntegerField("高考年份")
    total = models.DecimalField("高考总分", max_digits=5, decimal_places=1)
    exam_no = models.CharField("考生号", max_length=20, blank=True)
    scores = models.JSONField("科目成绩", default=dict, blank=True)  # subject name → score (float)
    batch = models.CharField("达线批次", max_length=10, choices=Batch.choices, blank=True)

    scope_paths = ScopePaths(county="student__school__county", school="student__school", admin_class="student__admin_class", student="student")

    class Meta:
        verbose_name = verbose_name_plural = "高考成绩"
        indexes = [models.Index(fields=["year"])]


class SchoolOutcome(models.Model):
    """Rates a school reports for a school year: 学考 pass rate, 体质健康 达标优良率, 近视率 (percent)."""

    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="outcomes", verbose_name="学校")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+", verbose_name="学年")
    xuekao_pass_rate = models.DecimalField("学考合格率(%)", max_digits=5, decimal_places=1, null=True, blank=True)
    fitness_good_rate = models.DecimalField("体质健康达标优良率(%)", max_digits=5, decimal_places=1, null=True, blank=True)
    myopia_rate = models.DecimalField("近视率(%)", max_digits=5, decimal_places=1, null=True, blank=True)

    scope_paths = ScopePaths(county="school__county", school="school")

    class Meta:
        verbose_name = verbose_name_plural = "学校年度指标"
        constraints = [models.UniqueConstraint(fields=["school", "school_year"], name="uniq_outcome_school_year")]


class ValueAddedDataset(models.Model):
    """One cohort's students as the engine reads them (``gaozhong evaluation value-added DATA.csv``): an outcome,
    a group (the school code) and numeric covariates per row, kept in file order so a run from the platform is
    the engine's run on the same file."""

    entry_year = models.PositiveIntegerField("入学年份", unique=True)
    outcome_year = models.PositiveIntegerField("结果年份")
    outcome = models.CharField("结果列", max_length=60)
    group = models.CharField("分组列", max_length=60)
    covariates = models.JSONField("协变量列", default=list)
    filename = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("文件摘要", max_length=64)
    n = models.PositiveIntegerField("学生数")
    groups = models.PositiveIntegerField("学校数")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "增值评价数据集"
        ordering = ["-entry_year"]

    def __str__(self) -> str:
        return f"{self.entry_year} 级数据集 ({self.filename})"


class ValueAddedObservation(models.Model):
    """One row of a data set: the school (group), the outcome and the covariates in the data set's order."""

    dataset = models.ForeignKey(ValueAddedDataset, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField("行号")
    school = models.ForeignKey("core.School", on_delete=models.PROTECT, related_name="+", verbose_name="学校")
    y = models.FloatField("结果")
    x = models.JSONField("协变量", default=list)

    scope_paths = ScopePaths(county="school__county", school="school")

    class Meta:
        verbose_name = verbose_name_plural = "增值评价数据行"
        ordering = ["dataset", "line"]
        constraints = [models.UniqueConstraint(fields=["dataset", "line"], name="uniq_va_row_line")]


class ValueAddedRun(models.Model):
    """One fit of gaokao total ~ 中考 entry score + (1 | school) for one cohort (entry year → gaokao year).

    City-wide: every senior school's students of the cohort are in the fit; who sees which school's effect is
    decided when reading (``SchoolEffect`` rows are scoped by school).
    """

    entry_year = models.PositiveIntegerField("入学年份")
    gaokao_year = models.PositiveIntegerField("高考年份")
    n = models.PositiveIntegerField("学生数")
    groups = models.PositiveIntegerField("学校数")
    intercept = models.FloatField("截距")
    slope = models.FloatField("中考成绩系数", null=True, blank=True)  # the first covariate's coefficient
    group_variance = models.FloatField("校间方差")
    residual_variance = models.FloatField("残差方差")
    loglik = models.FloatField("REML 对数似然")
    gradient = models.FloatField("梯度")
    ratio = models.FloatField("方差比 λ", null=True, blank=True)
    boundary = models.BooleanField("边界解", default=False)
    fixed = models.JSONField("固定效应", default=list)  # [[name, estimate], …] in the engine's order ("Intercept" first)
    outcome = models.CharField("结果", max_length=60, default="高考总分")
    covariates = models.JSONField("协变量", default=list)
    dataset = models.ForeignKey(ValueAddedDataset, null=True, blank=True, on_delete=models.PROTECT, related_name="runs", verbose_name="数据集")
    min_group_size = models.PositiveIntegerField("最少人数", default=10)
    engine_version = models.CharField("引擎版本", max_length=20)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("计算时间", auto_now_add=True)

    scope_paths = ScopePaths(county="effects__school__county", school="effects__school", teacher=None)

    class Meta:
        verbose_name = verbose_name_plural = "增值评价计算"
        ordering = ["-entry_year", "-created_at"]

    def __str__(self) -> str:
        return f"{self.entry_year} 级 → {self.gaokao_year} 年高考"


class SchoolEffect(models.Model):
    run = models.ForeignKey(ValueAddedRun, on_delete=models.CASCADE, related_name="effects")
    school = models.ForeignKey("core.School", on_delete=models.PROTECT, related_name="value_added", verbose_name="学校")
    n = models.PositiveIntegerField("学生数")
    effect = models.FloatField("增值")
    se = models.FloatField("标准误")
    ci_low = models.FloatField("95% 区间下限")
    ci_high = models.FloatField("95% 区间上限")
    label = models.CharField("判定", max_length=8)
    group = models.CharField("分组值", max_length=60, blank=True)  # the school code as in the data
    position = models.PositiveIntegerField("顺序", default=0)  # order of first appearance in the data (not a rank)

    scope_paths = ScopePaths(county="school__county", school="school")

    class Meta:
        verbose_name = verbose_name_plural = "学校增值"
        ordering = ["school__code"]
        constraints = [models.UniqueConstraint(fields=["run", "school"], name="uniq_effect_run_school")]

    LABELS = {"above": "高于预期", "below": "低于预期", "none": "与预期无明显差异"}

    @property
    def label_zh(self) -> str:
        return self.LABELS.get(self.label, self.label)
