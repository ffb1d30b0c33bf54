"""Solving a window's timetable as a background job, storing the result, moving one lesson to a free slot or
swapping two lessons (对调) by hand (refused with what is in the way when a rule would break), and re-solving after
a teacher's leave with as few lessons moved as possible. Rule: issue 7 hard rules (1)–(7); issue 16 item 7;
seed 000 §二, 001 §二 (选课走班), 002 §三(七) (班额 ≤ 55)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gaozhong.core.audit import audit_record
from gaozhong.core.models import Job, Teacher
from gaozhong.core.services.jobs import job_start, reap_dead_jobs
from gaozhong.electives.engine.casefiles import case_from_files
from gaozhong.electives.engine.adjust import swap_check
from gaozhong.electives.engine.types import Lesson as ELesson

from ..adjust import class_labels, lesson_choices, obstacle_text
from ..casebuild import build_case
from ..models import Lesson, Room, Timetable, Window
from ..results import result_of
from ..slots import slot_label, slot_value, stored_slots_label
from ..tasks import run_leave_job, run_solve_job
from .common import Refused, place, require_staff_write
from .store import timetable_store  # noqa: F401  (re-exported: the service that stores a solve)

MAX_TIME_LIMIT = 1800


@transaction.atomic
def solve_start(*, actor, window: Window, time_limit: int = 300, seed: int | None = None) -> Job:
    """Check that the window's case can be built (every student has chosen, every class has a home room …) and
    start the solve as a background job; refused with every problem otherwise.

    The page asks for no seed: the seed is the number of earlier solves of the window (0, 1, 2 …), so the same
    data and the same run give the same timetable, a second run after a timeout searches differently, and the
    job and the timetable record the seed the command can re-run with (``--seed``)."""
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
    if seed is None:
        seed = Job.objects.filter(kind="electives.solve", params__window_id=window.pk).count()
    return job_start(actor=actor, kind="electives.solve", title=f"排课：{window}", task=run_solve_job,
                     params={"window_id": window.pk, "time_limit": time_limit, "seed": seed}, **place(window))


def _locked_current(actor, lesson: Lesson) -> Timetable:
    """The lesson's timetable, locked for this transaction (two clerks' changes are made one after the other, each
    judged on the timetable the other left), after the permission check; refused unless it is the current one."""
    tt = lesson.teaching_class.timetable
    require_staff_write(actor, tt.window, "该课表")
    tt = Timetable.objects.select_for_update().select_related("window__school").get(pk=tt.pk)
    if not tt.is_current:
        raise Refused([_("这不是当前课表，不能调课。")])
    return tt


def _fresh(lesson: Lesson) -> Lesson:
    return Lesson.objects.select_related("teaching_class__timetable__window__school", "teaching_class__subject",
                                         "teaching_class__teacher", "room").get(pk=lesson.pk)


def _where(lesson: Lesson) -> dict:
    return {"day": lesson.day, "period": lesson.period, "room": lesson.room.code}


@transaction.atomic
def lesson_move(*, actor, lesson: Lesson, day: int, period: int) -> Lesson:
    """Move one lesson to a free slot of the week (its own room when free there, else the smallest free room of
    its type that holds the class); refused with what is in the way when the slot is not free."""
    tt = _locked_current(actor, lesson)
    lesson = _fresh(lesson)
    cal = result_of_calendar(tt)
    if not (1 <= day <= cal.days and 1 <= period <= cal.periods_per_day):
        raise Refused([_("所选课时不在本课表的一周之内。")])
    if (day, period) == (lesson.day, lesson.period):
        raise Refused([_("这节课已在该课时。")])
    choices = lesson_choices(lesson)
    target = next((t for t in choices.free if (t.day, t.period) == (day, period)), None)
    if target is None:
        raise Refused([f"{slot_label(day, period)}：{r}" for r in choices.reasons.get((day, period), [])] or
                      [_("%(slot)s 不能调入。") % {"slot": slot_label(day, period)}])
    before = _where(lesson)
    lesson.day, lesson.period = day, period
    lesson.room = Room.objects.get(school=tt.window.school, code=target.room)
    lesson.save(update_fields=["day", "period", "room"])
    audit_record(actor=actor, action="electives.lesson.moved", obj=lesson,
                 object_repr=f"{lesson.teaching_class.code} {stored_slots_label([(before['day'], before['period'])])}",
                 **place(tt.window), before=before, after={**_where(lesson), "timetable": tt.pk})
    return lesson


@transaction.atomic
def lesson_swap(*, actor, lesson: Lesson, other: Lesson) -> tuple[Lesson, Lesson]:
    """对调: the two lessons trade slots (each in its own room when free there, else another of its type); refused
    with what is in the way when either would break a rule."""
    tt = _locked_current(actor, lesson)
    lesson, other = _fresh(lesson), _fresh(other)
    if other.teaching_class.timetable_id != tt.pk:
        raise Refused([_("两节课不在同一课表中。")])
    if other.teaching_class_id == lesson.teaching_class_id or (other.day, other.period) == (lesson.day, lesson.period):
        raise Refused([_("对调需要两个班在不同课时的两节课。")])
    result = result_of(tt)
    cal = result.case.calendar
    a = ELesson(lesson.teaching_class.code, cal.slot(lesson.day, lesson.period), lesson.room.code)
    b = ELesson(other.teaching_class.code, cal.slot(other.day, other.period), other.room.code)
    verdict = swap_check(result, a, b)
    if not verdict.ok:
        labels = class_labels(tt)
        reasons = [f"{lesson.teaching_class.code} → {slot_label(other.day, other.period)}：{obstacle_text(o, labels, cal.max_per_day)}"
                   for o in verdict.there]
        reasons += [f"{other.teaching_class.code} → {slot_label(lesson.day, lesson.period)}：{obstacle_text(o, labels, cal.max_per_day)}"
                    for o in verdict.back]
        raise Refused(reasons)
    rooms = {r.code: r for r in Room.objects.filter(school=tt.window.school, code__in=[verdict.room, verdict.other_room])}
    before = {"lesson": {"id": lesson.pk, **_where(lesson)}, "other": {"id": other.pk, **_where(other)}}
    (lesson.day, lesson.period), (other.day, other.period) = (other.day, other.period), (lesson.day, lesson.period)
    lesson.room, other.room = rooms[verdict.room], rooms[verdict.other_room]
    # The class-slot pairs differ (two classes), so the unique (class, day, period) rows never collide.
    lesson.save(update_fields=["day", "period", "room"])
    other.save(update_fields=["day", "period", "room"])
    audit_record(actor=actor, action="electives.lesson.swapped", obj=lesson,
                 object_repr=f"{lesson.teaching_class.code} ⇄ {other.teaching_class.code}", **place(tt.window), before=before,
                 after={"lesson": {"id": lesson.pk, **_where(lesson)}, "other": {"id": other.pk, **_where(other)}, "timetable": tt.pk})
    return lesson, other


@transaction.atomic
def leave_start(*, actor, timetable: Timetable, teacher: Teacher, slots, time_limit: int = 60) -> Job:
    """Start a minimal-change re-solve of ``timetable`` with ``teacher`` away in ``slots`` ((day, period) pairs
    picked on the teacher's week)."""
    require_staff_write(actor, timetable.window, "该课表")
    if not timetable.is_current:
        raise Refused([_("这不是当前课表，请在当前课表上重排。")])
    cal = result_of_calendar(timetable)
    picked = sorted(set(slots))
    problems = []
    for d, p in picked:
        if not (1 <= d <= cal.days and 1 <= p <= cal.periods_per_day):
            problems.append(_("请假课时 %(d)s:%(p)s 不在本课表的一周之内。") % {"d": d, "p": p})
        elif cal.slot(d, p) in cal.blocked:
            problems.append(_("%(slot)s 是停课课时，无需请假。") % {"slot": slot_label(d, p)})
    if not picked:
        problems.append(_("请在课表上勾选请假的课时。"))
    own = set(Lesson.objects.filter(teaching_class__timetable=timetable, teaching_class__teacher=teacher).values_list("day", "period"))
    if not own:
        problems.append(_("%(name)s 在此课表中没有课。") % {"name": teacher.name})
    elif picked and not problems and not own & set(picked):
        problems.append(_("%(name)s 在所选课时没有课，课表不需要调整。") % {"name": teacher.name})
    if not 5 <= time_limit <= MAX_TIME_LIMIT:
        problems.append(_("时限须在 5–%(max)s 秒之间。") % {"max": MAX_TIME_LIMIT})
    if problems:
        raise Refused(problems)
    values = ";".join(slot_value(d, p) for d, p in picked)
    return job_start(actor=actor, kind="electives.leave", title=f"请假调课：{teacher.name} {stored_slots_label(picked)}", task=run_leave_job,
                     params={"timetable_id": timetable.pk, "teacher_id": teacher.pk, "slots": values, "time_limit": time_limit},
                     **place(timetable.window))


def result_of_calendar(tt: Timetable):
    return case_from_files(tt.case_files).calendar
