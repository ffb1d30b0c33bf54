"""Every URL of the electives app that takes an id, with the object of a place it takes, for the foundation's
scoping walker (tests/core/test_scoping.py). The walker compares every electives table before and after an
outsider's requests."""

from __future__ import annotations

import datetime as dt


def _window(world, place):
    from gaozhong.electives.models import Window

    w = Window.objects.filter(school=place.school).first()
    return w or Window.objects.create(school=place.school, school_year=world.year, grade=1, title="测试选课",
                                      closes_at=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))


def _timetable(world, place):
    from gaozhong.core.models import Subject
    from gaozhong.electives.models import Lesson, Room, TeachingClass, Timetable

    tt = Timetable.objects.filter(window__school=place.school).first()
    if tt is None:
        tt = Timetable.objects.create(window=_window(world, place), created_by=place.school_user, is_current=True, lower_bound=0,
                                      teaching_classes=0, case_files={})
        room = Room.objects.create(school=place.school, code="R1", room_type="normal", capacity=50, admin_class=place.admin_class)
        c = TeachingClass.objects.create(timetable=tt, code="101-SX", subject=Subject.objects.get(code="SX"), kind="core",
                                         admin_class=place.admin_class, teacher=place.teacher, size=1)
        Lesson.objects.create(teaching_class=c, day=1, period=1, room=room)
    return tt


def _lesson(world, place):
    from gaozhong.electives.models import Lesson

    return Lesson.objects.filter(teaching_class__timetable=_timetable(world, place)).first()


def _fet_job(world, place):
    from gaozhong.core.models import Job
    from gaozhong.electives.fetfiles import solved_path, write_atomic

    job = Job.objects.create(kind="electives.fet", title="FET 排课：t.fet", created_by=place.school_user, county=place.county,
                             school=place.school, status=Job.Status.SUCCEEDED, params={"filename": "t.fet"})
    write_atomic(solved_path(job), b"<fet/>")  # the file exists: an outsider's 404 comes from scoping
    return job


OBJECT_URLS = {
    "electives_window": _window,
    "electives_window_edit": _window,
    "electives_solve": _window,
    "electives_import": _window,
    "electives_export": _window,
    "electives_timetable": _timetable,
    "electives_grid": _timetable,
    "electives_grid_xlsx": _timetable,
    "electives_leave": _timetable,
    "electives_case": _timetable,
    "electives_fet_export": _timetable,
    "electives_fet_solved": _fet_job,
    "electives_move": _lesson,
    "electives_options": _lesson,
    "electives_changes": _timetable,
}
