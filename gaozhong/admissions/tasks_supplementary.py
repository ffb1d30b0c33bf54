"""Background task of a 补录 run, with progress on its job (the main run's task is in ``tasks``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django_tasks import task

from gaozhong.admissions.models import AdmissionRun
from gaozhong.admissions.services.supplementary import supplementary_run_execute
from gaozhong.core.models import Job
from gaozhong.core.services.jobs import JobReporter, run_job


@task()
def run_supplementary_job(job_id: int) -> None:
    """Execute a 补录 run and record the counts and the inputs' hash on its job."""
    run_job(job_id, _body, phase="开始补录 (starting)")


def _body(job: Job, rep: JobReporter) -> None:
    run = AdmissionRun.objects.select_related("year").get(pk=job.params["run_id"])
    try:
        supplementary_run_execute(run=run, progress=lambda pct, phase: (rep.progress(pct, phase), rep.log(phase)))
    except ValidationError as exc:
        AdmissionRun.objects.filter(pk=run.pk, status=AdmissionRun.Status.RUNNING).update(status=AdmissionRun.Status.FAILED)
        rep.log(f"未保存 (not stored): {'; '.join(exc.messages)}")
        rep.finish(Job.Status.FAILED, {"diagnosis": exc.messages, "link": reverse("admissions_supplementary"), "link_label": "返回补录 (back to 补录)"})
        return
    except Exception:
        AdmissionRun.objects.filter(pk=run.pk, status=AdmissionRun.Status.RUNNING).update(status=AdmissionRun.Status.FAILED)
        raise
    run.refresh_from_db()
    second = run.admissions.filter(round=2).count()
    rep.finish(Job.Status.SUCCEEDED, {"summary": {"补录录取 (admitted in 补录)": second, "输入 SHA-256": run.inputs_sha256},
                                      "link": reverse("admissions_supplementary"), "link_label": "查看补录 (view 补录)"})
