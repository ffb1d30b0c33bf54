"""师德 records: opening one, the bureau's decision (sanction with its period, or dismissal, or a ban), the
city-wide ban list, and the audit row written whenever a page shows records.

Rule: seed 002 §三(二) 师德师风个人档案, 师德失范行为通报警示, 全行业禁入; seed 004 §24 师德档案.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gaozhong.core.audit import audit_record
from gaozhong.core.models import Role, Teacher
from gaozhong.core.scoping import scope_of
from gaozhong.core.roles import STAFF
from gaozhong.importer.idnumber import id_number_problem

from ..models import BannedPerson, EthicsRecord
from .common import city_of, require_bureau, require_write, today


@transaction.atomic
def ethics_record_open(*, actor, teacher: Teacher, category: str, occurred_on: dt.date, summary: str, details: str = "") -> EthicsRecord:
    """Open a 师德 record for a teacher (the school's 教务 reports, the bureau investigates). It blocks
    nominations at once (Rule: seed 002 §三(二) 一票否决)."""
    require_write(actor, teacher, "该教师的师德档案")
    if occurred_on > today():
        raise ValidationError("发生日期不能晚于今天 (date is in the future)")
    rec = EthicsRecord(teacher=teacher, category=category, occurred_on=occurred_on, opened_on=today(), summary=summary.strip(), details=details.strip())
    rec.full_clean()
    rec.save()
    audit_record(actor=actor, action="people.ethics.opened", obj=rec, county_id=teacher.county_id, school_id=teacher.school_id,
                 object_repr=rec.number, after={"teacher": teacher.pk, "category": category, "occurred_on": occurred_on, "summary": rec.summary})
    return rec


@transaction.atomic
def ethics_record_decide(*, actor, record: EthicsRecord, decision: str, note: str, sanction: str = "",
                         period_start: dt.date | None = None, period_end: dt.date | None = None, ban: bool = False) -> EthicsRecord:
    """The bureau's decision on an open record: ``sanctioned`` with a sanction and the period the veto runs
    (no end: lasting), or ``dismissed`` (经查不实). ``ban`` (city bureau only) also puts the person on the
    city-wide ban list (全行业禁入, Rule: seed 002 §三(二)). A decided record is not decided again."""
    require_bureau(actor)
    require_write(actor, record, "该师德记录")
    if record.status != EthicsRecord.Status.OPEN:
        raise ValidationError("该记录已处理，不能再次处理 (already decided)")
    if ban and scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("全行业禁入须由市教育局决定 (only the city bureau bans)")
    if not note.strip():
        raise ValidationError("请填写处理意见 (a note is required)")
    if ban and BannedPerson.objects.filter(id_number=record.teacher.id_number).exists():
        raise ValidationError("此人已在禁入名单中 (already banned)")
    before = {"status": record.status}
    if decision == EthicsRecord.Status.SANCTIONED:
        if sanction not in EthicsRecord.Sanction.values:
            raise ValidationError("请选择处理方式 (choose a sanction)")
        if period_start is None:
            raise ValidationError("请填写影响期起始日期 (the period's start is required)")
        if period_end is not None and period_end < period_start:
            raise ValidationError("影响期止不能早于影响期起 (period ends before it starts)")
        record.sanction, record.period_start, record.period_end = sanction, period_start, period_end
    elif decision == EthicsRecord.Status.DISMISSED:
        if ban:
            raise ValidationError("经查不实的记录不能禁入 (a dismissed record cannot ban)")
        record.sanction, record.period_start, record.period_end = "", None, None
    else:
        raise ValidationError(f"未知处理结果 “{decision}” (unknown decision)")
    record.status, record.decided_on, record.decision_note = decision, today(), note.strip()
    record.full_clean()
    record.save()
    banned = None
    if ban:
        t = record.teacher
        banned = BannedPerson.objects.create(city=t.county.city, id_number=t.id_number, name=t.name, since=today(),
                                             reason=f"{record.number} {record.get_category_display()}：{record.summary}"[:300],
                                             record=record, county=t.county)
    audit_record(actor=actor, action="people.ethics.decided", obj=record, object_repr=record.number,
                 county_id=record.teacher.county_id, school_id=record.teacher.school_id, before=before,
                 after={"status": decision, "sanction": record.sanction, "period_start": record.period_start,
                        "period_end": record.period_end, "banned": banned.pk if banned else None})
    return record


@transaction.atomic
def ban_add(*, actor, id_number: str, name: str, since: dt.date, reason: str) -> BannedPerson:
    """Put a person on the city-wide ban list (全行业禁入) by 身份证号, e.g. a person banned before the platform
    or by another authority. City bureau only (Rule: seed 002 §三(二))."""
    if scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("全行业禁入须由市教育局决定 (only the city bureau bans)")
    id_number = id_number.strip()  # judged as written: a lower-case x is refused (GB 11643 writes X)
    problem = id_number_problem(id_number)
    if problem:
        raise ValidationError(f"身份证号有误：{problem}")
    if BannedPerson.objects.filter(id_number=id_number).exists():
        raise ValidationError("此人已在禁入名单中 (already banned)")
    if not reason.strip() or not name.strip():
        raise ValidationError("请填写姓名和禁入事由 (name and reason are required)")
    b = BannedPerson.objects.create(city=city_of(actor), id_number=id_number, name=name.strip(), since=since, reason=reason.strip())
    audit_record(actor=actor, action="people.ban.added", obj=b, object_repr=str(b), after={"id_number": b.id_number_masked, "since": since})
    return b


@transaction.atomic
def ethics_viewed(*, actor, records: Sequence[EthicsRecord], page: str) -> None:
    """One audit row for a page that showed 师德 records (every view is recorded; none when none is shown).
    The caller has fetched ``records`` through the scoping layer."""
    if scope_of(actor).role not in STAFF:
        raise PermissionDenied("当前角色无权查看师德记录 (your role may not see 师德 records)")
    records = list(records)
    if not records:
        return
    one = records[0] if len(records) == 1 else None
    teacher = records[0].teacher
    audit_record(
        actor=actor, action="people.ethics.viewed", object_type="people.EthicsRecord",
        object_id=one.pk if one else "", object_repr=one.number if one else f"{len(records)} 条师德记录",
        county_id=teacher.county_id if one else scope_of(actor).county_id,
        school_id=teacher.school_id if one else scope_of(actor).school_id,
        after={"page": page, "ids": [r.pk for r in records]},
    )


@transaction.atomic
def bans_viewed(*, actor, bans: Sequence[BannedPerson]) -> None:
    """One audit row for a page that showed entries of the ban list (city bureau only)."""
    if scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("禁入名单仅市教育局可查看 (city bureau only)")
    bans = list(bans)
    if bans:
        audit_record(actor=actor, action="people.ban.viewed", object_type="people.BannedPerson", object_id="",
                     object_repr=f"{len(bans)} 条禁入记录", after={"ids": [b.pk for b in bans]})
