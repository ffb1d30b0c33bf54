"""Property tests of the 高中阶段 extension (issue 17 §6) on random cases (:func:`strategies.stage_cases`), through
the command line:

- every output file equals the independent reference implementation's, byte for byte (schools, 中职 batches,
  招生范围, 特长生 rules, 普职比, fill rates, 补录 with declined seats and seats.csv);
- capacity: no program over capacity in either round; 补录 offers no more than the seats left and every
  first-round admission that was not declined stands (nobody displaced);
- no justified envy within the 补录 round (within the first round it is checked by the earlier tests and here
  again through the reference);
- determinism: the same case gives the same bytes twice; the 公示 list equals the reference's;
- row order: shuffling the rows of every input file (schools.csv and the 补录 files included) gives the same
  files, with results.csv and cutoffs.csv rows following students.csv and programs.csv.
"""

from __future__ import annotations

import csv
import io
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaozhong.admissions.cli import main

from . import reference as ref
from .strategies import stage_cases

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _run(case: ref.Case, command: str = "run", **order) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        d = ref.write_case(case, Path(tmp) / "case", **order)
        out = Path(tmp) / "out"
        assert main([command, str(d), "--out", str(out)]) == 0
        return {p.name: p.read_text("utf-8") for p in sorted(out.iterdir())}


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@SETTINGS
@given(stage_cases())
def test_every_output_file_matches_the_reference(case):
    assert _run(case) == ref.expected_files(case)


@SETTINGS
@given(stage_cases(supplementary=False))
def test_publicity_matches_the_reference(case):
    files = _run(case, "publicity")
    assert files["publicity.csv"] == ref.publicity(case)
    assert files["general_vocational.csv"] == ref.general_vocational(case, None)


@SETTINGS
@given(stage_cases(supplementary=True))
def test_supplementary_never_exceeds_seats_left_nor_displaces_anyone(case):
    files = _run(case)
    first = ref.run(case)
    declined = set(case.declined or [])
    final = {r[0]: r for r in _rows(files["results.csv"])[1:]}
    for sid, pid in first.admitted.items():  # every first-round seat not declined stands, marked round 1
        if sid not in declined:
            assert final[sid][1] == pid and final[sid][4] == "1"
    cut = _rows(files["cutoffs.csv"])[1:]
    second = {r[1]: r for r in cut if r[0] == "2"}
    left = ref.second_round(case, first).left
    taken = {}
    for r in final.values():
        if r[4] == "2":
            taken[r[1]] = taken.get(r[1], 0) + 1
    for pid, row in second.items():
        offered = int(row[2])
        assert taken.get(pid, 0) == int(row[3]) <= offered <= left[pid]
        if case.seats is not None:
            assert offered == case.seats.get(pid, 0)
    # over the two rounds no program holds more students than its first-round capacity less the seats it
    # rolled on to a later batch (a program with rollover_to passed on all its unfilled seats)
    for p in case.programs:
        holds = sum(1 for r in final.values() if r[1] == p.program_id)
        first_taken = sum(1 for v in first.admitted.values() if v == p.program_id)
        assert holds <= (first_taken if p.rollover_to else first.capacity[p.program_id])


@SETTINGS
@given(stage_cases(supplementary=True))
def test_no_justified_envy_within_the_supplementary_round(case):
    """No student of the 补录 round prefers (lists earlier in the batch, or is unplaced in it) an eligible program
    that admitted in 补录 someone it ranks lower, or that kept a 补录 seat empty."""
    files = _run(case)
    final = {r[0]: r for r in _rows(files["results.csv"])[1:]}
    offered = {r[1]: int(r[2]) for r in _rows(files["cutoffs.csv"])[1:] if r[0] == "2"}
    progs = {p.program_id: p for p in case.programs}
    studs = {s.student_id: s for s in case.students}
    members: dict[str, list[str]] = {}
    for sid, row in final.items():
        if row[4] == "2":
            members.setdefault(row[1], []).append(sid)
    rank_of = {(s, p): r for s, b, r, p in case.prefs2}
    for sid, b, r, pid in case.prefs2:
        mine = final[sid]
        if mine[4] == "2" and int(mine[2]) < b:
            continue  # admitted in an earlier 补录 batch
        if mine[4] == "2" and int(mine[2]) == b and int(mine[3]) <= r:
            continue
        if not ref._eligible(case, studs[sid], progs[pid]):
            continue
        me = ref._priority(case, progs[pid], studs[sid], r)
        others = members.get(pid, [])
        assert len(others) == offered[pid], f"{pid} kept a 补录 seat that {sid} wanted"
        assert all(ref._priority(case, progs[pid], studs[o], rank_of[(o, pid)]) < me for o in others)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stage_cases(), st.randoms(use_true_random=False))
def test_the_files_do_not_depend_on_row_order_and_runs_are_deterministic(case, rnd: random.Random):
    base = _run(case)
    assert _run(case) == base
    student_order = rnd.sample(range(len(case.students)), len(case.students))
    program_order = rnd.sample(range(len(case.programs)), len(case.programs))
    pref_order = rnd.sample(range(len(case.prefs)), len(case.prefs))
    files = _run(case, student_order=student_order, program_order=program_order, pref_order=pref_order,
                 shuffle=random.Random(rnd.random()))
    assert sorted(files) == sorted(base)
    for name in files:
        if name == "results.csv":
            rows = _rows(base[name])
            assert _rows(files[name]) == [rows[0]] + [rows[1 + i] for i in student_order]
        elif name == "cutoffs.csv":
            rows = _rows(base[name])
            n = len(case.programs)
            rounds = (len(rows) - 1) // n
            want = [rows[0]] + [rows[1 + k * n + i] for k in range(rounds) for i in program_order]
            assert _rows(files[name]) == want
        else:
            assert files[name] == base[name], name
