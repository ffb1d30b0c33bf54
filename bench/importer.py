"""Benchmark of the Excel/CSV importer: read a 100,000-row students table from .xlsx and CSV, and export it.

Every measured step runs in its own child process under ``/usr/bin/time``, so its peak memory is its own.
Printed per step: seconds of the step itself as timed inside the child, wall and CPU seconds of the whole
child (interpreter start and imports included), and the child's peak resident memory (``/usr/bin/time``'s
%M, the "Maximum resident set size" of ``-v``). On a busy machine compare CPU seconds. Files are generated first,
untimed: an .xlsx laid out as Excel saves it (shared strings, text-formatted identifiers, date cells), the
same rows exported by gaozhong.importer.export (openpyxl write-only, inline strings), and a UTF-8-with-BOM
CSV.

The first step is a hostile file: a workbook with a 200 MB XML comment in its sheet, which must be refused
(``refuse``), in well under a second.

Usage: .venv/bin/python bench/importer.py [--rows 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "importer"))  # the students spec and generators of the tests

import _support  # noqa: E402
from _xlsx_writer import write_fast_xlsx  # noqa: E402


def lazy_students(n: int):
    rng = random.Random(2025)
    for i in range(n):
        yield _support.student(rng, i)


def child(op: str, path: str, n: int) -> None:
    """Run one step and print its own timing as JSON (the parent adds wall time and peak memory)."""
    from gaozhong.common.errors import InputError
    from gaozhong.importer import read_table, write_csv, write_xlsx

    t0 = time.perf_counter()
    if op == "read":
        result = read_table(path, _support.STUDENTS)
        rows = len(result)
    elif op == "refuse":
        try:
            read_table(path, _support.STUDENTS)
        except InputError as exc:
            print(json.dumps({"rows": 0, "step_seconds": time.perf_counter() - t0, "reason": exc.problems[0].reason[:60]}))
            return
        raise SystemExit("the hostile file was read, not refused")
    elif op == "export-xlsx":
        rows = write_xlsx(path, _support.STUDENTS, lazy_students(n))
    elif op == "export-csv":
        rows = write_csv(path, _support.STUDENTS, lazy_students(n))
    else:
        raise SystemExit(f"unknown step {op}")
    print(json.dumps({"rows": rows, "step_seconds": time.perf_counter() - t0}))


def measure(op: str, path: Path, n: int) -> dict:
    """Run one step in a child under /usr/bin/time, which reports the child's own peak resident memory.

    (os.wait4 from this process would not do: after fork and exec, Linux carries the parent's high-water mark
    into the child's ru_maxrss, and this process holds the generated rows.)
    """
    with tempfile.NamedTemporaryFile("r") as timing:
        cmd = ["/usr/bin/time", "-f", "%M %e %U %S", "-o", timing.name,
               sys.executable, __file__, "--child", op, str(path), "--rows", str(n)]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            raise SystemExit(f"step {op} failed ({proc.returncode}):\n{proc.stderr}")
        peak_kb, wall, user, system = timing.read().split()[-4:]
    data = json.loads(proc.stdout)
    data.update(op=op, file=path.name, size_mb=path.stat().st_size / 2**20, wall_seconds=float(wall),
                peak_mb=int(peak_kb) / 1024, cpu_seconds=float(user) + float(system))
    return data


def _hostile_workbook(work: Path, like: Path, comment_mb: int = 200) -> Path:
    """A small workbook whose sheet holds one 200 MB XML comment (deflated to a fraction of a megabyte): the
    parser under openpyxl would take half an hour on it; the importer must refuse it at once."""
    import zipfile

    out = work / "hostile.xlsx"
    with zipfile.ZipFile(like) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, tail = data.split(b"<sheetData>", 1)
                data = head + b"<!--" + b"x" * (comment_mb << 20) + b"--><sheetData>" + tail
            dst.writestr(info.filename, data)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the generated files here instead of a temporary directory")
    parser.add_argument("--child", nargs=2, metavar=("STEP", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.rows)
        return 0

    n = args.rows
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        excel_like = write_fast_xlsx(work / "students_excel.xlsx", "学生",
                                     [_support.HEADERS] + [_support.as_cells(s) for s in lazy_students(n)])
        print(f"generated {n} rows as {excel_like.name} in {time.perf_counter() - t:.1f} s (not measured)")
        hostile = _hostile_workbook(work, excel_like)
        results = [
            measure("refuse", hostile, 0),
            measure("export-xlsx", work / "students_export.xlsx", n),
            measure("export-csv", work / "students_export.csv", n),
            measure("read", excel_like, n),
            measure("read", work / "students_export.xlsx", n),
            measure("read", work / "students_export.csv", n),
        ]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end; python {sys.version.split()[0]}")
    print(f"{'step':<12} {'file':<22} {'MB':>6} {'rows':>8} {'step s':>8} {'wall s':>8} {'cpu s':>7} {'peak MB':>8}")
    for r in results:
        print(f"{r['op']:<12} {r['file']:<22} {r['size_mb']:>6.1f} {r['rows']:>8} {r['step_seconds']:>8.2f} "
              f"{r['wall_seconds']:>8.2f} {r['cpu_seconds']:>7.2f} {r['peak_mb']:>8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
