"""Contract of ``gaozhong timetable form-classes`` (分班 around the choices, 定二走一 / 定一走二), checked against
an independent count and, on a small grade, against brute force. Issue 7 §1, grouping modes."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import pytest

from .helpers import read_rows, run, snapshot, write_csv

PAIRS = ["wl;hx;sw", "wl;hx;dl", "wl;sw;dl", "ls;zz;dl", "ls;sw;dl", "wl;zz;dl", "ls;hx;sw", "ls;zz;sw"]


def choices_file(path: Path, rows) -> Path:
    write_csv(path, ["student_id", "electives"], rows)
    return path


def shared(assign: list[list[str]], choices: dict[str, set[str]]) -> dict[str, set[str]]:
    """What every member of each class chose, computed here from ASSIGN.csv and the choices."""
    members = defaultdict(list)
    for sid, cid, _ in assign:
        members[cid].append(sid)
    return {cid: set.intersection(*(choices[s] for s in ms)) for cid, ms in members.items()}


@pytest.mark.parametrize("fix", [2, 1])
def test_it_assigns_every_student_in_balanced_classes(tmp_path, fix):
    rng = random.Random(fix)
    rows = [(f"S{i:03d}", rng.choice(PAIRS)) for i in range(203)]
    src = choices_file(tmp_path / "students.csv", rows)
    out = tmp_path / "assign.csv"
    code, stdout, stderr = run(["form-classes", str(src), "--classes", "5", "--max-size", "45", "--fix", str(fix), "--out", str(out)])
    assert code == 0, stderr
    header, assign = read_rows(out)
    assert header == ["student_id", "admin_class_id", "fixed_electives"]
    assert [r[0] for r in assign] == [r[0] for r in rows]
    sizes = Counter(r[1] for r in assign)
    assert len(sizes) == 5 and max(sizes.values()) - min(sizes.values()) <= 1 and max(sizes.values()) <= 45
    choices = {sid: set(e.split(";")) for sid, e in rows}
    common = shared(assign, choices)
    for sid, cid, fixed in assign:
        assert set(fixed.split(";")) - {""} == common[cid] & choices[sid]
    sharing = sum(1 for sid, cid, _ in assign if len(common[cid]) >= fix)
    assert re.search(rf"{sharing} / 203 名学生与全班共享 {fix} 门以上选考", stdout), stdout
    walks = Counter(len(choices[s]) - len(common[c]) for s, c, _ in assign)
    for w, n in walks.items():
        assert f"走 {w} 科 (walk for {w} subject" in stdout and f": {n} 名学生" in stdout


def brute_best(choices: dict[str, set[str]], k: int, fix: int) -> int:
    ids = sorted(choices)
    size = len(ids) // k
    best = 0
    for first in combinations(ids, size):
        rest = [s for s in ids if s not in first]
        score = 0
        for group in (first, rest):
            if len(set.intersection(*(choices[s] for s in group))) >= fix:
                score += len(group)
        best = max(best, score)
    return best


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_finds_the_most_students_sharing_two_electives(tmp_path, seed):
    rng = random.Random(seed)
    rows = [(f"S{i}", rng.choice(PAIRS[:4])) for i in range(10)]
    choices = {sid: set(e.split(";")) for sid, e in rows}
    src = choices_file(tmp_path / "s.csv", rows)
    out = tmp_path / "a.csv"
    code, stdout, _ = run(["form-classes", str(src), "--classes", "2", "--max-size", "5", "--fix", "2", "--out", str(out)])
    assert code == 0
    _, assign = read_rows(out)
    common = shared(assign, choices)
    got = sum(1 for _, c, _ in assign if len(common[c]) >= 2)
    assert got == brute_best(choices, 2, 2)


def test_too_many_students_for_the_classes_is_infeasible(tmp_path):
    src = choices_file(tmp_path / "s.csv", [(f"S{i}", "wl;hx;sw") for i in range(12)])
    out = tmp_path / "a.csv"
    out.write_text("keep\n", encoding="utf-8")
    code, _, err = run(["form-classes", str(src), "--classes", "2", "--max-size", "5", "--fix", "2", "--out", str(out)])
    assert code == 3
    assert "(12 students do not fit in 2 classes of at most 5)" in err
    assert out.read_text(encoding="utf-8") == "keep\n"


@pytest.mark.parametrize("rows,expect", [
    ([("S1", "wl;hx;sw"), ("S1", "ls;zz;dl")], "s.csv:3: column student_id: 学生 “S1” 重复"),
    ([("S1", "wl;wl;sw")], "s.csv:2: column electives: 科目 “wl” 选了两次"),
    ([("S1", "")], "s.csv:2: column electives: 为空"),
])
def test_bad_choices_are_named_and_nothing_is_written(tmp_path, rows, expect):
    src = choices_file(tmp_path / "s.csv", rows)
    before = snapshot(tmp_path)
    code, _, err = run(["form-classes", str(src), "--classes", "1", "--max-size", "55", "--fix", "2", "--out", str(tmp_path / "a.csv")])
    assert code == 2
    assert expect in err
    assert snapshot(tmp_path) == before


def test_bad_arguments_exit_2(tmp_path):
    src = choices_file(tmp_path / "s.csv", [("S1", "wl;hx;sw")])
    out = str(tmp_path / "a.csv")
    assert run(["form-classes", str(src), "--classes", "0", "--max-size", "55", "--fix", "2", "--out", out])[0] == 2
    assert run(["form-classes", str(src), "--classes", "1", "--max-size", "55", "--fix", "3", "--out", out])[0] == 2
    assert not (tmp_path / "a.csv").exists()
