"""The window's case, the solve as a job, the stored timetable checked by the independent checker, and the
files it can be re-run from."""

from __future__ import annotations

import io
import zipfile

import pytest

from gaozhong.core.models import AuditEvent, Job
from gaozhong.electives.casebuild import build_case
from gaozhong.electives.models import Choice, Lesson, Room, TeachingClass, Timetable
from gaozhong.electives.services.common import Refused
from gaozhong.electives.services.timetables import solve_start

from .checker import check
from .factories import elective_grade

pytestmark = pytest.mark.django_db


def solve_now(world, window, capture, time_limit=30):
    with capture(execute=True):
        job = solve_start(actor=world.a.school_user, window=window, time_limit=time_limit, seed=1)
    job.refresh_from_db()
    return job


def unzip_to(data: bytes, where):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        z.extractall(where)


def test_case_names_every_student_without_a_choice(world):
    window = elective_grade(world)
    gone = Choice.objects.filter(window=window).order_by("pk")[:3]
    names = [c.student.student_no_masked for c in gone]  # a 学籍号 that embeds a 身份证号 is named masked
    Choice.objects.filter(pk__in=[c.pk for c in gone]).delete()
    built = build_case(window)
    assert built.case is None
    assert any("3 名学生尚未选科" in p and all(n in p for n in names) for p in built.problems)
    assert not any(c.student.id_number in p for c in gone for p in built.problems)
    partial = build_case(window, partial=True)
    assert partial.case is not None and len(partial.case.students) == 37 and len(partial.missing_choices) == 3


def test_case_needs_a_home_room_for_every_class(world):
    window = elective_grade(world)
    Room.objects.filter(admin_class=world.a.other_class).update(admin_class=None)
    built = build_case(window)
    assert any(world.a.other_class.name in p and "没有教室" in p for p in built.problems)


def test_solve_refused_with_reasons_writes_no_job(world):
    window = elective_grade(world, choose=False)
    with pytest.raises(Refused) as exc:
        solve_start(actor=world.a.school_user, window=window)
    assert any("40 名学生尚未选科" in r for r in exc.value.reasons)
    assert not Job.objects.exists()


def test_solve_job_stores_a_timetable_the_checker_accepts(world, django_capture_on_commit_callbacks, client, tmp_path):
    window = elective_grade(world)
    job = solve_now(world, window, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.SUCCEEDED, job.log
    tt = Timetable.objects.get(window=window)
    assert tt.is_current and tt.job_id == job.pk
    assert tt.teaching_classes >= tt.lower_bound > 0
    assert "教学班 (teaching classes)" in job.result["summary"]
    assert "教学班" in job.log and "下界" in job.log
    assert AuditEvent.objects.filter(action="electives.timetable.stored", object_id=str(tt.pk)).count() == 1
    # every student of the grade is in exactly the teaching classes the rules ask for (checked independently)
    client.force_login(world.a.school_user)
    resp = client.get(f"/electives/timetables/{tt.pk}/case.zip")
    assert resp.status_code == 200
    unzip_to(resp.content, tmp_path)
    assert check(tmp_path / "case", tmp_path / "out") == []
    n_core = TeachingClass.objects.filter(timetable=tt, kind="core").count()
    assert n_core == 2 * 4  # two admin classes × four core subjects
    rows = (tmp_path / "out" / "timetable.csv").read_text().splitlines()
    assert Lesson.objects.filter(teaching_class__timetable=tt).count() == len(rows) - 1 > 0


def test_infeasible_solve_shows_the_diagnosis(world, django_capture_on_commit_callbacks, client):
    window = elective_grade(world)
    window.default_max_periods = 2  # two 语文 teachers can give 4 periods; two classes need 10
    window.save()
    job = solve_now(world, window, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert any("语文" in d and "10" in d and "4" in d for d in job.result["diagnosis"]), job.result
    assert not Timetable.objects.exists()
    client.force_login(world.a.school_user)
    page = client.get(f"/electives/windows/{window.pk}/").content.decode()
    assert 'data-testid="diagnosis"' in page and "语文" in page
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="job-diagnosis"' in page


def test_stopped_solve_keeps_the_current_timetable(world, django_capture_on_commit_callbacks):
    """Stop before a valid timetable exists: the job says so and the current timetable stays as it was."""
    from gaozhong.electives.tasks import run_solve_job

    window = elective_grade(world)
    first = solve_now(world, window, django_capture_on_commit_callbacks)
    current = Timetable.objects.get(window=window, is_current=True)
    with django_capture_on_commit_callbacks(execute=False):
        job = solve_start(actor=world.a.school_user, window=window, time_limit=30, seed=2)
    Job.objects.filter(pk=job.pk).update(stop_requested=True)
    run_solve_job.call(job.pk)
    job.refresh_from_db()
    assert first.status == Job.Status.SUCCEEDED
    assert job.status == Job.Status.CANCELLED
    assert any("已停止" in d for d in job.result["diagnosis"]) and any("当前课表保持不变" in d for d in job.result["diagnosis"])
    assert list(Timetable.objects.filter(window=window, is_current=True)) == [current]
    assert Timetable.objects.filter(window=window).count() == 1


def test_the_solve_form_asks_no_seed_and_the_job_records_the_one_it_used(world, django_capture_on_commit_callbacks, client):
    window = elective_grade(world)
    client.force_login(world.a.school_user)
    page = client.get(f"/electives/windows/{window.pk}/").content.decode()
    assert 'name="time_limit"' in page and 'name="seed"' not in page and "随机种子" not in page
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(f"/electives/windows/{window.pk}/solve/", {"time_limit": 30, "seed": 99})
    first = Job.objects.get(kind="electives.solve")
    assert resp.status_code == 302 and first.params["seed"] == 0 and first.status == Job.Status.SUCCEEDED, first.log
    assert "随机种子 0" in first.log and Timetable.objects.get(job=first).seed == 0
    with django_capture_on_commit_callbacks(execute=True):
        second = solve_start(actor=world.a.school_user, window=window, time_limit=30)
    assert second.params["seed"] == 1  # a second run searches differently, and says with which seed
