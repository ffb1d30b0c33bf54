"""Publishing an approved run to the public pages, and withdrawing a publication.

The public pages (录取分数线, the result lookup and its result page) are what families refresh on results day,
so what they show is computed once, here, when the bureau approves the run, inside the approval's transaction:
a ``PublishedResult`` with the cutoff rows, and a ``PublishedAnswer`` per candidate keyed by 准考证号. A page
then reads one row through an index; no request aggregates over candidates or admissions. Withdrawing the
publication deletes them in the withdrawal's transaction, so the pages and the run's status never disagree.

Rule: seed 002 §三(一) — results published through the platform, each explained choice by choice.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaozhong.admissions.models import (
    Admission, AdmissionRun, AdmissionYear, Cutoff, Program, PublishedAnswer, PublishedResult, SupplementaryRound,
)
from gaozhong.core.audit import audit_record
from gaozhong.core.models import Role
from gaozhong.core.scoping import scope_of

CHUNK = 1000


def _text(value) -> str | None:
    return None if value is None else str(value)


def _program_place(p: Program) -> dict:
    """What the 录取分数线 page groups, filters and searches a cutoff row by: the program's code, school, county and
    the program within the school (``统招``, ``指标到校（初中）``, a 中职 专业) without the school's name."""
    name = str(p)
    return {"code": p.code, "school": p.school.name, "school_code": p.school.code, "county": p.school.county.name,
            "county_code": p.school.county.code, "kind": p.kind, "detail": name.removeprefix(f"{p.school.name} ")}


def publication_build(*, run: AdmissionRun) -> PublishedResult:
    """Write what the public pages show of ``run`` (called by ``admission_run_approve`` inside its transaction,
    which has checked the actor and the run). Replaces an earlier publication of the same year."""
    PublishedResult.objects.filter(year=run.year.year).delete()
    programs = {p.pk: p for p in Program.objects.filter(year=run.year_id).select_related("school__county", "feeder_school")}
    name_of_code = {p.code: str(p) for p in programs.values()}
    cutoffs = [
        {"program": str(programs[c.program_id]), "batch": programs[c.program_id].batch, "capacity": c.capacity, "admitted": c.admitted,
         "cutoff_score": _text(c.cutoff_score), "last_choice_rank": c.last_choice_rank, "last_tiebreak": c.last_tiebreak,
         **_program_place(programs[c.program_id]), **({"round": c.round} if run.round == 2 else {})}
        for c in sorted(Cutoff.objects.filter(run=run), key=lambda c: (c.round, programs[c.program_id].batch, programs[c.program_id].code))
    ]
    rows = (Admission.objects.filter(run=run).order_by("pk")
            .values_list("candidate__exam_no", "candidate__id_number", "candidate__name", "candidate__score", "program_id", "batch",
                         "choice_rank", "explanation", "round"))
    pub = PublishedResult.objects.create(run=run, year=run.year.year, version=uuid.uuid4().hex, published_at=run.approved_at or timezone.now(),
                                         candidates=0, admitted=0, cutoffs=cutoffs)
    total = admitted = 0
    batch: list[PublishedAnswer] = []
    two_rounds = run.round == 2
    for exam_no, id_number, name, score, program_id, b, rank, explanation, rnd in rows.iterator(chunk_size=2000):
        total += 1
        admitted += program_id is not None
        answer = {
            "name": name, "score": _text(score), "program": str(programs[program_id]) if program_id else None, "batch": b, "choice_rank": rank,
            "choices": [{"batch": c["batch"], "rank": c["rank"], "program": name_of_code.get(c["program"], c["program"]), "status": c["status"],
                         "reasons": c["reasons"], **({"round": c.get("round", 1)} if two_rounds else {})} for c in explanation],
        }
        if two_rounds:  # a 补录 publication: the round each seat was won in (1 = 第一轮, 2 = 补录), both rounds' choices
            answer["round"] = rnd
        batch.append(PublishedAnswer(publication=pub, exam_no=exam_no, id_tail=id_number[-6:].upper(), answer=answer))
        if len(batch) >= CHUNK:
            PublishedAnswer.objects.bulk_create(batch)
            batch = []
    PublishedAnswer.objects.bulk_create(batch)
    pub.candidates, pub.admitted = total, admitted
    pub.save(update_fields=["candidates", "admitted"])
    return pub


@transaction.atomic
def admission_run_withdraw(*, actor, run: AdmissionRun, reason: str) -> AdmissionRun:
    """The city withdraws a published result (a mistake found after publication): the public pages stop showing
    it at once, the run is marked 已撤回公布 (it cannot be approved again) and the year returns to 填报已截止 so a
    corrected run can be made and approved."""
    if scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("只有市教育局可以进行此操作 (city bureau only)")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写撤回原因")
    run = AdmissionRun.objects.select_for_update(of=("self",)).select_related("year", "base_run").get(pk=run.pk)
    if run.status != AdmissionRun.Status.APPROVED:
        raise ValidationError("只能撤回已公布的录取结果")
    rnd = SupplementaryRound.objects.select_for_update().filter(year=run.year).first()
    if run.round == 2:  # the 补录 result goes; the main round's is published again and the 补录 can be run again
        PublishedResult.objects.filter(run=run).delete()
        run.status = AdmissionRun.Status.WITHDRAWN
        run.save(update_fields=["status"])
        SupplementaryRound.objects.filter(pk=rnd.pk).update(status=SupplementaryRound.Status.CLOSED)
        publication_build(run=run.base_run)
        audit_record(actor=actor, action="admissions.run.withdrawn", obj=run, object_repr=str(run),
                     before={"status": AdmissionRun.Status.APPROVED}, after={"status": AdmissionRun.Status.WITHDRAWN, "reason": reason})
        return run
    if rnd is not None:
        raise ValidationError("本年度已开放补录，第一轮结果不能撤回（可撤回补录结果）")
    PublishedResult.objects.filter(run=run).delete()
    run.status = AdmissionRun.Status.WITHDRAWN
    run.save(update_fields=["status"])
    AdmissionYear.objects.filter(pk=run.year_id).update(status=AdmissionYear.Status.CLOSED)
    audit_record(actor=actor, action="admissions.run.withdrawn", obj=run, object_repr=str(run),
                 before={"status": AdmissionRun.Status.APPROVED}, after={"status": AdmissionRun.Status.WITHDRAWN, "reason": reason})
    return run
