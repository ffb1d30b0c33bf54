"""Between the engine's :class:`Result` and the database: store a solved timetable (classes, members, lessons)
with the case it was solved from, and rebuild the engine result of a stored timetable, so that a manual move
can be checked and a leave re-solved by the same engine code the command runs.
"""

from __future__ import annotations

from gaozhong.core.models import Student, Subject, Teacher
from gaozhong.electives.engine.casefiles import case_from_files, case_to_files
from gaozhong.electives.engine.output import summary_lines
from gaozhong.electives.engine.types import Block, ClassInfo, Result
from gaozhong.electives.engine.types import Lesson as ELesson

from .casebuild import admin_code, window_classes
from .models import ClassMember, Lesson, Room, TeachingClass, Timetable, Window

__all__ = ["store_result", "result_of"]


def store_result(*, window: Window, result: Result, actor, job=None, parent: Timetable | None = None,
                 moved: int | None = None, note: str = "") -> Timetable:
    """Write ``result`` as a new timetable of ``window`` and make it the current one. The caller holds the
    transaction and writes the audit row."""
    case = result.case
    subjects = {s.code: s for s in Subject.objects.filter(code__in=[s.id for s in case.subjects])}
    admins = {admin_code(a): a for a in window_classes(window)}
    teachers = {t.staff_no: t for t in Teacher.objects.filter(school=window.school, staff_no__in=[t.id for t in case.teachers])}
    rooms = {r.code: r for r in Room.objects.filter(school=window.school)}
    students = dict(Student.objects.filter(school=window.school, student_no__in=[s.id for s in case.students]).values_list("student_no", "pk"))
    Timetable.objects.filter(window=window, is_current=True).update(is_current=False)
    tt = Timetable.objects.create(
        window=window, parent=parent, job=job, created_by=actor, is_current=True, seed=result.seed, lower_bound=result.lower_bound,
        teaching_classes=result.teaching_classes, lessons_moved=moved, note=note[:300], case_files=case_to_files(case),
        blocks=[{"index": b.index, "length": b.length, "class_ids": list(b.class_ids), "admin_classes": list(b.admin_classes)} for b in result.blocks],
        summary=summary_lines(result),
    )
    objs = [TeachingClass(timetable=tt, code=c.id, subject=subjects[c.subject], kind=c.kind,
                          admin_class=admins[c.admin_class] if c.admin_class else None, teacher=teachers[c.teacher], size=c.size, block=c.block)
            for c in result.classes]
    TeachingClass.objects.bulk_create(objs, batch_size=1000)
    by_code = dict(TeachingClass.objects.filter(timetable=tt).values_list("code", "pk"))
    ClassMember.objects.bulk_create([ClassMember(teaching_class_id=by_code[cid], student_id=students[sid]) for sid, cid in result.enrolments],
                                    batch_size=2000)
    cal = case.calendar
    Lesson.objects.bulk_create([Lesson(teaching_class_id=by_code[les.class_id], day=cal.day_period(les.slot)[0], period=cal.day_period(les.slot)[1],
                                       room=rooms[les.room]) for les in result.lessons], batch_size=2000)
    return tt


def result_of(tt: Timetable) -> Result:
    """The engine result of a stored timetable, lessons as they stand now (after any manual moves)."""
    case = case_from_files(tt.case_files)
    cal = case.calendar
    classes = list(TeachingClass.objects.filter(timetable=tt).select_related("subject", "teacher", "admin_class").order_by("pk"))
    counts: dict[int, int] = {}
    lessons = []
    for les in Lesson.objects.filter(teaching_class__timetable=tt).select_related("teaching_class", "room").order_by("teaching_class_id", "day", "period"):
        counts[les.teaching_class_id] = counts.get(les.teaching_class_id, 0) + 1
        lessons.append(ELesson(les.teaching_class.code, cal.slot(les.day, les.period), les.room.code))
    infos = [ClassInfo(c.code, c.subject.code, c.kind, admin_code(c.admin_class) if c.admin_class else None, c.teacher.staff_no, c.size,
                       counts.get(c.pk, 0), c.block) for c in classes]
    enrol = [(sno, code) for sno, code in ClassMember.objects.filter(teaching_class__timetable=tt)
             .values_list("student__student_no", "teaching_class__code").order_by("student__student_no", "teaching_class__code")]
    blocks = [Block(b["index"], b["length"], tuple(b["class_ids"]), tuple(b["admin_classes"])) for b in tt.blocks]
    return Result(case, infos, enrol, lessons, blocks, tt.lower_bound, tt.teaching_classes, tt.seed)
