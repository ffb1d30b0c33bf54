"""Background tasks of the evaluation app, run by the job runner: the gaokao, school-outcome and value-added
data set imports."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django_tasks import task

from gaozhong.core.models import Job
from gaozhong.core.services.jobs import JobReporter, finish_import, run_job

from .services.imports import evaluation_import, value_added_dataset_import


@task()
def run_evaluation_import(job_id: int) -> None:
    """Run an uploaded evaluation file and record the outcome (counts, or every problem) on its job."""
    run_job(job_id, _import_body, phase="开始导入 (starting)")


def _import_body(job: Job, rep: JobReporter) -> None:
    params = job.params
    progress = lambda pct, phase: (rep.progress(pct, phase), rep.log(phase))  # noqa: E731
    data = Path(params["path"]).read_bytes()
    if params["kind"] == "value_added":
        outcome = value_added_dataset_import(
            actor=job.created_by, data=data, filename=params["filename"], entry_year=params["entry_year"],
            outcome=params["outcome"], group=params["group"], covariates=params["covariates"],
            outcome_year=params.get("outcome_year"), progress=progress)
    else:
        outcome = evaluation_import(actor=job.created_by, kind=params["kind"], data=data, filename=params["filename"], progress=progress)
    finish_import(rep, outcome, link=reverse("evaluation_overview"))
