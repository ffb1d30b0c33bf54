"""A worker killed mid-job: its job is marked failed with the reason once the heartbeat stops, and not before.

Runs the real pieces in their own processes on a SQLite file of its own: ``migrate``, a job enqueued on the
database backend, ``db_worker``, ``kill -9``, ``reap_jobs``. The job's import file is a named pipe nobody
writes, so the job is caught mid-run at a known point, with no timing guess.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

GAOZHONG = Path(sys.executable).with_name("gaozhong")

SETUP = """
from django.contrib.auth import get_user_model
from gaozhong.core.models import Job
from gaozhong.core.tasks import run_import
u = get_user_model().objects.create(username="clerk")
job = Job.objects.create(kind="import.students", title="t", created_by=u, params={"kind": "students", "path": %r, "filename": "s.xlsx"})
run_import.enqueue(job.pk)
print(job.pk)
"""


def _job(db: Path, pk: int) -> dict:
    with sqlite3.connect(db) as con:
        status, result, beat, log = con.execute("SELECT status, result, heartbeat_at, log FROM core_job WHERE id = ?", (pk,)).fetchone()
    return {"status": status, "result": json.loads(result) if result else None, "heartbeat_at": beat, "log": log}


@pytest.mark.skipif(not GAOZHONG.exists(), reason="the gaozhong command is installed with the project")
def test_a_killed_workers_job_is_marked_failed_after_its_heartbeat_stops(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(GAOZHONG_DATA_DIR=str(tmp_path), GAOZHONG_JOB_HEARTBEAT_SECONDS="0.5", GAOZHONG_JOB_DEAD_AFTER_SECONDS="4")
    db = tmp_path / "gaozhong.sqlite3"

    def manage(*args, **kw):
        return subprocess.run([str(GAOZHONG), "manage", *args], env=env, capture_output=True, text=True, timeout=300, **kw)

    assert manage("migrate", "--noinput").returncode == 0
    fifo = tmp_path / "never-written.xlsx"
    os.mkfifo(fifo)
    out = manage("shell", "-c", SETUP % str(fifo))
    assert out.returncode == 0, out.stderr
    pk = int(out.stdout.strip().splitlines()[-1])

    worker = subprocess.Popen([str(GAOZHONG), "manage", "db_worker", "--queue-name", "*", "--no-startup-delay"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while _job(db, pk)["status"] != "running":
            assert time.monotonic() < deadline and worker.poll() is None, "the worker never started the job"
            time.sleep(0.2)
        first = _job(db, pk)["heartbeat_at"]
        while _job(db, pk)["heartbeat_at"] == first:  # the side thread beats while the body is blocked
            assert time.monotonic() < deadline
            time.sleep(0.2)
        # Alive and beating: the reaper leaves it alone.
        assert manage("reap_jobs").returncode == 0
        assert _job(db, pk)["status"] == "running"
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    assert _job(db, pk)["status"] == "running"  # nobody is left to say otherwise
    time.sleep(4.5)
    out = manage("reap_jobs")
    assert out.returncode == 0 and str(pk) in out.stdout
    job = _job(db, pk)
    assert job["status"] == "failed"
    assert "无心跳" in job["result"]["error"] and "无心跳" in job["log"]
