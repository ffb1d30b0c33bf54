"""Forms of the electives pages. They only read input; the services decide and refuse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .adjust import parse_target
from .slots import slot_label
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
    blocked = forms.MultipleChoiceField(label="停课课时", required=False, widget=forms.CheckboxSelectMultiple,
                                        choices=[(f"{d}:{p}", f"{d}:{p}") for d in range(1, 8) for p in range(1, 15)])
    max_per_day = forms.IntegerField(label="每班每天同一科目最多节数", min_value=1, max_value=14)
    default_max_periods = forms.IntegerField(label="教师每周课时上限（默认）", min_value=0, max_value=60)

    def clean(self):
        """The blocked slots ticked on the week, as the stored ``3:7;3:8`` list; a tick beyond a shortened week
        (fewer days or periods in the same submit) goes with the slot."""
        data = super().clean()
        days, periods = data.get("days"), data.get("periods_per_day")
        ticked = sorted({tuple(int(x) for x in v.split(":")) for v in data.get("blocked", [])})
        if days and periods:
            ticked = [(d, p) for d, p in ticked if d <= days and p <= periods]
        data["blocked"] = ";".join(f"{d}:{p}" for d, p in ticked)
        return data

    def week(self, days: int, periods: int) -> list[tuple[int, list[dict]]]:
        """(period, [cell per day]) of the week the blocked slots are ticked on: value, label, ticked."""
        raw = self["blocked"].value() or []
        ticked = set(raw.split(";") if isinstance(raw, str) else raw)
        return [(p, [{"value": f"{d}:{p}", "label": slot_label(d, p), "checked": f"{d}:{p}" in ticked} for d in range(1, days + 1)])
                for p in range(1, periods + 1)]


class ChooseForm(forms.Form):
    first = forms.ChoiceField(label="首选科目（二选一）", choices=[(c, NAMES[c]) for c in FIRST], widget=forms.RadioSelect)
    second = forms.MultipleChoiceField(label="再选科目（四选二）", choices=[(c, NAMES[c]) for c in SECOND], widget=forms.CheckboxSelectMultiple)

    def codes(self) -> list[str]:
        return [self.cleaned_data["first"], *self.cleaned_data["second"]]


class SolveForm(forms.Form):
    time_limit = forms.IntegerField(label="时限（秒）", min_value=5, max_value=1800, initial=300)


class MoveForm(forms.Form):
    """The clerk's pick on the grid: a free slot (``slot:3:2``) or a lesson to swap with (``swap:<id>``). The form
    only reads the pick; the service decides whether it is still free."""

    target = forms.CharField(label="调到", max_length=40, error_messages={"required": _("请在课表上选择一个空闲课时或要对调的课。")})

    def clean_target(self):
        parsed = parse_target(self.cleaned_data["target"])
        if parsed is None:
            raise forms.ValidationError(_("请在课表上选择一个空闲课时或要对调的课。"))
        return parsed


class LeaveForm(forms.Form):
    """A teacher's leave picked on their week: single periods (``slots``, ``day:period``) and whole days (``days``)."""

    teacher = forms.ModelChoiceField(label="请假教师", queryset=None)
    slots = forms.MultipleChoiceField(label="请假课时", required=False, widget=forms.CheckboxSelectMultiple)
    days = forms.MultipleChoiceField(label="全天请假", required=False, widget=forms.CheckboxSelectMultiple)
    time_limit = forms.IntegerField(label="时限（秒）", min_value=5, max_value=1800, initial=60)

    def __init__(self, *args, teachers, days: int = 7, periods: int = 14, blocked=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.blocked = set(blocked)
        self.n_periods = periods
        self.fields["slots"].choices = [(f"{d}:{p}", f"{d}:{p}") for d in range(1, days + 1) for p in range(1, periods + 1)
                                        if (d, p) not in self.blocked]
        self.fields["days"].choices = [(str(d), str(d)) for d in range(1, days + 1)]

    def picked(self) -> list[tuple[int, int]]:
        """Every (day, period) picked, a whole day being its periods that are not blocked."""
        out = {tuple(int(x) for x in v.split(":")) for v in self.cleaned_data["slots"]}
        for d in self.cleaned_data["days"]:
            out |= {(int(d), p) for p in range(1, self.n_periods + 1) if (int(d), p) not in self.blocked}
        return sorted(out)


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
