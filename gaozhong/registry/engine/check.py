"""Run the five detectors and assemble OUT.csv: the registry check from a directory or from frames.

:func:`check_frames` is what the web app calls with frames built from its database; :func:`check_directory`
reads, validates and checks the five files of issue 10 §2. Row order is deterministic: kind in the order of
:data:`KINDS`, then student_id, school_id and evidence, each by Unicode code point.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from gaozhong.common.errors import InputError, Problem

from .bulk import detect_bulk_transfers
from .csvtable import Table, read_table
from .duplicates import detect_duplicates
from .encode import Encoded, encode
from .ghosts import detect_ghosts
from .invalid_ids import detect_invalid_ids
from .mismatch import detect_mismatch
from .model import KINDS, OUTPUT_COLUMNS, CheckParams, CheckResult, RegistryInputs, Terms
from .terms import read_terms
from .validate import REQUIRED, validate_encoded, validate_tables

__all__ = ["check_frames", "check_directory", "load_directory", "detect_all"]

_PART = {"kind": pl.String, "sid": pl.UInt32, "school_id": pl.String, "evidence": pl.String}


def detect_all(enc: Encoded, terms: Terms, params: CheckParams) -> CheckResult:
    """Every anomaly of validated, coded inputs, in the documented order."""
    parts = [
        detect_duplicates(enc),
        detect_ghosts(enc, terms),
        detect_mismatch(enc, terms),
        detect_bulk_transfers(enc, params),
        detect_invalid_ids(enc, params.today),
    ]
    found = pl.concat([p.select(pl.col(c).cast(t) for c, t in _PART.items()) for p in parts])
    frame = (
        found.with_columns(
            enc.students["student_id"].gather(found["sid"]).alias("student_id"),
            enc.students["id_number"].gather(found["sid"]).fill_null("").alias("id_number"),
            pl.col("kind").cast(pl.Enum(KINDS)),
        )
        .sort("kind", "student_id", "school_id", "evidence")
        .select(pl.col("kind").cast(pl.String), *OUTPUT_COLUMNS[1:])
    )
    return CheckResult(frame=frame, params=params)


def check_frames(inputs: RegistryInputs, params: CheckParams | None = None) -> CheckResult:
    """All anomalies of typed inputs (see :class:`RegistryInputs`); nothing is read or written.

    The inputs must satisfy the rules of :mod:`.validate` (unique student_id, known statuses, every student of
    attendance, exams and transfers in the registry …): :func:`validate_tables` checks uploaded tables, and
    the web app's database enforces the same rules. A student missing from the registry raises ValueError.
    """
    enc = encode(
        inputs.registry.with_columns(pl.col("id_number").fill_null("")),
        inputs.attendance,
        inputs.exams,
        inputs.transfers,
    )
    for label, frame in (("attendance", enc.attendance), ("exams", enc.exams), ("transfers", enc.transfers)):
        missing = frame["sid"].null_count()
        if missing:
            raise ValueError(f"{missing} rows of {label} name a student_id that is not in the registry")
    return detect_all(enc, inputs.terms, params or CheckParams())


def _read(directory: str | Path) -> tuple[dict[str, Table], Terms]:
    root = Path(directory)
    if not root.is_dir():
        raise InputError([Problem(str(directory), None, None, "目录不存在 (directory not found)")])
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    for name, required in REQUIRED.items():
        try:
            tables[name] = read_table(root / name, name, required)
        except InputError as exc:
            problems.extend(exc.problems)
    terms: Terms | None = None
    try:
        terms = read_terms(root / "terms.toml")
    except InputError as exc:
        problems.extend(exc.problems)
    if problems or terms is None:
        raise InputError(problems)
    return tables, terms


def load_directory(directory: str | Path) -> RegistryInputs:
    """Read and validate the five input files in ``directory``; raises :class:`InputError` with every problem."""
    tables, terms = _read(directory)
    return validate_tables(*(tables[name] for name in REQUIRED), terms)


def check_directory(directory: str | Path, params: CheckParams | None = None) -> CheckResult:
    """Read, validate and check the five files of ``directory``."""
    tables, terms = _read(directory)
    enc = validate_encoded(*(tables[name] for name in REQUIRED))
    del tables
    return detect_all(enc, terms, params or CheckParams())
