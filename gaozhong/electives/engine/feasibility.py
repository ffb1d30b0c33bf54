"""Counting checks run before any search: each one compares what the case needs with what the school has, and
says so in words a 教务 understands, naming the subject, teacher, room type or admin class in conflict.

They are necessary conditions only; when they all pass the solver may still prove the case infeasible.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from .bounds import ceil_div, effective_cap, item_students, teacher_capacity
from .types import HOME, XUANKE, Case, Infeasible

__all__ = ["check_counts", "subject_periods_needed", "needs_table", "Needs", "SubjectNeed", "RoomNeed"]

MAX_LISTED = 8


def _subject_label(case: Case, sid: str) -> str:
    s = case.subject_by_id[sid]
    return f"{s.name} {sid}" if s.name != sid else sid


def subject_periods_needed(case: Case) -> dict[str, tuple[int, str]]:
    """Periods a week each subject needs at the fewest classes that fit, with a short explanation."""
    out: dict[str, tuple[int, str]] = {}
    n_admin = len(case.admin_classes)
    for s in case.core_subjects:
        out[s.id] = (n_admin * s.periods, f"{n_admin} 个行政班 × {s.periods} 节 ({n_admin} admin classes × {s.periods})")
    students = item_students(case)
    for s in case.elective_subjects:
        cap = max(1, effective_cap(case, s.id))
        parts, total = [], 0
        for kind, per, word in ((XUANKE, s.periods, "选考班 xuanke classes"), ("xuekao", s.xuekao_periods, "学考班 xuekao classes")):
            n = len(students.get((s.id, kind), []))
            if n and per:
                k = ceil_div(n, cap)
                total += k * per
                parts.append(f"{k} {word} × {per}")
        out[s.id] = (total, " + ".join(parts) or "0")
    return out


def check_counts(case: Case) -> None:
    """Raise :class:`Infeasible` with every counting conflict found. Rules (3)–(7) of issue 7, necessary parts."""
    cal = case.calendar
    free = cal.free_slots()
    F = len(free)
    reasons: list[str] = []
    per_day_free = defaultdict(int)
    for t in free:
        per_day_free[cal.day_of(t)] += 1
    week_cap = sum(min(cal.max_per_day, n) for n in per_day_free.values())
    sizes = case.admin_sizes()
    core = case.core_subjects
    core_total = sum(s.periods for s in core)

    # Rule (3): a class's lessons on distinct free slots, at most max_lessons_per_class_per_day a day.
    for s in case.subjects:
        for per, what in ((s.periods, "节课"), (s.xuekao_periods, "节学考课")):
            if per and per > week_cap:
                reasons.append(
                    f"科目 {_subject_label(case, s.id)} 每周 {per} {what}，但每班每天最多 {cal.max_per_day} 节、可用课时只够 {week_cap} 节 "
                    f"({per} lessons a week, at most {cal.max_per_day} a day over {len(per_day_free)} days allows {week_cap})")

    # Rules (3), (5): every student's lessons fit in the free slots of the week.
    over: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for st in case.students:
        need = core_total + sum(case.item_periods(i) for i in case.needs(st))
        if need > F:
            over[st.admin_class].append((st.id, need))
    if not case.students:
        for a in case.admin_classes:
            if core_total > F:
                over[a.id].append(("-", core_total))
    for aid, rows in list(over.items())[:MAX_LISTED]:
        sid, need = rows[0]
        reasons.append(
            f"行政班 {aid} 有 {len(rows)} 名学生每周需要 {need} 节课 (如 {sid}: 必修 {core_total} 节 + 选考/学考 {need - core_total} 节)，"
            f"但一周只有 {F} 个可上课的课时 ({cal.days} 天 × {cal.periods_per_day} 节 − {len(cal.blocked)} 个停课课时) "
            f"({len(rows)} students of admin class {aid} need {need} lessons a week, only {F} free slots)")

    # Rule (4): class size within max_class_size and room capacity.
    rooms_by_type: dict[str, list] = defaultdict(list)
    for r in case.rooms:
        rooms_by_type[r.type].append(r)
    for a in case.admin_classes:
        n = sizes[a.id]
        home = case.room_by_id[a.home_room]
        for s in core:
            if n > s.max_class_size:
                reasons.append(f"行政班 {a.id} 有 {n} 名学生，超过科目 {_subject_label(case, s.id)} 的班额上限 {s.max_class_size} "
                               f"(admin class {a.id} has {n} students, max_class_size of {s.id} is {s.max_class_size})")
            if s.room_type == HOME and n > home.capacity:
                reasons.append(f"行政班 {a.id} 有 {n} 名学生，其教室 {home.id} 只能容纳 {home.capacity} 人 "
                               f"(admin class {a.id} has {n} students, its home room {home.id} holds {home.capacity})")
            elif s.room_type != HOME:
                biggest = max((r.capacity for r in rooms_by_type[s.room_type]), default=0)
                if n > biggest:
                    reasons.append(f"行政班 {a.id} 有 {n} 名学生，但最大的 {s.room_type} 教室只能容纳 {biggest} 人 ({_subject_label(case, s.id)}) "
                                   f"(admin class {a.id} has {n} students, the largest {s.room_type} room holds {biggest})")
    students = item_students(case)
    for (sid, kind), ids in students.items():
        if case.item_periods((sid, kind)) and effective_cap(case, sid) < 1:
            s = case.subject_by_id[sid]
            reasons.append(f"科目 {_subject_label(case, sid)} 的 {len(ids)} 名学生没有可用的 {s.room_type} 教室 (no {s.room_type} room can hold a class of {sid})")

    # Rule (6): teacher periods per subject, and for subjects sharing teachers, per group of subjects (Hall).
    need = subject_periods_needed(case)
    avail = teacher_capacity(case)
    teachers_of: dict[str, list] = defaultdict(list)
    for t in case.teachers:
        for s in t.subjects:
            teachers_of[s].append(t)
    for s in case.subjects:
        n, why = need[s.id]
        if n == 0:
            continue
        ts = teachers_of[s.id]
        if not ts:
            reasons.append(f"没有教师能教科目 {_subject_label(case, s.id)}，它每周需要 {n} 节 ({why}) (no teacher teaches {s.id}, it needs {n} periods a week)")
            continue
        supply = sum(avail[t.id] for t in ts)
        if supply < n:
            if len(ts) == 1:
                t = ts[0]
                reasons.append(f"教师 {t.id} 是唯一的 {_subject_label(case, s.id)} 教师，需要上 {n} 节/周 ({why})，但最多 {avail[t.id]} 节 "
                               f"(teacher {t.id} is needed {n} periods, max {avail[t.id]})")
            else:
                listed = ", ".join(f"{t.id} {avail[t.id]}" for t in ts[:MAX_LISTED]) + (" …" if len(ts) > MAX_LISTED else "")
                reasons.append(f"科目 {_subject_label(case, s.id)} 每周需要 {n} 节 ({why})，但它的 {len(ts)} 位教师最多能上 {supply} 节 ({listed}) "
                               f"(subject {s.id} needs {n} periods a week, its {len(ts)} teachers can give at most {supply})")
    # Rule (6): a class has one teacher for all its lessons, so a teacher of at most c periods takes at most
    # c // p classes of p or more lessons (e.g. 62 math classes of 5 when 31 teachers of 11 periods take 61).
    for s in case.subjects:
        ts = teachers_of[s.id]
        if not ts or need[s.id][0] > sum(avail[t.id] for t in ts):
            continue  # no teacher, or too few periods: said above
        if s.track == "core":
            counts = {s.periods: len(case.admin_classes)} if s.periods else {}
        else:
            counts = {}
            cap = max(1, effective_cap(case, s.id))
            for kind, per in ((XUANKE, s.periods), ("xuekao", s.xuekao_periods)):
                n_st = len(students.get((s.id, kind), []))
                if per and n_st:
                    counts[per] = counts.get(per, 0) + ceil_div(n_st, cap)
        for per in sorted(counts):
            k = sum(c for q, c in counts.items() if q >= per)
            most = sum(avail[t.id] // per for t in ts)
            if k > most:
                listed = ", ".join(f"{t.id} {avail[t.id]}→{avail[t.id] // per}" for t in ts[:MAX_LISTED]) + (" …" if len(ts) > MAX_LISTED else "")
                reasons.append(f"科目 {_subject_label(case, s.id)} 至少有 {k} 个每周 {per} 节或以上的班，每班由一位教师任教，但它的 {len(ts)} 位教师按各自最多节数"
                               f"最多只能教 {most} 个这样的班 (节数→班数：{listed}) (subject {s.id} has at least {k} classes of {per} or more lessons "
                               f"a week, one teacher each; its {len(ts)} teachers can take at most {most} such classes within their periods)")
                break
    # Rules (3), (6): a class's lessons have one teacher and at most max_per_day a day, so a teacher can take a
    # class of p lessons only if their free slots, day by day under the cap, hold p lessons.
    for s in case.subjects:
        if s.track == "core":
            lengths = {s.periods} if case.admin_classes else set()
        else:
            lengths = {per for kind, per in ((XUANKE, s.periods), ("xuekao", s.xuekao_periods)) if per and students.get((s.id, kind))}
        for per in sorted(lengths):
            ts = teachers_of[s.id]
            room = {t.id: _day_room(case, t) for t in ts}
            if ts and all(room[t.id] < per for t in ts):
                listed = ", ".join(f"{t.id} {room[t.id]}" for t in ts[:MAX_LISTED])
                reasons.append(f"科目 {_subject_label(case, s.id)} 每班每周 {per} 节、每天最多 {cal.max_per_day} 节，但它的教师按可上课的日子最多只能给一个班上 "
                               f"{max(room.values())} 节 ({listed}) (no teacher of {s.id} can give one class {per} lessons at most "
                               f"{cal.max_per_day} a day in their free slots)")
    shared = sorted({s for t in case.teachers if len(t.subjects) > 1 for s in t.subjects})
    if 2 <= len(shared) <= 10:
        for k in range(2, len(shared) + 1):
            for group in combinations(shared, k):
                n = sum(need[s][0] for s in group)
                ts = {t.id for s in group for t in teachers_of[s]}
                supply = sum(avail[t] for t in ts)
                if n > supply and all(sum(avail[t.id] for t in teachers_of[s]) >= need[s][0] for s in group):
                    reasons.append(f"科目 {'、'.join(group)} 合计每周需要 {n} 节，而能教它们的 {len(ts)} 位教师最多能上 {supply} 节 "
                                   f"(subjects {', '.join(group)} need {n} periods together, their {len(ts)} teachers can give at most {supply})")
                    break

    # Rules (5), (7): room-slots per room type, home rooms included.
    need_type: dict[str, int] = defaultdict(int)
    home_need: dict[str, int] = defaultdict(int)
    for s in core:
        for a in case.admin_classes:
            if s.room_type == HOME:
                home_need[a.home_room] += s.periods
            else:
                need_type[s.room_type] += s.periods
    for s in case.elective_subjects:
        for kind, per in ((XUANKE, s.periods), ("xuekao", s.xuekao_periods)):
            n = len(students.get((s.id, kind), []))
            if n and per:
                need_type[s.room_type] += ceil_div(n, max(1, effective_cap(case, s.id))) * per
    for room_id, n in home_need.items():
        if n > F:
            users = [a.id for a in case.admin_classes if a.home_room == room_id]
            reasons.append(f"教室 {room_id} 是行政班 {'、'.join(users)} 的教室，必修课共 {n} 节/周，但一周只有 {F} 个课时 "
                           f"(home room {room_id} has {n} home lessons a week, only {F} free slots)")
        need_type[case.room_by_id[room_id].type] += n
    for rt, n in need_type.items():
        k = len(rooms_by_type[rt])
        if n > k * F:
            users = sorted({s.id for s in case.subjects if s.room_type == rt})
            names = "、".join(_subject_label(case, u) for u in users) or "行政班必修课"
            reasons.append(f"{rt} 教室 {k} 间 × {F} 课时 = {k * F} < 需要的 {n} 节 ({names} 每周至少 {n} 节 {rt} 教室的课) "
                           f"({n} {rt} lessons a week, {k} room{'s' if k != 1 else ''} of type {rt} with {F} free slots each)")
    if reasons:
        raise Infeasible(reasons)


def _day_room(case: Case, teacher) -> int:
    """Most lessons of one class a teacher can give in a week: per day, the smaller of the day cap and their free
    slots that day."""
    cal = case.calendar
    per_day: dict[int, int] = defaultdict(int)
    for t in cal.free_slots():
        if t not in teacher.unavailable:
            per_day[cal.day_of(t)] += 1
    return sum(min(cal.max_per_day, n) for n in per_day.values())


@dataclass(frozen=True)
class SubjectNeed:
    subject: str
    name: str
    track: str
    choosers: int  # 选考 students (core: students of all admin classes)
    xuekao: int  # 学考 students
    classes: int  # teaching classes at the bound (core: admin classes)
    periods: int  # periods a week at the bound
    teachers: int
    teacher_periods: int  # what the subject's teachers can give at most

    @property
    def shortfall(self) -> int:
        return max(0, self.periods - self.teacher_periods)


@dataclass(frozen=True)
class RoomNeed:
    room_type: str
    lessons: int
    rooms: int
    room_slots: int

    @property
    def shortfall(self) -> int:
        return max(0, self.lessons - self.room_slots)


@dataclass(frozen=True)
class Needs:
    """What the choices need against what the school has (issue 7 §2), with every counting conflict named."""

    free_slots: int
    subjects: list[SubjectNeed]
    rooms: list[RoomNeed]
    conflicts: list[str]


def needs_table(case: Case) -> Needs:
    """Teaching classes, periods and teachers per subject and lessons per room type at the lower bound, and the
    reasons :func:`check_counts` gives. Teacher supply counts a teacher of several subjects under each of them."""
    cal = case.calendar
    free = cal.free_slots()
    students = item_students(case)
    periods = subject_periods_needed(case)
    avail = teacher_capacity(case)
    n_students = len(case.students)
    subjects = []
    for s in case.subjects:
        ts = [t for t in case.teachers if s.id in t.subjects]
        if s.track == "core":
            choosers, xk, classes = n_students, 0, len(case.admin_classes)
        else:
            cap = max(1, effective_cap(case, s.id))
            choosers = len(students.get((s.id, XUANKE), []))
            xk = len(students.get((s.id, "xuekao"), [])) if s.xuekao_periods else 0
            classes = ceil_div(choosers, cap) + ceil_div(xk, cap)
        subjects.append(SubjectNeed(s.id, s.name, s.track, choosers, xk, classes, periods[s.id][0], len(ts), sum(avail[t.id] for t in ts)))
    lessons: dict[str, int] = defaultdict(int)
    for s in case.subjects:
        if s.room_type == HOME:
            for a in case.admin_classes:
                lessons[case.room_by_id[a.home_room].type] += s.periods
        else:
            lessons[s.room_type] += periods[s.id][0]
    n_rooms: dict[str, int] = defaultdict(int)
    for r in case.rooms:
        n_rooms[r.type] += 1
    rooms = [RoomNeed(rt, lessons[rt], n_rooms[rt], n_rooms[rt] * len(free)) for rt in sorted(set(lessons) | set(n_rooms))]
    try:
        check_counts(case)
        conflicts: list[str] = []
    except Infeasible as exc:
        conflicts = exc.reasons
    return Needs(len(free), subjects, rooms, conflicts)
