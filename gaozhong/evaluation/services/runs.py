"""Fit and record a value-added run for one cohort: outcome ~ covariates + (1 | school).

Rule: seed 003 §三(二)3 (track students from 高一 entry so that gaokao results grow from entry scores) and seed
004 §8 (evaluation beyond a single score): the school effect is a school's contribution beyond what its
students' entry scores predict, shown with its uncertainty, never as a bare ranking.

A cohort's data come from its imported data set (the engine's CSV, ``ValueAddedDataset``) when it has one, and
otherwise from the platform's records: gaokao total ~ 中考 entry score of the cohort's students. Either way
the engine fits exactly the arrays it would read from a file, and the run keeps every figure of the command's
``--json`` output (see :func:`gaozhong.evaluation.exports.run_json`).
"""

from __future__ import annotations

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction

from gaozhong import __version__
from gaozhong.core.audit import audit_record
from gaozhong.core.models import Role, School
from gaozhong.core.scoping import scope_of
from gaozhong.evaluation.engine import ValueAddedData, fit_value_added
from gaozhong.evaluation.models import GaokaoResult, SchoolEffect, ValueAddedDataset, ValueAddedObservation, ValueAddedRun


def cohort_data(*, entry_year: int) -> tuple[ValueAddedData, list[int], int]:
    """Arrays of the cohort's students who have both an entry score and a gaokao total, by senior school
    (groups are school codes, in school-code order)."""
    rows = list(
        GaokaoResult.objects.filter(student__entry_year=entry_year, student__school__level=School.Level.SENIOR, student__entry_score__isnull=False)
        .values_list("student__school_id", "student__entry_score", "total", "year", "student__school__code")
        .order_by("student__school__code", "student_id")
    )
    if not rows:
        raise ValueError(f"{entry_year} 级没有同时具有中考和高考成绩的学生 (no student of this cohort has both scores)")
    school_ids = list(dict.fromkeys(r[0] for r in rows))  # school-code order, as the rows are sorted
    codes_of = {r[0]: r[4] for r in rows}
    index = {s: i for i, s in enumerate(school_ids)}
    codes = np.fromiter((index[r[0]] for r in rows), dtype=np.int64, count=len(rows))
    x = np.fromiter((float(r[1]) for r in rows), dtype=np.float64, count=len(rows)).reshape(-1, 1)
    y = np.fromiter((float(r[2]) for r in rows), dtype=np.float64, count=len(rows))
    gaokao_year = max(r[3] for r in rows)
    data = ValueAddedData(source=f"{entry_year} 级学生", outcome="高考总分", group="学校", covariates=("中考成绩",),
                          y=y, x=x, codes=codes, labels=tuple(codes_of[s] for s in school_ids))
    return data, school_ids, gaokao_year


def dataset_data(dataset: ValueAddedDataset) -> tuple[ValueAddedData, list[int]]:
    """The data set's rows in file order, as the engine's reader would hand them over."""
    rows = list(ValueAddedObservation.objects.filter(dataset=dataset).order_by("line").values_list("school_id", "school__code", "y", "x"))
    school_ids = list(dict.fromkeys(r[0] for r in rows))  # order of first appearance, as the reader numbers groups
    index = {s: i for i, s in enumerate(school_ids)}
    label = {r[0]: r[1] for r in rows}
    k = len(dataset.covariates)
    codes = np.fromiter((index[r[0]] for r in rows), dtype=np.int64, count=len(rows))
    y = np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows))
    x = np.array([r[3] for r in rows], dtype=np.float64).reshape(len(rows), k)
    data = ValueAddedData(source=dataset.filename, outcome=dataset.outcome, group=dataset.group, covariates=tuple(dataset.covariates),
                          y=y, x=x, codes=codes, labels=tuple(label[s] for s in school_ids))
    return data, school_ids


def run_data(*, entry_year: int) -> tuple[ValueAddedData, list[int], int, ValueAddedDataset | None]:
    """What a run of the cohort fits: its data set if imported, else its records; with school ids per group,
    the outcome year and the data set."""
    dataset = ValueAddedDataset.objects.filter(entry_year=entry_year).first()
    if dataset is not None:
        data, school_ids = dataset_data(dataset)
        return data, school_ids, dataset.outcome_year, dataset
    data, school_ids, outcome_year = cohort_data(entry_year=entry_year)
    return data, school_ids, outcome_year, None


@transaction.atomic
def value_added_run_create(*, actor, entry_year: int, min_group_size: int = 10) -> ValueAddedRun:
    """Fit the cohort city-wide and record the run with every school's effect (city bureau only).

    Raises ValueError when the cohort has no data, and the engine's InputError when the model cannot be fitted."""
    if scope_of(actor).role != Role.CITY_ADMIN:
        raise PermissionDenied("增值评价由市教育局统一计算 (value-added runs are made by the city bureau)")
    if min_group_size < 1:
        raise ValueError("最少人数须为正整数 (min group size must be positive)")
    data, school_ids, outcome_year, dataset = run_data(entry_year=entry_year)
    result = fit_value_added(data, min_group_size=min_group_size)
    fit = result.fit
    fixed = [[name, value] for name, value in fit.fixed.items()]
    run = ValueAddedRun.objects.create(
        entry_year=entry_year, gaokao_year=outcome_year, n=fit.n, groups=fit.groups, intercept=fit.fixed["Intercept"],
        slope=fixed[1][1] if len(fixed) > 1 else None, group_variance=fit.group_variance, residual_variance=fit.residual_variance,
        loglik=fit.loglik, gradient=fit.gradient, ratio=fit.ratio, boundary=fit.boundary, fixed=fixed, outcome=data.outcome,
        covariates=list(data.covariates), dataset=dataset, min_group_size=min_group_size, engine_version=__version__, created_by=actor,
    )
    school_of = dict(zip(data.labels, school_ids))
    SchoolEffect.objects.bulk_create([
        SchoolEffect(run=run, school_id=school_of[e.group], group=e.group, position=i, n=e.n, effect=e.effect, se=e.se,
                     ci_low=e.ci_low, ci_high=e.ci_high, label=e.label)
        for i, e in enumerate(result.effects)
    ])
    audit_record(actor=actor, action="evaluation.value_added_run.created", obj=run, object_repr=str(run),
                 after={"entry_year": entry_year, "dataset": dataset.pk if dataset else None, "n": fit.n, "groups": fit.groups,
                        "group_variance": fit.group_variance, "residual_variance": fit.residual_variance, "gradient": fit.gradient})
    return run
