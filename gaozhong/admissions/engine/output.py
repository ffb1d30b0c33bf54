"""Write a run's results.csv and cutoffs.csv exactly as the command-line contract fixes them.

results.csv: ``student_id,program_id,batch,choice_rank``, one row per student in students.csv order (empty
program_id, batch and choice_rank for a student without a seat). cutoffs.csv:
``program_id,capacity,admitted,cutoff_score,last_choice_rank,last_tiebreak``, one row per program in
programs.csv order. Numbers print as the shortest exact decimal (612, 612.5); lines end with ``\\n``; a cell is
quoted only if it holds a comma, a quote or a line break.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import polars as pl

from .types import AdmissionResult
from .values import format_number

__all__ = ["RESULTS_HEADER", "CUTOFFS_HEADER", "results_csv", "cutoffs_csv", "cutoff_rows"]

RESULTS_HEADER = ["student_id", "program_id", "batch", "choice_rank"]
CUTOFFS_HEADER = ["program_id", "capacity", "admitted", "cutoff_score", "last_choice_rank", "last_tiebreak"]


def results_csv(result: AdmissionResult) -> bytes:
    """results.csv as UTF-8 bytes."""
    case = result.case
    program_of = result.program_of.astype(np.int64)
    got = program_of >= 0
    idx = pl.Series("i", program_of).to_frame().select(pl.when(pl.col("i") >= 0).then(pl.col("i"))).to_series()
    batch = result.batch_of()
    frame = pl.DataFrame(
        {
            "student_id": case.students.student_id,
            "program_id": pl.Series(case.programs.program_id, dtype=pl.String).gather(idx),
            "batch": pl.Series(np.where(got, batch, 0)).set(pl.Series(~got), None),
            "choice_rank": pl.Series(np.where(got, result.choice_rank_of, 0)).set(pl.Series(~got), None),
        }
    )
    return frame.write_csv(line_terminator="\n").encode("utf-8")


def tiebreak_text(result: AdmissionResult, student: int) -> str:
    """A student's tie-break values in policy order, like ``cme=281;math=118``."""
    values = result.case.students.values
    return ";".join(f"{c}={format_number(values[c][student])}" for c in result.case.policy.tiebreak)


def cutoff_rows(result: AdmissionResult) -> list[list[str]]:
    """The rows of cutoffs.csv (without the header), programs in programs.csv order."""
    case = result.case
    prog = case.programs
    rows = []
    for p in range(len(prog)):
        s = int(result.last_student[p])
        if s >= 0:
            value = format_number(case.students.values[prog.rank_by[p]][s])
            rank = str(int(result.last_choice_rank[p]))
            tb = tiebreak_text(result, s)
        else:
            value = rank = tb = ""
        rows.append([prog.program_id[p], str(int(result.capacity[p])), str(int(result.admitted[p])), value, rank, tb])
    return rows


def cutoffs_csv(result: AdmissionResult) -> bytes:
    """cutoffs.csv as UTF-8 bytes."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CUTOFFS_HEADER)
    w.writerows(cutoff_rows(result))
    return buf.getvalue().encode("utf-8")
