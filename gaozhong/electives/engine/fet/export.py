"""Write a 3+1+2 case (the six case files) as a FET file, with its solved classes and timetable when given.

Mapping: each admin class is a FET year; with a solution, each teaching class present in an admin class is
a group ``<admin>·<class>`` and each distinct set of teaching classes among the admin class's students is a
subgroup ``<admin>·S<k>``, so FET sees exactly who may not overlap. Core classes are activities of the year,
teaching classes activities of their groups; one activity per lesson, the lessons of a class in one activity
group. Blocked slots are break times, teacher unavailability is teacher not-available times, room types are
subject preferred rooms and ``home`` lessons the admin class's home room. With a solution every activity is
locked in time and room (100 %, permanently), so ``fet-cl`` reproduces the timetable at once.

Without a solution there are no teaching classes yet (forming them is what ``gaozhong timetable solve``
does): each admin class then has one group per elective and level (选考/学考) whose students it holds, and
one activity per lesson of that group, without a teacher.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape

from gaozhong.common.csvfile import load_csv
from gaozhong.common.errors import InputError, ProblemList

from ..types import CORE, HOME, XUANKE, XUEKAO, Case
from .write import room_lock_xml, time_lock_xml

__all__ = ["case_to_fet", "read_solution", "Solution"]

DAY_NAMES = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


class Solution:
    """classes.csv, enrolments.csv and timetable.csv of ``gaozhong timetable solve``."""

    def __init__(self, classes, enrolments, lessons):
        self.classes = classes  # list of (class_id, subject, kind, admin, teacher)
        self.enrolments = enrolments  # list of (student, class_id)
        self.lessons = lessons  # list of (class_id, slot, room)


def _rows(path: Path, header: list[str], problems: ProblemList) -> list[tuple[int, dict]]:
    """Records of one solution file by the platform's CSV reader, each with its own line (blank ones skipped)."""
    try:
        f = load_csv(path)
    except InputError as exc:
        problems.extend(exc.problems)
        return []
    except OSError as exc:
        problems.add(path.name, None, None, f"无法读取 (cannot read): {exc.strerror}")
        return []
    missing = [h for h in header if h not in f.header]
    if missing:
        problems.add(path.name, 1, None, f"缺少列 (missing columns): {', '.join(missing)}")
        return []
    out = []
    try:
        for line, _row, values in f.records():
            out.append((line, {h: values[i] if i < len(values) else None for i, h in enumerate(f.header)}))
    except InputError as exc:
        problems.extend(exc.problems)
    return out


def read_solution(case: Case, out_dir: str | Path) -> Solution:
    d = Path(out_dir)
    problems = ProblemList()
    cal = case.calendar
    classes, enrol, lessons = [], [], []
    ids: set[str] = set()
    for line, r in _rows(d / "classes.csv", ["class_id", "subject_id", "kind", "admin_class_id", "teacher_id"], problems):
        cid = r["class_id"]
        if r["subject_id"] not in case.subject_by_id:
            problems.add("classes.csv", line, "subject_id", f"未知科目 “{r['subject_id']}” (unknown subject)")
        if r["teacher_id"] not in case.teacher_by_id:
            problems.add("classes.csv", line, "teacher_id", f"未知教师 “{r['teacher_id']}” (unknown teacher)")
        if r["kind"] not in (CORE, XUANKE, XUEKAO):
            problems.add("classes.csv", line, "kind", f"“{r['kind']}” 应为 core/xuanke/xuekao")
        if r["kind"] == CORE and r["admin_class_id"] not in case.admin_by_id:
            problems.add("classes.csv", line, "admin_class_id", f"未知行政班 “{r['admin_class_id']}” (unknown admin class)")
        if cid in ids:
            problems.add("classes.csv", line, "class_id", f"重复的班号 “{cid}” (repeated class)")
        ids.add(cid)
        classes.append((cid, r["subject_id"], r["kind"], r["admin_class_id"] or None, r["teacher_id"]))
    students = {s.id for s in case.students}
    for line, r in _rows(d / "enrolments.csv", ["student_id", "class_id"], problems):
        if r["student_id"] not in students:
            problems.add("enrolments.csv", line, "student_id", f"未知学生 “{r['student_id']}” (unknown student)")
        if r["class_id"] not in ids:
            problems.add("enrolments.csv", line, "class_id", f"未知班 “{r['class_id']}” (unknown class)")
        enrol.append((r["student_id"], r["class_id"]))
    for line, r in _rows(d / "timetable.csv", ["class_id", "day", "period", "room_id"], problems):
        if r["class_id"] not in ids:
            problems.add("timetable.csv", line, "class_id", f"未知班 “{r['class_id']}” (unknown class)")
        try:
            day, per = int(r["day"]), int(r["period"])
            if not (1 <= day <= cal.days and 1 <= per <= cal.periods_per_day):
                raise ValueError
        except ValueError:
            problems.add("timetable.csv", line, "day", f"“{r['day']}:{r['period']}” 不是有效节次 (not a slot)")
            continue
        if r["room_id"] not in case.room_by_id:
            problems.add("timetable.csv", line, "room_id", f"未知教室 “{r['room_id']}” (unknown room)")
        lessons.append((r["class_id"], cal.slot(day, per), r["room_id"]))
    problems.raise_if_any()
    return Solution(classes, enrol, lessons)


def _list(tag: str, count_tag: str | None, items: list[str]) -> str:
    head = f"<{tag}>\n" + (f"<{count_tag}>{len(items)}</{count_tag}>\n" if count_tag else "")
    return head + "".join(items) + f"</{tag}>\n\n"


def case_to_fet(case: Case, solution: Solution | None = None, *, name: str = "gaozhong") -> str:
    cal = case.calendar
    days = [DAY_NAMES[d] if d < 7 else f"第{d + 1}天" for d in range(cal.days)]
    hours = [f"第{p + 1}节" for p in range(cal.periods_per_day)]
    sizes = case.admin_sizes()
    H = cal.periods_per_day

    # students: year = admin class; groups and subgroups from the solution's teaching classes (or the choices)
    members: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # admin → group → students
    admin_of = {s.id: s.admin_class for s in case.students}
    if solution is not None:
        kind = {c[0]: c[2] for c in solution.classes}
        for st, cid in solution.enrolments:
            if kind.get(cid) != CORE:
                members[admin_of[st]][f"{admin_of[st]}·{cid}"].append(st)
    else:
        for s in case.students:
            for subj, k in case.needs(s):
                members[s.admin_class][f"{s.admin_class}·{subj}-{'选考' if k == XUANKE else '学考'}"].append(s.id)
    years = []
    for a in case.admin_classes:
        groups = members.get(a.id, {})
        combo: dict[str, frozenset[str]] = defaultdict(frozenset)
        for g, sts in groups.items():
            for st in sts:
                combo[st] = combo[st] | {g}
        subs: dict[frozenset[str], list[str]] = defaultdict(list)
        for st, gs in combo.items():
            subs[gs].append(st)
        sub_names = {gs: f"{a.id}·S{i + 1}" for i, gs in enumerate(sorted(subs, key=lambda x: sorted(x)))}
        gx = []
        for g in sorted(groups):
            sx = "".join(f"\t\t<Subgroup>\n\t\t\t<Name>{escape(sub_names[gs])}</Name>\n\t\t\t<Number_of_Students>{len(subs[gs])}"
                         f"</Number_of_Students>\n\t\t\t<Comments></Comments>\n\t\t</Subgroup>\n"
                         for gs in sorted(subs, key=lambda x: sub_names[x]) if g in gs)
            gx.append(f"\t<Group>\n\t\t<Name>{escape(g)}</Name>\n\t\t<Number_of_Students>{len(groups[g])}</Number_of_Students>\n"
                      f"\t\t<Comments></Comments>\n{sx}\t</Group>\n")
        years.append(f"<Year>\n\t<Name>{escape(a.id)}</Name>\n\t<Number_of_Students>{sizes[a.id]}</Number_of_Students>\n"
                     f"\t<Comments></Comments>\n{''.join(gx)}</Year>\n")

    # activities: (class key, subject, teacher or None, students sets, lessons, home room or None)
    acts_xml, time_c, space_c = [], [], []
    next_id = 1
    if solution is not None:
        by_class = defaultdict(list)
        for cid, slot, room in solution.lessons:
            by_class[cid].append((slot, room))
        groups_of = defaultdict(list)
        for a, gs in members.items():
            for g in gs:
                groups_of[g.split("·", 1)[1]].append(g)
        plan = []
        for cid, subj, kind, admin, teacher in solution.classes:
            sets = [admin] if kind == CORE else sorted(groups_of.get(cid, []))
            if not sets:
                continue  # a class nobody joined has nothing to timetable
            plan.append((cid, subj, teacher, sets, sorted(by_class.get(cid, [])), admin))
    else:
        plan = []
        for a in case.admin_classes:
            for s in case.core_subjects:
                plan.append((f"{a.id}-{s.id}", s.id, None, [a.id], [(None, None)] * s.periods, a.id))
            for g in sorted(members.get(a.id, {})):
                subj, lvl = g.split("·", 1)[1].rsplit("-", 1)
                n = case.subject_by_id[subj].periods if lvl == "选考" else case.subject_by_id[subj].xuekao_periods
                plan.append((g, subj, None, [g], [(None, None)] * n, None))
    for key, subj, teacher, sets, lessons, admin in plan:
        if not lessons:
            continue
        first = next_id
        ids = []
        sub = case.subject_by_id[subj]
        for slot, room in lessons:
            aid = next_id
            next_id += 1
            ids.append(aid)
            t = f"\t<Teacher>{escape(teacher)}</Teacher>\n" if teacher else ""
            st = "".join(f"\t<Students>{escape(s)}</Students>\n" for s in sets)
            acts_xml.append(f"<Activity>\n{t}\t<Subject>{escape(subj)}</Subject>\n{st}\t<Duration>1</Duration>\n"
                            f"\t<Total_Duration>{len(lessons)}</Total_Duration>\n\t<Id>{aid}</Id>\n"
                            f"\t<Activity_Group_Id>{first if len(lessons) > 1 else 0}</Activity_Group_Id>\n"
                            f"\t<Active>true</Active>\n\t<Comments>{escape(key)}</Comments>\n</Activity>\n")
            if slot is not None:
                time_c.append(time_lock_xml(aid, days[slot // H], hours[slot % H]))
                space_c.append(room_lock_xml(aid, room))
            if sub.room_type == HOME and admin is not None:
                home = case.admin_by_id[admin].home_room
                space_c.append(_pref_room(aid, home))
        if 1 < len(ids) <= cal.days:
            time_c.append("<ConstraintMinDaysBetweenActivities>\n\t<Weight_Percentage>95</Weight_Percentage>\n"
                          "\t<Consecutive_If_Same_Day>false</Consecutive_If_Same_Day>\n"
                          f"\t<Number_of_Activities>{len(ids)}</Number_of_Activities>\n"
                          + "".join(f"\t<Activity_Id>{i}</Activity_Id>\n" for i in ids)
                          + "\t<MinDays>1</MinDays>\n\t<Active>true</Active>\n\t<Comments></Comments>\n"
                          "</ConstraintMinDaysBetweenActivities>\n")
    for s in case.subjects:
        if s.room_type != HOME:
            rooms = [r.id for r in case.rooms if r.type == s.room_type]
            space_c.append("<ConstraintSubjectPreferredRooms>\n\t<Weight_Percentage>100</Weight_Percentage>\n"
                           f"\t<Subject>{escape(s.id)}</Subject>\n\t<Number_of_Preferred_Rooms>{len(rooms)}</Number_of_Preferred_Rooms>\n"
                           + "".join(f"\t<Preferred_Room>{escape(r)}</Preferred_Room>\n" for r in rooms)
                           + "\t<Active>true</Active>\n\t<Comments></Comments>\n</ConstraintSubjectPreferredRooms>\n")
    if cal.blocked:
        time_c.insert(0, "<ConstraintBreakTimes>\n\t<Weight_Percentage>100</Weight_Percentage>\n"
                      f"\t<Number_of_Break_Times>{len(cal.blocked)}</Number_of_Break_Times>\n"
                      + "".join(_slot_xml("Break_Time", t, days, hours) for t in sorted(cal.blocked))
                      + "\t<Active>true</Active>\n\t<Comments>blocked</Comments>\n</ConstraintBreakTimes>\n")
    for t in case.teachers:
        if t.unavailable:
            time_c.append("<ConstraintTeacherNotAvailableTimes>\n\t<Weight_Percentage>100</Weight_Percentage>\n"
                          f"\t<Teacher>{escape(t.id)}</Teacher>\n\t<Number_of_Not_Available_Times>{len(t.unavailable)}</Number_of_Not_Available_Times>\n"
                          + "".join(_slot_xml("Not_Available_Time", u, days, hours) for u in sorted(t.unavailable))
                          + "\t<Active>true</Active>\n\t<Comments></Comments>\n</ConstraintTeacherNotAvailableTimes>\n")
    basic_t = ("<ConstraintBasicCompulsoryTime>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Active>true</Active>\n"
               "\t<Comments></Comments>\n</ConstraintBasicCompulsoryTime>\n")
    basic_s = basic_t.replace("Time", "Space")
    teachers = [f"<Teacher>\n\t<Name>{escape(t.id)}</Name>\n\t<Target_Number_of_Hours>{t.max_periods}</Target_Number_of_Hours>\n"
                "\t<Qualified_Subjects>\n" + "".join(f"\t\t<Qualified_Subject>{escape(s)}</Qualified_Subject>\n" for s in t.subjects)
                + "\t</Qualified_Subjects>\n\t<Comments>max_periods</Comments>\n</Teacher>\n" for t in case.teachers]
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<fet version=\"6.8.5\">\n\n<Mode>Official</Mode>\n\n"
            f"<Institution_Name>{escape(name)}</Institution_Name>\n\n<Comments>gaozhong timetable export-fet</Comments>\n\n"
            + _list("Days_List", "Number_of_Days", [f"<Day>\n\t<Name>{d}</Name>\n</Day>\n" for d in days])
            + _list("Hours_List", "Number_of_Hours", [f"<Hour>\n\t<Name>{h}</Name>\n</Hour>\n" for h in hours])
            + _list("Subjects_List", None, [f"<Subject>\n\t<Name>{escape(s.id)}</Name>\n\t<Comments>{escape(s.name)}</Comments>\n</Subject>\n"
                                            for s in case.subjects])
            + "<Activity_Tags_List>\n</Activity_Tags_List>\n\n"
            + _list("Teachers_List", None, teachers)
            + _list("Students_List", None, years)
            + _list("Activities_List", None, acts_xml)
            + "<Buildings_List>\n</Buildings_List>\n\n"
            + _list("Rooms_List", None, [f"<Room>\n\t<Name>{escape(r.id)}</Name>\n\t<Building></Building>\n\t<Capacity>{r.capacity}</Capacity>\n"
                                         f"\t<Virtual>false</Virtual>\n\t<Comments>{escape(r.type)}</Comments>\n</Room>\n" for r in case.rooms])
            + _list("Time_Constraints_List", None, [basic_t] + time_c)
            + _list("Space_Constraints_List", None, [basic_s] + space_c)
            + "</fet>\n")


def _slot_xml(tag: str, t: int, days, hours) -> str:
    H = len(hours)
    return f"\t<{tag}>\n\t\t<Day>{days[t // H]}</Day>\n\t\t<Hour>{hours[t % H]}</Hour>\n\t</{tag}>\n"


def _pref_room(aid: int, room: str) -> str:
    return ("<ConstraintActivityPreferredRoom>\n\t<Weight_Percentage>100</Weight_Percentage>\n"
            f"\t<Activity_Id>{aid}</Activity_Id>\n\t<Room>{escape(room)}</Room>\n\t<Permanently_Locked>false</Permanently_Locked>\n"
            "\t<Active>true</Active>\n\t<Comments>home</Comments>\n</ConstraintActivityPreferredRoom>\n")

