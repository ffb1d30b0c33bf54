"""Starting background jobs and reporting their progress.

``job_start`` creates the :class:`Job` row users see and enqueues the task on the job runner (django-tasks, database
backend) after the transaction commits. Inside the task, :class:`JobReporter` writes progress, phase and log lines
to the row so the page can show them while it runs.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from gaozhong.core.audit import audit_record
from gaozhong.core.models import Job


@transaction.atomic
def job_start(*, actor, kind: str, title: str, task, params: dict[str, Any], county_id: int | None, school_id: int | None) -> Job:
    """Record a job and enqueue ``task(job_id)`` once this transaction commits."""
    job = Job.objects.create(kind=kind, title=title, params=params, created_by=actor, county_id=county_id, school_id=school_id)
    audit_record(actor=actor, action="core.job.started", obj=job, county_id=county_id, school_id=school_id, after={"kind": kind, "params": params})
    transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


@transaction.atomic
def job_request_stop(*, actor, job: Job) -> None:
    """Ask a running job to stop at its next check; it keeps what it has done so far."""
    if job.is_finished or job.stop_requested:
        return
    Job.objects.filter(pk=job.pk).update(stop_requested=True)
    audit_record(actor=actor, action="core.job.stop_requested", obj=job, county_id=job.county_id, school_id=job.school_id)


class JobReporter:
    """Progress writer used inside a task. Each call commits at once so other processes see it."""

    def __init__(self, job_id: int):
        self.job_id = job_id

    def _update(self, **fields) -> None:
        Job.objects.filter(pk=self.job_id).update(**fields)

    def start(self, phase: str) -> None:
        self._update(status=Job.Status.RUNNING, started_at=timezone.now(), phase=phase, progress=0)
        self.log(phase)

    def progress(self, percent: float, phase: str | None = None) -> None:
        fields: dict[str, Any] = {"progress": max(0, min(100, int(percent)))}
        if phase is not None:
            fields["phase"] = phase
        self._update(**fields)

    def log(self, line: str) -> None:
        job = Job.objects.only("log").get(pk=self.job_id)
        stamp = timezone.localtime().strftime("%H:%M:%S")
        self._update(log=job.log + f"[{stamp}] {line}\n")

    def stop_requested(self) -> bool:
        return Job.objects.filter(pk=self.job_id, stop_requested=True).exists()

    def finish(self, status: str, result: dict[str, Any] | None = None, phase: str = "") -> None:
        self._update(status=status, result=result, finished_at=timezone.now(), phase=phase or dict(Job.Status.choices)[status],
                     progress=100 if status == Job.Status.SUCCEEDED else Job.objects.get(pk=self.job_id).progress)


def finish_import(rep: JobReporter, outcome, *, link: str, link_label: str = "查看 (view)") -> None:
    """Record an import's outcome on its job: every problem (nothing was written), or the counts and a link."""
    if outcome.problems:
        total = max(getattr(outcome, "total_problems", 0), len(outcome.problems))
        shown = "" if total == len(outcome.problems) else f"，以下列出前 {len(outcome.problems)} 处"
        rep.log(f"文件有 {total} 处错误{shown}，未写入任何数据 (rejected; nothing written)")
        rep.finish(Job.Status.REJECTED, {"problems": [{"file": p.file, "line": p.line, "column": p.column, "reason": p.reason}
                                                        for p in outcome.problems], "total_problems": total})
        return
    summary = {"行数 (rows)": outcome.rows, "新增 (created)": outcome.created, "更新 (updated)": outcome.updated, "未变 (unchanged)": outcome.unchanged}
    rep.finish(Job.Status.SUCCEEDED, {"summary": summary, "link": link, "link_label": link_label})
