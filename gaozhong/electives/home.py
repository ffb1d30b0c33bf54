"""The electives app's lines on the 首页 (registered in ``AppConfig.ready`` through
``gaozhong.core.hooks.register_home``): a student's 选科 (to do while the window is open, or what they chose) and
their 课表; a teacher's 课表; for a school, the open windows with students who have not chosen yet."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaozhong.core.hooks import FIGURE, LINK, HomeItem
from gaozhong.core.models import Role, Student, Teacher
from gaozhong.core.roles import SENIOR_STUDENT
from gaozhong.core.scoping import Scope, visible

from .models import Choice, Lesson, Window
from .rules import NAMES
from .selectors import choice_stats, student_timetable, student_window, teacher_timetable


def _deadline(window: Window) -> str:
    return timezone.localtime(window.closes_at).strftime("%Y-%m-%d %H:%M")


def electives_home(user, scope: Scope) -> list[HomeItem]:
    if SENIOR_STUDENT in scope.audiences:
        return _student(user, scope)
    if scope.role == Role.TEACHER:
        return _teacher(user, scope)
    if scope.role == Role.SCHOOL_ADMIN:
        return _school(user)
    return []


def _student(user, scope: Scope) -> list[HomeItem]:
    st = visible(Student, user).select_related("admin_class__school", "admin_class__school_year").filter(pk=scope.student_id).first()
    if st is None:
        return []
    out: list[HomeItem] = []
    window = student_window(user=user, student=st)
    choice = visible(Choice, user).filter(window=window, student=st).first() if window else None
    choose = reverse("electives_choose")
    if window is None:
        out.append(HomeItem(_("选科"), kind=FIGURE, value=_("未开放"), note=_("本年级尚未开放选科"), order=20))
    elif choice is not None:
        names = "、".join(NAMES.get(c, c) for c in choice.codes)
        note = _("可修改至 %(d)s") % {"d": _deadline(window)} if window.is_open else _("选科已截止")
        out.append(HomeItem(_("我的选科"), kind=FIGURE, value=names, note=note, url=choose, order=20))
    elif window.is_open:
        out.append(HomeItem(_("选科：请在 %(d)s 前选定选考科目") % {"d": _deadline(window)}, url=choose, link_label=_("去选科"), order=10))
    else:
        out.append(HomeItem(_("我的选科"), kind=FIGURE, value=_("未选"), note=_("选科已截止，请联系班主任"), order=20))
    tt = student_timetable(user=user, student=st)
    out.append(HomeItem(_("我的课表"), kind=LINK, note=_("可打印、可导出") if tt else _("尚未排课"), url=reverse("electives_my"), order=10))
    return out


def _teacher(user, scope: Scope) -> list[HomeItem]:
    t = visible(Teacher, user).filter(pk=scope.teacher_id).first()
    if t is None:
        return []
    tt = teacher_timetable(user=user, teacher=t)
    if tt is None:
        note = _("尚未排课")
    else:
        n = Lesson.objects.filter(teaching_class__timetable=tt, teaching_class__teacher=t).count()
        note = _("每周 %(n)d 节") % {"n": n}
    return [HomeItem(_("我的课表"), kind=LINK, note=note, url=reverse("electives_my"), order=10)]


def _school(user) -> list[HomeItem]:
    out = []
    now = timezone.now()
    for w in visible(Window, user).filter(closes_at__gt=now).order_by("closes_at"):
        missing = choice_stats(w)["missing"]
        out.append(HomeItem(_("%(w)s：尚未选科的学生（截止 %(d)s）") % {"w": w.title, "d": _deadline(w)}, count=missing,
                            url=reverse("electives_window", args=[w.pk]), link_label=_("查看"), order=50))
    return out
