"""Bad input (issue 6 §1): exit 2, every problem named with file, line (header = 1), column and reason, and an
existing OUT left byte-identical."""

from __future__ import annotations


import pytest

from gaozhong.admissions.cli import main

from .test_admissions_cli import POLICY, PREFERENCES, PROGRAMS, STUDENTS, write

P, S, F = PROGRAMS, STUDENTS, PREFERENCES

# (id, files to write, expected fragments of stderr: "file:line: column col:" and a reason word)
CASES = [
    ("unknown student in preferences", {"preferences_csv": F + "s9,3,1,A\n"},
     ["preferences.csv:17: column student_id:", "unknown student_id"]),
    ("unknown program in preferences", {"preferences_csv": F.replace("s6,3,1,B", "s6,3,1,Z")},
     ["preferences.csv:16: column program_id:", "unknown program_id"]),
    ("unknown rollover target", {"programs_csv": P.replace("H1,1,1,,,,talent_score,A", "H1,1,1,,,,talent_score,ZZ")},
     ["programs.csv:2: column rollover_to:", "unknown program_id"]),
    ("rollover to the same batch", {"programs_csv": P.replace("A,H1,3,2,,,,,", "A,H1,3,2,,,,,B")},
     ["programs.csv:4: column rollover_to:", "not later"]),
    ("rollover to an earlier batch", {"programs_csv": P.replace("A,H1,3,2,,,,,", "A,H1,3,2,,,,,T1")},
     ["programs.csv:4: column rollover_to:", "not later"]),
    ("duplicate student", {"students_csv": S + "s3,J2,郊区,1,1,1,,9,x\n"},
     ["students.csv:8: column student_id:", "first on line 4"]),
    ("duplicate program", {"programs_csv": P + "A,H3,3,1,,,,,\n"},
     ["programs.csv:6: column program_id:", "first on line 4"]),
    ("duplicate rank", {"preferences_csv": F + "s3,3,2,T1\n".replace("T1", "A")},
     ["preferences.csv:", "column rank:", "this rank"]),
    ("same program twice in a batch", {"preferences_csv": F + "s6,3,2,B\n"},
     ["preferences.csv:17: column program_id:", "twice"]),
    ("program of another batch", {"preferences_csv": F + "s6,2,2,A\n"},
     ["preferences.csv:17: column batch:", "belongs to batch 3"]),
    ("non-numeric score", {"students_csv": S.replace("600.5", "六百")},
     ["students.csv:4: column score:", "not a number"]),
    ("negative score", {"students_csv": S.replace("600.5", "-600.5")},
     ["students.csv:4: column score:", "negative"]),
    ("negative capacity", {"programs_csv": P.replace("A,H1,3,2", "A,H1,3,-2")},
     ["programs.csv:4: column capacity:", "non-negative whole number"]),
    ("fractional batch", {"programs_csv": P.replace("A,H1,3,2", "A,H1,3.5,2")},
     ["programs.csv:4: column batch:", "non-negative whole number"]),
    ("non-numeric rank", {"preferences_csv": F.replace("s3,3,1,A", "s3,3,一,A")},
     ["preferences.csv:7: column rank:", "whole number"]),
    ("rank zero", {"preferences_csv": F.replace("s3,3,1,A", "s3,3,0,A")},
     ["preferences.csv:7: column rank:", "≥ 1"]),
    ("negative lottery", {"students_csv": S.replace(",3,王五", ",-3,王五")},
     ["students.csv:4: column lottery:", "non-negative whole number"]),
    ("duplicate lottery", {"students_csv": S.replace(",3,王五", ",5,王五")},
     ["students.csv:4: column lottery:", "first on line 2"]),
    ("missing program column", {"programs_csv": P.replace(",rollover_to", "")},
     ["programs.csv:1: column rollover_to:", "required column is missing"]),
    ("missing student column", {"students_csv": S.replace("lottery", "lotto")},
     ["students.csv:1: column lottery:", "required column is missing"]),
    ("unknown preference column", {"preferences_csv": F.replace("program_id", "programme")},
     ["preferences.csv:1: column programme:", "unknown column"]),
    ("tie-break column that does not exist", {"policy_toml": 'tiebreak = ["cme", "maths"]\n'},
     ["policy.toml:1: column tiebreak:", "no column 'maths'"]),
    ("tie-break column with an empty value", {"students_csv": S.replace("s3,J2,郊区,600.5,250", "s3,J2,郊区,600.5,")},
     ["students.csv:4: column cme:", "missing"]),
    ("rank_by column that does not exist", {"programs_csv": P.replace("talent_score,A", "talent,A")},
     ["programs.csv:2: column rank_by:", "no column 'talent'"]),
    ("empty score", {"students_csv": S.replace("600.5", "")},
     ["students.csv:4: column score:", "missing"]),
    ("row with too few fields", {"students_csv": S.replace("s4,J2,开发区,650.0,300,130,,2,赵六", "s4,J2,开发区,650.0")},
     ["students.csv:5:", "fields"]),
    ("row with too many fields", {"preferences_csv": F.replace("s3,3,1,A", "s3,3,1,A,B")},
     ["preferences.csv:7:", "fields"]),
    ("a blank line keeps the next record's own line", {"programs_csv": P.replace("A,H1,3,2", "\nA,H1,3,x")},
     ["programs.csv:5: column capacity:", "non-negative whole number"]),
    ("blank records before a bad preference", {"preferences_csv": F.replace("s3,3,1,A", "\n,,,\n  ,\t,,\u3000\ns3,3,0,A")},
     ["preferences.csv:10: column rank:", "≥ 1"]),
    ("a row of spaces among students", {"students_csv": S.replace("s3,", " , , , , , , , ,\ns3,").replace("600.5", "六百")},
     ["students.csv:5: column score:", "not a number"]),
    ("unknown policy setting", {"policy_toml": POLICY + "tiebreaks = []\n"},
     ["policy.toml:2: column tiebreaks:", "unknown setting"]),
    ("bad mechanism", {"policy_toml": POLICY + 'mechanism = "boston"\n'},
     ["policy.toml:2: column mechanism:"]),
    ("first_choice_first without band_width", {"policy_toml": POLICY + 'mechanism = "first_choice_first"\n'},
     ["policy.toml:2: column band_width:", "needs band_width"]),
    ("band_width that is not positive", {"policy_toml": POLICY + 'mechanism = "first_choice_first"\nband_width = 0\n'},
     ["policy.toml:3: column band_width:", "not a positive number"]),
    ("invalid TOML", {"policy_toml": "tiebreak = [\n"}, ["policy.toml:", "invalid TOML"]),
    ("empty counties item", {"programs_csv": P.replace("城区; 郊区", "城区;;郊区")},
     ["programs.csv:5: column counties:", "empty item"]),
    ("score with too many digits", {"students_csv": S.replace("600.5", "600.1234567890123")},
     ["students.csv:4: column score:", "significant digits"]),
    ("undecodable file", {"students_csv": "UNDECODABLE"}, ["students.csv:", "GB18030"]),
]


@pytest.mark.parametrize("files,fragments", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named_and_nothing_is_written(tmp_path, capsys, files, fragments):
    undecodable = files.get("students_csv") == "UNDECODABLE"
    case = write(tmp_path / "case", **{k: v for k, v in files.items() if v != "UNDECODABLE"})
    if undecodable:
        (case / "students.csv").write_bytes(STUDENTS.encode("utf-8")[:60] + b"\xff\xfe\xfa\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.csv").write_bytes(b"previous results\n")
    (out / "cutoffs.csv").write_bytes(b"previous cutoffs\n")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(["run", str(case), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    for fragment in fragments:
        assert fragment in err, err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_every_problem_is_listed_at_once(tmp_path, capsys):
    case = write(
        tmp_path / "case",
        programs_csv=P.replace("A,H1,3,2", "A,H1,3,x"),
        students_csv=S.replace("600.5", "abc").replace("499.5", "-1"),
        preferences_csv=F + "s9,3,1,A\n",
        policy_toml='tiebreak = ["cme", "nope"]\n',
    )
    assert main(["run", str(case), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ":" in ln and not ln.startswith("输入有误")]
    files = [ln.split(":")[0] for ln in lines]
    assert files == sorted(files, key=["policy.toml", "programs.csv", "students.csv", "preferences.csv"].index)
    for fragment in ("policy.toml:1: column tiebreak:", "programs.csv:4: column capacity:",
                     "students.csv:4: column score:", "students.csv:7: column score:"):
        assert fragment in err
    assert not (tmp_path / "out").exists()


def test_missing_files_are_all_named(tmp_path, capsys):
    case = tmp_path / "case"
    case.mkdir()
    (case / "programs.csv").write_text(PROGRAMS)
    assert main(["run", str(case), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    for name in ("students.csv", "preferences.csv", "policy.toml"):
        assert f"{name}: 文件不存在 (file not found)" in err


def test_a_wholly_wrong_file_lists_a_bounded_number_of_problems(tmp_path, capsys):
    prefs = "student_id,batch,rank,program_id\n" + "".join(f"x{i},3,1,A\n" for i in range(500))
    case = write(tmp_path / "case", preferences_csv=prefs)
    assert main(["run", str(case), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "preferences.csv:2: column student_id:" in err
    assert "300 more problems not listed" in err


def test_quoted_line_breaks_keep_line_numbers_physical(tmp_path, capsys):
    students = S.replace("张三", '"张\n三"') + "s7,J1,城区,abc,1,1,,7,x\n"
    case = write(tmp_path / "case", students_csv=students)
    assert main(["run", str(case), "--out", str(tmp_path / "out")]) == 2
    assert "students.csv:9: column score:" in capsys.readouterr().err


@pytest.mark.parametrize("blank", ["\n", ",,,,,,,,\n", " ,\t, , ,\u3000, , , ,\n", "\r\n"])
def test_blank_records_anywhere_are_skipped_and_change_nothing(tmp_path, blank):
    """The platform's CSV rule: a record of empty or space-only fields is skipped, between records or at the end."""
    plain = write(tmp_path / "plain")
    assert main(["run", str(plain), "--out", str(tmp_path / "plain-out")]) == 0
    def spaced(text: str) -> str:
        lines = text.splitlines(keepends=True)
        return lines[0] + blank + "".join(line + blank for line in lines[1:]) + blank * 2
    gappy = write(tmp_path / "gappy", programs_csv=spaced(P), students_csv=spaced(S), preferences_csv=spaced(F))
    assert main(["run", str(gappy), "--out", str(tmp_path / "gappy-out")]) == 0
    for name in ("results.csv", "cutoffs.csv"):
        assert (tmp_path / "gappy-out" / name).read_bytes() == (tmp_path / "plain-out" / name).read_bytes()
