"""Background task of an admission run, with progress on its job."""

from __future__ import annotations

from django_tasks import task

from gaozhong.admissions.models import AdmissionRun
from gaozhong.core.models import Job
from gaozhong.core.services.jobs import JobReporter


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
