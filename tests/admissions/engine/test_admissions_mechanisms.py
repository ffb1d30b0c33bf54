"""The two mechanisms' worked examples of docs/admissions.md, run through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from gaozhong.admissions.cli import main

from .test_admissions_cli import CUTOFFS, RESULTS

DOC = (Path(__file__).resolve().parents[3] / "docs" / "admissions.md").read_text("utf-8")

PROGRAMS = """program_id,school_id,batch,capacity,min_score,feeder_school_id,counties,rank_by,rollover_to
X,H1,3,1,,,,,
Y,H2,3,1,,,,,
"""
STUDENTS = "student_id,junior_school_id,county,score,lottery\nP,J1,城区,618,1\nQ,J1,城区,612,2\nR,J2,城区,619,3\n"
PREFERENCES = "student_id,batch,rank,program_id\nP,3,1,Y\nP,3,2,X\nQ,3,1,X\nR,3,1,Y\n"


@pytest.mark.parametrize(
    "policy,results,x_cutoff",
    [
        ("tiebreak = []\n", ["P,X,3,2", "Q,,,", "R,Y,3,1"], "X,1,1,618,2,"),
        ('tiebreak = []\nmechanism = "first_choice_first"\nband_width = 10\n', ["P,,,", "Q,X,3,1", "R,Y,3,1"], "X,1,1,612,1,"),
        ('tiebreak = []\nmechanism = "first_choice_first"\nband_width = 5\n', ["P,X,3,2", "Q,,,", "R,Y,3,1"], "X,1,1,618,2,"),
    ],
    ids=["deferred_acceptance", "first_choice_first_10", "first_choice_first_5"],
)
def test_the_documented_mechanism_example(tmp_path, policy, results, x_cutoff):
    case = tmp_path / "case"
    case.mkdir()
    for name, text in (("programs.csv", PROGRAMS), ("students.csv", STUDENTS),
                       ("preferences.csv", PREFERENCES), ("policy.toml", policy)):
        (case / name).write_text(text, encoding="utf-8")
    assert main(["run", str(case), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "results.csv").read_text().splitlines()[1:] == results
    assert (tmp_path / "out" / "cutoffs.csv").read_text().splitlines()[1:] == [x_cutoff, "Y,1,1,619,1,"]
    for line in results:
        assert line in DOC


def test_the_documented_deferred_acceptance_example_is_the_tested_one():
    assert RESULTS in DOC and CUTOFFS in DOC
