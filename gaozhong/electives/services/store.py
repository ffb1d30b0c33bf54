"""Storing a solved timetable as a window's current one, with one audit row; used by the solve and leave jobs
(kept apart from the services that start those jobs, so the tasks import it without a cycle).

The jobs read their case, search outside any transaction (progress committed as they go), and store here in one
short transaction, which first re-checks, with the window locked, that what the search started from still
stands: for a solve, the window's case as it would be built now; for a re-solve after a leave, the timetable it
started from still current, with its lessons where they were. Otherwise nothing is stored and the job says why."""

from __future__ import annotations

from django.db import transaction

from gaozhong.core.audit import audit_record

from gaozhong.electives.engine.casefiles import case_to_files

from ..casebuild import build_case
from ..models import Timetable, Window
from ..results import result_of, store_result
from .common import Refused, place, require_staff_write


@transaction.atomic
def timetable_store(*, actor, window: Window, result, job=None, parent: Timetable | None = None, moved: int | None = None,
                    note: str = "", started_from=None) -> Timetable:
    """Store a solved result as the window's current timetable, with one audit row. ``started_from`` is the
    parent's engine result the re-solve began with (a leave); :class:`Refused` when the basis changed meanwhile."""
    require_staff_write(actor, window, "该选课窗口")
    Window.objects.select_for_update().filter(pk=window.pk).first()
    stale = _changed_since(window, result, parent, started_from)
    if stale:
        raise Refused(stale)
    tt = store_result(window=window, result=result, actor=actor, job=job, parent=parent, moved=moved, note=note)
    audit_record(actor=actor, action="electives.timetable.stored", obj=tt, **place(window),
                 after={"teaching_classes": tt.teaching_classes, "lower_bound": tt.lower_bound, "lessons": len(result.lessons),
                        "parent": parent.pk if parent else None, "lessons_moved": moved, "job": job.pk if job else None})
    return tt


def _changed_since(window: Window, result, parent: Timetable | None, started_from) -> list[str]:
    if parent is None:
        built = build_case(window)
        if built.case is None or case_to_files(built.case) != case_to_files(result.case):
            return ["排课期间选课、课时计划、教室或教师已有改动，本次结果未保存，请重新排课 "
                    "(the window's data changed while solving; nothing was stored)"]
        return []
    if not Timetable.objects.filter(pk=parent.pk, is_current=True).exists():
        return ["重排期间原课表已被新的课表取代，本次结果未保存 (the timetable was replaced meanwhile; nothing was stored)"]
    if started_from is not None and _lessons(result_of(parent)) != _lessons(started_from):
        return ["重排期间原课表有课被调动，本次结果未保存，请重新登记请假 (a lesson was moved meanwhile; nothing was stored)"]
    return []


def _lessons(result) -> list[tuple[str, int, str]]:
    return sorted((les.class_id, les.slot, les.room) for les in result.lessons)
