"""Public verifiers of an admission result, written independently of the matching code.

Each ``is_*`` / ``has_*`` function answers one question about a (case, result) pair; the ``*_violations``
functions list what is wrong (at most ``limit`` rows) so a test or an audit can show it. They re-derive
eligibility and priorities from the case itself (``np.lexsort`` on the raw columns) rather than reusing the
engine's helpers.

- :func:`is_within_capacity` — no program admits more than its seats plus the seats rolled into it, and the
  rollover arithmetic adds up (seed 002 §三(一), 严禁超计划招生).
- :func:`is_eligible` — every admission is through a listed choice of the right batch that the student was
  eligible for (min_score, feeder_school_id, counties, a rank_by value).
- :func:`has_no_justified_envy` — within each batch, no student prefers a program that admitted someone it
  ranks lower (under the case's mechanism's priorities).
- :func:`is_non_wasteful` — within each batch, no student prefers a program that kept a seat empty.
"""

from __future__ import annotations

import numpy as np

from .types import AdmissionCase, AdmissionResult

__all__ = [
    "capacity_violations",
    "is_within_capacity",
    "eligibility_violations",
    "is_eligible",
    "justified_envy",
    "has_no_justified_envy",
    "waste",
    "is_non_wasteful",
]


def capacity_violations(result: AdmissionResult) -> list[str]:
    """Programs over capacity or with inconsistent counts / rollover arithmetic."""
    case = result.case
    prog = case.programs
    out = []
    counted = np.bincount(result.program_of[result.program_of >= 0], minlength=len(prog))
    expected = prog.capacity.astype(np.int64).copy()
    for p in np.argsort(prog.batch, kind="stable"):
        t = prog.rollover_to[p]
        if t >= 0:
            expected[t] += expected[p] - counted[p]
    for p in range(len(prog)):
        pid = prog.program_id[p]
        if counted[p] > result.capacity[p]:
            out.append(f"{pid}: {counted[p]} admitted, capacity {result.capacity[p]}")
        if counted[p] != result.admitted[p]:
            out.append(f"{pid}: admitted column says {result.admitted[p]}, students say {counted[p]}")
        if expected[p] != result.capacity[p]:
            out.append(f"{pid}: capacity {result.capacity[p]}, own seats plus rollovers give {expected[p]}")
    return out


def is_within_capacity(result: AdmissionResult) -> bool:
    """Rule: seed 002 §三(一), 严禁超计划招生 — nobody is admitted beyond a program's seats."""
    return not capacity_violations(result)


def _eligible_rows(case: AdmissionCase) -> np.ndarray:
    pr, prog, st = case.preferences, case.programs, case.students
    s, p = pr.student.astype(np.int64), pr.program.astype(np.int64)
    ok = np.ones(len(pr), dtype=bool)
    ms = prog.min_score[p]
    ok &= np.isnan(ms) | (st.values["score"][s] >= np.nan_to_num(ms))
    fd = prog.feeder[p]
    ok &= (fd < 0) | (st.junior[s] == fd)
    names = np.asarray(case.county_names, dtype=object)
    for i in range(len(prog)):
        if prog.counties[i]:
            rows = np.flatnonzero(p == i)
            inside = np.isin(names[st.county[s[rows]]], np.asarray(prog.counties[i], dtype=object))
            ok[rows[~inside]] = False
    for column in set(prog.rank_by):
        uses = np.asarray([r == column for r in prog.rank_by])[p]
        ok &= ~(uses & np.isnan(case.students.values[column][s]))
    if case.policy.special_min_test_score is not None:
        for i in np.flatnonzero(prog.special()):
            rows = np.flatnonzero(p == i)
            value = case.students.values[prog.rank_by[i]][s[rows]]
            ok[rows[~(value >= float(case.policy.special_min_test_score))]] = False
    return ok


def eligibility_violations(result: AdmissionResult, limit: int = 100) -> list[str]:
    """Admissions not through an eligible listed choice of the program's batch at the stated rank."""
    case = result.case
    pr, prog, st = case.preferences, case.programs, case.students
    eligible = _eligible_rows(case)
    out = []
    admitted_rows = set(
        zip(pr.student[eligible].tolist(), pr.program[eligible].tolist(), pr.rank[eligible].tolist())
    )
    for s in np.flatnonzero(result.program_of >= 0):
        key = (int(s), int(result.program_of[s]), int(result.choice_rank_of[s]))
        if key not in admitted_rows:
            out.append(f"{st.student_id[int(s)]}: admitted to {prog.program_id[key[1]]} at rank {key[2]}, "
                       "not an eligible listed choice")
            if len(out) >= limit:
                break
    return out


def is_eligible(result: AdmissionResult) -> bool:
    return not eligibility_violations(result)


def _row_priority(case: AdmissionCase) -> np.ndarray:
    """Per preference row: a number that orders the row's student at the row's program (lower = better)."""
    pr, prog, st = case.preferences, case.programs, case.students
    s = pr.student.astype(np.int64)
    p = pr.program.astype(np.int64)
    tb = [st.values[c] for c in case.policy.tiebreak]
    out = np.zeros(len(pr), dtype=np.float64)
    fcf = case.policy.mechanism == "first_choice_first"
    for column in set(prog.rank_by):
        rows = np.flatnonzero(np.asarray([r == column for r in prog.rank_by])[p])
        v = st.values[column]
        keys = [st.lottery[s[rows]]] + [-t[s[rows]] for t in reversed(tb)] + [-np.nan_to_num(v[s[rows]], nan=-1)]
        if fcf:
            from fractions import Fraction

            width = case.policy.band_width
            bands = np.asarray(
                [-1 if np.isnan(x) else (Fraction(repr(float(x))) / width).__floor__() for x in v[s[rows]]],
                dtype=np.int64,
            )
            keys += [pr.rank[rows], -bands]
        order = np.lexsort(keys)
        out[rows[order]] = np.arange(rows.size)
    return out


def _preferred_rows(result: AdmissionResult) -> np.ndarray:
    """Eligible rows of students taking part in the row's batch, ranked before their admission in it."""
    case = result.case
    pr, prog = case.preferences, case.programs
    s = pr.student
    got = result.program_of[s]
    got_batch = np.where(got >= 0, prog.batch[np.maximum(got, 0)], np.iinfo(np.int64).max)
    taking_part = got_batch >= pr.batch
    before = (got_batch > pr.batch) | (pr.rank < result.choice_rank_of[s])
    return taking_part & before & _eligible_rows(case)


def justified_envy(result: AdmissionResult, limit: int = 100) -> list[tuple[str, str]]:
    """(student_id, program_id) pairs where the student wanted the program, was eligible, and it admitted
    someone in that batch whom it ranks lower."""
    case = result.case
    pr, prog, st = case.preferences, case.programs, case.students
    key = _row_priority(case)
    s = pr.student
    admitted_row = (result.program_of[s] == pr.program) & (result.choice_rank_of[s] == pr.rank)
    worst = np.full(len(prog), -np.inf)
    np.maximum.at(worst, pr.program[admitted_row], key[admitted_row])
    bad = np.flatnonzero(_preferred_rows(result) & (key < worst[pr.program]))
    return [(st.student_id[int(s[r])], prog.program_id[int(pr.program[r])]) for r in bad[:limit]]


def has_no_justified_envy(result: AdmissionResult) -> bool:
    """Within every batch, no student prefers a program that admitted someone it ranks lower."""
    return not justified_envy(result, limit=1)


def waste(result: AdmissionResult, limit: int = 100) -> list[tuple[str, str]]:
    """(student_id, program_id) pairs where the student wanted the program, was eligible, and it kept a seat
    empty in that batch."""
    case = result.case
    pr, prog, st = case.preferences, case.programs, case.students
    counted = np.bincount(result.program_of[result.program_of >= 0], minlength=len(prog))
    empty = counted < result.capacity
    bad = np.flatnonzero(_preferred_rows(result) & empty[pr.program])
    return [(st.student_id[int(pr.student[r])], prog.program_id[int(pr.program[r])]) for r in bad[:limit]]


def is_non_wasteful(result: AdmissionResult) -> bool:
    """Within every batch, no student prefers a program that kept a seat empty."""
    return not waste(result, limit=1)
