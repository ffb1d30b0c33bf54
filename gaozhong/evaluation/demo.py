"""Demo data for evaluation: gaokao totals of the three graduated cohorts with school effects, yearly school
outcomes (学考, 体质健康, 近视率), and the value-added run of each cohort.

Gaokao total = 95 + 0.78 × entry score + school effect + noise (σ 28), with school effects that do not simply
follow intake quality (some ordinary schools add more than model schools), drifting a little between cohorts,
so the caterpillar plots show something true to the data.

Through the front door: the results arrive as the 考试院's 高考成绩 files (one CSV per year, about 11,000 rows
each) and the outcomes as a 学校年度指标 workbook, each loaded through its import (``gaozhong.core.demofiles``);
the value-added runs are the service the web's button calls.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User

from gaozhong.core.demo import DemoCity
from gaozhong.core.demofiles import DemoFile, load_demo_files
from gaozhong.core.models import School, SchoolYear, Student
from gaozhong.evaluation.importspecs import GAOKAO, OUTCOMES
from gaozhong.evaluation.services.imports import gaokao_import, outcomes_import
from gaozhong.evaluation.services.runs import value_added_run_create
from gaozhong.importer.export import write_csv, write_xlsx


def _d(x: float) -> Decimal:
    return Decimal(str(round(x, 1)))


def _writer(name: str, spec, rows_of: dict[str, list[dict]], csv: bool):
    def write(folder: Path) -> list[Path]:
        paths = []
        for key, rows in rows_of.items():
            path = folder / f"{name}-{key}.{'csv' if csv else 'xlsx'}"
            (write_csv if csv else write_xlsx)(path, spec, rows)
            paths.append(path)
        return paths

    return write


def build(*, seed: int, progress, city: DemoCity | None = None) -> None:
    r = random.Random(seed + 9)
    seniors = list(School.objects.filter(level=School.Level.SENIOR).order_by("code"))
    base_effect = {s.pk: r.gauss(0, 11) for s in seniors}
    # A few schools with clear effects either way, whatever their intake.
    for s, bump in zip(seniors[2::6], (24, -22, 19, -17)):
        base_effect[s.pk] += bump
    last_year = SchoolYear.objects.order_by("-start_year").first().start_year
    cohorts = [y for y in range(last_year - 5, last_year + 1) if y + 3 <= last_year]  # graduated: sat gaokao
    cohorts = cohorts[-3:]
    gaokao: dict[str, list[dict]] = {}
    for cohort in cohorts:
        drift = {pk: r.gauss(0, 4) for pk in base_effect}
        rows = gaokao[str(cohort + 3)] = []
        for st in Student.objects.filter(entry_year=cohort, school__level=School.Level.SENIOR, entry_score__isnull=False).order_by("pk").values_list("student_no", "school_id", "entry_score"):
            student_no, school_id, entry = st
            total = 95 + 0.78 * float(entry) + base_effect[school_id] + drift[school_id] + r.gauss(0, 28)
            rows.append({"year": cohort + 3, "exam_no": f"{(cohort + 3) % 100:02d}14{len(rows) + 1:08d}", "student_no": student_no,
                         "total": _d(min(740, max(150, total)))})

    outcomes: dict[str, list[dict]] = {"all": []}
    for s in seniors:
        pass_rate = r.uniform(86, 97)
        fitness = r.uniform(14, 26)
        myopia = r.uniform(74, 82)
        for y in SchoolYear.objects.order_by("start_year"):
            outcomes["all"].append({"school": s.code, "school_year": str(y), "xuekao_pass_rate": _d(pass_rate), "fitness_good_rate": _d(fitness),
                                    "myopia_rate": _d(myopia)})
            pass_rate = min(99.5, pass_rate + r.uniform(-1, 1.5))
            fitness = min(40, fitness + r.uniform(-0.5, 2.5))
            myopia = max(60, myopia - r.uniform(-0.4, 1.8))
    admin = User.objects.get(username="city_admin")
    load_demo_files([
        DemoFile("gaokao", _writer("gaokao", GAOKAO, gaokao, csv=True), gaokao_import),
        DemoFile("school_outcomes", _writer("school-outcomes", OUTCOMES, outcomes, csv=False), outcomes_import),
    ], actor=admin, folder=city.folder if city else None, progress=progress)

    for cohort in cohorts:
        value_added_run_create(actor=admin, entry_year=cohort)
    progress(f"value-added runs for {len(cohorts)} cohorts")
