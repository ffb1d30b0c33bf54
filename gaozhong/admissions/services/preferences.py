"""Candidates enter, change and confirm their preferences while the window is open; every change is audited
with the list before and after (preference tampering is the classic fraud in admissions)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gaozhong.admissions.models import AdmissionYear, Confirmation, Preference, Program
from gaozhong.core.audit import audit_record
from gaozhong.core.models import Candidate
from gaozhong.core.scoping import scope_of


def _require_own_open_window(actor, year: AdmissionYear, candidate: Candidate) -> None:
    if scope_of(actor).candidate_id != candidate.pk:
        raise PermissionDenied("只能填报本人的志愿 (only the candidate's own account may change preferences)")
    if candidate.year != year.year:
        raise PermissionDenied("不是本年度考生")
    if not year.window_is_open(timezone.now()):
        raise ValidationError("志愿填报未开放或已截止 (the preference window is not open)")


def allowed_programs(*, year: AdmissionYear, candidate: Candidate, batch: int) -> list[Program]:
    """Programs a candidate may list in a batch: quota programs only of their own junior school and, where the
    year requires 招生范围 (seed 002 §三(一)), only programs whose range includes the candidate's county."""
    programs = (Program.objects.filter(year=year, batch=batch)
                .filter(Q(feeder_school__isnull=True) | Q(feeder_school=candidate.junior_school))
                .select_related("school", "feeder_school").order_by("code"))
    if not year.range_required:
        return list(programs)
    county = candidate.county.code
    return [p for p in programs if p.admits_from(county)]


@transaction.atomic
def preferences_set(*, actor, year: AdmissionYear, candidate: Candidate, batch: int, program_codes: list[str]) -> list[Preference]:
    """Replace the candidate's choices of one batch with ``program_codes`` in order; withdraws a confirmation."""
    _require_own_open_window(actor, year, candidate)
    codes = [c for c in program_codes if c]
    if len(codes) != len(set(codes)):
        raise ValidationError("同一批次不能重复填报同一志愿 (a program appears twice)")
    limit = year.max_unified_choices
    if len(codes) > limit:
        raise ValidationError(f"每批次最多填报 {limit} 个志愿")
    allowed = {p.code: p for p in allowed_programs(year=year, candidate=candidate, batch=batch)}
    unknown = [c for c in codes if c not in allowed]
    if unknown:
        raise ValidationError(f"不能填报：{'、'.join(unknown)} (not a program of this batch open to you)")
    before = list(Preference.objects.filter(year=year, candidate=candidate, batch=batch).order_by("rank").values_list("program__code", flat=True))
    if before == codes:
        return list(Preference.objects.filter(year=year, candidate=candidate, batch=batch))
    Preference.objects.filter(year=year, candidate=candidate, batch=batch).delete()
    prefs = Preference.objects.bulk_create([Preference(year=year, candidate=candidate, batch=batch, rank=i, program=allowed[c]) for i, c in enumerate(codes, start=1)])
    withdrawn = Confirmation.objects.filter(year=year, candidate=candidate).delete()[0] > 0
    audit_record(actor=actor, action="admissions.preferences.changed", obj=candidate, object_repr=candidate.exam_no,
                 county_id=candidate.county_id, school_id=candidate.junior_school_id,
                 before={"batch": batch, "programs": before}, after={"batch": batch, "programs": codes, "confirmation_withdrawn": withdrawn})
    return prefs


@transaction.atomic
def preferences_confirm(*, actor, year: AdmissionYear, candidate: Candidate) -> Confirmation:
    _require_own_open_window(actor, year, candidate)
    if not Preference.objects.filter(year=year, candidate=candidate).exists():
        raise ValidationError("还没有填报任何志愿")
    conf, created = Confirmation.objects.get_or_create(year=year, candidate=candidate)
    if created:
        prefs = list(Preference.objects.filter(year=year, candidate=candidate).order_by("batch", "rank").values_list("batch", "rank", "program__code"))
        audit_record(actor=actor, action="admissions.preferences.confirmed", obj=candidate, object_repr=candidate.exam_no,
                     county_id=candidate.county_id, school_id=candidate.junior_school_id, after={"preferences": prefs})
    return conf
