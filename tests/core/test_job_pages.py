"""Job pages: one status line with the engine's phase and the time taken; a failed job keeps its bar at the value
it reached, marked failed (red, 失败) with its error; the status JSON carries the time taken; the list filters by
status."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gaozhong.core.models import Job
from gaozhong.core.models.jobs import duration_text
from gaozhong.core.services.jobs import JobReporter, run_job

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _job(world, **kw) -> Job:
    return Job.objects.create(**{"kind": "x", "title": "排课", "created_by": world.a.county_user, "county": world.a.county, **kw})


def _line(body: str) -> str:
    """The text of the status line, tags removed."""
    m = re.search(r'<p class="job-line" data-testid="job-line">(.*?)</p>', body, re.S)
    assert m, body
    return re.sub(r"<[^>]+>", "", m.group(1))


def test_a_failed_job_keeps_its_phase_and_progress_and_is_marked_failed(world):
    job = _job(world)

    def body(job, rep):
        rep.progress(40, "求解教学班")
        raise RuntimeError("教室不够")

    with pytest.raises(RuntimeError):
        run_job(job.pk, body, phase="开始")
    job.refresh_from_db()
    assert (job.status, job.progress, job.phase) == ("failed", 40, "求解教学班")
    page = _client(world.a.county_user).get(reverse("job_detail", kwargs={"pk": job.pk})).content.decode()
    line = _line(page)
    assert line.count("失败") == 1  # the status once, not twice
    assert "停在：求解教学班" in line and "用时" in line
    assert re.search(r'<progress max="100" value="40" data-field="progress" class="failed"', page)
    assert "40% · 失败" in page
    assert 'data-testid="job-error"' in page and "教室不够" in page


def test_a_running_job_shows_status_phase_and_time_once(world):
    job = _job(world)
    rep = JobReporter(job.pk)
    rep.start("读取文件")
    rep.progress(15, "检查数据")
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - dt.timedelta(seconds=125))
    c = _client(world.a.county_user)
    line = _line(c.get(reverse("job_detail", kwargs={"pk": job.pk})).content.decode())
    assert line.count("运行中") == 1 and "阶段：检查数据" in line and "2 分 05 秒" in line
    s = c.get(reverse("job_status", kwargs={"pk": job.pk})).json()
    assert s["elapsed"] == "2 分 05 秒" and s["phase"] == "检查数据"


def test_a_succeeded_job_shows_its_status_and_time_without_a_leftover_phase(world):
    job = _job(world)
    rep = JobReporter(job.pk)
    rep.start("读取文件")
    rep.finish(Job.Status.SUCCEEDED, {"summary": {"行数": 3}})
    job.refresh_from_db()
    assert job.progress == 100
    page = _client(world.a.county_user).get(reverse("job_detail", kwargs={"pk": job.pk})).content.decode()
    assert re.search(r'<span data-testid="job-phase" hidden>', page)
    assert _line(page).count("已完成") == 1


def test_job_list_filters_by_status_and_marks_failed_jobs(world):
    _job(world, title="成功的导入", status=Job.Status.SUCCEEDED, progress=100)
    _job(world, title="失败的排课", status=Job.Status.FAILED, progress=5)
    c = _client(world.a.county_user)
    body = c.get(reverse("job_list") + "?status=failed").content.decode()
    assert "失败的排课" in body and "成功的导入" not in body and "5% · 失败" in body
    body = c.get(reverse("job_list")).content.decode()
    assert "失败的排课" in body and "成功的导入" in body


@pytest.mark.parametrize("seconds, text", [(0, "0 秒"), (59, "59 秒"), (61, "1 分 01 秒"), (3600 + 180, "1 小时 03 分")])
def test_duration_text(seconds, text):
    assert duration_text(seconds) == text
