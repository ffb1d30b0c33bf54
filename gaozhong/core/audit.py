"""Writing audit rows, and the field-level update helper services use to get before/after for them.

Services call :func:`audit_record` inside their own transaction, so a write and its audit row commit or roll
back together. Action codes are dotted strings, ``<domain>.<entity>.<verb>`` (``core.student.updated``).
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from .models import AuditEvent, County, School


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The listed fields of ``obj`` as JSON values (foreign keys as ids)."""
    out = {}
    for name in fields:
        f = obj._meta.get_field(name)
        value = getattr(obj, f.attname)
        out[name] = _jsonable(value)
    return out


def _place_of(obj: models.Model | None) -> tuple[int | None, int | None]:
    """(county_id, school_id) of an object, for scoping audit rows."""
    if obj is None:
        return None, None
    if isinstance(obj, County):
        return obj.pk, None
    if isinstance(obj, School):
        return obj.county_id, obj.pk
    school = getattr(obj, "school", None)
    if isinstance(school, School):
        return school.county_id, school.pk
    county_id = getattr(obj, "county_id", None)
    return county_id, None


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    county_id: int | None = None,
    school_id: int | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one audit row. Call it inside the service's transaction."""
    c, s = _place_of(obj)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(actor.get_username() if getattr(actor, "pk", None) else "system")[:150],
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(object_id if object_id is not None else (obj.pk if obj is not None else "")),
        object_repr=(object_repr if object_repr is not None else (str(obj) if obj is not None else ""))[:200],
        county_id=county_id if county_id is not None else c,
        school_id=school_id if school_id is not None else s,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        ip=ip,
    )


def model_update(*, instance: models.Model, fields: list[str], data: dict[str, Any]) -> tuple[bool, dict, dict]:
    """Set the listed ``fields`` from ``data``, validate, save only those; return (changed, before, after).

    ``before`` and ``after`` hold only the fields whose value changed. Nothing is saved when nothing changed.
    """
    changed_fields = []
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name in fields:
        if name not in data:
            continue
        f = instance._meta.get_field(name)
        old = getattr(instance, f.attname)
        new = data[name]
        new_raw = new.pk if isinstance(new, models.Model) else new
        if old != new_raw:
            before[name] = _jsonable(old)
            setattr(instance, name, new)
            after[name] = _jsonable(getattr(instance, f.attname))
            changed_fields.append(name)
    if not changed_fields:
        return False, {}, {}
    instance.full_clean()
    instance.save(update_fields=changed_fields)
    return True, before, after
