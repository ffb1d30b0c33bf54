"""Loading the catalog file into the database, the city admin's revisions of an indicator, and the
deployment's choice of the policy documents that bind it (adoption).

Both keep history: an indicator is never changed in place. Loading a changed file, or revising on the web
page, adds a version that applies from a chosen school year on; reports of earlier years keep using the
version that was in force then.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gaozhong.core.audit import audit_record
from gaozhong.core.models import County, Role, School
from gaozhong.core.scoping import scope_of

from ..engine.catalog import Catalog, load_catalog, scope_level, split_clause
from ..models import Adoption, DataElement, Indicator, IndicatorVersion, PolicyDocument

FIRST_YEAR = 2000  # the first load of an indicator applies to every year on record

EDITABLE = ["name_zh", "name_en", "source_clause", "unit", "direction", "target", "deadline", "applies_to", "definition"]


@dataclass
class SyncResult:
    catalog_version: str
    elements_created: int = 0
    elements_updated: int = 0
    indicators_created: int = 0
    versions_added: int = 0
    unchanged: int = 0


def _require_city(actor) -> None:
    if actor is not None and scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("只有市教育局可以修改督导指标目录 (only the city bureau changes the catalog)")


@transaction.atomic
def catalog_sync(*, actor, effective_from: int, catalog: Catalog | None = None) -> SyncResult:
    """Load the catalog file: create missing elements and indicators, update element texts, and add a version,
    effective from ``effective_from``, to each indicator whose definition in the file differs from its latest
    version. ``actor`` None is the system (demo build, command line)."""
    _require_city(actor)
    cat = catalog or load_catalog()
    res = SyncResult(cat.version)
    for d in cat.documents.values():
        PolicyDocument.objects.update_or_create(code=d.code, defaults={
            "short_title": d.short_title, "title": d.title, "number": d.number, "issuer": d.issuer, "level": d.level,
            "jurisdiction": d.jurisdiction, "date": d.date, "schools": list(d.schools)})
    elements = {e.code: e for e in DataElement.objects.all()}
    for order, e in enumerate(cat.elements.values()):
        fields = {"name_zh": e.name_zh, "name_en": e.name_en, "level": e.level, "source": e.source, "value_type": e.value_type,
                  "unit": e.unit, "definition": e.definition, "order": order}
        obj = elements.get(e.code)
        if obj is None:
            elements[e.code] = DataElement.objects.create(code=e.code, **fields)
            res.elements_created += 1
        elif any(getattr(obj, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(obj, k, v)
            obj.save()
            res.elements_updated += 1
    indicators = {i.code: i for i in Indicator.objects.prefetch_related("versions__numerator", "versions__denominator")}
    changed = []
    for order, d in enumerate(cat.indicators.values()):
        ind = indicators.get(d.code)
        if ind is None:
            ind = Indicator.objects.create(code=d.code, order=order)
            res.indicators_created += 1
            latest, start, number = None, FIRST_YEAR, 1
        else:
            if ind.order != order:
                ind.order = order
                ind.save(update_fields=["order"])
            latest = max(ind.versions.all(), key=lambda v: v.version, default=None)
            start, number = effective_from, (latest.version + 1 if latest else 1)
        if latest is not None and latest.content() == d.content():
            res.unchanged += 1
            continue
        IndicatorVersion.objects.create(
            indicator=ind, version=number, effective_from=start, name_zh=d.name_zh, name_en=d.name_en, source_clause=d.source_clause,
            scope=d.scope, numerator=elements[d.numerator], denominator=elements[d.denominator] if d.denominator else None,
            factor=Decimal(str(d.factor)), unit=d.unit, direction=d.direction, target=None if d.target is None else Decimal(str(d.target)),
            deadline=d.deadline, applies_to=d.applies_to, definition=d.definition, aggregate=d.aggregate, kind=d.kind,
            named_school=d.school, catalog_version=cat.version,
            note=f"目录文件 {cat.version}", created_by=actor,
        )
        res.versions_added += 1
        changed.append(d.code)
    if res.elements_created or res.elements_updated or res.versions_added:
        audit_record(actor=actor, action="supervision.catalog.loaded", object_type="supervision.catalog", object_id=cat.version,
                     object_repr=f"督导指标目录 {cat.version}",
                     after={"elements_created": res.elements_created, "elements_updated": res.elements_updated,
                            "indicators_created": res.indicators_created, "versions_added": changed, "effective_from": effective_from})
    return res


@transaction.atomic
def indicator_revise(*, actor, indicator: Indicator, data: dict[str, Any], effective_from: int, note: str) -> IndicatorVersion | None:
    """Add a version of ``indicator`` with the changed fields of ``data``, applying from school year
    ``effective_from``; the earlier versions stay as they were. Returns None when nothing changed."""
    if actor is None:
        raise PermissionDenied("修订指标须由市教育局账号操作 (a city admin account is needed)")
    _require_city(actor)
    if not note.strip():
        raise ValidationError("请填写修订说明 (say why the indicator changes)")
    latest = max(indicator.versions.all(), key=lambda v: v.version)
    values = {k: getattr(latest, k) for k in EDITABLE}
    for k in EDITABLE:
        if k in data:
            values[k] = data[k]
    if values["target"] is not None:
        values["target"] = Decimal(str(values["target"]))
    parts = split_clause(str(values["source_clause"]))
    if parts is None or not PolicyDocument.objects.filter(code=parts[0]).exists():
        raise ValidationError("依据条款须为“文件代码 §条款”，且文件已登记，如 002 §三(七) (the clause must name a listed document)")
    if values["direction"] not in IndicatorVersion.Direction.values:
        raise ValidationError("方向无效 (bad direction)")
    if values["applies_to"] not in IndicatorVersion.AppliesTo.values:
        raise ValidationError("适用学校无效 (bad applies_to)")
    if values["applies_to"] != "all" and scope_level(latest.scope) != "school":
        raise ValidationError("“适用学校”只能用于班级或学校指标 (applies_to is for class and school indicators)")
    if values["direction"] == "drop" and (values["target"] is None or values["target"] <= 0):
        raise ValidationError("“每年下降”须给出正数幅度 (a drop target must be positive)")
    before = {k: getattr(latest, k) for k in EDITABLE}
    if all(before[k] == values[k] for k in EDITABLE):
        return None
    version = IndicatorVersion.objects.create(
        indicator=indicator, version=latest.version + 1, effective_from=effective_from, scope=latest.scope,
        numerator=latest.numerator, denominator=latest.denominator, factor=latest.factor, catalog_version=latest.catalog_version,
        kind=latest.kind, named_school=latest.named_school,
        note=note.strip()[:200], created_by=actor, **values,
    )
    diff_before = {k: before[k] for k in EDITABLE if before[k] != values[k]}
    diff_after = {k: values[k] for k in diff_before}
    audit_record(actor=actor, action="supervision.indicator.revised", obj=version, object_repr=f"{indicator.code} v{version.version}",
                 before=diff_before, after={**diff_after, "effective_from": effective_from, "note": version.note})
    return version


@transaction.atomic
def document_adopt(*, actor, document: PolicyDocument, county: County | None = None, schools: dict[str, str] | None = None,
                   note: str = "") -> Adoption:
    """The deployment adopts ``document``: its targets are judged from now on, for the units it governs.

    A city document binds the whole city (no county); a county document binds one county, and a school the
    document names is bound to a senior high school of that county by its code (a named school left unbound has
    its targets judged nowhere). Adopting again replaces the earlier adoption (one audit row with before and
    after)."""
    _require_city(actor)
    schools = {k.strip(): v.strip() for k, v in (schools or {}).items() if v and v.strip()}
    if document.level == PolicyDocument.Level.CITY and county is not None:
        raise ValidationError(f"{document.short_title}是市级文件，适用于全市，不能只指定一个县(区) (a city document binds the city)")
    if document.level == PolicyDocument.Level.COUNTY and county is None:
        raise ValidationError(f"{document.short_title}是县级文件，须指定适用的县(区) (a county document needs its county)")
    unknown = sorted(set(schools) - set(document.schools))
    if unknown:
        raise ValidationError(f"文件未点名这些学校：{'、'.join(unknown)} (the document does not name them)")
    for name, code in schools.items():
        s = School.objects.filter(code=code, level=School.Level.SENIOR).first()
        if s is None:
            raise ValidationError(f"学校代码“{code}”（{name}）不是本市普通高中 (unknown school code)")
        if county is not None and s.county_id != county.pk:
            raise ValidationError(f"学校“{s.name}”不属于{county.name}，县级文件只管本县学校 (a school outside the county)")
    old = Adoption.objects.filter(document=document).first()
    before = None if old is None else {"county": old.county.code if old.county_id else None, "schools": old.schools, "note": old.note}
    if old is not None:
        old.delete()
    a = Adoption.objects.create(document=document, county=county, schools=schools, note=note.strip()[:200], adopted_by=actor)
    audit_record(actor=actor, action="supervision.document.adopted", obj=a, object_repr=str(a), county_id=a.county_id, before=before,
                 after={"document": document.code, "county": county.code if county else None, "schools": schools, "note": a.note})
    return a


@transaction.atomic
def document_withdraw(*, actor, document: PolicyDocument, note: str) -> None:
    """The deployment stops judging ``document``'s targets (the adoption is removed, the audit keeps it)."""
    _require_city(actor)
    if not note.strip():
        raise ValidationError("请写明不再采用的理由 (say why)")
    a = Adoption.objects.filter(document=document).first()
    if a is None:
        raise ValidationError("该文件未被采用 (the document is not adopted)")
    before = {"document": document.code, "county": a.county.code if a.county_id else None, "schools": a.schools}
    audit_record(actor=actor, action="supervision.document.withdrawn", obj=a, object_repr=str(a), county_id=a.county_id, before=before,
                 after={"note": note.strip()[:200]})
    a.delete()
