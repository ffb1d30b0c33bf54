"""师德 records (师德档案), the city-wide ban list (全行业禁入) and the nominations the one-vote veto guards.

Rule: seed 002 §三(二): 建立师德师风个人档案; 对师德失范者在提拔使用、评优评先、职称评聘等方面实行“一票否决”;
实施严重师德师风问题教师全行业禁入制度; seed 004 §24 师德档案.

Who sees a 师德 record: the city bureau, the bureau of the teacher's county and the 教务 of the teacher's
school; never teachers (not even their own), students or parents. Every page that shows one writes an audit
row (``people.ethics.viewed``). The ban list is the city bureau's alone.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from gaozhong.core.masking import mask_id_number
from gaozhong.core.models import City, County, Teacher
from gaozhong.core.models.scope import ScopePaths

from ..engine import veto


class EthicsRecord(models.Model):
    class Status(models.TextChoices):
        OPEN = veto.OPEN, "调查处理中"
        SANCTIONED = veto.SANCTIONED, "已处分"
        DISMISSED = veto.DISMISSED, "经查不实"

    class Category(models.TextChoices):
        PAID_TUTORING = "paid_tutoring", "违规有偿补课"
        OUTSIDE_JOB = "outside_job", "校外培训机构兼职"
        PUNISHMENT = "punishment", "体罚或变相体罚学生"
        INSULT = "insult", "侮辱、歧视学生"
        GIFTS = "gifts", "索要、收受礼品礼金"
        MISCONDUCT = "misconduct", "学术不端"
        CRIME = "crime", "违法犯罪"
        OTHER = "other", "其他失范行为"

    class Sanction(models.TextChoices):
        CRITICISM = "criticism", "批评教育、通报批评"
        WARNING = "warning", "警告"
        DEMERIT = "demerit", "记过"
        DEMOTION = "demotion", "降低岗位等级"
        REMOVAL = "removal", "撤职"
        DISMISSAL = "dismissal", "开除"

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="ethics_records", verbose_name="教师")
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    occurred_on = models.DateField("发生日期")
    opened_on = models.DateField("立案日期", default=timezone.localdate)
    summary = models.CharField("事由", max_length=200)
    details = models.TextField("情况说明", blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    sanction = models.CharField("处理", max_length=12, choices=Sanction.choices, blank=True)
    period_start = models.DateField("影响期起", null=True, blank=True)
    period_end = models.DateField("影响期止", null=True, blank=True, help_text="留空表示长期")
    decided_on = models.DateField("处理日期", null=True, blank=True)
    decision_note = models.CharField("处理意见", max_length=300, blank=True)

    scope_paths = ScopePaths(county="teacher__county", school="teacher__school")

    class Meta:
        verbose_name = verbose_name_plural = "师德记录"
        ordering = ["-opened_on", "-id"]

    @property
    def number(self) -> str:
        return f"师德-{self.pk:05d}"

    def as_case(self) -> veto.EthicsCase:
        return veto.EthicsCase(self.pk, self.status, self.period_start, self.period_end)

    @property
    def blocks_today(self) -> bool:
        """Whether the record vetoes a nomination today (Rule: seed 002 §三(二) 一票否决)."""
        return veto.blocks(self.as_case(), timezone.localdate())

    def __str__(self) -> str:
        return f"{self.number} {self.teacher.name} {self.get_category_display()}"


class BannedPerson(models.Model):
    """A person barred from work in the city's schools (全行业禁入); a hire with this 身份证号 is refused
    anywhere in the city."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+", verbose_name="市")
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    name = models.CharField("姓名", max_length=40)
    since = models.DateField("禁入日期")
    reason = models.CharField("禁入事由", max_length=300)
    record = models.ForeignKey(EthicsRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="师德记录")
    county = models.ForeignKey(County, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="原单位县(区)")

    scope_paths = ScopePaths(county=None, school=None)

    class Meta:
        verbose_name = verbose_name_plural = "全行业禁入名单"
        ordering = ["-since", "id"]

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    def __str__(self) -> str:
        return f"{self.name} ({self.id_number_masked})"


class Nomination(models.Model):
    """A teacher put forward for a promotion (提拔使用), a title (职称评聘) or an award (评优评先); the veto is
    checked when it is made and again when it is approved."""

    class Kind(models.TextChoices):
        PROMOTION = "promotion", "提拔使用"
        TITLE = "title", "职称评聘"
        AWARD = "award", "评优评先"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已推荐，待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="nominations", verbose_name="教师")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    target_title = models.CharField("申报职称", max_length=6, choices=Teacher.Title.choices, blank=True)
    target_post = models.CharField("拟任岗位", max_length=6, choices=Teacher.Post.choices, blank=True)
    duty = models.CharField("拟任职务", max_length=40, blank=True)
    award = models.CharField("奖项名称", max_length=80, blank=True)
    note = models.CharField("推荐理由", max_length=300, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    submitted_on = models.DateField("推荐日期", default=timezone.localdate)
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)

    scope_paths = ScopePaths(county="teacher__county", school="teacher__school")

    class Meta:
        verbose_name = verbose_name_plural = "评聘推荐"
        ordering = ["-submitted_on", "-id"]

    @property
    def target_label(self) -> str:
        if self.kind == self.Kind.TITLE:
            return self.get_target_title_display()
        if self.kind == self.Kind.PROMOTION:
            return " ".join(x for x in (self.target_post, self.duty) if x)
        return self.award

    def __str__(self) -> str:
        return f"{self.teacher.name} {self.get_kind_display()} {self.target_label}"
