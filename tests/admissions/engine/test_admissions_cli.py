"""The exact command-line contract of ``gaozhong admissions run`` (issue 6 §1), checked on files in tmp_path."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gaozhong.admissions.cli import main
from gaozhong.admissions.engine.digest import canonical_inputs_digest
from gaozhong.admissions.engine.explain import explain_student
from gaozhong.admissions.engine.readcase import read_case
from gaozhong.admissions.engine.run import run_admission
from gaozhong.admissions.engine.types import ChoiceStatus, Ineligible

from . import reference as ref

PROGRAMS = """program_id,school_id,batch,capacity,min_score,feeder_school_id,counties,rank_by,rollover_to
T1,H1,1,1,,,,talent_score,A
Q1,H1,2,2,500,J1,,,A
A,H1,3,2,,,,,
B,H2,3,2,,,城区; 郊区,,
"""
STUDENTS = """student_id,junior_school_id,county,score,cme,math,talent_score,lottery,name
s1,J1,城区,612,281,118,,5,张三
s2,J1,城区,612,281,120,90,4,李四
s3,J2,郊区,600.5,250,100,,3,王五
s4,J2,开发区,650.0,300,130,,2,赵六
s5,J1,城区,590,260,110,80,1,钱七
s6,J1,城区,499.5,200,90,,6,孙八
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
"""
POLICY = 'tiebreak = ["cme", "math"]\n'

# Worked by hand from the rules:
# batch 1: T1 (1 seat, talent_score): s2 (90) beats s5 (80). T1 full: nothing rolls over.
# batch 2: Q1 (2 seats, J1 only, min 500): s1 (612) and s5 (590); s6 (499.5) is below 500. Q1 full.
# batch 3: A (2 seats), B (2 seats, 城区/郊区 only). s4 (650, 开发区) cannot take B, gets A (choice 2);
#          s3 (600.5) gets A (choice 1); s6 (499.5) gets B (choice 1). B keeps one seat empty.
RESULTS = """student_id,program_id,batch,choice_rank
s1,Q1,2,1
s2,T1,1,1
s3,A,3,1
s4,A,3,2
s5,Q1,2,1
s6,B,3,1
"""
CUTOFFS = """program_id,capacity,admitted,cutoff_score,last_choice_rank,last_tiebreak
T1,1,1,90,1,cme=281;math=120
Q1,2,2,590,1,cme=260;math=110
A,2,2,600.5,1,cme=250;math=100
B,2,1,499.5,1,cme=200;math=90
"""


def write(d: Path, encoding: str = "utf-8", bom: bool = False, **files: str) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    texts = {"programs.csv": PROGRAMS, "students.csv": STUDENTS, "preferences.csv": PREFERENCES, "policy.toml": POLICY}
    texts.update({k.replace("_", ".", 1) if k.endswith(("_csv", "_toml")) else k: v for k, v in files.items()})
    for name, text in texts.items():
        data = text.encode(encoding)
        (d / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return d


def run_cli(case: Path, out: Path) -> int:
    return main(["run", str(case), "--out", str(out)])


def test_it_writes_the_exact_results_and_cutoffs(tmp_path):
    case = write(tmp_path / "case")
    assert run_cli(case, tmp_path / "out") == 0
    assert (tmp_path / "out" / "results.csv").read_bytes() == RESULTS.encode()
    assert (tmp_path / "out" / "cutoffs.csv").read_bytes() == CUTOFFS.encode()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["cutoffs.csv", "results.csv"]


def test_unplaced_students_have_empty_cells_and_rows_follow_students_csv(tmp_path):
    students = STUDENTS.replace("s6,J1,城区,499.5", "s6,J9,城区,499.5")  # s6 now from J9: still gets B
    prefs = PREFERENCES.replace("s6,3,1,B\n", "")  # s6 lists nothing in batch 3
    case = write(tmp_path / "case", students_csv=students, preferences_csv=prefs)
    assert run_cli(case, tmp_path / "out") == 0
    lines = (tmp_path / "out" / "results.csv").read_text("utf-8").splitlines()
    assert [ln.split(",")[0] for ln in lines[1:]] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert lines[-1] == "s6,,,"


def test_the_cli_matches_the_reference_on_the_worked_example(tmp_path):
    case = ref.Case(
        programs=[ref.Prog("T1", "H1", 1, 1, rank_by="talent_score", rollover_to="A"),
                  ref.Prog("Q1", "H1", 2, 2, min_score="500", feeder="J1", rollover_to="A"),
                  ref.Prog("A", "H1", 3, 2), ref.Prog("B", "H2", 3, 2, counties="城区; 郊区")],
        students=[ref.Stu(r[0], r[1], r[2], {"score": r[3], "cme": r[4], "math": r[5], "talent_score": r[6]}, int(r[7]))
                  for r in (line.split(",") for line in STUDENTS.splitlines()[1:])],
        prefs=[(a, int(b), int(c), d) for a, b, c, d in (line.split(",") for line in PREFERENCES.splitlines()[1:])],
        tiebreak=["cme", "math"],
    )
    expected = ref.run(case)
    assert expected.results == RESULTS and expected.cutoffs == CUTOFFS


@pytest.mark.parametrize("encoding,bom", [("utf-8", True), ("gb18030", False)])
def test_bom_and_gb18030_files_read_alike(tmp_path, encoding, bom):
    case = write(tmp_path / "case", encoding=encoding, bom=bom)
    assert (case / "students.csv").read_bytes() != STUDENTS.encode("utf-8")
    assert run_cli(case, tmp_path / "out") == 0
    assert (tmp_path / "out" / "results.csv").read_bytes() == RESULTS.encode()
    assert (tmp_path / "out" / "cutoffs.csv").read_bytes() == CUTOFFS.encode()


def test_spaces_around_cells_and_number_spellings_do_not_matter(tmp_path):
    students = STUDENTS.replace("s3,J2,郊区,600.5", " s3 ,J2,郊区　,+600.50").replace("s1,J1,城区,612,281", "s1,J1,城区,0612,281")
    prefs = PREFERENCES.replace("s3,3,1,A", "s3 ,3, 1,A ")
    case = write(tmp_path / "case", students_csv=students, preferences_csv=prefs)
    assert run_cli(case, tmp_path / "out") == 0
    assert (tmp_path / "out" / "results.csv").read_bytes() == RESULTS.encode()
    assert (tmp_path / "out" / "cutoffs.csv").read_bytes() == CUTOFFS.encode()


def test_a_rerun_is_byte_identical_and_replaces_only_its_two_files(tmp_path):
    case = write(tmp_path / "case")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    (out / "results.csv").write_text("old")
    assert run_cli(case, out) == 0
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert run_cli(case, out) == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    assert first["notes.txt"] == b"keep me" and first["results.csv"] == RESULTS.encode()


def test_rollover_capacity_shows_in_cutoffs(tmp_path):
    # Nobody can take Q1 (min 700): its 2 seats roll into A, which then admits four.
    programs = PROGRAMS.replace("Q1,H1,2,2,500", "Q1,H1,2,2,700")
    case = write(tmp_path / "case", programs_csv=programs)
    assert run_cli(case, tmp_path / "out") == 0
    cut = (tmp_path / "out" / "cutoffs.csv").read_text().splitlines()
    assert cut[2] == "Q1,2,0,,,"
    assert cut[3].startswith("A,4,4,")


def test_digest_ignores_encoding_order_and_spelling_but_not_content(tmp_path, capsys):
    def digest(d: Path) -> str:
        assert main(["digest", str(d)]) == 0
        text = capsys.readouterr().out.strip()
        assert re.fullmatch(r"[0-9a-f]{64}", text)
        return text

    base = digest(write(tmp_path / "a"))
    shuffled = "\n".join([PREFERENCES.splitlines()[0]] + PREFERENCES.splitlines()[1:][::-1]) + "\n"
    same = digest(write(tmp_path / "b", encoding="gb18030", preferences_csv=shuffled,
                        students_csv=STUDENTS.replace("650.0", "650").replace(",张三", ",张三丰")))
    assert same == base
    assert digest(write(tmp_path / "c", students_csv=STUDENTS.replace("600.5", "600"))) != base
    assert digest(write(tmp_path / "d", policy_toml='tiebreak = ["math", "cme"]\n')) != base
    reordered = "\n".join(STUDENTS.splitlines()[:1] + STUDENTS.splitlines()[1:][::-1]) + "\n"
    assert digest(write(tmp_path / "e", students_csv=reordered)) != base  # results.csv order changes
    assert canonical_inputs_digest(read_case(tmp_path / "a")) == base


def test_explanation_names_each_choice_outcome(tmp_path):
    result = run_admission(read_case(write(tmp_path / "case")))
    s5 = explain_student(result, "s5")
    assert (s5.program_id, s5.batch, s5.choice_rank) == ("Q1", 2, 1)
    by_key = {(c.batch, c.rank): c for c in s5.choices}
    assert by_key[(1, 1)].status == ChoiceStatus.NOT_ADMITTED
    assert (by_key[(1, 1)].cutoff_value, by_key[(1, 1)].student_value) == (90.0, 80.0)
    assert "cutoff 90, your talent_score 80" in by_key[(1, 1)].reasons[0]
    assert by_key[(2, 1)].status == ChoiceStatus.ADMITTED
    assert by_key[(3, 1)].status == ChoiceStatus.EARLIER_BATCH
    s4 = explain_student(result, "s4")
    b = next(c for c in s4.choices if c.program_id == "B")
    assert b.status == ChoiceStatus.INELIGIBLE and b.ineligible == Ineligible.OTHER_COUNTY
    s6 = explain_student(result, "s6")
    q1 = next(c for c in s6.choices if c.program_id == "Q1")
    assert q1.ineligible == Ineligible.BELOW_MIN_SCORE and "499.5" in q1.reasons[0]
    with pytest.raises(KeyError):
        explain_student(result, "nobody")
    statuses = [int(x) for x in result.row_status]  # every row, in (student, batch, rank) order
    assert statuses == [int(c.status) for sid in ("s1", "s2", "s3", "s4", "s5", "s6") for c in explain_student(result, sid).choices]


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "case")]) == 2  # --out missing
    assert main(["run", str(tmp_path / "missing"), "--out", str(tmp_path / "out")]) == 2
    assert "missing" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_router_reaches_this_command(tmp_path):
    from gaozhong.cli import main as router

    case = write(tmp_path / "case")
    assert router(["admissions", "run", str(case), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "results.csv").read_bytes() == RESULTS.encode()


def test_a_copy_of_the_case_elsewhere_gives_the_same_bytes(tmp_path):
    case = write(tmp_path / "case")
    shutil.copytree(case, tmp_path / "copy")
    assert run_cli(case, tmp_path / "o1") == 0 and run_cli(tmp_path / "copy", tmp_path / "o2") == 0
    for name in ("results.csv", "cutoffs.csv"):
        assert (tmp_path / "o1" / name).read_bytes() == (tmp_path / "o2" / name).read_bytes()


def test_a_case_without_preferences_places_nobody(tmp_path):
    case = write(tmp_path / "case", preferences_csv="student_id,batch,rank,program_id\n")
    assert run_cli(case, tmp_path / "out") == 0
    assert (tmp_path / "out" / "results.csv").read_text().splitlines()[1:] == [f"s{i},,," for i in range(1, 7)]
    assert (tmp_path / "out" / "cutoffs.csv").read_text().splitlines()[1:] == [
        "T1,1,0,,,", "Q1,2,0,,,", "A,5,0,,,", "B,2,0,,,"]  # T1's and Q1's seats rolled into A


def test_tables_in_memory_give_the_same_result_as_files(tmp_path):
    import io as _io

    import polars as pl

    from gaozhong.admissions.engine.output import cutoffs_csv, results_csv
    from gaozhong.admissions.engine.readcase import case_from_tables

    tables = [pl.read_csv(_io.StringIO(t), infer_schema=False) for t in (PROGRAMS, STUDENTS, PREFERENCES)]
    result = run_admission(case_from_tables(*tables, POLICY))
    assert results_csv(result) == RESULTS.encode() and cutoffs_csv(result) == CUTOFFS.encode()
    bad = tables[2].with_columns(pl.col("rank").replace("1", "0"))
    with pytest.raises(Exception) as info:
        case_from_tables(tables[0], tables[1], bad, POLICY)
    assert "preferences.csv:2: column rank:" in str(info.value)
