"""Background tasks of the registry app, run by the job runner: the attendance, exam-sitting and transfer imports."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django_tasks import task

from gaozhong.core.models import Job
from gaozhong.core.services.jobs import JobReporter, finish_import, run_job

from .services.imports import registry_import


@task()
def run_registry_import(job_id: int) -> None:
    """Run an uploaded evidence file and record the outcome (counts, or every problem) on its job."""
    run_job(job_id, _import_body, phase="开始导入 (starting)")


def _import_body(job: Job, rep: JobReporter) -> None:
    params = job.params
    data = Path(params["path"]).read_bytes()
    outcome = registry_import(actor=job.created_by, kind=params["kind"], data=data, filename=params["filename"],
                             progress=lambda pct, phase: (rep.progress(pct, phase), rep.log(phase)))
    finish_import(rep, outcome, link=reverse("registry_worklist"))
