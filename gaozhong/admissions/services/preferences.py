"""Candidates enter, change and confirm their preferences while the window is open; every change is audited
with the list before and after (preference tampering is the classic fraud in admissions). What is wrong with a
batch's choices is found slot by slot (``preference_problems``), so the form can mark the wrong choice and name
its batch and rank."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gaozhong.admissions.models import AdmissionYear, Confirmation, Preference, Program
from gaozhong.admissions.services.setup import batch_label
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


@dataclass(frozen=True)
class SlotProblem:
    """What is wrong with one choice: ``rank`` is its place in the batch's list (1 = 第 1 志愿)."""

    batch: int
    rank: int
    message: str


def preference_problems(*, year: AdmissionYear, candidate: Candidate, batch: int, slots: list[str],
                        allowed: dict[str, Program] | None = None) -> list[SlotProblem]:
    """Every problem of one batch's choices as entered, slot by slot (``slots``: the program codes in rank order,
    ``""`` for an empty slot): an empty slot before a filled one, more choices than the year allows, a program
    the candidate may not list in this batch, a program listed twice (the later one is marked)."""
    allowed = allowed if allowed is not None else {p.code: p for p in allowed_programs(year=year, candidate=candidate, batch=batch)}
    where = batch_label(batch)
    out: list[SlotProblem] = []
    codes = [(c or "").strip() for c in slots]
    last_filled = max((i for i, c in enumerate(codes) if c), default=-1)
    seen: dict[str, int] = {}
    limit = year.max_unified_choices
    for i, code in enumerate(codes, start=1):
        if not code:
            if i - 1 < last_filled:
                out.append(SlotProblem(batch, i, f"{where}第 {i} 志愿空着，其后的志愿不能填：请从第 1 志愿起依次填写 (choice {i} is empty before a later one)"))
            continue
        if i > limit:
            out.append(SlotProblem(batch, i, f"{where}最多填报 {limit} 个志愿，第 {i} 志愿超出 (at most {limit} choices)"))
        elif code not in allowed:
            out.append(SlotProblem(batch, i, f"{where}第 {i} 志愿“{code}”不是您可以填报的本批次专业（招生范围或指标到校学校不符） (not a program of this batch open to you)"))
        elif code in seen:
            out.append(SlotProblem(batch, i, f"{where}第 {i} 志愿与第 {seen[code]} 志愿重复：同一批次不能重复填报同一专业 (repeats choice {seen[code]})"))
        seen.setdefault(code, i)
    return out


@transaction.atomic
def preferences_set(*, actor, year: AdmissionYear, candidate: Candidate, batch: int, program_codes: list[str]) -> list[Preference]:
    """Replace the candidate's choices of one batch with ``program_codes`` in order; withdraws a confirmation."""
    _require_own_open_window(actor, year, candidate)
    codes = [c for c in program_codes if c]
    allowed = {p.code: p for p in allowed_programs(year=year, candidate=candidate, batch=batch)}
    problems = preference_problems(year=year, candidate=candidate, batch=batch, slots=codes, allowed=allowed)
    if problems:
        raise ValidationError([p.message for p in problems])
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
