"""The bureau's irreversible admission steps ask first: each page names the consequence with the database's counts,
and a POST without the ticked confirmation changes nothing. Running with unconfirmed preferences warns with their
count. The 指标到校 split per junior school is shown and exported (Excel) before the run, as generated."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gaozhong.admissions.models import AdmissionRun, AdmissionYear, Confirmation, Program
from gaozhong.admissions.services.runs import admission_run_create, admission_run_execute
from gaozhong.admissions.services.setup import admission_window_set
from gaozhong.core.models import AuditEvent

from .test_services import fill_preferences, setup_year, year  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _city(world) -> Client:
    c = Client()
    c.force_login(world.city_user)
    return c


def _action(c: Client, action: str, confirm: bool):
    return c.post(reverse("admissions_year_action"), {"action": action, **({"confirm": "yes"} if confirm else {})}, follow=True)


def test_closing_the_window_names_the_counts_and_needs_the_confirmation(world, year, setup_year):
    cands, user = setup_year
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    fill_preferences(year, cands[:30])
    Confirmation.objects.bulk_create([Confirmation(year=year, candidate=c) for c in cands[:25]])
    c = _city(world)
    page = c.get(reverse("admissions_home")).content.decode()
    assert "目前 40 名考生中已确认志愿 25 名，未确认 15 名" in page and 'data-testid="confirm-box-close-window"' in page
    n = AuditEvent.objects.count()
    r = _action(c, "close", confirm=False)
    year.refresh_from_db()
    assert year.status == "open" and AuditEvent.objects.count() == n
    assert "请先阅读操作后果并勾选确认" in r.content.decode()
    _action(c, "close", confirm=True)
    year.refresh_from_db()
    assert year.status == "closed"
    # the run warns: 15 unconfirmed, 10 of them with no preference at all
    page = c.get(reverse("admissions_home")).content.decode()
    assert "有 15 名考生未确认志愿，其中 10 名未填报任何志愿" in page and 'data-testid="confirm-warning-start-run"' in page
    _action(c, "run", confirm=False)
    assert not AdmissionRun.objects.exists()


def test_publishing_names_the_candidates_and_needs_the_confirmation(world, year, setup_year):
    cands, user = setup_year
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    fill_preferences(year, cands)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    admitted = run.admissions.filter(program__isnull=False).count()
    c = _city(world)
    page = c.get(reverse("admissions_run", kwargs={"pk": run.pk})).content.decode()
    assert f"将公布 40 名考生的录取结果（录取 {admitted} 名，未录取 {40 - admitted} 名），公布后考生即可查询，不可撤回" in page
    c.post(reverse("admissions_run_approve", kwargs={"pk": run.pk}))
    run.refresh_from_db()
    assert run.status == "done"
    c.post(reverse("admissions_run_approve", kwargs={"pk": run.pk}), {"confirm": "yes"})
    run.refresh_from_db()
    assert run.status == "approved"


def test_setup_steps_need_the_confirmation(world, year):
    c = _city(world)
    from gaozhong.admissions.services.setup import school_plan_set

    school_plan_set(actor=world.city_user, year=year, school=world.a.school, seats=11)
    page = c.get(reverse("admissions_home")).content.decode()
    assert "将审批 1 个待审批的招生计划" in page
    _action(c, "approve_plans", confirm=False)
    assert not year.plans.get().approved
    _action(c, "approve_plans", confirm=True)
    assert year.plans.get().approved


def test_quota_split_per_junior_school_is_shown_and_exported_as_generated(world, year, setup_year):
    c = _city(world)
    page = c.get(reverse("admissions_quota_split")).content.decode()
    quota = list(Program.objects.filter(year=year, kind="quota").select_related("school", "feeder_school"))
    assert quota
    total = sum(p.capacity for p in quota)
    assert f"指标到校名额共 {total} 个" in page
    for p in quota:
        assert p.feeder_school.name in page and f"{p.school.name} {p.capacity}" in page
    wb = load_workbook(io.BytesIO(c.get(reverse("admissions_quota_xlsx")).content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0] == ("县(区)", "初中代码", "初中", "本年考生数", "高中代码", "高中", "招生专业代码", "指标到校名额")
    assert sorted((r[1], r[4], r[7]) for r in rows[1:]) == sorted((p.feeder_school.code, p.school.code, p.capacity) for p in quota)
    assert all(r[3] == 20 for r in rows[1:])  # 20 candidates per junior school
    assert 'data-testid="quota-link"' in c.get(reverse("admissions_home")).content.decode()
