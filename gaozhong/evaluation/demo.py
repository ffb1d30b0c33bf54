"""Demo data for evaluation: gaokao totals of the three graduated cohorts with school effects, yearly school
outcomes (学考, 体质健康, 近视率), and the value-added run of each cohort.

Gaokao total = 95 + 0.78 × entry score + school effect + noise (σ 28), with school effects that do not simply
follow intake quality (some ordinary schools add more than model schools), drifting a little between cohorts,
so the caterpillar plots show something true to the data.
"""

from __future__ import annotations

import random

from django.contrib.auth.models import User

from gaozhong.core.models import School, SchoolYear, Student
from gaozhong.evaluation.models import GaokaoResult, SchoolOutcome
from gaozhong.evaluation.services.runs import value_added_run_create



def build(*, seed: int, progress) -> None:
    r = random.Random(seed + 9)
    seniors = list(School.objects.filter(level=School.Level.SENIOR).order_by("code"))
    base_effect = {s.pk: r.gauss(0, 11) for s in seniors}
    # A few schools with clear effects either way, whatever their intake.
    for s, bump in zip(seniors[2::6], (24, -22, 19, -17)):
        base_effect[s.pk] += bump
    last_year = SchoolYear.objects.order_by("-start_year").first().start_year
    cohorts = [y for y in range(last_year - 5, last_year + 1) if y + 3 <= last_year]  # graduated: sat gaokao
    cohorts = cohorts[-3:]
    rows = []
    for cohort in cohorts:
        drift = {pk: r.gauss(0, 4) for pk in base_effect}
        for st in Student.objects.filter(entry_year=cohort, school__level=School.Level.SENIOR, entry_score__isnull=False).order_by("pk").values_list("pk", "school_id", "entry_score"):
            pk, school_id, entry = st
            total = 95 + 0.78 * float(entry) + base_effect[school_id] + drift[school_id] + r.gauss(0, 28)
            rows.append(GaokaoResult(student_id=pk, year=cohort + 3, total=round(min(740, max(150, total)), 1)))
    GaokaoResult.objects.bulk_create(rows, batch_size=5000)
    progress(f"{len(rows)} gaokao results for cohorts {', '.join(map(str, cohorts))}")

    outcomes = []
    for s in seniors:
        pass_rate = r.uniform(86, 97)
        fitness = r.uniform(14, 26)
        myopia = r.uniform(74, 82)
        for y in SchoolYear.objects.order_by("start_year"):
            outcomes.append(SchoolOutcome(school=s, school_year=y, xuekao_pass_rate=round(pass_rate, 1), fitness_good_rate=round(fitness, 1), myopia_rate=round(myopia, 1)))
            pass_rate = min(99.5, pass_rate + r.uniform(-1, 1.5))
            fitness = min(40, fitness + r.uniform(-0.5, 2.5))
            myopia = max(60, myopia - r.uniform(-0.4, 1.8))
    SchoolOutcome.objects.bulk_create(outcomes)
    progress(f"{len(outcomes)} school outcome rows")

    admin = User.objects.get(username="city_admin")
    for cohort in cohorts:
        value_added_run_create(actor=admin, entry_year=cohort)
    progress(f"value-added runs for {len(cohorts)} cohorts")
