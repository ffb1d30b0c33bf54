"""Benchmark of the timetable's manual changes (issue 7 §2): how long the clash check of one lesson move takes
(the web page asks it each time a slot is picked) and how a re-solve after a teacher's leave goes, on a generated
3+1+2 school (tests/electives/schoolgen.py) solved first with the engine.

    .venv/bin/python bench/timetable_moves.py --students 2000 --moves 300 --options 100

It prints the solve's wall time, the median and largest time of ``check_move`` over random moves (and how many
were refused), of ``move_options`` (every free slot and swap of a lesson, what the grid asks when a lesson is
clicked) over random lessons with how many free slots and swaps they have, and for a leave of the busiest teacher's first three slots: wall time, lessons moved out of all,
and whether the new timetable keeps the teacher out of those slots.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str] | None = None) -> int:
    from gaozhong.electives.engine.adjust import move_options
    from gaozhong.electives.engine.moves import check_move, resolve_unavailable
    from gaozhong.electives.engine.pipeline import solve
    from gaozhong.electives.engine.reading import read_case

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", type=int, default=2000)
    p.add_argument("--moves", type=int, default=300)
    p.add_argument("--options", type=int, default=100, help="lessons whose free slots and swaps are listed (move_options)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    gen = _load("bench_schoolgen", ROOT / "tests" / "electives" / "schoolgen.py")
    print(f"machine: {os.cpu_count()} cores, load average before {os.getloadavg()[0]:.2f}; {args.students} students, seed {args.seed}")
    with tempfile.TemporaryDirectory() as tmp:
        gen.School(args.students, seed=args.seed).write(Path(tmp) / "case")
        case = read_case(Path(tmp) / "case")
    t = time.perf_counter()
    result = solve(case, time_limit=600, seed=args.seed)
    print(f"solve: {time.perf_counter() - t:.1f} s, {result.teaching_classes} teaching classes (LB {result.lower_bound}), {len(result.lessons)} lessons")
    r = random.Random(args.seed)
    times, refused = [], 0
    for _ in range(args.moves):
        les = r.choice(result.lessons)
        slot = r.randrange(case.calendar.n_slots)
        t = time.perf_counter()
        reasons = check_move(result, les, slot)
        times.append(time.perf_counter() - t)
        refused += bool(reasons)
    print(f"check_move: {len(times)} moves, median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms, "
          f"{refused} refused with reasons")
    times, free, swaps = [], [], []
    for les in r.sample(result.lessons, min(args.options, len(result.lessons))):
        t = time.perf_counter()
        opts = move_options(result, les)
        times.append(time.perf_counter() - t)
        free.append(len(opts.free))
        swaps.append(len(opts.swaps))
    if times:
        print(f"move_options: {len(times)} lessons, median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms; "
              f"free slots per lesson median {statistics.median(free):g} (max {max(free)}), swaps median {statistics.median(swaps):g} "
              f"(max {max(swaps)}), lessons with neither {sum(1 for f, w in zip(free, swaps) if not f and not w)}")
    by_teacher = Counter(c.teacher for c in result.classes for _ in range(c.lessons))
    teacher = by_teacher.most_common(1)[0][0]
    classes = {c.id for c in result.classes if c.teacher == teacher}
    slots = sorted({les.slot for les in result.lessons if les.class_id in classes})[:3]
    t = time.perf_counter()
    new, moved = resolve_unavailable(result, teacher, set(slots), time_limit=120, seed=args.seed)
    wall = time.perf_counter() - t
    clear = not any(les.slot in slots for les in new.lessons if les.class_id in classes)
    print(f"leave of {teacher} ({by_teacher[teacher]} lessons) in {', '.join(case.calendar.label(s) for s in slots)}: "
          f"{wall:.1f} s, {moved} of {len(new.lessons)} lessons moved, teacher free then: {clear}")
    return 0 if clear else 1


if __name__ == "__main__":
    sys.exit(main())
