"""The public verifiers (they pass on engine results and catch tampered ones), the S4 plan proposal
(seed 003 §三(二)3) and the county-retention report (seed 002 §二)."""

from __future__ import annotations

import dataclasses
import tempfile
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaozhong.admissions.engine import verify
from gaozhong.admissions.engine.plan import (
    Candidate,
    CountyCandidates,
    SchoolPlanInput,
    county_retention,
    largest_remainder,
    propose_plans,
    top_destinations,
)
from gaozhong.admissions.engine.readcase import read_case
from gaozhong.admissions.engine.run import run_admission

from . import reference as ref
from .strategies import cases
from .test_admissions_cli import write


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_verifiers_accept_engine_results(case):
    with tempfile.TemporaryDirectory() as tmp:
        result = run_admission(read_case(ref.write_case(case, Path(tmp))))
    assert verify.capacity_violations(result) == []
    assert verify.eligibility_violations(result) == []
    assert verify.justified_envy(result) == []
    assert verify.waste(result) == []


@pytest.fixture
def result(tmp_path):
    return run_admission(read_case(write(tmp_path / "case")))


def _moved(result, student: str, program: str | None, rank: int = 1):
    sid = result.case.students.student_id.to_list().index(student)
    program_of = result.program_of.copy()
    ranks = result.choice_rank_of.copy()
    program_of[sid] = -1 if program is None else result.case.programs.program_id.index(program)
    ranks[sid] = -1 if program is None else rank
    admitted = np.bincount(program_of[program_of >= 0], minlength=len(result.case.programs))
    return dataclasses.replace(result, program_of=program_of, choice_rank_of=ranks, admitted=admitted)


def test_verifiers_pass_on_the_worked_example(result):
    assert verify.is_within_capacity(result) and verify.is_eligible(result)
    assert verify.has_no_justified_envy(result) and verify.is_non_wasteful(result)


def test_over_capacity_is_caught(result):
    bad = _moved(result, "s6", "A", 2)  # A already has its 2 students (s6 did not list A: also ineligible)
    assert not verify.is_within_capacity(bad)
    assert any(v.startswith("A: 3 admitted, capacity 2") for v in verify.capacity_violations(bad))
    assert not verify.is_eligible(bad)


def test_justified_envy_and_waste_are_caught(result):
    wasted = _moved(_moved(result, "s3", "B", 2), "s6", None)  # s3 (600.5) pushed to B: A keeps a seat empty
    assert ("s3", "A") in verify.waste(wasted) and not verify.is_non_wasteful(wasted)
    assert verify.has_no_justified_envy(wasted)
    envied = _moved(_moved(result, "s3", None), "s5", "A", 1)  # A holds s5 (590) while s3 (600.5) is out
    assert ("s3", "A") in verify.justified_envy(envied) and not verify.has_no_justified_envy(envied)
    # s5 left Q1, so Q1's unfilled seat should have rolled into A: the recorded capacity no longer adds up
    assert any("own seats plus rollovers give 3" in v for v in verify.capacity_violations(envied))


def test_plan_proposal_adds_up_and_explains_itself():
    schools = [
        SchoolPlanInput("Q1", "甲县", 500, True, 500),
        SchoolPlanInput("O1", "甲县", 400, False, 400),
        SchoolPlanInput("O2", "甲县", 300, False, 150),
        SchoolPlanInput("P1", "乙县", 200, False, 100),
    ]
    counties = [CountyCandidates("甲县", 3000, 3300), CountyCandidates("乙县", 1000, 900)]
    out = {p.school_id: p for p in propose_plans(schools, counties)}
    assert sum(out[k].proposed for k in ("Q1", "O1", "O2")) == 1320  # 1200 x 3300 / 3000
    assert out["P1"].proposed == 180  # the only school of 乙县: 200 x 0.9
    for p in out.values():
        assert p.proposed - p.last_plan == p.effect_candidates + p.effect_fill_rate + p.effect_quality
    assert out["O2"].fill_rate == Fraction(1, 2) and out["O2"].effect_fill_rate < 0
    assert out["Q1"].effect_quality > 0 and out["O1"].effect_quality < 0
    assert out["Q1"].effect_candidates == 50  # 1320 x 500/1200 = 550


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 500), st.lists(st.integers(0, 50), min_size=1, max_size=6))
def test_largest_remainder_is_exact_and_proportional(total, weights):
    if sum(weights) == 0:
        if total:
            with pytest.raises(ValueError):
                largest_remainder(total, [(f"k{i}", Fraction(w)) for i, w in enumerate(weights)])
        return
    got = largest_remainder(total, [(f"k{i}", Fraction(w)) for i, w in enumerate(weights)])
    assert sum(got.values()) == total
    for i, w in enumerate(weights):
        exact = Fraction(total * w, sum(weights))
        assert exact - 1 < got[f"k{i}"] < exact + 1


def test_plan_needs_candidate_figures():
    with pytest.raises(ValueError, match="甲县"):
        propose_plans([SchoolPlanInput("Q1", "甲县", 100, True, 100)], [])


def test_top_destinations_count_where_the_top_group_went_ties_included():
    # 甲县: 20 candidates; top 10 % = 2 highest (100, 99) plus a tie at 99 → 3: two admitted in 乙县, one without a seat
    scores = [100, 99, 99, *range(90, 73, -1)]
    dest = ["乙县", None, "乙县", *["甲县"] * 17]
    cands = [Candidate(2025, f"a{i}", "甲县", s, d) for i, (s, d) in enumerate(zip(scores, dest))]
    rows = [(r.group_size, r.destination, r.count) for r in top_destinations(cands, 10)]
    assert rows == [(3, "乙县", 2), (3, None, 1)]
    assert sum(r.count for r in top_destinations(cands, 50)) == 10


def test_county_retention_counts_top_groups_with_ties():
    cands = []
    # 甲县 2024: 10 candidates, scores 100..91; the top 10 % is 1 candidate (100), top 20 % is 2, but 99 and 98
    # tie at the boundary for top 30 %? (3 candidates: 100, 99, 98; a second 98 joins).
    for i, score in enumerate([100, 99, 98, 98, 96, 95, 94, 93, 92, 91]):
        cands.append(Candidate(2024, f"a{i}", "甲县", score, "甲县" if i % 2 == 0 else "乙县"))
    for i, score in enumerate([100, 99, 98, 97, 96, 95, 94, 93, 92, 91]):
        cands.append(Candidate(2025, f"b{i}", "甲县", score, "甲县"))
    rows = {(r.year, r.top_percent): r for r in county_retention(cands) if r.county == "甲县"}
    assert (rows[(2024, 10)].group_size, rows[(2024, 10)].retained) == (1, 1)
    assert (rows[(2024, 20)].group_size, rows[(2024, 20)].retained) == (2, 1)
    assert (rows[(2024, 30)].group_size, rows[(2024, 30)].retained) == (4, 2)  # the tie at 98 joins
    assert rows[(2024, 30)].change is None
    assert rows[(2025, 20)].share == 1 and rows[(2025, 20)].change == Fraction(1, 2)
