"""补录: opened by the city after the main result is published, for the seats left and the candidates without a
seat (and those who decline theirs, where allowed); a second recorded run never goes over plan, never moves a
first-round admission, and keeps the first round's fill rate apart from the final one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from gaozhong.admissions.models import Admission, AdmissionRun, AdmissionYear, Cutoff, Program, SupplementaryRound
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create, admission_run_execute
from gaozhong.admissions.services.setup import admission_window_set
from gaozhong.admissions.services.stage import fill_rates, final_run
from gaozhong.admissions.services.supplementary import (
    may_take_part, offered_seats, supplementary_choices_set, supplementary_close, supplementary_decline, supplementary_open,
    supplementary_programs, supplementary_run_approve, supplementary_run_create, supplementary_run_execute, supplementary_run_reproduce,
)
from gaozhong.core.models import AuditEvent, Membership, Role

from .stage_world import stage_year

pytestmark = pytest.mark.django_db


def published_year(world, declined=True):
    year, cands, user, voc = stage_year(world, declined=declined)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    admission_run_approve(actor=world.city_user, run=run)
    year.refresh_from_db()
    return year, cands, user, voc, run


def account(cand, name):
    m = Membership.objects.filter(candidate=cand).select_related("user").first()
    if m is not None:
        return m.user
    u = User.objects.create(username=name)
    Membership.objects.create(user=u, role=Role.STUDENT, candidate=cand)
    return u


def test_opening_needs_the_published_main_result_and_the_city(world):
    year, cands, user, voc = stage_year(world)
    with pytest.raises(ValidationError, match="公布后"):
        supplementary_open(actor=world.city_user, year=year)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    admission_run_approve(actor=world.city_user, run=run)
    year.refresh_from_db()
    with pytest.raises(PermissionDenied):
        supplementary_open(actor=world.a.county_user, year=year)
    rnd = supplementary_open(actor=world.city_user, year=year)
    # seats left: every program's capacity less its admissions, none where unfilled seats rolled on
    for c in Cutoff.objects.filter(run=run).select_related("program"):
        assert rnd.seats[c.program.code] == (0 if c.program.rollover_to_id else c.capacity - c.admitted)
    with pytest.raises(ValidationError):
        supplementary_open(actor=world.city_user, year=year)


def test_a_round_end_to_end_admits_within_seats_left_and_keeps_the_first_round(world):
    year, cands, user, voc, run = published_year(world)
    rnd = supplementary_open(actor=world.city_user, year=year)
    first = {a.candidate_id: a.program_id for a in Admission.objects.filter(run=run)}
    without = [c for c in cands if first[c.pk] is None]
    assert without, "the small world leaves candidates without a seat"
    seated = next(c for c in cands if first[c.pk] is not None)
    n_seated = account(seated, "seated")
    with pytest.raises(ValidationError, match="不参加补录"):
        supplementary_choices_set(actor=n_seated, year=year, candidate=seated, batch=4, program_codes=["VA1-ZY02"])
    # every candidate without a seat asks for what is offered to them, best-first
    for i, c in enumerate(without):
        u = account(c, f"w{i}")
        for batch in (3, 4):
            codes = [p.code for p in supplementary_programs(rnd=rnd, candidate=c, batch=batch)]
            assert all(p.admits_from(c.county.code) for p in Program.objects.filter(code__in=codes))
            if codes:
                supplementary_choices_set(actor=u, year=year, candidate=c, batch=batch, program_codes=codes)
    with pytest.raises(ValidationError, match="截止"):
        supplementary_run_create(actor=world.city_user, year=year)
    supplementary_close(actor=world.city_user, year=year)
    with pytest.raises(ValidationError, match="未开放"):
        supplementary_choices_set(actor=account(without[0], "late"), year=year, candidate=without[0], batch=4, program_codes=[])
    run2 = supplementary_run_execute(run=supplementary_run_create(actor=world.city_user, year=year))
    assert run2.status == "done" and run2.round == 2 and run2.base_run == run
    assert supplementary_run_reproduce(run2)
    final = {a.candidate_id: a for a in Admission.objects.filter(run=run2).select_related("program")}
    for cid, pid in first.items():  # no first-round admission displaced
        if pid is not None:
            assert final[cid].program_id == pid and final[cid].round == 1
    second = [a for a in final.values() if a.round == 2]
    assert second, "someone is admitted in 补录"
    for a in second:
        assert first[a.candidate_id] is None
        assert any(e.get("round") == 2 and e["status"] == "admitted" for e in a.explanation)
    for code, seats in rnd.seats.items():  # never over the seats left
        assert sum(1 for a in second if a.program.code == code) <= seats
    cut2 = {c.program.code: c for c in Cutoff.objects.filter(run=run2, round=2).select_related("program")}
    assert {c: cut2[c].capacity for c in cut2} == rnd.seats
    assert Cutoff.objects.filter(run=run2, round=1).count() == Cutoff.objects.filter(run=run).count()
    rates = fill_rates(run2.fill_rates_csv)
    voc_second = sum(1 for a in second if a.program.school_id == voc.pk)
    assert rates["VA1"].final_admitted == rates["VA1"].first_round_admitted + voc_second
    assert fill_rates(run.fill_rates_csv)["VA1"].first_round_admitted == rates["VA1"].first_round_admitted
    from gaozhong.admissions.exports import admitted_rows

    rows = admitted_rows(Admission.objects.filter(run=run2, program__isnull=False).select_related(
        "program__school", "candidate__junior_school").order_by("candidate__exam_no"))
    assert sum(1 for r in rows if r["round"] == "补录") == len(second)
    assert {r["major"] for r in rows if r["school_code"] == "VA1"} <= {"机电技术应用", "会计事务"}
    supplementary_run_approve(actor=world.city_user, run=run2)
    rnd.refresh_from_db()
    assert rnd.status == SupplementaryRound.Status.PUBLISHED and final_run(year) == run2
    assert AuditEvent.objects.filter(action="admissions.supplementary.approved").count() == 1


def test_a_declined_seat_is_offered_and_the_candidate_may_choose(world):
    year, cands, user, voc, run = published_year(world, declined=True)
    rnd = supplementary_open(actor=world.city_user, year=year)
    adm = Admission.objects.filter(run=run, program__isnull=False, program__rollover_to__isnull=True).select_related("candidate", "program").first()
    c = adm.candidate
    u = account(c, "decliner")
    assert not may_take_part(rnd, c)
    before = offered_seats(rnd).get(adm.program.code, 0)
    supplementary_decline(actor=u, year=year, candidate=c)
    assert may_take_part(rnd, c) and offered_seats(rnd)[adm.program.code] == before + 1
    other = [p.code for p in supplementary_programs(rnd=rnd, candidate=c, batch=4)]
    if other:
        supplementary_choices_set(actor=u, year=year, candidate=c, batch=4, program_codes=other[:1])
    supplementary_close(actor=world.city_user, year=year)
    run2 = supplementary_run_execute(run=supplementary_run_create(actor=world.city_user, year=year))
    a2 = Admission.objects.get(run=run2, candidate=c)
    assert a2.round in (None, 2) and (a2.program_id is None or a2.program.code in other)


def test_declining_is_refused_where_the_city_does_not_allow_it(world):
    year, cands, user, voc, run = published_year(world, declined=False)
    supplementary_open(actor=world.city_user, year=year)
    adm = Admission.objects.filter(run=run, program__isnull=False).select_related("candidate").first()
    with pytest.raises(ValidationError, match="不接受"):
        supplementary_decline(actor=account(adm.candidate, "d"), year=year, candidate=adm.candidate)
    assert not AdmissionRun.objects.filter(round=2).exists()
