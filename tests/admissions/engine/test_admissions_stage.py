"""The 高中阶段 case (issue 17) worked by hand: 普高 and 中职 in one run, 招生范围, 特长生 rules and 公示, 普职比,
第一次录取完成率 and a 补录 round — the example of docs/admissions.md §13, through the command line, and every new
kind of bad input refused with file, line, column and reason.

The hand working (policy: tiebreak cme, math; 招生范围 required; 特长生 ≤ 20 % of a school's plan, 中考 ≥ 500,
专业测试 ≥ 60; students who declined may take part in 补录):
- batch 1 特长 T1 (1 seat, art_test, 艺术): s2 (612, test 90) and s5 (590, 80) qualify — the 公示 list, s2 first;
  s7 (480 < 500, test 55 < 60) does not. T1 takes s2.
- batch 2 指标到校 Q1 (J1, min 500): s1 (612) and s5 (590); s6 (499.5) is below 500.
- batch 3 普高统招: A (全市, 2) keeps s4 (650, 开发区: B's 招生范围 is 城区;郊区) and s3 (600.5) and rejects s8
  (450); B (2) takes s6 and s7; s9 (开发区) may not take B.
- batch 4 中职: s8 (开发区) may not take V1-KJ (城区 only) and gets V1-JD; s6 and s7, who listed 中职 too, hold
  their batch-3 seats and take no part. s9 and s10 have no seat.
- 补录: s4 declines A (a seat free at A); seats left: A 1, V1-JD 1, V1-KJ 1. s9 (470) and s10 (430) both ask A
  first: s9 gets it, s10 gets V1-JD in batch 4. V1's fill rate goes from 1/3 (first round) to 2/3.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gaozhong.admissions.cli import main
from gaozhong.admissions.engine.digest import canonical_inputs_digest
from gaozhong.admissions.engine.explain import explain_student
from gaozhong.admissions.engine.readcase import read_case
from gaozhong.admissions.engine.run import run_admission
from gaozhong.admissions.engine.supplementary import run_supplementary
from gaozhong.admissions.engine.types import ChoiceStatus, Ineligible
from gaozhong.admissions.engine import verify

SCHOOLS = """school_id,county,level,name
H1,城区,普高,一中
H2,郊区,普高,二中
V1,城区,中职,职教中心
"""
PROGRAMS = """program_id,school_id,batch,capacity,min_score,feeder_school_id,counties,rank_by,rollover_to,major,special_type
T1,H1,1,1,,,全市,art_test,A,美术,艺术
Q1,H1,2,2,500,J1,城区,,A,,
A,H1,3,2,,,全市,,,,
B,H2,3,2,,,城区;郊区,,,,
V1-JD,V1,4,2,,,全市,,,机电技术应用,
V1-KJ,V1,4,1,,,城区,,,会计事务,
"""
STUDENTS = """student_id,junior_school_id,county,score,cme,math,art_test,lottery
s1,J1,城区,612,281,118,,5
s2,J1,城区,612,281,120,90,4
s3,J2,郊区,600.5,250,100,,3
s4,J2,开发区,650.0,300,130,,2
s5,J1,城区,590,260,110,80,1
s6,J1,城区,499.5,200,90,,6
s7,J2,郊区,480,210,95,55,7
s8,J3,开发区,450,200,80,,8
s9,J3,开发区,470,205,85,,9
s10,J2,郊区,430,190,70,,10
"""
PREFERENCES = """student_id,batch,rank,program_id
s1,2,1,Q1
s1,3,1,A
s1,3,2,B
s2,1,1,T1
s2,3,1,A
s3,3,1,A
s3,3,2,B
s4,3,1,B
s4,3,2,A
s5,1,1,T1
s5,2,1,Q1
s5,3,1,A
s5,3,2,B
s6,2,1,Q1
s6,3,1,B
s6,4,1,V1-JD
s7,1,1,T1
s7,3,1,B
s7,4,1,V1-KJ
s7,4,2,V1-JD
s8,3,1,A
s8,4,1,V1-KJ
s8,4,2,V1-JD
s9,3,1,B
"""
POLICY = """tiebreak = ["cme", "math"]
admission_range = "required"
special_share = 0.2
special_min_score = 500
special_min_test_score = 60
supplementary_declined = true
"""
DECLINED = """student_id
s4
"""
RESULTS = """student_id,program_id,batch,choice_rank
s1,Q1,2,1
s2,T1,1,1
s3,A,3,1
s4,A,3,2
s5,Q1,2,1
s6,B,3,1
s7,B,3,1
s8,V1-JD,4,2
s9,,,
s10,,,
"""
CUTOFFS = """program_id,capacity,admitted,cutoff_score,last_choice_rank,last_tiebreak
T1,1,1,90,1,cme=281;math=120
Q1,2,2,590,1,cme=260;math=110
A,2,2,600.5,1,cme=250;math=100
B,2,2,480,1,cme=210;math=95
V1-JD,2,1,450,2,cme=200;math=80
V1-KJ,1,0,,,
"""
GENERAL_VOCATIONAL = """scope,county,basis,general,vocational,general_share
county,城区,plan,5,3,0.6250
county,城区,admitted,5,1,0.8333
county,城区,admitted_home,4,0,1.0000
county,开发区,plan,0,0,
county,开发区,admitted,0,0,
county,开发区,admitted_home,1,1,0.5000
county,郊区,plan,2,0,1.0000
county,郊区,admitted,2,0,1.0000
county,郊区,admitted_home,2,0,1.0000
city,,plan,7,3,0.7000
city,,admitted,7,1,0.8750
"""
FILL_RATES = """school_id,plan,first_round_admitted,first_round_fill_rate,final_admitted,final_fill_rate
H1,5,5,1.0000,5,1.0000
H2,2,2,1.0000,2,1.0000
V1,3,1,0.3333,1,0.3333
"""
PUBLICITY = """program_id,school_id,special_type,student_id,test_score,score,position
T1,H1,艺术,s2,90,612,1
T1,H1,艺术,s5,80,590,2
"""
PLAN_RATIO = """scope,county,basis,general,vocational,general_share
county,城区,plan,5,3,0.6250
county,郊区,plan,2,0,1.0000
city,,plan,7,3,0.7000
"""
SUPP_RESULTS = """student_id,program_id,batch,choice_rank,round
s1,Q1,2,1,1
s2,T1,1,1,1
s3,A,3,1,1
s4,,,,
s5,Q1,2,1,1
s6,B,3,1,1
s7,B,3,1,1
s8,V1-JD,4,2,1
s9,A,3,1,2
s10,V1-JD,4,1,2
"""
SUPP_CUTOFFS = """round,program_id,capacity,admitted,cutoff_score,last_choice_rank,last_tiebreak
1,T1,1,1,90,1,cme=281;math=120
1,Q1,2,2,590,1,cme=260;math=110
1,A,2,2,600.5,1,cme=250;math=100
1,B,2,2,480,1,cme=210;math=95
1,V1-JD,2,1,450,2,cme=200;math=80
1,V1-KJ,1,0,,,
2,T1,0,0,,,
2,Q1,0,0,,,
2,A,1,1,470,1,cme=205;math=85
2,B,0,0,,,
2,V1-JD,1,1,430,1,cme=190;math=70
2,V1-KJ,1,0,,,
"""
SUPP_FILL_RATES = """school_id,plan,first_round_admitted,first_round_fill_rate,final_admitted,final_fill_rate
H1,5,5,1.0000,5,1.0000
H2,2,2,1.0000,2,1.0000
V1,3,1,0.3333,2,0.6667
"""
SUPP_GENERAL_VOCATIONAL = """scope,county,basis,general,vocational,general_share
county,城区,plan,5,3,0.6250
county,城区,admitted,5,2,0.7143
county,城区,admitted_home,4,0,1.0000
county,开发区,plan,0,0,
county,开发区,admitted,0,0,
county,开发区,admitted_home,1,1,0.5000
county,郊区,plan,2,0,1.0000
county,郊区,admitted,2,0,1.0000
county,郊区,admitted_home,2,1,0.6667
city,,plan,7,3,0.7000
city,,admitted,7,2,0.7778
"""
SUPP_PREFERENCES = """student_id,batch,rank,program_id
s9,3,1,A
s9,4,1,V1-JD
s10,3,1,A
s10,4,1,V1-JD
"""

BASE = {"schools.csv": SCHOOLS, "programs.csv": PROGRAMS, "students.csv": STUDENTS, "preferences.csv": PREFERENCES,
        "policy.toml": POLICY}
SUPP = {"supplementary/first_round.csv": RESULTS, "supplementary/declined.csv": DECLINED,
        "supplementary/preferences.csv": SUPP_PREFERENCES}


def write(d: Path, files: dict[str, str | None]) -> Path:
    for name, text in files.items():
        if text is None:
            continue
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_text(text, encoding="utf-8")
    return d


def outputs(out: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted(out.iterdir())}


def test_the_main_round_admits_to_both_levels_in_one_run(tmp_path):
    case = write(tmp_path / "case", BASE)
    assert main(["run", str(case), "--out", str(tmp_path / "out")]) == 0
    assert outputs(tmp_path / "out") == {"cutoffs.csv": CUTOFFS, "fill_rates.csv": FILL_RATES,
                                         "general_vocational.csv": GENERAL_VOCATIONAL, "results.csv": RESULTS}


def test_publicity_before_the_run_lists_who_qualifies_for_special_programs(tmp_path):
    case = write(tmp_path / "case", BASE)
    assert main(["publicity", str(case), "--out", str(tmp_path / "pub")]) == 0
    assert outputs(tmp_path / "pub") == {"general_vocational.csv": PLAN_RATIO, "publicity.csv": PUBLICITY}


def test_the_supplementary_round_marks_rounds_and_separates_fill_rates(tmp_path):
    case = write(tmp_path / "case", {**BASE, **SUPP})
    assert main(["run", str(case), "--out", str(tmp_path / "out")]) == 0
    assert outputs(tmp_path / "out") == {"cutoffs.csv": SUPP_CUTOFFS, "fill_rates.csv": SUPP_FILL_RATES,
                                         "general_vocational.csv": SUPP_GENERAL_VOCATIONAL, "results.csv": SUPP_RESULTS}


def test_explanations_name_the_new_reasons(tmp_path):
    result = run_admission(read_case(write(tmp_path / "case", BASE)))
    s7 = {c.program_id: c for c in explain_student(result, "s7").choices}
    assert s7["T1"].ineligible == Ineligible.BELOW_MIN_SCORE | Ineligible.BELOW_MIN_TEST_SCORE
    assert "500" in s7["T1"].reasons[0] and "60" in s7["T1"].reasons[1]
    assert s7["V1-KJ"].status == ChoiceStatus.EARLIER_BATCH  # admitted to 普高 B in batch 3: never twice
    s8 = {c.program_id: c for c in explain_student(result, "s8").choices}
    assert s8["V1-KJ"].ineligible == Ineligible.OTHER_COUNTY and s8["V1-JD"].status == ChoiceStatus.ADMITTED
    assert verify.is_within_capacity(result) and verify.is_eligible(result) and verify.has_no_justified_envy(result)


def test_the_supplementary_round_keeps_first_round_seats_and_the_plan(tmp_path):
    sres = run_supplementary(read_case(write(tmp_path / "case", {**BASE, **SUPP})))
    first, second = sres.first, sres.second
    standing = sres.stands
    assert (sres.final_program()[standing] == first.program_of[standing]).all()  # nobody displaced
    assert (second.admitted <= sres.left).all()
    final = sres.final_program()
    per_program = [int((final == p).sum()) for p in range(len(first.admitted))]
    assert all(n <= int(c) for n, c in zip(per_program, first.capacity - first.rolled_out))
    assert verify.is_within_capacity(second) and verify.has_no_justified_envy(second)


def test_a_declined_student_takes_part_only_if_the_city_allows(tmp_path):
    prefs = SUPP_PREFERENCES + "s4,4,1,V1-JD\n"
    case = write(tmp_path / "yes", {**BASE, **SUPP, "supplementary/preferences.csv": prefs})
    assert main(["run", str(case), "--out", str(tmp_path / "o1")]) == 0
    assert "s4,V1-JD,4,1,2" in (tmp_path / "o1" / "results.csv").read_text()
    policy = POLICY.replace("supplementary_declined = true\n", "")
    case = write(tmp_path / "no", {**BASE, **SUPP, "supplementary/preferences.csv": prefs, "policy.toml": policy})
    assert main(["run", str(case), "--out", str(tmp_path / "o2")]) == 2
    assert not (tmp_path / "o2").exists()


def test_seats_csv_offers_fewer_seats(tmp_path):
    case = write(tmp_path / "case", {**BASE, **SUPP, "supplementary/seats.csv": "program_id,seats\nV1-JD,1\n"})
    assert main(["run", str(case), "--out", str(tmp_path / "out")]) == 0
    results = (tmp_path / "out" / "results.csv").read_text()
    assert "s9,V1-JD,4,1,2" in results and "s10,,,," in results  # A offers no seat: s9 outranks s10 at V1-JD


def test_an_old_format_case_writes_only_its_two_files_even_with_the_new_policy_keys(tmp_path):
    from .test_admissions_cli import POLICY as OLD_POLICY, write as write_old

    case = write_old(tmp_path / "case", policy_toml=OLD_POLICY + 'out_of_range = "skip"\n')
    assert main(["run", str(case), "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["cutoffs.csv", "results.csv"]


def test_the_digest_covers_the_new_inputs(tmp_path):
    base = canonical_inputs_digest(read_case(write(tmp_path / "a", BASE)))
    changed = {
        "schools": {"schools.csv": SCHOOLS.replace("V1,城区,中职", "V1,郊区,中职")},
        "major": {"programs.csv": PROGRAMS.replace("会计事务", "电子商务")},
        "special": {"programs.csv": PROGRAMS.replace("美术,艺术", "美术,体育")},
        "policy": {"policy.toml": POLICY.replace("special_min_test_score = 60", "special_min_test_score = 50")},
        "supplementary": SUPP,
    }
    seen = {base}
    for name, files in changed.items():
        digest = canonical_inputs_digest(read_case(write(tmp_path / name, {**BASE, **files})))
        assert digest not in seen, name
        seen.add(digest)
    # schools.csv row order and extra columns do not matter
    rows = SCHOOLS.splitlines()
    reordered = "\n".join([rows[0].replace(",name", ",名称")] + rows[1:][::-1]) + "\n"
    assert canonical_inputs_digest(read_case(write(tmp_path / "r", {**BASE, "schools.csv": reordered}))) == base


P, S, F = PROGRAMS, STUDENTS, PREFERENCES
BAD = [
    ("招生范围 required but empty", {"programs.csv": P.replace("A,H1,3,2,,,全市", "A,H1,3,2,,,")},
     ["programs.csv:4: column counties:", "admission_range"]),
    ("全市 beside a county", {"programs.csv": P.replace("A,H1,3,2,,,全市", "A,H1,3,2,,,全市;城区")},
     ["programs.csv:4: column counties:", "the whole city"]),
    ("unknown special type", {"programs.csv": P.replace("美术,艺术", "美术,书法")},
     ["programs.csv:2: column special_type:", "must be one of"]),
    ("special seats over the share", {"programs.csv": P.replace("T1,H1,1,1", "T1,H1,1,2")},
     ["programs.csv:2: column capacity:", "at most 1"]),
    ("unknown program column", {"programs.csv": P.replace(",major,", ",majors,")},
     ["programs.csv:1: column majors:", "unknown column"]),
    ("school missing from schools.csv", {"schools.csv": SCHOOLS.replace("H2,郊区,普高,二中\n", "")},
     ["programs.csv:5: column school_id:", "not in schools.csv"]),
    ("bad school level", {"schools.csv": SCHOOLS.replace("中职", "职高")},
     ["schools.csv:4: column level:", "普高 or 中职"]),
    ("duplicate school", {"schools.csv": SCHOOLS + "H1,城区,普高,x\n"},
     ["schools.csv:5: column school_id:", "first on line 2"]),
    ("choice outside the range, refused", {"policy.toml": POLICY + 'out_of_range = "refuse"\n'},
     ["preferences.csv:9: column program_id:", "outside the program's 招生范围", "preferences.csv:20: column program_id:",
      "preferences.csv:23: column program_id:", "preferences.csv:25: column program_id:"]),
    ("bad range setting", {"policy.toml": POLICY.replace("\"required\"", "\"strict\"")},
     ["policy.toml:2: column admission_range:", "must be one of"]),
    ("share above 1", {"policy.toml": POLICY.replace("special_share = 0.2", "special_share = 1.5")},
     ["policy.toml:3: column special_share:", "between 0 and 1"]),
    ("declined flag not a boolean", {"policy.toml": POLICY.replace("= true", '= "yes"')},
     ["policy.toml:6: column supplementary_declined:", "true or false"]),
]
SUPP_BAD = [
    ("first round that is not the case's", {"supplementary/first_round.csv": RESULTS.replace("s8,V1-JD,4,2", "s8,V1-KJ,4,1")},
     ["supplementary/first_round.csv:9: column program_id:", "V1-JD at choice 2"]),
    ("first round missing a student", {"supplementary/first_round.csv": RESULTS.replace("s10,,,\n", "")},
     ["supplementary/first_round.csv: column student_id:", "s10"]),
    ("declining without a seat", {"supplementary/declined.csv": DECLINED + "s9\n"},
     ["supplementary/declined.csv:3: column student_id:", "no first-round seat"]),
    ("more seats than left", {"supplementary/seats.csv": "program_id,seats\nA,1\nV1-JD,2\n"},
     ["supplementary/seats.csv:3: column seats:", "the 1 seats left"]),
    ("a student with a seat files choices", {"supplementary/preferences.csv": SUPP_PREFERENCES + "s8,3,1,A\n"},
     ["supplementary/preferences.csv:6: column student_id:", "admitted in the first round"]),
    ("a 补录 choice of a program of another batch", {"supplementary/preferences.csv": SUPP_PREFERENCES + "s10,3,2,V1-KJ\n"},
     ["supplementary/preferences.csv:6: column batch:", "belongs to batch 4"]),
    ("no 补录 choices file", {"supplementary/preferences.csv": None},
     ["supplementary/preferences.csv: ", "file not found"]),
]


@pytest.mark.parametrize("name,files,expected", BAD + SUPP_BAD, ids=[c[0] for c in BAD + SUPP_BAD])
def test_bad_input_is_refused_with_file_line_column_and_reason(tmp_path, capsys, name, files, expected):
    base = {**BASE, **SUPP} if (name, files, expected) in SUPP_BAD else dict(BASE)
    case = write(tmp_path / "case", {**base, **{k: v for k, v in files.items() if v is not None}})
    for k, v in files.items():
        if v is None:
            (case / k).unlink(missing_ok=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.csv").write_text("before")
    assert main(["run", str(case), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    for fragment in expected:
        assert fragment in err, err
    assert [p.name for p in out.iterdir()] == ["results.csv"] and (out / "results.csv").read_text() == "before"


def test_the_worked_example_in_the_docs_is_this_one():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "admissions.md").read_text("utf-8")
    section = doc[doc.index("## 13. Worked example"):]
    for text in (SCHOOLS, PROGRAMS, STUDENTS, POLICY, RESULTS, CUTOFFS, GENERAL_VOCATIONAL, FILL_RATES, PUBLICITY,
                 SUPP_RESULTS, SUPP_CUTOFFS, SUPP_FILL_RATES, SUPP_GENERAL_VOCATIONAL):
        assert text.rstrip("\n") in section


def test_tables_in_memory_give_the_same_files_as_the_directory(tmp_path):
    import io

    import polars as pl

    from gaozhong.admissions.engine.output import run_outputs
    from gaozhong.admissions.engine.readcase import case_from_tables

    def table(text: str) -> pl.DataFrame:
        return pl.read_csv(io.StringIO(text), infer_schema=False)

    supp = {"first_round.csv": table(RESULTS), "declined.csv": table(DECLINED), "preferences.csv": table(SUPP_PREFERENCES)}
    case = case_from_tables(table(PROGRAMS), table(STUDENTS), table(PREFERENCES), POLICY, schools=table(SCHOOLS),
                            supplementary=supp)
    files, _ = run_outputs(case)
    assert {k: v.decode() for k, v in files.items()} == {
        "results.csv": SUPP_RESULTS, "cutoffs.csv": SUPP_CUTOFFS, "fill_rates.csv": SUPP_FILL_RATES,
        "general_vocational.csv": SUPP_GENERAL_VOCATIONAL}
    with pytest.raises(Exception) as info:
        case_from_tables(table(PROGRAMS), table(STUDENTS), table(PREFERENCES), POLICY, schools=table(SCHOOLS),
                         supplementary={"first_round.csv": table(RESULTS)})
    assert "supplementary/preferences.csv" in str(info.value)
