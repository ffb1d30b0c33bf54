"""Starting background jobs and reporting their progress.

``job_start`` creates the :class:`Job` row users see and enqueues the task on the job runner (django-tasks, database
backend) after the transaction commits. Inside the task, :class:`JobReporter` writes progress, phase and log lines
to the row so the page can show them while it runs.

A task body runs under :func:`run_job`, which starts it, keeps a heartbeat on the row from a side thread while it
runs, and marks it failed with the error if it raises. A worker that dies (killed, crashed, machine restarted)
leaves its job "running" with a heartbeat that stops; :func:`reap_dead_jobs` marks such jobs failed, with the
reason, once their heartbeat is older than ``JOB_DEAD_AFTER_SECONDS``. Whatever a job held is held through its
status (an electives window, an admission year are busy while their job is queued or running), so marking it
failed releases it. The reaper runs when a job page or list is looked at, when a worker starts, before a service
refuses work because a job is running, and as ``gaozhong manage reap_jobs``; a domain whose record follows a job
(an admission run) hears of it through ``core.hooks.register_job_reaped`` and marks that record failed as well.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from gaozhong.core.audit import audit_record
from gaozhong.core.hooks import job_reaped_hooks
from gaozhong.core.models import Job

logger = logging.getLogger("gaozhong.jobs")


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
        now = timezone.now()
        self._update(status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, phase=phase, progress=0)
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
        """End the job with ``status``. The phase stays the last one the task reported (where a failed job
        stopped) unless ``phase`` names a final one; the progress stays where it was unless the job succeeded."""
        job = Job.objects.only("phase", "progress").get(pk=self.job_id)
        self._update(status=status, result=result, finished_at=timezone.now(), phase=phase or job.phase,
                     progress=100 if status == Job.Status.SUCCEEDED else job.progress)


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


class Heartbeat:
    """While open, a side thread stamps ``heartbeat_at`` on a running job every ``JOB_HEARTBEAT_SECONDS``."""

    def __init__(self, job_id: int, every: float | None = None):
        self.job_id = job_id
        self.every = settings.JOB_HEARTBEAT_SECONDS if every is None else every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"job-{job_id}-heartbeat", daemon=True)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())
                except DatabaseError as exc:  # a busy database: the next beat tries again
                    logger.warning("job %s heartbeat not written: %s", self.job_id, exc)
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self) -> "Heartbeat":
        # A task run inside a caller's transaction (the immediate backend of the tests) has no worker to lose, and
        # a second connection could not see its row.
        if not connection.in_atomic_block:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def run_job(job_id: int, body: Callable[[Job, JobReporter], None], *, phase: str = "开始 (starting)") -> None:
    """Run a task body on its job: start it, keep its heartbeat, and on an exception mark it failed with the
    error (the traceback goes to the worker's log) and re-raise."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    rep = JobReporter(job_id)
    rep.start(phase)
    with Heartbeat(job_id):
        try:
            body(job, rep)
        except Exception as exc:
            rep.log(f"失败 (failed): {exc}")
            rep.finish(Job.Status.FAILED, {"error": str(exc)})
            raise


DEAD_REASON = "任务进程已中断（{seconds:.0f} 秒无心跳），任务未完成，已标记为失败，未写入结果；可重新发起"


def reap_dead_jobs(*, now=None) -> list[int]:
    """Mark failed every running job whose worker stopped beating; return their ids."""
    now = now or timezone.now()
    limit = settings.JOB_DEAD_AFTER_SECONDS
    dead = list(Job.objects.filter(status=Job.Status.RUNNING)
                .annotate(last=Coalesce("heartbeat_at", "started_at", "created_at"))
                .filter(last__lt=now - timedelta(seconds=limit)).values_list("pk", flat=True))
    reason = DEAD_REASON.format(seconds=limit)
    for pk in dead:
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=pk)
            if job.status != Job.Status.RUNNING:
                continue
            stamp = timezone.localtime(now).strftime("%H:%M:%S")
            Job.objects.filter(pk=pk).update(status=Job.Status.FAILED, finished_at=now, phase="失败：任务进程已中断",
                                             result={"error": reason}, log=job.log + f"[{stamp}] {reason}\n")
            for hook in job_reaped_hooks():
                hook([pk])
    return dead
