"""A solve whose worker died no longer holds its window: once its heartbeat is stale it is marked failed, and the
window can be solved again (it used to say "本窗口已有排课任务在运行" forever)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gaozhong.core.models import Job
from gaozhong.electives.services.common import Refused
from gaozhong.electives.services.timetables import solve_start

from .factories import elective_grade

pytestmark = pytest.mark.django_db


def test_a_dead_solve_releases_its_window_and_a_live_one_does_not(world, settings):
    window = elective_grade(world, per_class=6)
    settings.JOB_DEAD_AFTER_SECONDS = 60
    beat = timezone.now() - dt.timedelta(seconds=30)
    job = Job.objects.create(kind="electives.solve", title="t", created_by=world.a.school_user, status=Job.Status.RUNNING,
                             params={"window_id": window.pk}, started_at=beat, heartbeat_at=beat)
    with pytest.raises(Refused, match="已有排课任务"):
        solve_start(actor=world.a.school_user, window=window, time_limit=5)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(seconds=61))
    n = Job.objects.count()
    new = solve_start(actor=world.a.school_user, window=window, time_limit=5)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "无心跳" in job.result["error"]
    assert new.pk != job.pk and Job.objects.count() == n + 1
