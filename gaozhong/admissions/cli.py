"""``gaozhong admissions``: run an admission case, split 指标到校 quotas, print a case's digest.

    gaozhong admissions run CASE --out OUT
    gaozhong admissions publicity CASE --out OUT
    gaozhong admissions split-quota DIR --share 0.5 [--min-seats N] --out quotas.csv
    gaozhong admissions digest CASE
    gaozhong admissions year-import YEAR CASE --user U    (database: routed to ``yearcli``)
    gaozhong admissions year-run YEAR --user U
    gaozhong admissions year-export YEAR --out OUT

The ``year-*`` sub-commands work on the platform's database; they live in ``gaozhong.admissions.yearcli``, which
sets Django up, so the engine sub-commands here stay free of Django.

Exit status: 0 success, 2 bad input (every problem on stderr with file, line, column and reason; nothing is
written and an existing output is left as it was), 1 anything else.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

__all__ = ["main"]

#: Sub-commands on the platform's database, routed to this module (which sets Django up).
DATABASE_COMMANDS = {"year-import", "year-run", "year-export"}
DATABASE_MODULE = "gaozhong.admissions.yearcli"


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="gaozhong admissions", description="统一招生录取 (unified senior-high admissions)")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="录取 (run an admission case: results.csv, cutoffs.csv and, for a 高中阶段 case, more into OUT)")
    run.add_argument("case", metavar="CASE", help="目录: programs.csv students.csv preferences.csv policy.toml")
    run.add_argument("--out", required=True, metavar="OUT", help="输出目录 (output directory)")
    pub = sub.add_parser("publicity", help="录取前公示 (特长生公示名单 publicity.csv; 普职比 from the plans)")
    pub.add_argument("case", metavar="CASE", help="目录: 同 run (same case directory as run)")
    pub.add_argument("--out", required=True, metavar="OUT", help="输出目录 (output directory)")
    split = sub.add_parser("split-quota", help="指标到校名额分配 (split quality schools' quota seats)")
    split.add_argument("dir", metavar="DIR", help="目录: schools.csv juniors.csv")
    split.add_argument("--share", required=True, help="指标到校比例, e.g. 0.5 (≥ 0.5, seed 002 §三(一))")
    split.add_argument("--min-seats", default="0", help="每所初中保底名额 (minimum seats per junior school)")
    split.add_argument("--out", required=True, metavar="quotas.csv", help="输出文件 (output file)")
    dig = sub.add_parser("digest", help="输入摘要 (SHA-256 of canonical inputs, policy and engine version)")
    dig.add_argument("case", metavar="CASE")
    sub.add_parser("year-import", help="导入录取案例为招生年度 (YEAR CASE --user U; uses the database)")
    sub.add_parser("year-run", help="运行招生年度的录取 (YEAR --user U; uses the database)")
    sub.add_parser("year-export", help="导出最近一次运行的结果 (YEAR --out OUT; uses the database)")
    return ap


def _bad(problems) -> int:
    print("输入有误，未写出任何文件 (bad input; nothing was written):", file=sys.stderr)
    for p in problems:
        print(p, file=sys.stderr)
    return 2


#: glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_MAX, _M_ARENA_MAX = -1, -2, -4, -8


def _prepare_process() -> None:
    """Set the process up for one large run before NumPy is loaded.

    The engine does no linear algebra, so OpenBLAS gets one thread instead of a pool of idle ones. A city-size
    run allocates and frees arrays of tens of megabytes many times; glibc would map each one afresh and unmap it
    when freed, and the kernel would then zero every page again on first touch (on this kind of virtual machine
    that was a third of the run's CPU time). Serving them from the heap and keeping freed memory there lets the
    next array reuse pages already mapped. NumPy asks for transparent huge pages for large arrays; arrays that
    are written once and read a few times gain little from them, and on the development machine the 2 MiB pages
    cost more to provide than the small ones (1M-candidate run: system time 1.9 s with them, 1.0 s without).
    Nothing here changes a result.
    """
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
    if not sys.platform.startswith("linux"):
        return
    try:
        if not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):
            return
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(_M_ARENA_MAX, 1)  # one heap for every thread: a file read in one is memory for the others
        libc.mallopt(_M_MMAP_MAX, 0)
        libc.mallopt(_M_TRIM_THRESHOLD, 1 << 30)
        libc.mallopt(_M_TOP_PAD, 64 << 20)
    except (OSError, ValueError, AttributeError):
        pass


def _read_ahead(case: str) -> dict:
    """Start reading the case's two large files in a second thread; the bytes arrive while NumPy and Polars load
    (reading releases the GIL). A file that cannot be read is read again, and reported, by read_case."""
    pool = ThreadPoolExecutor(max_workers=1)
    started = {name: pool.submit(Path(case, name).read_bytes) for name in ("preferences.csv", "students.csv")}
    pool.shutdown(wait=False)
    return started


def _run(args) -> int:
    _prepare_process()
    read_ahead = _read_ahead(args.case)
    from gaozhong.common.errors import InputError
    from gaozhong.common.outdir import write_files

    from .engine.output import publicity_outputs, run_outputs
    from .engine.readcase import read_case

    collecting = gc.isenabled()
    gc.disable()  # the run builds few reference cycles; collections would only walk its objects again and again
    try:
        case = read_case(args.case, reads=read_ahead)
        files = run_outputs(case)[0] if args.command == "run" else publicity_outputs(case)
    except InputError as e:
        return _bad(e.problems)
    finally:
        if collecting:
            gc.enable()
    try:
        write_files(args.out, files)
    except OSError as e:
        print(f"无法写出结果 (cannot write {args.out}): {e}", file=sys.stderr)
        return 1
    return 0


def _digest(args) -> int:
    from gaozhong.common.errors import InputError

    from .engine.digest import canonical_inputs_digest
    from .engine.readcase import read_case

    try:
        case = read_case(args.case)
    except InputError as e:
        return _bad(e.problems)
    print(canonical_inputs_digest(case))
    return 0


def _split(args) -> int:
    from gaozhong.common.errors import InputError, Problem
    from gaozhong.common.outdir import write_files

    from .engine.quotas import MIN_SHARE, allocate_quotas
    from .engine.readquotas import read_quota_inputs

    problems = []
    share = None
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", args.share.strip()):
        problems.append(Problem("--share", None, None, f"“{args.share}” 不是小数 (not a decimal number such as 0.5)"))
    else:
        share = Fraction(args.share.strip())
        if not MIN_SHARE <= share <= 1:
            problems.append(Problem(
                "--share", None, None,
                f"“{args.share}” 须在 {float(MIN_SHARE)} 与 1 之间，指标到校不低于 {float(MIN_SHARE):.0%} (must be between {float(MIN_SHARE)} and 1; "
                "seed 002 §三(一))",
            ))
    min_seats = None
    if not re.fullmatch(r"[0-9]+", args.min_seats.strip()):
        problems.append(Problem("--min-seats", None, None, f"“{args.min_seats}” 不是非负整数 (not a non-negative whole number)"))
    else:
        min_seats = int(args.min_seats)
    try:
        schools, juniors = read_quota_inputs(args.dir)
    except InputError as e:
        problems.extend(e.problems)
    if problems:
        return _bad(problems)
    split = allocate_quotas(schools, juniors, share, min_seats)
    for w in split.warnings:
        print(f"警告 (warning): {w.message}", file=sys.stderr)
    lines = ["school_id,junior_school_id,seats"]
    lines += [",".join(_cell(x) for x in (r.school_id, r.junior_school_id, str(r.seats))) for r in split.rows]
    out = Path(args.out)
    try:
        write_files(out.parent, {out.name: "\n".join(lines) + "\n"})
    except OSError as e:
        print(f"无法写出结果 (cannot write {args.out}): {e}", file=sys.stderr)
        return 1
    return 0


def _cell(text: str) -> str:
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def main(argv: list[str]) -> int:
    if argv and argv[0] in DATABASE_COMMANDS:
        return int(importlib.import_module(DATABASE_MODULE).main(argv) or 0)
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    if args.command in ("run", "publicity"):
        return _run(args)
    if args.command == "split-quota":
        return _split(args)
    return _digest(args)
