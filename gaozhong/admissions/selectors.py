"""Reads of the admissions pages."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Sum
from django.urls import reverse

from gaozhong.admissions.models import (
    CITY_WIDE, Admission, AdmissionRun, AdmissionYear, Confirmation, Cutoff, Preference, Program, PublishedAnswer, PublishedResult,
    SchoolPlan, SupplementaryChoice, SupplementaryRound,
)
from gaozhong.admissions.services.stage import general_vocational
from gaozhong.core.models import Candidate, County, School
from gaozhong.core.readiness import Missing
from gaozhong.core.scoping import visible


def current_admission_year() -> AdmissionYear | None:
    return AdmissionYear.objects.order_by("-year").first()


def published_run(year: AdmissionYear | None) -> AdmissionRun | None:
    if year is None:
        return None
    return AdmissionRun.objects.filter(year=year, status=AdmissionRun.Status.APPROVED).order_by("-round", "-pk").first()


def published_runs():
    """The published result of every year, with its year: the published 补录 run where there is one (it holds
    both rounds), else the published main run."""
    approved = AdmissionRun.objects.filter(status=AdmissionRun.Status.APPROVED)
    superseded = approved.filter(round=2).values("base_run")
    return approved.exclude(pk__in=superseded).select_related("year").order_by("year__year", "pk")


def county_general_vocational(year_list: list[int]) -> dict[tuple[str, int], tuple[int, int]]:
    """普职比 of each county's schools per admission year, from the year's published result (the 补录 run where
    published): (county code, year) → (普高 admitted, 中职 admitted), the ``admitted`` rows of its
    general_vocational.csv. Years without a published run with that file are absent."""
    out: dict[tuple[str, int], tuple[int, int]] = {}
    for run in published_runs().filter(year__year__in=year_list).exclude(general_vocational_csv=""):
        for r in general_vocational(run.general_vocational_csv):
            if r.scope == "county" and r.basis == "admitted":
                out[(r.county, run.year.year)] = (r.general, r.vocational)
    return out


def main_published_run(year: AdmissionYear | None) -> AdmissionRun | None:
    """The year's published main-round run (第一次录取: what the plan proposal's 完成率 reads)."""
    if year is None:
        return None
    return AdmissionRun.objects.filter(year=year, round=1, status=AdmissionRun.Status.APPROVED).first()


def plans_for(*, user, year: AdmissionYear):
    return visible(SchoolPlan, user).filter(year=year).select_related("school", "school__county").order_by("school__code")


def range_text(counties: str, names: dict[str, str]) -> str:
    """A 招生范围 as the pages show it: county names joined by 、, or 全市."""
    codes = [c for c in counties.split(";") if c and c != CITY_WIDE]
    return "、".join(names.get(c, c) for c in codes) if codes else CITY_WIDE


def plans_with_ranges(*, user, year: AdmissionYear) -> list[SchoolPlan]:
    """The plans the user may see, each with ``range_names`` (its 招生范围 by county name) for the approval page."""
    names = dict(County.objects.values_list("code", "name"))
    plans = list(plans_for(user=user, year=year).order_by("school__level", "school__code"))
    for p in plans:
        p.range_names = range_text(p.counties, names)
    return plans


def program_summary(year: AdmissionYear) -> dict:
    rows = Program.objects.filter(year=year).values("kind").annotate(n=Count("id"), seats=Sum("capacity"))
    return {r["kind"]: r for r in rows}


def quota_split(*, user, year: AdmissionYear) -> list[dict]:
    """The year's 指标到校 split as generated, per junior school: its county, its candidates this year and its seats
    at each senior school. Read from the batch-2 programs that ``services.setup.programs_generate`` made of the
    engine's split (``engine.quotas.allocate_quotas``), never computed again here; through the scoping layer."""
    programs = (visible(Program, user).filter(year=year, kind=Program.Kind.QUOTA)
                .select_related("school", "feeder_school", "feeder_school__county").order_by("feeder_school__code", "school__code"))
    by_junior: dict[int, dict] = {}
    for p in programs:
        j = p.feeder_school
        row = by_junior.setdefault(j.pk, {"junior": j, "county": j.county, "seats": 0, "schools": []})
        row["seats"] += p.capacity
        row["schools"].append({"school": p.school, "program": p.code, "seats": p.capacity})
    counts = dict(Candidate.objects.filter(year=year.year, junior_school_id__in=list(by_junior)).values("junior_school")
                  .annotate(n=Count("id")).values_list("junior_school", "n"))
    rows = sorted(by_junior.values(), key=lambda r: (r["county"].code, r["junior"].code))
    for r in rows:
        r["candidates"] = counts.get(r["junior"].pk, 0)
    return rows


def preference_progress(year: AdmissionYear) -> dict:
    total = Candidate.objects.filter(year=year.year).count()
    entered = year.preferences.values("candidate").distinct().count()
    confirmed = year.confirmations.count()
    return {"candidates": total, "entered": entered, "confirmed": confirmed}


def school_admissions(*, user, run: AdmissionRun):
    return visible(Admission, user).filter(run=run, program__isnull=False).select_related("candidate", "candidate__junior_school", "program", "program__school").order_by("program__school__code", "candidate__exam_no")


def admission_readiness(year: AdmissionYear) -> list[Missing]:
    """What the year still lacks before its run, each with a link to the import that supplies it.

    Counts are the ones the platform can know: candidates imported against last year's count (or against the
    junior schools that have none), senior schools without a plan, plans not approved, candidates with
    preferences but no confirmation. Empty once the year is published.
    """
    if year.status == AdmissionYear.Status.PUBLISHED:
        return []
    out: list[Missing] = []
    n = Candidate.objects.filter(year=year.year).count()
    zk, plans_url, prefs_url = (reverse("admissions_import", args=[k]) for k in ("zhongkao", "plans", "preferences"))
    if n == 0:
        last = Candidate.objects.filter(year__lt=year.year).values("year").annotate(n=Count("id")).order_by("-year").first()
        of = f"0 / {last['n']:,} 名考生，按 {last['year']} 年人数" if last else "0 名考生"
        out.append(Missing(f"{year.year} 年中考成绩未导入 ({of})", zk))
    else:
        juniors = School.objects.filter(level=School.Level.JUNIOR).count()
        without = juniors - Candidate.objects.filter(year=year.year).values("junior_school").distinct().count()
        if without > 0:
            out.append(Missing(f"{without} 所初中还没有 {year.year} 年考生成绩（已导入 {n:,} 名考生）", zk))
    seniors = School.objects.filter(level__in=(School.Level.SENIOR, School.Level.VOCATIONAL))
    no_plan = seniors.exclude(admission_plans__year=year).count()
    if no_plan and year.status == AdmissionYear.Status.SETUP:
        out.append(Missing(f"{no_plan} 所学校未提交招生计划", plans_url))
    pending = SchoolPlan.objects.filter(year=year, approved=False).count()
    if pending:
        out.append(Missing(f"{pending} 个招生计划待审批", reverse("admissions_home"), "去审批"))
    if not Program.objects.filter(year=year).exists():
        out.append(Missing("尚未生成招生专业", reverse("admissions_home"), "去生成"))
    elif n:
        unconfirmed = n - year.confirmations.count()
        if unconfirmed:
            out.append(Missing(f"{unconfirmed:,} 名考生未确认志愿", prefs_url))
    return out


# -- the public pages ------------------------------------------------------------------------------------------------
# 录取分数线 and the result lookup serve people who are not signed in: the scoping layer has no scope for them, so
# they read only what publication computed (``services.publication``), and the lookup is gated by what the person
# proves (准考证号 plus the last 6 characters of the 身份证号, with the limits of ``services.lookup``).

def current_publication() -> PublishedResult | None:
    """The latest published year's publication (without its cutoff rows), or ``None`` before any."""
    return PublishedResult.objects.defer("cutoffs").order_by("-year").first()


def publication_cutoffs(publication: PublishedResult) -> list[dict]:
    """The cutoff rows of ``publication``, in (batch, program code) order."""
    return PublishedResult.objects.filter(pk=publication.pk).values_list("cutoffs", flat=True).first() or []


_NO_TAIL = "\x00" * 6  # compared against when the number is unknown, so both cases do the same work


@dataclass(frozen=True)
class LookupRow:
    """The latest published year and, in it, the row of one 准考证号 (``id_tail`` and ``answer`` are ``None`` when
    the number is unknown)."""

    year: int
    id_tail: str | None
    answer: dict | None


def _lookup_sql() -> str:
    r, a = PublishedResult._meta.db_table, PublishedAnswer._meta.db_table
    return (f"SELECT r.year, a.id_tail, a.answer FROM {r} r LEFT JOIN {a} a ON a.publication_id = r.id AND a.exam_no = %s "
            f"ORDER BY r.year DESC LIMIT 1")


def lookup_query(exam_no: str) -> tuple[str, list]:
    """The one read of a lookup (SQL and parameters): the latest publication, joined (left) to the answer row of
    ``exam_no`` through the unique index on (publication, 准考证号), so an unknown number is read exactly as a
    known one is. Written out rather than built by the ORM: it is the page families refresh on results day, and
    building the join costs more than running it."""
    return _lookup_sql(), [exam_no.strip()]


def lookup_row(exam_no: str) -> LookupRow | None:
    """``lookup_query``'s row, or ``None`` before any publication."""
    sql, params = lookup_query(exam_no)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    if row is None:
        return None
    year, tail, answer = row
    return LookupRow(year, tail, PublishedAnswer._meta.get_field("answer").from_db_value(answer, None, connection))


def published_answer(*, row: LookupRow, id_tail: str) -> dict | None:
    """The candidate's answer when the 身份证号's last 6 characters match; ``None`` otherwise, the same answer and the
    same work (a constant-time comparison) for an unknown number and a wrong tail."""
    tail = row.id_tail if row.id_tail is not None else _NO_TAIL
    ok = hmac.compare_digest(tail.encode(), id_tail.strip().upper().encode())
    return row.answer if ok and row.id_tail is not None else None


# -- a candidate's own pages -----------------------------------------------------------------------------------------
# Signed in, a candidate reads their own result from the same publication the public lookup reads (the answer row of
# their 准考证号), so the two pages can never disagree; their receipt from their saved preferences.

@dataclass(frozen=True)
class CandidateResult:
    """The publication of a candidate's year and their answer in it (``None`` when the run had no row for them)."""

    publication: PublishedResult
    answer: dict | None

    @property
    def admitted(self) -> bool:
        return bool(self.answer and self.answer.get("program"))


def candidate_result(*, user, candidate: Candidate) -> CandidateResult | None:
    """The published result of ``candidate`` for ``user`` (who must be able to see the candidate), or ``None``
    before their year is published (or after its publication was withdrawn)."""
    if not visible(Candidate, user).filter(pk=candidate.pk).exists():
        return None
    pub = PublishedResult.objects.defer("cutoffs").filter(year=candidate.year).first()
    if pub is None:
        return None
    answer = PublishedAnswer.objects.filter(publication=pub, exam_no=candidate.exam_no).values_list("answer", flat=True).first()
    return CandidateResult(pub, answer)


@dataclass(frozen=True)
class PreviousCutoffs:
    """The latest published year before a year, and per program code its main-round 最低录取分 and 末位志愿序号."""

    year: int | None = None
    by_code: dict[str, tuple[Decimal | None, int | None]] = field(default_factory=dict)


def previous_cutoffs(year: AdmissionYear) -> PreviousCutoffs:
    """Last year's cutoffs for the preference form: the main round (第一轮) of the latest year before ``year``
    whose result is published, by program code (a school's programs keep their codes from year to year, e.g.
    ``G0101-TZ``); empty when no earlier year is published."""
    pub = PublishedResult.objects.defer("cutoffs").filter(year__lt=year.year).select_related("run").order_by("-year").first()
    if pub is None:
        return PreviousCutoffs()
    run_id = pub.run.base_run_id or pub.run_id  # a 补录 publication: its main round is the base run's
    rows = Cutoff.objects.filter(run_id=run_id, round=1).values_list("program__code", "cutoff_score", "last_choice_rank")
    return PreviousCutoffs(pub.year, {code: (score, rank) for code, score, rank in rows})


@dataclass(frozen=True)
class Receipt:
    """A candidate's 志愿回执: every batch's choices in order, the confirmation, and the 补录 choices if any."""

    candidate: Candidate
    year: AdmissionYear
    batches: list[tuple[int, list[Preference]]]
    confirmed_at: dt.datetime | None
    supplementary: list[SupplementaryChoice]


def receipt(*, user, candidate: Candidate, year: AdmissionYear) -> Receipt:
    """The 回执 of ``candidate`` in ``year``, read through the scoping layer (only what ``user`` may see)."""
    prefs = (visible(Preference, user).filter(year=year, candidate=candidate)
             .select_related("program__school", "program__feeder_school").order_by("batch", "rank"))
    batches: dict[int, list[Preference]] = {}
    for p in prefs:
        batches.setdefault(p.batch, []).append(p)
    conf = visible(Confirmation, user).filter(year=year, candidate=candidate).values_list("confirmed_at", flat=True).first()
    rnd = visible(SupplementaryRound, user).filter(year=year).first()
    supp = list(visible(SupplementaryChoice, user).filter(round=rnd, candidate=candidate)
                .select_related("program__school", "program__feeder_school").order_by("batch", "rank")) if rnd else []
    return Receipt(candidate, year, sorted(batches.items()), conf, supp)


def admitted_plan(*, user, candidate: Candidate, result: CandidateResult) -> SchoolPlan | None:
    """The plan (with its 报到 time and place) of the school that admitted ``candidate`` in the published ``result``,
    through the candidate's admission row of the published run; ``None`` when not admitted."""
    adm = (visible(Admission, user).filter(run_id=result.publication.run_id, candidate=candidate, program__isnull=False)
           .select_related("program__school").first())
    if adm is None:
        return None
    return SchoolPlan.objects.filter(year__year=candidate.year, school=adm.program.school).select_related("school").first()
