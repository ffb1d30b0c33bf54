"""The 补录 round: after the first round's result is published, the seats left go to the students without a seat.

Rule: seed 002 §三(一) — every student is admitted through the platform, never beyond the plan; a second round
admits no one beyond the seats left and displaces no first-round admission. Rule: seed 003 §三(二)3 — the first
round's fill rate (第一次录取完成率) is kept apart from the final one.

:func:`run_supplementary` runs the case's first round again and checks that supplementary/first_round.csv is
exactly its result (so the 补录 starts from the published result and nothing else); a program's seats left are
its capacity less the first-round admissions that stand (a declined seat is free again) and less the seats it
rolled on; seats.csv may offer fewer. The second round is an ordinary run (:func:`run.run_admission`) over the
same programs with the seats offered as capacity, no rollovers, the same students, eligibility rules and
rankings, and the new choices — only students who may take part have any (checked when reading).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from gaozhong.common.errors import ProblemList

from .priority import ranking
from .readsupp import SUPPLEMENTARY_DIR
from .run import run_admission
from .types import AdmissionCase, AdmissionResult

__all__ = ["SupplementaryResult", "run_supplementary", "seats_left"]


@dataclass(frozen=True, eq=False)
class SupplementaryResult:
    """A 补录 run: the first round (as published), the second round, and what stands at the end."""

    case: AdmissionCase
    first: AdmissionResult  # the case's first round
    second: AdmissionResult  # the 补录 round (its case has the seats offered as capacity)
    left: np.ndarray  # int64 per program: seats left after the first round
    stands: np.ndarray  # bool per student: admitted in the first round and did not decline

    @property
    def seats(self) -> np.ndarray:
        """Seats offered in 补录 per program."""
        return self.second.case.programs.capacity

    def final_program(self) -> np.ndarray:
        """int32 per student: the program the student ends with (-1 = none)."""
        return np.where(self.stands, self.first.program_of, self.second.program_of).astype(np.int32)

    def final_choice_rank(self) -> np.ndarray:
        return np.where(self.stands, self.first.choice_rank_of, self.second.choice_rank_of)

    def round_of(self) -> np.ndarray:
        """int8 per student: 1 = the first-round admission stands, 2 = admitted in 补录, 0 = no seat."""
        out = np.zeros(len(self.stands), dtype=np.int8)
        out[self.second.program_of >= 0] = 2
        out[self.stands] = 1
        return out


def seats_left(case: AdmissionCase, first: AdmissionResult) -> np.ndarray:
    """Seats left per program after the first round: capacity − admitted − rolled on + declined there."""
    supp = case.supplementary
    assert supp is not None
    declined_at = np.bincount(first.program_of[supp.declined & (first.program_of >= 0)], minlength=len(case.programs))
    return first.capacity - first.admitted - first.rolled_out + declined_at


def run_supplementary(case: AdmissionCase) -> SupplementaryResult:
    """Run the 补录 round of a case with supplementary/; InputError if first_round.csv is not the case's first
    round or seats.csv offers more seats than a program has left."""
    supp = case.supplementary
    if supp is None:
        raise ValueError("the case has no supplementary/ directory")
    # the second round ranks the same students by the same columns: one ranking serves both rounds
    rankings = {c: ranking(case, c) for c in sorted(set(case.programs.rank_by))}
    first = run_admission(case, rankings=rankings)
    problems = ProblemList()
    name = f"{SUPPLEMENTARY_DIR}/first_round.csv"
    prog = case.programs
    differs = np.flatnonzero((first.program_of != supp.first_program)
                             | ((first.program_of >= 0) & (first.choice_rank_of != supp.first_rank)))
    if differs.size:
        order = differs[np.argsort(supp.first_line[differs], kind="stable")]
        for s in order[: problems.limit]:
            p = int(first.program_of[s])
            got = f"“{prog.program_id[p]}”（志愿 {int(first.choice_rank_of[s])}）" if p >= 0 else "未录取"
            en = f"{prog.program_id[p]} at choice {int(first.choice_rank_of[s])}" if p >= 0 else "no seat"
            problems.add(name, int(supp.first_line[s]), "program_id",
                         f"与本案例第一轮的录取结果不同：第一轮为 {got} (not the case's first round, which gives {en})")
        problems.dropped += max(0, int(differs.size) - problems.limit)
        problems.raise_if_any()
    left = seats_left(case, first)
    if (supp.seats >= 0).all():
        over = np.flatnonzero(supp.seats > left)
        for p in over[np.argsort(supp.seats_line[over], kind="stable")]:
            problems.add(f"{SUPPLEMENTARY_DIR}/seats.csv", int(supp.seats_line[p]), "seats",
                         f"补录名额 {int(supp.seats[p])} 超过第一轮后剩余的 {int(left[p])} 个 "
                         f"(more than the {int(left[p])} seats left after the first round)")
        problems.raise_if_any()
        seats = supp.seats
    else:
        seats = left
    programs = dataclasses.replace(prog, capacity=seats.astype(np.int64),
                                   rollover_to=np.full(len(prog), -1, dtype=np.int32))
    second_case = dataclasses.replace(case, programs=programs, preferences=supp.preferences, supplementary=None)
    second = run_admission(second_case, rankings=rankings)
    stands = (first.program_of >= 0) & ~supp.declined
    if (stands & (second.program_of >= 0)).any():  # cannot happen: such students have no 补录 choices
        raise AssertionError("a student with a standing first-round seat was admitted again")
    return SupplementaryResult(case=case, first=first, second=second, left=left, stands=stands)
