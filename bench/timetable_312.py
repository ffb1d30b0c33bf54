"""Benchmark of ``gaozhong timetable solve`` on generated 3+1+2 schools (issue 7 §3).

For each size it writes a realistic school (tests/electives/schoolgen.py: physics ≈ 60 %, 物化生 ≈ 27 %,
史政地 the largest history combination, 8 periods a day over 5 days with 2 blocked, chemistry in a few labs,
PE fields and computer rooms, teachers at about 12 periods a week, a fifth of them with 2–4 unavailable slots),
runs the command in a child process, checks the output with the independent checker (tests/electives/checker.py)
and prints what it measured: wall time, peak memory of the child (/usr/bin/time -v, else getrusage), teaching
classes against the lower bound LB, the largest size spread within a subject, and the hard-rule violations.

    .venv/bin/python bench/timetable_312.py --sizes 500,1000,2000,3000

Goals: valid in ≤ 120 s for 2000 students and ≤ 600 s for 3000, teaching classes ≤ LB + 3 %.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = {2000: 120.0, 3000: 600.0}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def run_one(n: int, work: Path, *, seed: int, time_limit: float, gen, checker) -> dict:
    case, out = work / f"case_{n}", work / f"out_{n}"
    facts = gen.School(n, seed=seed).write(case)
    cmd = [sys.executable, "-m", "gaozhong.cli", "timetable", "solve", str(case), "--out", str(out),
           "--time-limit", str(time_limit), "--seed", str(seed)]
    timer = shutil.which("time") or "/usr/bin/time"
    tfile = work / f"time_{n}.txt"
    use_time = Path(timer).exists()
    if use_time:
        cmd = [timer, "-v", "-o", str(tfile), *cmd]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kib = None
    if use_time and tfile.exists():
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", tfile.read_text())
        peak_kib = int(m.group(1)) if m else None
    if peak_kib is None:
        peak_kib = after.ru_maxrss
    row = {"n": n, **facts, "wall": wall, "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
           "peak_mib": peak_kib / 1024, "exit": proc.returncode, "classes": None, "lb": None, "spread": None, "violations": None}
    if proc.returncode == 0:
        m = re.search(r"teaching classes\): (\d+), 下界 LB (\d+)", proc.stdout)
        row["classes"], row["lb"] = int(m.group(1)), int(m.group(2))
        m = re.search(r"最大 \(max\) (\d+)", proc.stdout)
        row["spread"] = int(m.group(1)) if m else None
        row["violations"] = len(checker.check(case, out))
    else:
        row["error"] = proc.stderr.strip().splitlines()[-1:] if proc.stderr else []
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,1000,2000,3000", help="comma-separated student counts")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=600.0)
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated cases and outputs in this folder")
    args = ap.parse_args(argv)
    gen = _load("bench_schoolgen", ROOT / "tests" / "electives" / "schoolgen.py")
    checker = _load("bench_checker", ROOT / "tests" / "electives" / "checker.py")
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    work = args.keep or Path(tempfile.mkdtemp(prefix="timetable312-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average before {os.getloadavg()[0]:.2f}; seed {args.seed}; time limit {args.time_limit:g} s")
    print(f"{'students':>8} {'admin':>5} {'teach':>5} {'wall s':>8} {'cpu s':>8} {'peak MiB':>8} {'classes':>7} {'LB':>5} {'+%':>6} {'spread':>6} {'violations':>10}  goals")
    ok_all = True
    for n in sizes:
        r = run_one(n, work, seed=args.seed, time_limit=args.time_limit, gen=gen, checker=checker)
        if r["exit"] != 0:
            ok_all = False
            print(f"{n:>8} {r['admin_classes']:>5} {r['teachers']:>5} {r['wall']:>8.1f} {r['cpu']:>8.1f} {r['peak_mib']:>8.0f}  exit {r['exit']}: {' '.join(r.get('error', []))}")
            continue
        pct = 100.0 * (r["classes"] - r["lb"]) / r["lb"]
        goals = []
        valid = r["violations"] == 0
        goals.append("valid" if valid else "INVALID")
        goals.append("classes ≤ LB+3% " + ("met" if r["classes"] <= r["lb"] * 1.03 else "NOT met"))
        if n in GOAL_SECONDS:
            goals.append(f"≤ {GOAL_SECONDS[n]:g} s " + ("met" if r["wall"] <= GOAL_SECONDS[n] else "NOT met"))
        ok_all &= valid
        print(f"{n:>8} {r['admin_classes']:>5} {r['teachers']:>5} {r['wall']:>8.1f} {r['cpu']:>8.1f} {r['peak_mib']:>8.0f} {r['classes']:>7} {r['lb']:>5} {pct:>6.1f} {r['spread']:>6} {r['violations']:>10}  {', '.join(goals)}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average after {os.getloadavg()[0]:.2f}" + (f"; cases kept in {work}" if args.keep else ""))
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
