"""An admission run reads its inputs in a short transaction, runs the engine outside any transaction with its
progress committed as it goes, and writes its result in one short transaction at the end, after checking that
the year, the run and the inputs are still what the engine read; otherwise it writes nothing and says why."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from gaozhong.admissions import tasks
from gaozhong.admissions.models import Admission, AdmissionRun, AdmissionYear, Cutoff, Preference
from gaozhong.admissions.services import runs
from gaozhong.admissions.services.runs import RunRefused, admission_run_create, admission_run_execute
from gaozhong.admissions.services.setup import admission_window_set, admission_year_create, programs_generate, school_plan_set, school_plans_approve
from gaozhong.core.models import Candidate, Job, Subject
from gaozhong.core.services.jobs import run_job
from tests.admissions.test_services import fill_preferences, make_candidates


def closed_year(world) -> AdmissionYear:
    """A 2026 year of 40 candidates, two schools' programs and everyone's preferences, window closed."""
    now = timezone.now()
    year = admission_year_create(actor=world.city_user, year=2026, window_opens=now - dt.timedelta(days=1), window_closes=now + dt.timedelta(days=1))
    cands, _ = make_candidates(world)
    school_plan_set(actor=world.a.county_user, year=year, school=world.a.school, seats=11)
    school_plan_set(actor=world.b.county_user, year=year, school=world.b.school, seats=10)
    school_plans_approve(actor=world.city_user, year=year)
    programs_generate(actor=world.city_user, year=year)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    fill_preferences(year, cands)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    return year


def run_job_row(world, year) -> tuple[AdmissionRun, Job]:
    run = admission_run_create(actor=world.city_user, year=year)
    job = Job.objects.create(kind="admissions.run", title="run", created_by=world.city_user, params={"run_id": run.pk})
    AdmissionRun.objects.filter(pk=run.pk).update(job=job)
    return run, job


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_and_the_database_free_while_the_engine_runs(world, monkeypatch):
    """Another connection sees the job at the engine step (not 0 % until the end) and can write meanwhile."""
    year = closed_year(world)
    run, job = run_job_row(world, year)
    in_engine, release = threading.Event(), threading.Event()
    real = runs.run_engine

    def engine_waits(inputs):
        in_engine.set()
        assert release.wait(60)
        return real(inputs)

    monkeypatch.setattr(runs, "run_engine", engine_waits)
    errors: list[BaseException] = []

    def worker():
        try:
            run_job(job.pk, tasks._admission_body)
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    t = threading.Thread(target=worker)
    t.start()
    try:
        assert in_engine.wait(60), errors
        seen = Job.objects.get(pk=job.pk)  # this thread's own connection
        assert seen.status == Job.Status.RUNNING and seen.progress == 30 and "运行录取引擎" in seen.phase
        assert "读取录取输入" in seen.log
        # Nothing of the run is stored yet, and another user's write does not wait for the run.
        assert not Admission.objects.filter(run=run).exists() and AdmissionRun.objects.get(pk=run.pk).inputs_sha256 == ""
        began = time.monotonic()
        with transaction.atomic():
            Subject.objects.create(code="ZZX", name="写入测试")
        assert time.monotonic() - began < 2
    finally:
        release.set()
        t.join(120)
    assert not errors, errors
    job.refresh_from_db()
    run.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.progress == 100
    assert run.status == AdmissionRun.Status.DONE and Admission.objects.filter(run=run).count() == 40


def test_inputs_changed_while_the_engine_ran_write_nothing(world, monkeypatch):
    """A 中考 score corrected (or a preference imported) during the run: the result is not stored, the job says
    what changed, and the run is failed."""
    year = closed_year(world)
    run, job = run_job_row(world, year)
    real = runs.run_engine

    def engine_meanwhile_a_score_changes(inputs):
        out = real(inputs)
        Candidate.objects.filter(year=2026, exam_no="2600000").update(score=699)
        return out

    monkeypatch.setattr(runs, "run_engine", engine_meanwhile_a_score_changes)
    run_job(job.pk, tasks._admission_body)
    job.refresh_from_db()
    run.refresh_from_db()
    assert job.status == Job.Status.FAILED and "考生成绩" in job.result["diagnosis"][0] and "未保存" in job.result["diagnosis"][0]
    assert run.status == AdmissionRun.Status.FAILED and run.results_csv == "" and run.inputs_sha256 == ""
    assert not Admission.objects.filter(run=run).exists() and not Cutoff.objects.filter(run=run).exists()


def test_a_run_whose_year_was_published_meanwhile_writes_nothing(world, monkeypatch):
    year = closed_year(world)
    run = admission_run_create(actor=world.city_user, year=year)
    real = runs.run_engine

    def engine_meanwhile_published(inputs):
        out = real(inputs)
        AdmissionYear.objects.filter(pk=year.pk).update(status=AdmissionYear.Status.PUBLISHED)
        return out

    monkeypatch.setattr(runs, "run_engine", engine_meanwhile_published)
    with pytest.raises(RunRefused, match="结果已公布"):
        admission_run_execute(run=run)
    assert not Admission.objects.filter(run=run).exists()
    assert Preference.objects.filter(year=year).exists()  # the inputs are untouched


def test_a_run_already_failed_is_not_written(world):
    year = closed_year(world)
    run = admission_run_create(actor=world.city_user, year=year)
    AdmissionRun.objects.filter(pk=run.pk).update(status=AdmissionRun.Status.FAILED)
    run.refresh_from_db()
    with pytest.raises(RunRefused, match="失败"):
        admission_run_execute(run=run)
    assert not Admission.objects.filter(run=run).exists()


def test_the_reaper_fails_the_run_of_a_dead_job(world):
    from gaozhong.core.services.jobs import reap_dead_jobs

    year = closed_year(world)
    run, job = run_job_row(world, year)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=long_ago, heartbeat_at=long_ago)
    assert job.pk in reap_dead_jobs()
    run.refresh_from_db()
    assert run.status == AdmissionRun.Status.FAILED
