"""补录 (the second round): after the main result is published the city opens a window for the seats left and
the candidates without a seat (and, where the city allows, those who decline theirs); they file new choices;
the city closes the window and a second recorded run (a job, like the main run) admits them with the engine's
``run_supplementary``; the city approves and publishes it.

Rule: seed 002 §三(一) — every student admitted through the platform, never over plan; the 补录 round admits no
one beyond a program's seats left and displaces no first-round admission (the engine re-runs the first round
from the recorded inputs and refuses a first_round.csv that is not its result). Rule: seed 003 §三(二)3 — the
main round's fill rate (第一次录取完成率) stays apart from the final one (fill_rates.csv of the 补录 run).

The 补录 run's case is the published main run's recorded inputs with ``supplementary/``: first_round.csv (the
main run's results.csv), declined.csv, preferences.csv (docs/admissions.md §12). Its record keeps those files,
so it is reproduced like any run.
"""

from __future__ import annotations

import csv
import hashlib
import io
import tomllib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gaozhong.admissions.services.outputs import output_rows
from gaozhong.admissions.engine import ENGINE_VERSION, canonical_inputs_digest, run_outputs
from gaozhong.admissions.models import (
    Admission, AdmissionRun, AdmissionYear, Cutoff, Program, SupplementaryChoice, SupplementaryDecline, SupplementaryRound,
)
from gaozhong.admissions.services.publication import publication_build
from gaozhong.admissions.services.runs import explanations
from gaozhong.admissions.services.stage import read_case_texts
from gaozhong.core.audit import audit_record
from gaozhong.core.models import Candidate, Role
from gaozhong.core.scoping import scope_of


def _require_city(actor) -> None:
    if scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("只有市教育局可以进行此操作 (city bureau only)")


def _csv(header: list[str], rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def main_run(year: AdmissionYear) -> AdmissionRun | None:
    """The year's published main-round run."""
    return AdmissionRun.objects.filter(year=year, round=1, status=AdmissionRun.Status.APPROVED).first()


def seats_left(run: AdmissionRun) -> dict[str, int]:
    """Seats left per program after a main run, from its cutoffs: a program whose unfilled seats rolled on has
    none; any other has its capacity (with seats rolled in) less its admissions. The engine computes the same
    when the 补录 runs and refuses more."""
    out = {}
    for code, rolls, cap, admitted in Cutoff.objects.filter(run=run, round=1).values_list(
            "program__code", "program__rollover_to_id", "capacity", "admitted"):
        out[code] = 0 if rolls is not None else cap - admitted
    return out


@transaction.atomic
def supplementary_open(*, actor, year: AdmissionYear, allow_declined: bool | None = None) -> SupplementaryRound:
    """The city opens the 补录 window of a year whose main result is published; the seats left per program are
    fixed now (a seat declined during the window is offered too)."""
    _require_city(actor)
    year = AdmissionYear.objects.select_for_update().get(pk=year.pk)
    run = main_run(year)
    if year.status != AdmissionYear.Status.PUBLISHED or run is None:
        raise ValidationError("第一轮录取结果公布后才能开放补录")
    if SupplementaryRound.objects.filter(year=year).exists():
        raise ValidationError("本年度已开放过补录")
    allow = year.supplementary_declined if allow_declined is None else allow_declined
    seats = seats_left(run)
    rnd = SupplementaryRound.objects.create(year=year, base_run=run, allow_declined=allow, seats=seats, opened_by=actor)
    audit_record(actor=actor, action="admissions.supplementary.opened", obj=rnd, object_repr=str(rnd),
                 after={"base_run": run.pk, "allow_declined": allow, "seats": sum(seats.values())})
    return rnd


@transaction.atomic
def supplementary_close(*, actor, year: AdmissionYear) -> SupplementaryRound:
    _require_city(actor)
    rnd = SupplementaryRound.objects.select_for_update().filter(year=year).first()
    if rnd is None or rnd.status != SupplementaryRound.Status.OPEN:
        raise ValidationError("补录填报未开放")
    rnd.status = SupplementaryRound.Status.CLOSED
    rnd.save(update_fields=["status"])
    audit_record(actor=actor, action="admissions.supplementary.closed", obj=rnd, object_repr=str(rnd),
                 after={"choices": rnd.choices.values("candidate").distinct().count(), "declined": rnd.declines.count()})
    return rnd


def first_round_admission(rnd: SupplementaryRound, candidate: Candidate) -> Admission | None:
    return Admission.objects.filter(run=rnd.base_run, candidate=candidate).select_related("program", "program__school").first()


def may_take_part(rnd: SupplementaryRound, candidate: Candidate) -> bool:
    """A candidate without a first-round seat, or one who declined it."""
    adm = first_round_admission(rnd, candidate)
    if adm is None or adm.program_id is None:
        return True
    return rnd.declines.filter(candidate=candidate).exists()


def offered_seats(rnd: SupplementaryRound) -> dict[str, int]:
    """Seats each program offers now: those left after the main round and those declined since."""
    seats = dict(rnd.seats)
    declined = Admission.objects.filter(run=rnd.base_run, candidate__in=rnd.declines.values("candidate"), program__isnull=False)
    for code in declined.values_list("program__code", flat=True):
        seats[code] = seats.get(code, 0) + 1
    return seats


def supplementary_programs(*, rnd: SupplementaryRound, candidate: Candidate, batch: int | None = None) -> list[Program]:
    """The programs a candidate may choose in 补录: seats offered, their own junior school's for 指标到校, and
    within the 招生范围 where the year requires it."""
    seats = offered_seats(rnd)
    year = rnd.year
    qs = Program.objects.filter(year=year, code__in=[c for c, n in seats.items() if n > 0]).select_related("school", "feeder_school")
    if batch is not None:
        qs = qs.filter(batch=batch)
    out = []
    for p in qs.order_by("batch", "code"):
        if p.feeder_school_id is not None and p.feeder_school_id != candidate.junior_school_id:
            continue
        if year.range_required and not p.admits_from(candidate.county.code):
            continue
        out.append(p)
    return out


def _require_candidate_window(actor, rnd: SupplementaryRound | None, candidate: Candidate) -> SupplementaryRound:
    if scope_of(actor).candidate_id != candidate.pk:
        raise PermissionDenied("只能填报本人的补录志愿")
    if rnd is None or rnd.status != SupplementaryRound.Status.OPEN:
        raise ValidationError("补录填报未开放或已截止")
    if candidate.year != rnd.year.year:
        raise PermissionDenied("不是本年度考生")
    return rnd


@transaction.atomic
def supplementary_decline(*, actor, year: AdmissionYear, candidate: Candidate) -> SupplementaryDecline:
    """A candidate declines (放弃) the first-round seat to take part in 补录, where the city allows it. The seat
    is offered in 补录; the decision cannot be taken back."""
    rnd = _require_candidate_window(actor, SupplementaryRound.objects.filter(year=year).first(), candidate)
    if not rnd.allow_declined:
        raise ValidationError("本年度补录不接受放弃第一轮录取的考生")
    adm = first_round_admission(rnd, candidate)
    if adm is None or adm.program_id is None:
        raise ValidationError("第一轮未被录取，无需放弃")
    decline, created = SupplementaryDecline.objects.get_or_create(round=rnd, candidate=candidate)
    if created:
        audit_record(actor=actor, action="admissions.supplementary.declined", obj=candidate, object_repr=candidate.exam_no,
                     county_id=candidate.county_id, school_id=candidate.junior_school_id, after={"program": adm.program.code})
    return decline


@transaction.atomic
def supplementary_choices_set(*, actor, year: AdmissionYear, candidate: Candidate, batch: int, program_codes: list[str]) -> list[SupplementaryChoice]:
    """Replace the candidate's 补录 choices of one batch with ``program_codes`` in order (audited)."""
    rnd = _require_candidate_window(actor, SupplementaryRound.objects.filter(year=year).first(), candidate)
    if not may_take_part(rnd, candidate):
        raise ValidationError("第一轮已被录取，不参加补录")
    codes = [c for c in program_codes if c]
    if len(codes) != len(set(codes)):
        raise ValidationError("同一批次不能重复填报同一志愿")
    if len(codes) > year.max_unified_choices:
        raise ValidationError(f"每批次最多填报 {year.max_unified_choices} 个志愿")
    allowed = {p.code: p for p in supplementary_programs(rnd=rnd, candidate=candidate, batch=batch)}
    unknown = [c for c in codes if c not in allowed]
    if unknown:
        raise ValidationError(f"不能填报：{'、'.join(unknown)}（本批次没有可补录的名额，或不在招生范围内）")
    mine = SupplementaryChoice.objects.filter(round=rnd, candidate=candidate, batch=batch)
    before = list(mine.order_by("rank").values_list("program__code", flat=True))
    if before == codes:
        return list(mine)
    mine.delete()
    out = SupplementaryChoice.objects.bulk_create([SupplementaryChoice(round=rnd, candidate=candidate, batch=batch, rank=i, program=allowed[c])
                                                   for i, c in enumerate(codes, start=1)])
    audit_record(actor=actor, action="admissions.supplementary.choices", obj=candidate, object_repr=candidate.exam_no,
                 county_id=candidate.county_id, school_id=candidate.junior_school_id,
                 before={"batch": batch, "programs": before}, after={"batch": batch, "programs": codes})
    return out


# -- the 补录 run --------------------------------------------------------------------------------------------------

def supplementary_inputs(rnd: SupplementaryRound) -> dict[str, str]:
    """The 补录 case as file name → text: the main run's recorded inputs (its policy with
    ``supplementary_declined = true`` where the round allows declines) and supplementary/."""
    base = rnd.base_run
    files = {k: v for k, v in base.input_files().items() if not k.startswith("supplementary/")}
    policy = files["policy.toml"]
    if rnd.allow_declined and "supplementary_declined" not in tomllib.loads(policy):
        policy = policy + ("" if policy.endswith("\n") or not policy else "\n") + "supplementary_declined = true\n"
    files["policy.toml"] = policy
    declined = sorted(rnd.declines.values_list("candidate__exam_no", flat=True))
    choices = (SupplementaryChoice.objects.filter(round=rnd).order_by("candidate__exam_no", "batch", "rank")
               .values_list("candidate__exam_no", "batch", "rank", "program__code"))
    files["supplementary/first_round.csv"] = base.results_csv
    files["supplementary/declined.csv"] = _csv(["student_id"], [[e] for e in declined])
    files["supplementary/preferences.csv"] = _csv(["student_id", "batch", "rank", "program_id"], choices)
    return files


@transaction.atomic
def supplementary_run_create(*, actor, year: AdmissionYear) -> AdmissionRun:
    """Record a 补录 run of a year whose 补录 window has closed; the job fills it in."""
    _require_city(actor)
    rnd = SupplementaryRound.objects.filter(year=year).first()
    if rnd is None or rnd.status != SupplementaryRound.Status.CLOSED:
        raise ValidationError("补录填报截止后才能运行补录")
    if AdmissionRun.objects.filter(year=year, round=2, status=AdmissionRun.Status.RUNNING).exists():
        raise ValidationError("补录运行正在进行")
    run = AdmissionRun.objects.create(year=year, round=2, base_run=rnd.base_run, started_by=actor)
    audit_record(actor=actor, action="admissions.supplementary.run_started", obj=run, object_repr=str(run))
    return run


def supplementary_run_execute(*, run: AdmissionRun, progress=lambda pct, phase: None) -> AdmissionRun:
    """Build the 补录 case, run the engine outside any transaction, then store outputs, every candidate's final
    seat with its round and explanations, and both rounds' cutoffs in one transaction (one audit row). Nothing is
    written if the window was reopened or the run changed meanwhile."""
    progress(10, "生成补录输入")
    with transaction.atomic():
        rnd = SupplementaryRound.objects.select_related("base_run", "year").get(year=run.year)
        files = supplementary_inputs(rnd)
    progress(30, "运行录取引擎（第一轮复核与补录）")
    case = read_case_texts(files)
    outputs, sres = run_outputs(case)
    digest = canonical_inputs_digest(case)
    progress(60, "保存补录结果")
    text = {k: v.decode("utf-8") for k, v in outputs.items()}
    with transaction.atomic():
        run = AdmissionRun.objects.select_for_update().get(pk=run.pk)
        rnd = SupplementaryRound.objects.select_for_update().get(pk=rnd.pk)
        if run.status != AdmissionRun.Status.RUNNING or rnd.status != SupplementaryRound.Status.CLOSED or supplementary_inputs(rnd) != files:
            raise ValidationError("补录输入在运行期间发生变化，未保存结果，请重新运行")
        run.programs_csv, run.students_csv, run.preferences_csv, run.policy_toml = (
            files["programs.csv"], files["students.csv"], files["preferences.csv"], files["policy.toml"])
        run.schools_csv = files.get("schools.csv", "")
        run.supplementary_files = {k.removeprefix("supplementary/"): v for k, v in files.items() if k.startswith("supplementary/")}
        run.inputs_sha256, run.engine_version = digest, ENGINE_VERSION
        run.results_csv, run.cutoffs_csv = text["results.csv"], text["cutoffs.csv"]
        run.general_vocational_csv, run.fill_rates_csv = text.get("general_vocational.csv", ""), text["fill_rates.csv"]
        run.status = AdmissionRun.Status.DONE
        run.save()
        programs = {p.code: p for p in Program.objects.filter(year=run.year)}
        cands = dict(Candidate.objects.filter(year=run.year.year).values_list("exam_no", "pk"))
        first_expl = dict(Admission.objects.filter(run=rnd.base_run).values_list("candidate_id", "explanation"))
        second_expl = explanations(sres.second)
        final, rank, rounds = sres.final_program(), sres.final_choice_rank(), sres.round_of()
        prog = case.programs
        rows = []
        for s, exam_no in enumerate(case.students.student_id.to_list()):
            cid = cands[exam_no]
            p = int(final[s])
            expl = list(first_expl.get(cid, [])) + [{**e, "round": 2} for e in second_expl.get(s, [])]
            rows.append(Admission(run=run, candidate_id=cid, program=programs[prog.program_id[p]] if p >= 0 else None,
                                  batch=int(prog.batch[p]) if p >= 0 else None, choice_rank=int(rank[s]) if p >= 0 else None,
                                  round=int(rounds[s]) if p >= 0 else None, explanation=expl))
        Admission.objects.bulk_create(rows, batch_size=2000)
        cut = output_rows(text["cutoffs.csv"])[1:]
        Cutoff.objects.bulk_create([Cutoff(run=run, round=int(r[0]), program=programs[r[1]], capacity=int(r[2]), admitted=int(r[3]),
                                           cutoff_score=r[4] or None, last_choice_rank=int(r[5]) if r[5] else None, last_tiebreak=r[6])
                                    for r in cut])
        second = sum(1 for r in rows if r.round == 2)
        audit_record(actor=run.started_by, action="admissions.supplementary.run_finished", obj=run, object_repr=str(run),
                     after={"inputs_sha256": digest, "engine_version": ENGINE_VERSION, "candidates": len(rows),
                            "admitted": sum(1 for r in rows if r.program_id), "second_round": second,
                            "results_sha256": hashlib.sha256(run.results_csv.encode()).hexdigest()})
    progress(100, f"完成：补录录取 {second} 名")
    return run


@transaction.atomic
def supplementary_run_approve(*, actor, run: AdmissionRun) -> AdmissionRun:
    """The city approves a finished 补录 run: it becomes the year's published result (both rounds; the public
    pages' data is rebuilt from it in this transaction) and the 补录 is closed."""
    _require_city(actor)
    run = AdmissionRun.objects.select_for_update().get(pk=run.pk)
    if run.round != 2 or run.status != AdmissionRun.Status.DONE:
        raise ValidationError("只能审批已完成、未公布的补录运行")
    rnd = SupplementaryRound.objects.select_for_update().get(year=run.year)
    if rnd.status != SupplementaryRound.Status.CLOSED:
        raise ValidationError("补录结果已公布")
    if rnd.base_run_id != run.base_run_id or rnd.base_run.status != AdmissionRun.Status.APPROVED:
        raise ValidationError("该补录运行所依据的第一轮结果已不是公布的结果")
    run.status, run.approved_by, run.approved_at = AdmissionRun.Status.APPROVED, actor, timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at"])
    rnd.status = SupplementaryRound.Status.PUBLISHED
    rnd.save(update_fields=["status"])
    publication_build(run=run)  # the public pages now show the final result of both rounds
    audit_record(actor=actor, action="admissions.supplementary.approved", obj=run, object_repr=str(run), after={"inputs_sha256": run.inputs_sha256})
    return run


def supplementary_run_reproduce(run: AdmissionRun) -> bool:
    """Re-run a recorded 补录 run; True when digest, results.csv and cutoffs.csv are byte-identical."""
    case = read_case_texts(run.input_files())
    outputs, _ = run_outputs(case)
    return (canonical_inputs_digest(case), outputs["results.csv"].decode(), outputs["cutoffs.csv"].decode()) == (
        run.inputs_sha256, run.results_csv, run.cutoffs_csv)
