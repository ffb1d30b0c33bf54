"""Read a FET file (FET 5.x or 6.x XML, untrusted: parsed with defusedxml) into a :class:`~.model.FetFile`.

Every problem is reported with the file's line and a reason, all at once (:class:`InputError`). A constraint
type this package does not implement is refused by name with its count; nothing is ever silently ignored.
Inactive activities and constraints are left out, as FET does; a list constraint that keeps fewer than two
active activities is dropped, as FET does.
"""

from __future__ import annotations

import xml.etree.ElementTree as _ET
from collections import Counter
from pathlib import Path

import defusedxml.ElementTree as DET
from defusedxml.common import DefusedXmlException

from gaozhong.common.errors import InputError, Problem, ProblemList

from .model import Activity, Constraint, FetFile, Room

__all__ = ["read_fet", "parse_fet_text", "SUPPORTED", "RESOURCE_RULES"]


class _LineBuilder(_ET.TreeBuilder):
    """A tree builder that remembers the source line of every element (ElementTree does not)."""

    def __init__(self):
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser = None

    def start(self, tag, attrs):
        el = super().start(tag, attrs)
        self.lines[id(el)] = self.parser.parser.CurrentLineNumber if self.parser is not None else 0
        return el


def _txt(el, tag: str, default: str | None = None) -> str | None:
    c = el.find(tag)
    if c is None:
        return default
    return c.text or ""  # names are kept exactly: FET does not trim them


def _bool(s: str | None, default: bool) -> bool:
    if s is None or s == "":
        return default
    return s.strip().lower() in ("true", "1", "yes")


# Resource rules: constraint tag → (who, rule, value element). who: teacher/teachers/set/students.
RESOURCE_RULES: dict[str, tuple[str, str, str]] = {}
for _who, _prefix in (("teacher", "Teacher"), ("teachers", "Teachers"), ("set", "StudentsSet"), ("students", "Students")):
    for _rule, _value in (("max_hours_daily", "MaxHoursDaily"), ("min_hours_daily", "MinHoursDaily"),
                          ("max_days_per_week", "MaxDaysPerWeek"), ("max_gaps_per_week", "MaxGapsPerWeek"),
                          ("max_gaps_per_day", "MaxGapsPerDay"), ("max_hours_continuously", "MaxHoursContinuously"),
                          ("early", "EarlyMaxBeginningsAtSecondHour")):
        if _rule == "early" and _who in ("teacher", "teachers"):
            continue
        RESOURCE_RULES[f"Constraint{_prefix}{_value}"] = (_who, _rule, {
            "max_hours_daily": "Maximum_Hours_Daily", "min_hours_daily": "Minimum_Hours_Daily",
            "max_days_per_week": "Max_Days_Per_Week", "max_gaps_per_week": "Max_Gaps", "max_gaps_per_day": "Max_Gaps",
            "max_hours_continuously": "Maximum_Hours_Continuously", "early": "Max_Beginnings_At_Second_Hour"}[_rule])

_LIST_TIME = ("ConstraintMinDaysBetweenActivities", "ConstraintActivitiesNotOverlapping",
              "ConstraintActivitiesSameStartingDay", "ConstraintActivitiesSameStartingTime",
              "ConstraintActivitiesSameStartingHour")
_FILTER_TIME = ("ConstraintActivitiesPreferredStartingTimes", "ConstraintActivitiesPreferredTimeSlots",
                "ConstraintActivitiesEndStudentsDay")
_ROOM_SETS = ("ConstraintActivityPreferredRoom", "ConstraintActivityPreferredRooms", "ConstraintSubjectPreferredRoom",
              "ConstraintSubjectPreferredRooms", "ConstraintActivityTagPreferredRoom", "ConstraintActivityTagPreferredRooms",
              "ConstraintSubjectActivityTagPreferredRoom", "ConstraintSubjectActivityTagPreferredRooms",
              "ConstraintTeacherHomeRoom", "ConstraintTeacherHomeRooms", "ConstraintStudentsSetHomeRoom",
              "ConstraintStudentsSetHomeRooms")

#: every constraint type read and enforced, time or space
SUPPORTED: dict[str, bool] = {
    "ConstraintBasicCompulsoryTime": False, "ConstraintBreakTimes": False,
    "ConstraintTeacherNotAvailableTimes": False, "ConstraintStudentsSetNotAvailableTimes": False,
    "ConstraintActivityPreferredStartingTime": False, "ConstraintActivityPreferredStartingTimes": False,
    "ConstraintActivityPreferredTimeSlots": False, "ConstraintTwoActivitiesConsecutive": False,
    "ConstraintActivityEndsStudentsDay": False,
    **{k: False for k in _LIST_TIME}, **{k: False for k in _FILTER_TIME}, **{k: False for k in RESOURCE_RULES},
    "ConstraintBasicCompulsorySpace": True, "ConstraintRoomNotAvailableTimes": True,
    **{k: True for k in _ROOM_SETS},
}


class _Reader:
    def __init__(self, name: str, problems: ProblemList, lines: dict[int, int]):
        self.name, self.problems, self.lines = name, problems, lines

    def line(self, el) -> int:
        return self.lines.get(id(el), 0)

    def bad(self, el, reason: str) -> None:
        self.problems.add(self.name, self.line(el), None, reason)


def parse_fet_text(text: str | bytes, name: str = "input.fet") -> FetFile:
    """Parse FET XML text; raise :class:`InputError` naming every problem (line and reason)."""
    problems = ProblemList()
    builder = _LineBuilder()
    parser = DET.DefusedXMLParser(target=builder)
    builder.parser = parser
    raw = text.encode("utf-8") if isinstance(text, str) else text
    try:
        parser.feed(raw)
        root = parser.close()
    except _ET.ParseError as exc:
        line, col = exc.position
        raise InputError([_problem(name, line, f"XML 格式错误 (not well-formed XML), column {col}: {exc.msg if hasattr(exc, 'msg') else exc}")])
    except DefusedXmlException as exc:
        raise InputError([_problem(name, None, f"XML 含禁止的实体或 DTD (forbidden entity or DTD): {exc}")])
    R = _Reader(name, problems, builder.lines)
    if root.tag != "fet":
        R.bad(root, f"根元素应为 <fet>，实为 <{root.tag}> (root element must be <fet>)")
        problems.raise_if_any()
    mode = (_txt(root, "Mode") or "").strip() or None
    if mode not in (None, "", "Official"):
        R.bad(root.find("Mode"), f"不支持的 FET 模式 “{mode}” (only the Official mode is supported)")
    days = [(_txt(d, "Name") or "") for d in root.findall("Days_List/Day")]
    hours = [(_txt(h, "Name") or "") for h in root.findall("Hours_List/Hour")]
    if not days or not hours:
        R.bad(root, "缺少 Days_List 或 Hours_List (no days or hours)")
    for kind, names, path in (("day", days, "Days_List"), ("hour", hours, "Hours_List")):
        declared = (_txt(root, f"{path}/Number_of_{kind.capitalize()}s") or "").strip() or None
        if declared not in (None, "") and declared.isdigit() and int(declared) != len(names):
            R.bad(root.find(path), f"Number_of_{kind.capitalize()}s={declared} 但列出 {len(names)} 个 (count does not match)")
        dup = [n for n, c in Counter(names).items() if c > 1]
        if dup:
            R.bad(root.find(path), f"重复的{kind}名 (duplicate {kind} names): {', '.join(dup)}")
    teachers = [(_txt(t, "Name") or "") for t in root.findall("Teachers_List/Teacher")]
    subjects = [(_txt(s, "Name") or "") for s in root.findall("Subjects_List/Subject")]
    tags = [(_txt(s, "Name") or "") for s in root.findall("Activity_Tags_List/Activity_Tag")]
    sets, sizes = _students(root, R)
    rooms: dict[str, Room] = {}
    for r in root.findall("Rooms_List/Room"):
        rn = _txt(r, "Name") or ""
        if _bool(_txt(r, "Virtual"), False):
            R.bad(r, f"虚拟教室 “{rn}” 不受支持 (virtual rooms are not supported)")
        cap = _int(R, r, "Capacity", default=30000)
        if rn in rooms:
            R.bad(r, f"重复的教室名 (duplicate room) “{rn}”")
        rooms[rn] = Room(rn, cap if cap is not None else 30000, R.line(r))
    tset, sset, gset = set(teachers), set(subjects), set(tags)
    acts: list[Activity] = []
    all_ids: set[int] = set()
    for a in root.findall("Activities_List/Activity"):
        aid = _int(R, a, "Id")
        dur = _int(R, a, "Duration")
        if aid is None or dur is None:
            continue
        if aid in all_ids:
            R.bad(a, f"重复的活动 Id {aid} (duplicate activity id)")
        all_ids.add(aid)
        if dur < 1 or dur > len(hours):
            R.bad(a, f"活动 {aid} 的时长 {dur} 不在 1..{len(hours)} (duration out of range)")
        ts = tuple(x.text or "" for x in a.findall("Teacher"))
        ss = tuple(x.text or "" for x in a.findall("Students"))
        subj = _txt(a, "Subject") or ""
        atags = tuple(x.text or "" for x in a.findall("Activity_Tag"))
        for t in ts:
            if t not in tset:
                R.bad(a, f"活动 {aid}: 未知教师 “{t}” (unknown teacher)")
        for s in ss:
            if s not in sets:
                R.bad(a, f"活动 {aid}: 未知学生集合 “{s}” (unknown students set)")
        if subj not in sset:
            R.bad(a, f"活动 {aid}: 未知科目 “{subj}” (unknown subject)")
        for g in atags:
            if g not in gset:
                R.bad(a, f"活动 {aid}: 未知活动标签 “{g}” (unknown activity tag)")
        nst = (_txt(a, "Number_Of_Students") or "").strip() or None
        if nst not in (None, "") and nst.lstrip("-").isdigit():
            n = int(nst)
        else:
            n = sum(sizes.get(s, 0) for s in ss)
        if not _bool(_txt(a, "Active"), True):
            continue
        acts.append(Activity(aid, ts, subj, atags, ss, dur, _int(R, a, "Activity_Group_Id", default=0) or 0, n, R.line(a)))
    problems.raise_if_any()
    ctx = _Ctx(days, hours, tset, sset, gset, sets, rooms, {a.id for a in acts}, all_ids)
    constraints: list[Constraint] = []
    unsupported: Counter = Counter()
    first_line: dict[str, int] = {}
    for sec, space in (("Time_Constraints_List", False), ("Space_Constraints_List", True)):
        s = root.find(sec)
        if s is None:
            continue
        for el in s:
            kind = el.tag
            if kind not in SUPPORTED or SUPPORTED[kind] != space:
                unsupported[kind] += 1
                first_line.setdefault(kind, R.line(el))
                continue
            if not _bool(_txt(el, "Active"), True):
                continue
            w = _txt(el, "Weight_Percentage")
            try:
                weight = float(w)
                if not 0.0 <= weight <= 100.0:
                    raise ValueError
            except (TypeError, ValueError):
                R.bad(el, f"{kind}: Weight_Percentage “{w}” 应为 0–100 的数 (must be a number 0–100)")
                continue
            p = _constraint(kind, el, R, ctx)
            if p is None or weight == 0.0:
                continue
            if "filter" in p:
                # FET resolves the filter once, over the active activities, and refuses a file where it
                # selects none ("refers to no activities"), whatever the weight
                p["targets"] = tuple(a.id for a in acts if matches(p["filter"], a, sets))
                if not p["targets"]:
                    R.bad(el, f"{kind}: 约束不涉及任何活动 (the constraint refers to no active activity; "
                              "FET refuses such a file too)")
                    continue
            constraints.append(Constraint(kind, weight, R.line(el), space, p))
    for kind, n in sorted(unsupported.items()):
        problems.add(name, first_line[kind], None,
                     f"不支持的约束类型 (unsupported constraint type) {kind} × {n}")
    problems.raise_if_any()
    return FetFile(name, raw.decode("utf-8-sig", errors="replace"), days, hours, teachers, subjects, tags, sets, sizes,
                   rooms, acts, constraints)


def read_fet(path: str | Path) -> FetFile:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError([_problem(str(p), None, f"无法读取 (cannot read): {exc.strerror}")])
    return parse_fet_text(raw, p.name)


def _problem(name, line, reason):
    return Problem(name, line, None, reason)


def _int(R: _Reader, el, tag: str, default: int | None = None) -> int | None:
    s = _txt(el, tag)
    s = s.strip() if s is not None else None
    if s is None or s == "":
        if default is None:
            R.bad(el, f"<{el.tag}> 缺少 <{tag}> (missing)")
        return default
    try:
        return int(s)
    except ValueError:
        R.bad(el, f"<{tag}> “{s}” 不是整数 (not a whole number)")
        return default


def _students(root, R: _Reader) -> tuple[dict[str, frozenset[str]], dict[str, int]]:
    """Set name → subgroups. A year without groups, or a group without subgroups, is its own subgroup."""
    sets: dict[str, set[str]] = {}
    sizes: dict[str, int] = {}
    kinds: dict[str, str] = {}

    def note(name: str, kind: str, el) -> None:
        if name in kinds and kinds[name] != kind:
            R.bad(el, f"学生集合名 “{name}” 同时用作 {kinds[name]} 和 {kind} (name used for two kinds of set)")
        if kind == "year" and name in kinds:
            R.bad(el, f"重复的年级名 (duplicate year) “{name}”")
        kinds[name] = kind
        n = (_txt(el, "Number_of_Students") or "").strip()
        if n.isdigit():
            sizes[name] = int(n)
        sizes.setdefault(name, 0)

    for y in root.findall("Students_List/Year"):
        yn = _txt(y, "Name") or ""
        note(yn, "year", y)
        ysub = sets.setdefault(yn, set())
        groups = y.findall("Group")
        if not groups:
            ysub.add(yn)
        for g in groups:
            gn = _txt(g, "Name") or ""
            note(gn, "group", g)
            gsub = sets.setdefault(gn, set())
            subs = g.findall("Subgroup")
            if not subs:
                gsub.add(gn)
            for s in subs:
                sn = _txt(s, "Name") or ""
                note(sn, "subgroup", s)
                sets.setdefault(sn, set()).add(sn)
                gsub.add(sn)
            ysub |= gsub
    return {k: frozenset(v) for k, v in sets.items()}, sizes


class _Ctx:
    def __init__(self, days, hours, teachers, subjects, tags, sets, rooms, active, all_ids):
        self.day = {d: i for i, d in enumerate(days)}
        self.hour = {h: i for i, h in enumerate(hours)}
        self.H = len(hours)
        self.teachers, self.subjects, self.tags, self.sets, self.rooms = teachers, subjects, tags, sets, rooms
        self.active, self.all_ids = active, all_ids


def _slots(el, R, ctx, outer: str, dtag: str, htag: str, allow_any: bool = False) -> list[tuple[int | None, int | None]] | None:
    out = []
    for t in el.findall(outer):
        d, h = _txt(t, dtag), _txt(t, htag)
        dd = hh = None
        if d not in (None, "") or not allow_any:
            if d not in ctx.day:
                R.bad(el, f"{el.tag}: 未知日 “{d}” (unknown day)")
                return None
            dd = ctx.day[d]
        if h not in (None, "") or not allow_any:
            if h not in ctx.hour:
                R.bad(el, f"{el.tag}: 未知节次 “{h}” (unknown hour)")
                return None
            hh = ctx.hour[h]
        out.append((dd, hh))
    return out


def _slot_ids(pairs, H: int) -> frozenset[int]:
    return frozenset(d * H + h for d, h in pairs)


def _act(R, ctx, el, tag: str) -> int | None | bool:
    """An activity id: the id, False when it names an inactive activity, None when unknown (reported)."""
    s = (_txt(el, tag) or "").strip()
    try:
        aid = int(s)
    except (TypeError, ValueError):
        R.bad(el, f"{el.tag}: <{tag}> “{s}” 不是活动编号 (not an activity id)")
        return None
    if aid not in ctx.all_ids:
        R.bad(el, f"{el.tag}: 未知活动 {aid} (unknown activity id)")
        return None
    return aid if aid in ctx.active else False


_EN = {"教师": "teacher", "学生集合": "students set", "教室": "room", "科目": "subject", "活动标签": "activity tag"}


def _name(R, el, tag: str, known, what: str, empty_ok: bool = False) -> str | None:
    s = _txt(el, tag)
    if s is None:
        s = ""
    if s == "" and empty_ok:
        return ""
    if s not in known:
        R.bad(el, f"{el.tag}: 未知{what} “{s}” (unknown {_EN.get(what, what)})")
        return None
    return s


def _constraint(kind: str, el, R: _Reader, ctx: _Ctx) -> dict | None:
    H = ctx.H
    if kind in ("ConstraintBasicCompulsoryTime", "ConstraintBasicCompulsorySpace"):
        return {}
    if kind == "ConstraintBreakTimes":
        s = _slots(el, R, ctx, "Break_Time", "Day", "Hour")
        return None if s is None else {"slots": _slot_ids(s, H)}
    if kind in ("ConstraintTeacherNotAvailableTimes", "ConstraintStudentsSetNotAvailableTimes", "ConstraintRoomNotAvailableTimes"):
        who_tag, known, what = {"ConstraintTeacherNotAvailableTimes": ("Teacher", ctx.teachers, "教师"),
                                "ConstraintStudentsSetNotAvailableTimes": ("Students", ctx.sets, "学生集合"),
                                "ConstraintRoomNotAvailableTimes": ("Room", ctx.rooms, "教室")}[kind]
        who = _name(R, el, who_tag, known, what)
        s = _slots(el, R, ctx, "Not_Available_Time", "Day", "Hour")
        if who is None or s is None:
            return None
        return {"who": who, "slots": _slot_ids(s, H)}
    if kind == "ConstraintActivityPreferredStartingTime":
        a = _act(R, ctx, el, "Activity_Id")
        s = _slots(el, R, ctx, ".", "Preferred_Day", "Preferred_Hour", allow_any=True)
        if not a or s is None:
            return None
        return {"acts": [a], "starts": s, "locked": _bool(_txt(el, "Permanently_Locked"), False)}
    if kind in ("ConstraintActivityPreferredStartingTimes", "ConstraintActivityPreferredTimeSlots"):
        a = _act(R, ctx, el, "Activity_Id")
        if kind.endswith("StartingTimes"):
            s = _slots(el, R, ctx, "Preferred_Starting_Time", "Preferred_Starting_Day", "Preferred_Starting_Hour", allow_any=True)
            key = "starts"
        else:
            s = _slots(el, R, ctx, "Preferred_Time_Slot", "Preferred_Day", "Preferred_Hour")
            key = "slots"
        if not a or s is None:
            return None
        return {"acts": [a], key: s if key == "starts" else _slot_ids(s, H)}
    if kind == "ConstraintActivityEndsStudentsDay":
        a = _act(R, ctx, el, "Activity_Id")
        return {"acts": [a]} if a else None
    if kind in _FILTER_TIME:
        f = _filter(el, R, ctx)
        if f is None:
            return None
        p = {"filter": f}
        if kind == "ConstraintActivitiesPreferredStartingTimes":
            s = _slots(el, R, ctx, "Preferred_Starting_Time", "Preferred_Starting_Day", "Preferred_Starting_Hour", allow_any=True)
            if s is None:
                return None
            p["starts"] = s
        elif kind == "ConstraintActivitiesPreferredTimeSlots":
            s = _slots(el, R, ctx, "Preferred_Time_Slot", "Preferred_Day", "Preferred_Hour")
            if s is None:
                return None
            p["slots"] = _slot_ids(s, H)
        return p
    if kind in _LIST_TIME:
        ids = []
        for x in el.findall("Activity_Id"):
            try:
                aid = int((x.text or "").strip())
            except ValueError:
                R.bad(el, f"{kind}: <Activity_Id> “{x.text}” 不是活动编号 (not an activity id)")
                return None
            if aid not in ctx.all_ids:
                R.bad(el, f"{kind}: 未知活动 {aid} (unknown activity id)")
                return None
            if aid in ctx.active and aid not in ids:
                ids.append(aid)
        p = {"acts": ids}
        if kind == "ConstraintMinDaysBetweenActivities":
            md = _int(R, el, "MinDays")
            if md is None:
                return None
            if md < 1:
                R.bad(el, f"{kind}: MinDays {md} 应 ≥ 1 (must be ≥ 1)")
                return None
            p["min_days"] = md
            p["consecutive"] = _bool(_txt(el, "Consecutive_If_Same_Day"), False)
        return p if len(ids) >= 2 else None
    if kind == "ConstraintTwoActivitiesConsecutive":
        a, b = _act(R, ctx, el, "First_Activity_Id"), _act(R, ctx, el, "Second_Activity_Id")
        if not a or not b:
            return None
        if a == b:
            R.bad(el, f"{kind}: 两个活动相同 (the two activities are the same)")
            return None
        return {"acts": [a, b]}
    if kind in RESOURCE_RULES:
        who, rule, vtag = RESOURCE_RULES[kind]
        p = {"who": who, "rule": rule}
        if who == "teacher":
            n = _name(R, el, "Teacher_Name", ctx.teachers, "教师")
            if n is None:
                return None
            p["name"] = n
        elif who == "set":
            n = _name(R, el, "Students", ctx.sets, "学生集合")
            if n is None:
                return None
            p["name"] = n
        v = _int(R, el, vtag)
        if v is None:
            return None
        if v < 0:
            R.bad(el, f"{kind}: {vtag} {v} 为负 (negative)")
            return None
        p["value"] = v
        if rule == "min_hours_daily":
            # FET: teachers may always have free days unless told otherwise; students not, in files before the flag
            p["allow_empty"] = _bool(_txt(el, "Allow_Empty_Days"), who in ("teacher", "teachers"))
        return p
    if kind in _ROOM_SETS:
        return _room_set(kind, el, R, ctx)
    raise AssertionError(kind)


def _filter(el, R, ctx) -> dict | None:
    t = _name(R, el, "Teacher_Name", ctx.teachers, "教师", empty_ok=True)
    s = _name(R, el, "Students_Name", ctx.sets, "学生集合", empty_ok=True)
    j = _name(R, el, "Subject_Name", ctx.subjects, "科目", empty_ok=True)
    g = _name(R, el, "Activity_Tag_Name", ctx.tags, "活动标签", empty_ok=True)
    if None in (t, s, j, g):
        return None
    d = (_txt(el, "Duration") or "").strip()
    if d and not d.isdigit():
        R.bad(el, f"{el.tag}: Duration “{d}” 不是整数 (not a whole number)")
        return None
    return {"teacher": t, "students": s, "subject": j, "tag": g, "duration": int(d) if d else None}


def _room_set(kind, el, R, ctx) -> dict | None:
    p: dict = {}
    if kind.startswith("ConstraintActivityPreferredRoom"):
        a = _act(R, ctx, el, "Activity_Id")
        if not a:
            return None
        p["act"] = a
        p["locked"] = _bool(_txt(el, "Permanently_Locked"), False)
    if "Subject" in kind:
        n = _name(R, el, "Subject", ctx.subjects, "科目")
        if n is None:
            return None
        p["subject"] = n
    if "ActivityTag" in kind:
        n = _name(R, el, "Activity_Tag", ctx.tags, "活动标签")
        if n is None:
            return None
        p["tag"] = n
    if kind.startswith("ConstraintTeacherHome"):
        n = _name(R, el, "Teacher", ctx.teachers, "教师")
        if n is None:
            return None
        p["teacher"] = n
    if kind.startswith("ConstraintStudentsSetHome"):
        n = _name(R, el, "Students", ctx.sets, "学生集合")
        if n is None:
            return None
        p["students"] = n
    if kind.endswith("Rooms"):
        names = [x.text or "" for x in el.findall("Preferred_Room")]
    else:
        names = [_txt(el, "Room") or ""]
    for n in names:
        if n not in ctx.rooms:
            R.bad(el, f"{kind}: 未知教室 “{n}” (unknown room)")
            return None
    if not names:
        R.bad(el, f"{kind}: 没有教室 (no room listed)")
        return None
    p["rooms"] = frozenset(names)
    p["home"] = "Home" in kind
    return p


def matches(f: dict, a: Activity, sets: dict[str, frozenset[str]]) -> bool:
    """FET's activity filter: every non-empty field must match. Teacher and activity tag by membership,
    subject and duration by equality, and the students set as FET's ``setsShareStudents``: the activity
    is selected when one of its students sets shares a subgroup with the named one -- a year selects the
    activities of its groups and subgroups, a group those of its year taught as a whole."""
    if f["teacher"] and f["teacher"] not in a.teachers:
        return False
    if f["students"]:
        named = sets[f["students"]]
        if not any(named & sets[s] for s in a.students):
            return False
    if f["subject"] and f["subject"] != a.subject:
        return False
    if f["tag"] and f["tag"] not in a.tags:
        return False
    if f["duration"] is not None and f["duration"] != a.duration:
        return False
    return True

