"""Who may do what in the electives app, and the refusal that carries its reasons to the page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from gaozhong.core.scoping import can_write, scope_of
from gaozhong.core.roles import STAFF

STAFF_ROLES = STAFF


class Refused(Exception):
    """A write the rules refuse; ``reasons`` are shown on the page as they are."""

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        super().__init__("；".join(self.reasons))


def require_staff_write(actor, obj, what: str = "此记录") -> None:
    """403 unless ``actor`` is staff (city, county, school 教务) of ``obj``'s place."""
    if scope_of(actor).role not in STAFF_ROLES or not can_write(actor, obj):
        raise PermissionDenied(f"无权修改{what} (you may not change this)")


def place(window) -> dict:
    return {"county_id": window.school.county_id, "school_id": window.school_id}
