"""Navigation of the electives app: 选课排课 for staff, 选科 for students, 我的课表 for teachers and students
(a 中考 candidate's account has neither)."""

from django.utils.translation import pgettext_lazy

from gaozhong.core.models import Role
from gaozhong.core.roles import SENIOR_STUDENT, STAFF

NAV = [
    ("electives_index", pgettext_lazy("nav", "选课排课"), STAFF),
    ("electives_choose", pgettext_lazy("nav", "选科"), {SENIOR_STUDENT}),
    ("electives_my", pgettext_lazy("nav", "我的课表"), {Role.TEACHER, SENIOR_STUDENT}),
]
