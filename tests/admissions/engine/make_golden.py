"""Write the golden cases of ``test_admissions_golden.py``: today's case format and the output files of the engine.

    PYTHONPATH=. python -m tests.admissions.engine.make_golden

The committed outputs were written by the engine as it was before the 高中阶段 extension (issue 17), so the test
shows that a case in the old format still gives the old files byte for byte. Re-running this script overwrites
them with the current engine's output: do that only for a new golden case, never to make a failing test pass.

Small cases are written in full under ``golden/<name>/`` (case files and ``expected/``); the generated
benchmark-like cities are too large to commit, so ``golden/generated.json`` records how to regenerate them (size
and seed), the SHA-256 of their input files (to tell a changed generator from a changed engine) and of the
output files and the input digest.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

from gaozhong.admissions.cli import main

from . import reference as ref
from .strategies import city_case

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
REPO = HERE.parents[2]

SENIORS = ["H1", "H2", "H3", "H4"]
JUNIORS = {"J1": "城区", "J2": "城区", "J3": "郊区", "J4": "阳城县"}
COUNTY_OF = {"H1": "城区", "H2": "城区", "H3": "郊区", "H4": "阳城县"}
#: (size, seed) of the generated cities (bench/admissions.py's generator).
GENERATED = [(3000, 11), (20000, 7)]
FILES = ("programs.csv", "students.csv", "preferences.csv", "policy.toml")


def small_cases() -> dict[str, ref.Case]:
    out: dict[str, ref.Case] = {}
    for seed in range(1, 9):
        case = city_case(seed, seniors=SENIORS, juniors=JUNIORS, county_of=COUNTY_OF, n_students=80)
        out[f"city{seed}"] = case
    fcf = city_case(21, seniors=SENIORS, juniors=JUNIORS, county_of=COUNTY_OF, n_students=80)
    fcf.mechanism, fcf.band_width = "first_choice_first", "20"
    out["city_fcf"] = fcf
    return out


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run(case_dir: Path, out: Path) -> dict[str, bytes]:
    assert main(["run", str(case_dir), "--out", str(out)]) == 0
    return {n: (out / n).read_bytes() for n in sorted(p.name for p in out.iterdir())}


def digest(case_dir: Path) -> str:
    from gaozhong.admissions.engine.digest import canonical_inputs_digest
    from gaozhong.admissions.engine.readcase import read_case

    return canonical_inputs_digest(read_case(case_dir))


def main_() -> int:
    sys.path.insert(0, str(REPO))
    from bench.admissions import generate_case

    GOLDEN.mkdir(exist_ok=True)
    from .test_admissions_cli import POLICY, PREFERENCES, PROGRAMS, STUDENTS

    worked = GOLDEN / "worked"
    worked.mkdir(exist_ok=True)
    for name, text in zip(FILES, (PROGRAMS, STUDENTS, PREFERENCES, POLICY)):
        (worked / name).write_text(text, encoding="utf-8")
    for name, case in small_cases().items():
        ref.write_case(case, GOLDEN / name)
    digests = {}
    for d in sorted(p for p in GOLDEN.iterdir() if p.is_dir()):
        if (d / "expected").exists():
            shutil.rmtree(d / "expected")
        files = run(d, d / "expected")
        digests[d.name] = digest(d)
        print(d.name, {n: len(b) for n, b in files.items()})
    (GOLDEN / "digests.json").write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    generated = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, seed in GENERATED:
            case = Path(tmp) / f"{n}" / "case"
            generate_case(n, seed, case)
            files = run(case, Path(tmp) / f"{n}" / "out")
            generated.append({
                "students": n, "seed": seed,
                "inputs": {f: sha((case / f).read_bytes()) for f in FILES},
                "outputs": {f: sha(b) for f, b in files.items()},
                "digest": digest(case),
            })
    (GOLDEN / "generated.json").write_text(json.dumps(generated, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
