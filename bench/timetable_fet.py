"""Benchmark of ``gaozhong timetable solve-fet`` against Debian's ``fet-cl`` on the FET example files of
issue 19 (fet-data's examples/FET-5-official): both on the same file, several seeds each, median wall time and
ratio; our OUT.fet then checked by ``fet-cl`` with every activity locked (it must place them all at once, where
we put them) and by our independent checker.

    .venv/bin/python bench/timetable_fet.py --seeds 3 --fet-limit 60 --our-limit 60 [--only primaria ...]

Columns: fet-cl median wall (s) and successes/seeds; solve-fet median wall of the whole command (s) and
successes; median time to our first valid timetable inside the run; ratio ours/fet-cl (< 1: we are faster);
"locked" is how many of our outputs fet-cl accepted with every activity where we put it (and our checker
passed); "cpu" is the median CPU time of our command (all its threads), "load" the 1-minute load average when
the row was printed. A failed run counts its full wall time; medians are over all seeds.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gaozhong.electives.engine.fet.check import check_timetable  # noqa: E402
from gaozhong.electives.engine.fet.fetcl import run_fet_cl  # noqa: E402
from gaozhong.electives.engine.fet.model import Placement  # noqa: E402
from gaozhong.electives.engine.fet.parse import read_fet  # noqa: E402

EXAMPLES = Path("/usr/share/doc/fet-data/examples/FET-5-official")
FILES = [
    "Spain/3-school/primaria.fet", "Argentina/Horario_ISJ.fet", "anonymous/1/2008/anonymous-1-2008.fet",
    "Vietnam/2-secondary-school/VietNamHungYen.fet", "Greece/Didymoteicho/6th-Primary-School.fet",
    "Italy/2007/simple/simpler-Italian.fet", "Germany/DGS-Pro/dgspro200809.fet",
    "Spain/2-secondary-school/secondary-school.fet",
]


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _ours(src: Path, out: Path, limit: float, seed: int) -> tuple[bool, float, float, str, float]:
    c0 = _child_cpu()
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-c", "import sys; from gaozhong.cli import main; sys.exit(main())",
                        "timetable", "solve-fet", str(src), "--out", str(out),
                        "--time-limit", str(limit), "--seed", str(seed)], capture_output=True, text=True, cwd=ROOT)
    wall = time.monotonic() - t0
    m = re.search(r"first valid\) ([0-9.]+) s", p.stdout)
    return (p.returncode == 0, wall, float(m.group(1)) if m else wall, (p.stdout + p.stderr).strip().splitlines()[-1:],
            _child_cpu() - c0)


def _locked_ok(src: Path, out: Path) -> bool:
    F, L = read_fet(src), read_fet(out)
    res = run_fet_cl(out, time_limit=60)
    if not res.ok:
        return False
    H = len(F.hours)
    di = {d: i for i, d in enumerate(F.days)}
    hi = {h: i for i, h in enumerate(F.hours)}
    want = {c.p["acts"][0]: c.p["starts"][0] for c in L.constraints
            if c.kind == "ConstraintActivityPreferredStartingTime" and c.p["locked"]}
    P = Placement({a: di[d] * H + hi[h] for a, (d, h, _) in res.placed.items() if d},
                  {a: r for a, (_, _, r) in res.placed.items() if r})
    same = all(divmod(P.start.get(a.id, -1), H) == want.get(a.id) for a in F.activities)
    return same and not check_timetable(F, P)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--fet-limit", type=int, default=60)
    ap.add_argument("--our-limit", type=float, default=60)
    ap.add_argument("--only", nargs="*", help="substrings of the files to run")
    a = ap.parse_args()
    files = [f for f in FILES if not a.only or any(s in f for s in a.only)]
    print(f"seeds {a.seeds}; fet-cl limit {a.fet_limit} s; solve-fet limit {a.our_limit} s")
    print(f"{'file':48} {'fet-cl s':>9} {'ok':>4} {'ours s':>8} {'ok':>4} {'1st valid':>9} {'ratio':>6} {'locked':>6}"
          f" {'cpu':>6} {'load':>5}")
    for rel in files:
        src = EXAMPLES / rel
        if not src.exists():
            print(f"{rel:48} (not installed)")
            continue
        fet_t, fet_ok, our_t, our_ok, first, locked, notes, cpu = [], 0, [], 0, [], 0, [], []
        for s in range(a.seeds):
            r = run_fet_cl(src, time_limit=a.fet_limit, seed=s)
            fet_t.append(r.seconds)
            fet_ok += r.ok
        with tempfile.TemporaryDirectory() as tmp:
            for s in range(a.seeds):
                out = Path(tmp) / f"out{s}.fet"
                ok, wall, fv, last, c = _ours(src, out, a.our_limit, s)
                our_t.append(wall)
                cpu.append(c)
                our_ok += ok
                if ok:
                    first.append(fv)
                    locked += _locked_ok(src, out)
                else:
                    notes.append(" ".join(last))
        fm, om = statistics.median(fet_t), statistics.median(our_t)
        fv = f"{statistics.median(first):9.1f}" if first else f"{'—':>9}"
        print(f"{rel:48} {fm:9.1f} {fet_ok:>2}/{a.seeds} {om:8.1f} {our_ok:>2}/{a.seeds} {fv} {om / fm:6.1f} "
              f"{locked:>3}/{our_ok} {statistics.median(cpu):6.1f} {os.getloadavg()[0]:5.1f}", flush=True)
        for n in sorted(set(notes)):
            print(f"    solve-fet: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
