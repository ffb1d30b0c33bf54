"""Schools whose physics, chemistry and biology are taught in scarce labs (issue 19 §1): solved and verified by
the independent checker, lab capacity shaping the formation, infeasibility only with a counting proof that names
the labs and the slots, and a short time limit ending as "not found in time" rather than "infeasible"."""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter, defaultdict
from pathlib import Path
from types import SimpleNamespace

import pytest
from ortools.sat.python import cp_model

from gaozhong.electives.engine.bounds import lower_bound, teacher_capacity
from gaozhong.electives.engine.formation import FormationImpossible, _forced_overlap, form_classes
from gaozhong.electives.engine.pipeline import solve
from gaozhong.electives.engine.reading import read_case
from gaozhong.electives.engine.types import Infeasible, NoTimetableFound

from .helpers import run, snapshot, tiny_case
from .labschool import LabSchool

_spec = importlib.util.spec_from_file_location("labs_checker", Path(__file__).resolve().parent.parent / "checker.py")
checker = importlib.util.module_from_spec(_spec)
sys.modules["labs_checker"] = checker
_spec.loader.exec_module(checker)


@pytest.fixture(scope="module")
def small_school(tmp_path_factory) -> Path:
    """300 students in 6 admin classes, every student busy in all 38 slots, 2 labs per lab subject: 4 physics
    选考 classes cannot sit in their labs at once, so the formation has to spread them."""
    case = tmp_path_factory.mktemp("labs") / "case"
    LabSchool(300, seed=1).write(case)
    return case


def _labs(case: Path) -> Counter:
    with (case / "rooms.csv").open(encoding="utf-8") as fh:
        return Counter(r["room_type"] for r in csv.DictReader(fh) if r["room_type"].startswith("lab-"))


def test_a_lab_scarce_school_solves_and_the_checker_agrees(small_school, tmp_path):
    out = tmp_path / "out"
    code, stdout, stderr = run(["solve", str(small_school), "--out", str(out), "--time-limit", "240", "--seed", "1"])
    assert code == 0, stderr
    assert checker.check(small_school, out) == []
    # No slot has more lessons in a lab type than labs of that type (the checker checks rooms one by one).
    labs = _labs(small_school)
    room_type = {}
    with (small_school / "rooms.csv").open(encoding="utf-8") as fh:
        room_type = {r["room_id"]: r["room_type"] for r in csv.DictReader(fh)}
    per_slot = Counter()
    with (out / "timetable.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if room_type[r["room_id"]] in labs:
                per_slot[room_type[r["room_id"]], r["day"], r["period"]] += 1
    assert per_slot and max(n - labs[rt] for (rt, _, _), n in per_slot.items()) <= 0
    lb = sum(lower_bound(read_case(small_school)).values())
    classes = int(stdout.split("teaching classes): ")[1].split(",")[0])
    assert lb <= classes <= lb * 1.03 + 1


def test_lab_capacity_and_teachers_shape_the_formation(small_school):
    case = read_case(small_school)
    f = form_classes(case, time_limit=5, seed=1)
    assert f is not None
    labs = Counter(r.type for r in case.rooms)
    free = len(case.calendar.free_slots())
    lessons = Counter()
    for b in f.blocks:
        per_type = Counter(case.subject_by_id[c.subject].room_type for c in b.classes)
        for rt, n in per_type.items():
            if rt.startswith("lab-"):
                assert n <= labs[rt], (b.index, rt, n)
        for c in b.classes:
            lessons[case.subject_by_id[c.subject].room_type] += c.lessons
            assert len(c.students) <= 50
    for rt in ("lab-phy", "lab-che", "lab-bio"):
        assert 0 < lessons[rt] <= labs[rt] * free
    # Enough teachers at once in every block, and enough periods a week, for a teacher of each class.
    cap = teacher_capacity(case)
    for b in f.blocks:
        for subject, n in Counter(c.subject for c in b.classes).items():
            assert n <= sum(1 for t in case.teachers if subject in t.subjects and cap[t.id] >= b.length)
    need = defaultdict(int)
    for c in f.classes:
        need[c.subject] += c.lessons
    for subject, n in need.items():
        assert n <= sum(cap[t.id] for t in case.teachers if subject in t.subjects)


@pytest.fixture(scope="module")
def big_school(tmp_path_factory) -> Path:
    case = tmp_path_factory.mktemp("labs-big") / "case"
    LabSchool(2000, seed=3).write(case)
    return case


def test_too_few_lab_slots_is_proved_and_names_the_labs(big_school, tmp_path):
    case = tmp_path / "case"
    case.mkdir()
    for p in big_school.iterdir():
        (case / p.name).write_bytes(p.read_bytes())
    rows = (case / "rooms.csv").read_text(encoding="utf-8").splitlines()
    kept, seen = [], 0
    for line in rows:
        if ",lab-phy," in line:
            seen += 1
            if seen > 3:
                continue
        kept.append(line)
    (case / "rooms.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "timetable.csv").write_text("keep me\n", encoding="utf-8")
    before = snapshot(out)
    code, stdout, stderr = run(["solve", str(case), "--out", str(out), "--time-limit", "60"])
    assert code == 3, (stdout, stderr)
    assert snapshot(out) == before
    # About 25 physics 选考 classes × 5 + 15 学考 classes × 2 lessons, only 3 labs × 38 slots = 114.
    assert "lab-phy 教室 3 间 × 38 课时 = 114 < 需要的" in stderr and "物理 physics" in stderr, stderr
    assert "(" in stderr and "lab-phy lessons a week, 3 rooms of type lab-phy with 38 free slots each)" in stderr


def test_a_short_limit_ends_as_not_found_never_as_infeasible(big_school, tmp_path):
    case = read_case(big_school)
    with pytest.raises(NoTimetableFound) as exc:
        solve(case, time_limit=2, seed=1)
    assert not isinstance(exc.value, Infeasible)
    assert "2 秒" in str(exc.value) and "not a proof" in str(exc.value)
    # and how far it got: classes not formed yet, or the best partial result's figures
    assert "教学班尚未组成 (teaching classes not formed yet)" in str(exc.value) or "最好的部分结果" in str(exc.value)
    out = tmp_path / "out"
    code, _, stderr = run(["solve", str(big_school), "--out", str(out), "--time-limit", "2"])
    assert code == 1 and "未找到课表 (no timetable)" in stderr and "无法排课" not in stderr
    assert not out.exists()


def test_a_learnt_limit_caps_a_subject_in_every_block_of_a_split_tier(small_school):
    from gaozhong.electives.engine.formation import column_structure

    case = read_case(small_school)
    tiers = column_structure(case)[1]
    f = form_classes(case, groups={ti: 2 for ti in range(len(tiers))}, time_limit=5, seed=1)  # two groups in every tier
    assert f is not None
    split = {ti for ti, g in f.groups.items() if g > 1}
    per_block = Counter((b.index, c.subject) for b in f.blocks if b.tier in split for c in b.classes)
    assert per_block, "the small school splits a tier into groups"
    (_, subject), most = max(per_block.items(), key=lambda kv: kv[1])
    assert most > 1
    g = form_classes(case, groups=dict(f.groups), time_limit=5, seed=1, limits={subject: most - 1})
    assert g is not None
    assert all(n <= most - 1 for (b, s), n in
               Counter((b.index, c.subject) for b in g.blocks if b.tier in split for c in b.classes).items() if s == subject)


def test_only_a_crowded_block_of_a_split_tier_teaches_a_limit():
    from gaozhong.electives.engine.formation import FormedBlock, FormedClass, Formation
    from gaozhong.electives.engine.pipeline import _crowded
    from gaozhong.electives.engine.types import Teacher

    def cls(cid, subject, block):
        return FormedClass(cid, subject, "xuanke", [], 5, block)

    crowded = [cls(f"dl-X{i}", "dl", 0) for i in range(4)]  # 4 of geography's 5 teachers at once
    lone = [cls("ls-X1", "ls", 1)]
    single = [cls(f"zz-X{i}", "zz", 2) for i in range(5)]  # a tier of one group: blocks never overlap others
    blocks = [FormedBlock(0, 0, 0, 0, 5, crowded), FormedBlock(1, 0, 1, 0, 5, lone), FormedBlock(2, 1, 0, 3, 5, single)]
    f = Formation(blocks, crowded + lone + single, [5, 5], {0: 2, 1: 1}, True)
    teachers = [Teacher(f"T{i}", (s,), 15, frozenset()) for s in ("dl", "ls", "zz") for i in range(5)]
    case = SimpleNamespace(teachers=teachers, subjects=[SimpleNamespace(id=s) for s in ("dl", "ls", "zz")])
    assert _crowded(case, f, ["dl-X2"], {}) == {"dl": 3}
    assert _crowded(case, f, ["dl-X2"], {"dl": 3}) == {}  # nothing new
    assert _crowded(case, f, ["dl-X2"], {"dl": 2}) == {}  # a tighter limit is kept
    assert _crowded(case, f, ["ls-X1"], {}) == {}  # one class: not crowded
    assert _crowded(case, f, ["zz-X1"], {}) == {}  # 5 of 5 teachers, but its tier has one group


def _overlap_model(tmp_path, physics_per_block: list[int]):
    """Two units, one tier of two 3-period columns each, in a week of 10 free slots: the units are in blocks for
    6 + 6 slots, so blocks of the two units run together for at least 2 slots. Two physics labs."""
    teachers = [("T1", "yw", 10, ""), ("T2", "yw", 10, ""), ("T3", "ty", 10, ""), ("T5", "ls", 12, ""), ("T6", "hx", 10, ""),
                *[(f"P{k}", "wl", 12, "") for k in range(6)]]
    rooms = [("R1", "normal", 25), ("R2", "normal", 25), ("F1", "field", 60), ("L1", "lab", 30), ("L2", "lab", 30)]
    case = read_case(tiny_case(tmp_path / "case", days=2, periods=5, blocked="[]", teachers=teachers, rooms=rooms))
    m = cp_model.CpModel()
    item = ("wl", "xuanke")
    cells = {}
    for (g, j), k in zip([(0, 0), (0, 1), (1, 0), (1, 1)], physics_per_block):
        cells[g, j] = {item: m.new_constant(k)}
    _forced_overlap(case, m, [(2, 2, cells)], [3], 2, [m.new_constant(1), m.new_constant(1)])
    solver = cp_model.CpSolver()
    return solver.solve(m)


def test_units_that_must_overlap_keep_a_pair_of_blocks_that_fit_the_labs_together(tmp_path):
    # Unit 0: blocks of 2 and 0 physics classes; unit 1: 1 and 1. The empty block can run with either: fine.
    assert _overlap_model(tmp_path / "a", [2, 0, 1, 1]) == cp_model.OPTIMAL
    # Unit 0: 2 and 2; unit 1: 1 and 1. Every pair needs three labs at once, and two slots must hold a pair.
    assert _overlap_model(tmp_path / "b", [2, 2, 1, 1]) == cp_model.INFEASIBLE


def test_a_first_formation_proved_impossible_is_formed_again_with_more_groups(tmp_path):
    """Every student takes physics (two classes of 20) and one physics teacher can give only 2 periods: the
    fewest groups put both physics classes in one block, which no two teachers can take at once. The formation
    model proves that at once; the solve then forms with one more group per tier instead of giving up."""
    students = [(f"S{i:02d}", "A1" if i < 20 else "A2", "wl;hx") for i in range(40)]
    teachers = [("T1", "yw", 10, ""), ("T2", "yw", 10, ""), ("T3", "ty", 10, ""), ("T4", "wl", 12, ""), ("T7", "wl", 2, ""),
                ("T5", "ls", 12, ""), ("T6", "hx", 10, ""), ("T8", "hx", 10, "")]
    rooms = [("R1", "normal", 25), ("R2", "normal", 25), ("R3", "normal", 30), ("R4", "normal", 30), ("F1", "field", 60),
             ("L1", "lab", 30), ("L2", "lab", 30)]
    case_dir = tiny_case(tmp_path / "case", students=students, teachers=teachers, rooms=rooms)
    case = read_case(case_dir)
    with pytest.raises(FormationImpossible):
        form_classes(case, time_limit=5)
    code, stdout, stderr = run(["solve", str(case_dir), "--out", str(tmp_path / "out"), "--time-limit", "30"])
    assert code == 0, stderr
    rows = list(csv.DictReader((tmp_path / "out" / "classes.csv").open(encoding="utf-8")))
    physics = [r for r in rows if r["subject_id"] == "wl"]
    assert len(physics) == 2 and all(r["teacher_id"] == "T4" for r in physics)
