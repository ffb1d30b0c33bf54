"""``move_options`` (every free slot of a lesson and every 对调) against a brute force that tries every slot, every
room and every other lesson and judges each resulting timetable with its own simple check of the hard rules;
that check is itself compared with the independent file checker. ``changed_lessons`` against a recount.
Issue 16 item 7."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from gaozhong.common.outdir import write_files
from gaozhong.electives.engine import read_case, solve
from gaozhong.electives.engine.adjust import (BLOCKED, DAY_CAP, OWN, ROOM, STUDENTS, TEACHER, UNAVAILABLE, changed_lessons,
                                              move_options, swap_check)
from gaozhong.electives.engine.output import render

from ..checker import check
from .helpers import tiny_case


class Brute:
    """Every hard rule a timetable's lessons can break, checked from scratch on the whole week."""

    def __init__(self, result):
        case = result.case
        self.result = result
        self.cal = case.calendar
        self.classes = {c.id: c for c in result.classes}
        admin = defaultdict(set)
        for st in case.students:
            admin[st.admin_class].add(st.id)
        enrolled = defaultdict(set)
        for sid, cid in result.enrolments:
            enrolled[cid].add(sid)
        self.members = {c.id: (admin[c.admin_class] if c.kind == "core" else enrolled[c.id]) for c in result.classes}
        self.rooms = {r.id: r for r in case.rooms}
        self.subjects = case.subject_by_id
        self.home = {a.id: a.home_room for a in case.admin_classes}
        self.unavailable = {t.id: t.unavailable for t in case.teachers}

    def ok(self, lessons) -> bool:
        cal = self.cal
        per_class_slot = Counter((les.class_id, les.slot) for les in lessons)
        if any(n > 1 for n in per_class_slot.values()):
            return False
        per_day = Counter((les.class_id, cal.day_of(les.slot)) for les in lessons)
        if any(n > cal.max_per_day for n in per_day.values()):
            return False
        seen_teacher, seen_room, seen_student = set(), set(), set()
        for les in lessons:
            c = self.classes[les.class_id]
            if les.slot in cal.blocked or les.slot in self.unavailable[c.teacher]:
                return False
            room = self.rooms[les.room]
            s = self.subjects[c.subject]
            if room.capacity < c.size:
                return False
            if s.room_type == "home":
                if les.room != self.home[c.admin_class]:
                    return False
            elif room.type != s.room_type:
                return False
            for key, seen in (((c.teacher, les.slot), seen_teacher), ((les.room, les.slot), seen_room)):
                if key in seen:
                    return False
                seen.add(key)
            for sid in self.members[c.id]:
                if (sid, les.slot) in seen_student:
                    return False
                seen_student.add((sid, les.slot))
        return True

    def expected(self, lesson):
        """(free slots, swap partners) by trying every slot, room and other lesson."""
        rooms = sorted(self.rooms)
        rest = [les for les in self.result.lessons if les != lesson]
        free = {t for t in range(self.cal.n_slots) if t != lesson.slot
                and any(self.ok(rest + [replace(lesson, slot=t, room=r)]) for r in rooms)}
        swaps = set()
        for other in rest:
            if other.class_id == lesson.class_id or other.slot == lesson.slot or other.slot in free:
                continue
            both = [les for les in rest if les != other]
            if any(self.ok(both + [replace(lesson, slot=other.slot, room=ra), replace(other, slot=lesson.slot, room=rb)])
                   for ra in rooms for rb in rooms):
                swaps.add(other)
        return free, swaps


def kinds_at(opts, slot):
    return {o.kind for o in opts.obstacles[slot]}


def _solved(tmp: Path, seed: int, **kw):
    case_dir = tiny_case(tmp / f"case{seed}", **kw)
    return case_dir, solve(read_case(case_dir), time_limit=60, seed=seed)


def _walk(result, steps: int, rng: random.Random):
    """The timetable after ``steps`` random moves and swaps the engine offers (each checked by the brute force)."""
    brute = Brute(result)
    for _ in range(steps):
        lesson = rng.choice(result.lessons)
        opts = move_options(result, lesson)
        if opts.free and (not opts.swaps or rng.random() < 0.6):
            spot = rng.choice(opts.free)
            lessons = [replace(les, slot=spot.slot, room=spot.room) if les == lesson else les for les in result.lessons]
        elif opts.swaps:
            sw = rng.choice(opts.swaps)
            lessons = [replace(les, slot=sw.other.slot, room=sw.room) if les == lesson
                       else replace(les, slot=lesson.slot, room=sw.other_room) if les == sw.other else les for les in result.lessons]
        else:
            continue
        assert brute.ok(lessons)
        result = replace(result, lessons=lessons)
    return result


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """Timetables of three small schools (one with a single lab and a teacher away on Tuesday), each as solved and
    after a random walk of moves and swaps, and their case directories."""
    base = tmp_path_factory.mktemp("adjust")
    out = []
    rng = random.Random(7)
    for seed, kw in ((1, {}), (2, {"per_day": 1, "periods": 7, "blocked": '["3:6", "3:7"]'}),
                     (3, {"teachers": [("T1", "yw", 10, ""), ("T2", "yw", 10, "2:1;2:2;2:3;2:4;2:5;2:6"), ("T3", "ty", 10, "1:1"),
                                       ("T4", "wl", 12, ""), ("T5", "ls", 12, ""), ("T6", "hx", 10, "2:2;2:3"), ("T7", "wl;ls", 8, "")],
                          "rooms": [("R1", "normal", 25), ("R2", "normal", 25), ("R3", "normal", 30), ("R4", "normal", 14), ("R5", "normal", 5),
                                    ("F1", "field", 60), ("L1", "lab", 30), ("L2", "lab", 5)]})):
        case_dir, result = _solved(base, seed, **kw)
        out.append((case_dir, result))
        out.append((case_dir, _walk(result, 40, rng)))
    return out


def test_the_brute_force_agrees_with_the_file_checker(states, tmp_path):
    """The brute force's rule check says yes exactly when the independent checker finds nothing, on sampled moves."""
    rng = random.Random(3)
    agree = Counter()
    for k, (case_dir, result) in enumerate(states[:2]):
        brute = Brute(result)
        rooms = sorted(brute.rooms)
        for j in range(40):
            les = rng.choice(result.lessons)
            moved = replace(les, slot=rng.randrange(result.case.calendar.n_slots), room=rng.choice(rooms))
            lessons = [moved if x == les else x for x in result.lessons]
            out = tmp_path / f"o{k}_{j}"
            write_files(out, render(replace(result, lessons=lessons)))
            verdict = check(case_dir, out) == []
            assert brute.ok(lessons) == verdict, (les, moved, check(case_dir, out))
            agree[verdict] += 1
    assert agree[True] and agree[False]


def test_every_free_slot_and_every_swap_matches_the_brute_force(states):
    offered_swaps = offered_free = 0
    for _, result in states:
        brute = Brute(result)
        assert brute.ok(result.lessons)
        for lesson in result.lessons:
            opts = move_options(result, lesson)
            free, swaps = brute.expected(lesson)
            assert {s.slot for s in opts.free} == free, lesson
            assert {s.other for s in opts.swaps} == swaps, lesson
            rest = [les for les in result.lessons if les != lesson]
            for spot in opts.free:  # the room the engine picks works, and is the lesson's own when that works
                assert brute.ok(rest + [replace(lesson, slot=spot.slot, room=spot.room)])
                if brute.ok(rest + [replace(lesson, slot=spot.slot)]):
                    assert spot.room == lesson.room
            for sw in opts.swaps:
                both = [les for les in rest if les != sw.other]
                assert brute.ok(both + [replace(lesson, slot=sw.other.slot, room=sw.room), replace(sw.other, slot=lesson.slot, room=sw.other_room)])
            assert set(opts.obstacles) == set(range(result.case.calendar.n_slots)) - free - {lesson.slot}
            assert all(opts.obstacles.values())
            offered_free += len(free)
            offered_swaps += len(swaps)
    assert offered_free and offered_swaps  # the cases exercise both


def test_each_obstacle_names_what_is_in_the_way(states):
    _, result = states[0]
    cal = result.case.calendar
    lesson = next(les for les in result.lessons if les.class_id.endswith("-yw"))
    classes = result.class_by_id()
    opts = move_options(result, lesson)
    blocked = next(iter(cal.blocked))
    assert kinds_at(opts, blocked) >= {BLOCKED}
    own = next(les for les in result.lessons if les.class_id == lesson.class_id and les != lesson)
    assert (OWN, lesson.class_id) in {(o.kind, o.class_id) for o in opts.obstacles[own.slot]}
    teacher = classes[lesson.class_id].teacher
    busy = next((les for les in result.lessons if les.class_id != lesson.class_id and classes[les.class_id].teacher == teacher), None)
    if busy is not None:
        assert (TEACHER, busy.class_id) in {(o.kind, o.class_id) for o in opts.obstacles[busy.slot]}
    admin = classes[lesson.class_id].admin_class
    mates = {s.id for s in result.case.students if s.admin_class == admin}
    walk = next(les for les in result.lessons if classes[les.class_id].kind != "core" and les.slot != lesson.slot
                and any(sid in mates for sid, cid in result.enrolments if cid == les.class_id))
    n = sum(1 for sid, cid in result.enrolments if cid == walk.class_id and sid in mates)
    assert any(o.kind == STUDENTS and o.class_id == walk.class_id and o.count == n for o in opts.obstacles[walk.slot])
    # the day cap: a day where the class already has its maximum
    days = Counter(cal.day_of(les.slot) for les in result.lessons if les.class_id == lesson.class_id and les != lesson)
    full = [d for d, k in days.items() if k >= cal.max_per_day]
    for d in full:
        for p in range(cal.periods_per_day):
            t = d * cal.periods_per_day + p
            if t != lesson.slot:
                assert any(o.kind == DAY_CAP for o in opts.obstacles[t])


def test_unavailable_teacher_and_a_busy_lab_are_named(states):
    _, result = states[4]  # T2 is away on Tuesday; one lab
    classes = result.class_by_id()
    cal = result.case.calendar
    lesson = next(les for les in result.lessons if classes[les.class_id].teacher == "T2")
    opts = move_options(result, lesson)
    for p in range(1, 7):
        t = cal.slot(2, p)
        if t != lesson.slot:
            assert UNAVAILABLE in kinds_at(opts, t)
    lab = [les for les in result.lessons if les.room == "L1"]
    a = lab[0]
    opts = move_options(result, a)
    # every other slot where the lab is taken by a class sharing nothing else with a: the room is the obstacle
    for b in lab[1:]:
        kinds = kinds_at(opts, b.slot)
        if not kinds & {BLOCKED, OWN, DAY_CAP, UNAVAILABLE, TEACHER, STUDENTS}:
            assert kinds == {ROOM}
            assert b in {s.other for s in opts.swaps} or not Brute(result).expected(a)[1] & {b}


def test_a_lesson_not_in_the_timetable_is_refused(states):
    _, result = states[0]
    les = result.lessons[0]
    with pytest.raises(KeyError):
        move_options(result, replace(les, slot=(les.slot + 1) % result.case.calendar.n_slots))


def test_the_same_timetable_gives_the_same_options(states):
    _, result = states[1]
    for les in result.lessons[:10]:
        a, b = move_options(result, les), move_options(replace(result, lessons=list(reversed(result.lessons))), les)
        assert a.free == b.free and a.swaps == b.swaps and a.obstacles == b.obstacles
        assert [s.slot for s in a.free] == sorted(s.slot for s in a.free)


def test_changed_lessons_pairs_what_each_class_left_and_gained(states):
    _, before = states[0]
    _, after = states[1]
    changes = changed_lessons(before.lessons, after.lessons)
    old = {(les.class_id, les.slot): les.room for les in before.lessons}
    new = {(les.class_id, les.slot): les.room for les in after.lessons}
    moved = [ch for ch in changes if ch.moved]
    assert len(moved) == sum(1 for k in new if k not in old) > 0
    for ch in changes:
        assert old[ch.class_id, ch.before] == ch.room_before and new[ch.class_id, ch.after] == ch.room_after
        if ch.moved:
            assert (ch.class_id, ch.after) not in old and (ch.class_id, ch.before) not in new
        else:
            assert ch.room_before != ch.room_after
    room_only = {(k, old[k], new[k]) for k in old.keys() & new.keys() if old[k] != new[k]}
    assert {(ch.class_id, ch.before) for ch in changes if not ch.moved} == {k for k, _, _ in room_only}
    assert changed_lessons(before.lessons, before.lessons) == []
    with pytest.raises(ValueError):
        changed_lessons(before.lessons, before.lessons[1:])


def test_swap_check_agrees_with_the_brute_force_on_any_pair(states):
    """For pairs that are offered and pairs that are not, ``swap_check`` says ok exactly when some rooms make the
    traded timetable pass the brute force (and its rooms do)."""
    rng = random.Random(11)
    seen = Counter()
    for _, result in states[::2]:
        brute = Brute(result)
        rooms = sorted(brute.rooms)
        pairs = [(a, b) for a in result.lessons for b in result.lessons if a.class_id != b.class_id and a.slot != b.slot]
        for a, b in rng.sample(pairs, 150):
            verdict = swap_check(result, a, b)
            rest = [les for les in result.lessons if les not in (a, b)]
            possible = any(brute.ok(rest + [replace(a, slot=b.slot, room=ra), replace(b, slot=a.slot, room=rb)]) for ra in rooms for rb in rooms)
            assert verdict.ok == possible, (a, b, verdict)
            if verdict.ok:
                assert brute.ok(rest + [replace(a, slot=b.slot, room=verdict.room), replace(b, slot=a.slot, room=verdict.other_room)])
            seen[verdict.ok] += 1
    assert seen[True] and seen[False]
    _, result = states[0]
    a = result.lessons[0]
    with pytest.raises(ValueError):
        swap_check(result, a, a)
