"""export-fet: a 3+1+2 case (and its solution) as a FET file that fet-cl opens; with the solution every
activity is locked and fet-cl reproduces the timetable exactly; our own solve-fet solves the unsolved export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from gaozhong.electives.engine.fet.check import check_timetable
from gaozhong.electives.engine.fet.fetcl import run_fet_cl
from gaozhong.electives.engine.fet.parse import read_fet
from gaozhong.electives.engine.fet.solve import solve_fet
from tests.electives.engine.helpers import run, tiny_case

from .helpers import need_fet_cl


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    d = tmp_path_factory.mktemp("exp")
    case = tiny_case(d / "case")
    code, _, err = run(["solve", str(case), "--out", str(d / "sol"), "--time-limit", "60", "--seed", "1"])
    assert code == 0, err
    return case, d / "sol", d


def test_export_with_solution_round_trips_through_fet_cl(solved):
    case, sol, d = solved
    out = d / "with.fet"
    code, _, err = run(["export-fet", str(case), str(out), "--solution", str(sol)])
    assert code == 0, err
    F = read_fet(out)
    lessons = list(csv.DictReader((sol / "timetable.csv").read_text(encoding="utf-8").splitlines()))
    assert len(F.activities) == len(lessons)
    # every activity locked in time and room
    locks = {c.p["acts"][0] for c in F.constraints if c.kind == "ConstraintActivityPreferredStartingTime" and c.p["locked"]}
    assert locks == {a.id for a in F.activities}
    # students: a year per admin class, subgroups from teaching classes
    assert {"A1", "A2"} <= set(F.sets)
    need_fet_cl()
    res = run_fet_cl(out, time_limit=30)
    assert res.ok, res.message
    got = sorted((a.subject, res.placed[a.id][0], res.placed[a.id][1], res.placed[a.id][2]) for a in F.activities)
    days = ["周一", "周二", "周三", "周四", "周五"]
    subj = {r["class_id"]: r["subject_id"] for r in csv.DictReader((sol / "classes.csv").read_text(encoding="utf-8").splitlines())}
    want = sorted((subj[r["class_id"]], days[int(r["day"]) - 1], f"第{r['period']}节", r["room_id"]) for r in lessons)
    assert got == want


def test_export_without_solution_opens_in_fet_cl_and_solve_fet_solves_it(solved):
    case, _, d = solved
    out, out2 = d / "plain.fet", d / "plain_solved.fet"
    assert run(["export-fet", str(case), str(out)])[0] == 0
    F = read_fet(out)
    assert F.activities and all(not a.teachers or len(a.teachers) == 1 for a in F.activities)
    code, _, err = run(["solve-fet", str(out), "--out", str(out2), "--time-limit", "30"])
    assert code == 0, err
    need_fet_cl()
    res = run_fet_cl(out, time_limit=30)
    assert res.ok, res.message
    res2 = run_fet_cl(out2, time_limit=30)
    assert res2.ok, res2.message


def test_export_bad_solution_dir_exits_2(solved, tmp_path: Path):
    case, sol, _ = solved
    bad = tmp_path / "sol"
    bad.mkdir()
    for f in ("classes.csv", "enrolments.csv"):
        (bad / f).write_bytes((sol / f).read_bytes())
    (bad / "timetable.csv").write_text("class_id,day,period,room_id\nNOPE,9,1,R1\n", encoding="utf-8")
    out = tmp_path / "x.fet"
    code, _, err = run(["export-fet", str(case), str(out), "--solution", str(bad)])
    assert code == 2 and "timetable.csv:2" in err
    assert not out.exists()


def test_solve_fet_keeps_the_locked_export(solved):
    """The locked export read back and solved by solve-fet: the checker passes and nothing moves."""
    case, sol, d = solved
    out = d / "with2.fet"
    run(["export-fet", str(case), str(out), "--solution", str(sol)])
    F = read_fet(out)
    P = solve_fet(F, time_limit=20)
    assert check_timetable(F, P) == []
    locked = {c.p["acts"][0]: c.p["starts"][0] for c in F.constraints
              if c.kind == "ConstraintActivityPreferredStartingTime" and c.p["locked"]}
    H = len(F.hours)
    assert all(divmod(P.start[a], H) == locked[a] for a in locked)
