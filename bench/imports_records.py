"""Benchmark of the evaluation and registry record imports at a city's size: 30,000 高考成绩 rows and 200,000
考勤 rows, imported through the services the upload pages and commands use (reading, every reference check,
writing, the audit row).

The files are what a bureau receives: the 考试院's gaokao results as an .xlsx workbook (one sheet, Chinese
headers, identifiers as text) and the attendance system's export as a CSV saved by Excel/WPS on Chinese
Windows (GB18030, CRLF). Generated first, untimed, with a city of 40 senior schools and 100,000 students
(two terms of attendance each) in a fresh SQLite database under a temporary directory.

Each step runs in its own child process, so its peak memory (ru_maxrss) is its own; printed per step:
seconds inside the service, rows per second, peak resident memory of the child, and the import's counts.
A second run of the same attendance file (every row unchanged) is timed too.

Usage: .venv/bin/python bench/imports_records.py [--students 100000] [--gaokao 30000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHOOLS = 40


def _django(data_dir: str) -> None:
    os.environ["GAOZHONG_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaozhong.site.settings")
    import django

    django.setup()


def _id_number(i: int) -> str:
    from gaozhong.importer.idnumber import check_character

    body = f"1401{(i // 1000) % 100:02d}2007{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
    return body + check_character(body)


def setup(data_dir: str, students: int, gaokao: int) -> dict:
    """Database with the city, schools, students and an admin; the two files. Untimed."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from gaozhong.core.models import City, County, Membership, Role, School, SchoolYear, Student

    city = City.objects.create(code="1401", name="基准市")
    SchoolYear.objects.create(start_year=2025, is_current=True)
    counties = [County.objects.create(city=city, code=f"1401{k:02d}", name=f"第{k}县") for k in range(1, 9)]
    schools = [School.objects.create(county=counties[j % 8], code=f"G{j:04d}", name=f"第{j}中学", level="senior") for j in range(SCHOOLS)]
    rng = random.Random(2026)
    rows = []
    for i in range(students):
        entry = 2023 if i < gaokao else rng.choice((2024, 2025))
        rows.append(Student(student_no=f"G{_id_number(i)}", id_number=_id_number(i), name=f"学生{i}", gender="男", entry_year=entry,
                            school=schools[i % SCHOOLS], entry_score=rng.randint(350, 680)))
    Student.objects.bulk_create(rows, batch_size=5000)
    admin = User.objects.create(username="bench_city")
    Membership.objects.create(user=admin, role=Role.CITY_ADMIN)

    import openpyxl

    from gaozhong.evaluation.importspecs import GAOKAO

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(GAOKAO.sheet_name)
    ws.append(["高考年份", "考生号", "身份证号", "学籍号", "姓名", "总分", "语文", "数学", "外语", "物理", "化学", "生物", "达线批次"])
    for i in range(gaokao):
        s = [rng.randint(60, 140), rng.randint(40, 148), rng.randint(50, 145), rng.randint(30, 98), rng.randint(30, 98), rng.randint(30, 98)]
        by_id = i % 2 == 0  # half the rows identify the student by 身份证号, half by 学籍号
        ws.append([2026, f"26140{i:09d}", _id_number(i) if by_id else None, None if by_id else f"G{_id_number(i)}", f"学生{i}", sum(s), *s,
                   rng.choice(["本科批", "专科批", "未达线"])])
    gk = Path(data_dir) / "高考成绩.xlsx"
    wb.save(gk)
    att = Path(data_dir) / "考勤.csv"
    lines = ["学籍号,出勤学校代码,学期,出勤天数"]
    for i in range(students):
        for term in ("2025-1", "2025-2"):
            lines.append(f"G{_id_number(i)},G{i % SCHOOLS:04d},{term},{rng.randint(60, 96)}")
    att.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    return {"gaokao_file": str(gk), "gaokao_bytes": gk.stat().st_size, "attendance_file": str(att), "attendance_bytes": att.stat().st_size,
            "attendance_rows": len(lines) - 1}


def measure(kind: str, path: str) -> dict:
    from django.contrib.auth.models import User

    from gaozhong.evaluation.services.imports import gaokao_import
    from gaozhong.registry.services.imports import attendance_import

    actor = User.objects.get(username="bench_city")
    data = Path(path).read_bytes()
    fn = gaokao_import if kind == "gaokao" else attendance_import
    t0 = time.perf_counter()
    out = fn(actor=actor, data=data, filename=Path(path).name)
    seconds = time.perf_counter() - t0
    if out.problems:
        raise SystemExit(f"unexpected problems: {out.problems[:5]}")
    return {"seconds": seconds, "rows": out.rows, "created": out.created, "updated": out.updated, "unchanged": out.unchanged,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child(args: argparse.Namespace) -> None:
    _django(args.data_dir)
    if args.child == "setup":
        result = setup(args.data_dir, args.students, args.gaokao)
    else:
        result = measure(args.child, args.file)
    print(json.dumps(result))


def run_child(data_dir: str, step: str, *extra: str) -> dict:
    cmd = [sys.executable, __file__, "--child", step, "--data-dir", data_dir, *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        sys.exit(f"{step} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", type=int, default=100_000)
    p.add_argument("--gaokao", type=int, default=30_000)
    p.add_argument("--keep", default=None, help="keep the database and files in DIR")
    p.add_argument("--child", default=None, help=argparse.SUPPRESS)
    p.add_argument("--data-dir", default=None, help=argparse.SUPPRESS)
    p.add_argument("--file", default=None, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(args)
        return
    data_dir = args.keep or tempfile.mkdtemp(prefix="gaozhong-bench-")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    print(f"load average {os.getloadavg()[0]:.2f}; SQLite database in {data_dir}")
    t0 = time.perf_counter()
    files = run_child(data_dir, "setup", "--students", str(args.students), "--gaokao", str(args.gaokao))
    print(f"setup (untimed for the figures): {args.students:,} students, {SCHOOLS} schools, files generated in {time.perf_counter() - t0:.1f} s")
    print(f"  高考成绩.xlsx: {args.gaokao:,} rows, {files['gaokao_bytes'] / 2**20:.1f} MiB; "
          f"考勤.csv (GB18030): {files['attendance_rows']:,} rows, {files['attendance_bytes'] / 2**20:.1f} MiB")
    steps = [("gaokao .xlsx", "gaokao", files["gaokao_file"]), ("attendance CSV", "attendance", files["attendance_file"]),
             ("attendance CSV again (unchanged)", "attendance", files["attendance_file"])]
    print(f"{'import':34} {'rows':>8} {'seconds':>8} {'rows/s':>8} {'peak MiB':>9}  counts")
    for label, kind, path in steps:
        r = run_child(data_dir, kind, "--file", path)
        print(f"{label:34} {r['rows']:>8,} {r['seconds']:>8.2f} {r['rows'] / r['seconds']:>8,.0f} {r['peak_mib']:>9.0f}  "
              f"created {r['created']:,}, updated {r['updated']:,}, unchanged {r['unchanged']:,}")


if __name__ == "__main__":
    main()
