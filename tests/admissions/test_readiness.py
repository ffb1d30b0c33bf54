"""The admission year page says what is missing before a run, with a link to the import that supplies it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gaozhong.admissions.models import AdmissionYear, Confirmation
from gaozhong.admissions.selectors import admission_readiness
from gaozhong.admissions.services.setup import admission_year_create, programs_generate, school_plan_set, school_plans_approve
from gaozhong.core.models import Candidate, School
from tests.admissions.test_services import make_candidates

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(world):
    now = timezone.now()
    return admission_year_create(actor=world.city_user, year=2026, window_opens=now - dt.timedelta(days=1), window_closes=now + dt.timedelta(days=5))


def messages(year) -> list[str]:
    return [m.message for m in admission_readiness(year)]


def test_an_empty_year_lacks_scores_plans_and_programs(world, year):
    assert messages(year) == ["2026 年中考成绩未导入 (0 名考生)", "2 所学校未提交招生计划", "尚未生成招生专业"]
    urls = [m.url for m in admission_readiness(year)]
    assert urls[:2] == [reverse("admissions_import", args=["zhongkao"]), reverse("admissions_import", args=["plans"])]


def test_last_years_count_is_the_yardstick_and_partial_imports_are_counted(world, year):
    for i in range(3):
        Candidate.objects.create(year=2025, exam_no=f"25{i}", name="往届", id_number="", gender="男", junior_school=world.a.junior,
                                 county=world.a.county, score=500, chinese=90, math=90, english=90)
    assert messages(year)[0] == "2026 年中考成绩未导入 (0 / 3 名考生，按 2025 年人数)"
    Candidate.objects.create(year=2026, exam_no="260", name="甲", id_number="", gender="男", junior_school=world.a.junior,
                             county=world.a.county, score=500, chinese=90, math=90, english=90)
    assert messages(year)[0] == "1 所初中还没有 2026 年考生成绩（已导入 1 名考生）"  # JB1 has none
    school_plan_set(actor=world.city_user, year=year, school=world.a.school, seats=5)
    assert "1 所学校未提交招生计划" in messages(year) and "1 个招生计划待审批" in messages(year)


def test_a_ready_year_lacks_only_confirmations_then_nothing(world, year):
    cands, _ = make_candidates(world, n_per_junior=5)
    for s in (world.a.school, world.b.school):
        school_plan_set(actor=world.city_user, year=year, school=s, seats=4)
    school_plans_approve(actor=world.city_user, year=year)
    programs_generate(actor=world.city_user, year=year)
    assert messages(year) == ["10 名考生未确认志愿"]
    Confirmation.objects.bulk_create([Confirmation(year=year, candidate=c) for c in cands[:7]])
    assert messages(year) == ["3 名考生未确认志愿"]
    Confirmation.objects.bulk_create([Confirmation(year=year, candidate=c) for c in cands[7:]])
    assert messages(year) == []
    AdmissionYear.objects.filter(pk=year.pk).update(status=AdmissionYear.Status.PUBLISHED)
    School.objects.create(county=world.a.county, code="GA9", name="新高中", level="senior")
    year.refresh_from_db()
    assert messages(year) == []


def test_the_year_page_shows_the_notice_with_its_link(world, year):
    c = Client()
    c.force_login(world.city_user)
    page = c.get(reverse("admissions_home")).content.decode()
    assert 'data-testid="readiness"' in page and "2026 年中考成绩未导入 (0 名考生)" in page
    assert f'href="{reverse("admissions_import", args=["zhongkao"])}"' in page
    c.force_login(world.a.school_user)
    assert 'data-testid="readiness"' not in c.get(reverse("admissions_home")).content.decode()
