"""Per-student explanation: for each choice of each batch, admitted, not needed, not eligible and why, or
not admitted with the program's cutoff beside the student's own value ("cutoff 612, your score 598").
"""

from __future__ import annotations

import numpy as np

from .output import tiebreak_text
from .types import AdmissionResult, ChoiceExplanation, ChoiceStatus, Ineligible, StudentExplanation, choice_status
from .values import format_number

__all__ = ["explain_student", "ineligible_reasons"]


def ineligible_reasons(result: AdmissionResult, row: int) -> tuple[str, ...]:
    """Why one preference row was skipped, Chinese with the English in brackets."""
    case = result.case
    pr, prog, st = case.preferences, case.programs, case.students
    p, s = int(pr.program[row]), int(pr.student[row])
    flags = Ineligible(int(result.row_ineligible[row]))
    out = []
    if flags & Ineligible.BELOW_MIN_SCORE:
        out.append(
            f"成绩 {format_number(st.values['score'][s])} 低于最低分 {format_number(prog.min_score[p])} "
            f"(score below the program's minimum)"
        )
    if flags & Ineligible.OTHER_JUNIOR_SCHOOL:
        out.append(
            f"指标到校名额只给 {case.junior_ids[prog.feeder[p]]} 的学生 "
            f"(quota seats for students of junior school {case.junior_ids[prog.feeder[p]]} only)"
        )
    if flags & Ineligible.OTHER_COUNTY:
        out.append(f"只招收 {'、'.join(prog.counties[p])} 的学生 (admits only students of {', '.join(prog.counties[p])})")
    if flags & Ineligible.NO_RANK_VALUE:
        out.append(f"没有 {prog.rank_by[p]} 成绩 (no {prog.rank_by[p]} value)")
    if flags & Ineligible.BELOW_MIN_TEST_SCORE:
        minimum = format_number(float(case.policy.special_min_test_score))
        out.append(
            f"专业测试成绩 {format_number(st.values[prog.rank_by[p]][s])} 低于特长生最低分 {minimum} "
            f"(test score below the special-type minimum {minimum})"
        )
    return tuple(out)


def explain_student(result: AdmissionResult, student_id: str) -> StudentExplanation:
    """Explain everything that happened to one student's choices; KeyError for an unknown id."""
    case = result.case
    pr, prog, st = case.preferences, case.programs, case.students
    hits = np.flatnonzero((st.student_id == student_id).fill_null(False).to_numpy())
    if hits.size == 0:
        raise KeyError(student_id)
    s = int(hits[0])
    lo, hi = (int(x) for x in np.searchsorted(pr.student, [s, s + 1]))
    statuses = choice_status(result, slice(lo, hi))
    choices = []
    for row in range(lo, hi):
        p = int(pr.program[row])
        column = prog.rank_by[p]
        mine = st.values[column][s]
        last = int(result.last_student[p])
        status = ChoiceStatus(int(statuses[row - lo]))
        reasons: tuple[str, ...] = ()
        if status == ChoiceStatus.INELIGIBLE:
            reasons = ineligible_reasons(result, row)
        elif status == ChoiceStatus.NOT_ADMITTED:
            if last < 0:
                reasons = ("该方案没有可录取的名额 (the program had no seats left to fill)",)
            else:
                cut = format_number(st.values[column][last])
                reasons = (
                    f"录取最低{column} {cut}，本人 {format_number(mine)} "
                    f"(cutoff {cut}, your {column} {format_number(mine)})",
                )
        elif status == ChoiceStatus.EARLIER_BATCH:
            reasons = ("已在前一批次被录取 (admitted in an earlier batch)",)
        elif status == ChoiceStatus.NOT_NEEDED:
            reasons = ("已被本批次更靠前的志愿录取 (admitted through an earlier choice of this batch)",)
        choices.append(
            ChoiceExplanation(
                batch=int(pr.batch[row]),
                rank=int(pr.rank[row]),
                program_id=prog.program_id[p],
                status=status,
                ineligible=Ineligible(int(result.row_ineligible[row])),
                reasons=reasons,
                rank_by=column,
                student_value=None if np.isnan(mine) else float(mine),
                cutoff_value=None if last < 0 else float(st.values[column][last]),
                cutoff_choice_rank=None if last < 0 else int(result.last_choice_rank[p]),
                cutoff_tiebreak="" if last < 0 else tiebreak_text(result, last),
            )
        )
    p_of = int(result.program_of[s])
    return StudentExplanation(
        student_id=student_id,
        program_id=None if p_of < 0 else prog.program_id[p_of],
        batch=None if p_of < 0 else int(prog.batch[p_of]),
        choice_rank=None if p_of < 0 else int(result.choice_rank_of[s]),
        choices=tuple(choices),
    )
