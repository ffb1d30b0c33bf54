"""Today's case format gives today's files byte for byte (issue 17 §6: the extension is backward-compatible).

The expected files under ``golden/`` were written by the engine before the 高中阶段 extension (中职, 招生范围,
普职比, 补录, 特殊类型招生) by ``make_golden.py``; every case here is in the old format (no schools.csv, no
supplementary/, programs.csv with its nine columns, policy.toml with the old keys). The run must write exactly
results.csv and cutoffs.csv with the old bytes, and the input digest must not change (recorded runs of earlier
years stay reproducible).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from gaozhong.admissions.cli import main
from gaozhong.admissions.engine.digest import canonical_inputs_digest
from gaozhong.admissions.engine.readcase import read_case

GOLDEN = Path(__file__).resolve().parent / "golden"
REPO = Path(__file__).resolve().parents[3]
SMALL = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())
GENERATED = json.loads((GOLDEN / "generated.json").read_text("utf-8"))
DIGESTS = json.loads((GOLDEN / "digests.json").read_text("utf-8"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_there_are_golden_cases():
    assert len(SMALL) >= 10 and len(GENERATED) >= 2


@pytest.mark.parametrize("name", SMALL)
def test_an_old_format_case_gives_the_old_files_byte_for_byte(name, tmp_path):
    case = GOLDEN / name
    out = tmp_path / "out"
    assert main(["run", str(case), "--out", str(out)]) == 0
    expected = {p.name: p.read_bytes() for p in (case / "expected").iterdir()}
    assert sorted(expected) == ["cutoffs.csv", "results.csv"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == expected
    assert canonical_inputs_digest(read_case(case)) == DIGESTS[name]


@pytest.mark.parametrize("spec", GENERATED, ids=lambda s: f"{s['students']}-{s['seed']}")
def test_a_generated_city_gives_the_old_files_byte_for_byte(spec, tmp_path):
    sys.path.insert(0, str(REPO))
    from bench.admissions import generate_case

    case = tmp_path / "case"
    generate_case(spec["students"], spec["seed"], case)
    inputs = {f: _sha((case / f).read_bytes()) for f in spec["inputs"]}
    assert inputs == spec["inputs"], "the benchmark's generator changed: these are not the golden inputs"
    out = tmp_path / "out"
    assert main(["run", str(case), "--out", str(out)]) == 0
    assert {p.name: _sha(p.read_bytes()) for p in out.iterdir()} == spec["outputs"]
    assert canonical_inputs_digest(read_case(case)) == spec["digest"]
