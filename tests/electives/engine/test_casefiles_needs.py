"""The case writer the web app stores timetables with (read back by the command's own reader, byte for byte the
same on a second write), and the needs table the window page shows (counted again here by hand)."""

from __future__ import annotations

import math
from pathlib import Path

from gaozhong.electives.engine.casefiles import case_from_files, case_to_files
from gaozhong.electives.engine.feasibility import needs_table
from gaozhong.electives.engine.reading import read_case

from ..schoolgen import School
from .helpers import tiny_case


def test_written_case_reads_back_equal(tmp_path: Path):
    School(300, seed=4).write(tmp_path / "case")
    case = read_case(tmp_path / "case")
    files = case_to_files(case)
    again = case_from_files(files)
    assert again.calendar == case.calendar
    assert (again.subjects, again.admin_classes, again.students, again.teachers, again.rooms) == (
        case.subjects, case.admin_classes, case.students, case.teachers, case.rooms)
    assert case_to_files(again) == files


def test_needs_table_counts_by_hand(tmp_path: Path):
    School(300, seed=5).write(tmp_path / "case")
    case = read_case(tmp_path / "case")
    t = needs_table(case)
    n = len(case.students)
    for row in t.subjects:
        s = case.subject_by_id[row.subject]
        teachers = [x for x in case.teachers if s.id in x.subjects]
        assert row.teachers == len(teachers)
        if s.track == "core":
            assert (row.choosers, row.classes, row.periods) == (n, len(case.admin_classes), len(case.admin_classes) * s.periods)
            continue
        chose = sum(1 for st in case.students if s.id in st.electives)
        assert (row.choosers, row.xuekao) == (chose, n - chose if s.xuekao_periods else 0)
        cap = min(s.max_class_size, max(r.capacity for r in case.rooms if r.type == s.room_type))
        k1, k2 = math.ceil(chose / cap), math.ceil((n - chose) / cap) if s.xuekao_periods else 0
        assert row.classes == k1 + k2 and row.periods == k1 * s.periods + k2 * s.xuekao_periods
    free = case.calendar.n_slots - len(case.calendar.blocked)
    assert t.free_slots == free
    for r in t.rooms:
        assert r.room_slots == r.rooms * free
    assert sum(r.lessons for r in t.rooms) == sum(x.periods for x in t.subjects)
    assert t.conflicts == []


def test_needs_table_names_a_shortfall(tmp_path: Path):
    d = tiny_case(tmp_path / "c", teachers=[("T1", "yw", 2, ""), ("T2", "ty", 10, ""), ("T3", "wl;ls;hx", 30, "")])
    t = needs_table(read_case(d))
    yw = next(x for x in t.subjects if x.subject == "yw")
    assert yw.shortfall == yw.periods - 2 > 0
    assert any("T1" in c for c in t.conflicts)
