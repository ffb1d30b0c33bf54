"""Background tasks of supervision, run by the job runner: base-form imports, ledger imports and 通报 reports."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from gaozhong.core.models import County, Job, SchoolYear
from gaozhong.core.services.jobs import JobReporter, run_job

from .report import render
from .services.intake import submissions_import
from .services.ledger import tasks_import


def report_dir() -> Path:
    return Path(settings.UPLOAD_DIR) / "supervision" / "reports"


def _problems(problems) -> list[dict]:
    return [{"file": p.file, "line": p.line, "column": p.column, "reason": p.reason} for p in problems]


@task()
def run_intake_import(job_id: int) -> None:
    """Import a base form; record the submissions created, or every problem."""
    run_job(job_id, _intake_body, phase="开始导入 (starting)")


def _intake_body(job: Job, rep: JobReporter) -> None:
    p = job.params
    outcome = submissions_import(
        actor=job.created_by, level=p["level"], school_year=SchoolYear.objects.get(start_year=p["year"]), term=p["term"],
        data=Path(p["path"]).read_bytes(), filename=p["filename"], progress=lambda pct, phase: (rep.progress(pct, phase), rep.log(phase)),
    )
    if outcome.problems:
        rep.log(f"文件有 {len(outcome.problems)} 处错误，未写入任何数据 (rejected; nothing written)")
        rep.finish(Job.Status.REJECTED, {"problems": _problems(outcome.problems)})
    else:
        rep.finish(Job.Status.SUCCEEDED, {"summary": {"行数 (rows)": outcome.rows, "新建待提交报送 (draft submissions)": len(outcome.created)},
                                          "link": "/supervision/intake/?status=draft", "link_label": "查看并提交 (review and submit)"})


@task()
def run_tasks_import(job_id: int) -> None:
    """Import ledger tasks; record the tasks created, or every problem."""
    run_job(job_id, _tasks_body, phase="开始导入 (starting)")


def _tasks_body(job: Job, rep: JobReporter) -> None:
    p = job.params
    outcome = tasks_import(actor=job.created_by, data=Path(p["path"]).read_bytes(), filename=p["filename"],
                           progress=lambda pct, phase: (rep.progress(pct, phase), rep.log(phase)))
    if outcome.problems:
        rep.log(f"文件有 {len(outcome.problems)} 处错误，未写入任何数据 (rejected; nothing written)")
        rep.finish(Job.Status.REJECTED, {"problems": _problems(outcome.problems)})
    else:
        rep.finish(Job.Status.SUCCEEDED, {"summary": {"行数 (rows)": outcome.rows, "新建任务 (tasks created)": len(outcome.created)},
                                          "link": "/supervision/ledger/", "link_label": "查看台账 (view the ledger)"})


@task()
def run_report(job_id: int) -> None:
    """Write a 通报 file under UPLOAD_DIR; the job page links to the scoped download."""
    run_job(job_id, _report_body, phase="汇总数据 (collecting figures)")


def _report_body(job: Job, rep: JobReporter) -> None:
    p = job.params
    county = County.objects.get(code=p["county"]) if p.get("county") else None
    rep.progress(20, "计算指标与预测 (computing indicators and projections)")
    data = render(year=p["year"], county=county, fmt=p["format"])
    folder = report_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"job-{job.pk}.{p['format']}"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    rep.log(f"已生成 {len(data)} 字节 (written)")
    rep.finish(Job.Status.SUCCEEDED, {"summary": {"格式 (format)": p["format"].upper(), "大小 (bytes)": len(data)},
                                      "link": reverse("sup_report_download", kwargs={"pk": job.pk}), "link_label": "下载通报 (download)"})
