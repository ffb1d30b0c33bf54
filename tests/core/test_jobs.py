"""Jobs: the real job runner (django-tasks database backend and its worker) runs an import job and records
progress and the outcome; a job shows only to its place; a stop request is audited."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import AuditEvent, Job, Student
from gaozhong.core.services.jobs import JobReporter, job_request_stop

from .test_imports import student_rows, xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def test_database_worker_runs_an_import_job(world, tmp_path):
    from gaozhong.core.tasks import run_import

    path = tmp_path / "s.xlsx"
    path.write_bytes(xlsx(student_rows("GA1", n=4)))
    job = Job.objects.create(kind="import.students", title="t", created_by=world.a.school_user, county=world.a.county, school=world.a.school,
                             params={"kind": "students", "path": str(path), "filename": "s.xlsx"})
    result = run_import.using(backend="database").enqueue(job.pk)
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    call_command("db_worker", "--batch", "--backend", "database", "--queue-name", "*", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.log
    assert job.progress == 100 and "写入数据库" in job.log
    assert job.result["summary"]["新增 (created)"] == 4
    assert Student.objects.filter(name__startswith="新生").count() == 4
    result.refresh()
    assert result.status == "SUCCESSFUL"


def test_job_status_json_and_stop(world):
    job = Job.objects.create(kind="x", title="t", created_by=world.a.county_user, county=world.a.county)
    JobReporter(job.pk).start("阶段一")
    JobReporter(job.pk).progress(42, "阶段二")
    c = Client()
    c.force_login(world.a.county_user)
    s = c.get(reverse("job_status", kwargs={"pk": job.pk})).json()
    assert (s["status"], s["progress"], s["phase"], s["finished"]) == ("running", 42, "阶段二", False)
    n = AuditEvent.objects.count()
    job_request_stop(actor=world.a.county_user, job=job)
    assert Job.objects.get(pk=job.pk).stop_requested and JobReporter(job.pk).stop_requested()
    assert AuditEvent.objects.count() == n + 1
