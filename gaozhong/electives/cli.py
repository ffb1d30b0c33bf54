"""``gaozhong timetable``: solve a case directory into classes, enrolments and a timetable, or form admin
classes around the students' choices (issue 7 §1).

    gaozhong timetable solve CASE --out OUT [--time-limit SECONDS] [--seed N]
    gaozhong timetable form-classes STUDENTS.csv --classes K --max-size 55 --fix 2|1 --out ASSIGN.csv

Exit status: 0 success, 2 bad input (every problem on stderr; OUT untouched), 3 infeasible (proved by counting:
the resource and the slots in conflict on stderr), 1 no timetable found in time (not a proof; the best partial
result's figures on stderr) or any other failure. ``--time-limit`` counts from the command's start.
"""

from __future__ import annotations

import argparse
import sys
import time

from gaozhong.common.standards import CLASS_MAX

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gaozhong timetable", description="选课走班与排课 (teaching classes and timetable)")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("solve", help="组班并排课 (form teaching classes and timetable them)")
    s.add_argument("case", help="案例目录 (case directory with calendar.toml and five CSV files)")
    s.add_argument("--out", required=True, help="输出目录 (output directory)")
    s.add_argument("--time-limit", type=float, default=600.0, help="时限秒数 (time limit in seconds, default 600)")
    s.add_argument("--seed", type=int, default=0, help="随机种子 (seed; equal seeds give equal results)")
    f = sub.add_parser("form-classes", help="按选科组建行政班 (form admin classes around the choices)")
    f.add_argument("students", help="STUDENTS.csv: student_id, electives")
    f.add_argument("--classes", type=int, required=True, help="行政班数 K (number of admin classes)")
    f.add_argument("--max-size", type=int, default=CLASS_MAX, help=f"班额上限 (largest class, default {CLASS_MAX})")
    f.add_argument("--fix", type=int, choices=(1, 2), required=True, help="定二走一 = 2, 定一走二 = 1")
    f.add_argument("--out", required=True, help="ASSIGN.csv")
    f.add_argument("--time-limit", type=float, default=60.0, help="时限秒数 (time limit in seconds, default 60)")
    f.add_argument("--seed", type=int, default=0, help="随机种子 (seed)")
    sf = sub.add_parser("solve-fet", help="求解 FET 文件 (solve a FET 6.x file, write it back with every activity locked)")
    sf.add_argument("fet", help="IN.fet")
    sf.add_argument("--out", required=True, help="OUT.fet")
    sf.add_argument("--time-limit", type=float, default=60.0, help="时限秒数 (time limit in seconds, default 60)")
    sf.add_argument("--seed", type=int, default=0, help="随机种子 (seed)")
    ef = sub.add_parser("export-fet", help="导出为 FET 文件 (write a case, and its solution, as a FET file)")
    ef.add_argument("case", help="案例目录 (case directory)")
    ef.add_argument("out", help="OUT.fet")
    ef.add_argument("--solution", help="solve 的输出目录 (the OUT directory of gaozhong timetable solve)")
    return p


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    if args.cmd == "solve":
        return _solve(args)
    if args.cmd == "solve-fet":
        return _solve_fet(args)
    if args.cmd == "export-fet":
        return _export_fet(args)
    return _form(args)


def _solve(args) -> int:
    started = time.monotonic()
    from gaozhong.common.errors import InputError
    from gaozhong.common.outdir import write_files
    from gaozhong.electives.engine.output import render, summary_lines
    from gaozhong.electives.engine.reading import read_case
    from gaozhong.electives.engine.pipeline import solve
    from gaozhong.electives.engine.types import Infeasible, NoTimetableFound

    if args.time_limit <= 0:
        print("--time-limit: 应为正数 (must be positive)", file=sys.stderr)
        return 2
    try:
        case = read_case(args.case)
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        result = solve(case, time_limit=args.time_limit, seed=args.seed, started=started)
    except Infeasible as exc:
        print("无法排课 (infeasible):", file=sys.stderr)
        for r in exc.reasons:
            print(f"  - {r}", file=sys.stderr)
        return 3
    except NoTimetableFound as exc:
        print(f"未找到课表 (no timetable): {exc}", file=sys.stderr)
        return 1
    write_files(args.out, render(result))
    for line in summary_lines(result):
        print(line)
    return 0


def _form(args) -> int:
    from gaozhong.common.errors import InputError
    from gaozhong.common.outdir import write_files
    from gaozhong.electives.engine.formclasses import form_admin_classes, read_choices, render_assignment
    from gaozhong.electives.engine.types import Infeasible, NoTimetableFound

    bad = []
    if args.classes < 1:
        bad.append("--classes: 应为 ≥ 1 的整数 (must be a whole number ≥ 1)")
    if args.max_size < 1:
        bad.append("--max-size: 应为 ≥ 1 的整数 (must be a whole number ≥ 1)")
    if args.time_limit <= 0:
        bad.append("--time-limit: 应为正数 (must be positive)")
    try:
        students = read_choices(args.students)
    except InputError as exc:
        bad.append(str(exc))
    if bad:
        print("\n".join(bad), file=sys.stderr)
        return 2
    try:
        plan = form_admin_classes(students, classes=args.classes, max_size=args.max_size, fix=args.fix,
                                  time_limit=args.time_limit, seed=args.seed)
    except Infeasible as exc:
        print("无法分班 (infeasible):", file=sys.stderr)
        for r in exc.reasons:
            print(f"  - {r}", file=sys.stderr)
        return 3
    except NoTimetableFound as exc:
        print(f"未找到分班方案 (no assignment found): {exc}", file=sys.stderr)
        return 1
    from pathlib import Path

    out = Path(args.out)
    write_files(out.parent if str(out.parent) else ".", {out.name: render_assignment(plan)})
    for line in plan.summary():
        print(line)
    return 0


def _write_one(path: str, text: str) -> None:
    from pathlib import Path

    from gaozhong.common.outdir import write_files

    out = Path(path)
    write_files(out.parent if str(out.parent) else ".", {out.name: text})


def _solve_fet(args) -> int:
    """``solve-fet IN.fet --out OUT.fet``: 0 written, 2 bad input, 3 infeasible, 1 nothing found in time."""
    from gaozhong.common.errors import InputError
    from gaozhong.electives.engine.fet.check import check_timetable
    from gaozhong.electives.engine.fet.parse import read_fet
    from gaozhong.electives.engine.fet.solve import FetInfeasible, FetNoSolution, solve_fet
    from gaozhong.electives.engine.fet.write import locked_fet_text

    if args.time_limit <= 0:
        print("--time-limit: 应为正数 (must be positive)", file=sys.stderr)
        return 2
    try:
        fet = read_fet(args.fet)
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        placement = solve_fet(fet, time_limit=args.time_limit, seed=args.seed)
    except FetInfeasible as exc:
        print("无法排课 (infeasible):", file=sys.stderr)
        for r in exc.reasons:
            print(f"  - {r}", file=sys.stderr)
        return 3
    except FetNoSolution as exc:
        print(f"未找到课表 (no timetable): {exc}", file=sys.stderr)
        return 1
    bad = check_timetable(fet, placement)
    if bad:  # never write a timetable that breaks a hard constraint
        print("内部错误：课表违反硬约束 (internal error: the timetable breaks hard constraints):", file=sys.stderr)
        for b in bad[:20]:
            print(f"  - {b}", file=sys.stderr)
        return 1
    _write_one(args.out, locked_fet_text(fet, placement))
    print(f"活动 {len(fet.activities)} 个已全部锁定 (activities locked); 教室 {len(placement.room)}; "
          f"软约束罚分 (soft penalty, -ln of FET acceptance odds) {placement.objective:g}; {placement.status}; "
          f"首个可行解 (first valid) {placement.first_seconds:.1f} s, 共 (total) {placement.seconds:.1f} s")
    return 0


def _export_fet(args) -> int:
    """``export-fet CASE OUT.fet [--solution DIR]``: 0 written, 2 bad input."""
    from gaozhong.common.errors import InputError
    from gaozhong.electives.engine.fet.export import case_to_fet, read_solution
    from gaozhong.electives.engine.reading import read_case

    try:
        case = read_case(args.case)
        solution = read_solution(case, args.solution) if args.solution else None
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    _write_one(args.out, case_to_fet(case, solution))
    return 0
