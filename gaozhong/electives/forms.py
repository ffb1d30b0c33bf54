"""Forms of the electives pages. They only read input; the services decide and refuse."""

from __future__ import annotations

from django import forms

from .rules import FIRST, NAMES, SECOND


class WindowCreateForm(forms.Form):
    school = forms.ModelChoiceField(label="学校", queryset=None)
    grade = forms.TypedChoiceField(label="年级", coerce=int, choices=[(2, "高二"), (1, "高一"), (3, "高三")])
    closes_at = forms.DateTimeField(label="选课截止", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    title = forms.CharField(label="名称", required=False, max_length=80)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class WindowEditForm(forms.Form):
    closes_at = forms.DateTimeField(label="选课截止", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    days = forms.IntegerField(label="每周上课天数", min_value=1, max_value=7)
    periods_per_day = forms.IntegerField(label="每天节数", min_value=1, max_value=14)
    blocked = forms.CharField(label="停课课时", required=False, max_length=200, help_text="星期:节次，分号分隔，如 3:7;3:8")
    max_per_day = forms.IntegerField(label="每班每天同一科目最多节数", min_value=1, max_value=14)
    default_max_periods = forms.IntegerField(label="教师每周课时上限（默认）", min_value=0, max_value=60)


class ChooseForm(forms.Form):
    first = forms.ChoiceField(label="首选科目（二选一）", choices=[(c, NAMES[c]) for c in FIRST], widget=forms.RadioSelect)
    second = forms.MultipleChoiceField(label="再选科目（四选二）", choices=[(c, NAMES[c]) for c in SECOND], widget=forms.CheckboxSelectMultiple)

    def codes(self) -> list[str]:
        return [self.cleaned_data["first"], *self.cleaned_data["second"]]


class SolveForm(forms.Form):
    time_limit = forms.IntegerField(label="时限（秒）", min_value=5, max_value=1800, initial=300)
    seed = forms.IntegerField(label="随机种子", min_value=0, max_value=10**6, initial=0, help_text="种子相同，结果相同")


class MoveForm(forms.Form):
    day = forms.TypedChoiceField(label="星期", coerce=int)
    period = forms.TypedChoiceField(label="节次", coerce=int)

    def __init__(self, *args, days: int, periods: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(d, f"星期{'一二三四五六日'[d - 1]}") for d in range(1, days + 1)]
        self.fields["period"].choices = [(p, f"第{p}节") for p in range(1, periods + 1)]


class LeaveForm(forms.Form):
    teacher = forms.ModelChoiceField(label="请假教师", queryset=None)
    slots = forms.CharField(label="请假课时", max_length=400, help_text="星期:节次，分号分隔，如 2:1;2:2;2:3")
    time_limit = forms.IntegerField(label="时限（秒）", min_value=5, max_value=1800, initial=60)

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers


class FetUploadForm(forms.Form):
    school = forms.ModelChoiceField(label="学校", queryset=None, empty_label=None)
    file = forms.FileField(label="FET 文件 (.fet)")
    time_limit = forms.IntegerField(label="时限（秒）", min_value=5, max_value=1800, initial=60)
    seed = forms.IntegerField(label="随机种子", min_value=0, max_value=10**6, initial=0, help_text="种子相同，结果相同")

    def __init__(self, *args, schools, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.max_bytes = max_bytes

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".fet"):
            raise forms.ValidationError("请上传 .fet 文件 (upload a .fet file)")
        if f.size > self.max_bytes:
            raise forms.ValidationError(f"文件超过 {self.max_bytes // 1024 // 1024} MB (file too large)")
        return f
