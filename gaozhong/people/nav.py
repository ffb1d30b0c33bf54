"""Navigation of the people app: one entry for the bureaus and school 教务 (教师队伍), one for a teacher's own
profile (我的档案)."""

from django.utils.translation import pgettext_lazy

from gaozhong.core.models import Role
from gaozhong.core.roles import STAFF

NAV = [
    ("people_index", pgettext_lazy("nav", "教师队伍"), STAFF),
    ("people_me", pgettext_lazy("nav", "我的档案"), {Role.TEACHER}),
]
