"""The 通报: content, the command (PDF and HTML), and the same from the web page as a job with a scoped download."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from gaozhong.core.models import Job
from gaozhong.supervision import cli
from gaozhong.supervision.models import Task
from gaozhong.supervision.report import build_report, render

from .test_compliance import _fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def lagging(world, catalog):
    """A city with a 大班额 class in county a, and an overdue task there."""
    _fill(world.a.admin_class, 59, "a")
    Task.objects.create(kind="project", title="a县一中扩建教学楼", county=world.a.county, school=world.a.school, responsible_unit="a县教育局",
                        responsible_person="王", due_date=dt.date(2024, 12, 31), status="in_progress")
    return world


def test_report_content(lagging):
    ctx = build_report(year=2025, county=None, today=dt.date(2026, 1, 5))
    codes = {item["row"].indicator.code for item in ctx["rows"]}
    assert {"BE-01", "SS-01", "RX-01", "JK-01", "AF-04"} <= codes
    assert ctx["laggards"] and ctx["laggards"][0]["unit"].name == "a县"
    assert "BE-01" in {i.code for i in ctx["laggards"][0]["missed"]}
    assert [o["task"].title for o in ctx["overdue"]] == ["a县一中扩建教学楼"] and ctx["overdue"][0]["days"] == 370
    assert len(ctx["charts"]) >= 3 and all(c["svg"].startswith("<svg") for c in ctx["charts"])
    county = build_report(year=2025, county=lagging.b.county, today=dt.date(2026, 1, 5))
    assert county["place"] == "b县" and county["overdue"] == [] and all(lg["unit"].name != "a县一中" for lg in county["laggards"])


def test_html_report_is_chinese_and_self_contained(lagging):
    html = render(year=2025, county=None, fmt="html", today=dt.date(2026, 1, 5)).decode()
    assert "测试市普通高中发展督导通报" in html and "2025-2026 学年" in html and "推进不力单位" in html
    assert "data:image/svg+xml;base64," in html and "<script" not in html
    assert "a县一中扩建教学楼" in html


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_pdf_report_has_chinese_text_tables_and_chart_images(lagging, tmp_path):
    pdf = render(year=2025, county=None, fmt="pdf", today=dt.date(2026, 1, 5))
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert "督导通报" in text and "指标达成情况" in text and "班额达标率" in text and "推进不力单位" in text
    if shutil.which("pdffonts"):  # the Chinese is set in Noto CJK, embedded
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        assert "Noto-Sans-CJK-SC" in fonts
    # The SVG charts become vector drawings in the PDF; rendering the pages shows them (reviewed as images).
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(path), str(tmp_path / "page")], check=True)
        first = sorted(tmp_path.glob("page-*.png"))[0]  # page-1.png, or page-01.png once the report has ten pages or more
        assert first.stat().st_size > 5000


def test_command_writes_pdf_and_html(lagging, tmp_path, capsys):
    out = tmp_path / "通报.html"
    assert cli.main(["report", "--year", "2025", "--format", "html", "--out", str(out)]) == 0
    assert "督导通报" in out.read_text(encoding="utf-8")
    out = tmp_path / "a.pdf"
    assert cli.main(["report", "--year", "2025", "--county", "a县", "--format", "pdf", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert "已写入" in capsys.readouterr().out


def test_command_default_year_and_bad_arguments(lagging, tmp_path, capsys, years):
    out = tmp_path / "r.html"
    assert cli.main(["report", "--format", "html", "--out", str(out)]) == 0
    assert "2024-2025 学年" in out.read_text(encoding="utf-8")  # the latest complete school year
    assert cli.main(["report", "--year", "1999", "--out", str(tmp_path / "x.pdf")]) == 2
    assert cli.main(["report", "--county", "无此县", "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "没有 1999 学年" in err and "找不到县(区) “无此县”" in err and "149901 a县" in err
    assert not (tmp_path / "x.pdf").exists()


def test_web_report_runs_as_a_job_with_a_scoped_download(lagging, django_capture_on_commit_callbacks):
    c = Client()
    c.force_login(lagging.a.county_user)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("sup_reports"), {"year": 2025, "county": lagging.a.county.code, "format": "pdf"})
    job = Job.objects.get(kind="supervision.report")
    assert r.status_code == 302 and job.status == "succeeded" and job.county == lagging.a.county
    d = c.get(reverse("sup_report_download", kwargs={"pk": job.pk}))
    assert d.status_code == 200 and b"".join(d.streaming_content).startswith(b"%PDF-")
    # A county reports only on itself; the other county cannot fetch the file.
    assert c.post(reverse("sup_reports"), {"year": 2025, "county": lagging.b.county.code, "format": "pdf"}).status_code == 200
    assert Job.objects.filter(kind="supervision.report").count() == 1
    c.force_login(lagging.b.county_user)
    assert c.get(reverse("sup_report_download", kwargs={"pk": job.pk})).status_code == 404
    c.force_login(lagging.a.school_user)
    assert c.get(reverse("sup_reports")).status_code == 403
