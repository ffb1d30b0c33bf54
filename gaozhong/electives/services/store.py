"""Storing a solved timetable as a window's current one, with one audit row; used by the solve and leave jobs
(kept apart from the services that start those jobs, so the tasks import it without a cycle)."""

from __future__ import annotations

from django.db import transaction

from gaozhong.core.audit import audit_record

from ..models import Timetable, Window
from ..results import store_result
from .common import place, require_staff_write


@transaction.atomic
def timetable_store(*, actor, window: Window, result, job=None, parent: Timetable | None = None, moved: int | None = None,
                    note: str = "") -> Timetable:
    """Store a solved result as the window's current timetable, with one audit row."""
    require_staff_write(actor, window, "该选课窗口")
    tt = store_result(window=window, result=result, actor=actor, job=job, parent=parent, moved=moved, note=note)
    audit_record(actor=actor, action="electives.timetable.stored", obj=tt, **place(window),
                 after={"teaching_classes": tt.teaching_classes, "lower_bound": tt.lower_bound, "lessons": len(result.lessons),
                        "parent": parent.pk if parent else None, "lessons_moved": moved, "job": job.pk if job else None})
    return tt
