"""The indicator catalog in the database: policy documents and the deployment's adoptions of them, data
elements, indicators and their versions.

A ``PolicyDocument`` is loaded from the catalog file; an ``Adoption`` is the deployment's decision that a
document binds it: a city document binds the whole city, a county document binds one county (``county``), and
the schools a document names are bound to the deployment's school codes (``schools``). Targets of a document
without an adoption are never judged.

An indicator keeps every version it ever had. A report of a school year uses the version in force that year:
the one with the latest ``effective_from`` not after the year (the latest version number among equals). A
change of target therefore never rewrites what an earlier 通报 said. The catalog is the same for every user,
so these models live nowhere in particular (``ScopePaths(None, None)``) and pages read them directly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gaozhong.core.models.scope import ScopePaths

from ..engine.catalog import split_clause


class PolicyDocument(models.Model):
    class Level(models.TextChoices):
        CITY = "city", "市级"
        COUNTY = "county", "县级"

    code = models.CharField("文件代码", max_length=3, unique=True)
    short_title = models.CharField("简称", max_length=40)
    title = models.CharField("标题", max_length=200)
    number = models.CharField("文号", max_length=60, blank=True)
    issuer = models.CharField("发文机关", max_length=100)
    level = models.CharField("管辖层级", max_length=10, choices=Level.choices)
    jurisdiction = models.CharField("发文地", max_length=40)
    date = models.CharField("成文日期", max_length=10, blank=True)
    schools = models.JSONField("点名学校", default=list, blank=True)

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "政策文件"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.short_title

    @property
    def full_citation(self) -> str:
        """Full title, 文号 and date, for hover and print."""
        parts = [f"《{self.title}》"]
        if self.number:
            parts.append(self.number)
        if self.date:
            parts.append(self.date)
        return "，".join(parts)


class Adoption(models.Model):
    document = models.OneToOneField(PolicyDocument, on_delete=models.CASCADE, related_name="adoption", verbose_name="文件")
    county = models.ForeignKey("core.County", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="适用县(区)")
    schools = models.JSONField("点名学校对应的学校代码", default=dict, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="采用人")
    adopted_at = models.DateTimeField("采用时间", auto_now_add=True)

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "采用的政策文件"
        ordering = ["document__code"]

    def __str__(self) -> str:
        return f"{self.document.short_title}（{self.county.name if self.county_id else '全市'}）"


class DataElement(models.Model):
    class Level(models.TextChoices):
        SCHOOL = "school", "学校"
        COUNTY = "county", "县(区)"
        CITY = "city", "市"

    class Source(models.TextChoices):
        COMPUTED = "computed", "平台计算"
        REPORTED = "reported", "单位填报"

    code = models.CharField("代码", max_length=40, unique=True)
    name_zh = models.CharField("名称", max_length=80)
    name_en = models.CharField("英文名称", max_length=120)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    value_type = models.CharField("类型", max_length=10, default="integer")
    unit = models.CharField("单位", max_length=10, blank=True)
    definition = models.TextField("口径", blank=True)
    order = models.PositiveIntegerField("顺序", default=0)

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "数据项"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name_zh


class Indicator(models.Model):
    code = models.CharField("指标代码", max_length=20, unique=True)
    order = models.PositiveIntegerField("顺序", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "督导指标"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code

    def version_for(self, year: int) -> IndicatorVersion | None:
        """The version in force in school year ``year`` (else the earliest, for years before any version)."""
        vs = sorted(self.versions.all(), key=lambda v: (v.effective_from, v.version))
        chosen = None
        for v in vs:
            if v.effective_from <= year:
                chosen = v
        return chosen or (vs[0] if vs else None)

    @property
    def current(self) -> IndicatorVersion | None:
        vs = sorted(self.versions.all(), key=lambda v: (v.effective_from, v.version))
        return vs[-1] if vs else None


class IndicatorVersion(models.Model):
    class Scope(models.TextChoices):
        CLASS = "class", "班级"
        SCHOOL = "school", "学校"
        COUNTY = "county", "县(区)"
        CITY = "city", "市"

    class Direction(models.TextChoices):
        LE = "le", "≤"
        LT = "lt", "<"
        GE = "ge", "≥"
        GT = "gt", ">"
        EQ = "eq", "="
        DROP = "drop", "每年下降≥"

    class AppliesTo(models.TextChoices):
        ALL = "all", "全部普通高中"
        QUALITY = "quality", "优质高中（省级、市级示范）"
        PROVINCIAL = "provincial", "省级示范高中"
        CITY_MODEL = "city_model", "市级示范高中"
        ORDINARY = "ordinary", "普通（非示范）高中"
        PUBLIC = "public", "公办高中"
        PRIVATE = "private", "民办高中"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="versions", verbose_name="指标")
    version = models.PositiveIntegerField("版本")
    effective_from = models.PositiveIntegerField("起用学年", help_text="从该学年（起始年份）起适用")
    name_zh = models.CharField("指标名称", max_length=80)
    name_en = models.CharField("英文名称", max_length=120)
    source_clause = models.CharField("依据条款", max_length=40)
    scope = models.CharField("范围", max_length=10, choices=Scope.choices)
    numerator = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+", verbose_name="分子")
    denominator = models.ForeignKey(DataElement, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="分母")
    factor = models.DecimalField("系数", max_digits=12, decimal_places=4, default=1)
    unit = models.CharField("单位", max_length=10, blank=True)
    direction = models.CharField("方向", max_length=6, choices=Direction.choices)
    target = models.DecimalField("目标值", max_digits=16, decimal_places=4, null=True, blank=True)
    deadline = models.PositiveIntegerField("完成时限（到…年）", null=True, blank=True,
                                           help_text="文件“到 YYYY 年”中的年份，按 (YYYY−1)–YYYY 学年末的数值判定；留空表示每年适用")
    applies_to = models.CharField("适用学校", max_length=12, choices=AppliesTo.choices, default=AppliesTo.ALL)
    definition = models.TextField("口径说明")
    aggregate = models.CharField("汇总方式", max_length=6, choices=[("sum", "分子分母分别汇总"), ("units", "下级单位达标比例")], default="sum")
    kind = models.CharField("目标类型", max_length=16, default="threshold",
                            choices=[("threshold", "达到目标值"), ("non_decreasing", "达到目标值且不降低"), ("annual_drop", "逐年下降"),
                                     ("count", "单位数量"), ("presence", "建成")])
    named_school = models.CharField("文件点名学校", max_length=40, blank=True)
    note = models.CharField("修订说明", max_length=200, blank=True)
    catalog_version = models.CharField("目录版本", max_length=20, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="修订人")
    created_at = models.DateTimeField("修订时间", auto_now_add=True)

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "指标版本"
        ordering = ["indicator__order", "version"]
        constraints = [models.UniqueConstraint(fields=["indicator", "version"], name="uniq_indicator_version")]

    def __str__(self) -> str:
        return f"{self.indicator.code} v{self.version} {self.name_zh}"

    @property
    def formula(self) -> str:
        f = self.numerator.name_zh
        if self.denominator_id:
            f = f"{f} ÷ {self.denominator.name_zh}"
        if self.factor != 1:
            f = f"{f} × {self.factor.normalize():f}"
        return f

    @property
    def target_text(self) -> str:
        if self.target is None:
            return "未设"
        t = f"{self.target.normalize():f}"
        if self.kind == "presence":
            return "建成"
        if self.direction == self.Direction.DROP:
            return f"每年下降≥{t}{'个百分点' if self.unit == '%' else self.unit}"
        text = f"{self.get_direction_display()} {t}{self.unit if self.unit != '%' else '%'}"
        return f"{text}，且不低于上年" if self.kind == "non_decreasing" else text

    def content(self) -> dict:
        """Comparable with ``IndicatorDef.content()`` of the catalog file."""
        return {
            "name_zh": self.name_zh, "name_en": self.name_en, "source_clause": self.source_clause, "scope": self.scope,
            "numerator": self.numerator.code, "denominator": self.denominator.code if self.denominator_id else None,
            "factor": float(self.factor), "unit": self.unit, "direction": self.direction,
            "target": None if self.target is None else float(self.target), "deadline": self.deadline,
            "applies_to": self.applies_to, "definition": self.definition, "aggregate": self.aggregate,
            "kind": self.kind, "named_school": self.named_school,
        }

    @property
    def document_code(self) -> str:
        parts = split_clause(self.source_clause)
        return parts[0] if parts else ""

    @property
    def clause(self) -> str:
        parts = split_clause(self.source_clause)
        return parts[1] if parts else self.source_clause

    @property
    def deadline_text(self) -> str:
        return f"到{self.deadline}年" if self.deadline else "每年"
