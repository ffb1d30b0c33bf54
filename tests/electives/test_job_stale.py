"""A solve or a re-solve searches outside any transaction and stores its timetable in one short transaction at
the end, only if what it started from still stands; otherwise nothing is stored and the job says why."""

from __future__ import annotations

import pytest

from gaozhong.core.models import Job
from gaozhong.electives import tasks
from gaozhong.electives.models import Choice, Lesson, Timetable
from gaozhong.electives.rules import COMBINATIONS
from gaozhong.electives.services.timetables import leave_start

from .factories import elective_grade
from .test_web_solve import solve_now

pytestmark = pytest.mark.django_db


def test_a_choice_changed_during_the_solve_stores_nothing(world, django_capture_on_commit_callbacks, monkeypatch):
    window = elective_grade(world)
    real = tasks.solve

    def solve_while_a_student_changes_the_choice(case, **kw):
        result = real(case, **kw)
        c = Choice.objects.filter(window=window).order_by("pk").first()
        other = next(x for x in COMBINATIONS if ";".join(x) != c.electives)
        Choice.objects.filter(pk=c.pk).update(electives=";".join(other))
        return result

    monkeypatch.setattr(tasks, "solve", solve_while_a_student_changes_the_choice)
    job = solve_now(world, window, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED and any("已有改动" in d and "未保存" in d for d in job.result["diagnosis"])
    assert not Timetable.objects.filter(window=window).exists()
    monkeypatch.setattr(tasks, "solve", real)
    job = solve_now(world, window, django_capture_on_commit_callbacks)  # solved again from the data as it is now
    assert job.status == Job.Status.SUCCEEDED and Timetable.objects.filter(window=window, is_current=True).exists()


def test_a_lesson_moved_during_a_leave_resolve_stores_nothing(world, django_capture_on_commit_callbacks, monkeypatch):
    window = elective_grade(world)
    assert solve_now(world, window, django_capture_on_commit_callbacks).status == Job.Status.SUCCEEDED
    tt = Timetable.objects.get(window=window, is_current=True)
    items = list(Lesson.objects.filter(teaching_class__timetable=tt).select_related("teaching_class").order_by("pk"))
    teacher = items[0].teaching_class.teacher
    real = tasks.resolve_unavailable

    def resolve_while_someone_moves_a_lesson(result, *a, **kw):
        out = real(result, *a, **kw)
        les = items[-1]
        Lesson.objects.filter(pk=les.pk).update(period=les.period % 2 + 1 if les.period <= 2 else 1)
        return out

    monkeypatch.setattr(tasks, "resolve_unavailable", resolve_while_someone_moves_a_lesson)
    with django_capture_on_commit_callbacks(execute=True):
        job = leave_start(actor=world.a.school_user, timetable=tt, teacher=teacher, slots=[(items[0].day, items[0].period)], time_limit=20)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and any("调动" in d and "未保存" in d for d in job.result["diagnosis"])
    tt.refresh_from_db()
    assert tt.is_current and Timetable.objects.filter(window=window).count() == 1
