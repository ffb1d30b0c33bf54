"""Solving a window's timetable as a background job, storing the result, moving one lesson by hand (refused
with the reasons when it breaks a rule), and re-solving after a teacher's leave with as few lessons moved as
possible. Rule: issue 7 hard rules (1)–(7); seed 000 §二, 001 §二 (选课走班), 002 §三(七) (班额 ≤ 55)."""

from __future__ import annotations

from django.db import transaction

from gaozhong.core.audit import audit_record
from gaozhong.core.models import Job, Teacher
from gaozhong.core.services.jobs import job_start, reap_dead_jobs
from gaozhong.electives.engine.casefiles import case_from_files
from gaozhong.electives.engine.moves import check_move
from gaozhong.electives.engine.types import Lesson as ELesson

from ..casebuild import build_case, parse_slots
from ..models import Lesson, Timetable, Window
from ..results import result_of
from ..tasks import run_leave_job, run_solve_job
from .common import Refused, place, require_staff_write
from .store import timetable_store  # noqa: F401  (re-exported: the service that stores a solve)

MAX_TIME_LIMIT = 1800


@transaction.atomic
def solve_start(*, actor, window: Window, time_limit: int = 300, seed: int = 0) -> Job:
    """Check that the window's case can be built (every student has chosen, every class has a home room …) and
    start the solve as a background job; refused with every problem otherwise."""
    require_staff_write(actor, window, "该选课窗口")
    if not 5 <= time_limit <= MAX_TIME_LIMIT:
        raise Refused([f"时限须在 5–{MAX_TIME_LIMIT} 秒之间 (time limit must be 5–{MAX_TIME_LIMIT} s)"])
    built = build_case(window)
    if built.problems:
        raise Refused(built.problems)
    reap_dead_jobs()  # a solve whose worker died no longer holds the window
    running = Job.objects.filter(kind="electives.solve", params__window_id=window.pk, status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
    if running.exists():
        raise Refused(["本窗口已有排课任务在运行 (a solve of this window is running)"])
    return job_start(actor=actor, kind="electives.solve", title=f"排课：{window}", task=run_solve_job,
                     params={"window_id": window.pk, "time_limit": time_limit, "seed": seed}, **place(window))


def move_reasons(lesson: Lesson, day: int, period: int) -> list[str]:
    """What moving ``lesson`` to (day, period) would break: the engine's own check on the stored timetable."""
    tt = lesson.teaching_class.timetable
    result = result_of(tt)
    cal = result.case.calendar
    if not (1 <= day <= cal.days and 1 <= period <= cal.periods_per_day):
        return [f"第 {day} 天第 {period} 节不在日历内 (slot outside the calendar)"]
    here = ELesson(lesson.teaching_class.code, cal.slot(lesson.day, lesson.period), lesson.room.code)
    if (day, period) == (lesson.day, lesson.period):
        return ["这节课已在该课时 (the lesson is already there)"]
    return check_move(result, here, cal.slot(day, period))


@transaction.atomic
def lesson_move(*, actor, lesson: Lesson, day: int, period: int) -> Lesson:
    """Move one lesson to another slot of the week, keeping its room; refused with every rule it would break."""
    tt = lesson.teaching_class.timetable
    require_staff_write(actor, tt.window, "该课表")
    if not tt.is_current:
        raise Refused(["这不是当前课表，不能调课 (only the current timetable can be changed)"])
    reasons = move_reasons(lesson, day, period)
    if reasons:
        raise Refused(reasons)
    before = {"day": lesson.day, "period": lesson.period}
    lesson.day, lesson.period = day, period
    lesson.save(update_fields=["day", "period"])
    audit_record(actor=actor, action="electives.lesson.moved", obj=lesson, object_repr=f"{lesson.teaching_class.code} {before['day']}:{before['period']}",
                 **place(tt.window), before=before, after={"day": day, "period": period, "timetable": tt.pk})
    return lesson


@transaction.atomic
def leave_start(*, actor, timetable: Timetable, teacher: Teacher, slots_text: str, time_limit: int = 60) -> Job:
    """Start a minimal-change re-solve of ``timetable`` with ``teacher`` away in the given slots."""
    require_staff_write(actor, timetable.window, "该课表")
    if not timetable.is_current:
        raise Refused(["这不是当前课表，请在当前课表上重排 (re-solve the current timetable)"])
    result_case_cal = result_of_calendar(timetable)
    slots, bad = parse_slots(slots_text, result_case_cal)
    problems = [f"请假课时：{b}" for b in bad]
    if not slots and not bad:
        problems.append("请填写请假的课时，如 1:1;1:2 (list the slots of the leave)")
    if not timetable.classes.filter(teacher=teacher).exists():
        problems.append(f"{teacher.name} 在此课表中没有课 (teaches nothing in this timetable)")
    if not 5 <= time_limit <= MAX_TIME_LIMIT:
        problems.append(f"时限须在 5–{MAX_TIME_LIMIT} 秒之间")
    if problems:
        raise Refused(problems)
    labels = ";".join(result_case_cal.label(t) for t in sorted(slots))
    return job_start(actor=actor, kind="electives.leave", title=f"请假调课：{teacher.name} {labels}", task=run_leave_job,
                     params={"timetable_id": timetable.pk, "teacher_id": teacher.pk, "slots": labels, "time_limit": time_limit},
                     **place(timetable.window))


def result_of_calendar(tt: Timetable):
    return case_from_files(tt.case_files).calendar
