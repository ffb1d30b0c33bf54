"""学籍 integrity engine: finds the five anomaly kinds of issue 10 §2 in a registry and its records.

No Django and no printing: typed inputs in, a :class:`CheckResult` out. From files::

    result = check_directory("cases/city", CheckParams(bulk_threshold=10, bulk_window_days=30))
    Path("out.csv").write_text(result.to_csv())

From the web app's own data: build the frames of :class:`RegistryInputs` (schemas in :mod:`.model`) and
call :func:`check_frames`. Uploaded text tables go through :func:`validate_tables` first. The rules are
documented in each detector module and in ``docs/registry.md``.
"""

from .check import check_directory, check_frames, load_directory
from .csvtable import frame_table, read_table
from .idnumber import check_character, id_number_problems
from .model import (
    ATTENDANCE_SCHEMA,
    EXAMS_SCHEMA,
    KINDS,
    OUTPUT_COLUMNS,
    REGISTRY_SCHEMA,
    STATUSES,
    TRANSFERS_SCHEMA,
    Anomaly,
    CheckParams,
    CheckResult,
    RegistryInputs,
    Terms,
)
from .terms import parse_terms, read_terms
from .validate import REQUIRED, validate_tables

__all__ = [
    "ATTENDANCE_SCHEMA",
    "EXAMS_SCHEMA",
    "REGISTRY_SCHEMA",
    "TRANSFERS_SCHEMA",
    "KINDS",
    "OUTPUT_COLUMNS",
    "STATUSES",
    "REQUIRED",
    "Anomaly",
    "CheckParams",
    "CheckResult",
    "RegistryInputs",
    "Terms",
    "check_character",
    "check_directory",
    "check_frames",
    "frame_table",
    "id_number_problems",
    "load_directory",
    "parse_terms",
    "read_table",
    "read_terms",
    "validate_tables",
]
