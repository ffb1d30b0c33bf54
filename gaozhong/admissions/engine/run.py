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


class _Rules:
    """The eligibility rules of a case per program, worked out once: which checks a row of each program needs
    (bits of :class:`Ineligible`) and what those checks compare with."""

    def __init__(self, case: AdmissionCase):
        prog, st = case.programs, case.students
        n = len(prog)
        need = np.zeros(n, dtype=np.uint8)
        need[~np.isnan(prog.min_score)] |= np.uint8(Ineligible.BELOW_MIN_SCORE)
        need[prog.feeder >= 0] |= np.uint8(Ineligible.OTHER_JUNIOR_SCHOOL)
        need[~prog.county_allowed.all(axis=1)] |= np.uint8(Ineligible.OTHER_COUNTY)
        columns = sorted(set(prog.rank_by))
        self.columns = columns
        self.column_of_program = np.asarray([columns.index(c) for c in prog.rank_by], dtype=np.int32)
        # a student without a value in the program's rank_by column: only columns with empty values matter
        self.missing = {c: np.isnan(st.values[c]) for c in columns}
        self.missing = {c: m for c, m in self.missing.items() if m.any()}
        for c in self.missing:
            need[self.column_of_program == columns.index(c)] |= np.uint8(Ineligible.NO_RANK_VALUE)
        self.minimum_test = case.policy.special_min_test_score
        if self.minimum_test is not None:
            need[prog.special()] |= np.uint8(Ineligible.BELOW_MIN_TEST_SCORE)
        self.need = need
        n_county = prog.county_allowed.shape[1]
        self.county_width = n_county
        self.county_dtype = np.int32 if n * n_county < 2**31 else np.int64
        self.allowed = prog.county_allowed.ravel()


def eligibility(case: AdmissionCase, rows: np.ndarray, *, students: np.ndarray | None = None,
                programs: np.ndarray | None = None, rules: _Rules | None = None) -> np.ndarray:
    """Ineligible flags (0 = eligible) of the given preference rows.

    Rules: ``min_score`` (score ≥ min_score); ``feeder_school_id`` (指标到校 seats only for that junior
    school's students, seed 002 §三(一)); ``counties`` (a program admits only from its 招生范围, seed 002 §三(一)
    跨区域招生); the student needs a value in the program's ``rank_by`` column; a 特长生 program's 专业测试 score
    reaches ``special_min_test_score`` (seed 002 §三(一), 规范特殊类型招生).

    ``students`` and ``programs`` (the rows' students and programs) and ``rules`` may be given when the caller
    has them already; each check looks only at the rows of the programs it concerns.
    """
    pr, prog, st = case.preferences, case.programs, case.students
    rules = rules or _Rules(case)
    s = pr.student[rows] if students is None else students
    p = pr.program[rows] if programs is None else programs
    flags = np.zeros(rows.size, dtype=np.uint8)
    if rows.size == 0:
        return flags
    need = rules.need[p]
    present = int(np.bitwise_or.reduce(need))

    def subset(bit: Ineligible) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """Rows needing the check (None = all of them), with their students and programs."""
        hit = np.flatnonzero(need & np.uint8(bit))
        if hit.size == rows.size:
            return None, s, p
        return hit, s[hit], p[hit]

    def mark(at: np.ndarray | None, bad: np.ndarray, bit: Ineligible) -> None:
        if at is None:
            flags[bad] |= np.uint8(bit)
        else:
            flags[at[bad]] |= np.uint8(bit)

    if present & Ineligible.BELOW_MIN_SCORE:
        at, ss, pp = subset(Ineligible.BELOW_MIN_SCORE)
        mark(at, st.values["score"][ss] < prog.min_score[pp], Ineligible.BELOW_MIN_SCORE)
    if present & Ineligible.OTHER_JUNIOR_SCHOOL:
        at, ss, pp = subset(Ineligible.OTHER_JUNIOR_SCHOOL)
        mark(at, st.junior[ss] != prog.feeder[pp], Ineligible.OTHER_JUNIOR_SCHOOL)
    if present & Ineligible.OTHER_COUNTY:
        at, ss, pp = subset(Ineligible.OTHER_COUNTY)
        cell = pp.astype(rules.county_dtype)
        cell *= rules.county_width
        cell += st.county[ss]
        mark(at, ~rules.allowed[cell], Ineligible.OTHER_COUNTY)
    if present & Ineligible.NO_RANK_VALUE:
        at, ss, pp = subset(Ineligible.NO_RANK_VALUE)
        column = rules.column_of_program[pp]
        for c, missing in rules.missing.items():
            mark(at, (column == rules.columns.index(c)) & missing[ss], Ineligible.NO_RANK_VALUE)
    if present & Ineligible.BELOW_MIN_TEST_SCORE:
        # Rule: seed 002 §三(一), 规范特殊类型招生 — a 特长生 program's 专业测试 score (its rank_by) must reach the
        # city's minimum.
        at, ss, pp = subset(Ineligible.BELOW_MIN_TEST_SCORE)
        column = rules.column_of_program[pp]
        minimum = float(rules.minimum_test)
        for ci in np.unique(column).tolist():
            with np.errstate(invalid="ignore"):
                low = st.values[rules.columns[ci]][ss] < minimum  # an empty value compares False (NO_RANK_VALUE)
            mark(at, (column == ci) & low, Ineligible.BELOW_MIN_TEST_SCORE)
    return flags


class _Keys:
    """Row priorities (lower = better) for the general algorithm, computed for the rows of one batch."""

    def __init__(self, case: AdmissionCase, rankings: dict[str, Ranking], rules: _Rules):
        self.case = case
        self.rankings = rankings
        self.columns = rules.columns  # sorted, as the rankings' columns
        self.column_of_program = rules.column_of_program
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


def run_admission(case: AdmissionCase, *, general: bool = False, solver=None,
                  rankings: dict[str, Ranking] | None = None) -> AdmissionResult:
    """Admit the students of ``case`` batch by batch; see the module docstring for the rules.

    For each batch in ascending order: the students without a seat so far, their eligible choices of that
    batch, student-proposing deferred acceptance (:mod:`match`), then the unfilled seats of programs with
    ``rollover_to`` move to that later program. A batch whose programs all rank by one column under
    ``deferred_acceptance`` runs the common-ranking form of the algorithm (the same result, faster);
    ``general=True`` forces the general form and ``solver`` picks the common-ranking solver, for tests.
    ``rankings`` (:func:`priority.ranking` of every rank_by column) may be given when known already.
    """
    pr, prog, st = case.preferences, case.programs, case.students
    n_students, n_prog = len(st), len(prog)
    if rankings is None:
        rankings = {c: ranking(case, c) for c in sorted(set(prog.rank_by))}
    rules = _Rules(case)
    keys = _Keys(case, rankings, rules)
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
    local = np.full(n_prog, -1, dtype=np.int32)

    for b in case.batches:
        members = np.flatnonzero(prog.batch == b)
        local[:] = -1
        local[members] = np.arange(members.size, dtype=np.int32)
        rows = np.flatnonzero(pr.batch == b)
        students = pr.student[rows]
        waiting = program_of[students] < 0  # students admitted in an earlier batch take no part
        if not waiting.all():
            rows, students = rows[waiting], students[waiting]
        programs = pr.program[rows]
        flags = eligibility(case, rows, students=students, programs=programs, rules=rules)
        inel[rows] = flags
        eligible = flags == 0
        if not eligible.all():
            rows, students, programs = rows[eligible], students[eligible], programs[eligible]
        if rows.size:
            change = np.flatnonzero(students[1:] != students[:-1]) + 1
            starts = np.r_[0, change]
            ends = np.r_[change, rows.size]
            who = students[starts]
            lp = local[programs]
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
                held_local = held_ranked[got]
                # the program's last admitted student is the one it ranks lowest
                p_got = lp[held_local]
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
                held_local = held[got]
                p_got = lp[held_local]
                last = last_admitted(held_local, lp, key, members.size)
                has = last >= 0
                last_student[members[has]] = students[last[has]]
            program_of[s_got] = members[p_got]
            choice_rank_of[s_got] = pr.rank[rows[held_local]]
            # the last admitted student listed the program at the rank they were admitted through
            filled = members[last_student[members] >= 0]
            last_choice_rank[filled] = choice_rank_of[last_student[filled]]
            admitted[members] = np.bincount(p_got, minlength=members.size)
        # Unfilled seats go to the program named in rollover_to (a later batch), after this batch.
        source = members[prog.rollover_to[members] >= 0]
        if source.size:
            unfilled = capacity[source] - admitted[source]
            rolled_out[source] = unfilled
            np.add.at(capacity, prog.rollover_to[source], unfilled)

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
