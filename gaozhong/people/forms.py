"""Forms of the people pages: they parse input; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from gaozhong.core.models import School, Subject, Teacher

from .models import EthicsRecord, Move, Nomination, Qualification


class DateInput(forms.DateInput):
    input_type = "date"


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Qualification.Kind.choices)
    name = forms.CharField(label="名称", max_length=80)
    institution = forms.CharField(label="授予单位", max_length=100, required=False)
    major = forms.CharField(label="专业/学科", max_length=60, required=False)
    obtained_on = forms.DateField(label="取得日期", widget=DateInput)
    certificate_no = forms.CharField(label="证书编号", max_length=40, required=False)


class PostForm(forms.Form):
    post = forms.ChoiceField(label="岗位", choices=Teacher.Post.choices)
    duty = forms.CharField(label="职务", max_length=40, required=False, help_text="如：教研组长、年级主任")
    started_on = forms.DateField(label="起始日期", widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(label="备注", max_length=200, required=False)


class EthicsOpenForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=EthicsRecord.Category.choices)
    occurred_on = forms.DateField(label="发生日期", widget=DateInput)
    summary = forms.CharField(label="事由", max_length=200)
    details = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class EthicsDecideForm(forms.Form):
    decision = forms.ChoiceField(label="处理结果", choices=[(EthicsRecord.Status.SANCTIONED, "认定失范并处理"), (EthicsRecord.Status.DISMISSED, "经查不实")])
    sanction = forms.ChoiceField(label="处理方式", choices=[("", "—")] + list(EthicsRecord.Sanction.choices), required=False)
    period_start = forms.DateField(label="影响期起", widget=DateInput, required=False)
    period_end = forms.DateField(label="影响期止（留空为长期）", widget=DateInput, required=False)
    note = forms.CharField(label="处理意见", max_length=300)
    ban = forms.BooleanField(label="全行业禁入（仅市教育局）", required=False)


class BanForm(forms.Form):
    id_number = forms.CharField(label="身份证号", max_length=18, min_length=18)
    name = forms.CharField(label="姓名", max_length=40)
    since = forms.DateField(label="禁入日期", widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(label="禁入事由", max_length=300)


class HireForm(forms.Form):
    school = forms.ModelChoiceField(label="学校", queryset=School.objects.none())
    staff_no = forms.CharField(label="教职工号", max_length=30)
    name = forms.CharField(label="姓名", max_length=40)
    id_number = forms.CharField(label="身份证号", max_length=18, min_length=18)
    gender = forms.ChoiceField(label="性别", choices=[("男", "男"), ("女", "女")])
    subjects = forms.ModelMultipleChoiceField(label="任教科目", queryset=Subject.objects.all(), required=False)
    title = forms.ChoiceField(label="职称", choices=Teacher.Title.choices, initial=Teacher.Title.NONE)
    post = forms.ChoiceField(label="岗位", choices=[(v, label) for v, label in Teacher.Post.choices
                                                   if v not in (Teacher.Post.PRINCIPAL, Teacher.Post.VICE_PRINCIPAL)])
    hire_date = forms.DateField(label="入职日期", widget=DateInput, initial=timezone.localdate)
    is_bianzhi = forms.BooleanField(label="在编", required=False, initial=True)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools


class HireCheckForm(forms.Form):
    cleared = forms.TypedChoiceField(label="查询结果", choices=[("1", "通过：无违法犯罪记录"), ("0", "未通过")], coerce=lambda v: v == "1")
    checked_on = forms.DateField(label="查询日期", widget=DateInput, initial=timezone.localdate)
    reference = forms.CharField(label="查询回执编号", max_length=60)
    note = forms.CharField(label="备注", max_length=200, required=False)


class NominationForm(forms.Form):
    kind = forms.ChoiceField(label="推荐类型", choices=Nomination.Kind.choices)
    target_title = forms.ChoiceField(label="申报职称（职称评聘）", choices=[("", "—")] + list(Teacher.Title.choices), required=False)
    target_post = forms.ChoiceField(label="拟任岗位（提拔使用）", choices=[("", "—"), (Teacher.Post.VICE_PRINCIPAL, "副校长"), (Teacher.Post.PRINCIPAL, "校长")], required=False)
    duty = forms.CharField(label="拟任职务（提拔使用）", max_length=40, required=False)
    award = forms.CharField(label="奖项名称（评优评先）", max_length=80, required=False)
    note = forms.CharField(label="推荐理由", max_length=300, required=False)


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label="审批结果", choices=[("1", "批准"), ("0", "不批准")], coerce=lambda v: v == "1")
    note = forms.CharField(label="审批意见", max_length=300, required=False)


class MoveForm(forms.Form):
    to_school = forms.ModelChoiceField(label="调入学校", queryset=School.objects.none())
    moved_on = forms.DateField(label="调动日期", widget=DateInput, initial=timezone.localdate)
    kind = forms.ChoiceField(label="类型", choices=[(Move.Kind.ROTATION, "交流轮岗"), (Move.Kind.TRANSFER, "调动")])
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["to_school"].queryset = schools

