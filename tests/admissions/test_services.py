"""Admission year on the platform: plans → programs with the exact 指标到校 split → window → preferences (each
change audited, refused after the deadline) → run recorded with its input digest → approve → reproduce."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gaozhong.admissions.models import Admission, AdmissionRun, AdmissionYear, Cutoff, Preference, Program
from gaozhong.admissions.services.preferences import preferences_confirm, preferences_set
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create, admission_run_execute, admission_run_reproduce
from gaozhong.admissions.services.setup import admission_window_set, admission_year_create, programs_generate, school_plan_set, school_plans_approve
from gaozhong.core.models import AuditEvent, Candidate, Membership, Role, School
from gaozhong.importer.idnumber import check_character

pytestmark = pytest.mark.django_db


def make_candidates(world, n_per_junior=20, seed=1):
    from django.contrib.auth.models import User

    r = random.Random(seed)
    out = []
    for k, place in enumerate((world.a, world.b)):
        for i in range(n_per_junior):
            first = f"14990{k + 1}20100101{i:03d}"[:17]
            total = r.randrange(300, 700)
            out.append(Candidate.objects.create(
                year=2026, exam_no=f"26{k}{i:04d}", name=f"考生{k}{i}", id_number=first + check_character(first), gender="男",
                junior_school=place.junior, county=place.county, score=total, chinese=total // 6, math=total // 6, english=total // 6))
    u = User.objects.create(username="cand0")
    Membership.objects.create(user=u, role=Role.STUDENT, candidate=out[0])
    return out, u


@pytest.fixture
def year(world):
    now = timezone.now()
    return admission_year_create(actor=world.city_user, year=2026, window_opens=now - dt.timedelta(days=1), window_closes=now + dt.timedelta(days=1))


@pytest.fixture
def setup_year(world, year):
    cands, user = make_candidates(world)
    school_plan_set(actor=world.a.county_user, year=year, school=world.a.school, seats=11, talent_seats=0)
    school_plan_set(actor=world.b.county_user, year=year, school=world.b.school, seats=10)
    school_plans_approve(actor=world.city_user, year=year)
    programs_generate(actor=world.city_user, year=year)
    return cands, user


def test_quota_programs_take_at_least_half_of_quality_plans(world, year, setup_year):
    for school, plan in ((world.a.school, 11), (world.b.school, 10)):
        quota = sum(Program.objects.filter(year=year, school=school, kind="quota").values_list("capacity", flat=True))
        unified = Program.objects.get(year=year, school=school, kind="unified")
        assert quota == -(-plan // 2)  # ceil(0.5 × plan), exact
        assert quota + unified.capacity == plan
        assert all(p.rollover_to_id == unified.pk for p in Program.objects.filter(year=year, school=school, kind="quota"))


def test_quota_share_below_half_is_refused(world):
    now = timezone.now()
    with pytest.raises(ValidationError):
        admission_year_create(actor=world.city_user, year=2027, window_opens=now, window_closes=now + dt.timedelta(days=1), quota_share=Decimal("0.4"))
    assert not AdmissionYear.objects.filter(year=2027).exists()


def test_county_cannot_set_another_countys_plan(world, year):
    n = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        school_plan_set(actor=world.a.county_user, year=year, school=world.b.school, seats=100)
    assert AuditEvent.objects.count() == n


def test_preferences_are_audited_and_only_the_candidate_changes_them(world, year, setup_year):
    cands, user = setup_year
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    me = cands[0]
    quota = Program.objects.get(year=year, feeder_school=me.junior_school, school=world.a.school)
    n = AuditEvent.objects.count()
    preferences_set(actor=user, year=year, candidate=me, batch=2, program_codes=[quota.code])
    preferences_set(actor=user, year=year, candidate=me, batch=3, program_codes=["GA1-TZ", "GB1-TZ"])
    preferences_confirm(actor=user, year=year, candidate=me)
    assert AuditEvent.objects.count() == n + 3
    e = AuditEvent.objects.filter(action="admissions.preferences.changed").latest("id")
    assert e.before == {"batch": 3, "programs": []} and e.after["programs"] == ["GA1-TZ", "GB1-TZ"]
    with pytest.raises(PermissionDenied):
        preferences_set(actor=world.a.county_user, year=year, candidate=me, batch=3, program_codes=["GB1-TZ"])
    other_quota = Program.objects.filter(year=year, kind="quota").exclude(feeder_school=me.junior_school).first()
    with pytest.raises(ValidationError):
        preferences_set(actor=user, year=year, candidate=me, batch=2, program_codes=[other_quota.code])
    with pytest.raises(ValidationError):
        preferences_set(actor=user, year=year, candidate=me, batch=3, program_codes=["GA1-TZ", "GA1-TZ"])
    assert list(Preference.objects.filter(candidate=me, batch=3).values_list("program__code", flat=True)) == ["GA1-TZ", "GB1-TZ"]


def test_changes_after_the_deadline_are_refused(world, year, setup_year):
    cands, user = setup_year
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    AdmissionYear.objects.filter(pk=year.pk).update(window_closes=timezone.now() - dt.timedelta(seconds=1))
    year.refresh_from_db()
    with pytest.raises(ValidationError):
        preferences_set(actor=user, year=year, candidate=cands[0], batch=3, program_codes=["GA1-TZ"])
    assert not Preference.objects.exists()


def fill_preferences(year, cands):
    """Every candidate lists its quota program (batch 2) and both unified programs (batch 3) in random order."""
    r = random.Random(3)
    rows = []
    for c in cands:
        for p in Program.objects.filter(year=year, feeder_school=c.junior_school):
            rows.append(Preference(year=year, candidate=c, batch=2, rank=1, program=p))
            break
        unified = list(Program.objects.filter(year=year, kind="unified"))
        r.shuffle(unified)
        rows += [Preference(year=year, candidate=c, batch=3, rank=i, program=p) for i, p in enumerate(unified, start=1)]
    Preference.objects.bulk_create(rows)


def test_run_is_within_plan_explained_recorded_and_reproducible(world, year, setup_year):
    cands, user = setup_year
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    fill_preferences(year, cands)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    assert run.status == "done" and len(run.inputs_sha256) == 64
    # never over plan: per school, admitted ≤ approved plan (rollovers move seats, never add them)
    for school, plan in ((world.a.school, 11), (world.b.school, 10)):
        assert Admission.objects.filter(run=run, program__school=school).count() <= plan
    for c in Cutoff.objects.filter(run=run):
        assert c.admitted <= c.capacity
    assert Admission.objects.filter(run=run).count() == len(cands)
    # explanations: an unplaced candidate's unified choices name the cutoff and their own score
    unplaced = Admission.objects.filter(run=run, program__isnull=True).select_related("candidate").first()
    assert unplaced is not None
    texts = [reason for ch in unplaced.explanation for reason in ch["reasons"]]
    assert any("最低录取分" in t and f"本人 {int(unplaced.candidate.score)}" in t for t in texts), texts
    assert admission_run_reproduce(run)
    AdmissionRun.objects.filter(pk=run.pk).update(results_csv=run.results_csv.replace("\n", "\r\n", 1))
    run.refresh_from_db()
    assert not admission_run_reproduce(run)
    with pytest.raises(PermissionDenied):
        admission_run_approve(actor=world.a.county_user, run=run)
    admission_run_approve(actor=world.city_user, run=run)
    year.refresh_from_db()
    assert year.status == "published"


def test_public_and_private_schools_are_in_one_run(world, year):
    private = School.objects.create(county=world.a.county, code="GA7", name="a县民办高中", level="senior", ownership="private")
    cands, _ = make_candidates(world, n_per_junior=5)
    school_plan_set(actor=world.a.county_user, year=year, school=private, seats=3)
    school_plan_set(actor=world.a.county_user, year=year, school=world.a.school, seats=3)
    school_plans_approve(actor=world.city_user, year=year)
    programs_generate(actor=world.city_user, year=year)
    assert Program.objects.filter(year=year, school=private, kind="unified", batch=3).exists()
    assert not Program.objects.filter(year=year, school=private, kind="quota").exists()  # ordinary quality: no 指标到校


def test_city_sets_up_a_year_from_the_page(world):
    from django.test import Client
    from django.urls import reverse

    c = Client()
    data = {"year": "2027", "window_opens": "2027-06-20T08:00", "window_closes": "2027-06-25T18:00", "quota_share": "0.55",
            "max_unified_choices": "6", "policy_toml": 'tiebreak = ["cme", "math"]\n'}
    c.force_login(world.a.county_user)
    assert c.post(reverse("admissions_year_create"), data).status_code == 403
    c.force_login(world.city_user)
    n = AuditEvent.objects.count()
    assert c.post(reverse("admissions_year_create"), {**data, "quota_share": "0.40"}).status_code == 302
    assert not AdmissionYear.objects.filter(year=2027).exists() and AuditEvent.objects.count() == n
    assert c.post(reverse("admissions_year_create"), {**data, "policy_toml": "tiebreak = ["}).status_code == 302
    assert not AdmissionYear.objects.filter(year=2027).exists()
    assert c.post(reverse("admissions_year_create"), data).status_code == 302
    y = AdmissionYear.objects.get(year=2027)
    assert (y.quota_share, y.status, y.policy_toml) == (Decimal("0.55"), "setup", 'tiebreak = ["cme", "math"]\n')
    assert AuditEvent.objects.count() == n + 1


def test_bureau_page_renders_for_each_role(world, year, setup_year):
    from django.test import Client
    from django.urls import reverse

    c = Client()
    for user in (world.city_user, world.a.county_user, world.a.school_user):
        c.force_login(user)
        r = c.get(reverse("admissions_home"))
        assert r.status_code == 200 and "招生计划" in r.content.decode()
    c.force_login(world.a.teacher_user)
    assert c.get(reverse("admissions_home")).status_code == 403
