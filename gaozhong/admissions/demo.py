"""Demo data for admissions: two admission years, each from its files to its publication.

**2025 (last year)**, run and published: its candidates are this school year's 高一 students and the graduates who
did not go on, and it admits each student where they are registered (普高 only; plans without 招生范围).

**2026 (this year)**, the whole 高中阶段 through the year: the city's rules (招生范围须经审批, 特长生 at most 5 % of a
plan with a minimum 中考 and 专业测试 score, those who decline a first-round seat may take part in 补录); 普高 and
中职 plans with their 招生范围 — the provincial model schools and the city's 职业技术学校 city-wide, every other
普高 its own county, each county 中职 school its county and the next — approved; the programs generated (特长,
指标到校, 统招, 中职 by 专业); the window opened and the candidates' preferences entered (in range, as the form
offers them; most confirmed) with the 特长生 公示 before the run; the window closed, the main run recorded,
approved and published; then 补录: opened on the seats left, a few candidates admitted to 中职 decline that seat
for a 普高 seat, about half of those without a seat file 补录 choices among the seats offered in their range, the
补录 closed, its run recorded, approved and published — so the lookup, the 录取分数线, the 普职比 page, the
retention and 招生范围 reports and the 补录 page show both rounds. Two candidate accounts tell the story:
``candidate_demo`` (admitted in the main round) and ``candidate_bulu`` (no seat in the main round, admitted in
补录, whose choices went through the 补录 service as the candidate).

Through the front door: each year's 中考 candidates, which the foundation's build generated, arrive as the
examination authority's 中考考生与成绩 file (CSV: about 20,000 rows) and the schools' plans as a 招生计划 workbook,
each loaded through its import (``gaozhong.core.demofiles``); the bureau's clicks (creating the year, approving
the plans, generating programs, opening and closing the window, running the admission and approving it, opening,
closing, running and approving 补录) are the services the web calls. The crowd's preferences, confirmations,
补录 declines and 补录 choices are written directly (thousands of candidates have no account of their own).

``build(..., until=WINDOW_OPEN)`` stops when this year's window is open with the preferences entered (the window
then runs from yesterday for a month, instead of having closed a month ago): the browser test of the demo's year
(tests/admissions/test_browser_demo_year.py) builds that far and walks the rest as the bureau and the
candidates, with this module's ``supplementary_crowd`` and ``supplementary_account`` for the 补录 step.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.utils import timezone

from gaozhong.admissions.importspecs import SPECS
from gaozhong.admissions.models import (
    Admission, AdmissionRun, AdmissionYear, Confirmation, Preference, Program, SupplementaryChoice, SupplementaryDecline, SupplementaryRound,
)
from gaozhong.admissions.services.imports import plans_import, zhongkao_import
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create, admission_run_execute
from gaozhong.admissions.services.setup import (
    admission_stage_settings_set, admission_window_set, admission_year_create, programs_generate, school_plans_approve,
)
from gaozhong.admissions.services.supplementary import (
    offered_seats, supplementary_choices_set, supplementary_close, supplementary_open, supplementary_run_approve, supplementary_run_create,
    supplementary_run_execute,
)
from gaozhong.core.demo import DEMO_PASSWORD, DemoCity
from gaozhong.core.demofiles import DemoFile, load_demo_files
from gaozhong.core.models import Candidate, County, Membership, Role, School, Student
from gaozhong.importer.export import write_csv, write_xlsx

YEAR = 2026
LAST_YEAR = YEAR - 1
#: ``build(until=WINDOW_OPEN)``: stop with this year's window open and the preferences entered.
WINDOW_OPEN = "window_open"
#: The demo's candidate accounts: admitted in the main round; admitted in 补录.
CANDIDATE_MAIN, CANDIDATE_SUPPLEMENTARY = "candidate_demo", "candidate_bulu"
#: The 中考 file's columns the demo fills (no further subjects: the candidates carry no other named score).
ZHONGKAO_COLUMNS = ("exam_no", "name", "gender", "id_number", "junior_school", "county", "score", "chinese", "math", "english", "talent_score")
#: 专业 of the demo's 中职 schools: seats (at scale 1) and how many candidates want them (机电 and 计算机 fill in
#: the main round, 会计 and 汽车 leave seats for 补录). The city's 职业技术学校 offers all four, a county's the first three.
MAJORS = [("机电技术应用", 900, 4.0), ("计算机应用", 800, 3.0), ("会计事务", 700, 1.0), ("汽车运用与维修", 600, 0.6)]
#: quality order of the 普高 (better first)
QUALITY_RANK = {"provincial": 0, "city": 1, "ordinary": 2}
#: candidates below this 中考 score list 中职 专业 in batch 4
VOCATIONAL_BELOW = 540
#: share of candidates who list an ordinary private (民办) 普高 of their county: it charges fees, and has seats
#: left for 补录
PRIVATE_LISTED = 0.06


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _write_zhongkao(cands: list[Candidate], year: int):
    def write(folder: Path) -> list[Path]:
        path = folder / f"zhongkao-{year}.csv"
        write_csv(path, SPECS["zhongkao"], ({
            "exam_no": c.exam_no, "name": c.name, "gender": c.gender, "id_number": c.id_number, "junior_school": c.junior_school.code,
            "county": c.county.code, "score": _dec(c.score), "chinese": _dec(c.chinese), "math": _dec(c.math), "english": _dec(c.english),
            "talent_score": _dec(c.talent_score)} for c in cands), columns=ZHONGKAO_COLUMNS)
        return [path]

    return write


def vocational_range(school: School, counties: list[County]) -> str:
    """A 中职 school's 招生范围 in the demo: the city's 职业技术学校 the whole city, a county's school its county and
    the next one (by code)."""
    if "技术学校" in school.name:
        return "全市"
    codes = [c.code for c in counties]
    i = codes.index(school.county.code)
    return ";".join(codes[i:i + 2])


def _write_plans(year: int, intake: dict[str, int], seats: dict[str, int] | None = None, scale: float = 1.0):
    """Each senior school's plan: ``seats`` by school code (default: its yearly ``intake``), 2% 特长生 seats at the
    model schools, its 报到 time and place (the 中职 schools leave theirs for later). Last year's (``seats`` given)
    admit from the whole city; this year's have 招生范围 — the provincial model schools city-wide, every other school
    its own county — and each 中职 school's plan by 专业 (``MAJORS`` times ``scale``) with its range
    (``vocational_range``)."""
    def write(folder: Path) -> list[Path]:
        seniors = list(School.objects.filter(level=School.Level.SENIOR).select_related("county").order_by("code"))
        plan = {s.code: (seats[s.code] if seats is not None else intake[s.code]) for s in seniors}
        ranged = seats is None

        def area(s: School) -> str:
            return "" if not ranged else ("全市" if s.quality == School.Quality.PROVINCIAL_MODEL else s.county.code)

        def report(i: int, s: School) -> dict:
            # each 普通高中 sets its 报到 arrangement with its plan; the 中职 schools leave it to announce later
            return {"report_time": f"{year}年8月{25 + i % 3}日 {8 + i % 2}:00—11:30",
                    "report_place": f"{s.name}（{s.address}）{'体育馆' if i % 2 else '教学楼一层大厅'}" if s.address else f"{s.name}体育馆"}

        rows = [{"school": s.code, "seats": plan[s.code], "talent_seats": max(0, round(plan[s.code] * 0.02)) if s.is_quality else 0,
                 "counties": area(s), "talent_type": "艺术", **report(i, s)} for i, s in enumerate(seniors)]
        if ranged:
            counties = list(County.objects.order_by("code"))
            for s in School.objects.filter(level=School.Level.VOCATIONAL).select_related("county").order_by("code"):
                majors = [(m, max(1, round(n * scale))) for m, n, _ in (MAJORS if "技术学校" in s.name else MAJORS[:3])]
                rows.append({"school": s.code, "seats": sum(n for _, n in majors), "talent_seats": 0, "counties": vocational_range(s, counties),
                             "majors": ";".join(f"{m}:{n}" for m, n in majors)})
        path = folder / f"plans-{year}.xlsx"
        write_xlsx(path, SPECS["plans"], rows)
        return [path]

    return write


def _year_steps(*, admin, year: AdmissionYear, cands: list[Candidate] | None, out: dict, intake: dict[str, int],
                seats: dict[str, int] | None = None, scale: float = 1.0) -> list[DemoFile]:
    """The year's files (中考 when there are candidates to write, then plans) and the clicks after the plans:
    approve them, generate the programs, open the window."""
    def approve_and_open() -> None:
        school_plans_approve(actor=admin, year=year)
        out.update(programs_generate(actor=admin, year=year))
        admission_window_set(actor=admin, year=year, status=AdmissionYear.Status.OPEN)

    steps = [] if cands is None else [DemoFile("zhongkao", _write_zhongkao(cands, year.year), partial(zhongkao_import, year=year.year))]
    steps.append(DemoFile("plans", _write_plans(year.year, intake, seats, scale), partial(plans_import, year=year.year), after=approve_and_open))
    return steps


def _fee_paying(school: School) -> bool:
    return school.ownership == School.Ownership.PRIVATE and school.quality == School.Quality.ORDINARY


def _weighted_order(items: list, weight, r: random.Random) -> list:
    """``items`` in a random order where heavier items tend to come first (each drawn with probability in
    proportion to its weight, without replacement)."""
    return sorted(items, key=lambda p: r.random() ** (1.0 / weight(p)), reverse=True)


def _preferences(year: AdmissionYear, cands: list[Candidate], r: random.Random, always: frozenset[int] = frozenset()) -> list[Preference]:
    """Preferences of ``cands`` (6% enter none, but never those in ``always``), each choice one the preference form
    offers them (in range): a 特长 program open to their county (if they have a talent score), their own quota
    programs, up to six 统招 choices, mostly in their county (a fee-paying private school only for
    ``PRIVATE_LISTED`` of them), better schools first for higher scores; those below ``VOCATIONAL_BELOW`` also list
    one to three 中职 专业 (batch 4), the popular ones (``MAJORS``) and their own county's more often."""
    programs = list(Program.objects.filter(year=year).select_related("school", "school__county", "feeder_school"))
    unified = [p for p in programs if p.kind == Program.Kind.UNIFIED]
    quota_by_junior: dict[int, list[Program]] = {}
    for p in programs:
        if p.kind == Program.Kind.QUOTA:
            quota_by_junior.setdefault(p.feeder_school_id, []).append(p)
    talent = [p for p in programs if p.kind == Program.Kind.TALENT]
    vocational = [p for p in programs if p.kind == Program.Kind.VOCATIONAL]
    popularity = {m: w for m, _, w in MAJORS}
    rows = []
    for c in cands:
        if r.random() < 0.06 and c.pk not in always:
            continue
        county = c.county.code
        if c.talent_score is not None:
            mine = [p for p in talent if p.admits_from(county)]
            if mine:
                rows.append(Preference(year=year, candidate=c, batch=1, rank=1, program=r.choice(mine)))
        for i, p in enumerate(sorted(quota_by_junior.get(c.junior_school_id, []), key=lambda p: QUALITY_RANK[p.school.quality])[:2], start=1):
            rows.append(Preference(year=year, candidate=c, batch=2, rank=i, program=p))
        own = [p for p in unified if p.school.county_id == c.county_id and (not _fee_paying(p.school) or r.random() < PRIVATE_LISTED)]
        other = [p for p in unified if p.school.county_id != c.county_id and p.admits_from(county)]
        ambitious = float(c.score) > 560
        own.sort(key=lambda p: (QUALITY_RANK[p.school.quality] if ambitious else -QUALITY_RANK[p.school.quality], r.random()))
        picks = own[:4] + r.sample(other, k=min(len(other), r.randrange(0, 3)))
        for i, p in enumerate(picks[:6], start=1):
            rows.append(Preference(year=year, candidate=c, batch=3, rank=i, program=p))
        if float(c.score) < VOCATIONAL_BELOW:
            mine = [p for p in vocational if p.admits_from(county)]
            near = _weighted_order(mine, lambda p: popularity[p.major] * (2.0 if p.school.county_id == c.county_id else 1.0), r)
            rows += [Preference(year=year, candidate=c, batch=4, rank=i, program=p) for i, p in enumerate(near[:r.randrange(1, 4)], start=1)]
    Preference.objects.bulk_create(rows, batch_size=5000)
    return rows


def _last_year_preferences(year: AdmissionYear, cands: list[Candidate], entered: dict[str, int], r: random.Random) -> list[Preference]:
    """Last year's preferences, written so that the run admits every 高一 student where they are registered (the
    plans are those schools' intakes): a student lists the school they entered (its 特长 program with a 特长 score,
    their junior school's 指标到校 program there if it has one, its 统招 program); a graduate who did not enter a
    senior high school lists 统招 programs whose entrants all scored higher, and is turned down by each with the
    cutoff and their own score."""
    programs = list(Program.objects.filter(year=year).select_related("school"))
    unified = {p.school_id: p for p in programs if p.kind == Program.Kind.UNIFIED}
    talent = {p.school_id: p for p in programs if p.kind == Program.Kind.TALENT}
    quota = {(p.school_id, p.feeder_school_id): p for p in programs if p.kind == Program.Kind.QUOTA}
    lowest: dict[int, float] = {}
    for c in cands:
        if c.exam_no in entered:
            school = entered[c.exam_no]
            lowest[school] = min(lowest.get(school, 1e9), float(c.score))
    quality_rank = {"provincial": 0, "city": 1, "ordinary": 2}
    rows = []
    for c in cands:
        school = entered.get(c.exam_no)
        if school is not None:
            if c.talent_score is not None and school in talent:
                rows.append(Preference(year=year, candidate=c, batch=1, rank=1, program=talent[school]))
            if (school, c.junior_school_id) in quota:
                rows.append(Preference(year=year, candidate=c, batch=2, rank=1, program=quota[(school, c.junior_school_id)]))
            rows.append(Preference(year=year, candidate=c, batch=3, rank=1, program=unified[school]))
            continue
        if r.random() < 0.1:
            continue
        above = [p for p in unified.values() if lowest.get(p.school_id, 0) > float(c.score)]
        own = sorted((p for p in above if p.school.county_id == c.county_id), key=lambda p: (quality_rank[p.school.quality], r.random()))
        other = sorted((p for p in above if p.school.county_id != c.county_id), key=lambda p: p.code)
        picks = own[:3] + r.sample(other, k=min(len(other), r.randrange(0, 3)))
        rows += [Preference(year=year, candidate=c, batch=3, rank=i, program=p) for i, p in enumerate(picks, start=1)]
    Preference.objects.bulk_create(rows, batch_size=5000)
    return rows


def _last_year(*, seed: int, progress, admin, city: DemoCity) -> None:
    """Last year's admission, from its files to its publication: its candidates are this year's 高一 students (by
    their registration's 准考证号) and the graduates who did not go on; the plans are the schools' intakes; the
    window (a year ago) opened and closed, the run recorded and approved, so its 录取分数线 and result lookup are
    public, and the registry's 未经平台录取入学 check finds every 高一 student admitted where registered."""
    r = random.Random(seed + 7)
    opens = timezone.now() - dt.timedelta(days=365 + 10)
    year = admission_year_create(actor=admin, year=LAST_YEAR, window_opens=opens, window_closes=opens + dt.timedelta(days=7))
    entrants = list(Student.objects.filter(entry_year=LAST_YEAR).values_list("exam_no", "school_id", "school__code"))
    seats = Counter(code for _, _, code in entrants)
    out: dict = {}
    load_demo_files(_year_steps(admin=admin, year=year, cands=city.last_year_candidates, out=out, intake=city.intake, seats=seats), actor=admin,
                    folder=city.folder, progress=progress)
    cands = list(Candidate.objects.filter(year=LAST_YEAR).select_related("county").order_by("exam_no"))
    rows = _last_year_preferences(year, cands, {exam_no: school for exam_no, school, _ in entrants}, r)
    admission_window_set(actor=admin, year=year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_create(actor=admin, year=year)
    admission_run_execute(run=run)
    run.refresh_from_db()
    admission_run_approve(actor=admin, run=run)
    admitted = run.admissions.filter(program__isnull=False).count()
    progress(f"{LAST_YEAR} admission published: {len(rows)} preferences of {len(cands)} candidates, {admitted} admitted "
             f"(录取分数线 and 录取结果查询 show it)")


def build(*, seed: int, progress, city: DemoCity, until: str | None = None) -> None:
    """Both years (module docstring); ``until=WINDOW_OPEN`` stops with this year's window open."""
    admin = User.objects.get(username="city_admin")
    _last_year(seed=seed, progress=progress, admin=admin, city=city)
    year = this_year_open(seed=seed, progress=progress, admin=admin, city=city, window_now=until == WINDOW_OPEN)
    if until == WINDOW_OPEN:
        return
    main_round(admin=admin, year=year, progress=progress)
    supplementary_round(seed=seed, admin=admin, year=year, progress=progress)


def _account(username: str, cand: Candidate) -> User:
    u = User.objects.create(username=username, first_name=cand.name, password=make_password(DEMO_PASSWORD))
    Membership.objects.create(user=u, role=Role.STUDENT, candidate=cand)
    return u


def demo_candidate(cands: list[Candidate]) -> Candidate:
    """candidate_demo: the first candidate (准考证号 order) with a 中考 score of 590–640 and no talent score — a good
    student whose own county's schools admit them in the main round."""
    return next(c for c in cands if 590 <= float(c.score) <= 640 and c.talent_score is None)


def this_year_open(*, seed: int, progress, admin, city: DemoCity, window_now: bool = False) -> AdmissionYear:
    """This year up to the open window: the year and its rules, the 中考 and 招生计划 files through their imports,
    the plans approved, the programs generated, the window opened; the candidates' preferences (every choice in
    range) and, for 88 % of those who entered any, their confirmation; the candidate_demo account (its preferences
    entered, not yet confirmed). The window opened 40 days ago and closed a week later, or with ``window_now`` it
    runs from yesterday for a month."""
    r = random.Random(seed + 6)
    now = timezone.now()
    if window_now:
        opens, closes = now - dt.timedelta(days=1), now + dt.timedelta(days=30)
    else:
        opens, closes = now - dt.timedelta(days=40), now - dt.timedelta(days=33)
    year = admission_year_create(actor=admin, year=YEAR, window_opens=opens, window_closes=closes)
    admission_stage_settings_set(actor=admin, year=year, range_required=True, special_share=Decimal("0.05"), special_min_score=Decimal("450"),
                                 special_min_test_score=Decimal("65"), supplementary_declined=True)
    out: dict = {}
    load_demo_files(_year_steps(admin=admin, year=year, cands=city.candidates, out=out, intake=city.intake, scale=city.scale), actor=admin,
                    folder=city.folder, progress=progress)
    progress(f"{YEAR} admission: {out['unified']} 统招, {out['quota']} 指标到校, {out['talent']} 特长, {out['vocational']} 中职 programs, "
             f"plans approved with their 招生范围")

    cands = list(Candidate.objects.filter(year=YEAR).select_related("county").order_by("exam_no"))
    mine = demo_candidate(cands)
    rows = _preferences(year, cands, r, always=frozenset({mine.pk}))
    entered = sorted({p.candidate_id for p in rows} - {mine.pk})
    confirmed = [pk for pk in entered if r.random() < 0.88]
    Confirmation.objects.bulk_create([Confirmation(year=year, candidate_id=pk) for pk in confirmed], batch_size=5000)
    progress(f"{len(rows)} preferences of {len(entered) + 1} candidates ({len(confirmed)} confirmed), every choice within its 招生范围")
    _account(CANDIDATE_MAIN, mine)
    progress(f"{CANDIDATE_MAIN} account (准考证号 {mine.exam_no}, 中考 {mine.score}): preferences entered, not yet confirmed")
    return year


def main_round(*, admin, year: AdmissionYear, progress) -> AdmissionRun:
    """candidate_demo confirms, the window closes, the main run is recorded, approved and published."""
    mine = Membership.objects.get(user__username=CANDIDATE_MAIN).candidate
    Confirmation.objects.get_or_create(year=year, candidate=mine)  # what candidate_demo did before the window closed
    admission_window_set(actor=admin, year=year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_create(actor=admin, year=year)
    admission_run_execute(run=run)
    run.refresh_from_db()
    admission_run_approve(actor=admin, run=run)
    admitted = Counter(run.admissions.filter(program__isnull=False).values_list("program__school__level", flat=True))
    a = run.admissions.select_related("program").get(candidate=mine)
    progress(f"{YEAR} main round published: {admitted[School.Level.SENIOR]} to 普高, {admitted[School.Level.VOCATIONAL]} to 中职, "
             f"{run.admissions.filter(program__isnull=True).count()} without a seat; "
             f"{CANDIDATE_MAIN}: {a.program.code if a.program_id else 'no seat'}")
    return run


def _offered_programs(year: AdmissionYear, offered: dict[str, int]) -> list[Program]:
    """The 统招 and 中职 programs with seats offered in 补录 (特长 and 指标到校 roll their seats on: none)."""
    return list(Program.objects.filter(year=year, code__in=[c for c, n in offered.items() if n > 0],
                                       kind__in=[Program.Kind.UNIFIED, Program.Kind.VOCATIONAL]).select_related("school").order_by("batch", "code"))


def supplementary_crowd(*, year: AdmissionYear, rnd: SupplementaryRound, seed: int) -> tuple[int, int]:
    """The crowd's part of an open 补录 (written directly): where the round allows it, the best-scoring candidates
    admitted to 中职 whose county has 普高 seats offered decline their seat (about 0.5 % of the 中职 admissions);
    they and about half of those without a seat file choices among the seats offered in their range — up to three
    普高 统招 programs (their own county's first) and one or two 中职 专业. Returns (declined, candidates filing)."""
    r = random.Random(seed + 8)
    base = rnd.base_run
    seat = dict(Admission.objects.filter(run=base).values_list("candidate_id", "program_id"))
    cands = list(Candidate.objects.filter(year=year.year).select_related("county").order_by("exam_no"))
    offered = offered_seats(rnd)
    programs = _offered_programs(year, offered)
    unified = [p for p in programs if p.kind == Program.Kind.UNIFIED]
    vocational = [p for p in programs if p.kind == Program.Kind.VOCATIONAL]
    taken = set(Membership.objects.filter(candidate__year=year.year).values_list("candidate_id", flat=True))  # the accounts file their own
    decliners: list[Candidate] = []
    if rnd.allow_declined:
        voc_ids = set(Program.objects.filter(year=year, kind=Program.Kind.VOCATIONAL).values_list("pk", flat=True))
        at_voc = sorted((c for c in cands if seat.get(c.pk) in voc_ids and c.pk not in taken and any(p.admits_from(c.county.code) for p in unified)),
                        key=lambda c: (-c.score, c.exam_no))
        decliners = at_voc[: max(1, len(at_voc) // 200)] if at_voc else []
        SupplementaryDecline.objects.bulk_create([SupplementaryDecline(round=rnd, candidate=c) for c in decliners])
    declined = {c.pk for c in decliners}
    rows = []
    filing = 0
    for c in cands:
        if c.pk in taken or not (c.pk in declined or (seat.get(c.pk) is None and r.random() < 0.5)):
            continue
        county = c.county.code
        general = sorted((p for p in unified if p.admits_from(county)), key=lambda p: (p.school.county_id != c.county_id, r.random()))
        general = general[: r.randrange(1, 4)]
        voc = []
        if c.pk not in declined:  # a decliner wants a 普高 seat
            voc = _weighted_order([p for p in vocational if p.admits_from(county)], lambda p: offered[p.code], r)[: r.randrange(1, 3)]
        mine = [(3, i, p) for i, p in enumerate(general, start=1)] + [(4, i, p) for i, p in enumerate(voc, start=1)]
        rows += [SupplementaryChoice(round=rnd, candidate=c, batch=b, rank=i, program=p) for b, i, p in mine]
        filing += bool(mine)
    SupplementaryChoice.objects.bulk_create(rows, batch_size=5000)
    return len(decliners), filing


def supplementary_account(*, year: AdmissionYear, rnd: SupplementaryRound) -> tuple[User, Candidate, dict[int, list[str]]]:
    """candidate_bulu and the choices it files (after the crowd's): the first candidate (准考证号 order) who entered
    preferences, got no seat in the main round and has filed nothing in 补录, for whom a program in range offers
    more seats than the 补录 choices naming it — a 普高 统招 program if there is one, else a 中职 专业 — so the
    补录 admits them there. Returns the account, the candidate and the choices by batch."""
    offered = offered_seats(rnd)
    demand = Counter(rnd.choices.values_list("program__code", flat=True))
    slack = [p for p in _offered_programs(year, offered) if offered[p.code] > demand[p.code]]
    slack.sort(key=lambda p: (p.batch, QUALITY_RANK.get(p.school.quality, 3), p.code))
    filed = set(rnd.choices.values_list("candidate_id", flat=True)) | set(rnd.declines.values_list("candidate_id", flat=True))
    entered = set(Preference.objects.filter(year=year).values_list("candidate_id", flat=True))
    skip = filed | set(Membership.objects.filter(candidate__year=year.year).values_list("candidate_id", flat=True))
    without = [a.candidate for a in Admission.objects.filter(run=rnd.base_run, program__isnull=True).select_related("candidate", "candidate__county")
               .order_by("candidate__exam_no") if a.candidate_id not in skip and a.candidate_id in entered]
    for kind in (Program.Kind.UNIFIED, Program.Kind.VOCATIONAL):
        for c in without:
            fits = [p for p in slack if p.kind == kind and p.admits_from(c.county.code)]
            if fits:
                return _account(CANDIDATE_SUPPLEMENTARY, c), c, {fits[0].batch: [fits[0].code]}
    raise RuntimeError("示范城市的补录没有可录取的名额 (no 补录 seat with room for the demo account)")


def supplementary_round(*, seed: int, admin, year: AdmissionYear, progress) -> AdmissionRun:
    """补录 from opening to publication (module docstring): opened on the seats left, the crowd's declines and
    choices, candidate_bulu's choices through the service, closed, run, approved and published."""
    rnd = supplementary_open(actor=admin, year=year)
    declined, filing = supplementary_crowd(year=year, rnd=rnd, seed=seed)
    user, cand, choices = supplementary_account(year=year, rnd=rnd)
    for batch, codes in choices.items():
        supplementary_choices_set(actor=user, year=year, candidate=cand, batch=batch, program_codes=codes)
    supplementary_close(actor=admin, year=year)
    run = supplementary_run_create(actor=admin, year=year)
    supplementary_run_execute(run=run)
    run.refresh_from_db()
    supplementary_run_approve(actor=admin, run=run)
    second = Counter(run.admissions.filter(round=2).values_list("program__school__level", flat=True))
    a = run.admissions.select_related("program").get(candidate=cand)
    progress(f"{YEAR} 补录 published: {sum(rnd.seats.values())} seats left, {declined} declined, {filing + 1} candidates filed; "
             f"{second[School.Level.SENIOR]} admitted to 普高 and {second[School.Level.VOCATIONAL]} to 中职 in 补录; "
             f"{CANDIDATE_SUPPLEMENTARY} (准考证号 {cand.exam_no}): {a.program.code if a.program_id else 'no seat'}")
    return run
