"""Navigation of the people app: one entry for the bureaus and school 教务 (教师队伍), one for a teacher's own
profile (我的档案)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaozhong.core.breadcrumbs import Crumb, import_title, of
from gaozhong.core.models import Role, School, Teacher
from gaozhong.people.models import EthicsRecord
from gaozhong.core.roles import STAFF

NAV = [
    ("people_index", pgettext_lazy("nav", "教师队伍"), STAFF),
    ("people_me", pgettext_lazy("nav", "我的档案"), {Role.TEACHER}),
]

#: how the people pages below the menu are named in breadcrumbs (gaozhong.core.breadcrumbs); a teacher's forms sit
#: under the teacher's profile by their addresses
CRUMBS = {
    "people_teacher": of(Teacher, fallback=_("教师档案")),
    "people_qualification_add": Crumb(_("添加学历与资格")),
    "people_post_change": Crumb(_("岗位变动")),
    "people_ethics_add": Crumb(_("登记师德记录")),
    "people_nominate": Crumb(_("推荐")),
    "people_move": Crumb(_("交流调动")),
    "people_ethics_list": Crumb(_("师德档案")),
    "people_ethics_detail": of(EthicsRecord, lambda r: r.number, fallback=_("师德记录")),
    "people_ethics_decide": Crumb(_("处理")),
    "people_bans": Crumb(_("全行业禁入名单")),
    "people_ban_add": Crumb(_("列入全行业禁入名单")),
    "people_hire": Crumb(_("新聘教师登记")),
    "people_hire_checks": Crumb(_("准入查询")),
    "people_hire_check": Crumb(_("准入查询结果")),
    "people_nominations": Crumb(_("评聘推荐")),
    "people_nomination_decide": Crumb(_("审批推荐")),
    "people_training": Crumb(_("培训学时台账")),
    "people_researchers": Crumb(_("教研员培训学时")),
    "people_rotation": Crumb(_("交流轮岗")),
    "people_rotation_due": Crumb(_("应交流人员建议名单")),
    "people_staffing": Crumb(_("学科师资")),
    "people_staffing_school": of(School, fallback=_("学校")),
    "people_import": Crumb(import_title, fallback=_("导入")),
    "people_me": Crumb(_("我的档案")),
}
