"""Benchmark of ``gaozhong registry check`` on generated city (200,000) and province (2,000,000) registries.

Each size gets a registry with two terms (a school year) of attendance and one unified exam per term per
student, a year of scattered transfers, and planted anomalies of every kind (duplicates, ghosts, 人籍分离,
batches of transfers, invalid 身份证号). The command runs in a child process under ``/usr/bin/time -v``;
the script prints wall time, CPU time and peak resident memory of each run (and the machine's load
average before it, since other work on the machine slows a run down), the anomalies found against those planted,
and whether the goals of issue 10 §3 are met (200,000 ≤ 1 s; 2,000,000 ≤ 10 s and ≤ 2 GiB).

    .venv/bin/python bench/registry.py                       # both sizes, 3 runs each
    .venv/bin/python bench/registry.py --sizes 200000 --runs 5
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
GAOZHONG = ROOT / ".venv" / "bin" / "gaozhong"
GOALS = {200_000: (1.0, None), 2_000_000: (10.0, 2 * 1024**3)}
TERMS = ("2025-1", "2025-2")
WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
CHECK = np.array(list("10X98765432"))


def _id_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct valid GB 11643 numbers: region and sequence from the row number, a random birth date."""
    index = np.arange(n, dtype=np.int64)
    region = 110000 + index // 1000
    birth = np.datetime64("2007-09-01") + rng.integers(0, 3 * 365, n).astype("timedelta64[D]")
    ymd = np.char.replace(np.datetime_as_string(birth, unit="D"), "-", "").astype(np.int64)
    body = region * 10**11 + ymd * 1000 + index % 1000
    digits = (body[:, None] // 10 ** np.arange(16, -1, -1)) % 10
    check = CHECK[(digits * WEIGHTS).sum(axis=1) % 11]
    return np.char.add(body.astype(str), check)


def _break(valid: str, how: int) -> str:
    """A wrong number: a wrong check character, a missing last character, or 30 February as birth date."""
    if how == 0:
        return valid[:17] + ("1" if valid[17] == "0" else "0")
    if how == 1:
        return valid[:17]
    return valid[:6] + "20080230" + valid[14:]


def generate(n: int, out: Path, seed: int = 7) -> dict[str, int]:
    """Write the five input files for n students into ``out``; return the number planted of each kind."""
    rng = np.random.default_rng(seed)
    schools = max(20, n // 1000)
    school_names = np.char.add("S", np.char.zfill(np.arange(schools).astype(str), 5))
    sid = np.char.add("G", np.char.zfill(np.arange(n).astype(str), 9))
    home = rng.integers(0, schools, n)
    status = np.full(n, "在籍", dtype=object)
    roll = rng.random(n)
    status[roll < 0.03] = "毕业"
    status[roll < 0.02] = "转出"
    status[roll < 0.01] = "休学"
    active = status == "在籍"
    ids = _id_numbers(rng, n).astype(object)

    active_idx = np.flatnonzero(active)
    picks = rng.permutation(active_idx)
    m = max(1, n // 1000)
    ghosts, mismatched, dup_a, dup_b = picks[:m], picks[m : 3 * m], picks[3 * m : 4 * m], picks[4 * m : 5 * m]
    ids[dup_b] = ids[dup_a]  # 在籍 twice under one number
    others = np.setdiff1d(np.arange(n), np.concatenate([dup_a, dup_b]))
    invalid = rng.choice(others, m, replace=False)
    ids[invalid] = [_break(str(ids[i]), k % 3) for k, i in enumerate(invalid)]
    surname = np.array(list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"))
    given = np.array(["子涵", "欣怡", "梓萱", "浩宇", "一诺", "宇轩", "雨桐", "俊杰", "思远", "佳怡"])
    names = np.char.add(surname[rng.integers(0, len(surname), n)], given[rng.integers(0, len(given), n)])
    grades = np.array(["高一", "高二", "高三"])[rng.integers(0, 3, n)]
    pl.DataFrame(
        {
            "student_id": sid,
            "id_number": ids.astype(str),
            "name": names,
            "school_id": school_names[home],
            "grade": grades,
            "status": status.astype(str),
        }
    ).sort("school_id", "student_id").write_csv(out / "registry.csv")  # exported school by school

    attends = active.copy()
    attends[ghosts] = False
    elsewhere = (home + 1 + rng.integers(0, schools - 1, n)) % schools
    att_parts, exam_parts = [], []
    for term in TERMS:
        who = np.flatnonzero(attends)
        days = rng.integers(70, 100, who.size)
        where = home[who].copy()
        if term == TERMS[-1]:
            moved = np.isin(who, mismatched)
            where[moved] = elsewhere[who[moved]]
        at = {"student_id": sid[who], "school_id": school_names[where]}
        att_parts.append(pl.DataFrame({**at, "term": term, "days_present": days}))
        exam_parts.append(pl.DataFrame({**at, "exam_id": f"{term}-期末统考", "term": term}))
    # A term that is not examined: read, validated, ignored.
    old = np.flatnonzero(active)[: n // 10]
    att_parts.append(
        pl.DataFrame(
            {
                "student_id": sid[old],
                "school_id": school_names[home[old]],
                "term": "2024-2",
                "days_present": rng.integers(70, 100, old.size),
            }
        )
    )
    # Exported term by term, school by school, as the schools report them.
    pl.concat(att_parts).sort("term", "school_id", "student_id").write_csv(out / "attendance.csv")
    pl.concat(exam_parts).sort("term", "school_id", "student_id").write_csv(out / "exams.csv")

    # Scattered transfers over the year, plus batches of 12 within 10 days.
    scattered = rng.choice(n, n // 200, replace=False)
    t_from = home[scattered]
    t_to = (t_from + 1 + rng.integers(0, schools - 1, scattered.size)) % schools
    t_day = rng.integers(0, 365, scattered.size)
    batches = max(1, n // 100_000)
    batch_students = rng.choice(np.setdiff1d(np.arange(n), scattered), batches * 12, replace=False)
    b_from = np.repeat(rng.integers(0, schools, batches), 12)
    b_to = (b_from + 1 + np.repeat(rng.integers(0, schools - 1, batches), 12)) % schools
    b_day = np.repeat(rng.integers(0, 355, batches), 12) + np.tile(np.arange(12) % 10, batches)
    day = np.concatenate([t_day, b_day])
    pl.DataFrame(
        {
            "student_id": sid[np.concatenate([scattered, batch_students])],
            "from_school_id": school_names[np.concatenate([t_from, b_from])],
            "to_school_id": school_names[np.concatenate([t_to, b_to])],
            "date": (np.datetime64("2024-09-01") + day.astype("timedelta64[D]")).astype("datetime64[D]"),
        }
    ).with_columns(pl.col("date").cast(pl.Date)).write_csv(out / "transfers.csv")
    (out / "terms.toml").write_text(f'current = "{TERMS[-1]}"\nterms = ["{TERMS[0]}", "{TERMS[1]}"]\n', encoding="utf-8")
    return {
        "duplicate_registration": 2 * dup_a.size,
        "ghost_registration": ghosts.size,
        "registry_attendance_mismatch": mismatched.size,
        "bulk_transfer": 12 * batches,
        "invalid_id_number": invalid.size,
    }


def run_once(case: Path, out: Path) -> tuple[float, float, int, int]:
    """Run the command once under /usr/bin/time -v; return (wall s, CPU s user+system, peak RSS bytes, exit)."""
    command = ["/usr/bin/time", "-v", str(GAOZHONG), "registry", "check", str(case), "--out", str(out)]
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - began

    def field(label: str) -> float:
        found = re.search(rf"{re.escape(label)}: ([0-9.]+)", done.stderr)
        return float(found.group(1)) if found else float("nan")

    cpu = field("User time (seconds)") + field("System time (seconds)")
    peak = int(field("Maximum resident set size (kbytes)") * 1024)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
    return wall, cpu, peak, done.returncode


def count_kinds(out: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    with out.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 2_000_000], help="numbers of students")
    parser.add_argument("--runs", type=int, default=3, help="runs of the command per size (default 3)")
    parser.add_argument("--workdir", type=Path, help="keep the generated cases here instead of a temporary directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="registry-bench-") as tmp:
        base = args.workdir or Path(tmp)
        all_met = True
        for n in args.sizes:
            case = base / f"students-{n}"
            case.mkdir(parents=True, exist_ok=True)
            began = time.perf_counter()
            planted = generate(n, case)
            sizes = {p.name: p.stat().st_size for p in sorted(case.iterdir())}
            rows = {name: sum(1 for _ in (case / name).open("rb")) - 1 for name in sizes if name.endswith(".csv")}
            print(f"== {n:,} students: generated in {time.perf_counter() - began:.1f} s")
            for name in sizes:
                extra = f", {rows[name]:,} rows" if name in rows else ""
                print(f"   {name}: {sizes[name] / 1e6:.1f} MB{extra}")
            out = base / f"out-{n}.csv"
            walls, peaks = [], []
            for run in range(1, args.runs + 1):
                load = os.getloadavg()[0]
                wall, cpu, peak, status = run_once(case, out)
                print(
                    f"   run {run}: wall {wall:.3f} s, CPU {cpu:.2f} s, peak RSS {peak / 2**20:.0f} MiB, exit {status}"
                    f" (load average before: {load:.2f})"
                )
                if status != 0:
                    return 1
                walls.append(wall)
                peaks.append(peak)
            found = count_kinds(out)
            print("   kind: found / planted")
            for kind, count in planted.items():
                print(f"     {kind}: {found.get(kind, 0):,} / {count:,}")
            median, peak = statistics.median(walls), max(peaks)
            print(f"   median wall {median:.3f} s, max peak RSS {peak / 2**20:.0f} MiB")
            if n in GOALS:
                limit_s, limit_mem = GOALS[n]
                met = median <= limit_s and (limit_mem is None or peak <= limit_mem)
                all_met &= met
                mem_goal = f" and ≤ {limit_mem / 2**30:.0f} GiB" if limit_mem else ""
                print(f"   goal ≤ {limit_s:g} s{mem_goal}: {'met' if met else 'NOT met'}")
        print("all goals met" if all_met else "some goals NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
