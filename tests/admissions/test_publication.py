"""Publication: approving a run writes what the public pages show (cutoff rows, one answer per candidate) in the
approval's transaction; the pages read only that, the latest published year's, while a newer year is open;
withdrawing removes it at once and lets a corrected run be approved; the migration publishes runs approved before
it existed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gaozhong.admissions.models import Admission, AdmissionRun, AdmissionYear, Cutoff, Program, PublishedAnswer, PublishedResult
from gaozhong.admissions.services.publication import admission_run_withdraw
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create, admission_run_execute
from gaozhong.admissions.services.setup import admission_window_set, admission_year_create, programs_generate, school_plan_set, school_plans_approve
from gaozhong.core.models import AuditEvent

from .test_services import fill_preferences, make_candidates

pytestmark = pytest.mark.django_db


def publish(world, *, year_no: int = 2026, n_per_junior: int = 20, approve: bool = True):
    """A year with candidates, plans, programs and preferences, its window closed and its run recorded (and approved)."""
    now = timezone.now()
    year = admission_year_create(actor=world.city_user, year=year_no, window_opens=now - dt.timedelta(days=2), window_closes=now + dt.timedelta(days=1))
    cands, user = make_candidates(world, n_per_junior=n_per_junior)
    school_plan_set(actor=world.city_user, year=year, school=world.a.school, seats=11)
    school_plan_set(actor=world.city_user, year=year, school=world.b.school, seats=10)
    school_plans_approve(actor=world.city_user, year=year)
    programs_generate(actor=world.city_user, year=year)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    fill_preferences(year, cands)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    if approve:
        admission_run_approve(actor=world.city_user, run=run)
    return year, run, cands


def test_approval_writes_the_public_pages_data(world):
    year, run, cands = publish(world)
    pub = PublishedResult.objects.get()
    assert (pub.run_id, pub.year, pub.candidates) == (run.pk, 2026, len(cands))
    assert pub.admitted == Admission.objects.filter(run=run, program__isnull=False).count() > 0
    cutoffs = {(c.program.batch, str(c.program), c.capacity, c.admitted, None if c.cutoff_score is None else str(c.cutoff_score))
               for c in Cutoff.objects.filter(run=run).select_related("program__school", "program__feeder_school")}
    assert {(r["batch"], r["program"], r["capacity"], r["admitted"], r["cutoff_score"]) for r in pub.cutoffs} == cutoffs
    assert [r["batch"] for r in pub.cutoffs] == sorted(r["batch"] for r in pub.cutoffs)
    answers = {a.exam_no: a for a in PublishedAnswer.objects.filter(publication=pub)}
    names = {str(p) for p in Program.objects.filter(year=year).select_related("school", "feeder_school")}
    assert set(answers) == {c.exam_no for c in cands}
    for adm in Admission.objects.filter(run=run).select_related("candidate", "program__school", "program__feeder_school"):
        a = answers[adm.candidate.exam_no]
        assert a.id_tail == adm.candidate.id_number[-6:]
        assert a.answer["name"] == adm.candidate.name and a.answer["program"] == (str(adm.program) if adm.program else None)
        assert [(c["batch"], c["rank"], c["status"], c["reasons"]) for c in a.answer["choices"]] == [
            (c["batch"], c["rank"], c["status"], c["reasons"]) for c in adm.explanation]
        assert {c["program"] for c in a.answer["choices"]} <= names  # the programs' names, not their codes


def test_a_failed_approval_publishes_nothing(world):
    year, run, _ = publish(world, approve=False)
    with pytest.raises(PermissionDenied):
        admission_run_approve(actor=world.a.county_user, run=run)
    assert not PublishedResult.objects.exists() and not PublishedAnswer.objects.exists()


def test_public_pages_read_only_the_publication(world):
    """The cutoffs page is one indexed read once its table is rendered; neither page reads admissions, cutoffs or
    candidates, however many there are."""
    publish(world)
    c = Client()
    c.get(reverse("admissions_cutoffs"))  # this process renders the table once
    with CaptureQueriesContext(connection) as q:
        page = c.get(reverse("admissions_cutoffs"))
    assert page.status_code == 200 and "a县一中" in page.content.decode()
    assert len(q.captured_queries) == 1
    cand = Admission.objects.filter(program__isnull=False).select_related("candidate").first().candidate
    with CaptureQueriesContext(connection) as q:
        page = c.post(reverse("admissions_lookup"), {"exam_no": cand.exam_no, "id_tail": cand.id_number[-6:]})
    assert page.status_code == 200 and cand.name in page.content.decode()
    sql = " ".join(x["sql"] for x in q.captured_queries)
    for table in ("admissions_admission", "admissions_cutoff", "core_candidate", "admissions_program"):
        assert table not in sql


def test_pages_show_last_years_result_beside_an_open_year(world):
    """The demo's situation: 2026 published; 2027's window open. The public pages show 2026's result."""
    year, run, cands = publish(world)
    now = timezone.now()
    admission_year_create(actor=world.city_user, year=2027, window_opens=now - dt.timedelta(days=1), window_closes=now + dt.timedelta(days=9))
    c = Client()
    page = c.get(reverse("admissions_cutoffs")).content.decode()
    assert "2026" in page and "b县一中" in page and "尚未公布" not in page
    top = cands[0]
    page = c.post(reverse("admissions_lookup"), {"exam_no": top.exam_no, "id_tail": top.id_number[-6:]}).content.decode()
    assert top.name in page and "data-testid=\"lookup-result\"" in page


def test_withdrawal_takes_the_result_off_the_pages_and_allows_a_corrected_run(world):
    year, run, cands = publish(world)
    c = Client()
    top = cands[0]
    assert "b县一中" in c.get(reverse("admissions_cutoffs")).content.decode()
    with pytest.raises(PermissionDenied):
        admission_run_withdraw(actor=world.a.county_user, run=run, reason="错误")
    with pytest.raises(ValidationError):
        admission_run_withdraw(actor=world.city_user, run=run, reason=" ")
    n = AuditEvent.objects.count()
    admission_run_withdraw(actor=world.city_user, run=run, reason="计划数录入错误")
    run.refresh_from_db()
    year.refresh_from_db()
    assert run.status == AdmissionRun.Status.WITHDRAWN and year.status == AdmissionYear.Status.CLOSED
    assert not PublishedResult.objects.exists() and not PublishedAnswer.objects.exists()
    e = AuditEvent.objects.get(action="admissions.run.withdrawn")
    assert AuditEvent.objects.count() == n + 1 and e.after["reason"] == "计划数录入错误"
    assert "尚未公布" in c.get(reverse("admissions_cutoffs")).content.decode()
    page = c.post(reverse("admissions_lookup"), {"exam_no": top.exam_no, "id_tail": top.id_number[-6:]}).content.decode()
    assert top.name not in page and "尚未公布" in page
    with pytest.raises(ValidationError):
        admission_run_approve(actor=world.city_user, run=run)  # a withdrawn run is not approved again
    with pytest.raises(ValidationError):
        admission_run_withdraw(actor=world.city_user, run=run, reason="again")
    second = admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    admission_run_approve(actor=world.city_user, run=second)
    assert PublishedResult.objects.get().run_id == second.pk
    assert top.name in c.post(reverse("admissions_lookup"), {"exam_no": top.exam_no, "id_tail": top.id_number[-6:]}).content.decode()


def test_a_new_publication_is_shown_by_every_process_at_once(world):
    """The rendered table is kept per publication version: after a withdrawal and a new approval the page shows
    the new cutoffs, not the table this process rendered before."""
    year, run, _ = publish(world)
    c = Client()
    before = c.get(reverse("admissions_cutoffs")).content.decode()
    admission_run_withdraw(actor=world.city_user, run=run, reason="更正")
    year.refresh_from_db()
    second = admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    # make the corrected run's table visibly different from the first one's
    Cutoff.objects.filter(run=second, program__code="GB1-TZ").update(capacity=999)
    admission_run_approve(actor=world.city_user, run=second)
    after = c.get(reverse("admissions_cutoffs")).content.decode()
    assert ">999<" in after and ">999<" not in before


def test_withdraw_page_is_city_only_and_needs_a_reason(world):
    year, run, _ = publish(world)
    c = Client()
    c.force_login(world.a.county_user)
    assert c.post(reverse("admissions_run_withdraw", args=[run.pk]), {"reason": "x"}).status_code in (403, 404)
    c.force_login(world.city_user)
    assert "data-testid=\"withdraw\"" in c.get(reverse("admissions_run", args=[run.pk])).content.decode()
    c.post(reverse("admissions_run_withdraw", args=[run.pk]), {"reason": ""})
    assert AdmissionRun.objects.get(pk=run.pk).status == AdmissionRun.Status.APPROVED
    c.post(reverse("admissions_run_withdraw", args=[run.pk]), {"reason": "分数更正"})
    assert AdmissionRun.objects.get(pk=run.pk).status == AdmissionRun.Status.WITHDRAWN


def test_the_migration_publishes_runs_approved_before_it(world):
    """A run approved before publications existed gets the same publication the approval would write."""
    import importlib

    from django.apps import apps

    publish(world)
    built = PublishedResult.objects.get()
    expected_cutoffs = built.cutoffs
    expected = {a.exam_no: (a.id_tail, a.answer) for a in built.answers.all()}
    PublishedResult.objects.all().delete()
    migration = importlib.import_module("gaozhong.admissions.migrations.0004_published_results")
    migration.publish_approved_runs(apps, None)
    again = PublishedResult.objects.get()
    assert again.cutoffs == expected_cutoffs and (again.candidates, again.admitted) == (built.candidates, built.admitted)
    assert {a.exam_no: (a.id_tail, a.answer) for a in again.answers.all()} == expected
