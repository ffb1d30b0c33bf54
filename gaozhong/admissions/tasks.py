"""Background tasks of admissions: an admission run and the admissions imports, with progress on their job.

An admission run reads its inputs, runs the engine and writes its result in three steps (see
``admission_run_execute``): the job's progress commits as it goes, and a worker killed mid-run writes nothing."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django_tasks import task

from gaozhong.admissions.models import AdmissionRun
from gaozhong.admissions.services.imports import admissions_import
from gaozhong.admissions.services.runs import RunRefused, admission_run_execute
from gaozhong.core.models import Job
from gaozhong.core.services.jobs import JobReporter, finish_import, run_job


@task()
def run_admission_job(job_id: int) -> None:
    """Execute an admission run and record the counts and the inputs' hash on its job."""
    run_job(job_id, _admission_body, phase="开始录取 (starting)")


def _admission_body(job: Job, rep: JobReporter) -> None:
    run = AdmissionRun.objects.select_related("year").get(pk=job.params["run_id"])
    try:
        admission_run_execute(run=run, progress=lambda pct, phase: (rep.progress(pct, phase), rep.log(phase)))
    except RunRefused as exc:
        # The year or its inputs changed while the engine ran: nothing was stored; the job says why.
        AdmissionRun.objects.filter(pk=run.pk, status=AdmissionRun.Status.RUNNING).update(status=AdmissionRun.Status.FAILED)
        rep.log(f"未保存 (not stored): {exc}")
        rep.finish(Job.Status.FAILED, {"diagnosis": [str(exc)], "link": reverse("admissions_home"), "link_label": "返回招生录取 (back to admissions)"},
                   phase="结果未保存 (nothing stored)")
        return
    except Exception:
        AdmissionRun.objects.filter(pk=run.pk, status=AdmissionRun.Status.RUNNING).update(status=AdmissionRun.Status.FAILED)
        raise
    run.refresh_from_db()
    n = run.admissions.count()
    admitted = run.admissions.filter(program__isnull=False).count()
    rep.finish(Job.Status.SUCCEEDED, {"summary": {"考生 (candidates)": n, "录取 (admitted)": admitted, "输入 SHA-256": run.inputs_sha256},
                                      "link": f"/admissions/runs/{run.pk}/", "link_label": "查看录取结果 (view the run)"})


@task()
def run_admissions_import(job_id: int) -> None:
    """Run an uploaded 中考成绩 / 招生计划 / 志愿 file and record the outcome (counts, or every problem) on its job."""
    run_job(job_id, _admissions_import_body, phase="开始导入 (starting)")


def _admissions_import_body(job: Job, rep: JobReporter) -> None:
    params = job.params
    outcome = admissions_import(actor=job.created_by, kind=params["kind"], year=params["year"], data=Path(params["path"]).read_bytes(),
                                filename=params["filename"], progress=lambda pct, phase: (rep.progress(pct, phase), rep.log(phase)))
    finish_import(rep, outcome, link=reverse("admissions_home"), link_label="返回招生录取 (back to admissions)")
