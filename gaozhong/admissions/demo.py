"""Demo data for admissions: the 2026 admission year with approved plans, generated programs (指标到校 split
included), the preference window open, and preferences entered by most candidates; a candidate account.

Through the front door: the 中考 candidates the foundation's build generated arrive as the examination
authority's 中考考生与成绩 file (CSV: about 20,000 rows) and the schools' plans as a 招生计划 workbook, each
loaded through its import (``gaozhong.core.demofiles``); the bureau's clicks (creating the year, approving the
plans, generating programs, opening the window) are the services the web calls. Preferences are written
directly: the 志愿 import records every imported candidate as confirmed, and the demo leaves them unconfirmed.

The bureau can then close the window, run the admission, approve it and look results up, in the demo.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.utils import timezone

from gaozhong.admissions.importspecs import SPECS
from gaozhong.admissions.models import AdmissionYear, Preference, Program
from gaozhong.admissions.services.imports import plans_import, zhongkao_import
from gaozhong.admissions.services.setup import (
    admission_stage_settings_set, admission_window_set, admission_year_create, programs_generate, school_plans_approve,
)
from gaozhong.core.demo import DEMO_PASSWORD, SENIOR_SCHOOLS, DemoCity
from gaozhong.core.demofiles import DemoFile, load_demo_files
from gaozhong.core.models import Candidate, Membership, Role, School
from gaozhong.importer.export import write_csv, write_xlsx

YEAR = 2026
#: The 中考 file's columns the demo fills (no further subjects: the candidates carry no other named score).
ZHONGKAO_COLUMNS = ("exam_no", "name", "gender", "id_number", "junior_school", "county", "score", "chinese", "math", "english", "talent_score")


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _write_zhongkao(cands: list[Candidate]):
    def write(folder: Path) -> list[Path]:
        path = folder / f"zhongkao-{YEAR}.csv"
        write_csv(path, SPECS["zhongkao"], ({
            "exam_no": c.exam_no, "name": c.name, "gender": c.gender, "id_number": c.id_number, "junior_school": c.junior_school.code,
            "county": c.county.code, "score": _dec(c.score), "chinese": _dec(c.chinese), "math": _dec(c.math), "english": _dec(c.english),
            "talent_score": _dec(c.talent_score)} for c in cands), columns=ZHONGKAO_COLUMNS)
        return [path]

    return write


#: 专业 of the demo's 中职 schools with their seats (each school offers the first three, 职业技术学校 all).
MAJORS = [("机电技术应用", 120), ("计算机应用", 100), ("会计事务", 80), ("汽车运用与维修", 60)]


def _write_plans(folder: Path) -> list[Path]:
    """Each senior school's plan: its yearly intake, 2% 特长生 seats at the model schools; the provincial model
    schools admit city-wide, every other school from its own county (招生范围); each 中职 school's plan by 专业,
    city-wide."""
    intake = {name: n for _, name, _, _, n in SENIOR_SCHOOLS}
    rows = [{"school": s.code, "seats": intake[s.name], "talent_seats": max(0, round(intake[s.name] * 0.02)) if s.is_quality else 0,
             "counties": "全市" if s.quality == School.Quality.PROVINCIAL_MODEL else s.county.code, "talent_type": "艺术"}
            for s in School.objects.filter(level=School.Level.SENIOR).select_related("county").order_by("code")]
    for s in School.objects.filter(level=School.Level.VOCATIONAL).order_by("code"):
        majors = MAJORS if "技术学校" in s.name else MAJORS[:3]
        rows.append({"school": s.code, "seats": sum(n for _, n in majors), "talent_seats": 0, "counties": "全市",
                     "majors": ";".join(f"{m}:{n}" for m, n in majors)})
    path = folder / f"plans-{YEAR}.xlsx"
    write_xlsx(path, SPECS["plans"], rows)
    return [path]


def build(*, seed: int, progress, city: DemoCity | None = None) -> None:
    r = random.Random(seed + 6)
    admin = User.objects.get(username="city_admin")
    now = timezone.now()
    steps = [] if city is None else [DemoFile("zhongkao", _write_zhongkao(city.candidates), partial(zhongkao_import, year=YEAR))]
    year = admission_year_create(actor=admin, year=YEAR, window_opens=now - dt.timedelta(days=1), window_closes=now + dt.timedelta(days=30))
    admission_stage_settings_set(actor=admin, year=year, range_required=True, special_share=Decimal("0.05"), special_min_score=Decimal("450"),
                                 special_min_test_score=None, supplementary_declined=True)
    out: dict = {}

    def approve_and_open() -> None:
        school_plans_approve(actor=admin, year=year)
        out.update(programs_generate(actor=admin, year=year))
        admission_window_set(actor=admin, year=year, status=AdmissionYear.Status.OPEN)

    steps.append(DemoFile("plans", _write_plans, partial(plans_import, year=YEAR), after=approve_and_open))
    load_demo_files(steps, actor=admin, folder=city.folder if city else None, progress=progress)
    progress(f"{YEAR} admission: {out['unified']} 统招, {out['quota']} 指标到校, {out['talent']} 特长, {out['vocational']} 中职 programs")

    # Most candidates have entered preferences: talent (if they have a talent score), their own quota programs,
    # and up to six 统招 choices in range, mostly in their county, better schools first for higher scores; those
    # below 500 also list one or two 中职 专业 (batch 4).
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
    cands = list(Candidate.objects.filter(year=2026).select_related("county").order_by("exam_no"))
    for c in cands[1:]:  # the first candidate is the demo account's, left for the user to fill in
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
    progress(f"{len(rows)} preferences of {len(cands) - 1} candidates")

    u = User.objects.create(username="candidate_demo", first_name=cands[0].name, password=make_password(DEMO_PASSWORD))
    Membership.objects.create(user=u, role=Role.STUDENT, candidate=cands[0])
    progress("candidate_demo account (准考证号 " + cands[0].exam_no + ")")
