"""Demo data for admissions: last year's (2025) admission run and published — its candidates are this school
year's 高一 students and the graduates who did not go on, and it admits each student where they are registered —
so the public 录取分数线 page and the result lookup answer as soon as the demo serves; and this year's (2026) with
approved plans, generated programs (指标到校 split included), the preference window open, and preferences entered
by most candidates; a candidate account.

Through the front door: each year's 中考 candidates, which the foundation's build generated, arrive as the
examination authority's 中考考生与成绩 file (CSV: about 20,000 rows) and the schools' plans as a 招生计划 workbook,
each loaded through its import (``gaozhong.core.demofiles``); the bureau's clicks (creating the year, approving
the plans, generating programs, opening and closing the window, running the admission and approving it) are the
services the web calls. Preferences are written directly: the 志愿 import records every imported candidate as
confirmed, and the demo leaves this year's unconfirmed.

The bureau can then close this year's window, run the admission, approve it and look results up, in the demo.
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
from gaozhong.admissions.models import AdmissionYear, Preference, Program
from gaozhong.admissions.services.imports import plans_import, zhongkao_import
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create, admission_run_execute
from gaozhong.admissions.services.setup import (
    admission_stage_settings_set, admission_window_set, admission_year_create, programs_generate, school_plans_approve,
)
from gaozhong.core.demo import DEMO_PASSWORD, SENIOR_SCHOOLS, DemoCity
from gaozhong.core.demofiles import DemoFile, load_demo_files
from gaozhong.core.models import Candidate, Membership, Role, School, Student
from gaozhong.importer.export import write_csv, write_xlsx

YEAR = 2026
LAST_YEAR = YEAR - 1
#: The 中考 file's columns the demo fills (no further subjects: the candidates carry no other named score).
ZHONGKAO_COLUMNS = ("exam_no", "name", "gender", "id_number", "junior_school", "county", "score", "chinese", "math", "english", "talent_score")


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


#: 专业 of the demo's 中职 schools with their seats (each school offers the first three, 职业技术学校 all).
MAJORS = [("机电技术应用", 120), ("计算机应用", 100), ("会计事务", 80), ("汽车运用与维修", 60)]


def _write_plans(year: int, seats: dict[str, int] | None = None):
    """Each senior school's plan: ``seats`` by school code (default: its yearly intake), 2% 特长生 seats at the
    model schools, its 报到 time and place (the 中职 schools leave theirs for later). Last year's (``seats`` given) admit from the whole city; this year's have 招生范围 — the
    provincial model schools city-wide, every other school its own county — and each 中职 school's plan by 专业,
    city-wide."""
    def write(folder: Path) -> list[Path]:
        intake = {name: n for _, name, _, _, n in SENIOR_SCHOOLS}
        seniors = list(School.objects.filter(level=School.Level.SENIOR).select_related("county").order_by("code"))
        plan = {s.code: (seats[s.code] if seats is not None else intake[s.name]) for s in seniors}
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
            for s in School.objects.filter(level=School.Level.VOCATIONAL).order_by("code"):
                majors = MAJORS if "技术学校" in s.name else MAJORS[:3]
                rows.append({"school": s.code, "seats": sum(n for _, n in majors), "talent_seats": 0, "counties": "全市",
                             "majors": ";".join(f"{m}:{n}" for m, n in majors)})
        path = folder / f"plans-{year}.xlsx"
        write_xlsx(path, SPECS["plans"], rows)
        return [path]

    return write


def _year_steps(*, admin, year: AdmissionYear, cands: list[Candidate] | None, out: dict, seats: dict[str, int] | None = None) -> list[DemoFile]:
    """The year's files (中考 when there are candidates to write, then plans) and the clicks after the plans:
    approve them, generate the programs, open the window."""
    def approve_and_open() -> None:
        school_plans_approve(actor=admin, year=year)
        out.update(programs_generate(actor=admin, year=year))
        admission_window_set(actor=admin, year=year, status=AdmissionYear.Status.OPEN)

    steps = [] if cands is None else [DemoFile("zhongkao", _write_zhongkao(cands, year.year), partial(zhongkao_import, year=year.year))]
    steps.append(DemoFile("plans", _write_plans(year.year, seats), partial(plans_import, year=year.year), after=approve_and_open))
    return steps


def _preferences(year: AdmissionYear, cands: list[Candidate], r: random.Random) -> list[Preference]:
    """Preferences of ``cands`` (6% enter none): talent (if they have a talent score), their own quota programs,
    and up to six 统招 choices in range, mostly in their county, better schools first for higher scores; those
    below 500 also list one or two 中职 专业 (batch 4)."""
    programs = list(Program.objects.filter(year=year).select_related("school", "school__county", "feeder_school"))
    unified = [p for p in programs if p.kind == Program.Kind.UNIFIED]
    quota_by_junior: dict[int, list[Program]] = {}
    for p in programs:
        if p.kind == Program.Kind.QUOTA:
            quota_by_junior.setdefault(p.feeder_school_id, []).append(p)
    talent = [p for p in programs if p.kind == Program.Kind.TALENT]
    vocational = [p for p in programs if p.kind == Program.Kind.VOCATIONAL]
    quality_rank = {"provincial": 0, "city": 1, "ordinary": 2}
    rows = []
    for c in cands:
        if r.random() < 0.06:
            continue
        if c.talent_score is not None and talent:
            rows.append(Preference(year=year, candidate=c, batch=1, rank=1, program=r.choice(talent)))
        for i, p in enumerate(sorted(quota_by_junior.get(c.junior_school_id, []), key=lambda p: quality_rank[p.school.quality])[:2], start=1):
            rows.append(Preference(year=year, candidate=c, batch=2, rank=i, program=p))
        own = [p for p in unified if p.school.county_id == c.county_id]
        other = [p for p in unified if p.school.county_id != c.county_id and p.admits_from(c.county.code)]
        ambitious = float(c.score) > 560
        own.sort(key=lambda p: (quality_rank[p.school.quality] if ambitious else -quality_rank[p.school.quality], r.random()))
        picks = own[:4] + r.sample(other, k=min(len(other), r.randrange(0, 3)))
        for i, p in enumerate(picks[:6], start=1):
            rows.append(Preference(year=year, candidate=c, batch=3, rank=i, program=p))
        if vocational and float(c.score) < 500:
            near = sorted(vocational, key=lambda p: (p.school.county_id != c.county_id, r.random()))
            rows += [Preference(year=year, candidate=c, batch=4, rank=i, program=p) for i, p in enumerate(near[:r.randrange(1, 3)], start=1)]
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
    load_demo_files(_year_steps(admin=admin, year=year, cands=city.last_year_candidates, out=out, seats=seats), actor=admin,
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


def build(*, seed: int, progress, city: DemoCity | None = None) -> None:
    admin = User.objects.get(username="city_admin")
    if city is not None:
        _last_year(seed=seed, progress=progress, admin=admin, city=city)
    r = random.Random(seed + 6)
    now = timezone.now()
    year = admission_year_create(actor=admin, year=YEAR, window_opens=now - dt.timedelta(days=1), window_closes=now + dt.timedelta(days=30))
    admission_stage_settings_set(actor=admin, year=year, range_required=True, special_share=Decimal("0.05"), special_min_score=Decimal("450"),
                                 special_min_test_score=None, supplementary_declined=True)
    out: dict = {}
    load_demo_files(_year_steps(admin=admin, year=year, cands=city.candidates if city else None, out=out), actor=admin,
                    folder=city.folder if city else None, progress=progress)
    progress(f"{YEAR} admission: {out['unified']} 统招, {out['quota']} 指标到校, {out['talent']} 特长, {out['vocational']} 中职 programs")

    cands = list(Candidate.objects.filter(year=YEAR).select_related("county").order_by("exam_no"))
    # the first candidate is the demo account's, left for the user to fill in
    rows = _preferences(year, cands[1:], r)
    progress(f"{len(rows)} preferences of {len(cands) - 1} candidates")

    u = User.objects.create(username="candidate_demo", first_name=cands[0].name, password=make_password(DEMO_PASSWORD))
    Membership.objects.create(user=u, role=Role.STUDENT, candidate=cands[0])
    progress("candidate_demo account (准考证号 " + cands[0].exam_no + ")")
