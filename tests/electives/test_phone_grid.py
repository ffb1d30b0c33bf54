"""课表 on a phone: the week as a list of days (each lesson once, runs of free periods on one line, nothing after
a day's last lesson), the same lessons as the grid, and the names in the title kept whole."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from gaozhong.core.models import Membership
from gaozhong.electives.models import Lesson, Timetable
from gaozhong.electives.selectors import Grid

from .factories import elective_grade
from .test_web_solve import solve_now


def _lesson(subject: str) -> dict:
    return {"pk": 1, "code": "X", "subject": subject, "kind": "core", "teacher": "王老师", "room": "H1", "size": 40, "day": 1, "period": 1}


def test_a_week_as_days():
    # 2 days × 6 periods; day 1: lessons at 3 and 4, free 1–2 and 5–6; day 2: nothing but a blocked slot
    rows = [[[], []] for _ in range(6)]
    rows[2][0] = [_lesson("数学")]
    rows[3][0] = [_lesson("语文"), _lesson("物理")]
    g = Grid("课表", ["星期一", "星期二"], list(range(1, 7)), rows, {(1, 2), (2, 5)})
    days = g.by_day()
    assert [d for d, _ in days] == ["星期一"]  # a day without a lesson is left out
    lines = days[0][1]
    # period 1 is free, 2 is blocked (a run only joins periods of one kind), 3 and 4 each on their own, 5–6 dropped
    assert [(first, last, [x["subject"] for x in lessons], blocked) for first, last, lessons, blocked in lines] == [
        (1, 1, [], False), (2, 2, [], True), (3, 3, ["数学"], False), (4, 4, ["语文", "物理"], False)]
    rows[5][1] = [_lesson("体育")]
    lines = dict(g.by_day())["星期二"]
    assert [(first, last, bool(lessons), blocked) for first, last, lessons, blocked in lines] == [
        (1, 4, False, False), (5, 5, False, True), (6, 6, True, False)]


def test_names_in_a_title_are_kept_whole():
    t = Template("{% load names %}{{ title|keep_names:names }}")
    html = t.render(Context({"title": "王小明 G1499****0112（高一(1)班）课表", "names": ("王小明", "高一(1)班", "")}))
    assert html == '<span class="name">王小明</span> G1499****0112（<span class="name">高一(1)班</span>）课表'
    assert t.render(Context({"title": "<b>高一(1)班</b>", "names": ["高一(1)班"]})) == '&lt;b&gt;<span class="name">高一(1)班</span>&lt;/b&gt;'
    assert t.render(Context({"title": "课表", "names": None})) == "课表"


@pytest.mark.django_db
def test_own_timetable_lists_the_same_lessons_by_day(world, client, django_capture_on_commit_callbacks):
    window = elective_grade(world)
    solve_now(world, window, django_capture_on_commit_callbacks)
    tt = Timetable.objects.get(window=window, is_current=True)
    client.force_login(world.a.student_user)
    page = client.get("/electives/my/").content.decode()
    assert page.count('data-testid="day-lesson"') == page.count('data-testid="lesson"') > 0
    assert f'<span class="name">{world.a.admin_class.name}</span>' in page and f'<span class="name">{world.a.student.name}</span>' in page
    teacher = Lesson.objects.filter(teaching_class__timetable=tt).select_related("teaching_class__teacher").first().teaching_class.teacher
    Membership.objects.filter(user=world.a.teacher_user).update(teacher=teacher)
    client.force_login(world.a.teacher_user)
    page = client.get("/electives/my/").content.decode()
    n = Lesson.objects.filter(teaching_class__timetable=tt, teaching_class__teacher=teacher).count()
    assert page.count('data-testid="day-lesson"') == page.count('data-testid="lesson"') == n
    # a grid the 教务 moves lessons on keeps its own phone layout (the compact grid), with no list of days
    client.force_login(world.a.school_user)
    page = client.get(f"/electives/timetables/{tt.pk}/grid/", {"kind": "teacher", "key": teacher.staff_no}).content.decode()
    assert 'data-testid="kebiao"' in page and 'data-testid="kebiao-days"' not in page
