"""solve-fet refuses bad input (bad XML with its line, unsupported constraint types by name and count,
unknown names), exits 2 and writes nothing; students sets resolve to subgroups as FET does."""

from __future__ import annotations

import pytest

from gaozhong.common.errors import InputError
from gaozhong.electives.engine.fet.parse import SUPPORTED, parse_fet_text
from tests.electives.engine.helpers import run

from .helpers import act, c, fet


def test_bad_xml_names_line_and_reason(tmp_path):
    src = tmp_path / "in.fet"
    src.write_text("<?xml version=\"1.0\"?>\n<fet>\n<Days_List>\n</Hours_List>\n</fet>\n", encoding="utf-8")
    out = tmp_path / "out.fet"
    code, _, err = run(["solve-fet", str(src), "--out", str(out)])
    assert code == 2
    assert "in.fet:4" in err and "not well-formed" in err
    assert not out.exists()


def test_entities_are_refused(tmp_path):
    src = tmp_path / "in.fet"
    src.write_text('<?xml version="1.0"?>\n<!DOCTYPE fet [<!ENTITY x "aaaa">]>\n<fet>&x;</fet>\n', encoding="utf-8")
    code, _, err = run(["solve-fet", str(src), "--out", str(tmp_path / "o.fet")])
    assert code == 2 and "forbidden" in err


def test_unsupported_type_refused_with_count(tmp_path):
    odd = ("<ConstraintTeacherIntervalMaxDaysPerWeek><Weight_Percentage>100</Weight_Percentage><Teacher_Name>T1"
           "</Teacher_Name></ConstraintTeacherIntervalMaxDaysPerWeek>\n")
    text = fet(activities=act(1, ["T1"], ["Y1"]), time=odd * 3)
    src = tmp_path / "in.fet"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.fet"
    code, _, err = run(["solve-fet", str(src), "--out", str(out)])
    assert code == 2
    assert "ConstraintTeacherIntervalMaxDaysPerWeek × 3" in err
    assert not out.exists()
    assert "ConstraintTeacherIntervalMaxDaysPerWeek" not in SUPPORTED


def test_unsupported_even_when_inactive_is_named(tmp_path):
    odd = ("<ConstraintStudentsMinGapsBetweenOrderedPairOfActivityTags><Weight_Percentage>100</Weight_Percentage>"
           "<Active>false</Active></ConstraintStudentsMinGapsBetweenOrderedPairOfActivityTags>\n")
    with pytest.raises(InputError) as e:
        parse_fet_text(fet(activities=act(1, ["T1"], ["Y1"]), time=odd))
    assert "× 1" in str(e.value)


def test_unknown_names_listed_with_lines():
    text = fet(activities=act(1, ["Nobody"], ["Y9"]) + act(2, ["T1"], ["Y1"], subject="Music"))
    with pytest.raises(InputError) as e:
        parse_fet_text(text, "x.fet")
    msg = str(e.value)
    assert "Nobody" in msg and "Y9" in msg and "Music" in msg
    assert all(p.line and p.line > 1 for p in e.value.problems)


def test_constraint_with_unknown_activity_refused():
    text = fet(activities=act(1, ["T1"], ["Y1"]),
               time=c("ConstraintActivityPreferredStartingTime", Activity_Id=7, Preferred_Day="D1", Preferred_Hour="H1",
                      Permanently_Locked="false"))
    with pytest.raises(InputError) as e:
        parse_fet_text(text)
    assert "7" in str(e.value)


def test_students_sets_resolve_to_subgroups():
    years = ("<Year><Name>Y1</Name><Number_of_Students>30</Number_of_Students>"
             "<Group><Name>G1</Name><Number_of_Students>15</Number_of_Students>"
             "<Subgroup><Name>S1</Name><Number_of_Students>7</Number_of_Students></Subgroup>"
             "<Subgroup><Name>S2</Name><Number_of_Students>8</Number_of_Students></Subgroup></Group>"
             "<Group><Name>G2</Name><Number_of_Students>15</Number_of_Students></Group></Year>"
             "<Year><Name>Y2</Name><Number_of_Students>5</Number_of_Students></Year>")
    F = parse_fet_text(fet(years=years, activities=act(1, ["T1"], ["G1", "Y2"]) + act(2, ["T2"], ["Y1"], active=False)))
    assert F.sets["Y1"] == {"S1", "S2", "G2"}
    assert F.sets["G1"] == {"S1", "S2"} and F.sets["G2"] == {"G2"} and F.sets["Y2"] == {"Y2"}
    assert [a.id for a in F.activities] == [1]  # the inactive one is left out, as FET does
    assert F.activities[0].n_students == 20  # G1's 15 + Y2's 5


def test_virtual_rooms_refused():
    rooms = "<Room><Name>V</Name><Capacity>10</Capacity><Virtual>true</Virtual></Room>"
    with pytest.raises(InputError) as e:
        parse_fet_text(fet(activities=act(1, ["T1"], ["Y1"]), rooms=rooms))
    assert "virtual" in str(e.value)
