"""Navigation of the electives app: 选课排课 for staff, 选科 for students, 我的课表 for teachers and students."""

from django.utils.translation import pgettext_lazy

from gaozhong.core.models import Role

NAV = [
    ("electives_index", pgettext_lazy("nav", "选课排课"), {Role.CITY_ADMIN, Role.COUNTY_STAFF, Role.SCHOOL_ADMIN}),
    ("electives_choose", pgettext_lazy("nav", "选科"), {Role.STUDENT}),
    ("electives_my", pgettext_lazy("nav", "我的课表"), {Role.TEACHER, Role.STUDENT}),
]
