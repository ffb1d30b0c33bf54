"""Student ids that are whole numbers (the usual 考生号): preferences.csv reads them as numbers, which is faster,
but they are still compared as texts — ``+101``, ``0101`` or ``101.0`` are not the student ``101`` — and every
spelling the CSV rules allow (spaces, quotes, ``\\r\\n``, ``03`` for a batch) gives what the text reading gives."""

from __future__ import annotations

import re

import polars as pl
import pytest

from gaozhong.admissions.cli import main
from gaozhong.admissions.engine.csvread import load_csv
from gaozhong.admissions.engine.readprefs import parse_columns

from .test_admissions_cli import CUTOFFS, PREFERENCES, RESULTS, STUDENTS, write

NUMBER = {f"s{i}": str(100 + i) for i in range(1, 7)}  # s1 -> 101, …


def numeric(text: str) -> str:
    """The worked example with the student ids s1…s6 written as 101…106."""
    return re.sub(r"\bs[1-6]\b", lambda m: NUMBER[m.group(0)], text)


def run(tmp_path, capsys, name: str, **files: str) -> tuple[int, str, dict[str, str]]:
    case = write(tmp_path / name, **{"students_csv": numeric(STUDENTS), **files})
    out = tmp_path / f"{name}-out"
    code = main(["run", str(case), "--out", str(out)])
    outputs = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.csv")} if code == 0 else {}
    return code, capsys.readouterr().err, outputs


def test_numeric_ids_are_read_as_numbers_and_give_the_worked_example(tmp_path, capsys):
    code, err, outputs = run(tmp_path, capsys, "plain", preferences_csv=numeric(PREFERENCES))
    assert code == 0, err
    assert outputs == {"results.csv": numeric(RESULTS), "cutoffs.csv": CUTOFFS}
    f = load_csv(tmp_path / "plain" / "preferences.csv", "preferences.csv")
    assert parse_columns(f)["student_id"].dtype == pl.Int64  # the fast reading was taken


@pytest.mark.parametrize("spelling", ["+101", "0101", "101.0", "1010"])
def test_a_different_text_of_the_same_number_is_not_the_student(tmp_path, capsys, spelling):
    prefs = numeric(PREFERENCES).replace("101,3,1,A", f"{spelling},3,1,A")
    code, err, _ = run(tmp_path, capsys, "odd", preferences_csv=prefs)
    assert code == 2
    assert f"preferences.csv:3: column student_id: 未知的考生编号 “{spelling}” (unknown student_id)" in err


@pytest.mark.parametrize(
    "label, change",
    [
        ("spaces around an id", lambda t: t.replace("103,3,1,A", " 103 ,3,1,A")),
        ("a quoted id", lambda t: t.replace("103,3,1,A", '"103",3,1,A')),
        ("a batch written 03", lambda t: t.replace("103,3,1,A", "103,03,1,A")),
        ("a rank written +1", lambda t: t.replace("103,3,1,A", "103,3,+1,A")),
        ("line ends \\r\\n", lambda t: t.replace("\n", "\r\n")),
        ("no line break at the end", lambda t: t.rstrip("\n")),
        ("rows in another order", lambda t: "\n".join([t.splitlines()[0], *reversed(t.splitlines()[1:])]) + "\n"),
    ],
)
def test_other_spellings_give_the_same_result(tmp_path, capsys, label, change):
    code, err, outputs = run(tmp_path, capsys, "spelt", preferences_csv=change(numeric(PREFERENCES)))
    assert code == 0, f"{label}: {err}"
    assert outputs == {"results.csv": numeric(RESULTS), "cutoffs.csv": CUTOFFS}, label


def test_students_with_leading_zeros_are_matched_as_texts(tmp_path, capsys):
    students = numeric(STUDENTS).replace("101,J1", "0101,J1")
    prefs = numeric(PREFERENCES)
    code, err, _ = run(tmp_path, capsys, "zeros", students_csv=students, preferences_csv=prefs)
    assert code == 2  # the preferences name 101, which is not 0101
    assert "preferences.csv:2: column student_id: 未知的考生编号 “101” (unknown student_id)" in err
    code, err, outputs = run(tmp_path, capsys, "zeros-both", students_csv=students,
                             preferences_csv=prefs.replace("101,", "0101,"))
    assert code == 0, err
    assert outputs["results.csv"] == numeric(RESULTS).replace("101,", "0101,")
