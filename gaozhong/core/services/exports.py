"""Exports that carry personal identifiers: the audit row each one writes, and who may take full numbers out.

An export is masked (身份证号 and the 学籍号 that embed them as ``1405**********1234``) unless it is asked for in
full (``full=1``) by a role that may take full numbers out (:func:`gaozhong.core.scoping.may_take_full_ids`: the
bureaus and a school's 教务, for the people of their scope). Either way one audit row says who took how many
rows, masked or in full (docs/personal_data.md).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gaozhong.core.audit import audit_record
from gaozhong.core.scoping import may_take_full_ids, scope_of

__all__ = ["wants_full_ids", "personal_export_record"]


def wants_full_ids(request) -> bool:
    """``?full=1`` on an export: full numbers, refused (403) to a role that may not take them out."""
    if request.GET.get("full") != "1":
        return False
    if not may_take_full_ids(request.user):
        raise PermissionDenied("当前角色不能导出完整的身份证号或学籍号 (your role may not export full ID numbers)")
    return True


@transaction.atomic
def personal_export_record(*, actor, action: str, object_type: str, filename: str, rows: int, full: bool,
                           county_id: int | None = None, school_id: int | None = None) -> None:
    """One audit row for an export of personal data (the rows left the platform: who, what, masked or full)."""
    if full and not may_take_full_ids(actor):
        raise PermissionDenied("当前角色不能导出完整的身份证号或学籍号 (your role may not export full ID numbers)")
    scope = scope_of(actor)
    audit_record(actor=actor, action=action, object_type=object_type, object_repr=filename,
                 county_id=county_id if county_id is not None else scope.county_id,
                 school_id=school_id if school_id is not None else scope.school_id,
                 after={"rows": rows, "id_numbers": "full" if full else "masked"})
