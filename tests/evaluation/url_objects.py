"""Evaluation URLs that take an id, for the foundation's scoping walker."""

from __future__ import annotations


def _run(world, place):
    from gaozhong.evaluation.models import SchoolEffect, ValueAddedRun

    run = ValueAddedRun.objects.create(entry_year=2022, gaokao_year=2025, n=10, groups=2, intercept=0, slope=1, group_variance=1,
                                       residual_variance=1, loglik=0, gradient=0, engine_version="test")
    SchoolEffect.objects.create(run=run, school=place.school, n=10, effect=1, se=1, ci_low=-1, ci_high=3, label="none")
    return run


OBJECT_URLS = {
    "evaluation_school": lambda world, place: place.school,
    "evaluation_run_export": _run,
    "evaluation_run_json": _run,  # city bureau only: every other role gets 403
}
