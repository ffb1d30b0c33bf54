"""Build the timetabling engine's case from a selection window: its weekly plan, the grade's admin classes and
their home rooms, the students' choices, the school's teachers of the plan's subjects with their limits, and
the school's rooms.

Engine ids are the ids staff know: admin class ``203`` (grade 2, class 3), 学籍号, 教职工号, room code, subject
code. Anything that keeps the case from being solved (a student with no choice, a class with no home room, a
plan with no subject) is returned as a sentence naming it, never guessed around.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gaozhong.core.models import AdminClass, Student, Teacher
from gaozhong.electives.engine.reading import parse_slot
from gaozhong.electives.engine.types import AdminClass as EAdmin
from gaozhong.electives.engine.types import Calendar, Case
from gaozhong.electives.engine.types import Room as ERoom
from gaozhong.electives.engine.types import Student as EStudent
from gaozhong.electives.engine.types import Subject as ESubject
from gaozhong.electives.engine.types import Teacher as ETeacher

from .models import Choice, Room, SubjectPlan, TeacherLimit, Window

__all__ = ["admin_code", "window_classes", "window_students", "build_case", "BuiltCase", "parse_slots"]


def admin_code(ac: AdminClass) -> str:
    return f"{ac.grade}{ac.number:02d}"


def window_classes(window: Window):
    return AdminClass.objects.filter(school=window.school, school_year=window.school_year, grade=window.grade).order_by("number")


def window_students(window: Window):
    return (Student.objects.filter(admin_class__in=window_classes(window), status=Student.Status.ENROLLED)
            .select_related("admin_class").order_by("admin_class__number", "student_no"))


def calendar_of(window: Window) -> tuple[Calendar, list[str]]:
    cal = Calendar(window.days, window.periods_per_day, frozenset(), window.max_per_day)
    blocked, problems = parse_slots(window.blocked, cal)
    return Calendar(window.days, window.periods_per_day, frozenset(blocked), window.max_per_day), [f"停课课时：{p}" for p in problems]


def parse_slots(text: str, cal: Calendar) -> tuple[set[int], list[str]]:
    """Slots of a ``1:1;1:2`` list (``;``, ``,`` or spaces between), with a reason for each that is not one."""
    out, problems = set(), []
    for item in text.replace(",", ";").replace("，", ";").replace("；", ";").replace(" ", ";").split(";"):
        if not item.strip():
            continue
        slot, reason = parse_slot(item, cal)
        if reason:
            problems.append(reason)
        else:
            out.add(slot)
    return out, problems


@dataclass
class BuiltCase:
    case: Case | None
    problems: list[str] = field(default_factory=list)
    missing_choices: list[Student] = field(default_factory=list)


def build_case(window: Window, *, partial: bool = False) -> BuiltCase:
    """The engine case of ``window`` as its data stands now, or the problems that keep it from being built.

    With ``partial`` (the needs page while choices come in) students with no choice yet are left out and listed,
    not a problem; a solve needs every student's choice."""
    problems: list[str] = []
    cal, cal_problems = calendar_of(window)
    problems += cal_problems
    plan = list(SubjectPlan.objects.filter(window=window).select_related("subject").order_by("track", "subject__code"))
    if not plan:
        problems.append("课时计划为空 (the weekly plan has no subject)")
    subjects = tuple(ESubject(p.subject.code, p.subject.name, p.track, p.periods, p.xuekao_periods if p.track == "elective" else 0,
                              p.room_type, p.max_class_size) for p in plan)
    electives = {p.subject.code for p in plan if p.track == "elective"}
    classes = list(window_classes(window))
    if not classes:
        problems.append(f"本校 {window.school_year} 学年高{'一二三'[window.grade - 1] if 1 <= window.grade <= 3 else window.grade}没有行政班 (no admin classes)")
    rooms = list(Room.objects.filter(school=window.school).order_by("code"))
    home = {r.admin_class_id: r for r in rooms if r.admin_class_id}
    admins = []
    for ac in classes:
        if ac.pk not in home:
            problems.append(f"行政班 {ac.name} 没有教室 (no home room)")
        else:
            admins.append(EAdmin(admin_code(ac), home[ac.pk].code))
    choices = {c.student_id: c.codes for c in Choice.objects.filter(window=window)}
    students, missing = [], []
    for st in window_students(window):
        codes = choices.get(st.pk)
        if codes is None:
            missing.append(st)
            continue
        unknown = [c for c in codes if c not in electives]
        if unknown:
            problems.append(f"学生 {st.name} {st.student_no_masked} 选了课时计划中没有的选考科目 {'、'.join(unknown)} (chose a subject not in the plan)")
            continue
        students.append(EStudent(st.student_no, admin_code(st.admin_class), tuple(codes)))
    if missing and not partial:
        names = "、".join(f"{s.name} {s.student_no_masked}" for s in missing[:10]) + (" …" if len(missing) > 10 else "")
        problems.append(f"{len(missing)} 名学生尚未选科：{names} ({len(missing)} students have no choice yet)")
    codes = {p.subject.code for p in plan}
    limits = {lim.teacher_id: lim for lim in TeacherLimit.objects.filter(window=window)}
    teachers = []
    # The teachers of this grade are those listed in the window's 教师课时 (limits) when it lists any; otherwise
    # every teaching teacher of the school who teaches a subject of the plan.
    qs = Teacher.objects.filter(school=window.school, post=Teacher.Post.TEACHING).prefetch_related("subjects").order_by("staff_no")
    if limits:
        qs = qs.filter(pk__in=list(limits))
    for t in qs:
        subs = tuple(sorted(s.code for s in t.subjects.all() if s.code in codes))
        if not subs:
            continue
        lim = limits.get(t.pk)
        unavailable: set[int] = set()
        if lim is not None:
            unavailable, bad = parse_slots(lim.unavailable, cal)
            problems += [f"教师 {t.staff_no} 不可排课时：{b}" for b in bad]
        teachers.append(ETeacher(t.staff_no, subs, lim.max_periods if lim else window.default_max_periods, frozenset(unavailable)))
    room_types = {r.room_type for r in rooms}
    for p in plan:
        if p.room_type != "home" and p.room_type not in room_types:
            problems.append(f"科目 {p.subject.name} 需要 {p.room_type} 教室，本校没有此类教室 (no room of type {p.room_type})")
    if problems:
        return BuiltCase(None, problems, missing)
    case = Case(cal, subjects, tuple(admins), tuple(students), tuple(teachers),
                tuple(ERoom(r.code, r.room_type, r.capacity) for r in rooms))
    return BuiltCase(case, [], missing)
