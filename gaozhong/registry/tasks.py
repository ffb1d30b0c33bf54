"""Background tasks of the registry app, run by the job runner: the attendance, exam-sitting and transfer imports."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django_tasks import task

from gaozhong.core.models import Job
from gaozhong.core.services.jobs import JobReporter, finish_import

from .services.imports import registry_import


@task()
def run_registry_import(job_id: int) -> None:
    """Run an uploaded evidence file and record the outcome (counts, or every problem) on its job."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    rep = JobReporter(job_id)
    rep.start("开始导入 (starting)")
    params = job.params
    try:
        data = Path(params["path"]).read_bytes()
        outcome = registry_import(actor=job.created_by, kind=params["kind"], data=data, filename=params["filename"],
                                  progress=lambda pct, phase: (rep.progress(pct, phase), rep.log(phase)))
    except Exception as exc:  # recorded on the job for the user; the traceback goes to the worker log
        rep.log(f"失败 (failed): {exc}")
        rep.finish(Job.Status.FAILED, {"error": str(exc)})
        raise
    finish_import(rep, outcome, link=reverse("registry_worklist"))
