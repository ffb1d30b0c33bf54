"""Navigation of the electives app: 选课排课 for staff, 选科 for students, 我的课表 for teachers and students
(a 中考 candidate's account has neither)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaozhong.core.breadcrumbs import Crumb, import_title, of, under
from gaozhong.core.models import Role
from gaozhong.electives.models import Lesson, Timetable, Window
from gaozhong.core.roles import SENIOR_STUDENT, STAFF

NAV = [
    ("electives_index", pgettext_lazy("nav", "选课排课"), STAFF),
    ("electives_choose", pgettext_lazy("nav", "选科"), {SENIOR_STUDENT}),
    ("electives_my", pgettext_lazy("nav", "我的课表"), {Role.TEACHER, SENIOR_STUDENT}),
]

#: how the electives pages below the menu are named in breadcrumbs (gaozhong.core.breadcrumbs); a timetable sits
#: under its window, a lesson's move page under its timetable
CRUMBS = {
    "electives_window_new": Crumb(_("开放选课窗口")),
    "electives_window": of(Window, lambda w: w.title, fallback=_("选课窗口")),
    "electives_window_edit": Crumb(_("设置")),
    "electives_import": Crumb(import_title, fallback=_("导入")),
    "electives_timetable": of(Timetable, lambda t: _("课表 #%(n)s") % {"n": t.pk}, fallback=_("课表"), parent="electives_window",
                              parent_kwargs=under(Timetable, lambda t: t.window_id)),
    "electives_grid": Crumb(lambda user, context, kwargs: getattr(context.get("grid"), "title", None), fallback=_("课表查看")),
    "electives_leave": Crumb(_("教师请假重排")),
    "electives_changes": Crumb(_("调课清单")),
    "electives_fet": Crumb(_("FET 文件排课")),
    "electives_move": Crumb(_("调课"), parent="electives_timetable", parent_kwargs=under(Lesson, lambda lesson: lesson.teaching_class.timetable_id)),
    "electives_choose": Crumb(_("选科")),
    "electives_my": Crumb(_("我的课表")),
}
