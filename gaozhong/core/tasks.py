"""Background tasks of the foundation, run by the job runner (django-tasks, database backend)."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task

from gaozhong.core.models import Job
from gaozhong.core.services.imports import records_import
from gaozhong.core.services.jobs import JobReporter, finish_import, run_job


@task()
def run_import(job_id: int) -> None:
    """Run an uploaded import file and record the outcome (counts, or every problem) on its job."""
    run_job(job_id, _import_body, phase="开始导入 (starting)")


def _import_body(job: Job, rep: JobReporter) -> None:
    params = job.params
    data = Path(params["path"]).read_bytes()
    outcome = records_import(
        actor=job.created_by, kind=params["kind"], data=data, filename=params["filename"],
        progress=lambda pct, phase: (rep.progress(pct, phase), rep.log(phase)),
    )
    link = {"students": "/students/", "teachers": "/teachers/", "schools": "/schools/"}[outcome.kind]
    finish_import(rep, outcome, link=link)
