"""The 高中阶段 pages: plan approval with each school's 招生范围 and 专业, the rules form, 普职比 before and after the
run, the 公示 list and its export, the out-of-range report, where top candidates went, the 补录 pages, and the
plan proposal's 第一次录取完成率 apart from the final one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gaozhong.admissions.models import Admission, AdmissionYear, SupplementaryChoice, SupplementaryRound
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create, admission_run_execute
from gaozhong.admissions.services.setup import admission_window_set
from gaozhong.admissions.services.supplementary import (
    supplementary_close, supplementary_programs, supplementary_run_approve, supplementary_run_create,
    supplementary_run_execute,
)

from .stage_world import stage_year

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def published(world):
    year, cands, user, voc = stage_year(world)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    admission_run_approve(actor=world.city_user, run=run)
    year.refresh_from_db()
    return year, cands, user, voc, run


def test_plan_approval_page_shows_each_schools_range_and_majors(world):
    stage_year(world, open_window=False)
    page = client_for(world.city_user).get(reverse("admissions_home")).content.decode()
    assert 'data-testid="range-GA1">a县<' in page and 'data-testid="range-GB1">全市<' in page
    assert "机电技术应用 4" in page and "a县职教中心" in page


def test_plan_form_sets_a_vocational_plan_by_major(world):
    year, *_ , voc = stage_year(world, open_window=False)
    AdmissionYear.objects.filter(pk=year.pk).update(status="setup")
    c = client_for(world.city_user)
    c.post(reverse("admissions_plan_set"), {"school": voc.pk, "seats": 5, "talent_seats": 0, "counties": "149901", "majors": "数控:5"})
    plan = voc.admission_plans.get()
    assert (plan.seats, plan.majors, plan.counties, plan.approved) == (5, [["数控", 5]], "149901", False)
    r = c.post(reverse("admissions_plan_set"), {"school": voc.pk, "seats": 5, "talent_seats": 0, "majors": "数控"}, follow=True)
    assert "不是“专业:计划数”" in r.content.decode()


def test_stage_page_before_the_run_shows_plan_ratios_and_publicity_and_exports_it(world):
    year, cands, user, voc = stage_year(world)
    c = client_for(world.city_user)
    page = c.get(reverse("admissions_stage")).content.decode()
    assert 'data-testid="plan-city">21:6<' in page
    assert 'data-testid="plan-149901">11:6<' in page
    assert 'data-testid="publicity"' in page and cands[25].exam_no in page  # test score 90
    csv_text = c.get(reverse("admissions_publicity_csv")).content.decode()
    assert csv_text.splitlines()[0] == "program_id,school_id,special_type,student_id,test_score,score,position"
    assert cands[25].exam_no in csv_text and cands[20].exam_no not in csv_text  # 50 < 60
    # a county sees its own county's row, not the city's
    page = client_for(world.b.county_user).get(reverse("admissions_stage")).content.decode()
    assert 'data-testid="plan-149902"' in page and 'data-testid="plan-city"' not in page


def test_the_publicity_before_the_run_reads_only_the_talent_applicants_and_gives_the_engines_files(world):
    """The page's 公示 comes from ``publicity_inputs`` (the 特长生 applicants of the year's inputs): the engine's
    ``publicity`` gives byte for byte the files it gives on the whole inputs, ties decided by the same lottery."""
    from decimal import Decimal

    from gaozhong.admissions.models import CandidateScores
    from gaozhong.admissions.services.runs import canonical_inputs, publicity_inputs
    from gaozhong.admissions.services.stage import publicity
    from gaozhong.core.models import Candidate

    year, cands, user, voc = stage_year(world)
    # three applicants tie on the test score and every tie-break column: the lottery decides, one of them with an
    # imported lottery number and a named score (the column is the year's, whoever has it)
    for c in cands[23:26]:
        Candidate.objects.filter(pk=c.pk).update(talent_score=Decimal("88"), score=600, chinese=100, math=100, english=100)
    CandidateScores.objects.create(candidate=cands[24], scores={"理化实验": "30"}, lottery=3)
    CandidateScores.objects.create(candidate=cands[2], scores={"体育": "50"})
    full, part = canonical_inputs(year), publicity_inputs(year)
    expected, got = publicity(full), publicity(part)
    assert got.files == expected.files
    assert [r.exam_no for r in got.rows][:3] == [cands[24].exam_no, *sorted((cands[23].exam_no, cands[25].exam_no), key=lambda e: _lottery(full, e))]
    assert len(got.rows) == 4 and {r.test_score for r in got.rows[:3]} == {"88"}  # 50 and 58 are below 60

    def students(files):
        return [line.split(",")[0] for line in files["students.csv"].splitlines()[1:]]

    assert sorted(students(part)) == sorted(c.exam_no for c in cands[20:26])  # the six who listed the 特长 program
    assert len(students(full)) == 40 and part["students.csv"].splitlines()[0] == full["students.csv"].splitlines()[0]
    assert part["programs.csv"] == full["programs.csv"] and part["schools.csv"] == full["schools.csv"]
    rows = set(full["students.csv"].splitlines())
    assert all(line in rows for line in part["students.csv"].splitlines())  # the same rows, lottery numbers included


def _lottery(files, exam_no):
    for line in files["students.csv"].splitlines()[1:]:
        cells = line.split(",")
        if cells[0] == exam_no:
            return int(cells[-1])
    raise KeyError(exam_no)


def test_settings_form_changes_the_rules_before_the_window_only(world):
    year, *_ = stage_year(world, open_window=False)
    c = client_for(world.city_user)
    c.post(reverse("admissions_stage_settings"), {"range_required": "on", "special_share": "0.1", "special_min_score": "450", "special_min_test_score": ""})
    year.refresh_from_db()
    assert (str(year.special_share), str(year.special_min_score), year.special_min_test_score, year.supplementary_declined) == ("0.100", "450.0", None, False)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    r = c.post(reverse("admissions_stage_settings"), {"special_share": "0.3"}, follow=True)
    assert "只能在筹备阶段修改" in r.content.decode()
    assert client_for(world.a.county_user).post(reverse("admissions_stage_settings"), {}).status_code == 403


def test_after_the_run_the_pages_show_ratios_fill_rates_ranges_and_destinations(world):
    year, cands, user, voc, run = published(world)
    c = client_for(world.city_user)
    page = c.get(reverse("admissions_stage")).content.decode()
    admitted_voc = Admission.objects.filter(run=run, program__school=voc).count()
    assert 'data-testid="fill-rates"' in page and f":{admitted_voc}<" in page
    report = c.get(reverse("admissions_out_of_range")).content.decode()
    assert "范围外录取合计：0 人" in report and "a县职教中心" in report
    retention = c.get(reverse("admissions_retention")).content.decode()
    assert 'data-testid="destinations"' in retention and "（本县）" in retention
    proposal = c.get(reverse("admissions_plan_proposal")).content.decode()
    assert 'data-testid="first-rate-VA1"' in proposal and 'data-testid="final-rate-VA1"' not in proposal


def test_supplementary_pages_from_opening_to_the_candidates_result(world):
    year, cands, user, voc, run = published(world)
    city = client_for(world.city_user)
    assert 'data-testid="open-supp"' in city.get(reverse("admissions_supplementary")).content.decode()
    assert client_for(world.a.county_user).get(reverse("admissions_supplementary")).status_code == 403
    city.post(reverse("admissions_supplementary_action"), {"action": "open", "allow_declined": "on", "confirm": "yes"})
    rnd = year.supplementary
    assert rnd.allow_declined and sum(rnd.seats.values()) > 0
    page = city.get(reverse("admissions_supplementary")).content.decode()
    assert 'data-testid="close-supp"' in page and 'data-testid="supp-seats"' in page
    # the first candidate (county a, cand0): without a seat? give them none by choosing nothing before
    me = cands[0]
    first = Admission.objects.get(run=run, candidate=me)
    mine = client_for(user)
    page = mine.get(reverse("admissions_supplementary_mine")).content.decode()
    assert 'data-testid="first-round"' in page
    assert first.program_id is None  # cand0 filed no preferences in the stage world
    options = supplementary_programs(rnd=rnd, candidate=me)
    assert options
    p = options[0]
    mine.post(reverse("admissions_supplementary_mine"), {f"batch{p.batch}": [p.code]})
    assert list(SupplementaryChoice.objects.filter(candidate=me).values_list("program__code", flat=True)) == [p.code]
    supplementary_close(actor=world.city_user, year=year)
    run2 = supplementary_run_execute(run=supplementary_run_create(actor=world.city_user, year=year))
    supplementary_run_approve(actor=world.city_user, run=run2)
    page = mine.get(reverse("admissions_supplementary_mine")).content.decode()
    assert 'data-testid="final-result"' in page and "补录" in page
    a2 = Admission.objects.get(run=run2, candidate=me)
    assert (a2.program == p and a2.round == 2) or a2.program is None
    run_page = city.get(reverse("admissions_run", args=[run2.pk])).content.decode()
    assert "补录运行" in run_page


def test_supplementary_open_is_refused_before_publication_with_a_message(world):
    year, *_ = stage_year(world)
    r = client_for(world.city_user).post(reverse("admissions_supplementary_action"), {"action": "open", "confirm": "yes"}, follow=True)
    assert "公布后才能开放补录" in r.content.decode()
    assert not SupplementaryRound.objects.exists()


def test_opening_supplementary_without_the_ticked_confirmation_changes_nothing(world):
    year, *_ = published(world)
    r = client_for(world.city_user).post(reverse("admissions_supplementary_action"), {"action": "open"}, follow=True)
    assert "请先阅读操作后果并勾选确认" in r.content.decode()
    assert not SupplementaryRound.objects.exists()


def test_the_candidates_home_points_to_the_open_supplementary_round(world):
    year, cands, user, voc, run = published(world)
    c = client_for(user)
    assert "补录已开放" not in c.get("/").content.decode()
    client_for(world.city_user).post(reverse("admissions_supplementary_action"), {"action": "open", "confirm": "yes"})
    assert "补录已开放，可填报补录志愿" in c.get("/").content.decode()
    assert "补录：补录填报中" in client_for(world.city_user).get("/").content.decode()


def test_a_candidate_posting_before_any_supplementary_round_is_told_and_nothing_changes(world):
    year, cands, user, voc, run = published(world)
    r = client_for(user).post(reverse("admissions_supplementary_mine"), {"batch4": ["VA1-ZY01"]}, follow=True)
    assert r.status_code == 200 and "尚未开放补录" in r.content.decode()
    assert not SupplementaryChoice.objects.exists()


def _supplementary_published(world):
    from gaozhong.admissions.services.supplementary import supplementary_choices_set, supplementary_open

    year, cands, user, voc, run = published(world)
    rnd = supplementary_open(actor=world.city_user, year=year)
    me = cands[0]
    p = supplementary_programs(rnd=rnd, candidate=me)[0]
    supplementary_choices_set(actor=user, year=year, candidate=me, batch=p.batch, program_codes=[p.code])
    supplementary_close(actor=world.city_user, year=year)
    run2 = supplementary_run_execute(run=supplementary_run_create(actor=world.city_user, year=year))
    supplementary_run_approve(actor=world.city_user, run=run2)
    return year, cands, run, run2, p


def test_the_public_pages_show_both_rounds_once_the_supplementary_result_is_published(world):
    from gaozhong.admissions.models import PublishedResult

    year, cands, run, run2, p = _supplementary_published(world)
    assert PublishedResult.objects.get(year=2026).run == run2
    me = cands[0]
    page = Client().post(reverse("admissions_lookup"), {"exam_no": me.exam_no, "id_tail": me.id_number[-6:]}).content.decode()
    assert 'data-testid="lookup-result"' in page and f"<b>{p}</b>（补录，" in page
    seated = Admission.objects.filter(run=run, program__isnull=False).select_related("candidate", "program").first()
    page = Client().post(reverse("admissions_lookup"), {"exam_no": seated.candidate.exam_no, "id_tail": seated.candidate.id_number[-6:]}).content.decode()
    assert f"<b>{seated.program}</b>（第一轮，" in page
    table = Client().get(reverse("admissions_cutoffs")).content.decode()
    assert "<th>轮次</th>" in table and table.count("<td>补录</td>") == run2.cutoffs.filter(round=2).count()


def test_withdrawing_the_supplementary_result_publishes_the_main_round_again(world):
    from gaozhong.admissions.models import PublishedResult
    from gaozhong.admissions.services.publication import admission_run_withdraw
    from django.core.exceptions import ValidationError

    year, cands, run, run2, p = _supplementary_published(world)
    with pytest.raises(ValidationError, match="不能撤回"):
        admission_run_withdraw(actor=world.city_user, run=run, reason="核查")
    admission_run_withdraw(actor=world.city_user, run=run2, reason="补录名额有误")
    assert PublishedResult.objects.get(year=2026).run == run
    year.refresh_from_db()
    assert year.status == AdmissionYear.Status.PUBLISHED and year.supplementary.status == SupplementaryRound.Status.CLOSED
    run3 = supplementary_run_execute(run=supplementary_run_create(actor=world.city_user, year=year))
    assert run3.results_csv == run2.results_csv
