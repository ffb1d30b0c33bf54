"""The placement chooses the teachers of 走班 blocks together with their slots (issue 19 §1): a teacher is free in
all of a block's slots, takes one class of a block, and is never in two blocks that run at once; with the slots
fixed, classes no teacher can take are counted instead of failing."""

from __future__ import annotations

import pytest

from gaozhong.electives.engine.placement import PlacementFailure, Unit, place_and_staff
from gaozhong.electives.engine.reading import read_case

from .helpers import tiny_case


def _case(tmp_path):
    # One day of four periods. Physics teacher T4 is away in periods 1–2, T7 in periods 3–4.
    return read_case(tiny_case(tmp_path / "case", days=1, periods=4, blocked="[]", per_day=4, teachers=[
        ("T1", "yw", 10, ""), ("T2", "yw", 10, ""), ("T3", "ty", 10, ""), ("T4", "wl", 12, "1:1;1:2"),
        ("T5", "ls", 12, ""), ("T6", "hx", 10, ""), ("T7", "wl;ls", 8, "1:3;1:4"),
    ]))


def _units():
    # Two blocks of different admin classes, each with one physics class of 2 lessons and its teacher open; A1's
    # core class fills A1's other two periods.
    return [
        Unit("B0", 2, (), ("A1",), [("lab", 20)], open_classes=[("wl-X01", "wl", 2)]),
        Unit("B1", 2, (), ("A2",), [("lab", 20)], open_classes=[("wl-X02", "wl", 2)]),
        Unit("A1-yw", 2, ("T1",), ("A1",), [], "R1"),
    ]


def test_teachers_are_chosen_with_the_slots(tmp_path):
    case = _case(tmp_path)
    # A wrong hint (both classes to T4) does not stop the model from finding the only way.
    placed, staffed = place_and_staff(case, _units(), time_limit=10, seed=1, fixed_load={"T1": 2},
                                      staff_hint={"wl-X01": "T4", "wl-X02": "T4"})
    assert set(staffed) == {"wl-X01", "wl-X02"}
    assert staffed["wl-X01"] != staffed["wl-X02"]  # the blocks share the only lab, so they run at different times
    for key, cid in (("B0", "wl-X01"), ("B1", "wl-X02")):
        teacher = case.teacher_by_id[staffed[cid]]
        assert not set(placed[key]) & teacher.unavailable, (key, placed[key], teacher)
    assert not set(placed["B0"]) & set(placed["A1-yw"])


def test_fixed_slots_count_the_classes_no_teacher_can_take(tmp_path):
    case = read_case(tiny_case(tmp_path / "case", days=1, periods=4, blocked="[]", per_day=4, teachers=[
        ("T1", "yw", 10, ""), ("T2", "yw", 10, ""), ("T3", "ty", 10, ""), ("T4", "wl", 12, "1:1;1:2"),
        ("T5", "ls", 12, ""), ("T6", "hx", 10, ""), ("T7", "wl;ls", 8, "1:3;1:4"),
    ], rooms=[("R1", "normal", 25), ("R2", "normal", 25), ("F1", "field", 60), ("L1", "lab", 30), ("L2", "lab", 30)]))
    units = _units()
    # Both blocks in periods 1–2: only T7 is free then, and a teacher cannot be in two blocks at once.
    fixed = {"B0": {0, 1}, "B1": {0, 1}, "A1-yw": {2, 3}}
    placed, staffed = place_and_staff(case, units, time_limit=10, seed=1, fixed_load={"T1": 2}, fixed_slots=fixed,
                                      soft=True, workers=1)
    assert {k: set(v) for k, v in placed.items()} == fixed
    assert list(staffed.values()) == ["T7"]
    # Without the soft count the same slots are no placement at all.
    with pytest.raises(PlacementFailure):
        place_and_staff(case, units, time_limit=10, seed=1, fixed_load={"T1": 2}, fixed_slots=fixed, workers=1)


def test_overlapping_blocks_need_teachers_free_in_either(tmp_path):
    """Two blocks of different admin classes that share a slot need distinct teachers. In periods 1 and 4 each
    slot has two physics teachers free (T7 and T8, then T4 and T8) and each block one teacher free in both
    (T8), but the two blocks together have only T8: the relaxed placement refuses those slots (Hall's condition
    on the union of the two blocks' classes) and otherwise finds slots that the staffing then fills."""
    case = read_case(tiny_case(tmp_path / "case", days=1, periods=4, blocked="[]", per_day=4, teachers=[
        ("T1", "yw", 10, ""), ("T2", "yw", 10, ""), ("T3", "ty", 10, ""), ("T4", "wl", 12, "1:1"),
        ("T5", "ls", 12, ""), ("T6", "hx", 10, ""), ("T7", "wl", 8, "1:4"), ("T8", "wl", 8, ""),
    ], rooms=[("R1", "normal", 25), ("R2", "normal", 25), ("F1", "field", 60), ("L1", "lab", 30), ("L2", "lab", 30)]))
    units = _units()[:2]
    with pytest.raises(PlacementFailure) as caught:
        place_and_staff(case, units, time_limit=10, seed=1, fixed_slots={"B0": {0, 3}, "B1": {0, 3}}, relaxed=True, workers=1)
    assert caught.value.proven
    # The per-slot and per-block conditions alone accept them: with one of the blocks moved by a slot they hold.
    found, _ = place_and_staff(case, units, time_limit=10, seed=1, relaxed=True, workers=1)
    placed, staffed = place_and_staff(case, units, time_limit=10, seed=1, fixed_slots={k: set(v) for k, v in found.items()},
                                      soft=True, workers=1)
    assert set(staffed) == {"wl-X01", "wl-X02"}
