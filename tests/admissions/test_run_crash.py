"""A worker killed in the middle of an admission run leaves nothing half-written: killed while the engine runs
(after its progress was committed) or inside the final write, the run has no outputs, no admissions and no
cutoffs; the reaper then fails its job and the run.

The real pieces run in their own processes on a SQLite file of their own (as ``tests/core/test_job_crash.py``):
``migrate``, the year and the run set up by ``manage shell``, the job enqueued on the database backend, and a
``db_worker`` whose engine step (or final write) waits on a named pipe nobody writes, so the kill lands at a
known point with no timing guess.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

GAOZHONG = Path(sys.executable).with_name("gaozhong")

YEAR = """
from django.contrib.auth import get_user_model
from gaozhong.admissions.models import AdmissionYear, Preference, Program
from gaozhong.core.models import Candidate, City, County, Membership, Role, School
from gaozhong.importer.idnumber import check_character
u = get_user_model().objects.create(username="city")
Membership.objects.create(user=u, role=Role.CITY_ADMIN)
county = County.objects.create(city=City.objects.create(code="1499", name="测试市"), code="149901", name="甲县")
senior = [School.objects.create(county=county, code=f"G{k}", name=f"高中{k}", level="senior") for k in range(2)]
junior = School.objects.create(county=county, code="J1", name="初中", level="junior")
year = AdmissionYear.objects.create(year=2026, status=AdmissionYear.Status.CLOSED)
programs = [Program.objects.create(year=year, code=f"G{k}-TZ", school=s, kind="unified", batch=3, capacity=20) for k, s in enumerate(senior)]
prefs = []
for i in range(60):
    first = f"14990120100101{i:03d}"
    c = Candidate.objects.create(year=2026, exam_no=f"26{i:04d}", name=f"考生{i}", id_number=first + check_character(first), gender="男",
                                 junior_school=junior, county=county, score=700 - i, chinese=100, math=100, english=100)
    prefs += [Preference(year=year, candidate=c, batch=3, rank=r + 1, program=p) for r, p in enumerate(programs[::1 if i % 2 else -1])]
Preference.objects.bulk_create(prefs)
"""

RUN = """
from gaozhong.admissions.models import AdmissionRun, AdmissionYear
from gaozhong.admissions.services.runs import admission_run_create
from gaozhong.admissions.tasks import run_admission_job
from gaozhong.core.models import Job
from django.contrib.auth import get_user_model
u = get_user_model().objects.get(username="city")
run = admission_run_create(actor=u, year=AdmissionYear.objects.get(year=2026))
job = Job.objects.create(kind="admissions.run", title="t", created_by=u, params={"run_id": run.pk})
AdmissionRun.objects.filter(pk=run.pk).update(job=job)
run_admission_job.enqueue(job.pk)
print(run.pk, job.pk)
"""

# A db_worker whose engine step (``engine``) or final write (``write``, after the admissions are inserted and
# before the cutoffs) waits for a named pipe; a marker file says it got there.
WORKER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaozhong.site.settings")
import django
django.setup()
from pathlib import Path
from gaozhong.admissions.models import Cutoff
from gaozhong.admissions.services import runs
where, fifo, marker = sys.argv[1], sys.argv[2], Path(sys.argv[3])

def wait():
    marker.write_text(where)
    open(fifo).read()

if where == "engine":
    real = runs.run_engine
    runs.run_engine = lambda inputs: (wait(), real(inputs))[1]
else:
    real_bulk = Cutoff.objects.bulk_create
    Cutoff.objects.bulk_create = lambda *a, **k: (wait(), real_bulk(*a, **k))[1]
from django.core.management import execute_from_command_line
execute_from_command_line(["gaozhong manage", "db_worker", "--queue-name", "*", "--no-startup-delay"])
"""


def _q(db: Path, sql: str, *args):
    with sqlite3.connect(db) as con:
        return con.execute(sql, args).fetchone()


@pytest.mark.skipif(not GAOZHONG.exists(), reason="the gaozhong command is installed with the project")
def test_a_worker_killed_mid_run_leaves_nothing_half_written(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(GAOZHONG_DATA_DIR=str(tmp_path), GAOZHONG_JOB_HEARTBEAT_SECONDS="0.5", GAOZHONG_JOB_DEAD_AFTER_SECONDS="3")
    db = tmp_path / "gaozhong.sqlite3"

    def manage(*args):
        out = subprocess.run([str(GAOZHONG), "manage", *args], env=env, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        return out.stdout

    manage("migrate", "--noinput")
    manage("shell", "-c", YEAR)
    script = tmp_path / "worker.py"
    script.write_text(WORKER)

    for where in ("engine", "write"):
        run_id, job_id = map(int, manage("shell", "-c", RUN).split()[-2:])
        fifo, marker = tmp_path / f"{where}.fifo", tmp_path / f"{where}.reached"
        os.mkfifo(fifo)
        worker = subprocess.Popen([sys.executable, str(script), where, str(fifo), str(marker)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while not marker.exists():
                assert time.monotonic() < deadline and worker.poll() is None, f"the worker never reached the {where} step"
                time.sleep(0.1)
            status, progress, phase = _q(db, "SELECT status, progress, phase FROM core_job WHERE id = ?", job_id)
            # The progress of the steps before was committed as they went.
            assert status == "running" and progress == (30 if where == "engine" else 80), (where, progress, phase)
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        # Nothing of the run was written: no outputs, no admissions, no cutoffs, no audit row of a finished run.
        assert _q(db, "SELECT status, inputs_sha256, results_csv FROM admissions_admissionrun WHERE id = ?", run_id) == ("running", "", "")
        assert _q(db, "SELECT count(*) FROM admissions_admission WHERE run_id = ?", run_id) == (0,)
        assert _q(db, "SELECT count(*) FROM admissions_cutoff WHERE run_id = ?", run_id) == (0,)
        assert _q(db, "SELECT count(*) FROM core_auditevent WHERE action = 'admissions.run.finished' AND object_id = ?", str(run_id)) == (0,)
        time.sleep(3.5)
        assert str(job_id) in manage("reap_jobs")
        assert _q(db, "SELECT status FROM core_job WHERE id = ?", job_id) == ("failed",)
        assert _q(db, "SELECT status FROM admissions_admissionrun WHERE id = ?", run_id) == ("failed",)

    # The year is not held: a run started now completes (a plain worker this time).
    run_id, job_id = map(int, manage("shell", "-c", RUN).split()[-2:])
    worker = subprocess.Popen([str(GAOZHONG), "manage", "db_worker", "--queue-name", "*", "--no-startup-delay"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while _q(db, "SELECT status FROM core_job WHERE id = ?", job_id)[0] != "succeeded":
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.2)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    assert _q(db, "SELECT count(*) FROM admissions_admission WHERE run_id = ?", run_id) == (60,)
    assert _q(db, "SELECT count(*) FROM core_auditevent WHERE action = 'admissions.run.finished' AND object_id = ?", str(run_id)) == (1,)
