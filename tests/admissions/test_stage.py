"""The whole 高中阶段 on the platform: 中职 programs by 专业 in the same run, 招生范围 from the approved plans
enforced (form, import, engine), the 特长生 settings and 公示 list, 普职比 and 第一次录取完成率 from the run."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gaozhong.admissions.models import Admission, AdmissionYear, Program, SchoolPlan
from gaozhong.admissions.services.preferences import allowed_programs, preferences_set
from gaozhong.admissions.services.runs import admission_run_create, admission_run_execute, admission_run_reproduce, canonical_inputs
from gaozhong.admissions.services.setup import admission_stage_settings_set, programs_generate, school_plan_set
from gaozhong.admissions.services.stage import fill_rates, general_vocational, publicity, stage_policy

from .stage_world import MAJORS, stage_year

pytestmark = pytest.mark.django_db


def _run(world, year):
    admission_window_set_closed(world, year)
    return admission_run_execute(run=admission_run_create(actor=world.city_user, year=year))


def admission_window_set_closed(world, year):
    from gaozhong.admissions.services.setup import admission_window_set

    admission_window_set(actor=world.city_user, year=year, status=AdmissionYear.Status.CLOSED)


def test_vocational_plans_become_programs_by_major_with_the_plans_ranges(world):
    year, cands, user, voc = stage_year(world, open_window=False)
    voc_programs = list(Program.objects.filter(year=year, school=voc).order_by("code"))
    assert [(p.major, p.capacity, p.batch, p.kind) for p in voc_programs] == [
        ("机电技术应用", 4, 4, "vocational"), ("会计事务", 2, 4, "vocational")]
    assert Program.objects.get(year=year, code="GA1-TZ").counties == world.a.county.code
    assert Program.objects.get(year=year, code="GB1-TZ").counties == "全市"
    talent = Program.objects.get(year=year, kind="talent")
    assert (talent.special_type, talent.counties, talent.rank_by) == ("艺术", "全市", "talent_score")
    assert str(voc_programs[0]) == "a县职教中心 机电技术应用"


def test_vocational_plan_must_add_up_by_major_and_ranges_must_name_real_counties(world):
    year, cands, user, voc = stage_year(world, open_window=False)
    with pytest.raises(ValidationError, match="不等于计划数"):
        school_plan_set(actor=world.city_user, year=year, school=voc, seats=7, majors=MAJORS)
    with pytest.raises(ValidationError, match="按专业"):
        school_plan_set(actor=world.city_user, year=year, school=voc, seats=6)
    with pytest.raises(ValidationError, match="不存在"):
        school_plan_set(actor=world.city_user, year=year, school=world.a.school, seats=11, counties="999999")
    with pytest.raises(ValidationError, match="全市"):
        school_plan_set(actor=world.city_user, year=year, school=world.a.school, seats=11, counties=f"全市;{world.a.county.code}")
    assert SchoolPlan.objects.get(year=year, school=voc).seats == 6


def test_talent_seats_over_the_city_share_are_refused_when_programs_are_generated(world):
    year, cands, user, voc = stage_year(world, open_window=False)
    admission_stage_settings_set(actor=world.city_user, year=year, range_required=True, special_share=Decimal("0.05"),
                                 special_min_score=None, special_min_test_score=None, supplementary_declined=False)
    school_plan_set(actor=world.city_user, year=year, school=world.b.school, seats=10, talent_seats=1, counties="全市")
    from gaozhong.admissions.services.setup import school_plans_approve

    school_plans_approve(actor=world.city_user, year=year)
    with pytest.raises(ValidationError, match="特长生计划 1 超过计划 10"):
        programs_generate(actor=world.city_user, year=year)


def test_the_form_offers_only_programs_in_range_and_refuses_others(world):
    year, cands, user, voc = stage_year(world)
    b_cand = cands[20]  # county b
    codes = [p.code for p in allowed_programs(year=year, candidate=b_cand, batch=3)]
    assert codes == ["GB1-TZ"]
    a_codes = [p.code for p in allowed_programs(year=year, candidate=cands[0], batch=3)]
    assert a_codes == ["GA1-TZ", "GB1-TZ"]
    assert {p.code for p in allowed_programs(year=year, candidate=cands[0], batch=4)} == {"VA1-ZY01", "VA1-ZY02"}
    from django.contrib.auth.models import User

    from gaozhong.core.models import Membership, Role

    u = User.objects.create(username="cand20")
    Membership.objects.create(user=u, role=Role.STUDENT, candidate=b_cand)
    with pytest.raises(ValidationError, match="GA1-TZ"):
        preferences_set(actor=u, year=year, candidate=b_cand, batch=3, program_codes=["GB1-TZ", "GA1-TZ"])


def test_one_run_admits_to_general_and_vocational_within_ranges_and_reports_both_ratios(world):
    year, cands, user, voc = stage_year(world)
    inputs = canonical_inputs(year)
    assert inputs["schools.csv"].splitlines()[1:] == ["GA1,149901,普高,a县一中", "GB1,149902,普高,b县一中", "VA1,149901,中职,a县职教中心"]
    assert 'admission_range = "required"' in inputs["policy.toml"] and "special_share = 0.2" in inputs["policy.toml"]
    assert inputs["programs.csv"].splitlines()[0].endswith(",major,special_type")
    run = _run(world, year)
    assert run.status == "done" and admission_run_reproduce(run)
    adms = list(Admission.objects.filter(run=run).select_related("program", "program__school", "candidate__county"))
    assert len(adms) == len(cands)
    got = [a for a in adms if a.program_id]
    assert any(a.program.school == voc for a in got), "中职 admitted in the same run"
    for a in got:  # 招生范围 never broken
        assert a.program.admits_from(a.candidate.county.code)
        assert a.round == 1
    per_program = {}
    for a in got:
        per_program[a.program.code] = per_program.get(a.program.code, 0) + 1
    assert per_program.get("VA1-ZY01", 0) <= 4
    gv = {(r.scope, r.county, r.basis): r for r in general_vocational(run.general_vocational_csv)}
    plan = gv[("city", "", "plan")]
    assert (plan.general, plan.vocational) == (21, 6)
    admitted = gv[("city", "", "admitted")]
    assert admitted.general == sum(1 for a in got if a.program.school.level == "senior")
    assert admitted.vocational == sum(1 for a in got if a.program.school == voc)
    rates = fill_rates(run.fill_rates_csv)
    assert rates["VA1"].plan == 6 and rates["VA1"].first_round_admitted == admitted.vocational
    assert rates["VA1"].first_round_fill_rate == rates["VA1"].final_fill_rate


def test_publicity_lists_talent_applicants_meeting_the_rules_before_the_run(world):
    year, cands, user, voc = stage_year(world)
    pub = publicity(canonical_inputs(year))
    listed = [r.exam_no for r in pub.rows]
    # applicants: the six county-b candidates with test scores 50, 58, 66, 74, 82, 90; min test score 60, min 中考 400
    eligible = [c for c in cands[20:26] if c.talent_score >= 60 and c.score >= 400]
    assert sorted(listed) == sorted(c.exam_no for c in eligible)
    assert [r.position for r in pub.rows] == list(range(1, len(pub.rows) + 1))
    scores = [Decimal(r.test_score) for r in pub.rows]
    assert scores == sorted(scores, reverse=True)
    assert {(r.scope, r.basis) for r in pub.general_vocational} >= {("county", "plan"), ("city", "plan")}


def test_stage_policy_keeps_a_text_that_sets_the_keys_and_an_imported_year_keeps_its_format(world):
    year, cands, user, voc = stage_year(world, open_window=False)
    year.policy_toml = 'tiebreak = ["cme"]\nadmission_range = "open"\n'
    assert "required" not in stage_policy(year)
    plain = AdmissionYear(year=2030, policy_toml='tiebreak = ["cme"]\n')
    assert stage_policy(plain) == 'tiebreak = ["cme"]\n'


def test_imported_preferences_outside_the_range_are_named_and_nothing_is_written(world):
    from gaozhong.admissions.models import Preference
    from gaozhong.admissions.services.imports import preferences_import

    from .test_imports import PREF_HEADERS, xlsx

    year, cands, user, voc = stage_year(world)
    before = Preference.objects.count()
    out = preferences_import(actor=world.city_user, year=2026, data=xlsx(PREF_HEADERS, [[cands[21].exam_no, 3, 1, "GA1-TZ"]], "志愿"), filename="志愿.xlsx")
    assert len(out.problems) == 1 and "招生范围" in out.problems[0].reason and out.problems[0].line == 2
    assert Preference.objects.count() == before


def test_plans_import_takes_majors_and_city_wide_ranges(world):
    from gaozhong.admissions.services.imports import plans_import

    from .test_imports import xlsx

    year, cands, user, voc = stage_year(world, open_window=False)
    headers = ["学校代码", "计划数", "特长生计划", "招生范围", "专业计划", "特长类别"]
    bad = plans_import(actor=world.city_user, year=2026, filename="计划.xlsx",
                       data=xlsx(headers, [["VA1", 6, None, "全市", "机电技术应用:5;会计事务:2", None], ["GA1", 11, None, "全市;149901", "", None]], "招生计划"))
    text = "\n".join(str(p) for p in bad.problems)
    assert "计划.xlsx[招生计划]:2: column 专业计划 (E)" in text and "不等于计划数" in text
    assert "计划.xlsx[招生计划]:3: column 招生范围 (D)" in text
    ok = plans_import(actor=world.city_user, year=2026, filename="计划.xlsx",
                      data=xlsx(headers, [["VA1", 7, None, "全市", "机电技术应用:5;会计事务:2", None]], "招生计划"))
    assert not ok.problems
    plan = SchoolPlan.objects.get(year=year, school=voc)
    assert (plan.seats, plan.majors, plan.counties, plan.approved) == (7, [["机电技术应用", 5], ["会计事务", 2]], "全市", False)


def test_cutoffs_csv_of_the_run_is_the_engines(world):
    year, cands, user, voc = stage_year(world)
    run = _run(world, year)
    rows = list(csv.DictReader(io.StringIO(run.cutoffs_csv)))
    assert [r["program_id"] for r in rows if r["program_id"].startswith("VA1")] == ["VA1-ZY01", "VA1-ZY02"]


def test_year_export_writes_the_stage_files_of_the_latest_run(world, tmp_path):
    from gaozhong.admissions.yearcli import main as admissions_main

    year, cands, user, voc = stage_year(world)
    run = _run(world, year)
    assert admissions_main(["year-export", "2026", "--out", str(tmp_path / "out")]) == 0
    for name, text in (("results.csv", run.results_csv), ("cutoffs.csv", run.cutoffs_csv),
                       ("general_vocational.csv", run.general_vocational_csv), ("fill_rates.csv", run.fill_rates_csv)):
        assert (tmp_path / "out" / name).read_text(encoding="utf-8") == text and text


def test_a_stage_case_round_trips_through_year_import_with_the_same_results(world, tmp_path):
    from gaozhong.admissions.services.yearcase import year_case_import

    year, cands, user, voc = stage_year(world)
    run = _run(world, year)
    case = tmp_path / "case"
    case.mkdir()
    for name, text in run.input_files().items():
        (case / name).write_text(text, encoding="utf-8")
    summary = year_case_import(actor=world.city_user, year=2030, case_dir=case)
    assert summary["programs"] == Program.objects.filter(year=year).count()
    imported = AdmissionYear.objects.get(year=2030)
    vp = Program.objects.get(year=imported, code="VA1-ZY01")
    assert (vp.kind, vp.major, vp.counties) == ("vocational", "机电技术应用", "全市")
    assert SchoolPlan.objects.get(year=imported, school=voc).majors == MAJORS
    assert Program.objects.get(year=imported, kind="talent").special_type == "艺术"
    run2 = admission_run_execute(run=admission_run_create(actor=world.city_user, year=imported))
    assert (run2.results_csv, run2.cutoffs_csv, run2.general_vocational_csv, run2.fill_rates_csv) == (
        run.results_csv, run.cutoffs_csv, run.general_vocational_csv, run.fill_rates_csv)


def test_year_import_refuses_a_schools_csv_that_disagrees_with_the_platform_and_supplementary_files(world, tmp_path):
    from gaozhong.admissions.services.yearcase import year_case_import
    from gaozhong.common.errors import InputError

    year, cands, user, voc = stage_year(world)
    run = _run(world, year)
    case = tmp_path / "case"
    case.mkdir()
    for name, text in run.input_files().items():
        (case / name).write_text(text, encoding="utf-8")
    (case / "schools.csv").write_text(run.schools_csv.replace("VA1,149901,中职", "VA1,149902,中职"), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        year_case_import(actor=world.city_user, year=2030, case_dir=case)
    assert "schools.csv:4: column county" in str(exc.value)
    (case / "schools.csv").write_text(run.schools_csv, encoding="utf-8")
    (case / "supplementary").mkdir()
    (case / "supplementary" / "first_round.csv").write_text(run.results_csv, encoding="utf-8")
    (case / "supplementary" / "preferences.csv").write_text("student_id,batch,rank,program_id\n", encoding="utf-8")
    with pytest.raises(InputError, match="补录"):
        year_case_import(actor=world.city_user, year=2030, case_dir=case)
    assert not AdmissionYear.objects.filter(year=2030).exists()
