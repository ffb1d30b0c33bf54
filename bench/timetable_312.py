"""Benchmark of ``gaozhong timetable solve`` on generated 3+1+2 schools (issue 7 §3).

For each size it writes a realistic school (tests/electives/schoolgen.py: physics ≈ 60 %, 物化生 ≈ 27 %,
史政地 the largest history combination, 8 periods a day over 5 days with 2 blocked, chemistry in a few labs,
PE fields and computer rooms, teachers at about 12 periods a week, a fifth of them with 2–4 unavailable slots),
runs the command in a child process, checks the output with the independent checker (tests/electives/checker.py)
and prints what it measured: wall time, peak memory of the child (/usr/bin/time -v, else getrusage), teaching
classes against the lower bound LB, the largest size spread within a subject, and the hard-rule violations.

    .venv/bin/python bench/timetable_312.py --sizes 500,1000,2000,3000

``--labs`` runs the scarce-lab family instead (tests/electives/engine/labschool.py: physics, chemistry and
biology in labs, about one lab per three 选考 classes ± 1, every student busy in all 38 slots), one school per
seed and size, and then a summary (min / median / max over the seeds) per size; ``--case DIR`` (repeatable)
adds given case directories such as ``shared/data/timetable-labs/labs2000-s5``:

    .venv/bin/python bench/timetable_312.py --labs --sizes 2000 --seeds 1-10 --case ../shared/data/timetable-labs/labs2000-s5

Goals: valid in ≤ 120 s for 2000 students and ≤ 600 s for 3000 (the time limit passed to the command is the
goal unless --time-limit is given), teaching classes ≤ LB + 3 %.

Last measured: see docs/timetable.md, *Benchmark* (2026-12-04, 2 shared cores at load 4–10; before commit
fba2d91 18 of 22 valid at 2000 students, seeds 1, 2, 8, 16 exit 1; after 019dd96 also 18 of 22, seeds 5, 8,
17, 18 exit 1).
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


def run_one(n: int, work: Path, *, seed: int, time_limit: float, gen, checker, labs: bool = False,
            given: Path | None = None) -> dict:
    tag = given.name if given is not None else f"{'labs' if labs else 'case'}_{n}_s{seed}"
    case, out = (given if given is not None else work / tag), work / f"out_{tag}"
    if given is not None:
        facts = {"students": sum(1 for _ in (given / "students.csv").open(encoding="utf-8-sig")) - 1,
                 "admin_classes": sum(1 for _ in (given / "admin_classes.csv").open(encoding="utf-8-sig")) - 1,
                 "teachers": sum(1 for _ in (given / "teachers.csv").open(encoding="utf-8-sig")) - 1}
    elif labs:
        facts = gen.LabSchool(n, seed=seed).write(case)
    else:
        facts = gen.School(n, seed=seed).write(case)
    cmd = [sys.executable, "-m", "gaozhong.cli", "timetable", "solve", str(case), "--out", str(out),
           "--time-limit", str(time_limit), "--seed", str(seed)]
    timer = shutil.which("time") or "/usr/bin/time"
    tfile = work / f"time_{tag}.txt"
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
    row = {"n": n, "seed": seed, "tag": tag, **facts, "wall": wall, "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
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


def _seeds(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            out += list(range(int(a), int(b) + 1))
        elif part.strip():
            out.append(int(part))
    return out


def _line(r: dict) -> str:
    head = f"{r['tag']:>18} {r['students']:>6} {r['admin_classes']:>5} {r['wall']:>8.1f} {r['cpu']:>8.1f} {r['peak_mib']:>8.0f}"
    if r["exit"] != 0:
        return f"{head}  exit {r['exit']}: {' '.join(r.get('error', []))}"
    pct = 100.0 * (r["classes"] - r["lb"]) / r["lb"]
    goals = ["valid" if r["violations"] == 0 else "INVALID",
             "classes ≤ LB+3% " + ("met" if r["classes"] <= r["lb"] * 1.03 else "NOT met")]
    goal_s = GOAL_SECONDS.get(r["students"])
    if goal_s:
        goals.append(f"≤ {goal_s:g} s " + ("met" if r["wall"] <= goal_s else "NOT met"))
    return (f"{head} {r['classes']:>7} {r['lb']:>5} {pct:>6.1f} {r['spread']:>6} {r['violations']:>10}  {', '.join(goals)}")


def _summary(rows: list[dict]) -> list[str]:
    import statistics

    out = []
    by_size: dict[int, list[dict]] = {}
    for r in rows:
        by_size.setdefault(r["students"], []).append(r)
    for n, rs in sorted(by_size.items()):
        ok = [r for r in rs if r["exit"] == 0 and r["violations"] == 0]
        def mmm(vals):
            return f"{min(vals):.1f} / {statistics.median(vals):.1f} / {max(vals):.1f}" if vals else "-"
        pct = [100.0 * (r["classes"] - r["lb"]) / r["lb"] for r in ok]
        goal_s = GOAL_SECONDS.get(n)
        met = [r for r in ok if r["classes"] <= r["lb"] * 1.03 and (goal_s is None or r["wall"] <= goal_s)]
        codes = {}
        for r in rs:
            codes[r["exit"]] = codes.get(r["exit"], 0) + 1
        out.append(f"{n} students, {len(rs)} runs: valid {len(ok)}, all goals met {len(met)}; exit codes {codes}")
        out.append(f"    wall s min/median/max {mmm([r['wall'] for r in rs])}; cpu s {mmm([r['cpu'] for r in rs])}; "
                   f"peak MiB {mmm([r['peak_mib'] for r in rs])}; classes over LB % {mmm(pct)}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=None, help="comma-separated student counts (default 500,1000,2000,3000; with --labs 2000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds", default=None, help="seeds, e.g. 1-20 or 3,5,8 (one school per seed and size)")
    ap.add_argument("--labs", action="store_true", help="the scarce-lab family (physics, chemistry, biology in labs)")
    ap.add_argument("--case", type=Path, action="append", default=[], help="also run this case directory (repeatable)")
    ap.add_argument("--time-limit", type=float, default=None, help="default: the goal for the size (120 s / 600 s), else 600")
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated cases and outputs in this folder")
    args = ap.parse_args(argv)
    if args.labs:
        gen = _load("bench_labschool", ROOT / "tests" / "electives" / "engine" / "labschool.py")
    else:
        gen = _load("bench_schoolgen", ROOT / "tests" / "electives" / "schoolgen.py")
    checker = _load("bench_checker", ROOT / "tests" / "electives" / "checker.py")
    sizes = [int(x) for x in (args.sizes or ("2000" if args.labs else "500,1000,2000,3000")).split(",") if x.strip()]
    seeds = _seeds(args.seeds) if args.seeds else [args.seed]
    work = args.keep or Path(tempfile.mkdtemp(prefix="timetable312-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average before {os.getloadavg()[0]:.2f}; seeds {seeds}; "
          f"time limit {args.time_limit or 'goal of the size'}; family {'labs' if args.labs else 'ordinary rooms'}")
    print(f"{'case':>18} {'pupils':>6} {'admin':>5} {'wall s':>8} {'cpu s':>8} {'peak MiB':>8} {'classes':>7} {'LB':>5} {'+%':>6} {'spread':>6} {'violations':>10}  goals")
    rows = []
    jobs = [(n, seed, None) for n in sizes for seed in seeds] + [(None, args.seed, c) for c in args.case]
    for n, seed, given in jobs:
        size = n
        if given is not None:
            size = sum(1 for _ in (given / "students.csv").open(encoding="utf-8-sig")) - 1
        limit = args.time_limit or GOAL_SECONDS.get(size, 600.0)
        r = run_one(size, work, seed=seed, time_limit=limit, gen=gen, checker=checker, labs=args.labs, given=given)
        rows.append(r)
        print(_line(r), f"(load {os.getloadavg()[0]:.1f})", flush=True)
    print("summary (min / median / max):")
    for line in _summary(rows):
        print(line)
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average after {os.getloadavg()[0]:.2f}" + (f"; cases kept in {work}" if args.keep else ""))
    return 0 if all(r["exit"] == 0 and r["violations"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
