"""Benchmark of each demo role's 首页 and menu on a built demo city (``gaozhong demo --no-serve`` first).

    GAOZHONG_DATA_DIR=<the demo's data directory> .venv/bin/python bench/home_pages.py [--repeat 5]

For each demo account (city, county, school, teacher, student, candidate) it signs in with Django's test client,
times the 首页 (median of ``--repeat`` requests, after one warm-up) and counts its SQL queries, then opens every
entry of the account's menu once and prints its status and time. Every status must be 200 (the script exits 1
otherwise). Goal: each role's 首页 answers in under 0.5 s on the demo city (20,264 candidates, 64,725 students).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaozhong.site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()  # the test client records each response's template context (the menu is read from it)

ACCOUNTS = {"city": "city_admin", "county": "county_149901", "school": "school_G0101", "teacher": "teacher_demo",
            "student": "student_demo", "candidate": "candidate_demo"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    bad = 0
    print(f"{'role':<10} {'home median s':>14} {'queries':>8}  menu (status, seconds)")
    for role, username in ACCOUNTS.items():
        user = User.objects.get(username=username)
        c = Client(HTTP_HOST="127.0.0.1")
        c.force_login(user)
        c.get("/")
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            r = c.get("/")
            times.append(time.perf_counter() - t)
        queries = []
        with connection.execute_wrapper(lambda execute, sql, params, many, context: (queries.append(sql), execute(sql, params, many, context))[1]):
            r = c.get("/")
        menu = []
        for item in r.context["nav_items"]:
            t = time.perf_counter()
            resp = c.get(item["url"], follow=True)
            menu.append(f"{item['label']} {resp.status_code} {time.perf_counter() - t:.2f}")
            bad += resp.status_code != 200
        print(f"{role:<10} {statistics.median(times):>14.3f} {len(queries):>8}  {'; '.join(menu)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
