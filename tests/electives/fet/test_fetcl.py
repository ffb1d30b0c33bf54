"""The independent judge: Debian's fet-cl. Our solve-fet output, with every activity locked, must be accepted
by fet-cl at once with every activity exactly where we put it; our checker must accept fet-cl's own
timetables (so that its reading of each constraint is not stricter than FET's) and reject broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from gaozhong.electives.engine.fet.check import check_timetable
from gaozhong.electives.engine.fet.fetcl import run_fet_cl
from gaozhong.electives.engine.fet.model import Placement
from gaozhong.electives.engine.fet.parse import read_fet
from gaozhong.electives.engine.fet.solve import solve_fet
from gaozhong.electives.engine.fet.write import locked_fet_text
from tests.electives.engine.helpers import run

from .helpers import act, c, example, fet, need_fet_cl

# the listed examples that solve in seconds on a shared 2-core machine; the others are in bench/timetable_fet.py
QUICK = ["Spain/3-school/primaria.fet", "Argentina/Horario_ISJ.fet", "Greece/Didymoteicho/6th-Primary-School.fet"]


def _placement(F, res) -> Placement:
    H = len(F.hours)
    di = {d: i for i, d in enumerate(F.days)}
    hi = {h: i for i, h in enumerate(F.hours)}
    return Placement({a: di[d] * H + hi[h] for a, (d, h, _) in res.placed.items() if d},
                     {a: r for a, (_, _, r) in res.placed.items() if r})


@pytest.mark.parametrize("rel", QUICK)
def test_solve_fet_output_accepted_by_fet_cl_locked(tmp_path: Path, rel: str):
    need_fet_cl()
    src = example(rel)
    out = tmp_path / "out.fet"
    code, stdout, err = run(["solve-fet", str(src), "--out", str(out), "--time-limit", "60", "--seed", "1"])
    assert code == 0, err
    F = read_fet(src)
    locked = read_fet(out)
    assert len(locked.activities) == len(F.activities)
    res = run_fet_cl(out, time_limit=30)
    assert res.ok, res.message
    assert res.seconds < 20  # every activity is locked: nothing to search
    H = len(F.hours)
    ours = {}
    for c in locked.constraints:
        if c.kind == "ConstraintActivityPreferredStartingTime" and c.p["locked"]:
            d, h = c.p["starts"][0]
            ours[c.p["acts"][0]] = (F.days[d], F.hours[h])
    assert set(ours) == {a.id for a in F.activities}
    for a in F.activities:
        assert res.placed[a.id][:2] == ours[a.id], a.id
    # and the second, simple checker agrees
    P = _placement(F, res)
    assert check_timetable(F, P) == []
    assert max(P.start.values()) < len(F.days) * H


@pytest.mark.parametrize("rel", ["Spain/3-school/primaria.fet", "Vietnam/2-secondary-school/VietNamHungYen.fet"])
def test_checker_accepts_fet_cl_timetables_and_rejects_a_broken_one(rel: str):
    need_fet_cl()
    src = example(rel)
    F = read_fet(src)
    res = run_fet_cl(src, time_limit=60, seed=3)
    if not res.ok:
        pytest.skip("fet-cl found no timetable in 60 s on this machine")
    P = _placement(F, res)
    assert check_timetable(F, P) == []
    # the solver's model accepts FET's timetable too (no hard rule modelled stricter than FET's)
    assert solve_fet(F, time_limit=30, fix=P).start == P.start
    # move one activity onto another of its teacher: the checker must notice
    by_teacher = {}
    for a in F.activities:
        for t in a.teachers:
            by_teacher.setdefault(t, []).append(a.id)
    a, b = next(v[:2] for v in by_teacher.values() if len(v) >= 2)
    broken = Placement({**P.start, a: P.start[b]}, P.room)
    assert check_timetable(F, broken)


def test_students_filter_read_as_fet_reads_it(tmp_path: Path):
    """A year's preferred starting times bind its groups' activities: our output obeys it and fet-cl accepts it
    locked; a timetable with a group's activity elsewhere is refused by fet-cl and by our checker alike."""
    need_fet_cl()
    years = ("<Year><Name>Y1</Name><Number_of_Students>30</Number_of_Students>"
             "<Group><Name>G1</Name><Number_of_Students>15</Number_of_Students></Group>"
             "<Group><Name>G2</Name><Number_of_Students>15</Number_of_Students></Group></Year>")
    text = fet(years=years, activities=act(1, ["T1"], ["G1"]) + act(2, ["T2"], ["G2"]),
               time=c("ConstraintActivitiesPreferredStartingTimes", Teacher_Name="", Students_Name="Y1",
                      Subject_Name="", Activity_Tag_Name="", Duration="", Number_of_Preferred_Starting_Times=2,
                      Preferred_Starting_Time=[("D3", "H1"), ("D3", "H2")]))
    src, out = tmp_path / "in.fet", tmp_path / "out.fet"
    src.write_text(text, encoding="utf-8")
    assert run(["solve-fet", str(src), "--out", str(out), "--time-limit", "10"])[0] == 0
    res = run_fet_cl(out, time_limit=20)
    assert res.ok, res.message
    assert {res.placed[1][0], res.placed[2][0]} == {"D3"}
    F = read_fet(src)
    bad = Placement({1: 8, 2: 0}, {})  # activity 2 (G2) on D1
    assert check_timetable(F, bad)
    wrong = tmp_path / "wrong.fet"
    wrong.write_text(locked_fet_text(F, bad), encoding="utf-8")
    res = run_fet_cl(wrong, time_limit=20)
    assert not res.ok and "no allowed slot" in res.message
