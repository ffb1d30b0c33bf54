"""The pure engine: catalog file, formulas, status and projection, leagues, validation rules, what-if, SVG charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from gaozhong.common.errors import InputError
from gaozhong.supervision.engine.catalog import DEFAULT_CATALOG, load_catalog, parse_catalog
from gaozhong.supervision.engine.compliance import Target, assess, meets, project
from gaozhong.supervision.engine.formula import evaluate
from gaozhong.supervision.engine.league import UnitStatuses, laggards, overall, rank
from gaozhong.supervision.engine.rules import check_rules
from gaozhong.supervision.engine.svgchart import Series, bar_chart, line_chart, nice_ticks
from gaozhong.supervision.engine.whatif import SchoolNow, what_if

# Every numeric target of policy-digest part B, as (indicator code, direction, target, deadline, source clause).
PART_B = [
    ("BE-01", "ge", 100, 2023, "002 §三(七)"), ("BE-02", "le", 0, 2023, "002 §三(七)"), ("BE-03", "le", 0, 2023, "002 §三(七)"),
    ("BE-04", "ge", 100, None, "002 §三(七)"), ("XE-01", "le", 0, 2025, "002 §三(七)"), ("XE-02", "le", 0, None, "002 §三(七)"),
    ("SS-01", "le", 12.5, 2023, "002 §三(三)"), ("JF-01", "ge", 1000, None, "002 §三(八)"),
    ("RX-01", "ge", 96, 2025, "002 §二"), ("RX-02", "ge", 95, 2025, "003 §三(二)3"), ("ZB-01", "ge", 50, None, "002 §三(一)"),
    ("GB-01", "eq", 18, 2025, "002 §三(五)"), ("GB-02", "ge", 12, 2025, "002 §三(五)"), ("GB-03", "ge", 6, 2025, "002 §三(五)"),
    ("GB-04", "ge", 6, 2025, "002 §三(五)"), ("JY-01", "ge", 100, None, "002 §三(二)"), ("JL-01", "gt", 15, None, "003 §三(五)"),
    ("YZ-01", "ge", 80, 2025, "003 §三(二)3"), ("YZ-02", "ge", 1, 2025, "003 §三(二)3"),
    ("YC-01", "gt", 10, 2022, "001 §二(一)"), ("YC-02", "gt", 600, 2022, "001 §二(一)"), ("YC-03", "gt", 800, 2022, "001 §二(一)"),
    ("YC-04", "gt", 80, 2022, "001 §二(一)"), ("YC-05", "ge", 100, 2022, "001 §二(一)"), ("YC-06", "gt", 20, 2022, "001 §二(二)"),
    ("YC-07", "gt", 70, 2022, "001 §二(二)"), ("YC-08", "gt", 40, 2022, "001 §二(二)"), ("YC-09", "gt", 70, 2022, "001 §二(二)"),
    ("JK-01", "drop", 1, 2025, "003 §三(一)7"), ("JK-02", "ge", 25, 2025, "003 §三(一)7"), ("XL-01", "ge", 100, None, "003 §三(一)7"),
    ("XL-02", "ge", 100, None, "003 §三(一)7"), ("AF-01", "ge", 100, 2025, "002 §三(九)"), ("AF-02", "ge", 1, 2023, "002 §三(九)"),
    ("AF-03", "ge", 100, 2025, "002 §三(九)"), ("AF-04", "ge", 100, 2020, "000 §11"), ("AF-05", "ge", 100, 2020, "000 §11"),
    ("AF-06", "ge", 100, 2020, "000 §11"), ("ZJ-01", "ge", 1_000_000, None, "000 §5"), ("ZJ-02", "ge", 2_000_000, None, "001 §四(三)"),
    ("MB-01", "lt", None, None, "000 §12"), ("YE-01", "ge", 85, 2021, "004 §15"), ("YE-02", "ge", 93, 2025, "003 §三(二)1"),
]


def test_the_catalog_file_holds_every_part_b_target():
    cat = load_catalog()
    assert cat.version and DEFAULT_CATALOG.exists()
    got = {c: (i.direction, i.target, i.deadline, i.source_clause) for c, i in cat.indicators.items()}
    for code, direction, target, deadline, clause in PART_B:
        assert got[code] == (direction, None if target is None else float(target), deadline, clause), code
    for ind in cat.indicators.values():
        assert ind.name_zh and ind.name_en and ind.definition
        assert ind.numerator in cat.elements and (ind.denominator is None or ind.denominator in cat.elements)
    # Ratios say in words what they count: 师生比 names the staff it counts.
    assert "专任教师" in cat.indicators["SS-01"].definition and "不含校长" in cat.indicators["SS-01"].definition


def test_a_wrong_catalog_lists_every_problem():
    text = '''
catalog_version = "t"
[[element]]
code = "a"
name_zh = "甲"
name_en = "A"
level = "school"
source = "reported"
[[indicator]]
code = "X-1"
name_zh = "x"
name_en = "x"
source_clause = "002 §三(七)"
definition = "d"
scope = "county"
numerator = "a"
direction = "about"
[[indicator]]
code = "X-2"
name_zh = "x"
name_en = "x"
source_clause = "c"
definition = "d"
scope = "school"
numerator = "nope"
direction = "ge"
target = 1
'''
    with pytest.raises(InputError) as e:
        parse_catalog(text, name="bad.toml")
    text_out = str(e.value)
    assert "indicator[0] (X-1)" in text_out and "direction" in text_out
    assert "由下级单位填报" in text_out  # a county indicator over a school-reported element
    assert "indicator[1] (X-2)" in text_out and "“nope” 不是已定义的数据项" in text_out


def test_formula_pools_units_and_skips_missing_ones():
    ev = evaluate("ok", "all", 100, [{"ok": 3, "all": 4}, {"ok": 1, "all": 4}, {"ok": None, "all": 5}])
    assert (ev.value, ev.covered, ev.units) == (50.0, 2, 3)
    assert evaluate("n", None, 1, [{"n": 2}, {"n": 5}]).value == 7.0
    assert evaluate("ok", "all", 100, [{"ok": 0, "all": 0}]).value is None
    assert evaluate("ok", "all", 100, []).value is None


@pytest.mark.parametrize("direction,value,target,expected", [
    ("le", 12.5, 12.5, True), ("le", 12.6, 12.5, False), ("lt", 5, 5, False), ("ge", 96, 96, True), ("ge", 95.9, 96, False),
    ("gt", 15, 15, False), ("gt", 15.1, 15, True), ("eq", 18, 18, True), ("eq", 17, 18, False),
])
def test_meets_each_direction(direction, value, target, expected):
    assert meets(direction, value, target) is expected


def test_projection_is_a_least_squares_line_to_the_deadline():
    t = Target("ge", 100, 2025, percent=True)
    p = project({2020: 10, 2021: 12, 2022: 14}, up_to=2022, to_year=2025, target=t)
    assert p.slope == pytest.approx(2.0) and p.value == pytest.approx(20.0) and p.points == 3 and not p.meets
    # Only the last five points count, and never a point after the year judged.
    p = project({2015: 0, 2016: 90, 2017: 91, 2018: 92, 2019: 93, 2020: 94, 2021: 0}, up_to=2020, to_year=2022, target=t)
    assert p.years == (2016, 2017, 2018, 2019, 2020) and p.slope == pytest.approx(1.0) and p.value == pytest.approx(96.0)
    # Rates are clipped to 100.
    assert project({2020: 80, 2021: 95, 2022: 110}, up_to=2022, to_year=2030, target=t).value == 100.0
    assert project({2021: 1, 2022: 2}, up_to=2022, to_year=2025, target=t) is None


def test_status_rules():
    t = Target("ge", 100, 2023, percent=True)
    assert assess({2022: 100}, 2022, t).status == "met"
    assert assess({2021: 80, 2022: 90}, 2022, t).status == "not_met"  # two points: no projection
    on = assess({2020: 80, 2021: 90, 2022: 95}, 2022, t)
    assert on.status == "on_track" and on.projection.value == pytest.approx(100.0)
    risk = assess({2020: 80, 2021: 85, 2022: 90}, 2022, t)
    assert risk.status == "at_risk" and risk.projection.value == pytest.approx(95.0)
    assert assess({2020: 80, 2021: 90, 2022: 95, 2023: 99}, 2023, t).status == "missed"  # the deadline year counts
    assert assess({2024: 99}, 2024, Target("ge", 100, None)).status == "missed"  # in force every year
    assert assess({2024: None}, 2024, t).status == "no_data"
    assert assess({2024: 5}, 2024, Target("lt", None, None)).status == "no_target"


def test_drop_targets_compare_with_the_year_before():
    t = Target("drop", 1, 2025, percent=True)
    assert assess({2021: 72.0, 2022: 70.9}, 2022, t).status == "met"
    assert assess({2022: 70.9}, 2022, t).status == "no_data"
    slow = assess({2020: 72.3, 2021: 71.5, 2022: 70.9}, 2022, t)
    assert slow.status == "at_risk" and slow.projection.slope == pytest.approx(-0.7)
    fast = assess({2020: 75.0, 2021: 73.0, 2022: 72.5}, 2022, t)  # this year -0.5, but the line falls 1.25 a year
    assert fast.status == "on_track"


def test_league_ranks_in_the_targets_direction_with_shared_ranks():
    ranked = rank({"a": 10.0, "b": 12.0, "c": 10.0, "d": None}, "le")
    assert [(r.rank, r.key) for r in ranked] == [(1, "a"), (1, "c"), (3, "b")]
    assert [r.key for r in rank({"a": 10.0, "b": 12.0}, "ge")] == ["b", "a"]
    assert [r.key for r in rank({"a": 17.0, "b": 19.0, "c": 18.0}, "eq", 18)] == ["c", "a", "b"]


def test_overall_league_and_laggards():
    units = [
        UnitStatuses("x", "甲", {"A": "met", "B": "met", "C": "missed"}),
        UnitStatuses("y", "乙", {"A": "met", "B": "met", "C": "met", "D": "no_data"}),
        UnitStatuses("z", "丙", {"A": "at_risk", "B": "missed", "C": "missed"}),
    ]
    table = overall(units)
    assert [(r.key, r.rank, r.met, r.judged) for r in table] == [("y", 1, 3, 3), ("x", 2, 2, 3), ("z", 3, 0, 3)]
    lag = laggards(units)
    assert [(lg.key, lg.missed, lg.at_risk) for lg in lag] == [("z", ("B", "C"), ("A",)), ("x", ("C",), ())]


def _rules_and_elements():
    cat = load_catalog()
    return cat.rules, cat.elements


def test_rules_compare_reported_with_computed_values():
    rules, elements = _rules_and_elements()
    ok = {"staff_posts": 10, "teachers_bianzhi": 10, "gates_total": 2, "gates_face_networked": 2}
    assert check_rules(rules, elements, level="school", values=ok, previous={}, comment="") == []
    bad = check_rules(rules, elements, level="school", values={**ok, "teachers_bianzhi": 11, "gates_face_networked": 3}, previous={}, comment="")
    assert {(v.rule, v.element) for v in bad} == {("R01", "staff_posts"), ("R02", "gates_face_networked")}
    eq = check_rules(rules, elements, level="city", values={"senior_stage_students": 100, "students_enrolled": 60, "vocational_students": 30},
                     previous={}, comment="")
    assert [(v.rule, v.element) for v in eq] == [("R12", "senior_stage_students")]


def test_a_change_over_30_percent_needs_a_comment():
    rules, elements = _rules_and_elements()
    values = {"staff_posts": 140, "gates_total": 2, "canteen_it_ok": 1.0}
    previous = {"staff_posts": 100, "gates_total": 2, "canteen_it_ok": 0.0}
    found = check_rules(rules, elements, level="school", values=values, previous=previous, comment="")
    assert [(v.rule, v.element) for v in found] == [("R90", "staff_posts")]  # yes/no items are not judged by size
    assert "+40.0%" in found[0].reason
    assert check_rules(rules, elements, level="school", values=values, previous=previous, comment="新校区启用") == []
    assert check_rules(rules, elements, level="school", values={"staff_posts": 130}, previous={"staff_posts": 100}, comment="") == []


def test_what_if_counts_classes_and_teachers_needed():
    w = what_if(SchoolNow("s", "甲", grade_students=(600, 560, 540), classes=30, teachers=120, planned_intake=700))
    assert w.next_students == (700, 600, 560)
    assert w.classes_needed == 13 + 11 + 11 and w.new_classes_g1 == 13 and w.class_gap == 5
    assert w.teachers_needed == 149 and w.teacher_gap == 29  # ⌈1860 ÷ 12.5⌉ = ⌈148.8⌉
    with pytest.raises(ValueError):
        what_if(SchoolNow("s", "甲", (1, 1, 1), 1, 1, -1))


def test_svg_charts_are_well_formed_and_carry_their_labels():
    svg = bar_chart("班额", ["2022-2023", "2023-2024"], [Series("≤55人", [10, 12]), Series("大班额", [5, 1])], stacked=True, target=20)
    root = ET.fromstring(svg)
    texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "2022-2023" in texts and "大班额" in texts and "目标 20" in texts
    assert len([r for r in root.iter("{http://www.w3.org/2000/svg}rect")]) >= 1 + 4
    line = ET.fromstring(line_chart("趋势", ["2022-2023", "2023-2024", "2024-2025"], [Series("x", [1, 2, 3])], target=5, projection=(2, 3, 4, 5)))
    labels = [t.text for t in line.iter("{http://www.w3.org/2000/svg}text")]
    assert "2026-2027" in labels and "趋势预测" in labels  # the axis reaches the deadline year
    assert nice_ticks(0, 97)[-1] >= 97 and nice_ticks(0, 97)[0] == 0
