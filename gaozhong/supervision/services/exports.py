"""Recording an export of approved figures: data leaving the platform for provincial and national systems."""

from __future__ import annotations

from django.db import transaction

from gaozhong.core.audit import audit_record
from gaozhong.core.scoping import scope_of


@transaction.atomic
def export_record(*, actor, kind: str, fmt: str, rows: int) -> None:
    """One audit row for an export the actor downloaded (the rows were read through the scoping layer)."""
    scope = scope_of(actor)
    audit_record(actor=actor, action=f"supervision.{kind}.exported", object_type=f"export.supervision.{kind}", object_repr=f"{kind}.{fmt}",
                 county_id=scope.county_id, school_id=scope.school_id, after={"rows": rows, "format": fmt})
