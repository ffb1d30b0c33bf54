"""Background tasks of admissions: an admission run and the admissions imports, with progress on their job."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django_tasks import task

from gaozhong.admissions.models import AdmissionRun
from gaozhong.admissions.services.imports import admissions_import
from gaozhong.core.models import Job
from gaozhong.core.services.jobs import JobReporter, finish_import


@task()
def run_admission_job(job_id: int) -> None:
    job = Job.objects.get(pk=job_id)
    rep = JobReporter(job_id)
    rep.start("开始录取 (starting)")
    run = AdmissionRun.objects.select_related("year").get(pk=job.params["run_id"])
    try:
        from gaozhong.admissions.services.runs import admission_run_execute

        admission_run_execute(run=run, progress=lambda pct, phase: (rep.progress(pct, phase), rep.log(phase)))
    except Exception as exc:
        AdmissionRun.objects.filter(pk=run.pk).update(status=AdmissionRun.Status.FAILED)
        rep.log(f"失败 (failed): {exc}")
        rep.finish(Job.Status.FAILED, {"error": str(exc)})
        raise
    run.refresh_from_db()
    n = run.admissions.count()
    admitted = run.admissions.filter(program__isnull=False).count()
    rep.finish(Job.Status.SUCCEEDED, {"summary": {"考生 (candidates)": n, "录取 (admitted)": admitted, "输入 SHA-256": run.inputs_sha256},
                                      "link": f"/admissions/runs/{run.pk}/", "link_label": "查看录取结果 (view the run)"})


@task()
def run_admissions_import(job_id: int) -> None:
    """Run an uploaded 中考成绩 / 招生计划 / 志愿 file and record the outcome (counts, or every problem) on its job."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    rep = JobReporter(job_id)
    rep.start("开始导入 (starting)")
    params = job.params
    try:
        outcome = admissions_import(actor=job.created_by, kind=params["kind"], year=params["year"], data=Path(params["path"]).read_bytes(),
                                    filename=params["filename"], progress=lambda pct, phase: (rep.progress(pct, phase), rep.log(phase)))
    except Exception as exc:  # recorded on the job for the user; the traceback goes to the worker log
        rep.log(f"失败 (failed): {exc}")
        rep.finish(Job.Status.FAILED, {"error": str(exc)})
        raise
    finish_import(rep, outcome, link=reverse("admissions_home"), link_label="返回招生录取 (back to admissions)")
