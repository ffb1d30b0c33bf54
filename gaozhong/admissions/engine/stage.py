"""Figures of the whole 高中阶段 from a case and its result: 普职比, 第一次录取完成率 and the 特长生 公示 list.

- :func:`general_vocational_rows` — 普职比 per county and for the city (Rule: seed 003 §三(二)3, 保持普通高中和中职
  教育规模大体相当): 普高 and 中职 seats of the plans (by the school's county) before the run, and admissions
  after it (by the school's county, and by the student's own county).
- :func:`fill_rate_rows` — per school, its plan, the first round's admissions and 第一次录取完成率 (Rule: seed 003
  §三(二)3, plans follow the first-round fill rate), and the final ones after 补录.
- :func:`publicity_rows` — the 公示 list before the run (Rule: seed 002 §三(一), 规范特殊类型招生): for every
  特长生 program, the applicants who meet its rules, in the program's ranking.

Rates print with four decimal places, rounded half up from the exact fraction (2/3 → ``0.6667``); an empty cell
where the denominator is 0. Schools are listed by school_id and counties by name (code point order), so the
files do not depend on the row order of the inputs.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .run import eligibility
from .priority import ranking
from .types import AdmissionCase
from .values import format_number

__all__ = [
    "GENERAL_VOCATIONAL_HEADER", "FILL_RATES_HEADER", "PUBLICITY_HEADER",
    "rate", "school_plans", "general_vocational_rows", "fill_rate_rows", "publicity_rows",
]

GENERAL_VOCATIONAL_HEADER = ["scope", "county", "basis", "general", "vocational", "general_share"]
FILL_RATES_HEADER = ["school_id", "plan", "first_round_admitted", "first_round_fill_rate", "final_admitted",
                     "final_fill_rate"]
PUBLICITY_HEADER = ["program_id", "school_id", "special_type", "student_id", "test_score", "score", "position"]


def rate(num: int, den: int) -> str:
    """num / den with four decimal places, rounded half up; empty if den is 0."""
    if den == 0:
        return ""
    q = Fraction(num, den) * 10000
    whole = int(q + Fraction(1, 2)) if q >= 0 else -int(-q + Fraction(1, 2))
    return f"{whole // 10000}.{whole % 10000:04d}"


def _schools_of_programs(case: AdmissionCase) -> tuple[list[str], np.ndarray]:
    """The schools of programs.csv in order of first appearance, and each program's index among them."""
    schools = list(dict.fromkeys(case.programs.school_id))
    index = {sid: i for i, sid in enumerate(schools)}
    return schools, np.asarray([index[sid] for sid in case.programs.school_id], dtype=np.int64)


def school_plans(case: AdmissionCase) -> dict[str, int]:
    """Each school's plan: the sum of its programs' own seats (a seat rolled on is counted once)."""
    schools, code = _schools_of_programs(case)
    seats = np.zeros(len(schools), dtype=np.int64)
    np.add.at(seats, code, case.programs.capacity.astype(np.int64))
    return dict(zip(schools, seats.tolist()))


def _pair(counts: dict, key) -> tuple[int, int]:
    return counts.get((key, "普高"), 0), counts.get((key, "中职"), 0)


def general_vocational_rows(case: AdmissionCase, admitted_program: np.ndarray | None) -> list[list[str]]:
    """Rows of general_vocational.csv; ``admitted_program`` (program per student, -1 = none) adds the
    ``admitted`` and ``admitted_home`` rows. The case must have schools.csv."""
    schools = case.schools
    assert schools is not None
    level_of, county_of = schools.level_of(), schools.county_of()
    prog = case.programs
    # per school of programs.csv (few), then per program by the school's index
    program_schools, school_code = _schools_of_programs(case)
    school_level = [level_of[s] for s in program_schools]
    school_county = [county_of[s] for s in program_schools]
    counties = set(county_of.values())
    county_names = sorted(counties | set(case.county_names))  # coded over every name; rows for `counties`
    cpos = {c: i for i, c in enumerate(county_names)}
    level_code = np.asarray([lv == "中职" for lv in school_level], dtype=np.int64)[school_code]
    school_county_code = np.asarray([cpos[c] for c in school_county], dtype=np.int64)[school_code]
    n = len(county_names)
    seats = np.zeros(2 * n, dtype=np.int64)
    np.add.at(seats, school_county_code * 2 + level_code, prog.capacity.astype(np.int64))
    plan: dict = {}
    for li, level in enumerate(("普高", "中职")):
        for ci, c in enumerate(county_names):
            plan[(c, level)] = int(seats[2 * ci + li])
        plan[(None, level)] = int(seats[li::2].sum())
    admitted: dict = {}
    home: dict = {}
    if admitted_program is not None:
        st = case.students
        counties |= {case.county_names[c] for c in np.unique(st.county)}
        got = np.flatnonzero(admitted_program >= 0)
        student_county_code = np.asarray([cpos[c] for c in case.county_names], dtype=np.int64)[st.county[got]]
        p = admitted_program[got]
        lv = level_code[p]
        by_school = np.bincount(school_county_code[p] * 2 + lv, minlength=2 * n)
        by_home = np.bincount(student_county_code * 2 + lv, minlength=2 * n)
        for ci, c in enumerate(county_names):
            for li, level in enumerate(("普高", "中职")):
                admitted[(c, level)] = int(by_school[2 * ci + li])
                home[(c, level)] = int(by_home[2 * ci + li])
        admitted[(None, "普高")] = int((lv == 0).sum())
        admitted[(None, "中职")] = int((lv == 1).sum())
    rows = []

    def row(scope: str, county, basis: str, counts: dict) -> None:
        g, v = _pair(counts, county)
        rows.append([scope, county or "", basis, str(g), str(v), rate(g, g + v)])

    for c in sorted(counties):
        row("county", c, "plan", plan)
        if admitted_program is not None:
            row("county", c, "admitted", admitted)
            row("county", c, "admitted_home", home)
    row("city", None, "plan", plan)
    if admitted_program is not None:
        row("city", None, "admitted", admitted)
    return rows


def fill_rate_rows(case: AdmissionCase, first_program: np.ndarray, final_program: np.ndarray) -> list[list[str]]:
    """Rows of fill_rates.csv: per school, plan, first-round admissions and rate, final admissions and rate."""
    plans = school_plans(case)
    school_ids = sorted(plans)
    spos = {s: i for i, s in enumerate(school_ids)}
    program_schools, school_code = _schools_of_programs(case)
    school_of_program = np.asarray([spos[s] for s in program_schools], dtype=np.int64)[school_code]
    first = np.bincount(school_of_program[first_program[first_program >= 0]], minlength=len(school_ids))
    final = np.bincount(school_of_program[final_program[final_program >= 0]], minlength=len(school_ids))
    return [[s, str(plans[s]), str(int(first[i])), rate(int(first[i]), plans[s]), str(int(final[i])),
             rate(int(final[i]), plans[s])] for i, s in enumerate(school_ids)]


def publicity_rows(case: AdmissionCase) -> list[list[str]]:
    """Rows of publicity.csv: per 特长生 program (programs.csv order), every applicant who meets its rules
    (min_score and the city's minimum 中考 score, the minimum 专业测试 score, 招生范围, feeder school), ranked as
    the program ranks them (its rank_by value, the tie-break columns, the lottery); ``position`` 1 is first."""
    prog, pr, st = case.programs, case.preferences, case.students
    special = prog.special()
    if not special.any() or len(pr) == 0:
        return []
    rows_all = np.flatnonzero(special[pr.program])
    flags = eligibility(case, rows_all)
    rows_ok = rows_all[flags == 0]
    rankings = {c: ranking(case, c) for c in sorted({prog.rank_by[i] for i in np.flatnonzero(special)})}
    out = []
    for i in np.flatnonzero(special):
        students = pr.student[rows_ok[pr.program[rows_ok] == i]]
        column = prog.rank_by[i]
        students = students[np.argsort(rankings[column].position[students], kind="stable")]
        for k, s in enumerate(students.tolist(), start=1):
            out.append([prog.program_id[i], prog.school_id[i], prog.special_type[i], st.student_id[s],
                        format_number(st.values[column][s]), format_number(st.values["score"][s]), str(k)])
    return out
