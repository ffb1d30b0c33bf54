"""A candidate's own pages: the preference form keeps what was entered on an error and marks the wrong choice by
batch and rank, and shows the candidate's score, each program's seats and last year's cutoff and 末位志愿序号; the
志愿回执; the result read from the publication the public lookup reads, every choice explained; the 录取通知书 (PDF,
audited, only for an admitted candidate after publication) with the school's 报到 arrangement, which the school
sets through a service (permission, audit) or the plan import (old files stay valid)."""

from __future__ import annotations

import datetime as dt
import random
import re
import subprocess
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gaozhong.admissions.models import Admission, AdmissionYear, Confirmation, Cutoff, Preference, Program, PublishedAnswer, SchoolPlan
from gaozhong.admissions.services.imports import plans_import
from gaozhong.admissions.services.notice import REPORT_LATER, school_report_set
from gaozhong.admissions.services.preferences import preference_problems
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create, admission_run_execute
from gaozhong.admissions.services.setup import (
    admission_window_set, admission_year_create, programs_generate, school_plan_set, school_plans_approve,
)
from gaozhong.core.models import AuditEvent, Candidate, Membership
from gaozhong.importer.idnumber import check_character

from .test_imports import xlsx
from .test_publication import publish
from .test_services import fill_preferences, make_candidates

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """Each <select>'s selected value, class and aria-invalid, by id."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.selects: dict[str, dict] = {}
        self._cur = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self._cur = a.get("id")
            self.selects[self._cur] = {"value": "", "class": a.get("class") or "", "invalid": a.get("aria-invalid") == "true",
                                       "disabled": "disabled" in a}
        elif tag == "option" and self._cur and "selected" in a:
            self.selects[self._cur]["value"] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._cur = None


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _as(user, candidate: Candidate) -> Client:
    """The candidate account ``user`` now belongs to ``candidate`` (the fixtures make one account)."""
    Membership.objects.filter(user=user).update(candidate=candidate)
    return _client(user)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


# -- the years ----------------------------------------------------------------------------------------------------

def _candidates_2025(world, n_per_junior=12) -> list[Candidate]:
    r = random.Random(7)
    out = []
    for k, place in enumerate((world.a, world.b)):
        for i in range(n_per_junior):
            first = f"14990{k + 1}20090101{i:03d}"
            total = r.randrange(300, 700)
            out.append(Candidate.objects.create(
                year=2025, exam_no=f"25{k}{i:04d}", name=f"往届{k}{i}", id_number=first + check_character(first), gender="女",
                junior_school=place.junior, county=place.county, score=total, chinese=total // 6, math=total // 6, english=total // 6))
    return out


def _published_2025(world):
    """Last year: plans without 特长生, every candidate's quota and both 统招 programs, run and published."""
    now = timezone.now()
    year = admission_year_create(actor=world.city_user, year=2025, window_opens=now - dt.timedelta(days=370), window_closes=now - dt.timedelta(days=360))
    cands = _candidates_2025(world)
    school_plan_set(actor=world.city_user, year=year, school=world.a.school, seats=8)
    school_plan_set(actor=world.city_user, year=year, school=world.b.school, seats=7)
    school_plans_approve(actor=world.city_user, year=year)
    programs_generate(actor=world.city_user, year=year)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    fill_preferences(year, cands)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    admission_run_approve(actor=world.city_user, run=run)
    return year, run


def _open_2026(world, *, a_range: str = "", talent_a: int = 0):
    now = timezone.now()
    year = admission_year_create(actor=world.city_user, year=2026, window_opens=now - dt.timedelta(hours=1), window_closes=now + dt.timedelta(days=3))
    cands, user = make_candidates(world)
    school_plan_set(actor=world.city_user, year=year, school=world.a.school, seats=11, talent_seats=talent_a, counties=a_range)
    school_plan_set(actor=world.city_user, year=year, school=world.b.school, seats=10)
    school_plans_approve(actor=world.city_user, year=year)
    programs_generate(actor=world.city_user, year=year)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    return year, cands, user


# -- the preference form ------------------------------------------------------------------------------------------

def _post(c: Client, data: dict):
    return c.post(reverse("admissions_preferences"), data)


def test_an_error_keeps_everything_entered_and_marks_the_wrong_choice_by_batch_and_rank(world):
    year, cands, user = _open_2026(world)
    me = cands[0]
    quota = Program.objects.get(year=year, kind="quota", feeder_school=me.junior_school)
    c = _client(user)
    audits = AuditEvent.objects.count()
    r = _post(c, {"batch2": [quota.code], "batch3": ["GB1-TZ", "GA1-TZ", "GB1-TZ", "", "", ""], "action": "save"})
    assert r.status_code == 200  # the page itself, not a redirect that would lose the POST
    html = r.content.decode()
    form = _Form(html).selects
    assert [form[f"b3-{i}"]["value"] for i in range(1, 7)] == ["GB1-TZ", "GA1-TZ", "GB1-TZ", "", "", ""]
    assert form["b2-1"]["value"] == quota.code
    assert form["b3-3"]["invalid"] and "invalid" in form["b3-3"]["class"]
    assert not any(form[f"b3-{i}"]["invalid"] for i in (1, 2, 4, 5, 6)) and not form["b2-1"]["invalid"]
    assert 'data-testid="error-b3-3"' in html and "第 3 批（普高统招）第 3 志愿与第 1 志愿重复" in html
    assert "(repeats" not in html  # the English gloss is not shown in Chinese
    assert not Preference.objects.filter(candidate=me).exists() and AuditEvent.objects.count() == audits

    # an empty choice before a filled one, and a 指标到校 program of another junior school (a forged POST)
    other = Program.objects.filter(year=year, kind="quota").exclude(feeder_school=me.junior_school).first()
    r = _post(c, {"batch2": [other.code], "batch3": ["GA1-TZ", "", "GB1-TZ", "", "", ""], "action": "confirm"})
    html = r.content.decode()
    form = _Form(html).selects
    assert form["b2-1"]["invalid"] and form["b3-2"]["invalid"] and not form["b3-3"]["invalid"]
    assert [form[f"b3-{i}"]["value"] for i in (1, 2, 3)] == ["GA1-TZ", "", "GB1-TZ"]
    assert "第 2 批（指标到校）第 1 志愿“%s”不是您可以填报的本批次专业" % other.code in html
    assert "第 3 批（普高统招）第 2 志愿空着" in html
    assert not Preference.objects.filter(candidate=me).exists() and not Confirmation.objects.filter(candidate=me).exists()

    # corrected: saved in order and confirmed in one step
    r = _post(c, {"batch2": [quota.code], "batch3": ["GB1-TZ", "GA1-TZ", "", "", "", ""], "action": "confirm"})
    assert r.status_code == 302
    assert list(Preference.objects.filter(candidate=me, batch=3).order_by("rank").values_list("program__code", flat=True)) == ["GB1-TZ", "GA1-TZ"]
    assert Confirmation.objects.filter(candidate=me).exists()
    assert AuditEvent.objects.filter(action="admissions.preferences.confirmed", object_repr=me.exam_no).count() == 1
    form = _Form(c.get(reverse("admissions_preferences")).content.decode()).selects
    assert [form[f"b3-{i}"]["value"] for i in (1, 2, 3)] == ["GB1-TZ", "GA1-TZ", ""]


def test_after_the_deadline_a_post_changes_nothing_and_says_why(world):
    year, cands, user = _open_2026(world)
    me = cands[0]
    Preference.objects.create(year=year, candidate=me, batch=3, rank=1, program=Program.objects.get(year=year, code="GA1-TZ"))
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    r = _post(_client(user), {"batch3": ["GB1-TZ"], "action": "save"})
    html = r.content.decode()
    assert r.status_code == 200 and "志愿填报未开放或已截止" in html
    form = _Form(html).selects
    assert form["b3-1"]["value"] == "GA1-TZ" and form["b3-1"]["disabled"]  # the saved choice, not the forged one
    assert list(Preference.objects.filter(candidate=me).values_list("program__code", flat=True)) == ["GA1-TZ"]


def test_the_service_names_batch_and_rank_of_each_problem(world):
    year, cands, user = _open_2026(world)
    found = preference_problems(year=year, candidate=cands[0], batch=3, slots=["GA1-TZ", "", "GA1-TZ", "NOPE", "", "", "GB1-TZ"])
    assert [(p.batch, p.rank) for p in found] == [(3, 2), (3, 3), (3, 4), (3, 5), (3, 6), (3, 7)]
    assert "第 3 批（普高统招）第 3 志愿与第 1 志愿重复" in found[1].message and "NOPE" in found[2].message
    assert "最多填报 6 个志愿" in found[-1].message
    assert preference_problems(year=year, candidate=cands[0], batch=3, slots=["GB1-TZ", "GA1-TZ", "", ""]) == []


def _plan_row(html: str, program: str) -> list[str]:
    """The cells of ``program``'s row in the form's plan tables."""
    m = re.search(r'<tr><td data-label="学校/专业" class="name">' + re.escape(program) + r"</td>(.*?)</tr>", html)
    assert m, program
    return re.findall(r">([^<]*)</td>", m.group(1))


def test_the_form_shows_my_score_each_programs_seats_and_last_years_cutoff_and_last_rank(world):
    _, run25 = _published_2025(world)
    year, cands, user = _open_2026(world, talent_a=1)
    html = _client(user).get(reverse("admissions_preferences")).content.decode()
    me = Candidate.objects.get(pk=cands[0].pk)
    assert f"本人中考总分：<b>{me.score}</b>" in html
    for code in ("GA1-TZ", "GB1-TZ"):
        p = Program.objects.select_related("school").get(year=year, code=code)
        cut = Cutoff.objects.get(run=run25, program__code=code, round=1)
        assert cut.cutoff_score is not None
        assert _plan_row(html, str(p)) == [str(p.capacity), str(cut.cutoff_score), str(cut.last_choice_rank)]
        assert f"{p}（计划 {p.capacity}，去年最低 {cut.cutoff_score}）" in html
    # 特长生 is new this year: no cutoff of 2025 to show
    talent = Program.objects.select_related("school").get(year=year, kind="talent")
    assert _plan_row(html, str(talent)) == [str(talent.capacity), "—", "—"]
    assert "2025 年该专业的最低录取分" in html


def test_without_an_earlier_publication_last_year_is_a_dash(world):
    year, cands, user = _open_2026(world)
    html = _client(user).get(reverse("admissions_preferences")).content.decode()
    p = Program.objects.select_related("school").get(year=year, code="GA1-TZ")
    assert _plan_row(html, str(p)) == [str(p.capacity), "—", "—"]


# -- the receipt --------------------------------------------------------------------------------------------------

def test_the_receipt_lists_every_batch_in_order_with_the_confirmation_time(world):
    year, cands, user = _open_2026(world)
    me = cands[0]
    quota = Program.objects.get(year=year, kind="quota", feeder_school=me.junior_school)
    c = _client(user)
    _post(c, {"batch2": [quota.code], "batch3": ["GB1-TZ", "GA1-TZ"], "action": "save"})
    html = c.get(reverse("admissions_receipt")).content.decode()
    assert "未确认" in html and "确认时间" not in html
    _post(c, {"batch2": [quota.code], "batch3": ["GB1-TZ", "GA1-TZ"], "action": "confirm"})
    html = c.get(reverse("admissions_receipt")).content.decode()
    conf = timezone.localtime(Confirmation.objects.get(candidate=me).confirmed_at)
    assert f"确认时间 {conf:%Y-%m-%d %H:%M:%S}" in html
    b3 = html[html.index('data-testid="receipt-batch-3"'):]
    assert b3.index("b县一中 统招") < b3.index("a县一中 统招")  # in the order chosen
    assert 'data-testid="receipt-batch-2"' in html and quota.code in html and html.index("第二批") < html.index("第三批")
    assert me.id_number not in html and me.id_number_masked in html
    assert "data-print" in html
    # only the candidate's own: another candidate's preferences never appear
    Preference.objects.create(year=year, candidate=cands[1], batch=3, rank=1, program=Program.objects.get(year=year, code="GA1-TZ"))
    assert cands[1].name not in c.get(reverse("admissions_receipt")).content.decode()


# -- the result ---------------------------------------------------------------------------------------------------

def _rows(html: str) -> str:
    start = html.index('data-testid="choices"')
    return html[start:html.index("</table>", start)]


def test_the_result_page_is_the_publication_every_choice_explained_as_on_the_lookup(world):
    """Candidates of both counties, 统招 of a县一中 only for a县 (招生范围): the page shows each choice of the published
    answer with its status and reasons (ineligible by range, below the cutoff, admitted earlier) as the public lookup
    does, and follows the publication, not the run's rows."""
    year, cands, user = _open_2026(world, a_range=world.a.county.code)
    fill_preferences(year, cands)
    c = _client(user)
    assert "2026 年录取结果尚未公布" in c.get(reverse("admissions_result")).content.decode()
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))
    assert "2026 年录取结果尚未公布" in c.get(reverse("admissions_result")).content.decode()  # not before approval
    admission_run_approve(actor=world.city_user, run=run)

    kinds = {"ineligible": None, "not_admitted": None, "not_needed": None}
    for adm in Admission.objects.filter(run=run).select_related("candidate"):
        for ch in adm.explanation:
            if ch["status"] in kinds and kinds[ch["status"]] is None:
                kinds[ch["status"]] = adm.candidate
    assert all(kinds.values()), kinds
    labels = {"admitted": "录取", "not_admitted": "未录取", "ineligible": "不符合条件", "not_needed": "未参与", "earlier_batch": "未参与"}
    for status, cand in kinds.items():
        c = _as(user, cand)
        html = c.get(reverse("admissions_result")).content.decode()
        answer = PublishedAnswer.objects.get(exam_no=cand.exam_no).answer
        rows = _rows(html)
        cells = re.findall(r"<tr class=\"[^\"]*choice-(\w+)\">(.*?)</tr>", rows, re.S)
        assert [s for s, _ in cells] == [ch["status"] for ch in answer["choices"]]
        for (s, cell), ch in zip(cells, answer["choices"]):
            assert ch["program"] in cell and labels[s] in cell
            for reason in ch["reasons"]:
                assert reason.split(" (")[0] in cell
        lookup = Client().post(reverse("admissions_lookup"), {"exam_no": cand.exam_no, "id_tail": cand.id_number[-6:]}).content.decode()
        assert _rows(lookup) == rows  # one template, one answer
    assert f"只招收 {world.a.county.code} 的学生" in _rows(_as(user, kinds["ineligible"]).get(reverse("admissions_result")).content.decode())
    assert "最低录取分" in _rows(_as(user, kinds["not_admitted"]).get(reverse("admissions_result")).content.decode())

    # the page reads the publication: change the published answer and the page follows
    cand = kinds["not_admitted"]
    pa = PublishedAnswer.objects.get(exam_no=cand.exam_no)
    pa.answer = {**pa.answer, "choices": [{**ch, "reasons": ["公布时的说明"]} for ch in pa.answer["choices"]]}
    pa.save()
    assert "公布时的说明" in _as(user, cand).get(reverse("admissions_result")).content.decode()


def test_the_result_page_shows_the_reporting_arrangement_and_a_notice_only_when_admitted(world):
    year, run, cands = publish(world)
    user = Membership.objects.get(candidate=cands[0]).user
    admitted = Admission.objects.filter(run=run, program__isnull=False).select_related("candidate", "program__school").first()
    unplaced = Admission.objects.filter(run=run, program__isnull=True).select_related("candidate").first()
    html = _as(user, admitted.candidate).get(reverse("admissions_result")).content.decode()
    assert REPORT_LATER in html and reverse("admissions_notice_pdf") in html
    plan = SchoolPlan.objects.get(year=year, school=admitted.program.school)
    school_report_set(actor=world.city_user, plan=plan, report_time="2026年8月26日 9:00—11:00", report_place="学校报告厅")
    html = _client(user).get(reverse("admissions_result")).content.decode()
    assert "2026年8月26日 9:00—11:00" in html and "学校报告厅" in html and REPORT_LATER not in html
    html = _as(user, unplaced.candidate).get(reverse("admissions_result")).content.decode()
    assert "未被录取" in html and reverse("admissions_notice_pdf") not in html and 'data-testid="notice-card"' not in html


# -- the 录取通知书 -------------------------------------------------------------------------------------------------

def test_the_notice_pdf_names_the_candidate_school_and_reporting_and_is_audited(world, tmp_path):
    year, run, cands = publish(world)
    user = Membership.objects.get(candidate=cands[0]).user
    adm = Admission.objects.filter(run=run, program__isnull=False).select_related("candidate", "program__school").first()
    me, school = adm.candidate, adm.program.school
    c = _as(user, me)
    before = AuditEvent.objects.filter(action="admissions.notice.downloaded").count()
    r = c.get(reverse("admissions_notice_pdf"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    text = _pdf_text(r.content, tmp_path)
    flat = re.sub(r"\s+", "", text)
    assert "录取通知书" in flat and me.name in flat and me.exam_no in flat and school.name in flat
    assert REPORT_LATER in flat  # nothing set yet: not a blank line
    assert me.id_number not in flat and me.id_number_masked in flat
    ev = AuditEvent.objects.filter(action="admissions.notice.downloaded").order_by("-pk").first()
    assert AuditEvent.objects.filter(action="admissions.notice.downloaded").count() == before + 1
    assert ev.actor == user and ev.object_repr == me.exam_no and ev.after["school"] == school.code

    plan = SchoolPlan.objects.get(year=year, school=school)
    school_report_set(actor=world.city_user, plan=plan, report_time="2026年8月25日 8:00—11:30", report_place="东校区体育馆")
    flat = re.sub(r"\s+", "", _pdf_text(c.get(reverse("admissions_notice_pdf")).content, tmp_path))
    assert "2026年8月25日8:00—11:30" in flat and "东校区体育馆" in flat and REPORT_LATER not in flat


def test_no_notice_before_publication_when_not_admitted_or_for_anyone_else(world):
    year, run, cands = publish(world, approve=False)
    user = Membership.objects.get(candidate=cands[0]).user
    adm = Admission.objects.filter(run=run, program__isnull=False).select_related("candidate").first()
    c = _as(user, adm.candidate)
    assert c.get(reverse("admissions_notice_pdf")).status_code == 404  # not published yet
    admission_run_approve(actor=world.city_user, run=run)
    unplaced = Admission.objects.filter(run=run, program__isnull=True).select_related("candidate").first()
    before = AuditEvent.objects.filter(action="admissions.notice.downloaded").count()
    assert _as(user, unplaced.candidate).get(reverse("admissions_notice_pdf")).status_code == 404
    for staff in (world.city_user, world.a.school_user, world.a.student_user):
        assert _client(staff).get(reverse("admissions_notice_pdf")).status_code == 403
    assert AuditEvent.objects.filter(action="admissions.notice.downloaded").count() == before


# -- the 报到 arrangement -------------------------------------------------------------------------------------------

def test_a_school_sets_its_own_reporting_arrangement_and_nobody_elses(world):
    year, cands, user = _open_2026(world)
    plan_a = SchoolPlan.objects.get(year=year, school=world.a.school)
    n = AuditEvent.objects.count()
    school_report_set(actor=world.a.school_user, plan=plan_a, report_time=" 8月25日  8:00 ", report_place="北校区")
    plan_a.refresh_from_db()
    assert (plan_a.report_time, plan_a.report_place, plan_a.approved) == ("8月25日 8:00", "北校区", True)  # approval untouched
    ev = AuditEvent.objects.get(action="admissions.plan.report_set")
    assert AuditEvent.objects.count() == n + 1 and ev.before == {"report_time": "", "report_place": ""} and ev.after["report_place"] == "北校区"
    for outsider in (world.b.school_user, world.b.county_user, world.a.teacher_user, user):
        with pytest.raises(PermissionDenied):
            school_report_set(actor=outsider, plan=plan_a, report_time="x", report_place="y")
    with pytest.raises(ValidationError):
        school_report_set(actor=world.a.county_user, plan=plan_a, report_time="8月26日", report_place="")
    plan_a.refresh_from_db()
    assert plan_a.report_place == "北校区" and AuditEvent.objects.count() == n + 1


def test_the_reporting_page_lists_the_users_schools_and_keeps_a_refused_entry(world):
    year, cands, user = _open_2026(world)
    c = _client(world.a.school_user)
    html = c.get(reverse("admissions_reporting")).content.decode()
    assert 'data-testid="report-GA1"' in html and 'data-testid="report-GB1"' not in html
    plan_a = SchoolPlan.objects.get(year=year, school=world.a.school)
    r = c.post(reverse("admissions_reporting"), {"year": 2026, "plan": plan_a.pk, "report_time": "8月25日上午", "report_place": ""})
    html = r.content.decode()
    assert r.status_code == 200 and "须同时填写" in html and 'value="8月25日上午"' in html
    r = c.post(reverse("admissions_reporting"), {"year": 2026, "plan": plan_a.pk, "report_time": "8月25日上午", "report_place": "体育馆"})
    assert r.status_code == 302
    plan_a.refresh_from_db()
    assert (plan_a.report_time, plan_a.report_place) == ("8月25日上午", "体育馆")
    plan_b = SchoolPlan.objects.get(year=year, school=world.b.school)
    assert c.post(reverse("admissions_reporting"), {"year": 2026, "plan": plan_b.pk, "report_time": "a", "report_place": "b"}).status_code == 404
    assert 'data-testid="report-GB1"' in _client(world.city_user).get(reverse("admissions_reporting")).content.decode()
    assert _client(user).get(reverse("admissions_reporting")).status_code == 403


PLAN_HEADERS = ["学校代码", "计划数", "特长生计划", "招生范围"]


def test_the_plan_import_takes_the_reporting_columns_and_old_files_stay_valid(world):
    now = timezone.now()
    year = admission_year_create(actor=world.city_user, year=2026, window_opens=now, window_closes=now + dt.timedelta(days=5))
    new = xlsx(PLAN_HEADERS + ["报到时间", "报到地点"], [["GA1", 12, 0, None, "8月25日 8:00", "体育馆"], ["GB1", 10, 0, None, None, None]], "招生计划")
    out = plans_import(actor=world.city_user, year=2026, data=new, filename="计划.xlsx")
    assert out.ok, out.problems
    assert SchoolPlan.objects.filter(year=year).values_list("school__code", "report_time", "report_place").order_by("school__code")[0] == (
        "GA1", "8月25日 8:00", "体育馆")
    school_plans_approve(actor=world.city_user, year=year)
    # an old file (no such columns) changes the seats and leaves the 报到 arrangement as it was
    old = xlsx(PLAN_HEADERS, [["GA1", 13, 0, None], ["GB1", 10, 0, None]], "招生计划")
    out = plans_import(actor=world.city_user, year=2026, data=old, filename="旧计划.xlsx")
    assert out.ok and out.updated == 1 and out.unchanged == 1
    a = SchoolPlan.objects.get(year=year, school=world.a.school)
    assert (a.seats, a.report_time, a.report_place, a.approved) == (13, "8月25日 8:00", "体育馆", False)
    # only the 报到 columns changed: updated, and the plan stays approved
    school_plans_approve(actor=world.city_user, year=year)
    out = plans_import(actor=world.city_user, year=2026, data=xlsx(PLAN_HEADERS + ["报到时间", "报到地点"],
                       [["GA1", 13, 0, None, "8月26日 8:00", "礼堂"], ["GB1", 10, 0, None, None, None]], "招生计划"), filename="计划.xlsx")
    a.refresh_from_db()
    assert out.ok and out.updated == 1 and (a.report_time, a.report_place, a.approved) == ("8月26日 8:00", "礼堂", True)
    # a time without a place: the row and column are named, nothing is written
    bad = xlsx(PLAN_HEADERS + ["报到时间", "报到地点"], [["GA1", 13, 0, None, "8月27日", None]], "招生计划")
    out = plans_import(actor=world.city_user, year=2026, data=bad, filename="计划.xlsx")
    assert "计划.xlsx[招生计划]:2: column 报到地点 (F)" in "\n".join(str(p) for p in out.problems)
    a.refresh_from_db()
    assert a.report_time == "8月26日 8:00"
    # one of the two columns alone is refused
    out = plans_import(actor=world.city_user, year=2026, data=xlsx(PLAN_HEADERS + ["报到时间"], [["GA1", 13, 0, None, "8月27日"]], "招生计划"),
                       filename="计划.xlsx")
    assert not out.ok and "两列须同时提供" in str(out.problems[0])


def test_the_candidates_home_leads_to_the_result_and_the_receipt(world):
    year, run, cands = publish(world, approve=False)
    user = Membership.objects.get(candidate=cands[0]).user
    Confirmation.objects.create(year=year, candidate=cands[0])
    figures = {f.label: f for f in _client(user).get(reverse("home")).context["home"].figures}
    assert figures["我的志愿"].value == "已确认" and figures["我的志愿"].url == reverse("admissions_receipt")
    admission_run_approve(actor=world.city_user, run=run)
    figures = {f.label: f for f in _client(user).get(reverse("home")).context["home"].figures}
    assert figures["录取结果"].url == reverse("admissions_result")
    nav = [i["label"] for i in _client(user).get(reverse("home")).context["nav_items"]]
    assert "录取结果" in [str(x) for x in nav]


def test_after_supplementary_the_result_and_notice_are_the_final_ones_with_both_rounds(world, tmp_path):
    from .test_stage_views import _supplementary_published

    year, cands, run, run2, p = _supplementary_published(world)
    me = cands[0]  # unplaced in the first round, admitted in 补录 to ``p``
    user = Membership.objects.get(candidate=me).user
    c = _client(user)
    html = c.get(reverse("admissions_result")).content.decode()
    assert f"<b>{p}</b>（补录，" in html
    rows = _rows(html)
    answer = PublishedAnswer.objects.get(publication__run=run2, exam_no=me.exam_no).answer
    rounds = re.findall(r'<td class="round" data-label="轮次">(.*?)</td>', rows)
    assert rounds == [{1: "第一轮", 2: "补录"}[ch["round"]] for ch in answer["choices"]] and "补录" in rounds
    plan = SchoolPlan.objects.get(year=year, school=p.school)
    school_report_set(actor=world.city_user, plan=plan, report_time="9月1日 8:00", report_place="实训楼")
    flat = re.sub(r"\s+", "", _pdf_text(c.get(reverse("admissions_notice_pdf")).content, tmp_path))
    assert p.school.name in flat and p.major in flat and "（补录）" in flat and "实训楼" in flat and "录取专业" in flat
