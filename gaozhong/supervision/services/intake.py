"""Reported data: importing a base form, then submit → county review → city approval, each audited.

An import is all or nothing. The importer checks every cell; this module then checks each row's unit (exists,
is the actor's to report for, has no submission waiting for review this period) and runs the catalog's
validation rules against the row's values and the unit's computed ones (students, classes, teachers): a
violation, including a value that moved more than 30% from the last approved period without a 变动说明, is a
problem with its row and column, and the file is refused. A file without problems becomes one draft
submission per row. An approved submission is never edited; a new import and its approval replace it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaozhong.common.errors import InputError, Problem
from gaozhong.core.audit import audit_record
from gaozhong.core.models import City, County, Role, School, SchoolYear
from gaozhong.core.scoping import can_write, scope_of, visible
from gaozhong.core.roles import BUREAU, STAFF
from gaozhong.importer.readers import read_table

from ..engine.catalog import ElementDef, RuleDef, load_catalog
from ..engine.rules import change_percent, check_rules
from ..importspecs import COMMENT_KEY, intake_spec
from ..models import DataElement, Submission, SubmissionValue
from ..selectors import city_unit, computed_for, county_unit, platform_county_elements, platform_school_elements, school_unit
from .ledger import rectifications_verify

Progress = Callable[[float, str], None]

# Who may import which form (Rule: the "schools and counties report the data elements each term").
IMPORT_ROLES = {
    "school": STAFF,
    "county": BUREAU,
    "city": {Role.CITY_ADMIN},
}
WRITE_ROLES = STAFF


@dataclass
class IntakeOutcome:
    level: str
    filename: str
    rows: int = 0
    created: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def may_import(user, level: str) -> bool:
    return scope_of(user).role in IMPORT_ROLES.get(level, set())


def _catalog_defs() -> tuple[dict[str, ElementDef], tuple[RuleDef, ...]]:
    cat = load_catalog()
    elements = {e.code: ElementDef(e.code, e.name_zh, e.name_en, e.level, e.source, e.value_type, e.unit, e.definition)
                for e in DataElement.objects.all()}
    rules = tuple(r for r in cat.rules if r.kind == "change" or all(n in elements for n in (r.left, *r.right)))
    return elements, rules


def _units(actor, level: str) -> tuple[dict[str, object], set[str]]:
    """(code -> unit the actor may report for, every code that exists) for one form level."""
    if level == "school":
        mine = {s.code: s for s in visible(School, actor).filter(level=School.Level.SENIOR)}
        return mine, set(School.objects.values_list("code", flat=True))
    if level == "county":
        mine = {c.code: c for c in visible(County, actor)} if scope_of(actor).role in BUREAU else {}
        return mine, set(County.objects.values_list("code", flat=True))
    mine = {c.code: c for c in City.objects.all()} if scope_of(actor).role == Role.CITY_ADMIN else {}
    return mine, set(City.objects.values_list("code", flat=True))


def _unit_filter(level: str, unit) -> dict:
    if level == "school":
        return {"level": level, "school": unit}
    if level == "county":
        return {"level": level, "county": unit, "school": None}
    return {"level": level, "county": None, "school": None}


def last_approved(level: str, unit, year: SchoolYear, term: int) -> Submission | None:
    """The unit's latest approved submission of a period before (year, term)."""
    qs = Submission.objects.filter(status=Submission.Status.APPROVED, **_unit_filter(level, unit)).select_related("school_year")
    earlier = [s for s in qs if (s.school_year.start_year, s.term) < (year.start_year, term)]
    return max(earlier, key=lambda s: (s.school_year.start_year, s.term, s.pk), default=None)


def submissions_import(*, actor, level: str, school_year: SchoolYear, term: int, data: bytes, filename: str,
                       progress: Progress | None = None) -> IntakeOutcome:
    """Check a base form and, if it has no problem, create one draft submission per row (one audit row)."""
    if level not in IMPORT_ROLES:
        raise ValueError(f"unknown form level {level!r}")
    if not may_import(actor, level):
        raise PermissionDenied("当前角色不能导入此基表 (your role may not import this form)")
    if term not in Submission.Term.values:
        raise ValueError("term must be 1 or 2")
    report = progress or (lambda pct, phase: None)
    outcome = IntakeOutcome(level, filename)
    spec = intake_spec(level)
    report(5, "读取并检查文件 (reading and checking the file)")
    try:
        table = read_table(data, spec, name=filename)
    except InputError as exc:
        outcome.problems = exc.problems
        return outcome
    outcome.rows = len(table.rows)
    report(40, f"检查 {len(table.rows)} 行的单位与校验规则 (checking units and validation rules)")
    mine, all_codes = _units(actor, level)
    elements, rules = _catalog_defs()
    reported = [e for e in DataElement.objects.filter(source=DataElement.Source.REPORTED, level=level).order_by("order")]
    pending_states = (Submission.Status.SUBMITTED, Submission.Status.REVIEWED)
    plan = []
    problems: list[Problem] = []
    # Figures another domain of the platform already holds (admission plans, people records) are not typed in again:
    # a reported value must agree with them.
    held = (platform_school_elements([school_year.start_year]) if level == "school"
            else platform_county_elements([school_year.start_year]) if level == "county" else {})
    for row in table.rows:
        code = row["unit_code"]
        unit = mine.get(code)
        if unit is None:
            why = "不在您的管辖范围内 (not a unit you report for)" if code in all_codes else "不存在 (no such unit)"
            problems.append(table.problem(row.line, "unit_code", f"单位代码 “{code}” {why}"))
            continue
        waiting = Submission.objects.filter(school_year=school_year, term=term, status__in=pending_states, **_unit_filter(level, unit)).first()
        if waiting is not None:
            problems.append(table.problem(row.line, "unit_code", f"{_name(unit)} 本期已有待审核的报送（编号 {waiting.pk}），须先审核完成或退回 (a submission of this period is awaiting review)"))
            continue
        values = {e.code: (1.0 if row[e.code] else 0.0) if e.value_type == "boolean" else float(row[e.code]) for e in reported}
        for key, platform_value in held.get((unit.pk, school_year.start_year), {}).items():
            if key in values and values[key] != platform_value:
                problems.append(table.problem(row.line, key, f"平台已有该数据：{platform_value:g}（来自招生录取或教师档案），填报值 {values[key]:g} 与之不符 "
                                                             f"(the platform already holds {platform_value:g} for this figure)"))
        computed = computed_for(level, getattr(unit, "pk", None), school_year.start_year)
        prev_sub = last_approved(level, unit, school_year, term)
        previous = {v.element.code: float(v.value) for v in prev_sub.values.select_related("element")} if prev_sub else {}
        comment = row[COMMENT_KEY] or ""
        for v in check_rules(rules, elements, level=level, values={**computed, **values}, previous=previous, comment=comment):
            problems.append(table.problem(row.line, v.element, f"[{v.rule}] {v.reason}"))
        plan.append((row, unit, values, previous, comment))
    if problems:
        outcome.problems = problems
        return outcome
    report(70, "写入报送 (writing submissions)")
    digest = hashlib.sha256(data).hexdigest()
    scope = scope_of(actor)
    with transaction.atomic():
        for row, unit, values, previous, comment in plan:
            Submission.objects.filter(school_year=school_year, term=term, status__in=(Submission.Status.DRAFT, Submission.Status.RETURNED),
                                      **_unit_filter(level, unit)).update(status=Submission.Status.SUPERSEDED)
            sub = Submission.objects.create(
                school_year=school_year, term=term, status=Submission.Status.DRAFT, comment=comment, source_file=filename[:200],
                source_sha256=digest, source_row=row.line, created_by=actor,
                county=(unit.county if level == "school" else unit if level == "county" else None), **{k: v for k, v in _unit_filter(level, unit).items() if k != "county"},
            )
            objs = []
            for e in reported:
                v = values[e.code]
                p = previous.get(e.code)
                pct = change_percent(v, p) if p is not None and e.value_type != "boolean" else None
                objs.append(SubmissionValue(submission=sub, element=e, value=Decimal(str(v)), previous=None if p is None else Decimal(str(p)),
                                            change_pct=None if pct is None else Decimal(f"{pct:.1f}")))
            SubmissionValue.objects.bulk_create(objs)
            outcome.created.append(sub.pk)
        audit_record(actor=actor, action="supervision.submissions.imported", object_type=f"import.supervision.{level}", object_id=digest[:16],
                     object_repr=filename[:200], county_id=scope.county_id, school_id=scope.school_id,
                     after={"file": filename, "sha256": digest, "level": level, "year": school_year.start_year, "term": term,
                            "rows": len(table.rows), "submissions": outcome.created})
    report(100, "完成 (done)")
    return outcome


def _name(unit) -> str:
    return getattr(unit, "name", str(unit))


def _require(actor, sub: Submission, roles: set[str], message: str) -> None:
    scope = scope_of(actor)
    if scope.role not in roles or not can_write(actor, sub):
        raise PermissionDenied(message)


def _state(sub: Submission, allowed: tuple[str, ...], verb: str) -> None:
    if sub.status not in allowed:
        raise ValidationError(f"当前状态“{sub.get_status_display()}”下不能{verb} (not possible in this state)")


def _snap(sub: Submission) -> dict:
    return {"status": sub.status}


@transaction.atomic
def submission_submit(*, actor, submission: Submission) -> None:
    """The reporting unit submits a draft for review (school) or for the city's approval (county, city)."""
    sub = Submission.objects.select_for_update().get(pk=submission.pk)
    _require(actor, sub, WRITE_ROLES, "无权提交此报送 (you may not submit this)")
    _state(sub, (Submission.Status.DRAFT,), "提交")
    before = _snap(sub)
    sub.status, sub.submitted_by, sub.submitted_at = Submission.Status.SUBMITTED, actor, timezone.now()
    sub.save(update_fields=["status", "submitted_by", "submitted_at"])
    audit_record(actor=actor, action="supervision.submission.submitted", obj=sub, county_id=sub.county_id, school_id=sub.school_id,
                 before=before, after=_snap(sub))
    submission.refresh_from_db()


@transaction.atomic
def submission_review(*, actor, submission: Submission) -> None:
    """The county bureau passes a school's submitted figures on to the city (Rule: the issue's county review)."""
    sub = Submission.objects.select_for_update().get(pk=submission.pk)
    _require(actor, sub, BUREAU, "只有县(区)教育局或市教育局可以审核 (only a bureau reviews)")
    if not sub.needs_review:
        raise ValidationError("县(区)和市级基表由市教育局直接批准，无需县级审核 (county and city forms go to the city directly)")
    _state(sub, (Submission.Status.SUBMITTED,), "审核")
    before = _snap(sub)
    sub.status, sub.reviewed_by, sub.reviewed_at = Submission.Status.REVIEWED, actor, timezone.now()
    sub.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, action="supervision.submission.reviewed", obj=sub, county_id=sub.county_id, school_id=sub.school_id,
                 before=before, after=_snap(sub))
    submission.refresh_from_db()


@transaction.atomic
def submission_approve(*, actor, submission: Submission) -> list[int]:
    """The city approves: the figures count from now on, the unit's earlier approved submission of the period is
    superseded, and the open rectification tasks of *this unit* on indicators that read the approved elements,
    which a later year now meets, become 待销号 with the figure as evidence (listed in the same audit row; a
    city user closes or returns them). No other unit's task changes. Returns the ids of the tasks marked."""
    sub = Submission.objects.select_for_update().get(pk=submission.pk)
    _require(actor, sub, {Role.CITY_ADMIN}, "只有市教育局可以批准 (only the city bureau approves)")
    _state(sub, (Submission.Status.REVIEWED,) if sub.needs_review else (Submission.Status.SUBMITTED,), "批准")
    before = _snap(sub)
    unit = {"school": sub.school, "county": sub.county, "city": None}[sub.level]
    old = Submission.objects.filter(school_year=sub.school_year, term=sub.term, status=Submission.Status.APPROVED,
                                    **_unit_filter(sub.level, unit)).exclude(pk=sub.pk).first()
    if old is not None:
        old.status = Submission.Status.SUPERSEDED
        old.save(update_fields=["status"])
        sub.replaces = old
    sub.status, sub.approved_by, sub.approved_at = Submission.Status.APPROVED, actor, timezone.now()
    sub.save(update_fields=["status", "approved_by", "approved_at", "replaces"])
    unit = school_unit(sub.school) if sub.level == "school" else county_unit(sub.county) if sub.level == "county" else city_unit()
    elements = set(sub.values.values_list("element__code", flat=True))
    marked = rectifications_verify(actor=actor, units=[unit], elements=elements, note=f"依据报送 {sub.pk}（{sub}）批准的数据。")
    audit_record(actor=actor, action="supervision.submission.approved", obj=sub, county_id=sub.county_id, school_id=sub.school_id,
                 before=before, after={**_snap(sub), "replaces": old.pk if old else None, "rectifications_verified": marked})
    submission.refresh_from_db()
    return marked


@transaction.atomic
def submission_return(*, actor, submission: Submission, reason: str) -> None:
    """A reviewer sends figures back with a reason: the county a school's submitted ones, the city any pending ones."""
    sub = Submission.objects.select_for_update().get(pk=submission.pk)
    role = scope_of(actor).role
    _require(actor, sub, BUREAU, "只有县(区)教育局或市教育局可以退回 (only a bureau returns figures)")
    if not reason.strip():
        raise ValidationError("请填写退回原因 (give a reason)")
    allowed = (Submission.Status.SUBMITTED, Submission.Status.REVIEWED) if role == Role.CITY_ADMIN else (Submission.Status.SUBMITTED,)
    if role == Role.COUNTY_STAFF and not sub.needs_review:
        raise PermissionDenied("县级基表由市教育局审核 (the city reviews county forms)")
    _state(sub, allowed, "退回")
    before = _snap(sub)
    sub.status, sub.returned_by, sub.returned_at, sub.return_reason = Submission.Status.RETURNED, actor, timezone.now(), reason.strip()[:300]
    sub.save(update_fields=["status", "returned_by", "returned_at", "return_reason"])
    audit_record(actor=actor, action="supervision.submission.returned", obj=sub, county_id=sub.county_id, school_id=sub.school_id,
                 before=before, after={**_snap(sub), "reason": sub.return_reason})
    submission.refresh_from_db()
