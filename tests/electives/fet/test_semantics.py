"""Each supported FET constraint, on a small file where it matters: the solver's timetable obeys it (checked
here directly and by the independent checker), and the checker flags a timetable that breaks it."""

from __future__ import annotations

from pathlib import Path

import pytest

from gaozhong.common.errors import InputError
from gaozhong.electives.engine.fet.check import check_timetable
from gaozhong.electives.engine.fet.model import Placement
from gaozhong.electives.engine.fet.parse import parse_fet_text, read_fet
from gaozhong.electives.engine.fet.solve import solve_fet
from tests.electives.engine.helpers import run

from .helpers import act, c, fet, room

H = 4  # hours per day in these files


def solve(text: str):
    F = parse_fet_text(text)
    P = solve_fet(F, time_limit=20, seed=1)
    assert check_timetable(F, P) == []
    return F, P


def dh(P, a):
    return divmod(P.start[a], H)


def test_two_activities_consecutive_and_not_available():
    text = fet(activities=act(1, ["T1"], ["Y1"]) + act(2, ["T2"], ["Y1"]),
               time=c("ConstraintTwoActivitiesConsecutive", First_Activity_Id=1, Second_Activity_Id=2)
               + c("ConstraintTeacherNotAvailableTimes", Teacher="T1", Number_of_Not_Available_Times=3,
                   Not_Available_Time=[("D1", "H1"), ("D2", "H1"), ("D3", "H1")]))
    F, P = solve(text)
    (d1, h1), (d2, h2) = dh(P, 1), dh(P, 2)
    assert d1 == d2 and h2 == h1 + 1 and h1 != 0
    bad = Placement({1: 1, 2: 3}, {})
    assert any("does not follow" in b for b in check_timetable(F, bad))


def test_min_days_and_same_starting_time():
    acts = act(1, ["T1"], ["Y1"]) + act(2, ["T1"], ["Y1"]) + act(3, ["T1"], ["Y1"]) + act(4, ["T2"], ["Y2"])
    years = "<Year><Name>Y1</Name></Year><Year><Name>Y2</Name></Year>"
    text = fet(years=years, activities=acts,
               time=c("ConstraintMinDaysBetweenActivities", Number_of_Activities=3, Activity_Id=[1, 2, 3], MinDays=1,
                      Consecutive_If_Same_Day="true")
               + c("ConstraintActivitiesSameStartingTime", Number_of_Activities=2, Activity_Id=[3, 4])
               + c("ConstraintActivityPreferredStartingTimes", Activity_Id=4, Number_of_Preferred_Starting_Times=1,
                   Preferred_Starting_Time=[("D2", "H3")]))
    F, P = solve(text)
    assert len({P.start[a] // H for a in (1, 2, 3)}) == 3
    assert P.start[3] == P.start[4] == 1 * H + 2
    assert check_timetable(F, Placement({1: 0, 2: 1, 3: 6, 4: 6}, {}))  # 1 and 2 on one day


def test_students_no_gaps_and_early_start():
    acts = "".join(act(i, ["T1" if i % 2 else "T2"], ["Y1"]) for i in range(1, 7))
    text = fet(activities=acts,
               time=c("ConstraintStudentsMaxGapsPerWeek", Max_Gaps=0)
               + c("ConstraintStudentsEarlyMaxBeginningsAtSecondHour", Max_Beginnings_At_Second_Hour=0)
               + c("ConstraintStudentsSetMaxHoursDaily", Students="Y1", Maximum_Hours_Daily=2)
               + c("ConstraintBreakTimes", Number_of_Break_Times=1, Break_Time=[("D1", "H1")]))
    F, P = solve(text)
    for d in range(3):
        hours = sorted(h for a, t in P.start.items() for h in [t % H] if t // H == d)
        first = 1 if d == 0 else 0  # D1 H1 is a break: the day begins at H2
        assert hours == [first, first + 1]
    assert any("gaps" in b for b in check_timetable(F, Placement({1: 0 * H + 1, 2: 0 * H + 3, 3: 4, 4: 5, 5: 8, 6: 9}, {})))


def test_teacher_max_days_gaps_and_min_hours():
    acts = "".join(act(i, ["T1"], ["Y1"]) for i in range(1, 5))
    text = fet(activities=acts,
               time=c("ConstraintTeacherMaxDaysPerWeek", Teacher_Name="T1", Max_Days_Per_Week=2)
               + c("ConstraintTeacherMinHoursDaily", Teacher_Name="T1", Minimum_Hours_Daily=2, Allow_Empty_Days="true")
               + c("ConstraintTeacherMaxGapsPerDay", Teacher_Name="T1", Max_Gaps=0)
               + c("ConstraintTeacherMaxHoursContinuously", Teacher_Name="T1", Maximum_Hours_Continuously=3))
    F, P = solve(text)
    per_day = {}
    for t in P.start.values():
        per_day.setdefault(t // H, []).append(t % H)
    assert len(per_day) <= 2 and all(len(v) >= 2 for v in per_day.values())
    for hs in per_day.values():
        assert max(hs) - min(hs) + 1 == len(hs) and len(hs) <= 3
    assert check_timetable(F, Placement({1: 0, 2: 4, 3: 8, 4: 9}, {}))  # three days, one with a single hour


def test_rooms_capacity_subject_room_and_home_room():
    acts = (act(1, ["T1"], ["Y1"], subject="Math") + act(2, ["T1"], ["Y1"], subject="Art")
            + act(3, ["T2"], ["Y2"], subject="Math"))
    years = ("<Year><Name>Y1</Name><Number_of_Students>30</Number_of_Students></Year>"
             "<Year><Name>Y2</Name><Number_of_Students>10</Number_of_Students></Year>")
    rooms = room("Small", 20) + room("Big", 40) + room("Studio", 35)
    space = (c("ConstraintSubjectPreferredRooms", Subject="Math", Number_of_Preferred_Rooms=2, Preferred_Room=["Small", "Big"])
             + c("ConstraintTeacherHomeRoom", Teacher="T1", Room="Studio")
             + c("ConstraintRoomNotAvailableTimes", Room="Big", Number_of_Not_Available_Times=1,
                 Not_Available_Time=[("D1", "H1")]))
    F, P = solve(fet(years=years, activities=acts, space=space, rooms=rooms))
    assert P.room[1] == "Big"  # Math for 30 students: not Small; the preferred room wins over T1's home room
    assert P.room[2] == "Studio"  # Art of T1 alone: the home room
    assert P.room[3] in ("Small", "Big")
    assert P.start[1] != 0
    assert any("capacity" in b for b in check_timetable(F, Placement(dict(P.start), {**P.room, 1: "Small"})))


def test_activities_end_students_day_and_filters():
    acts = act(1, ["T1"], ["Y1"], subject="Art", tags=("Lab",)) + "".join(act(i, ["T2"], ["Y1"]) for i in range(2, 8))
    text = fet(activities=acts,
               time=c("ConstraintActivitiesEndStudentsDay", Teacher_Name="", Students_Name="", Subject_Name="",
                      Activity_Tag_Name="Lab")
               + c("ConstraintActivitiesPreferredTimeSlots", Teacher_Name="T2", Students_Name="Y1", Subject_Name="Math",
                   Activity_Tag_Name="", Duration="", Number_of_Preferred_Time_Slots=8,
                   Preferred_Time_Slot=[(f"D{d}", f"H{h}") for d in (1, 2) for h in (1, 2, 3, 4)]))
    F, P = solve(text)
    d1, h1 = dh(P, 1)
    assert all(not (t // H == d1 and t % H > h1) for a, t in P.start.items() if a != 1)
    assert all(P.start[a] // H in (0, 1) for a in range(2, 8))


def test_soft_constraint_is_optimised_not_forced():
    acts = act(1, ["T1"], ["Y1"]) + act(2, ["T1"], ["Y1"])
    text = fet(days=1, activities=acts,
               time=c("ConstraintMinDaysBetweenActivities", 95, Number_of_Activities=2, Activity_Id=[1, 2], MinDays=1,
                      Consecutive_If_Same_Day="true"))
    F, P = solve(text)  # one day only: the soft rule must give way, but keep the two lessons together
    assert abs(P.start[1] - P.start[2]) == 1
    assert P.objective > 0


def test_infeasible_exits_3_and_writes_nothing(tmp_path: Path):
    acts = "".join(act(i, ["T1"], ["Y1"]) for i in range(1, 5))
    text = fet(days=1, hours=3, activities=acts)
    src, out = tmp_path / "in.fet", tmp_path / "out.fet"
    src.write_text(text, encoding="utf-8")
    code, _, err = run(["solve-fet", str(src), "--out", str(out), "--time-limit", "10"])
    assert code == 3 and "infeasible" in err
    assert not out.exists()


def test_output_locks_every_activity(tmp_path: Path):
    acts = act(1, ["T1"], ["Y1"]) + act(2, ["T2"], ["Y1"], duration=2) + act(3, ["T2"], ["Y1"], active=False)
    src, out = tmp_path / "in.fet", tmp_path / "out.fet"
    src.write_text(fet(activities=acts, rooms=room("R1"),
                       space=c("ConstraintActivityPreferredRoom", Activity_Id=2, Room="R1", Permanently_Locked="false")),
                   encoding="utf-8")
    code, out_text, err = run(["solve-fet", str(src), "--out", str(out), "--time-limit", "10", "--seed", "3"])
    assert code == 0, err
    F2 = read_fet(out)
    locks = [k for k in F2.constraints if k.kind == "ConstraintActivityPreferredStartingTime" and k.p["locked"]]
    assert sorted(k.p["acts"][0] for k in locks) == [1, 2]  # active activities only
    rlocks = [k for k in F2.constraints if k.kind == "ConstraintActivityPreferredRoom" and k.p["locked"]]
    assert [k.p["act"] for k in rlocks] == [2]
    assert out.read_text(encoding="utf-8").startswith(src.read_text(encoding="utf-8")[:200])
    # solving the locked file again gives the same placement
    P = solve_fet(F2, time_limit=10)
    assert check_timetable(F2, P) == []


@pytest.mark.parametrize("bad", ["0", "-3"])
def test_bad_time_limit(tmp_path, bad):
    src = tmp_path / "in.fet"
    src.write_text(fet(activities=act(1, ["T1"], ["Y1"])), encoding="utf-8")
    code, _, err = run(["solve-fet", str(src), "--out", str(tmp_path / "o.fet"), "--time-limit", bad])
    assert code == 2


def test_consecutive_if_same_day_holds_even_for_a_soft_min_days_rule():
    """FET forces adjacency on a shared day whatever the weight; fet-cl refuses locked timetables without it."""
    acts = "".join(act(i, ["T1"], ["Y1"]) for i in (1, 2, 3))
    text = fet(days=2, activities=acts,
               time=c("ConstraintMinDaysBetweenActivities", 95, Number_of_Activities=3, Activity_Id=[1, 2, 3], MinDays=1,
                      Consecutive_If_Same_Day="true")
               + c("ConstraintTeacherNotAvailableTimes", Teacher="T1", Number_of_Not_Available_Times=2,
                   Not_Available_Time=[("D1", "H2"), ("D2", "H2")]))
    F, P = solve(text)
    days = {}
    for a, t in P.start.items():
        days.setdefault(t // H, []).append(t % H)
    for hs in days.values():
        assert max(hs) - min(hs) + 1 == len(hs)
    assert check_timetable(F, Placement({1: 0, 2: 2, 3: 4}, {}))  # 1 and 2 share day 1 around the gap


YEAR_GROUPS = ("<Year><Name>Y1</Name><Number_of_Students>30</Number_of_Students>"
               "<Group><Name>G1</Name><Number_of_Students>15</Number_of_Students></Group>"
               "<Group><Name>G2</Name><Number_of_Students>15</Number_of_Students></Group></Year>"
               "<Year><Name>Y2</Name><Number_of_Students>10</Number_of_Students></Year>")


def _pst(students, slots, teacher="", weight=100):
    return c("ConstraintActivitiesPreferredStartingTimes", weight, Teacher_Name=teacher, Students_Name=students,
             Subject_Name="", Activity_Tag_Name="", Duration="", Number_of_Preferred_Starting_Times=len(slots),
             Preferred_Starting_Time=slots)


def test_students_filter_selects_activities_sharing_students_as_fet_does():
    """FET's Students_Name filter selects every activity whose students share a subgroup with the named set
    (setsShareStudents): a year selects its groups' activities, a group its year's; another year's not.
    (Reading it as an exact name made fet-cl reject our locked Italian timetable: "no allowed slot".)"""
    acts = (act(1, ["T1"], ["G1"]) + act(2, ["T2"], ["Y1"], subject="Art") + act(3, ["T1"], ["Y2"])
            + act(4, ["T2"], ["G2"]))
    text = fet(years=YEAR_GROUPS, activities=acts,
               time=_pst("Y1", [("D1", "H1"), ("D1", "H2"), ("D1", "H3")]) + _pst("G2", [("D1", "H2"), ("D1", "H3")]))
    F = parse_fet_text(text)
    by_line = {k.kind + str(k.p.get("filter", {}).get("students")): k.p["targets"] for k in F.constraints if "filter" in k.p}
    assert by_line["ConstraintActivitiesPreferredStartingTimesY1"] == (1, 2, 4)  # not Y2's activity 3
    assert by_line["ConstraintActivitiesPreferredStartingTimesG2"] == (2, 4)  # the year's activity shares G2
    F, P = solve(text)
    assert {P.start[2], P.start[4]} == {1, 2}  # both bound by Y1's slots and G2's
    assert P.start[1] == 0  # G1's activity by Y1's (and G1 is in activity 2's Y1)
    # a group's activity outside the year's slots breaks the constraint
    assert any("outside" in b for b in check_timetable(F, Placement({**P.start, 1: 5}, {})))


def test_filter_selecting_no_activity_is_refused_as_fet_does():
    acts = act(1, ["T1"], ["G1"])
    with pytest.raises(InputError) as e:
        parse_fet_text(fet(years=YEAR_GROUPS, activities=acts, time=_pst("Y2", [("D1", "H1")], weight=50)), "x.fet")
    assert "refers to no active activity" in str(e.value) and e.value.problems[0].line
    end = c("ConstraintActivitiesEndStudentsDay", Teacher_Name="T2", Students_Name="", Subject_Name="",
            Activity_Tag_Name="")
    with pytest.raises(InputError):
        parse_fet_text(fet(years=YEAR_GROUPS, activities=acts, time=end))


def test_a_lock_already_in_the_file_is_not_written_twice(tmp_path: Path):
    """FET drops an identical second lock on reading ("not added - must be a duplicate"): write each once."""
    acts = act(1, ["T1"], ["Y1"]) + act(2, ["T2"], ["Y1"])
    lock = c("ConstraintActivityPreferredStartingTime", Activity_Id=1, Preferred_Day="D2", Preferred_Hour="H3",
             Permanently_Locked="true")
    rlock = c("ConstraintActivityPreferredRoom", Activity_Id=1, Room="R1", Permanently_Locked="true")
    src, out = tmp_path / "in.fet", tmp_path / "out.fet"
    src.write_text(fet(activities=acts, time=lock, space=rlock, rooms=room("R1")), encoding="utf-8")
    code, _, err = run(["solve-fet", str(src), "--out", str(out), "--time-limit", "10"])
    assert code == 0, err
    F2 = read_fet(out)
    times = [k.p["acts"][0] for k in F2.constraints if k.kind == "ConstraintActivityPreferredStartingTime" and k.p["locked"]]
    rooms = [k.p["act"] for k in F2.constraints if k.kind == "ConstraintActivityPreferredRoom" and k.p["locked"]]
    assert sorted(times) == [1, 2] and rooms == [1]


def test_two_activities_consecutive_may_have_breaks_between():
    """FET: the second begins at the first hour after the first ends that is not a break (fet-cl accepts
    a break between them, not a not-available hour)."""
    acts = act(1, ["T1"], ["Y1"]) + act(2, ["T2"], ["Y1"])
    text = fet(days=1, activities=acts,
               time=c("ConstraintTwoActivitiesConsecutive", First_Activity_Id=1, Second_Activity_Id=2)
               + c("ConstraintBreakTimes", Number_of_Break_Times=1, Break_Time=[("D1", "H2")])
               + c("ConstraintActivityPreferredStartingTime", Activity_Id=1, Preferred_Day="D1", Preferred_Hour="H1",
                   Permanently_Locked="false"))
    F, P = solve(text)
    assert (P.start[1], P.start[2]) == (0, 2)
    na = c("ConstraintTeacherNotAvailableTimes", Teacher="T2", Number_of_Not_Available_Times=1,
           Not_Available_Time=[("D1", "H2")])
    F2 = parse_fet_text(fet(days=1, activities=acts,
                            time=c("ConstraintTwoActivitiesConsecutive", First_Activity_Id=1, Second_Activity_Id=2) + na))
    assert any("does not follow" in b for b in check_timetable(F2, Placement({1: 0, 2: 2}, {})))
    assert check_timetable(F2, Placement({1: 2, 2: 3}, {})) == []


def test_prefix_days_fix_the_first_hours_and_rule_out_the_late_ones():
    """No gaps, no late start, 2..3 hours a day: the first two usable hours of each day are always taken and
    the hours after the third never (D1 H1 is a break, so D1 starts at H2); the timetable keeps to it."""
    from gaozhong.electives.engine.fet.rules import build_rules
    from gaozhong.electives.engine.fet.solve import _prefix_days

    acts = "".join(act(i, ["T1" if i % 2 else "T2"], ["Y1"]) for i in range(1, 8))
    text = fet(activities=acts,
               time=c("ConstraintStudentsMaxGapsPerWeek", Max_Gaps=0)
               + c("ConstraintStudentsEarlyMaxBeginningsAtSecondHour", Max_Beginnings_At_Second_Hour=0)
               + c("ConstraintStudentsSetMinHoursDaily", Students="Y1", Minimum_Hours_Daily=2,
                   Allow_Empty_Days="false")
               + c("ConstraintStudentsSetMaxHoursDaily", Students="Y1", Maximum_Hours_Daily=3)
               + c("ConstraintBreakTimes", Number_of_Break_Times=1, Break_Time=[("D1", "H1")]))
    F = parse_fet_text(text)
    R = build_rules(F)
    prefix, must = _prefix_days(F, R)
    assert prefix == {("s", "Y1")}
    assert sorted(must[("s", "Y1")]) == [1, 2, 4, 5, 8, 9]
    assert all(t % H < 3 or t == 3 for a in R.starts for t in R.starts[a])  # D1 H4 is the third usable hour
    assert 7 not in R.starts[1] and 11 not in R.starts[1]
    F, P = solve(text)
    busy = sorted(P.start.values())
    assert set(must[("s", "Y1")]) <= set(busy)


def test_interchangeable_activities_are_grouped_and_kept_in_id_order():
    """Activities 1-3 differ only in their ids (same teacher, students, subject, one min-days rule): one group,
    placed in id order; activity 4, with a preferred time of its own, and 5, of another teacher, are not in it."""
    from gaozhong.electives.engine.fet.solve import _interchangeable

    acts = "".join(act(i, ["T1"], ["Y1"]) for i in range(1, 5)) + act(5, ["T2"], ["Y1"])
    text = fet(days=5, activities=acts,
               time=c("ConstraintMinDaysBetweenActivities", Number_of_Activities=4, Activity_Id=[1, 2, 3, 4],
                      MinDays=1, Consecutive_If_Same_Day="true")
               + c("ConstraintActivityPreferredStartingTimes", Activity_Id=4, Number_of_Preferred_Starting_Times=2,
                   Preferred_Starting_Time=[("D1", "H1"), ("D2", "H1")]))
    F = parse_fet_text(text)
    assert _interchangeable(F) == [[1, 2, 3]]
    F, P = solve(text)
    assert P.start[1] < P.start[2] < P.start[3]
    # the checker does not care about the order: a valid timetable with them swapped passes
    swapped = Placement({**P.start, 1: P.start[3], 3: P.start[1]}, P.room)
    assert check_timetable(F, swapped) == []
