"""Admission runs: build the canonical inputs from the database, run the engine, record inputs (with their
SHA-256), policy, engine version and outputs; approve and publish; reproduce a recorded run byte for byte.

Rule: seed 002 §三(一) — every student admitted only through the platform, never over plan; every result
explained ("not admitted to choice 1: cutoff 612, your score 598") and reproducible.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from typing import NamedTuple
from decimal import Decimal

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gaozhong.admissions.services.outputs import output_rows
from gaozhong.admissions.engine import ENGINE_VERSION, canonical_inputs_digest, run_outputs
from gaozhong.admissions.engine.explain import ineligible_reasons
from gaozhong.admissions.engine.types import ChoiceStatus
from gaozhong.admissions.engine.values import format_number
from gaozhong.admissions.models import Admission, AdmissionRun, AdmissionYear, CandidateScores, Cutoff, Preference, Program
from gaozhong.admissions.services.stage import read_case_texts, schools_csv_text, stage_policy, uses_stage_format
from gaozhong.admissions.services.publication import publication_build
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


def _num(x) -> str:
    return "" if x is None else format_number(float(x))


def lottery_numbers(year: int, exam_nos: list[str]) -> dict[str, int]:
    """Unique lottery numbers (lower wins the last tie), fixed by the year and the exam numbers alone: the order of
    SHA-256("year:exam_no"). Anyone can recompute them; nobody can choose them."""
    keyed = sorted(exam_nos, key=lambda e: hashlib.sha256(f"{year}:{e}".encode()).hexdigest())
    return {e: i + 1 for i, e in enumerate(keyed)}


#: Score columns every year's students.csv has, from the 中考 record (cme = 语文 + 数学 + 英语); a named score of
#: the same name (imported with the case or the 中考 file) takes its place.
STANDARD_SCORES = ("cme", "math", "chinese", "talent_score")
#: what a page calls each score column (the engine's files keep the column names)
SCORE_LABELS = {"score": "总分", "cme": "语数外总分", "math": "数学", "chinese": "语文", "english": "英语", "talent_score": "特长成绩"}


class _Cand(NamedTuple):
    """The fields of a candidate the inputs are made of (read as values: a year's 20,000 candidates as model
    objects would take most of the time of reading the inputs)."""

    pk: int
    exam_no: str
    junior_school: str
    county: str
    score: Decimal
    chinese: Decimal
    math: Decimal
    english: Decimal
    talent_score: Decimal | None


class _Extra(NamedTuple):
    scores: dict
    lottery: int | None
    file_order: int | None


def _standard(c: _Cand) -> dict[str, str]:
    return {"cme": _num(c.chinese + c.math + c.english), "math": _num(c.math), "chinese": _num(c.chinese), "talent_score": _num(c.talent_score)}


def canonical_inputs(year: AdmissionYear) -> dict[str, str]:
    """programs.csv, students.csv, preferences.csv and policy.toml of the year, as the engine's CLI reads them,
    and for the whole 高中阶段 (``stage.uses_stage_format``) schools.csv, the programs' ``major`` and
    ``special_type`` and the year's settings in policy.toml (docs/admissions.md §12).

    Programs and candidates imported from a case keep that case's row order (so that the outputs, which follow
    the input order, are the engine's own); the others follow in (batch, code) and 准考证号 order. students.csv
    has the standard score columns, then every named score of the year in name order; the lottery number is the
    imported one, or for a candidate without one the next number in the order of :func:`lottery_numbers`."""
    return _case_texts(year, special_only=False)


def publicity_inputs(year: AdmissionYear) -> dict[str, str]:
    """What the 特长生 公示 reads, before the run: :func:`canonical_inputs` with only the candidates who listed a
    特长生 program and only those choices (every program, the schools and the policy as they are). The engine's
    ``publicity`` gives the same files on these as on the whole inputs — each applicant is judged on their own
    values and ranked by a total order (their value, the tie-break columns, the lottery, drawn over every
    candidate of the year), and 普职比 of the plans reads the programs and schools alone — while reading a few
    hundred candidates instead of the year's 20,000 (``tests/admissions/test_stage_views.py``)."""
    return _case_texts(year, special_only=True)


def _case_texts(year: AdmissionYear, *, special_only: bool) -> dict[str, str]:
    programs = list(Program.objects.filter(year=year).select_related("school", "feeder_school", "rollover_to")
                    .order_by(F("file_order").asc(nulls_last=True), "batch", "code"))
    stage = uses_stage_format(programs)
    prog_rows = [[p.code, p.school.code, p.batch, p.capacity, _num(p.min_score), p.feeder_school.code if p.feeder_school_id else "",
                  p.counties, p.rank_by, p.rollover_to.code if p.rollover_to_id else "", *((p.major, p.special_type) if stage else ())]
                 for p in programs]
    prefs = Preference.objects.filter(year=year)
    scores = CandidateScores.objects.filter(candidate__year=year.year)
    candidates = Candidate.objects.filter(year=year.year)
    if special_only:
        prefs = prefs.filter(program__in=[p.pk for p in programs if p.special_type])
        applicants = prefs.values("candidate_id")
        # the named score columns and the lottery numbers are the whole year's
        named_of = scores.exclude(scores={}).values_list("scores", flat=True)
        given = dict(scores.filter(lottery__isnull=False).values_list("candidate__exam_no", "lottery"))
        everyone = candidates.values_list("exam_no", flat=True)
        scores, candidates = scores.filter(candidate__in=applicants), candidates.filter(pk__in=applicants)
    extra = {row[0]: _Extra(*row[1:]) for row in scores.values_list("candidate_id", "scores", "lottery", "file_order")}
    cands = [_Cand(*row) for row in candidates.values_list(
        "pk", "exam_no", "junior_school__code", "county__code", "score", "chinese", "math", "english", "talent_score")]
    cands.sort(key=lambda c: (0, extra[c.pk].file_order, "") if c.pk in extra and extra[c.pk].file_order is not None else (1, 0, c.exam_no))
    if not special_only:
        named_of = [cs.scores for cs in extra.values()]
        given = {c.exam_no: extra[c.pk].lottery for c in cands if c.pk in extra and extra[c.pk].lottery is not None}
        everyone = [c.exam_no for c in cands]
    named = sorted({n for cs in named_of for n in cs} - set(STANDARD_SCORES))
    start = max(given.values(), default=0)
    drawn = lottery_numbers(year.year, [e for e in everyone if e not in given])
    lottery = {**{e: start + n for e, n in drawn.items()}, **given}
    stu_rows = []
    for c in cands:
        values_of = extra[c.pk].scores if c.pk in extra else {}
        std = _standard(c)
        values = [_num(Decimal(values_of[n])) if values_of.get(n) is not None else ("" if n in values_of else std[n]) for n in STANDARD_SCORES]
        values += [_num(Decimal(values_of[n])) if values_of.get(n) is not None else "" for n in named]
        stu_rows.append([c.exam_no, c.junior_school, c.county, _num(c.score), *values, lottery[c.exam_no]])
    prefs = prefs.order_by("candidate__exam_no", "batch", "rank").values_list("candidate__exam_no", "batch", "rank", "program__code")
    files = {
        "programs.csv": _csv(["program_id", "school_id", "batch", "capacity", "min_score", "feeder_school_id", "counties", "rank_by", "rollover_to",
                              *(("major", "special_type") if stage else ())], prog_rows),
        "students.csv": _csv(["student_id", "junior_school_id", "county", "score", *STANDARD_SCORES, *named, "lottery"], stu_rows),
        "preferences.csv": _csv(["student_id", "batch", "rank", "program_id"], prefs),
        "policy.toml": stage_policy(year),
    }
    if stage:
        files["schools.csv"] = schools_csv_text(programs)
    return files


@dataclass
class EngineOutput:
    digest: str
    results_csv: str
    cutoffs_csv: str
    result: object
    general_vocational_csv: str = ""
    fill_rates_csv: str = ""


def run_engine(inputs: dict[str, str]) -> EngineOutput:
    """Run the engine on the input texts exactly as ``gaozhong admissions run`` would read them."""
    case = read_case_texts(inputs)
    files, result = run_outputs(case)
    text = {k: v.decode("utf-8") for k, v in files.items()}
    return EngineOutput(canonical_inputs_digest(case), text["results.csv"], text["cutoffs.csv"], result,
                        text.get("general_vocational.csv", ""), text.get("fill_rates.csv", ""))


def explanations(result) -> dict[int, list[dict]]:
    """Every student's choices with what happened to each, in one pass over the preference rows."""
    case = result.case
    pr, prog, st = case.preferences, case.programs, case.students
    status = result.row_status
    out: dict[int, list[dict]] = {}
    for row in range(len(pr.student)):
        s, p = int(pr.student[row]), int(pr.program[row])
        code = ChoiceStatus(int(status[row]))
        column = prog.rank_by[p]
        mine = st.values[column][s]
        last = int(result.last_student[p])
        cutoff = None if last < 0 else format_number(st.values[column][last])
        if code == ChoiceStatus.INELIGIBLE:
            reasons = list(ineligible_reasons(result, row))
        elif code == ChoiceStatus.NOT_ADMITTED:
            reasons = ["该志愿没有剩余名额"] if cutoff is None else [f"最低录取{'分' if column == 'score' else SCORE_LABELS.get(column, column)} {cutoff}，本人 {format_number(mine)}"]
        elif code == ChoiceStatus.EARLIER_BATCH:
            reasons = ["已在前一批次被录取"]
        elif code == ChoiceStatus.NOT_NEEDED:
            reasons = ["已被本批次更靠前的志愿录取"]
        else:
            reasons = []
        out.setdefault(s, []).append({
            "batch": int(pr.batch[row]), "rank": int(pr.rank[row]), "program": prog.program_id[p], "status": code.name.lower(),
            "reasons": reasons, "cutoff": cutoff, "mine": None if np.isnan(mine) else format_number(mine),
        })
    return out


@transaction.atomic
def admission_run_create(*, actor, year: AdmissionYear) -> AdmissionRun:
    """Record a run of a year whose window has closed; the job fills it in (see ``admission_run_execute``)."""
    _require_city(actor)
    if year.status != AdmissionYear.Status.CLOSED:
        raise ValidationError("志愿填报截止后才能运行录取 (close the preference window first)")
    run = AdmissionRun.objects.create(year=year, started_by=actor)
    audit_record(actor=actor, action="admissions.run.started", obj=run, object_repr=str(run))
    return run


class RunRefused(Exception):
    """The run's result was not written: the year or its inputs changed while the engine ran (the message says
    what), or the run is no longer running. Nothing of the run was stored."""


def _inputs_changed(before: dict[str, str], now: dict[str, str]) -> list[str]:
    names = {"programs.csv": "招生专业", "students.csv": "考生成绩", "preferences.csv": "志愿", "policy.toml": "录取规则", "schools.csv": "学校"}
    return [names.get(k, k) for k in sorted(set(before) | set(now)) if before.get(k) != now.get(k)]


def admission_run_execute(*, run: AdmissionRun, progress=lambda pct, phase: None) -> AdmissionRun:
    """Build inputs, run the engine, store outputs, admissions with explanations and cutoffs (one audit row).

    Three steps, so that a long run neither holds the database nor leaves half a result behind:

    1. the inputs are read in one short transaction (one consistent view of candidates, programs, preferences);
    2. the engine and the explanations run outside any transaction; ``progress`` is called between the steps,
       and the job's reporter commits each call at once, so the job page moves while the engine works;
    3. the result is written in one short transaction, after re-checking, with the year and the run locked, that
       the run is still running, the year still closed with no approved run, and the inputs still those the
       engine read; otherwise :class:`RunRefused` says what changed and nothing is written.

    A worker killed at any point leaves the run as it was before step 3 (no outputs, no admissions)."""
    progress(5, "读取录取输入 (reading the inputs)")
    with transaction.atomic():
        year = AdmissionYear.objects.get(pk=run.year_id)
        _check_still_runnable(run, year)
        inputs = canonical_inputs(year)
    progress(30, "运行录取引擎 (running the engine)")
    out = run_engine(inputs)
    result = out.result
    progress(60, "生成录取说明 (explaining every choice)")
    expl = explanations(result)
    progress(80, "保存录取结果 (storing results)")
    with transaction.atomic():
        year = AdmissionYear.objects.select_for_update().get(pk=run.year_id)
        fresh = AdmissionRun.objects.select_for_update().get(pk=run.pk)
        fresh.year = year
        _check_still_runnable(fresh, year)
        changed = _inputs_changed(inputs, canonical_inputs(year))
        if changed:
            raise RunRefused(f"运行期间{'、'.join(changed)}已改变（导入了新数据），本次结果未保存；请重新运行录取 "
                             f"(the inputs changed while the engine ran; nothing was stored)")
        n, admitted = _store(fresh, year, inputs, out, expl)
    run.refresh_from_db()
    progress(100, f"完成：{n} 名考生，录取 {admitted} 名")
    return run


def runs_of_dead_jobs_failed(job_ids: list[int]) -> None:
    """The runs of jobs whose worker died are failed (nothing of them was stored: see ``admission_run_execute``)."""
    AdmissionRun.objects.filter(job_id__in=job_ids, status=AdmissionRun.Status.RUNNING).update(status=AdmissionRun.Status.FAILED)


def _check_still_runnable(run: AdmissionRun, year: AdmissionYear) -> None:
    if run.status != AdmissionRun.Status.RUNNING:
        raise RunRefused(f"该录取运行的状态已是“{run.get_status_display()}”，不再写入结果 (the run is no longer running)")
    if year.status != AdmissionYear.Status.CLOSED:
        raise RunRefused(f"招生年度的状态已变为“{year.get_status_display()}”，本次结果未保存 (the year is no longer closed)")
    if AdmissionRun.objects.filter(year=year, status=AdmissionRun.Status.APPROVED).exists():
        raise RunRefused("本年度已有公布的录取结果，本次结果未保存 (another run of the year was approved)")


def _store(run: AdmissionRun, year: AdmissionYear, inputs: dict[str, str], out: EngineOutput, expl: dict[int, list[dict]]) -> tuple[int, int]:
    """Step 3's writes: the run's record, its admissions and cutoffs, and the audit row (the caller's transaction).
    Returns (candidates, admitted)."""
    result = out.result
    run.programs_csv, run.students_csv, run.preferences_csv, run.policy_toml = (
        inputs["programs.csv"], inputs["students.csv"], inputs["preferences.csv"], inputs["policy.toml"])
    run.inputs_sha256, run.engine_version = out.digest, ENGINE_VERSION
    run.results_csv, run.cutoffs_csv = out.results_csv, out.cutoffs_csv
    run.schools_csv, run.general_vocational_csv, run.fill_rates_csv = inputs.get("schools.csv", ""), out.general_vocational_csv, out.fill_rates_csv
    run.status = AdmissionRun.Status.DONE
    run.save()
    case = result.case
    programs = {p.code: p for p in Program.objects.filter(year=year)}
    cands = dict(Candidate.objects.filter(year=year.year).values_list("exam_no", "pk"))
    ids = case.students.student_id.to_list()
    rows = []
    for s, exam_no in enumerate(ids):
        p = int(result.program_of[s])
        rows.append(Admission(run=run, candidate_id=cands[exam_no], program=programs[case.programs.program_id[p]] if p >= 0 else None,
                              batch=int(case.programs.batch[p]) if p >= 0 else None, choice_rank=int(result.choice_rank_of[s]) if p >= 0 else None,
                              round=1 if p >= 0 else None, explanation=expl.get(s, [])))
    Admission.objects.bulk_create(rows, batch_size=2000)
    cut_rows = output_rows(out.cutoffs_csv)[1:]
    Cutoff.objects.bulk_create([Cutoff(run=run, program=programs[r[0]], capacity=int(r[1]), admitted=int(r[2]), cutoff_score=r[3] or None,
                                       last_choice_rank=int(r[4]) if r[4] else None, last_tiebreak=r[5]) for r in cut_rows])
    admitted = sum(1 for r in rows if r.program_id)
    audit_record(actor=run.started_by, action="admissions.run.finished", obj=run, object_repr=str(run),
                 after={"inputs_sha256": out.digest, "engine_version": ENGINE_VERSION, "candidates": len(rows), "admitted": admitted,
                        "results_sha256": hashlib.sha256(out.results_csv.encode()).hexdigest()})
    return len(rows), admitted


@transaction.atomic
def admission_run_approve(*, actor, run: AdmissionRun) -> AdmissionRun:
    """A bureau admin approves a finished run; its results and cutoffs are published (one run per year): the public
    pages' data is written in this transaction (``publication.publication_build``)."""
    _require_city(actor)
    if run.status != AdmissionRun.Status.DONE or run.round != 1:
        raise ValidationError("只能审批已完成、未公布的录取运行（补录运行在补录页面审批）")
    if AdmissionRun.objects.filter(year=run.year, status=AdmissionRun.Status.APPROVED).exists():
        raise ValidationError("本年度已有公布的录取结果")
    run.status, run.approved_by, run.approved_at = AdmissionRun.Status.APPROVED, actor, timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at"])
    AdmissionYear.objects.filter(pk=run.year_id).update(status=AdmissionYear.Status.PUBLISHED)
    publication_build(run=run)
    audit_record(actor=actor, action="admissions.run.approved", obj=run, object_repr=str(run), after={"inputs_sha256": run.inputs_sha256})
    return run


def admission_run_reproduce(run: AdmissionRun) -> bool:
    """Re-run the recorded inputs; True when digest and both outputs are byte-identical to the record."""
    out = run_engine(run.input_files())
    return (out.digest, out.results_csv, out.cutoffs_csv) == (run.inputs_sha256, run.results_csv, run.cutoffs_csv)
