"""In a real browser: a school imports its base form and submits it, the county reviews it, the city approves it;
then a school opens a ledger task, uploads evidence and applies for close-out, and the city closes it."""

from __future__ import annotations

import datetime as dt

import pytest

from gaozhong.supervision.importspecs import intake_spec
from gaozhong.supervision.models import Submission, Task

from ..browser.conftest import login
from .conftest import school_row, workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page, base):
    page.click("button:has-text('退出')")
    page.wait_for_url(f"{base}/accounts/login/")


def test_submit_review_approve(world, catalog, live_server, page, tmp_path):  # noqa: F811
    base = live_server.url
    login(page, base, "school_a", world.password)
    page.click("nav.main-nav >> text=督导")
    page.wait_for_selector("[data-testid=indicator-table]")
    page.goto(f"{base}/supervision/intake/")
    bad = tmp_path / "学校基表.xlsx"
    bad.write_bytes(workbook(intake_spec("school"), [school_row("GA1", gates_face_networked=4)]))
    page.set_input_files("[data-testid=intake-file]", str(bad))
    page.click("main form[action$='/intake/upload/'] button[type=submit]")
    page.wait_for_selector("[data-testid=job-problems]")
    problems = page.inner_text("[data-testid=job-problems]")
    assert "学校基表.xlsx[学校基表]" in problems and "人脸识别装置已联网的校门数 (E)" in problems and "未写入任何数据" in problems
    assert not Submission.objects.exists()

    good = tmp_path / "学校基表-改.xlsx"
    good.write_bytes(workbook(intake_spec("school"), [school_row("GA1")]))
    page.goto(f"{base}/supervision/intake/")
    page.set_input_files("[data-testid=intake-file]", str(good))
    page.click("main form[action$='/intake/upload/'] button[type=submit]")
    page.wait_for_selector("[data-testid=job-summary]")
    sub = Submission.objects.get()
    page.goto(f"{base}/supervision/intake/{sub.pk}/")
    page.click("[data-testid=do-submit]")
    page.wait_for_selector("[data-testid=submission-status][data-status=submitted]")
    _logout(page, base)

    login(page, base, "county_a", world.password)
    page.goto(f"{base}/supervision/intake/{sub.pk}/")
    assert page.locator("[data-testid=do-approve]").count() == 0  # the county reviews; only the city approves
    page.click("[data-testid=do-review]")
    page.wait_for_selector("[data-testid=submission-status][data-status=reviewed]")
    _logout(page, base)

    login(page, base, "city", world.password)
    page.goto(f"{base}/supervision/intake/{sub.pk}/")
    page.check("[data-testid=confirm-box-do-approve]")
    page.click("[data-testid=do-approve]")
    page.wait_for_selector("[data-testid=submission-status][data-status=approved]")
    sub.refresh_from_db()
    assert (sub.status, sub.submitted_by.username, sub.reviewed_by.username, sub.approved_by.username) == ("approved", "school_a", "county_a", "city")
    page.goto(f"{base}/supervision/?year=2025")
    page.wait_for_selector("[data-chart][data-rendered='1']", timeout=10000)
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors


def test_open_task_to_close_out(world, catalog, live_server, page, tmp_path):  # noqa: F811
    base = live_server.url
    task = Task.objects.create(kind="project", title="a县一中扩建教学楼", county=world.a.county, school=world.a.school, responsible_unit="a县一中",
                               responsible_person="王校长", due_date=dt.date(2030, 8, 31))
    evidence = tmp_path / "竣工验收报告.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    login(page, base, "school_a", world.password)
    page.click("nav.main-nav >> text=台账")
    page.click(f"text={task.title}")
    page.click("[data-testid=do-start]")
    page.wait_for_selector("[data-testid=task-status][data-status=in_progress]")
    page.set_input_files("[data-testid=evidence-file]", str(evidence))
    page.click("[data-testid=do-upload]")
    page.wait_for_selector("[data-testid=evidence] >> text=竣工验收报告.pdf")
    page.click("[data-testid=do-submit-task]")
    page.wait_for_selector("[data-testid=task-status][data-status=submitted]")
    _logout(page, base)

    login(page, base, "city", world.password)
    page.goto(f"{base}/supervision/ledger/{task.pk}/")
    with page.expect_download() as dl:
        page.click("[data-testid=evidence] >> text=竣工验收报告.pdf")
    assert dl.value.suggested_filename == "竣工验收报告.pdf"
    page.fill("[data-testid=task-actions] form[action$='/close/'] input[name=reason]", "现场验收合格")
    page.check("[data-testid=confirm-box-do-close]")
    page.click("[data-testid=do-close]")
    page.wait_for_selector("[data-testid=task-status][data-status=closed]")
    task.refresh_from_db()
    assert task.status == "closed" and task.close_reason == "现场验收合格" and task.closed_by == world.city_user
