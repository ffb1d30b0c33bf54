"""Every role has a home and a way: each role's 首页 shows its own 待办 and figures (domains plug in through
``core.hooks.register_home``), every link of its menu and of its home answers 200 for that role, a candidate's
menu has no senior student's pages, and 403/404/500 pages speak Chinese inside the site's frame with a way back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from gaozhong.admissions.models import AdmissionYear
from gaozhong.admissions.services.runs import admission_run_approve, admission_run_create, admission_run_execute
from gaozhong.admissions.services.setup import admission_window_set, admission_year_create, programs_generate, school_plan_set, school_plans_approve
from gaozhong.core.facts import SchoolFacts
from gaozhong.core.home import home_page
from gaozhong.core.hooks import FIGURE, HomeItem, home_providers, register_home
from gaozhong.core.models import Candidate, Job, Membership, Role
from gaozhong.core.scoping import scope_of
from gaozhong.importer.idnumber import check_character
from gaozhong.registry.models import RegistryAnomaly, RegistryCheck
from gaozhong.supervision.models import Task

pytestmark = pytest.mark.django_db

ROLES = ["city", "county", "school", "teacher", "student", "candidate"]


@pytest.fixture
def candidate(world):
    """A 中考 candidate of a县初中 with a signed-in account (学生/家长 tied to the candidate only)."""
    from django.contrib.auth.models import User

    first = "14990120100101001"
    c = Candidate.objects.create(year=2026, exam_no="260001", name="考生甲", id_number=first + check_character(first), gender="男",
                                 junior_school=world.a.junior, county=world.a.county, score=612, chinese=100, math=110, english=105)
    u = User.objects.create(username="cand_a")
    u.set_password(world.password)
    u.save()
    Membership.objects.create(user=u, role=Role.STUDENT, candidate=c)
    return u


def _user(world, candidate, role):
    return {"city": world.city_user, "county": world.a.county_user, "school": world.a.school_user, "teacher": world.a.teacher_user,
            "student": world.a.student_user, "candidate": candidate}[role]


@pytest.fixture
def open_year(world, candidate):
    """A 2026 admission year with programs and the preference window open."""
    now = timezone.now()
    year = admission_year_create(actor=world.city_user, year=2026, window_opens=now - dt.timedelta(hours=1), window_closes=now + dt.timedelta(days=2))
    school_plan_set(actor=world.city_user, year=year, school=world.a.school, seats=10)
    school_plan_set(actor=world.city_user, year=year, school=world.b.school, seats=10)
    school_plans_approve(actor=world.city_user, year=year)
    programs_generate(actor=world.city_user, year=year)
    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.OPEN)
    return year


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _home_urls(home) -> list[str]:
    return [i.url for i in (*home.todos, *home.figures, *home.links) if i.url]


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_and_home_link_answers_200_for_the_role(world, candidate, open_year, role):
    c = _client(_user(world, candidate, role))
    r = c.get(reverse("home"))
    assert r.status_code == 200
    urls = [item["url"] for item in r.context["nav_items"]] + _home_urls(r.context["home"])
    assert len(urls) >= 2
    for url in urls:
        resp = c.get(url, follow=True)
        assert resp.status_code == 200, f"{role}: {url} -> {resp.status_code}"


def test_a_candidate_gets_the_candidates_menu_and_a_student_the_students(world, candidate):
    labels = {role: [str(i["label"]) for i in _client(_user(world, candidate, role)).get(reverse("home")).context["nav_items"]]
              for role in ("candidate", "student")}
    assert labels["candidate"] == ["首页", "我的志愿", "录取结果", "录取分数线"]
    assert labels["student"] == ["首页", "选科", "我的课表"]
    # the pages a candidate's menu used to offer answer 404 for them: the menu must not offer them
    c = _client(candidate)
    assert c.get(reverse("electives_choose")).status_code == 404
    assert c.get(reverse("electives_my")).status_code == 404


def test_each_role_has_its_own_home(world, candidate):
    kinds = {role: home_page(user=_user(world, candidate, role), scope=scope_of(_user(world, candidate, role))).kind for role in ROLES}
    assert kinds == {"city": "bureau", "county": "bureau", "school": "school", "teacher": "teacher", "student": "student", "candidate": "candidate"}
    body = _client(candidate).get(reverse("home")).content.decode()
    assert "高中班额分布" not in body and 'data-testid="home-todos"' in body  # not the bureau dashboard
    assert "612" in body and "260001" in body  # the candidate's own 中考 record


def _todo(home, label_part):
    found = [t for t in home.todos if label_part in t.label]
    assert len(found) == 1, [t.label for t in home.todos]
    return found[0]


def test_bureau_and_school_todos_count_their_own_place(world, candidate):
    Job.objects.create(kind="x", title="坏任务", created_by=world.city_user, county=world.a.county, school=world.a.school, status=Job.Status.FAILED)
    Task.objects.create(kind="project", title="扩建", county=world.a.county, school=world.a.school, responsible_unit="a县一中",
                        responsible_person="王", due_date=dt.date(2020, 1, 1))
    check = RegistryCheck.objects.create(created_by=world.city_user, current_term="2025-2", terms=["2025-2"], bulk_threshold=10, bulk_window_days=30)
    RegistryAnomaly.objects.create(check_run=check, kind="ghost_registration", student=world.a.student, student_no=world.a.student.student_no,
                                   school=world.a.school, evidence="无考勤")

    def home(user):
        return _client(user).get(reverse("home")).context["home"]

    for user, n in ((world.city_user, 1), (world.a.county_user, 1), (world.b.county_user, 0), (world.a.school_user, 1), (world.b.school_user, 0)):
        h = home(user)
        assert _todo(h, "逾期未销号").count == n
        assert _todo(h, "失败的后台任务").count == n
        assert _todo(h, "学籍异常").count == n
    assert "本校学生" in _todo(home(world.a.school_user), "学籍异常").label
    # the failed-job line leads to the failed jobs
    listed = _client(world.a.county_user).get(reverse("job_list") + "?status=failed").content.decode()
    assert "坏任务" in listed
    assert home(world.a.teacher_user).todos == []


def test_school_figures_are_the_facts_layers(world, candidate, monkeypatch):
    """The school home shows what the facts layer computes: replace the facts and the page follows."""
    import gaozhong.core.home as home_module

    facts = SchoolFacts(world.a.school.pk, world.year.start_year, students=4321, classes_total=77, classes_large=3, classes_huge=2,
                        fulltime_ids=frozenset(range(300)))
    monkeypatch.setattr(home_module, "school_facts_one", lambda school_id, year: facts if school_id == world.a.school.pk else None)
    figures = {f.label: f.value for f in _client(world.a.school_user).get(reverse("home")).context["home"].figures}
    assert figures["在籍学生"] == 4321 and figures["行政班"] == 77 and figures["大班额（56 人及以上）"] == 5
    assert figures["专任教师"] == 300 and figures["师生比"] == "1 : 14.40"


def test_teacher_student_and_candidate_homes(world, candidate, open_year):
    h = _client(world.a.teacher_user).get(reverse("home")).context["home"]
    assert [(g, [i.label for i in items]) for g, items in h.link_groups] == [("我的班级", ["高一(1)班"]), ("常用", ["我的课表", "我的档案"])]
    assert "1 名学生" in h.links[0].note and "数学" in h.links[0].note

    h = _client(world.a.student_user).get(reverse("home")).context["home"]
    assert {f.label: f.value for f in h.figures}["选科"] == "未开放"
    assert [i.label for i in h.links] == ["我的课表"]

    c = _client(candidate)
    todo = c.get(reverse("home")).context["home"].todos
    assert len(todo) == 1 and "尚未填报志愿" in todo[0].label and todo[0].url == reverse("admissions_preferences")


def test_candidate_sees_the_result_once_published(world, candidate, open_year):
    admission_window_set(actor=world.city_user, year=open_year, status=AdmissionYear.Status.CLOSED)
    run = admission_run_execute(run=admission_run_create(actor=world.city_user, year=open_year))
    figures = {f.label: f.value for f in _client(candidate).get(reverse("home")).context["home"].figures}
    assert "录取结果" not in figures  # not before approval
    admission_run_approve(actor=world.city_user, run=run)
    figures = {f.label: f.value for f in _client(candidate).get(reverse("home")).context["home"].figures}
    assert figures["录取结果"] == "未被录取"  # no preferences entered


def test_a_domain_plugs_its_lines_in_through_the_hook(world, candidate):
    def extra(user, scope):
        return [HomeItem("测试数字", kind=FIGURE, value=99)] if scope.role == Role.TEACHER else []

    before = home_providers()
    register_home(extra)
    try:
        assert any(f.label == "测试数字" for f in home_page(user=world.a.teacher_user, scope=scope_of(world.a.teacher_user)).figures)
        assert not any(f.label == "测试数字" for f in home_page(user=world.a.school_user, scope=scope_of(world.a.school_user)).figures)
    finally:
        import gaozhong.core.hooks as hooks

        hooks._home[:] = list(before)


def test_an_account_without_a_role_is_told_so(world, django_user_model):
    u = django_user_model.objects.create(username="norole")
    body = _client(u).get(reverse("home")).content.decode()
    assert 'data-testid="no-role"' in body


# -- error pages ---------------------------------------------------------------------------------------------------

def _english(c: Client) -> Client:
    c.cookies["django_language"] = "en"
    return c


def test_404_is_chinese_inside_the_frame_with_a_way_back(world):
    c = _client(world.a.teacher_user)
    r = c.get("/no-such-page/")
    body = r.content.decode()
    assert r.status_code == 404
    assert "页面不存在" in body and "返回首页" in body and "返回上一页" in body and 'class="main-nav"' in body
    assert "Not Found" not in body
    body = _english(c).get("/no-such-page/").content.decode()
    assert "Page not found" in body and "Back to home" in body


def test_403_names_the_role_and_offers_a_way_back(world):
    c = _client(world.a.teacher_user)
    r = c.get(reverse("import_list"))
    body = r.content.decode()
    assert r.status_code == 403
    assert "无权访问" in body and "教师" in body and "返回首页" in body and 'class="main-nav"' in body
    assert "Forbidden" not in body
    assert "Access denied" in _english(c).get(reverse("import_list")).content.decode()


@override_settings(ROOT_URLCONF="tests.core.urls_raise", DEBUG=False)
def test_500_is_chinese_inside_the_frame_without_request_context(world):
    c = Client(raise_request_exception=False)
    c.force_login(world.a.teacher_user)
    r = c.get("/raise/")
    body = r.content.decode()
    assert r.status_code == 500
    assert "服务器出错了" in body and "返回首页" in body and "高中教育管理平台" in body
    assert 'name="language"' not in body  # the language form needs the request's CSRF token, which a 500 page has not
    assert "Server error" in _english(c).get("/raise/").content.decode()
