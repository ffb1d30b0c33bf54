"""One admission run: batches in ascending order, eligibility, matching, rollovers.

Rule: seed 003 §三(二)3, 分批分层录取、统招定向结合 — batches run one after another (e.g. 1 特长, 2 指标到校,
3 统招), and only students without a seat take part in the next batch. Rule: seed 002 §三(一), 指标到校 seats
are open only to the named junior school's students and their unfilled seats go back to the school's 统招
plan (``rollover_to``); nobody is admitted beyond the plan; public and private schools admit in the same run
(seed 004 §16, 公民同招).
"""

from __future__ import annotations

import numpy as np

from .match import deferred_acceptance, last_admitted, serial_dictatorship
from .priority import Ranking, ranking, score_bands
from .types import AdmissionCase, AdmissionResult, ChoiceStatus, Ineligible, choice_status

__all__ = ["run_admission", "eligibility", "choice_status"]


def eligibility(case: AdmissionCase, rows: np.ndarray) -> np.ndarray:
    """Ineligible flags (0 = eligible) of the given preference rows.

    Rules: ``min_score`` (score ≥ min_score); ``feeder_school_id`` (指标到校 seats only for that junior
    school's students, seed 002 §三(一)); ``counties`` (a program admits only from its 招生范围, seed 002 §三(一)
    跨区域招生); the student needs a value in the program's ``rank_by`` column; a 特长生 program's 专业测试 score
    reaches ``special_min_test_score`` (seed 002 §三(一), 规范特殊类型招生).
    """
    pr, prog, st = case.preferences, case.programs, case.students
    s = pr.student[rows]
    p = pr.program[rows]
    flags = np.zeros(rows.size, dtype=np.uint8)
    used = np.zeros(len(prog), dtype=bool)
    used[p] = True
    has_min = ~np.isnan(prog.min_score)
    if (has_min & used).any():
        with np.errstate(invalid="ignore"):
            below = st.values["score"][s] < prog.min_score[p]  # a NaN minimum compares False
        flags[below] |= np.uint8(Ineligible.BELOW_MIN_SCORE)
    if ((prog.feeder >= 0) & used).any():
        fd = prog.feeder[p]
        flags[(fd >= 0) & (st.junior[s] != fd)] |= np.uint8(Ineligible.OTHER_JUNIOR_SCHOOL)
    limited = ~prog.county_allowed.all(axis=1)
    if (limited & used).any():
        n_county = prog.county_allowed.shape[1]
        allowed = prog.county_allowed.ravel()[p.astype(np.int64) * n_county + st.county[s]]
        flags[~allowed] |= np.uint8(Ineligible.OTHER_COUNTY)
    for column in sorted(set(prog.rank_by)):
        missing = np.isnan(st.values[column])
        uses = np.asarray([r == column for r in prog.rank_by], dtype=bool)
        if missing.any() and (uses & used).any():
            flags[uses[p] & missing[s]] |= np.uint8(Ineligible.NO_RANK_VALUE)
    minimum = case.policy.special_min_test_score
    if minimum is not None:
        # Rule: seed 002 §三(一), 规范特殊类型招生 — a 特长生 program's 专业测试 score (its rank_by) must reach the
        # city's minimum.
        special = prog.special() & used
        for column in sorted({prog.rank_by[i] for i in np.flatnonzero(special)}):
            uses = special & np.asarray([r == column for r in prog.rank_by], dtype=bool)
            with np.errstate(invalid="ignore"):
                low = st.values[column][s] < float(minimum)  # an empty value compares False (NO_RANK_VALUE)
            flags[uses[p] & low] |= np.uint8(Ineligible.BELOW_MIN_TEST_SCORE)
    return flags


class _Keys:
    """Row priorities (lower = better) for the general algorithm, computed for the rows of one batch."""

    def __init__(self, case: AdmissionCase, rankings: dict[str, Ranking]):
        self.case = case
        self.rankings = rankings
        self.columns = sorted(rankings)
        self.column_of_program = np.asarray([self.columns.index(c) for c in case.programs.rank_by], dtype=np.int64)
        self.bands: dict[str, np.ndarray] = {}

    def band(self, column: str) -> np.ndarray:
        if column not in self.bands:
            self.bands[column] = score_bands(self.case.students.values[column], self.case.policy.band_width)
        return self.bands[column]

    def rows(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Priority of each row at its program and (first_choice_first only) the row's score band."""
        pr = self.case.preferences
        s = pr.student[rows]
        col = self.column_of_program[pr.program[rows]]
        key = np.zeros(rows.size, dtype=np.int64)
        band = np.zeros(rows.size, dtype=np.int64)
        fcf = self.case.policy.mechanism == "first_choice_first"
        for ci, c in enumerate(self.columns):
            hit = col == ci
            key[hit] = self.rankings[c].position[s[hit]]
            if fcf:
                band[hit] = self.band(c)[s[hit]]
        if not fcf:
            return key, None
        # first_choice_first: higher band first, then the earlier listed rank, then the ordinary ranking.
        n = len(self.case.students)
        if rows.size == 0:
            return key, band
        top, low = int(band.max()), int(band.min())
        rank = pr.rank[rows].astype(np.int64)
        rank_span = int(rank.max()) + 1
        if (top - low + 1) * rank_span * max(n, 1) >= 2**62:
            raise ValueError("too many score bands to rank; choose a larger band_width")
        return ((top - band) * rank_span + rank) * n + key, band


def run_admission(case: AdmissionCase, *, general: bool = False, solver=None) -> AdmissionResult:
    """Admit the students of ``case`` batch by batch; see the module docstring for the rules.

    For each batch in ascending order: the students without a seat so far, their eligible choices of that
    batch, student-proposing deferred acceptance (:mod:`match`), then the unfilled seats of programs with
    ``rollover_to`` move to that later program. A batch whose programs all rank by one column under
    ``deferred_acceptance`` runs the common-ranking form of the algorithm (the same result, faster);
    ``general=True`` forces the general form and ``solver`` picks the common-ranking solver, for tests.
    """
    pr, prog, st = case.preferences, case.programs, case.students
    n_students, n_prog = len(st), len(prog)
    rankings = {c: ranking(case, c) for c in sorted(set(prog.rank_by))}
    keys = _Keys(case, rankings)
    fcf = case.policy.mechanism == "first_choice_first"
    capacity = prog.capacity.astype(np.int64).copy()
    admitted = np.zeros(n_prog, dtype=np.int64)
    rolled_out = np.zeros(n_prog, dtype=np.int64)
    last_student = np.full(n_prog, -1, dtype=np.int32)
    last_choice_rank = np.full(n_prog, -1, dtype=np.int64)
    program_of = np.full(n_students, -1, dtype=np.int32)
    choice_rank_of = np.full(n_students, -1, dtype=np.int64)
    inel = np.zeros(len(pr), dtype=np.uint8)
    row_band = np.zeros(len(pr), dtype=np.int64) if fcf else None
    local = np.full(n_prog, -1, dtype=np.int64)

    for b in case.batches:
        members = np.flatnonzero(prog.batch == b)
        local[:] = -1
        local[members] = np.arange(members.size)
        rows = np.flatnonzero(pr.batch == b)
        rows = rows[program_of[pr.student[rows]] < 0]  # students admitted in an earlier batch take no part
        flags = eligibility(case, rows)
        inel[rows] = flags
        rows = rows[flags == 0]
        if rows.size:
            students = pr.student[rows]
            change = np.flatnonzero(students[1:] != students[:-1]) + 1
            starts = np.r_[0, change]
            ends = np.r_[change, rows.size]
            who = students[starts]
            lp = local[pr.program[rows]]
            cap = capacity[members]
            columns = {prog.rank_by[m] for m in members}
            if len(columns) == 1 and not fcf and not general:
                rk = rankings[columns.pop()]
                taking_part = np.zeros(n_students, dtype=bool)
                taking_part[who] = True
                ranked = rk.order[taking_part[rk.order]]
                group = np.full(n_students, -1, dtype=np.int64)
                group[who] = np.arange(who.size)
                g = group[ranked]
                held_ranked = (solver or serial_dictatorship)(starts[g], ends[g], lp, cap)
                got = held_ranked >= 0
                s_got = ranked[got]
                held_rows = rows[held_ranked[got]]
                # the program's last admitted student is the one it ranks lowest
                p_got = lp[held_ranked[got]]
                worst = np.full(members.size, -1, dtype=np.int64)
                np.maximum.at(worst, p_got, rk.position[s_got])
                has = worst >= 0
                last_student[members[has]] = rk.order[worst[has]]
            else:
                key, band = keys.rows(rows)
                if row_band is not None and band is not None:
                    row_band[rows] = band
                offsets = np.r_[starts, rows.size]
                held = deferred_acceptance(offsets, lp, key, cap)
                got = held >= 0
                s_got = who[got]
                held_rows = rows[held[got]]
                last = last_admitted(held[got], lp, key, members.size)
                has = last >= 0
                last_student[members[has]] = pr.student[rows[last[has]]]
            program_of[s_got] = pr.program[held_rows]
            choice_rank_of[s_got] = pr.rank[held_rows]
            # the last admitted student listed the program at the rank they were admitted through
            filled = members[last_student[members] >= 0]
            last_choice_rank[filled] = choice_rank_of[last_student[filled]]
            admitted[members] = np.bincount(local[pr.program[held_rows]], minlength=members.size)
        # Unfilled seats go to the program named in rollover_to (a later batch), after this batch.
        for p in members[prog.rollover_to[members] >= 0]:
            unfilled = int(capacity[p] - admitted[p])
            rolled_out[p] = unfilled
            capacity[prog.rollover_to[p]] += unfilled

    return AdmissionResult(
        case=case,
        program_of=program_of,
        choice_rank_of=choice_rank_of,
        capacity=capacity,
        admitted=admitted,
        rolled_out=rolled_out,
        last_student=last_student,
        last_choice_rank=last_choice_rank,
        row_ineligible=inel,
        row_band=row_band,
    )
