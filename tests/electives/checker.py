"""Independent checker of the hard rules (1)–(7) of issue 7.

It reads only the case directory and the three output CSV files, with its own small parser, and imports
nothing from the engine, so a bug in the solver cannot hide itself here. ``check(case, out)`` returns a list
of violations, each starting with the rule number, e.g. ``"(5) student S0001 has 2 lessons at 1:3"``.
"""

from __future__ import annotations

import csv
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

__all__ = ["check"]


def _rows(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(text.splitlines())]


def _slot(text: str) -> tuple[int, int]:
    d, p = text.split(":")
    return int(d), int(p)


def _list(text: str) -> list[str]:
    return [x.strip() for x in text.split(";")] if text.strip() else []


def check(case_dir: str | Path, out_dir: str | Path) -> list[str]:
    case, out = Path(case_dir), Path(out_dir)
    bad: list[str] = []
    cal = tomllib.loads((case / "calendar.toml").read_text(encoding="utf-8-sig"))
    days, ppd, cap_day = cal["days"], cal["periods_per_day"], cal["max_lessons_per_class_per_day"]
    blocked = {_slot(b) for b in cal.get("blocked", [])}
    subjects = {r["subject_id"]: r for r in _rows(case / "subjects.csv")}
    rooms = {r["room_id"]: r for r in _rows(case / "rooms.csv")}
    admins = {r["admin_class_id"]: r["home_room_id"] for r in _rows(case / "admin_classes.csv")}
    students = {r["student_id"]: (r["admin_class_id"], _list(r["electives"])) for r in _rows(case / "students.csv")}
    teachers = {r["teacher_id"]: (set(_list(r["subjects"])), int(r["max_periods"]), {_slot(s) for s in _list(r["unavailable"])})
                for r in _rows(case / "teachers.csv")}
    class_rows = _rows(out / "classes.csv")
    enrol_rows = _rows(out / "enrolments.csv")
    tt_rows = _rows(out / "timetable.csv")

    def periods(sid: str, kind: str) -> int:
        s = subjects[sid]
        return int(s["periods"]) if kind in ("core", "xuanke") else int(s["xuekao_periods"] or 0)

    # Class table sanity and rule (1).
    classes: dict[str, dict[str, str]] = {}
    for r in class_rows:
        cid = r["class_id"]
        if cid in classes:
            bad.append(f"(6) class {cid} listed twice in classes.csv (a class has one teacher)")
        classes[cid] = r
        if r["subject_id"] not in subjects:
            bad.append(f"(1) class {cid} has unknown subject {r['subject_id']}")
            continue
        track = subjects[r["subject_id"]]["track"]
        if r["kind"] == "core":
            if track != "core":
                bad.append(f"(1) class {cid} is kind core but {r['subject_id']} is {track}")
            if r["admin_class_id"] not in admins:
                bad.append(f"(1) core class {cid} has unknown admin class {r['admin_class_id']!r}")
        elif r["kind"] in ("xuanke", "xuekao"):
            if track != "elective":
                bad.append(f"(2) teaching class {cid} is {r['kind']} of core subject {r['subject_id']}")
            if r["admin_class_id"]:
                bad.append(f"(2) teaching class {cid} has an admin class {r['admin_class_id']}")
            if r["kind"] == "xuekao" and periods(r["subject_id"], "xuekao") == 0:
                bad.append(f"(2) xuekao class {cid} of {r['subject_id']}, which has no 学考 lessons")
        else:
            bad.append(f"(1) class {cid} has unknown kind {r['kind']!r}")
    core_count = Counter((r["subject_id"], r["admin_class_id"]) for r in class_rows if r["kind"] == "core")
    for sid, s in subjects.items():
        if s["track"] != "core":
            continue
        for a in admins:
            if core_count[sid, a] != 1:
                bad.append(f"(1) admin class {a} has {core_count[sid, a]} core classes of {sid}")

    # Rule (2): enrolments.
    members: dict[str, list[str]] = defaultdict(list)
    of_student: dict[str, list[str]] = defaultdict(list)
    for r in enrol_rows:
        sid, cid = r["student_id"], r["class_id"]
        if sid not in students:
            bad.append(f"(2) enrolment of unknown student {sid}")
            continue
        if cid not in classes:
            bad.append(f"(2) student {sid} enrolled in unknown class {cid}")
            continue
        if classes[cid]["kind"] == "core":
            bad.append(f"(2) student {sid} enrolled in core class {cid} (core classes are implied)")
            continue
        members[cid].append(sid)
        of_student[sid].append(cid)
    for sid, (admin, chosen) in students.items():
        got = Counter((classes[c]["subject_id"], classes[c]["kind"]) for c in of_student[sid])
        want = Counter({(e, "xuanke"): 1 for e in chosen})
        for e, s in subjects.items():
            if s["track"] == "elective" and e not in chosen and periods(e, "xuekao") > 0:
                want[e, "xuekao"] = 1
        if got != want:
            bad.append(f"(2) student {sid} is in {dict(got)} but needs {dict(want)}")

    # Sizes.
    admin_size = Counter(a for a, _ in students.values())
    size = {cid: (admin_size[r["admin_class_id"]] if r["kind"] == "core" else len(members[cid])) for cid, r in classes.items()}

    # Rule (3): lessons.
    lessons_of: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for r in tt_rows:
        cid = r["class_id"]
        if cid not in classes:
            bad.append(f"(3) timetable row for unknown class {cid}")
            continue
        d, p = int(r["day"]), int(r["period"])
        if not (1 <= d <= days and 1 <= p <= ppd):
            bad.append(f"(3) class {cid} has a lesson at {d}:{p}, outside the calendar")
        if (d, p) in blocked:
            bad.append(f"(3) class {cid} has a lesson in blocked slot {d}:{p}")
        lessons_of[cid].append((d, p, r["room_id"]))
    for cid, r in classes.items():
        ls = lessons_of[cid]
        need = periods(r["subject_id"], r["kind"]) if r["subject_id"] in subjects else 0
        if len(ls) != need:
            bad.append(f"(3) class {cid} has {len(ls)} lessons, needs {need}")
        slots = [(d, p) for d, p, _ in ls]
        if len(set(slots)) != len(slots):
            bad.append(f"(3) class {cid} has two lessons in one slot")
        per_day = Counter(d for d, _ in slots)
        for d, k in per_day.items():
            if k > cap_day:
                bad.append(f"(3) class {cid} has {k} lessons on day {d}, max {cap_day}")

    # Rule (4): sizes against max_class_size and room capacity; rule (7): room types.
    for cid, r in classes.items():
        s = subjects.get(r["subject_id"])
        if s is None:
            continue
        if size[cid] > int(s["max_class_size"]):
            bad.append(f"(4) class {cid} has {size[cid]} students, max_class_size {s['max_class_size']}")
        for d, p, room in lessons_of[cid]:
            if room not in rooms:
                bad.append(f"(7) class {cid} at {d}:{p} in unknown room {room}")
                continue
            if size[cid] > int(rooms[room]["capacity"]):
                bad.append(f"(4) class {cid} ({size[cid]}) in room {room} of capacity {rooms[room]['capacity']} at {d}:{p}")
            if s["room_type"] == "home":
                if r["kind"] != "core" or room != admins.get(r["admin_class_id"]):
                    bad.append(f"(7) home lesson of {cid} at {d}:{p} in {room}, not the home room {admins.get(r['admin_class_id'])}")
            elif rooms[room]["room_type"] != s["room_type"]:
                bad.append(f"(7) class {cid} at {d}:{p} in {room} of type {rooms[room]['room_type']}, needs {s['room_type']}")

    # Rule (5): no student, teacher or room twice at once.
    core_of_admin: dict[str, list[str]] = defaultdict(list)
    for cid, r in classes.items():
        if r["kind"] == "core":
            core_of_admin[r["admin_class_id"]].append(cid)
    for sid, (admin, _) in students.items():
        seen = Counter((d, p) for cid in core_of_admin[admin] + of_student[sid] for d, p, _ in lessons_of[cid])
        for (d, p), k in seen.items():
            if k > 1:
                bad.append(f"(5) student {sid} has {k} lessons at {d}:{p}")
    by_teacher: dict[str, list[tuple[int, int]]] = defaultdict(list)
    by_room: Counter = Counter()
    for cid, r in classes.items():
        for d, p, room in lessons_of[cid]:
            by_teacher[r["teacher_id"]].append((d, p))
            by_room[room, d, p] += 1
    for t, slots in by_teacher.items():
        for (d, p), k in Counter(slots).items():
            if k > 1:
                bad.append(f"(5) teacher {t} has {k} lessons at {d}:{p}")
    for (room, d, p), k in by_room.items():
        if k > 1:
            bad.append(f"(5) room {room} has {k} lessons at {d}:{p}")

    # Rule (6): teachers.
    for cid, r in classes.items():
        t = r["teacher_id"]
        if t not in teachers:
            bad.append(f"(6) class {cid} has unknown teacher {t!r}")
            continue
        subs, _, unav = teachers[t]
        if r["subject_id"] not in subs:
            bad.append(f"(6) teacher {t} does not teach {r['subject_id']} (class {cid})")
        for d, p, _ in lessons_of[cid]:
            if (d, p) in unav:
                bad.append(f"(6) teacher {t} teaches {cid} at {d}:{p}, an unavailable slot")
    for t, slots in by_teacher.items():
        if t in teachers and len(slots) > teachers[t][1]:
            bad.append(f"(6) teacher {t} teaches {len(slots)} periods, max {teachers[t][1]}")
    return bad
