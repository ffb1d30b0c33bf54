"""Write a run's output files exactly as the command-line contract (docs/admissions.md) fixes them.

results.csv: ``student_id,program_id,batch,choice_rank``, one row per student in students.csv order (empty
program_id, batch and choice_rank for a student without a seat). cutoffs.csv:
``program_id,capacity,admitted,cutoff_score,last_choice_rank,last_tiebreak``, one row per program in
programs.csv order. Numbers print as the shortest exact decimal (612, 612.5); lines end with ``\\n``; a cell is
quoted only if it holds a comma, a quote or a line break.

A case with schools.csv also gets general_vocational.csv and fill_rates.csv; a 补录 case (supplementary/) gets
results.csv and cutoffs.csv with the round marked, and fill_rates.csv (:func:`run_outputs`).
"""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl

from .run import run_admission
from .stage import (
    FILL_RATES_HEADER, GENERAL_VOCATIONAL_HEADER, PUBLICITY_HEADER, fill_rate_rows, general_vocational_rows,
    publicity_rows,
)
from .supplementary import SupplementaryResult, run_supplementary
from .types import AdmissionCase, AdmissionResult
from .values import format_number

__all__ = [
    "RESULTS_HEADER", "CUTOFFS_HEADER", "results_csv", "cutoffs_csv", "cutoff_rows", "csv_bytes",
    "supplementary_results_csv", "supplementary_cutoffs_csv", "run_outputs", "publicity_outputs",
]

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
    values = case.students.values
    texts: dict[float, str] = {}  # scores repeat: each number is formatted once

    def text(x: float) -> str:
        t = texts.get(x)
        if t is None:
            t = texts[x] = format_number(x)
        return t

    tiebreak = [(c, values[c]) for c in case.policy.tiebreak]
    last = result.last_student.tolist()
    capacity = result.capacity.tolist()
    admitted = result.admitted.tolist()
    last_rank = result.last_choice_rank.tolist()
    rows = []
    for p, s in enumerate(last):
        if s >= 0:
            value = text(float(values[prog.rank_by[p]][s]))
            rank = str(last_rank[p])
            tb = ";".join(f"{c}={text(float(v[s]))}" for c, v in tiebreak)
        else:
            value = rank = tb = ""
        rows.append([prog.program_id[p], str(capacity[p]), str(admitted[p]), value, rank, tb])
    return rows


def cutoffs_csv(result: AdmissionResult) -> bytes:
    """cutoffs.csv as UTF-8 bytes."""
    return csv_bytes(CUTOFFS_HEADER, cutoff_rows(result))


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """A CSV file as the contract writes them: UTF-8, ``\\n`` line ends, quotes only where needed."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


SUPPLEMENTARY_RESULTS_HEADER = [*RESULTS_HEADER, "round"]
SUPPLEMENTARY_CUTOFFS_HEADER = ["round", *CUTOFFS_HEADER]


def supplementary_results_csv(sres: SupplementaryResult) -> bytes:
    """results.csv of a 补录 run: every student's final seat and the round it was won in (1 = the first-round
    admission stands, 2 = 补录; empty = no seat)."""
    case = sres.case
    final = sres.final_program().astype(np.int64)
    rank = sres.final_choice_rank()
    rnd = sres.round_of()
    got = final >= 0
    idx = pl.Series("i", final).to_frame().select(pl.when(pl.col("i") >= 0).then(pl.col("i"))).to_series()
    batch = np.where(got, case.programs.batch[np.maximum(final, 0)], 0)
    frame = pl.DataFrame(
        {
            "student_id": case.students.student_id,
            "program_id": pl.Series(case.programs.program_id, dtype=pl.String).gather(idx),
            "batch": pl.Series(batch).set(pl.Series(~got), None),
            "choice_rank": pl.Series(np.where(got, rank, 0)).set(pl.Series(~got), None),
            "round": pl.Series(rnd.astype(np.int64)).set(pl.Series(~got), None),
        }
    )
    return frame.write_csv(line_terminator="\n").encode("utf-8")


def supplementary_cutoffs_csv(sres: SupplementaryResult) -> bytes:
    """cutoffs.csv of a 补录 run: the first round's rows (round 1), then the 补录 round's (round 2, capacity =
    the seats offered), programs in programs.csv order in each."""
    rows = [["1", *r] for r in cutoff_rows(sres.first)] + [["2", *r] for r in cutoff_rows(sres.second)]
    return csv_bytes(SUPPLEMENTARY_CUTOFFS_HEADER, rows)


def run_outputs(case: AdmissionCase) -> tuple[dict[str, bytes], AdmissionResult | SupplementaryResult]:
    """Every output file of ``gaozhong admissions run`` for the case, and the result they come from.

    A case in the format of before issue 17 (no schools.csv, no supplementary/) gives results.csv and
    cutoffs.csv only, byte for byte as before."""
    if case.supplementary is not None:
        sres = run_supplementary(case)
        with ThreadPoolExecutor(max_workers=1) as pool:  # as below
            results = pool.submit(supplementary_results_csv, sres)
            cutoffs = supplementary_cutoffs_csv(sres)
            final = sres.final_program()
            extra = {"fill_rates.csv": csv_bytes(FILL_RATES_HEADER, fill_rate_rows(case, sres.first.program_of, final))}
            if case.schools is not None:
                extra["general_vocational.csv"] = csv_bytes(GENERAL_VOCATIONAL_HEADER, general_vocational_rows(case, final))
            files = {"results.csv": results.result(), "cutoffs.csv": cutoffs, **extra}
        return files, sres
    result = run_admission(case)
    # results.csv (Polars, which releases the GIL) is written in a second thread while the others are built.
    with ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(results_csv, result)
        cutoffs = cutoffs_csv(result)
        extra = {}
        if case.schools is not None:
            extra["general_vocational.csv"] = csv_bytes(GENERAL_VOCATIONAL_HEADER, general_vocational_rows(case, result.program_of))
            extra["fill_rates.csv"] = csv_bytes(FILL_RATES_HEADER, fill_rate_rows(case, result.program_of, result.program_of))
        files = {"results.csv": results.result(), "cutoffs.csv": cutoffs, **extra}
    return files, result


def publicity_outputs(case: AdmissionCase) -> dict[str, bytes]:
    """The files of ``gaozhong admissions publicity``, before the run: publicity.csv (特长生 公示) and, with
    schools.csv, general_vocational.csv from the plans alone."""
    files = {"publicity.csv": csv_bytes(PUBLICITY_HEADER, publicity_rows(case))}
    if case.schools is not None:
        files["general_vocational.csv"] = csv_bytes(GENERAL_VOCATIONAL_HEADER, general_vocational_rows(case, None))
    return files
