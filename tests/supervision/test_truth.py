"""One truth: documents and the units they govern, deadlines read as "到 YYYY 年", kinds of target, the standards
table, one facts layer read by every page, and a ledger that only marks the approved unit's tasks."""

from __future__ import annotations

import datetime as dt
import io
import tokenize
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from gaozhong.common import standards
from gaozhong.core.facts import ratio_text, school_facts
from gaozhong.core.models import AuditEvent, Enrollment, SchoolYear, Student, Teacher
from gaozhong.core.selectors import home_counts
from gaozhong.people.engine import rotation as rot
from gaozhong.people.engine import staffing as stf
from gaozhong.people.engine import training as trn
from gaozhong.people.models import HireCheck, Move
from gaozhong.people.selectors import county_rotation, school_staffing
from gaozhong.supervision.engine import whatif
from gaozhong.supervision.engine.catalog import load_catalog, parse_catalog
from gaozhong.supervision.engine.compliance import Target, assess, judged_year
from gaozhong.supervision.models import Indicator, PolicyDocument, Submission, SubmissionValue, Task
from gaozhong.supervision.engine.rules import check_rules
from gaozhong.supervision.selectors import build_pack, city_unit, computed_for, county_unit, school_unit
from gaozhong.supervision.services.catalog import document_adopt, document_withdraw
from gaozhong.supervision.services.intake import _catalog_defs, submission_approve
from gaozhong.supervision.services.ledger import TaskData, late_exceptions, rectifications_open, task_create, task_return

from ..people.factories import teacher

ROOT = Path(__file__).resolve().parents[2] / "gaozhong"


def _row(pack, code, unit, year):
    return pack.indicator_row(Indicator.objects.get(code=code), unit, year)


def _approve(level, year, values: dict, *, school=None, county=None, status="approved"):
    from gaozhong.supervision.models import DataElement

    sub = Submission.objects.create(level=level, school=school, county=county or (school.county if school else None), school_year=year, status=status)
    for code, v in values.items():
        SubmissionValue.objects.create(submission=sub, element=DataElement.objects.get(code=code), value=v)
    return sub


def _year(y: int) -> SchoolYear:
    return SchoolYear.objects.get_or_create(start_year=y)[0]


# -- 1. documents and jurisdictions ------------------------------------------------------------------------

@pytest.mark.django_db
def test_every_target_belongs_to_a_listed_document_and_named_schools_are_the_documents():
    cat = load_catalog()
    assert set(cat.documents) == {"000", "001", "002", "003", "004"}
    for ind in cat.indicators.values():
        assert ind.document in cat.documents, ind.code
        if ind.school:
            assert ind.school in cat.documents[ind.document].schools and cat.documents[ind.document].level == "county"
    assert cat.documents["000"].number == "晋市政发〔2020〕9号" and cat.documents["001"].number == "阳政发〔2020〕29号"
    # A target citing an unlisted document, or naming a school its document does not name, is refused.
    text = (ROOT / "supervision/data/catalog.toml").read_text(encoding="utf-8")
    with pytest.raises(Exception) as exc:
        parse_catalog(text.replace('source_clause = "002 §三(三)"', 'source_clause = "009 §三(三)"', 1))
    assert "文件已在 [[document]] 中登记" in str(exc.value.problems)
    with pytest.raises(Exception) as exc:
        parse_catalog(text.replace('school = "西城高中"', 'school = "别的高中"', 1))
    assert "不在文件 001 的 schools 中" in str(exc.value.problems)


@pytest.mark.django_db
def test_targets_of_a_document_not_adopted_are_never_judged(world, catalog, years):
    _approve("city", years[2024], {"senior_stage_students": 950, "population_15_17": 1000, "vocational_students": 0})
    pack = build_pack()
    assert _row(pack, "RX-01", city_unit(), 2024) is not None and _row(pack, "RX-02", city_unit(), 2024) is not None
    document_withdraw(actor=world.city_user, document=PolicyDocument.objects.get(code="003"), note="本市以 002 为十四五方案")
    pack = build_pack()
    assert _row(pack, "RX-02", city_unit(), 2024) is None  # 运城 95 % is no longer judged here
    assert _row(pack, "JL-01", county_unit(world.a.county), 2025) is None
    assert _row(pack, "RX-01", city_unit(), 2024).status == "missed"  # 95 % < 96 % by the deadline year
    assert all(r.version.document_code != "003" for u in (city_unit(), county_unit(world.a.county), school_unit(world.a.school))
               for r in pack.unit_rows(u, 2025))
    assert AuditEvent.objects.filter(action="supervision.document.withdrawn").count() == 1


@pytest.mark.django_db
def test_a_county_document_governs_its_county_and_a_named_target_only_its_school(world, catalog):
    _approve("county", world.year, {"equipment_fund_yuan": 1_500_000}, county=world.a.county)
    _approve("county", world.year, {"equipment_fund_yuan": 1_500_000}, county=world.b.county)
    _approve("school", world.year, {"qingbei_admits": 12}, school=world.a.school)
    _approve("school", world.year, {"qingbei_admits": 3}, school=world.b.school)
    pack = build_pack()
    # ZJ-02 (001 §四(三), 阳城 county's own fund) binds a县 only, which adopted 001.
    assert _row(pack, "ZJ-02", county_unit(world.a.county), 2025).status == "missed"
    assert _row(pack, "ZJ-02", county_unit(world.b.county), 2025) is None
    assert _row(pack, "ZJ-02", city_unit(), 2025) is None
    # YC-01 (阳城一中 清华北大 > 10) is bound to GA1 and judged there only.
    assert _row(pack, "YC-01", school_unit(world.a.school), 2025).status == "met"
    for unit in (school_unit(world.b.school), county_unit(world.a.county), city_unit()):
        assert _row(pack, "YC-01", unit, 2025) is None
    # 推进不力 names b县一中 for nothing of 001; every verdict there cites an adopted document governing the unit.
    for lg in pack.laggards([county_unit(world.a.county), county_unit(world.b.county), school_unit(world.a.school), school_unit(world.b.school)], 2025):
        for ind in lg["missed"] + lg["at_risk"]:
            v = ind.version_for(2025)
            assert pack.governs(v, lg["unit"]), (lg["unit"].name, ind.code)
            if lg["unit"].pk == world.b.school.pk:
                assert v.document_code != "001"


@pytest.mark.django_db
def test_adoption_checks_the_jurisdiction_and_is_audited(world, catalog):
    doc_city, doc_county = PolicyDocument.objects.get(code="002"), PolicyDocument.objects.get(code="001")
    with pytest.raises(ValidationError, match="市级文件"):
        document_adopt(actor=world.city_user, document=doc_city, county=world.a.county)
    with pytest.raises(ValidationError, match="须指定适用的县"):
        document_adopt(actor=world.city_user, document=doc_county)
    with pytest.raises(ValidationError, match="不属于"):
        document_adopt(actor=world.city_user, document=doc_county, county=world.a.county, schools={"阳城一中": "GB1"})
    with pytest.raises(PermissionDenied):
        document_adopt(actor=world.a.county_user, document=doc_county, county=world.a.county, schools={"阳城一中": "GA1"})
    n = AuditEvent.objects.count()
    document_adopt(actor=world.city_user, document=doc_county, county=world.b.county, schools={"阳城一中": "GB1"})
    ev = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == n + 1 and ev.action == "supervision.document.adopted" and ev.before["county"] == "149901"
    _approve("school", world.year, {"qingbei_admits": 3}, school=world.b.school)
    pack = build_pack()
    assert _row(pack, "YC-01", school_unit(world.b.school), 2025).status == "missed"
    assert _row(pack, "YC-01", school_unit(world.a.school), 2025) is None


@pytest.mark.django_db
def test_two_adopted_documents_on_one_figure_show_one_figure_with_each_target(world, catalog, years):
    _approve("city", years[2024], {"senior_stage_students": 955, "population_15_17": 1000, "vocational_students": 0})
    pack = build_pack()
    groups = pack.figure_groups(pack.unit_rows(city_unit(), 2024))
    [gross] = [g for g in groups if {r.indicator.code for r in g} & {"RX-01", "RX-02"}]
    assert [r.indicator.code for r in gross] == ["RX-01", "RX-02"]
    assert [r.status for r in gross] == ["missed", "met"] and gross[0].evaluation.value == gross[1].evaluation.value
    c = Client()
    c.force_login(world.city_user)
    body = c.get(reverse("sup_dashboard") + "?year=2024").content.decode()
    assert '<tr class="same-figure" data-indicator="RX-02">' in body  # the figure cell is RX-01's row only
    assert "广元十四五县中方案 二" in body and "运城十四五教育规划 三(二)3" in body


# -- 6. citations ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_citations_name_the_document_with_its_full_title_and_number_on_hover(world, catalog):
    c = Client()
    c.force_login(world.city_user)
    body = c.get(reverse("sup_dashboard") + "?year=2025").content.decode()
    assert "广元十四五县中方案 三(三)" in body and 'title="《广元市“十四五”县域普通高中发展提升行动计划实施方案（征求意见稿）》"' in body
    assert "002 §" not in body and "seed 0" not in body
    catalog_page = c.get(reverse("sup_catalog")).content.decode()
    assert "晋市政发〔2020〕9号" in catalog_page and "阳政发〔2020〕29号" in catalog_page
    document_withdraw(actor=world.city_user, document=PolicyDocument.objects.get(code="004"), note="不采用")
    assert "晋城教育局2021工作要点 §15" not in c.get(reverse("sup_catalog")).content.decode()
    assert "（本市未采用）" in c.get(reverse("sup_catalog")).content.decode()
    profile = c.get(reverse("evaluation_school", kwargs={"pk": world.a.school.pk})).content.decode()
    assert "seed 002" not in profile and "广元十四五县中方案 三(三)" in profile
    # Pages that cite a clause name the document; none shows a bare "NNN §…" code.
    import re

    for name in ("home", "people_rotation", "people_staffing", "people_researchers", "sup_whatif", "sup_laggards", "sup_ledger"):
        page = c.get(reverse(name)).content.decode()
        assert not re.search(r"\d{3} §", page), name
    assert "运城十四五教育规划 三(五)" in c.get(reverse("people_rotation")).content.decode()


# -- 2. deadline semantics --------------------------------------------------------------------------------------

def test_to_yyyy_is_judged_on_the_school_year_ending_that_summer():
    assert judged_year(2023) == 2022 and judged_year(2025) == 2024 and judged_year(None) is None
    t = Target("ge", 100, judged_year(2023), percent=True)
    series = {2019: 80.0, 2020: 85.0, 2021: 90.0, 2022: 95.0}
    assert assess(series, 2021, t).status in ("on_track", "at_risk")  # 2021-22: still before "到2023年"
    assert assess(series, 2021, t).projection.to_year == 2022
    assert assess(series, 2022, t).status == "missed"  # 2022-23 ends in the summer of 2023: the deadline
    assert assess({2022: 100.0}, 2022, t).status == "met"
    every_year = Target("gt", 15, None, percent=True)
    assert assess({2020: 14.0}, 2020, every_year).status == "missed" and assess({2020: 15.5}, 2020, every_year).status == "met"


@pytest.mark.django_db
def test_gaokao_targets_are_judged_on_that_years_gaokao(world, catalog):
    """YC-01 "到2022年" is the 2022 高考, sat in June of school year 2021-22 (start year 2021)."""
    for y in (2020, 2021):
        _year(y)
    _approve("school", _year(2020), {"qingbei_admits": 5}, school=world.a.school)
    _approve("school", _year(2021), {"qingbei_admits": 7}, school=world.a.school)
    pack = build_pack()
    assert _row(pack, "YC-01", school_unit(world.a.school), 2020).status == "not_met"  # the 2021 高考: before the deadline
    assert _row(pack, "YC-01", school_unit(world.a.school), 2021).status == "missed"  # the 2022 高考: the deadline


@pytest.mark.django_db
def test_presence_and_count_targets_follow_the_same_deadline_rule(world, catalog):
    for y in (2021, 2022, 2023, 2024):
        _year(y)
    _approve("county", _year(2021), {"emergency_platform": 0}, county=world.a.county)
    _approve("county", _year(2022), {"emergency_platform": 0}, county=world.a.county)
    _approve("county", _year(2022), {"emergency_platform": 1}, county=world.b.county)
    pack = build_pack()
    a, b = county_unit(world.a.county), county_unit(world.b.county)
    assert _row(pack, "AF-02", a, 2021).status == "not_met"  # 到2023年: 2021-22 is before the deadline
    assert _row(pack, "AF-02", a, 2022).status == "missed" and _row(pack, "AF-02", b, 2022).status == "met"
    assert _row(pack, "AF-02", a, 2022).target_text == "建成"
    city = _row(pack, "AF-02", city_unit(), 2022)
    assert city.by_units and city.evaluation.value == 50.0
    # GB-01 公办普通高中数 = 18 (到2025年): the test city has 2, so it is missed in 2024-25 and not before.
    gb = _row(pack, "GB-01", city_unit(), 2025)
    assert gb.version.kind == "count" and gb.evaluation.value == 2.0 and gb.status == "missed"


# -- 3. kinds of target ---------------------------------------------------------------------------------------

def test_non_decreasing_is_not_met_after_a_fall_even_above_the_threshold():
    nd = Target("ge", 1000, None, kind="non_decreasing")
    plain = Target("ge", 1000, None)
    fell = assess({2024: 1200.0, 2025: 1000.0}, 2025, nd)
    assert fell.status == "missed" and fell.fell and assess({2024: 1200.0, 2025: 1000.0}, 2025, plain).status == "met"
    assert assess({2024: 1000.0, 2025: 1200.0}, 2025, nd).status == "met"
    assert assess({2025: 1000.0}, 2025, nd).status == "met"  # no earlier value to compare with
    assert assess({2024: 900.0, 2025: 950.0}, 2025, nd).status == "missed"


@pytest.mark.django_db
def test_funds_per_student_falling_from_1200_to_1000_is_not_met(world, catalog, years):
    from gaozhong.core.models import AdminClass

    last_year = AdminClass.objects.create(school=world.a.school, school_year=years[2024], grade=1, number=1)
    Enrollment.objects.bulk_create([Enrollment(student=s, admin_class=last_year) for s in (world.a.student, world.a.other_student)])
    students = build_pack().row(county_unit(world.a.county), 2025)["public_students"]
    assert build_pack().row(county_unit(world.a.county), 2024)["public_students"] == students
    _approve("county", years[2024], {"public_funds_yuan": 1200 * students}, county=world.a.county)
    _approve("county", world.year, {"public_funds_yuan": 1000 * students}, county=world.a.county)
    r = _row(build_pack(), "JF-01", county_unit(world.a.county), 2025)
    assert r.evaluation.value == pytest.approx(1000.0) and r.status == "missed" and r.assessment.fell
    assert "不低于上年" in r.target_text
    c = Client()
    c.force_login(world.city_user)
    assert "较上年降低" in c.get(reverse("sup_county", kwargs={"pk": world.a.county.pk}) + "?year=2025").content.decode()


@pytest.mark.django_db
def test_the_myopia_drop_uses_the_same_machinery(world, catalog, years):
    _approve("city", years[2023], {"myopia_cases": 700, "myopia_screened": 1000})
    _approve("city", years[2024], {"myopia_cases": 695, "myopia_screened": 1000})
    pack = build_pack()
    r = _row(pack, "JK-01", city_unit(), 2024)
    assert r.version.kind == "annual_drop" and r.status == "missed"  # 0.5 points in the deadline year (到2025年)
    Submission.objects.filter(level="city", school_year=years[2024]).delete()
    _approve("city", years[2024], {"myopia_cases": 685, "myopia_screened": 1000})
    assert _row(build_pack(), "JK-01", city_unit(), 2024).status == "met"


# -- 4. the standards table and the facts layer ---------------------------------------------------------------

def test_every_use_of_a_standard_reads_the_table():
    assert stf.STUDENTS_PER_TEACHER is standards.STUDENTS_PER_TEACHER and rot.ROTATION_TARGET is standards.ROTATION_MIN_SHARE
    assert trn.RESEARCHER_MIN_HOURS == standards.RESEARCHER_MIN_HOURS and whatif.MAX_CLASS == standards.CLASS_MAX
    cat = load_catalog()
    for code, key in (("SS-01", "students_per_teacher"), ("JF-01", "funds_per_student_min"), ("RX-01", "gross_enrolment_002"),
                      ("RX-02", "gross_enrolment_003"), ("ZB-01", "quota_min_share"), ("JL-01", "rotation_min_share")):
        assert cat.indicators[code].target == standards.standard(key), code
    # No module but the table writes the standards' numbers as literals (demo data generators excepted).
    found = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or path.name == "demo.py" or path == ROOT / "common" / "standards.py":
            continue
        for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
            if tok.type == tokenize.NUMBER and tok.string in ("55", "12.5", "72", "5000", "3000") and "batch_size" not in tok.line \
                    and "LIMIT" not in tok.line and "max_value" not in tok.line and "ids[:" not in tok.line:
                found.append(f"{path.relative_to(ROOT)}:{tok.start[0]} {tok.string}")
    assert found == []


def _fill(admin_class, n: int, tag: str):
    students = Student.objects.bulk_create([
        Student(school=admin_class.school, student_no=f"F{tag}{k:04d}", id_number=f"Y{tag}{k:04d}", name=f"生{k}", gender="男", entry_year=2025,
                admin_class=admin_class) for k in range(n)])
    Enrollment.objects.bulk_create([Enrollment(student=s, admin_class=admin_class) for s in students])


@pytest.fixture
def city_like(world, catalog, years):
    """A small demo-like city: a large class, teachers of every post, one hired after 1 September, one whose
    pre-hire check is pending, and rotation moves."""
    a = world.a
    _fill(a.admin_class, 57, "a")  # 58: a 大班额 class
    _fill(a.other_class, 40, "b")
    for _ in range(4):
        teacher(a)
    teacher(a, post=Teacher.Post.COUNSELLOR)
    teacher(a, post=Teacher.Post.PRINCIPAL)
    teacher(a, hired=dt.date(2025, 10, 8))  # after the staff reference day of 2025-26
    pending = teacher(a)
    HireCheck.objects.create(teacher=pending, status=HireCheck.Status.PENDING)
    movers = [teacher(a, hired=dt.date(2015, 9, 1)) for _ in range(2)]
    for t in movers:
        Move.objects.create(teacher=t, kind=Move.Kind.ROTATION, moved_on=dt.date(2025, 8, 20), from_school=a.school, to_school=world.b.school,
                            from_county=a.county, to_county=world.b.county)
        t.school, t.county = world.b.school, world.b.county
        t.save()
    return world


@pytest.mark.django_db
def test_each_page_shows_the_facts_layers_figure(city_like):
    world = city_like
    f = school_facts([2025])[(world.a.school.pk, 2025)]
    # One definition: 专任教师 and 心理教师 on the roll by 1 September, pre-hire check cleared.
    assert (f.students, f.classes_total, f.classes_over, f.teachers_fulltime) == (99, 2, 1, 6)
    pack = build_pack()
    ga = school_unit(world.a.school)
    ss = _row(pack, "SS-01", ga, 2025)
    assert ss.evaluation.value == pytest.approx(f.students_per_teacher) and pack.row(ga, 2025)["classes_56_65"] == f.classes_large
    c = Client()
    c.force_login(world.city_user)
    profile = c.get(reverse("evaluation_school", kwargs={"pk": world.a.school.pk})).content.decode()
    assert ratio_text(f) in profile and f"{f.classes_ok}/{f.classes_total} 个班" in profile
    sup = c.get(reverse("sup_school", kwargs={"pk": world.a.school.pk}) + "?year=2025").content.decode()
    assert f"{f.students_per_teacher:.2f}" in sup
    staffing = {s.school_id: s for s in school_staffing(user=world.city_user)["schools"]}[world.a.school.pk]
    assert (staffing.students, staffing.teachers, staffing.classes) == (f.students, f.teachers_fulltime, f.classes_total)
    staff_page = c.get(reverse("people_staffing_school", kwargs={"pk": world.a.school.pk})).content.decode()
    assert f">{f.teachers_fulltime}/{staffing.ratio_need}<" in staff_page
    everyone = school_facts([2025]).values()
    home = home_counts(user=world.city_user)
    assert home["students"] == sum(x.students for x in everyone) and home["large_classes"] == sum(x.classes_over for x in everyone) == 1


@pytest.mark.django_db
def test_rotation_rate_is_one_figure_on_both_pages(city_like):
    world = city_like
    people = county_rotation([2025])[(world.a.county.pk, 2025)]
    pack = build_pack()
    row = pack.row(county_unit(world.a.county), 2025)
    assert (row["rotated_staff"], row["teachers_and_principals"]) == (people.movers, people.headcount) and people.movers == 2
    jl = _row(pack, "JL-01", county_unit(world.a.county), 2025)
    assert jl.evaluation.value == pytest.approx(float(people.rate) * 100)
    c = Client()
    c.force_login(world.city_user)
    assert f"{people.percent}%" in c.get(reverse("people_rotation")).content.decode()


@pytest.mark.django_db
def test_rule_r11_of_an_import_checks_against_the_rotation_headcount_the_pages_show(city_like):
    """R11 (交流轮岗人数 ≤ 专任教师和校级领导人数) of a county form compares with the very figure the 督导 county
    page and the 教师队伍 rotation page show: the county's staff on 1 January, not the schools' roll of 1 September."""
    world = city_like
    county = world.a.county
    people = county_rotation([2025])[(county.pk, 2025)]
    page = build_pack().row(county_unit(county), 2025)["teachers_and_principals"]
    checked = computed_for("county", county.pk, 2025)
    roll = sum(f.teachers_and_principals for (sid, _y), f in school_facts([2025]).items()
               if sid in set(county.schools.values_list("pk", flat=True)))
    assert checked["teachers_and_principals"] == page == people.headcount
    assert people.headcount != roll  # the two reference days give two numbers here: the test can tell them apart
    elements, rules = _catalog_defs()
    r11 = [r for r in rules if r.code == "R11"]

    def violations(rotated: int) -> list[str]:
        values = {**checked, "rotated_staff": float(rotated)}
        return [v.rule for v in check_rules(r11, elements, level="county", values=values, previous={}, comment="")]

    assert violations(people.headcount) == [] and violations(people.headcount + 1) == ["R11"]
    assert computed_for("city", None, 2025)["teachers_and_principals"] == build_pack().row(city_unit(), 2025)["teachers_and_principals"]


# -- 5. the ledger keeps its word ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_approving_one_schools_report_changes_only_that_schools_tasks(world, catalog, years):
    for s in (world.a.school, world.b.school):
        _approve("school", years[2024], {"counselling_room": 0, "canteen_it_ok": 0}, school=s)
    rectifications_open(actor=world.city_user, year=2024)
    tasks = {(t.school_id, t.indicator.code): t for t in Task.objects.filter(kind="rectification", school__isnull=False)}
    assert {(world.a.school.pk, "XL-02"), (world.b.school.pk, "XL-02")} <= set(tasks)
    # b's 2025 figures already meet XL-02; a's new report meets it too.
    _approve("school", world.year, {"counselling_room": 1, "canteen_it_ok": 0}, school=world.b.school)
    sub = _approve("school", world.year, {"counselling_room": 1, "canteen_it_ok": 0}, school=world.a.school, status="reviewed")
    before = {t.pk: t.status for t in Task.objects.all()}
    marked = submission_approve(actor=world.city_user, submission=sub)
    after = {t.pk: t.status for t in Task.objects.all()}
    changed = {pk for pk in after if after[pk] != before[pk]}
    assert changed == set(marked) == {tasks[(world.a.school.pk, "XL-02")].pk}
    t = Task.objects.get(pk=tasks[(world.a.school.pk, "XL-02")].pk)
    assert t.status == "verified" and f"报送 {sub.pk}" in t.verification
    task_return(actor=world.city_user, task=t, reason="咨询室未配备专职人员，核验不通过")
    t.refresh_from_db()
    assert t.status == "returned" and AuditEvent.objects.latest("id").actor_id == world.city_user.pk


@pytest.mark.django_db
def test_a_task_due_after_its_clauses_deadline_needs_the_citys_recorded_reason(world, catalog):
    def data(due, reason=""):
        return TaskData(kind="project", title="校门人脸识别联网", responsible_unit="a县教育局", responsible_person="张三", due_date=due,
                        county=world.a.county, source_clause="002 §三(九)", late_reason=reason)

    ok = task_create(actor=world.a.county_user, data=data(dt.date(2025, 8, 31)))  # 到2025年: the end of 2024-25
    assert ok.late_reason == ""
    with pytest.raises(ValidationError, match="晚于"):
        task_create(actor=world.city_user, data=data(dt.date(2025, 9, 1)))
    with pytest.raises(PermissionDenied):
        task_create(actor=world.a.county_user, data=data(dt.date(2027, 8, 31), "资金分两年安排"))
    late = task_create(actor=world.city_user, data=data(dt.date(2027, 8, 31), "资金分两年安排"))
    assert late.late_reason == "资金分两年安排" and late.late_approved_by == world.city_user
    assert AuditEvent.objects.latest("id").after["late_reason"] == "资金分两年安排"
    assert late_exceptions(world.city_user) == [late]
    c = Client()
    c.force_login(world.city_user)
    assert "资金分两年安排" in c.get(reverse("sup_ledger")).content.decode()
    # A clause whose adopted targets have no deadline sets no limit.
    assert task_create(actor=world.city_user, data=TaskData(kind="policy", title="提标", responsible_unit="a县", responsible_person="李四",
                                                            due_date=dt.date(2030, 1, 1), county=world.a.county, source_clause="002 §三(八)")).late_reason == ""


@pytest.mark.django_db
def test_another_city_chooses_its_documents_with_the_command(world, catalog):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("supervision_documents", withdraw="002", note="本市以运城规划为十四五规划", user="city", stdout=out)
    assert "002  广元十四五县中方案  （无文号）  市级  未采用" in out.getvalue()
    assert _row(build_pack(), "SS-01", school_unit(world.a.school), 2025) is None
    with pytest.raises(CommandError) as exc:
        call_command("supervision_documents", adopt="001", user="city", stdout=io.StringIO())
    assert exc.value.returncode == 2 and "须指定适用的县" in str(exc.value)
    call_command("supervision_documents", adopt="001", county="149902", school=["阳城一中=GB1"], user="city", stdout=out)
    assert "001  阳城县高中发展实施意见  阳政发〔2020〕29号  县级  采用：b县  阳城一中→GB1" in out.getvalue()


def test_a_fresh_install_loads_the_shipped_catalog_with_the_command(world):
    """No demo: the city administrator loads the catalog and its documents, then adopts one; a school account may not."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from gaozhong.supervision.models import Indicator, PolicyDocument

    assert not PolicyDocument.objects.exists()
    with pytest.raises(CommandError):
        call_command("supervision_documents", sync_catalog=2020, user="school_a", stdout=io.StringIO())
    assert not Indicator.objects.exists()
    out = io.StringIO()
    call_command("supervision_documents", sync_catalog=2020, user="city", stdout=out)
    assert PolicyDocument.objects.filter(code="002").exists() and Indicator.objects.exists() and "已载入" in out.getvalue()
    call_command("supervision_documents", adopt="002", user="city", stdout=io.StringIO())
    assert hasattr(PolicyDocument.objects.get(code="002"), "adoption")
