"""Reads of the electives app: choice statistics of a window, what the choices need against what the school has,
and timetable grids (课表: days across, periods down) of an admin class, teaching class, teacher, room or student.
Every read goes through the scoping layer (the view passes visible objects)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from gaozhong.core.models import Student, Teacher
from gaozhong.core.scoping import visible
from gaozhong.electives.engine.bounds import lower_bound
from gaozhong.electives.engine.casefiles import case_from_files
from gaozhong.electives.engine.feasibility import needs_table

from .casebuild import admin_code, build_case, window_classes, window_students
from .models import Choice, Lesson, Room, SubjectPlan, TeacherLimit, TeachingClass, Timetable, Window
from .rules import FIRST, NAMES, SECOND

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


def choice_stats(window: Window) -> dict:
    """Chosen and not chosen, students per combination and per subject (as choices come in)."""
    total = window_students(window).count()
    combos = Counter(Choice.objects.filter(window=window).values_list("electives", flat=True))
    chosen = sum(combos.values())
    per_subject = Counter()
    for value, n in combos.items():
        for c in value.split(";"):
            per_subject[c] += n
    combo_rows = [{"codes": v, "label": "".join(NAMES[c][0] for c in v.split(";")), "count": n,
                   "share": n / chosen if chosen else 0} for v, n in combos.most_common()]
    subject_rows = [{"code": c, "name": NAMES[c], "count": per_subject[c], "share": per_subject[c] / chosen if chosen else 0,
                     "first": c in FIRST} for c in FIRST + SECOND]
    return {"total": total, "chosen": chosen, "missing": total - chosen, "combos": combo_rows, "subjects": subject_rows}


def needs(window: Window):
    """The engine's needs table for the choices made so far (or the problems that keep the case from being built),
    and the students who have not chosen yet."""
    built = build_case(window, partial=True)
    if built.case is None:
        return {"problems": built.problems, "table": None, "lb": None, "missing": built.missing_choices}
    return {"problems": [], "table": needs_table(built.case), "lb": sum(lower_bound(built.case).values()), "missing": built.missing_choices}


@dataclass
class Grid:
    title: str
    days: list[str]
    periods: list[int]
    rows: list[list[list[dict]]]  # rows[period][day] = lessons
    blocked: set = field(default_factory=set)  # (day, period) when nothing is taught
    names: tuple[str, ...] = ()  # the names in the title (a class's, a person's), kept whole on a narrow screen

    def cells(self) -> list[tuple[int, list[tuple[list[dict], bool]]]]:
        """(period, [(lessons, blocked) per day]) for the template."""
        return [(p, [(self.rows[p - 1][d], (d + 1, p) in self.blocked) for d in range(len(self.days))]) for p in self.periods]

    def by_day(self) -> list[tuple[str, list[tuple[int, int, list[dict], bool]]]]:
        """(day, [(first period, last period, lessons, blocked)]) for the phone's list of days: each period with
        lessons on its own, a run of free (or of blocked) periods in one line, nothing after the day's last lesson;
        a day without a lesson is left out."""
        out = []
        for d, day in enumerate(self.days):
            periods = [(p, self.rows[p - 1][d], (d + 1, p) in self.blocked) for p in self.periods]
            while periods and not periods[-1][1]:
                periods.pop()
            lines: list[tuple[int, int, list[dict], bool]] = []
            for p, lessons, blocked in periods:
                last = lines[-1] if lines else None
                if not lessons and last is not None and not last[2] and last[3] == blocked and last[1] == p - 1:
                    lines[-1] = (last[0], p, [], blocked)
                else:
                    lines.append((p, p, lessons, blocked))
            if lines:
                out.append((day, lines))
        return out


def _lesson_dict(les: Lesson) -> dict:
    c = les.teaching_class
    return {"pk": les.pk, "code": c.code, "subject": c.subject.name, "kind": c.kind, "teacher": c.teacher.name,
            "room": les.room.code, "size": c.size, "day": les.day, "period": les.period}


def grid_lessons(tt: Timetable, kind: str, key: str):
    """(title, lessons queryset, the names in the title) of one grid; kind is admin, class, teacher, room or
    student. None if key is unknown."""
    base = Lesson.objects.filter(teaching_class__timetable=tt).select_related("teaching_class__subject", "teaching_class__teacher", "room")
    if kind == "admin":
        ac = next((a for a in window_classes(tt.window) if admin_code(a) == key), None)
        if ac is None:
            return None
        # The admin class's own lessons and the 走班 lessons its students walk to.
        walk = TeachingClass.objects.filter(timetable=tt, members__student__admin_class=ac).values_list("pk", flat=True).distinct()
        return f"{ac.name} 课表", base.filter(teaching_class__admin_class=ac) | base.filter(teaching_class__in=list(walk)), (ac.name,)
    if kind == "class":
        c = TeachingClass.objects.filter(timetable=tt, code=key).select_related("subject", "teacher").first()
        return None if c is None else (f"{c.code} {c.subject.name}{c.get_kind_display()} · {c.teacher.name} · {c.size} 人", base.filter(teaching_class=c),
                                       (c.code, c.teacher.name))
    if kind == "teacher":
        t = Teacher.objects.filter(school=tt.window.school, staff_no=key).first()
        return None if t is None else (f"{t.name} {t.staff_no} 课表", base.filter(teaching_class__teacher=t), (t.name, t.staff_no))
    if kind == "room":
        r = Room.objects.filter(school=tt.window.school, code=key).first()
        return None if r is None else (f"教室 {r.code}（{r.room_type}，{r.capacity} 人）课表", base.filter(room=r), (r.code,))
    if kind == "student":
        st = window_students(tt.window).filter(student_no=key).first()
        if st is None:
            return None
        mine = TeachingClass.objects.filter(timetable=tt, members__student=st).values_list("pk", flat=True)
        own = base.filter(teaching_class__admin_class=st.admin_class) | base.filter(teaching_class__in=list(mine))
        return f"{st.name} {st.student_no_masked}（{st.admin_class.name}）课表", own, (st.name, st.student_no_masked, st.admin_class.name)
    return None


def build_grid(tt: Timetable, title: str, lessons, names: tuple[str, ...] = ()) -> Grid:
    cal = case_from_files(tt.case_files).calendar
    rows = [[[] for _ in range(cal.days)] for _ in range(cal.periods_per_day)]
    for les in lessons.order_by("day", "period", "teaching_class__code"):
        rows[les.period - 1][les.day - 1].append(_lesson_dict(les))
    blocked = {cal.day_period(t) for t in cal.blocked}
    return Grid(title, [f"星期{WEEKDAYS[d]}" for d in range(cal.days)], list(range(1, cal.periods_per_day + 1)), rows, blocked, tuple(names))


def grid_keys(tt: Timetable) -> dict[str, list[tuple[str, str]]]:
    """The (key, label) choices of each grid kind."""
    classes = TeachingClass.objects.filter(timetable=tt).select_related("subject").order_by("kind", "subject__code", "code")
    teacher_ids = set(classes.values_list("teacher_id", flat=True))
    return {
        "admin": [(admin_code(a), a.name) for a in window_classes(tt.window)],
        "class": [(c.code, f"{c.code} {c.subject.name}{c.get_kind_display()} {c.size}人") for c in classes if c.kind != "core"],
        "teacher": [(t.staff_no, f"{t.name} {t.staff_no}") for t in Teacher.objects.filter(pk__in=teacher_ids).order_by("staff_no")],
        "room": [(r.code, f"{r.code} {r.room_type}") for r in Room.objects.filter(school=tt.window.school).order_by("code")],
    }


def student_window(*, user, student: Student) -> Window | None:
    """The window of the student's class's grade, read through the scoping layer."""
    if student.admin_class_id is None:
        return None
    ac = student.admin_class
    return visible(Window, user).filter(school=ac.school, school_year=ac.school_year, grade=ac.grade).first()


def student_timetable(*, user, student: Student) -> Timetable | None:
    """The current timetable of the window the student's class belongs to, read through the scoping layer."""
    if student.admin_class_id is None:
        return None
    ac = student.admin_class
    return visible(Timetable, user).filter(window__school=ac.school, window__school_year=ac.school_year, window__grade=ac.grade,
                                    is_current=True).select_related("window").first()


def teacher_timetable(*, user, teacher: Teacher) -> Timetable | None:
    """The current timetable of the teacher's school that they teach in, read through the scoping layer."""
    return (visible(Timetable, user).filter(window__school_id=teacher.school_id, is_current=True, classes__teacher=teacher)
            .distinct().select_related("window").first())


def timetable_teachers(*, user, tt: Timetable):
    """The teachers of a timetable's teaching classes that the user may see, by staff number."""
    return visible(Teacher, user).filter(pk__in=tt.classes.values("teacher")).order_by("staff_no")


def class_sizes(tt: Timetable) -> list[dict]:
    """Teaching classes per subject and kind: count, smallest and largest."""
    agg: dict[tuple, list[int]] = defaultdict(list)
    names = {}
    for c in TeachingClass.objects.filter(timetable=tt).exclude(kind="core").select_related("subject"):
        agg[c.subject.code, c.kind].append(c.size)
        names[c.subject.code] = c.subject.name
    order = {c: i for i, c in enumerate(FIRST + SECOND)}
    return [{"subject": names[s], "kind": "选考" if k == "xuanke" else "学考", "n": len(v), "min": min(v), "max": max(v)}
            for (s, k), v in sorted(agg.items(), key=lambda kv: (kv[0][1] != "xuanke", order.get(kv[0][0], 9)))]


def window_rows(window: Window, kind: str) -> list[dict]:
    """The window's current choices, rooms, plan or teachers' limits as rows of the import's own columns, so an
    exported file can be edited in Excel and imported back."""
    if kind == "choices":
        names = dict(NAMES)
        return [{"student_no": c.student.student_no, "electives": ";".join(names[x] for x in c.codes)}
                for c in Choice.objects.filter(window=window).select_related("student").order_by("student__student_no")]
    if kind == "rooms":
        classes = {ac.pk: ac.number for ac in window_classes(window)}
        return [{"code": r.code, "room_type": r.room_type, "capacity": r.capacity, "home_class": classes.get(r.admin_class_id)}
                for r in Room.objects.filter(school=window.school).order_by("code")]
    if kind == "plan":
        return [{"subject": p.subject.code, "track": p.track, "periods": p.periods,
                 "xuekao_periods": p.xuekao_periods if p.track == "elective" else None, "room_type": p.room_type,
                 "max_class_size": p.max_class_size}
                for p in SubjectPlan.objects.filter(window=window).select_related("subject").order_by("track", "subject__code")]
    if kind == "limits":
        return [{"staff_no": lim.teacher.staff_no, "max_periods": lim.max_periods, "unavailable": lim.unavailable}
                for lim in TeacherLimit.objects.filter(window=window).select_related("teacher").order_by("teacher__staff_no")]
    raise ValueError(kind)


def window_resources(window: Window) -> dict:
    """The plan, the rooms and the teachers' limits as the window page lists them."""
    classes = {ac.pk: ac for ac in window_classes(window)}
    return {
        "plan": SubjectPlan.objects.filter(window=window).select_related("subject").order_by("track", "subject__code"),
        "rooms": [(r, classes.get(r.admin_class_id)) for r in Room.objects.filter(school=window.school).order_by("code")],
        "limits": TeacherLimit.objects.filter(window=window).select_related("teacher").order_by("teacher__staff_no"),
    }
