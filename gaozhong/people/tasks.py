"""Background tasks of the people app, run by the job runner: training and moves imports."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from django_tasks import task

from gaozhong.core.models import Job
from gaozhong.core.services.jobs import JobReporter

from .services.imports import people_import

LINKS = {"training": "people_training", "moves": "people_rotation"}


@task()
def run_people_import(job_id: int) -> None:
    """Run an uploaded training or moves file and record the outcome (counts, or every problem) on its job."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    rep = JobReporter(job_id)
    rep.start("开始导入 (starting)")
    params = job.params
    try:
        data = Path(params["path"]).read_bytes()
        outcome = people_import(actor=job.created_by, kind=params["kind"], data=data, filename=params["filename"],
                                progress=lambda pct, phase: (rep.progress(pct, phase), rep.log(phase)))
    except Exception as exc:  # recorded on the job for the user; the traceback goes to the worker log
        rep.log(f"失败 (failed): {exc}")
        rep.finish(Job.Status.FAILED, {"error": str(exc)})
        raise
    if outcome.problems:
        rep.log(f"文件有 {len(outcome.problems)} 处错误，未写入任何数据 (rejected; nothing written)")
        rep.finish(Job.Status.REJECTED, {"problems": [{"file": p.file, "line": p.line, "column": p.column, "reason": p.reason} for p in outcome.problems]})
    else:
        summary = {"行数 (rows)": outcome.rows, "新增 (created)": outcome.created, "更新 (updated)": outcome.updated, "未变 (unchanged)": outcome.unchanged}
        rep.finish(Job.Status.SUCCEEDED, {"summary": summary, "link": reverse(LINKS[outcome.kind]), "link_label": "查看 (view)"})
