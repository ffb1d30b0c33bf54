"""In a real browser: a county user logs in, sees only the county's schools, imports a students file with one
bad row and sees the error with its row and column, then imports the fixed file and sees the students."""

from __future__ import annotations

import pytest

from gaozhong.core.models import Student

from ..core.test_imports import student_rows, xlsx
from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_user_sees_own_schools_and_imports_students(world, live_server, page, tmp_path):
    base = live_server.url
    login(page, base, "county_a", world.password)
    assert "县(区)教育局工作人员" in page.inner_text("[data-testid=scope]")

    # Home page: the chart draws from our own static ECharts, with no CSP violation.
    page.wait_for_selector("[data-chart][data-rendered='1']", timeout=10000)
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors

    page.click("nav >> text=学校")
    table = page.inner_text("[data-testid=school-table]")
    assert world.a.school.name in table and world.b.school.name not in table

    rows = student_rows("GA1", n=4)
    rows[2][7] = 7  # 年级 7 does not exist -> spreadsheet row 4, column H
    bad = tmp_path / "学生名册.xlsx"
    bad.write_bytes(xlsx(rows))
    page.goto(f"{base}/imports/students/")
    page.set_input_files("[data-testid=import-file]", str(bad))
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=job-problems]")
    problems = page.inner_text("[data-testid=job-problems]")
    assert "学生名册.xlsx[学生]" in problems and "4" in problems and "年级 (H)" in problems
    assert "未写入任何数据" in problems
    assert not Student.objects.filter(name__startswith="新生").exists()

    rows[2][7] = 1
    good = tmp_path / "学生名册-改.xlsx"
    good.write_bytes(xlsx(rows))
    page.goto(f"{base}/imports/students/")
    page.set_input_files("[data-testid=import-file]", str(good))
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=job-summary]")
    assert "4" in page.inner_text("[data-testid=job-summary]")
    page.goto(f"{base}/students/?school=GA1")
    listed = page.inner_text("[data-testid=student-table]")
    for r in rows:
        assert r[2] in listed
    id_cells = page.locator("[data-testid=student-table] td.mono").all_inner_texts()
    assert r[1][:4] + "**********" + r[1][-4:] in id_cells and r[1] not in id_cells  # 身份证号 masked
    assert world.b.student.name not in listed


def test_each_role_logs_in_and_sees_its_navigation(world, live_server, page):
    base = live_server.url
    expected = {"city": "审计日志", "county_a": "数据导入", "school_a": "数据导入", "teacher_a": "班级", "student_a": "首页"}
    for username, nav in expected.items():
        login(page, base, username, world.password)
        assert nav in page.inner_text("nav.main-nav")
        if username in ("teacher_a", "student_a"):
            assert "数据导入" not in page.inner_text("nav.main-nav")
        page.click("button:has-text('退出')")
        page.wait_for_url(f"{base}/accounts/login/")
