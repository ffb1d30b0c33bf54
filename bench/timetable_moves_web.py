"""Benchmark of the timetable-change pages on the demo city's 晋阳市第一中学 (G0101, 高二: 916 students, 17 admin
classes): how long the 课表 grid, the options of a clicked lesson (every free slot and 对调, what the grid lights
up), a move and a swap take through the web stack (Django test client, session of ``school_G0101``), on the
database of a built demo. When the window has no timetable it is solved first (the web's own job). The script
moves and swaps lessons of that timetable: run it on a demo database only.

    GAOZHONG_DATA_DIR=/tmp/demo .venv/bin/gaozhong demo --no-serve --rebuild
    GAOZHONG_DATA_DIR=/tmp/demo .venv/bin/python bench/timetable_moves_web.py --lessons 40 --changes 5
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--school", default="G0101")
    p.add_argument("--lessons", type=int, default=40, help="lessons whose options are asked")
    p.add_argument("--changes", type=int, default=5, help="moves and swaps made through the move page")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaozhong.site.settings")
    os.environ.setdefault("GAOZHONG_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    from gaozhong.electives.models import Lesson, Timetable, Window
    from gaozhong.electives.services.timetables import solve_start

    user = User.objects.get(username=f"school_{args.school}")
    window = Window.objects.filter(school__code=args.school).order_by("-grade").first()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; window {window} ({window.school.name})")
    tt = Timetable.objects.filter(window=window, is_current=True).first()
    if tt is None:
        t = time.perf_counter()
        job = solve_start(actor=user, window=window, time_limit=120)
        job.refresh_from_db()
        print(f"solved first: {job.status}, {time.perf_counter() - t:.1f} s")
        tt = Timetable.objects.get(window=window, is_current=True)
    lessons = list(Lesson.objects.filter(teaching_class__timetable=tt).select_related("teaching_class__admin_class").order_by("pk"))
    print(f"timetable #{tt.pk}: {tt.teaching_classes} teaching classes, {len(lessons)} lessons")
    c = Client()
    c.force_login(user)
    rng = random.Random(args.seed)

    grid = []
    for ac in sorted({les.teaching_class.admin_class for les in lessons if les.teaching_class.admin_class_id}, key=lambda a: a.number)[:5]:
        t = time.perf_counter()
        r = c.get(f"/electives/timetables/{tt.pk}/grid/", {"kind": "admin", "key": f"{ac.grade}{ac.number:02d}"})
        grid.append(time.perf_counter() - t)
        assert r.status_code == 200
    print(f"grid page (admin class, movable): {len(grid)} pages, {_ms(grid)}")

    asked, free, swaps, answers = [], [], [], {}
    for les in rng.sample(lessons, min(args.lessons, len(lessons))):
        t = time.perf_counter()
        data = c.get(f"/electives/lessons/{les.pk}/options/").json()
        asked.append(time.perf_counter() - t)
        free.append(len(data["free"]))
        swaps.append(len(data["swaps"]))
        answers[les.pk] = data
    print(f"options of a clicked lesson: {len(asked)} lessons, {_ms(asked)}; free slots median {statistics.median(free):g} "
          f"(max {max(free)}), swaps median {statistics.median(swaps):g} (max {max(swaps)}), with neither {sum(1 for f, s in zip(free, swaps) if not f and not s)}")

    moved, swapped = [], []
    for pk, data in answers.items():
        if len(moved) >= args.changes and len(swapped) >= args.changes:
            break
        kind = "free" if data["free"] and len(moved) < args.changes else "swaps" if data["swaps"] and len(swapped) < args.changes else None
        if kind is None:
            continue
        fresh = c.get(f"/electives/lessons/{pk}/options/").json()  # earlier changes may have taken the slot
        if not fresh[kind]:
            continue
        t = time.perf_counter()
        r = c.post(f"/electives/lessons/{pk}/move/", {"target": fresh[kind][0]["value"]})
        (moved if kind == "free" else swapped).append(time.perf_counter() - t)
        assert r.status_code == 302, r.content.decode()[:500]
    if moved:
        print(f"move to a free slot (POST, checked again, written, audited): {len(moved)} moves, {_ms(moved)}")
    if swapped:
        print(f"swap (POST, both ways checked, written, audited): {len(swapped)} swaps, {_ms(swapped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
