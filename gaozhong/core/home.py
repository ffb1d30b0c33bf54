"""The 首页 of each role: what the user has to do (待办), their key figures and the pages they need.

The foundation contributes its own lines (failed jobs, a school's figures from the facts layer, a teacher's
classes, the imports a school still lacks); each domain app adds its lines through ``hooks.register_home`` in its
``AppConfig.ready``. :func:`home_page` asks every provider and groups what they return.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaozhong.common.standards import CLASS_MAX

from .facts import ratio_text, school_facts_one
from .hooks import FIGURE, LINK, TODO, HomeItem, home_providers
from .models import AdminClass, Candidate, Job, Role, School, Student, Teacher
from .roles import BUREAU, CANDIDATE, SENIOR_STUDENT, STAFF
from .scoping import Scope, visible
from .selectors import current_year

#: failed jobs of the last days count as 待办 (older ones are history on the job list)
FAILED_JOB_DAYS = 7


@dataclass
class HomePage:
    kind: str  # "bureau", "school", "teacher", "student", "candidate" or "none"
    todos: list[HomeItem] = field(default_factory=list)
    figures: list[HomeItem] = field(default_factory=list)
    links: list[HomeItem] = field(default_factory=list)

    @property
    def link_groups(self) -> list[tuple[str, list[HomeItem]]]:
        """Links by group title, in the order of their first link."""
        groups: dict[str, list[HomeItem]] = {}
        for item in self.links:
            groups.setdefault(item.group or _("常用"), []).append(item)
        return list(groups.items())

    @property
    def open_todos(self) -> list[HomeItem]:
        return [t for t in self.todos if t.urgent]

    @property
    def done_todos(self) -> list[HomeItem]:
        """The 待办 lines with nothing to do now (count 0), shown folded under the open ones."""
        return [t for t in self.todos if not t.urgent]


def home_kind(scope: Scope) -> str:
    if scope.role in BUREAU:
        return "bureau"
    if scope.role == Role.SCHOOL_ADMIN:
        return "school"
    if scope.role == Role.TEACHER:
        return "teacher"
    if SENIOR_STUDENT in scope.audiences:
        return "student"
    if CANDIDATE in scope.audiences:
        return "candidate"
    return "none"


def home_page(*, user, scope: Scope) -> HomePage:
    """Every provider's lines for this user: 待办 (open ones first), figures and links, each in its order."""
    page = HomePage(kind=home_kind(scope))
    if scope.role is None:
        return page
    items: list[HomeItem] = []
    for provider in (foundation_home, *home_providers()):
        items.extend(provider(user, scope))
    for item in items:
        {TODO: page.todos, FIGURE: page.figures, LINK: page.links}[item.kind].append(item)
    page.todos.sort(key=lambda t: (not t.urgent, t.order))
    page.figures.sort(key=lambda t: t.order)
    page.links.sort(key=lambda t: t.order)
    return page


def failed_jobs(*, user, days: int = FAILED_JOB_DAYS) -> int:
    """Jobs of the user's place that failed in the last ``days`` days."""
    since = timezone.now() - dt.timedelta(days=days)
    return visible(Job, user).filter(status=Job.Status.FAILED, created_at__gte=since).count()


def foundation_home(user, scope: Scope) -> list[HomeItem]:
    """The foundation's lines: failed jobs for staff; a school's figures (facts layer) and missing rosters; a
    teacher's classes; a student's class; a candidate's 中考 record."""
    out: list[HomeItem] = []
    if scope.role in STAFF:
        out.append(HomeItem(_("近 %(days)d 天失败的后台任务") % {"days": FAILED_JOB_DAYS}, count=failed_jobs(user=user),
                            url=reverse("job_list") + "?status=failed", link_label=_("查看"), order=90))
    if scope.role == Role.SCHOOL_ADMIN:
        out += _school_lines(user, scope)
    elif scope.role == Role.TEACHER:
        out += _teacher_lines(user, scope)
    if SENIOR_STUDENT in scope.audiences:
        st = visible(Student, user).select_related("school", "admin_class__school_year").filter(pk=scope.student_id).first()
        if st is not None:
            out.append(HomeItem(_("我的班级"), kind=FIGURE, value=st.admin_class.name if st.admin_class_id else "—",
                                note=st.school.name, order=10))
    if CANDIDATE in scope.audiences:
        c = visible(Candidate, user).select_related("junior_school").filter(pk=scope.candidate_id).first()
        if c is not None:
            out.append(HomeItem(_("中考总分"), kind=FIGURE, value=c.score,
                                note=_("准考证号 %(no)s · %(school)s") % {"no": c.exam_no, "school": c.junior_school.name}, order=10))
    return out


def _school_lines(user, scope: Scope) -> list[HomeItem]:
    """A school's figures for the current school year, read from the facts layer (never recomputed here), and the
    foundation's imports it still lacks (its teachers, its students in this year's classes)."""
    out: list[HomeItem] = []
    year = current_year()
    school = visible(School, user).filter(pk=scope.school_id).first()
    if school is None or year is None:
        return out
    f = school_facts_one(school.pk, year.start_year) if school.level == School.Level.SENIOR else None
    if f is not None:
        students_url = reverse("student_list")
        out += [
            HomeItem(_("在籍学生"), kind=FIGURE, value=f.students, note=_("%(y)s 学年") % {"y": year}, url=students_url, order=10),
            HomeItem(_("行政班"), kind=FIGURE, value=f.classes_total, url=reverse("class_list"), order=20),
            HomeItem(_("大班额（%(n)d 人及以上）") % {"n": CLASS_MAX + 1}, kind=FIGURE, value=f.classes_over, note=_("其中超大班额 %(n)d") % {"n": f.classes_huge}, order=30),
            HomeItem(_("专任教师"), kind=FIGURE, value=f.teachers_fulltime, url=reverse("teacher_list"), order=40),
            HomeItem(_("师生比"), kind=FIGURE, value=ratio_text(f), order=50),
        ]
    if not visible(Teacher, user).filter(school=school).exists():
        out.append(HomeItem(_("尚未导入本校教师名册"), url=reverse("import_upload", args=["teachers"]), link_label=_("去导入"), order=20))
    if not visible(AdminClass, user).filter(school=school, school_year=year).exists():
        out.append(HomeItem(_("尚未导入 %(y)s 学年学生名册（本学年没有行政班）") % {"y": year},
                            url=reverse("import_upload", args=["students"]), link_label=_("去导入"), order=20))
    return out


def _teacher_lines(user, scope: Scope) -> list[HomeItem]:
    """The classes a teacher teaches this school year, each with its students and the subjects they teach there."""
    year = current_year()
    classes = (visible(AdminClass, user).filter(pk__in=scope.class_ids, school_year=year).select_related("school_year")
               .annotate(n=Count("enrollments", distinct=True)).order_by("grade", "number"))
    out = []
    for k, ac in enumerate(classes):
        subjects = "、".join(ac.assignments.filter(teacher_id=scope.teacher_id).values_list("subject__name", flat=True))
        out.append(HomeItem(ac.name, kind=LINK, note=_("%(n)d 名学生 · 任教%(subjects)s") % {"n": ac.n, "subjects": subjects},
                            url=reverse("class_detail", args=[ac.pk]), order=10 + k, group=_("我的班级")))
    return out
