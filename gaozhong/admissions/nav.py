"""Navigation entries of the admissions pages: 招生录取 for staff; a 中考 candidate's 志愿, their own 录取结果 and the
published 录取分数线."""

from django.utils.translation import pgettext_lazy

from gaozhong.core.roles import CANDIDATE, STAFF

NAV = [
    ("admissions_home", pgettext_lazy("nav", "招生录取"), STAFF),
    ("admissions_preferences", pgettext_lazy("nav", "我的志愿"), {CANDIDATE}),
    ("admissions_result", pgettext_lazy("nav", "录取结果"), {CANDIDATE}),
    ("admissions_cutoffs", pgettext_lazy("nav", "录取分数线"), {CANDIDATE}),
]
