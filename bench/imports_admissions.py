"""Benchmark of the admissions imports on a city-sized year: 20,000 中考 candidates from .xlsx, the senior
schools' 招生计划, and the candidates' 志愿 (~100,000 rows), each through its import service exactly as the web
job and the management command call it (read, check every reference, write, one audit row); then the year's run;
then the run's recorded inputs (a case in the engine's format over the platform's codes) through ``year-import``
as the next year, its run, and a byte comparison of ``year-export`` with ``gaozhong admissions run``.

    .venv/bin/python bench/imports_admissions.py [--candidates 20000] [--seed 7] [--keep DIR]

A fresh SQLite database is built in a temporary data directory (migrations, a city of 8 counties, junior and
senior schools, a city administrator); the files are generated first, untimed, with openpyxl as a bureau's
system would write them. Printed: seconds of each import (wall, and this process's CPU), rows, what was written;
the run's steps (the inputs read in one transaction, the engine and explanations outside any, the re-check and
write in one transaction); peak memory of the process at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTIES = [("140501", "城区"), ("140502", "郊区"), ("140521", "沁水县"), ("140522", "阳城县"), ("140524", "陵川县"),
            ("140525", "泽州县"), ("140581", "高平市"), ("140591", "开发区")]


def check_character(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def write_xlsx(path: Path, sheet: str, header: list[str], rows) -> int:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(header)
    n = 0
    for r in rows:
        ws.append(r)
        n += 1
    wb.save(path)
    return n


def timed(label: str, fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    w, c = time.perf_counter() - w0, time.process_time() - c0
    return out, w, c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--candidates", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", metavar="DIR", help="keep the database and generated files in DIR")
    args = ap.parse_args()

    data_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-admissions-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.pop("DATABASE_URL", None)  # the benchmark's own SQLite file, never a shared database
    os.environ["GAOZHONG_DATA_DIR"] = str(data_dir)
    os.environ["GAOZHONG_SQLITE"] = str(data_dir / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaozhong.site.settings")
    import django  # after the environment above: the settings read it

    django.setup()
    # Django's models and the services need a set-up Django, so they are imported here, not at the top.
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from gaozhong.admissions.cli import main as admissions_main
    from gaozhong.admissions.importspecs import OTHER_SUBJECTS
    from gaozhong.admissions.models import AdmissionYear, Program
    from gaozhong.admissions.services.imports import plans_import, preferences_import, zhongkao_import
    from gaozhong.admissions.services.runs import admission_run_create, admission_run_execute
    from gaozhong.admissions.services.setup import admission_window_set, admission_year_create, programs_generate, school_plans_approve
    from gaozhong.admissions.services.yearcase import year_case_import
    from gaozhong.core.models import Candidate, City, County, Membership, Role, School

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    r = random.Random(args.seed)
    city = City.objects.create(code="1405", name="晋城市")
    counties = [County.objects.create(city=city, code=c, name=n) for c, n in COUNTIES]
    n = args.candidates
    juniors = [School.objects.create(county=counties[i % 8], code=f"J{i:04d}", name=f"第{i}初级中学", level="junior") for i in range(max(20, n // 300))]
    seniors = []
    for i in range(max(16, n // 1000)):
        quality = "provincial" if i < 4 else ("city" if i < 8 else "ordinary")
        seniors.append(School.objects.create(county=counties[i % 8], code=f"G{i:04d}", name=f"第{i}高级中学", level="senior", quality=quality,
                                             ownership="private" if i % 7 == 6 else "public"))
    admin = User.objects.create(username="bench_city")
    Membership.objects.create(user=admin, role=Role.CITY_ADMIN)
    print(f"database: {data_dir / 'bench.sqlite3'} ({len(counties)} counties, {len(juniors)} junior, {len(seniors)} senior schools; "
          f"set up in {time.perf_counter() - t0:.1f} s)")

    # 中考考生与成绩: every subject, 特长成绩 for a few, and a city's own 语数外总分 column.
    subjects = [zh for _, zh, _ in OTHER_SUBJECTS]
    header = ["准考证号", "姓名", "性别", "身份证号", "毕业学校代码", "户籍县(区)代码", "总分", "语文", "数学", "英语", *subjects, "特长成绩", "语数外总分"]

    def zk_rows():
        for i in range(n):
            j = juniors[r.randrange(len(juniors))]
            cme = [r.randint(60, 120) for _ in range(3)]
            others = [r.randint(20, 70) for _ in subjects]  # 总分 stays within 0–1000
            first = f"1405252010{i % 12 + 1:02d}{i // 12 % 28 + 1:02d}{i // 336 % 1000:03d}"  # unique below 336,000
            yield [f"2026{i:06d}", f"考生{i}", "男" if i % 2 else "女", first + check_character(first), j.code, j.county.code,
                   sum(cme) + sum(others), *cme, *others, round(r.uniform(55, 100), 1) if r.random() < 0.06 else None, sum(cme)]

    zk = data_dir / "中考成绩.xlsx"
    rows = write_xlsx(zk, "中考成绩", header, zk_rows())
    data = zk.read_bytes()
    out, w, c = timed("zhongkao", lambda: zhongkao_import(actor=admin, year=2026, data=data, filename=zk.name))
    assert out.ok, out.problems[:5]
    print(f"中考考生与成绩 (zhongkao): {rows} rows, {len(header)} columns, {len(data) / 1e6:.1f} MB .xlsx: {w:.2f} s wall, {c:.2f} s CPU "
          f"({out.created} created)")
    out, w, c = timed("zhongkao-again", lambda: zhongkao_import(actor=admin, year=2026, data=data, filename=zk.name))
    print(f"  the same file again (every row checked, none changed): {w:.2f} s wall, {c:.2f} s CPU ({out.unchanged} unchanged)")

    now = timezone.now()
    year = admission_year_create(actor=admin, year=2026, window_opens=now - dt.timedelta(days=1), window_closes=now + dt.timedelta(days=30))
    seats = int(n * 0.62 / len(seniors))
    pl = data_dir / "招生计划.xlsx"
    write_xlsx(pl, "招生计划", ["学校代码", "计划数", "特长生计划", "招生范围"],
               ([s.code, seats, round(seats * 0.02) if s.is_quality else 0, "" if s.is_quality else s.county.code] for s in seniors))
    out, w, c = timed("plans", lambda: plans_import(actor=admin, year=2026, data=pl.read_bytes(), filename=pl.name))
    assert out.ok, out.problems[:5]
    print(f"招生计划 (plans): {out.rows} rows: {w:.3f} s wall, {c:.3f} s CPU ({out.created} created)")
    school_plans_approve(actor=admin, year=year)
    gen = programs_generate(actor=admin, year=year)
    admission_window_set(actor=admin, year=year, status="open")

    programs = list(Program.objects.filter(year=year).select_related("feeder_school"))
    unified = [p for p in programs if p.kind == "unified"]
    quota = {}
    for p in programs:
        if p.kind == "quota":
            quota.setdefault(p.feeder_school.code, []).append(p)
    def pref_rows():
        for exam_no, junior in Candidate.objects.filter(year=2026).order_by("exam_no").values_list("exam_no", "junior_school__code").iterator():
            for k, p in enumerate(quota.get(junior, [])[:2], start=1):
                yield [exam_no, 2, k, p.code]
            for k, p in enumerate(r.sample(unified, k=r.randint(3, 6)), start=1):
                yield [exam_no, 3, k, p.code]

    pf = data_dir / "志愿.xlsx"
    prows = write_xlsx(pf, "志愿", ["准考证号", "批次", "志愿序号", "招生专业代码"], pref_rows())
    out, w, c = timed("preferences", lambda: preferences_import(actor=admin, year=2026, data=pf.read_bytes(), filename=pf.name))
    assert out.ok, out.problems[:5]
    print(f"志愿 (preferences): {prows} rows of {out.created} candidates ({gen['unified']} 统招, {gen['quota']} 指标到校, "
          f"{gen['talent']} 特长 programs): {w:.2f} s wall, {c:.2f} s CPU")

    admission_window_set(actor=admin, year=year, status="closed")
    run = admission_run_create(actor=admin, year=year)
    marks: list[tuple[float, float]] = []
    _, w, c = timed("run", lambda: admission_run_execute(run=run, progress=lambda pct, phase: marks.append((pct, time.perf_counter()))))
    print(f"year run (canonical inputs, engine, results with explanations stored): {w:.2f} s wall, {c:.2f} s CPU")
    at = dict(marks)
    print(f"  its steps: reading the inputs (one transaction) {at[30] - at[5]:.2f} s; engine {at[60] - at[30]:.2f} s and explanations "
          f"{at[80] - at[60]:.2f} s outside any transaction; re-check and write (one transaction) {at[100] - at[80]:.2f} s")
    # The run's recorded inputs are a case in the engine's format over the platform's codes: load it as another
    # year through year-import, run and export it, and compare with the engine command on the same directory.
    run.refresh_from_db()
    case = data_dir / "case"
    case.mkdir(exist_ok=True)
    for name, text in (("programs.csv", run.programs_csv), ("students.csv", run.students_csv), ("preferences.csv", run.preferences_csv),
                       ("policy.toml", run.policy_toml)):
        (case / name).write_text(text, encoding="utf-8")
    Candidate.objects.filter(year=2027).delete()
    summary, w, c = timed("year-import", lambda: year_case_import(actor=admin, year=2027, case_dir=case))
    print(f"year-import of that case as 2027: {summary['candidates']} candidates, {summary['preferences']} preferences: {w:.2f} s wall, {c:.2f} s CPU")
    run2 = admission_run_create(actor=admin, year=AdmissionYear.objects.get(year=2027))
    _, w, c = timed("year-run", lambda: admission_run_execute(run=run2))
    print(f"year-run 2027: {w:.2f} s wall, {c:.2f} s CPU")
    assert admissions_main(["run", str(case), "--out", str(data_dir / "engine")]) == 0
    assert admissions_main(["year-export", "2027", "--out", str(data_dir / "platform")]) == 0
    same = all((data_dir / "engine" / n).read_bytes() == (data_dir / "platform" / n).read_bytes() for n in ("results.csv", "cutoffs.csv"))
    print(f"year-export 2027 byte-identical to `gaozhong admissions run`: {same}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
