"""The registry check's output file from the database: OUT.csv exactly as ``gaozhong registry check DIR --out``
writes it (columns, row order, quoting and bytes are the engine's own, :meth:`CheckResult.to_csv`).

The platform-only kind ``enrolled_without_admission`` is not an engine kind and is left out; the worklist
shows it.
"""

from __future__ import annotations

import polars as pl

from gaozhong.registry.engine.model import KINDS, OUTPUT_COLUMNS, CheckParams, CheckResult
from gaozhong.registry.models import RegistryAnomaly, RegistryCheck


def check_result(check: RegistryCheck, anomalies=None) -> CheckResult:
    """The check's anomalies of the engine's kinds as the engine's result (sorted as the engine sorts)."""
    qs = RegistryAnomaly.objects.filter(check_run=check) if anomalies is None else anomalies
    rows = list(qs.filter(kind__in=KINDS).values_list("kind", "student_no", "id_number", "school__code", "evidence"))
    frame = pl.DataFrame(rows, schema={c: pl.String for c in OUTPUT_COLUMNS}, orient="row")
    frame = (frame.with_columns(pl.col("kind").cast(pl.Enum(KINDS)))
             .sort("kind", "student_id", "school_id", "evidence")
             .with_columns(pl.col("kind").cast(pl.String)))
    return CheckResult(frame=frame, params=CheckParams(bulk_threshold=check.bulk_threshold, bulk_window_days=check.bulk_window_days))


def check_csv(check: RegistryCheck) -> str:
    """OUT.csv text of a recorded check (city-wide; the caller decides who may download it)."""
    return check_result(check).to_csv()
