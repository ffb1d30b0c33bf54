"""The engine API the web app calls: ``solve`` with progress and stop, ``check_move`` (instant clash check of a
manual move) and ``resolve_unavailable`` (minimal-change re-solve after a teacher's leave). Results are
checked by writing them out and running the independent checker. Issue 7 §2."""

from __future__ import annotations

import random
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from gaozhong.common.outdir import write_files
from gaozhong.electives.engine import NoTimetableFound, check_move, read_case, resolve_unavailable, solve
from gaozhong.electives.engine.output import render

from ..checker import check
from .helpers import read_rows, tiny_case, write_csv


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    base = tmp_path_factory.mktemp("api")
    case_dir = tiny_case(base / "case")
    phases: list[str] = []
    result = solve(read_case(case_dir), time_limit=60, seed=2, progress=lambda phase, info: phases.append(phase))
    return case_dir, result, phases


def valid(case_dir: Path, result, out: Path) -> list[str]:
    write_files(out, render(result))
    return check(case_dir, out)


def test_progress_reports_each_phase(solved):
    _, _, phases = solved
    for p in ("check", "formation", "teachers", "placement", "rooms", "done"):
        assert p in phases
    assert phases[-1] == "done"


def test_a_stop_before_the_search_returns_no_timetable(tmp_path):
    stop = threading.Event()
    stop.set()
    with pytest.raises(NoTimetableFound):
        solve(read_case(tiny_case(tmp_path / "case")), time_limit=60, seed=0, stop=stop)


def test_check_move_agrees_with_the_checker(solved, tmp_path):
    """For sampled single-lesson moves, check_move finds no reason exactly when the moved timetable passes the
    independent checker."""
    case_dir, result, _ = solved
    rng = random.Random(4)
    n_slots = result.case.calendar.n_slots
    moves = [(les, t) for les in result.lessons for t in range(n_slots) if t != les.slot]
    allowed = refused = 0
    for k, (les, t) in enumerate(rng.sample(moves, 120)):
        reasons = check_move(result, les, t)
        lessons = [replace(x, slot=t) if x == les else x for x in result.lessons]
        broken = valid(case_dir, replace(result, lessons=lessons), tmp_path / f"m{k}")
        assert (reasons == []) == (broken == []), (les, t, reasons, broken)
        allowed += not reasons
        refused += bool(reasons)
    assert allowed and refused


def test_check_move_names_the_broken_rule(solved):
    _, result, _ = solved
    cal = result.case.calendar
    les = next(x for x in result.lessons if x.class_id.endswith("-yw"))
    assert any("停课" in r for r in check_move(result, les, cal.slot(3, 6)))
    own = next(x for x in result.lessons if x.class_id == les.class_id and x != les)
    assert any("已有一节课" in r for r in check_move(result, les, own.slot))
    admin = les.class_id.split("-")[0]
    members = {s.id for s in result.case.students if s.admin_class == admin}
    enrolled = {c for s, c in result.enrolments if s in members}
    other = next(x for x in result.lessons if x.class_id in enrolled)
    reasons = check_move(result, les, other.slot)
    assert any(f"还要上 {other.class_id}" in r for r in reasons), reasons


def test_resolve_after_a_teachers_leave_moves_few_lessons(solved, tmp_path):
    case_dir, result, _ = solved
    by_id = result.class_by_id()
    les = next(x for x in result.lessons if by_id[x.class_id].kind == "core")
    teacher = by_id[les.class_id].teacher
    new, moved = resolve_unavailable(result, teacher, {les.slot}, time_limit=30, seed=1)
    # The case on disk now has the leave too, so the checker judges rule (6) against it.
    header, rows = read_rows(case_dir / "teachers.csv")
    leave = f"{les.slot // result.case.calendar.periods_per_day + 1}:{les.slot % result.case.calendar.periods_per_day + 1}"
    d2 = tmp_path / "case"
    import shutil
    shutil.copytree(case_dir, d2)
    write_csv(d2 / "teachers.csv", header, [[r[0], r[1], r[2], ";".join(x for x in [r[3], leave] if x)] if r[0] == teacher else r for r in rows])
    assert valid(d2, new, tmp_path / "out") == []
    old = {(x.class_id, x.slot) for x in result.lessons}
    assert moved == sum(1 for x in new.lessons if (x.class_id, x.slot) not in old)
    assert 1 <= moved <= 4
    assert not any(x.slot == les.slot and by_id[x.class_id].teacher == teacher for x in new.lessons)
