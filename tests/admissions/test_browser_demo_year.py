"""The demo city's admission year of the whole 高中阶段, end to end in a real browser (issue 17's Done-when).

The world is the demo's own: ``build_demo`` with the admissions demo (``gaozhong.admissions.demo``) stopped when
this year's window is open (``until=WINDOW_OPEN``), built at ``SCALE`` — a tenth of the people (about 2,000
candidates), the same counties, schools, plans, ranges, programs, rules and steps, so the suite stays quick. From
there the test walks what the demo does with services, as the city bureau, two candidates and a county bureau:
the plan page shows each school's 招生范围; the candidate's form offers only the programs in range (普高 and 中职);
the candidate confirms; the city closes the window, runs the admission, approves it (the confirmation box is
required) and the public lookup shows the main-round result; the city opens 补录, the crowd files (the demo's
``supplementary_crowd``), candidate_bulu files a 补录 choice in the browser among the seats offered in range; the
city closes, runs and publishes 补录; the lookup shows the 补录 result and the main-round one beside it; the 普职比
page's figures are those of the published result; the 招生范围 report finds no admission out of range; a county
bureau sees its own county's figures and schools.

Every expected figure is computed here from the database tables (plans, programs, admissions), not read from
the files or functions the pages use."""

from __future__ import annotations

from collections import Counter
from functools import partial
from types import SimpleNamespace

import pytest

from gaozhong.admissions import demo as admissions_demo
from gaozhong.admissions.models import (
    Admission, AdmissionRun, AdmissionYear, Confirmation, Preference, Program, SchoolPlan, SupplementaryChoice, SupplementaryRound,
)
from gaozhong.core import demo as core_demo
from gaozhong.core.models import Candidate, County, Membership, School

from ..browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: the demo at a tenth of its people (``build_demo(scale=)``): same shape, about 2,000 candidates a year
SCALE = 0.1
PASSWORD = core_demo.DEMO_PASSWORD


def _codes(counties: str) -> list[str]:
    return [c for c in counties.split(";") if c and c != "全市"]


def _in_range(program: Program, county: str) -> bool:
    codes = _codes(program.counties)
    return not codes or county in codes


def _options(page, testid: str) -> set[str]:
    return set(page.eval_on_selector_all(f"[data-testid={testid}] option", "els => els.map(e => e.value)")) - {""}


def _confirm_click(page, testid: str) -> None:
    page.check(f"[data-testid=confirm-box-{testid}]")
    page.click(f"[data-testid={testid}]")


def _logout(page, base: str) -> None:
    page.click("button:has-text('退出')")
    page.wait_for_url(f"{base}/accounts/login/")


def _lookup(page, base: str, cand: Candidate) -> str:
    page.goto(f"{base}/admissions/lookup/")
    page.fill("input[name=exam_no]", cand.exam_no)
    page.fill("input[name=id_tail]", cand.id_number[-6:])
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=lookup-result] h2")
    # the verdict line and, when admitted, the line naming the program, its round, batch and choice
    admitted_to = page.query_selector("[data-testid=lookup-result] .admitted-to")
    return page.inner_text("[data-testid=lookup-result] h2") + (admitted_to.inner_text() if admitted_to else "")


def _seats_left(run: AdmissionRun) -> dict[str, int]:
    """Seats left per program after a main run, from the programs and the admissions alone: a program whose unfilled
    seats roll on has none; any other its own seats, plus those rolled into it, less its admissions."""
    programs = list(Program.objects.filter(year=run.year))
    admitted = Counter(Admission.objects.filter(run=run, program__isnull=False).values_list("program_id", flat=True))
    rolled_in = Counter()
    for p in programs:
        if p.rollover_to_id:
            rolled_in[p.rollover_to_id] += p.capacity - admitted[p.pk]
    return {p.code: 0 if p.rollover_to_id else p.capacity + rolled_in[p.pk] - admitted[p.pk] for p in programs}


def _ratio(run: AdmissionRun, **where) -> str:
    levels = Counter(Admission.objects.filter(run=run, program__isnull=False, **where).values_list("program__school__level", flat=True))
    return f"{levels[School.Level.SENIOR]}:{levels[School.Level.VOCATIONAL]}"


def test_the_demo_citys_year_with_general_and_vocational_ranges_and_supplementary_in_the_browser(live_server, page, monkeypatch):
    stopped = SimpleNamespace(build=partial(admissions_demo.build, until=admissions_demo.WINDOW_OPEN))
    monkeypatch.setattr(core_demo, "_domain_demo_modules", lambda: iter([stopped]))
    core_demo.build_demo(seed=2025, scale=SCALE)
    base = live_server.url
    year = AdmissionYear.objects.get(year=admissions_demo.YEAR)
    assert year.status == AdmissionYear.Status.OPEN and year.window_is_open() and year.range_required
    names = dict(County.objects.values_list("code", "name"))
    me = Membership.objects.select_related("candidate__county").get(user__username=admissions_demo.CANDIDATE_MAIN).candidate

    # -- the city: each plan's 招生范围 on the plan page; 普职比 of the plans and the 公示 before the run ----------------
    login(page, base, "city_admin", PASSWORD)
    page.goto(f"{base}/admissions/")
    plans = list(SchoolPlan.objects.filter(year=year).select_related("school"))
    shown = {p.school.code: page.inner_text(f"[data-testid=range-{p.school.code}]") for p in plans}
    assert shown == {p.school.code: ("、".join(names[c] for c in _codes(p.counties)) or "全市") for p in plans}
    assert shown["G0101"] == "全市" and shown["G0102"] == "城东区" and shown["V0101"] == "全市" and shown["V2102"] == "河阳县、青山县"
    assert all(p.approved for p in plans)
    page.goto(f"{base}/admissions/stage/")
    seats = Counter()
    for p in plans:
        seats[p.school.level] += p.seats
    assert page.inner_text("[data-testid=plan-city]") == f"{seats[School.Level.SENIOR]}:{seats[School.Level.VOCATIONAL]}"
    # the 公示: every applicant of a 特长生 program who meets the year's rules and is in its range, and no one else
    eligible = sorted(pf.candidate.exam_no for pf in Preference.objects.filter(year=year, program__kind=Program.Kind.TALENT).select_related(
        "program", "candidate__county") if pf.candidate.talent_score is not None and pf.candidate.talent_score >= year.special_min_test_score
        and pf.candidate.score >= year.special_min_score and _in_range(pf.program, pf.candidate.county.code))
    listed = page.eval_on_selector_all("[data-testid=publicity] tbody tr td:nth-child(3)", "els => els.map(e => e.textContent)")
    assert eligible and sorted(listed) == eligible
    _logout(page, base)

    # -- candidate_demo: the form offers only what they may be admitted to, by batch; they confirm ------------------------
    login(page, base, admissions_demo.CANDIDATE_MAIN, PASSWORD)
    page.goto(f"{base}/admissions/preferences/")
    programs = list(Program.objects.filter(year=year))
    for batch in (1, 2, 3, 4):
        expected = {p.code for p in programs
                    if p.batch == batch and p.feeder_school_id in (None, me.junior_school_id) and _in_range(p, me.county.code)}
        assert _options(page, f"b{batch}-1") == expected, batch
    everyone = {p.code for p in programs if p.batch in (3, 4)}
    offered = _options(page, "b3-1") | _options(page, "b4-1")
    assert everyone - offered and any(p.kind == Program.Kind.VOCATIONAL for p in programs if p.code in offered)  # 中职 in the same form
    assert all(not _in_range(p, me.county.code) for p in programs if p.code in everyone - offered)
    assert not Confirmation.objects.filter(year=year, candidate=me).exists()
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=confirmed]")
    assert Confirmation.objects.filter(year=year, candidate=me).exists()
    _logout(page, base)

    # -- the city: close the window, run, approve (only with the box ticked), published ------------------------------------
    login(page, base, "city_admin", PASSWORD)
    page.goto(f"{base}/admissions/")
    _confirm_click(page, "close-window")
    page.wait_for_selector("[data-testid=start-run]")
    _confirm_click(page, "start-run")
    page.wait_for_selector("[data-testid=job-summary]")
    run = AdmissionRun.objects.get(year=year, round=1)
    assert run.status == AdmissionRun.Status.DONE
    page.goto(f"{base}/admissions/runs/{run.pk}/")
    total = Candidate.objects.filter(year=year.year).count()
    assert f"将公布 {total:,} 名考生" in page.inner_text("[data-testid=consequence-approve]")
    page.click("[data-testid=approve]")  # the box is not ticked: the browser does not send the form
    assert page.eval_on_selector("[data-testid=confirm-box-approve]", "e => e.validity.valueMissing")
    assert page.url == f"{base}/admissions/runs/{run.pk}/"
    run.refresh_from_db()
    assert run.status == AdmissionRun.Status.DONE
    _confirm_click(page, "approve")
    page.wait_for_selector(".messages")
    run.refresh_from_db()
    year.refresh_from_db()
    assert run.status == AdmissionRun.Status.APPROVED and year.status == AdmissionYear.Status.PUBLISHED
    _logout(page, base)

    # -- the public lookup shows the main round's result ---------------------------------------------------------------------
    mine = Admission.objects.select_related("program__school", "program__feeder_school").get(run=run, candidate=me)
    assert mine.program is not None  # candidate_demo's story: admitted in the main round
    head = _lookup(page, base, me)
    assert me.name in head and "已被录取" in head and str(mine.program) in head and f"第 {mine.batch} 批，第 {mine.choice_rank} 志愿" in head
    nobody = Admission.objects.filter(run=run, program__isnull=True).select_related("candidate").order_by("candidate__exam_no").first().candidate
    assert "未被录取" in _lookup(page, base, nobody)

    # -- the city opens 补录 on the seats left; the crowd files -----------------------------------------------------------------
    login(page, base, "city_admin", PASSWORD)
    page.goto(f"{base}/admissions/supplementary/")
    _confirm_click(page, "open-supp")
    page.wait_for_selector("[data-testid=supp-seats]")
    left = _seats_left(run)
    assert int(page.inner_text("[data-testid=seats-total]")) == sum(left.values()) > 0
    _logout(page, base)
    rnd = SupplementaryRound.objects.get(year=year)
    declined, filing = admissions_demo.supplementary_crowd(year=year, rnd=rnd, seed=2025)
    assert filing > 0
    user, bulu, choices = admissions_demo.supplementary_account(year=year, rnd=rnd)

    # -- candidate_bulu (no seat in the main round) files a 补录 choice among the seats offered in range ------------------------
    assert Admission.objects.get(run=run, candidate=bulu).program is None
    login(page, base, user.username, PASSWORD)
    page.goto(f"{base}/admissions/supplementary/mine/")
    assert "未被录取" in page.inner_text("[data-testid=first-round]")
    freed = Counter(Admission.objects.filter(run=run, candidate__in=rnd.declines.values("candidate")).values_list("program__code", flat=True))
    for batch in (3, 4):
        expected = {p.code for p in programs if p.batch == batch and left[p.code] + freed[p.code] > 0 and _in_range(p, bulu.county.code)
                    and p.feeder_school_id is None}
        assert _options(page, f"s{batch}-1") == expected, batch
    (batch, codes), = choices.items()
    page.select_option(f"[data-testid=s{batch}-1]", codes[0])
    page.click("[data-testid=save-supp]")
    page.wait_for_selector(".messages")
    assert list(SupplementaryChoice.objects.filter(round=rnd, candidate=bulu).values_list("batch", "program__code")) == [(batch, codes[0])]
    _logout(page, base)

    # -- the city closes, runs and publishes 补录 -----------------------------------------------------------------------------
    login(page, base, "city_admin", PASSWORD)
    page.goto(f"{base}/admissions/supplementary/")
    _confirm_click(page, "close-supp")
    page.wait_for_selector("[data-testid=run-supp]")
    _confirm_click(page, "run-supp")
    page.wait_for_selector("[data-testid=job-summary]")
    run2 = AdmissionRun.objects.get(year=year, round=2)
    assert run2.status == AdmissionRun.Status.DONE
    page.goto(f"{base}/admissions/supplementary/")
    _confirm_click(page, "approve-supp")
    page.wait_for_selector("[data-testid=supp-status]")
    assert page.inner_text("[data-testid=supp-status]") == "补录结果已公布"

    # never over plan, no first-round seat displaced but the declined ones, every 补录 seat from the seats offered
    second = Counter(Admission.objects.filter(run=run2, round=2).values_list("program__code", flat=True))
    assert sum(second.values()) > 0 and all(n <= left[c] + freed[c] for c, n in second.items())
    kept = dict(Admission.objects.filter(run=run2, round=1).values_list("candidate_id", "program_id"))
    first = dict(Admission.objects.filter(run=run, program__isnull=False).values_list("candidate_id", "program_id"))
    assert kept == {c: p for c, p in first.items() if c not in set(rnd.declines.values_list("candidate_id", flat=True))}

    # the 普职比 page: the published result's figures, for the city and each county's schools
    page.goto(f"{base}/admissions/stage/")
    assert page.inner_text("[data-testid=admitted-city]") == _ratio(run2)
    for code in names:
        assert page.inner_text(f"[data-testid=admitted-{code}]") == _ratio(run2, program__school__county__code=code), code
    page.goto(f"{base}/admissions/reports/ranges/")
    assert page.inner_text("[data-testid=outside-total]") == "范围外录取合计：0 人"
    assert all(_in_range(a.program, a.candidate.county.code) for a in Admission.objects.filter(run=run2, program__isnull=False).select_related(
        "program", "candidate__county"))
    page.goto(f"{base}/admissions/reports/retention/")
    assert f"{year.year} 年各县前 10% 考生的录取去向" in page.inner_text("main")  # the latest published year: both rounds
    assert page.locator("[data-testid=destinations] tbody tr").count() > len(names)
    _logout(page, base)

    # -- a county bureau (河阳县: 普高 and a 中职 school) sees its own county's 普职比 and schools, not the city's ------------------
    login(page, base, "county_149921", PASSWORD)
    page.goto(f"{base}/admissions/stage/")
    assert page.inner_text("[data-testid=admitted-149921]") == _ratio(run2, program__school__county__code="149921")
    assert page.locator("[data-testid=admitted-city]").count() == 0 and page.locator("[data-testid=admitted-149901]").count() == 0
    page.goto(f"{base}/admissions/reports/ranges/")
    rows = page.eval_on_selector_all("[data-testid=out-of-range] tbody tr td:first-child", "els => els.map(e => e.textContent.trim())")
    mine_schools = School.objects.filter(county__code="149921", programs__admissions__run=run2, programs__admissions__candidate__county__code="149921")
    assert sorted(rows) == sorted(mine_schools.distinct().values_list("name", flat=True)) and len(rows) >= 5  # 4 普高 and the 中职 school
    _logout(page, base)

    # -- the lookup shows both rounds: candidate_bulu admitted in 补录, candidate_demo's main-round seat ---------------------------
    final = Admission.objects.select_related("program__school").get(run=run2, candidate=bulu)
    assert final.round == 2 and final.program.code == codes[0]
    head = _lookup(page, base, bulu)
    assert "已被录取" in head and str(final.program) in head and f"补录，第 {batch} 批，第 1 志愿" in head
    head = _lookup(page, base, me)
    assert str(mine.program) in head and f"第一轮，第 {mine.batch} 批，第 {mine.choice_rank} 志愿" in head
    assert not page.console_errors
