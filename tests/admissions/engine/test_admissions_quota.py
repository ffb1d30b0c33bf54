"""指标到校 split (issue 6 §2; seed 002 §三(一), 优质普通高中指标到校不低于 50%) through ``split-quota``."""

from __future__ import annotations

import csv
import io
import math
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gaozhong.admissions.cli import main
from gaozhong.admissions.engine.quotas import JuniorSchool, QuotaSchool, allocate_quotas

SCHOOLS = """school_id,county,plan,quality,scope
G1,甲县,10,yes,county
G2,乙县,10,yes,county
G3,丙县,4,yes,county
G4,丁县,100,yes,county
G5,甲县,300,no,
G6,戊县,80,yes,county
"""
# G1: Q = 7 over A,B,C (10 each, B weak) and D (20): floors 1,1,1,2; B (weak) first, then D (remainder .8).
# G2: Q = 5 over U (7), V (1), W (2): floors 3,0,1; U and V tie on remainder .5; V has fewer graduates.
# G3: Q = 2 over Y2 (1), Y1 (1), Z (2): floors 0,0,1; Y1 and Y2 tie on everything but the id.
# G4: Q = ceil(0.55 x 100) = 55 exactly over K (1 graduate).
# G6: no junior school in 戊县 has graduates: no rows and a warning.
JUNIORS = """junior_school_id,county,graduates,weak
A,甲县,10,no
B,甲县,10,是
C,甲县,10,no
D,甲县,20,no
U,乙县,7,no
V,乙县,1,no
W,乙县,2,no
Y2,丙县,1,no
Y1,丙县,1,no
Z,丙县,2,no
K,丁县,1,no
E,戊县,0,yes
"""


def write(d: Path, schools: str = SCHOOLS, juniors: str = JUNIORS, encoding: str = "utf-8") -> Path:
    d.mkdir(parents=True, exist_ok=True)
    (d / "schools.csv").write_bytes(schools.encode(encoding))
    (d / "juniors.csv").write_bytes(juniors.encode(encoding))
    return d


def split(d: Path, out: Path, *extra: str) -> int:
    return main(["split-quota", str(d), "--out", str(out), *extra])


def test_it_splits_with_every_tie_rule(tmp_path, capsys):
    d = write(tmp_path / "in")
    assert split(d, tmp_path / "quotas.csv", "--share", "0.7") == 0
    # G1 7, G2 7 (ceil 0.7 x 10), G3 ceil(2.8) = 3, G4 70, G6 56 unsplit
    text = (tmp_path / "quotas.csv").read_text("utf-8")
    assert text.splitlines()[0] == "school_id,junior_school_id,seats"
    rows = [tuple(r) for r in csv.reader(io.StringIO(text))][1:]
    assert rows[:4] == [("G1", "A", "1"), ("G1", "B", "2"), ("G1", "C", "1"), ("G1", "D", "3")]
    err = capsys.readouterr().err
    assert "G6" in err and "warning" in err
    assert not any(r[0] in ("G5", "G6") for r in rows)


def test_remainder_ties_go_to_fewer_graduates_then_the_smaller_id(tmp_path):
    d = write(tmp_path / "in")
    assert split(d, tmp_path / "q.csv", "--share", "0.5") == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "q.csv").read_text())))[1:]
    g2 = {j: int(s) for g, j, s in rows if g == "G2"}
    g3 = {j: int(s) for g, j, s in rows if g == "G3"}
    assert g2 == {"U": 3, "V": 1, "W": 1}
    assert g3 == {"Y1": 1, "Z": 1}  # Y2 ties with Y1 on everything but the id: 0 seats, no row
    assert [j for g, j, _ in rows if g == "G3"] == ["Y1", "Z"]  # juniors.csv order, seats > 0 only


def test_share_times_plan_is_exact(tmp_path):
    d = write(tmp_path / "in")
    assert split(d, tmp_path / "q.csv", "--share", "0.55") == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "q.csv").read_text())))[1:]
    assert [r for r in rows if r[0] == "G4"] == [["G4", "K", "55"]]  # float ceil would give 56
    assert math.ceil(0.55 * 100) == 56


def test_min_seats_first_then_in_proportion(tmp_path, capsys):
    juniors = "junior_school_id,county,graduates,weak\nA,甲县,1,no\nB,甲县,99,no\n"
    schools = "school_id,county,plan,quality,scope\nG1,甲县,20,yes,county\n"
    d = write(tmp_path / "in", schools, juniors)
    assert split(d, tmp_path / "q.csv", "--share", "0.5", "--min-seats", "2") == 0
    # Q = 10: 2 each first; the other 6 by graduates: A 0.06 -> 0, B 5.94 -> 5; the last seat to the larger
    # remainder (B).
    assert (tmp_path / "q.csv").read_text() == "school_id,junior_school_id,seats\nG1,A,2\nG1,B,8\n"
    assert split(d, tmp_path / "q2.csv", "--share", "0.5", "--min-seats", "6") == 0  # 6 x 2 > 10: not applied
    assert (tmp_path / "q2.csv").read_text() == "school_id,junior_school_id,seats\nG1,B,10\n"
    assert "min-seats" in capsys.readouterr().err


def test_city_scope_reaches_every_county(tmp_path):
    schools = "school_id,county,plan,quality,scope\nG1,甲县,8,yes,city\n"
    juniors = "junior_school_id,county,graduates,weak\nA,甲县,1,no\nB,乙县,1,no\nC,丙县,0,no\n"
    d = write(tmp_path / "in", schools, juniors, encoding="gb18030")
    assert split(d, tmp_path / "q.csv", "--share", "0.5") == 0
    assert (tmp_path / "q.csv").read_text() == "school_id,junior_school_id,seats\nG1,A,2\nG1,B,2\n"


def test_bad_input_names_the_problem_and_leaves_out_alone(tmp_path, capsys):
    out = tmp_path / "q.csv"
    out.write_bytes(b"old\n")
    d = write(tmp_path / "in")
    for args, fragment in (
        (["--share", "0.4"], "seed 002"),
        (["--share", "half"], "--share"),
        (["--share", "0.5", "--min-seats", "-1"], "--min-seats"),
    ):
        assert split(d, out, *args) == 2
        assert fragment in capsys.readouterr().err
    bad = write(tmp_path / "bad", SCHOOLS.replace("G2,乙县,10,yes", "G2,乙县,-10,maybe") + "G1,甲县,1,no,\n",
                JUNIORS.replace("A,甲县,10,no", "A,甲县,ten,no").replace("weak", "weakness"))
    assert split(bad, out, "--share", "0.5") == 2
    err = capsys.readouterr().err
    for fragment in ("schools.csv:3: column plan:", "schools.csv:3: column quality:", "schools.csv:8: column school_id:",
                     "juniors.csv:1: column weak:"):
        assert fragment in err
    assert out.read_bytes() == b"old\n"


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 400), st.booleans()), min_size=1, max_size=8),
    st.integers(0, 300),
    st.sampled_from(["0.5", "0.55", "0.6", "0.75", "1"]),
    st.integers(0, 3),
)
def test_seats_add_up_and_follow_the_rule(juniors, plan, share_text, min_seats):
    share = Fraction(share_text)
    js = [JuniorSchool(f"J{i}", "X", g, w) for i, (g, w) in enumerate(juniors)]
    result = allocate_quotas([QuotaSchool("G", "X", plan, True, "county")], js, share, min_seats)
    q = -((-share.numerator * plan) // share.denominator)
    eligible = [j for j in js if j.graduates > 0]
    seats = {r.junior_school_id: r.seats for r in result.rows}
    if not eligible or q == 0:
        assert seats == {}
        return
    assert sum(seats.values()) == q and all(s > 0 for s in seats.values())
    assert set(seats) <= {j.junior_school_id for j in eligible}
    base = min_seats if min_seats and q >= min_seats * len(eligible) else 0
    rest = q - base * len(eligible)
    total = sum(j.graduates for j in eligible)
    extra = {}
    for j in eligible:
        exact = Fraction(rest * j.graduates, total)
        got = seats.get(j.junior_school_id, 0) - base
        assert got in (math.floor(exact), math.floor(exact) + 1)
        extra[j.junior_school_id] = (got - math.floor(exact), (not j.weak, -(exact - math.floor(exact)), j.graduates, j.junior_school_id))
    winners = [k for k, (e, _) in extra.items() if e == 1]
    losers = [k for k, (e, _) in extra.items() if e == 0]
    for w in winners:
        for loser in losers:
            assert extra[w][1] < extra[loser][1]
