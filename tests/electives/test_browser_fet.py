"""In a real browser: the school's 教务 uploads a FET file with an unsupported constraint type on the timetabling
page and reads the refusal naming it; uploads a small FET example, follows its job to the end and downloads the
solved file, which fet-cl accepts with every activity locked; then downloads a stored timetable as FET."""

from __future__ import annotations

import pytest

from gaozhong.core.models import AuditEvent, Job
from gaozhong.electives.models import Lesson, Timetable
from gaozhong.electives.services.timetables import solve_start

from ..browser.conftest import login
from .factories import elective_grade
from .fet.helpers import example
from .test_web_fet import assert_fet_cl_accepts_locked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _own_upload_dir(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"


def test_fet_upload_solve_and_downloads_in_the_browser(world, live_server, page, tmp_path):
    small = example("Denmark/small-school.fet")
    unsupported = example("../FET-5-terms/1/simple.fet")
    base = live_server.url
    login(page, base, "school_a", world.password)
    page.click("nav.main-nav >> text=选课排课")
    page.wait_for_selector("[data-testid=fet-form]")

    page.set_input_files("[data-testid=fet-file]", str(unsupported))
    page.click("[data-testid=fet-submit]")
    page.wait_for_selector("[data-testid=refusal]")
    assert "ConstraintActivitiesOccupyMaxTerms × 1" in page.inner_text("[data-testid=refusal]")
    assert not Job.objects.exists()

    page.set_input_files("[data-testid=fet-file]", str(small))
    page.fill("[data-testid=fet-form] input[name=time_limit]", "30")
    page.click("[data-testid=fet-submit]")
    page.wait_for_selector("[data-testid=job-summary]", timeout=120_000)
    job = Job.objects.get(kind="electives.fet")
    assert job.status == Job.Status.SUCCEEDED and job.school_id == world.a.school.pk
    assert page.inner_text("[data-testid=job-status]") == "已完成"
    assert "活动：25" in page.inner_text("[data-testid=job-summary]")
    with page.expect_download() as dl:
        page.click("text=下载排好的 FET 文件")
    out = tmp_path / "downloaded.fet"
    dl.value.save_as(out)
    assert dl.value.suggested_filename == "small-school_已排.fet"
    assert out.read_bytes().startswith(small.read_bytes().removeprefix(b"\xef\xbb\xbf")[:500])  # the school's file, BOM dropped
    assert AuditEvent.objects.filter(action="electives.fet.downloaded", object_id=str(job.pk)).count() == 1
    # the job is listed on the timetabling page with its download
    page.goto(f"{base}/electives/")
    assert "small-school.fet" in page.inner_text("[data-testid=fet-jobs]")
    assert_fet_cl_accepts_locked(out)


def test_stored_timetable_downloads_as_fet_in_the_browser(world, live_server, page, tmp_path):
    window = elective_grade(world)
    solve_start(actor=world.a.school_user, window=window, time_limit=30, seed=1)  # run at commit by the test job backend
    tt = Timetable.objects.get(window=window, is_current=True)
    base = live_server.url
    login(page, base, "school_a", world.password)
    page.goto(f"{base}/electives/timetables/{tt.pk}/")
    with page.expect_download() as dl:
        page.click("[data-testid=fet-export]")
    out = tmp_path / "timetable.fet"
    dl.value.save_as(out)
    assert dl.value.suggested_filename == f"课表_{world.a.school.code}_{tt.pk}.fet"
    placed = assert_fet_cl_accepts_locked(out)
    assert len(placed) == Lesson.objects.filter(teaching_class__timetable=tt).count() > 0
