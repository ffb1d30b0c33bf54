"""Helpers the people services share: who may do what, refusals that carry a reason, the place of a teacher
for audit rows, and the platform's date for reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gaozhong.core.models import City, County, Teacher
from gaozhong.core.scoping import can_write, scope_of
from gaozhong.core.roles import BUREAU, STAFF

from ..models import HireCheck

BUREAU_ROLES = BUREAU
ADMIN_ROLES = STAFF


class Refused(PermissionDenied):
    """A write the rules refuse, with the reason to show and the records that caused it."""

    def __init__(self, reason: str, records: Sequence = ()):
        super().__init__(reason)
        self.reason = reason
        self.records = list(records)

    def __str__(self) -> str:
        return self.reason


def require_write(actor, obj, what: str = "此记录") -> None:
    """403 unless ``actor`` is an admin of ``obj``'s place (teachers, students and parents never write)."""
    if not can_write(actor, obj):
        raise PermissionDenied(f"无权修改{what} (you may not change this record)")


def require_bureau(actor) -> None:
    """Decisions of the education bureau (city or county) only."""
    if scope_of(actor).role not in BUREAU_ROLES:
        raise PermissionDenied("此操作须由市、县(区)教育局办理 (only the education bureau may do this)")


def place_of(teacher: Teacher) -> dict:
    """county_id and school_id of a teacher, for audit rows."""
    return {"county_id": teacher.county_id, "school_id": teacher.school_id}


def today() -> dt.date:
    return timezone.localdate()


def city_of(actor) -> City:
    """The city whose catalogue (courses, ban list) the actor writes to."""
    scope = scope_of(actor)
    if scope.county_id:
        return County.objects.select_related("city").get(pk=scope.county_id).city
    city = City.objects.order_by("pk").first()
    if city is None:
        raise PermissionDenied("尚未建立城市 (no city set up)")
    return city


def is_active(teacher: Teacher) -> bool:
    """A teacher is active unless a pre-hire check (准入查询) of theirs is not yet cleared (seed 004 §24)."""
    return not HireCheck.objects.filter(teacher=teacher).exclude(status=HireCheck.Status.CLEARED).exists()


def require_active(teacher: Teacher) -> None:
    if not is_active(teacher):
        raise Refused(f"{teacher.name} 的准入查询尚未通过，暂不能办理 (pre-hire check not cleared; the teacher is inactive)")
