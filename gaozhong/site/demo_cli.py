"""``gaozhong demo``: build the demo city into SQLite (once), and serve it as production does: gunicorn with a job
worker beside it (``gaozhong serve``).

Runs on 127.0.0.1; the port comes from ``--port``, else ``GAOZHONG_PORT``, else 8000. ``--no-serve`` builds
the database and exits; ``--rebuild`` starts from an empty database. The build comes in through the front door
(``setup_city`` and the imports, from files it writes under ``<data directory>/demo-files``).
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import time

from gaozhong.site.serve import serve


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="gaozhong demo", description="构建示范城市并启动网站 (build the demo city and serve it)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("GAOZHONG_PORT", "8000")))
    parser.add_argument("--no-serve", action="store_true", help="只构建数据库，不启动网站 (build only)")
    parser.add_argument("--rebuild", action="store_true", help="删除已有示范数据库后重建 (start from an empty database)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--workers", type=int, default=3, help="网站进程数 (gunicorn processes)")
    args = parser.parse_args(argv)
    if not args.no_serve:
        _shared_cache_for_demo()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaozhong.site.settings")
    if os.environ.get("DATABASE_URL") and args.rebuild:
        print("gaozhong demo: --rebuild only works on the embedded SQLite database", file=sys.stderr)
        return 2
    import django
    from django.conf import settings

    if args.rebuild and not os.environ.get("DATABASE_URL"):
        db = settings.DATABASES["default"]["NAME"]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(str(db) + suffix):
                os.remove(str(db) + suffix)
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    django.setup()
    from django.core.management import call_command

    from gaozhong.core.demo import DEMO_PASSWORD, build_demo
    from gaozhong.core.demofiles import demo_files_dir
    from gaozhong.core.models import City, Membership

    call_command("migrate", verbosity=0, interactive=False)
    if not City.objects.exists():
        t0 = time.perf_counter()
        print("构建示范城市 (building the demo city) …", flush=True)
        summary = build_demo(seed=args.seed, progress=lambda s: print(f"  · {s}", flush=True))
        print(f"示范城市已建成，用时 {time.perf_counter() - t0:.1f} 秒 (demo city built in {time.perf_counter() - t0:.1f} s): "
              f"{summary.senior_schools} senior schools, {summary.junior_schools} junior schools, {summary.students} students, "
              f"{summary.teachers} teachers, {summary.candidates} candidates", flush=True)
        print(f"导入的示范文件 (the files the demo loaded through the imports): {demo_files_dir()}", flush=True)
    else:
        print("使用已有示范数据库 (using the existing demo database; --rebuild starts afresh)", flush=True)

    _print_logins(Membership, DEMO_PASSWORD)
    if args.no_serve:
        return 0

    url = f"http://127.0.0.1:{args.port}/"
    print(f"\n请在浏览器打开 (open in a browser): {url}", flush=True)
    _print_public_pages(url)
    # The production server, as in production: gunicorn processes and a job worker beside them.
    return serve(bind=f"127.0.0.1:{args.port}", workers=args.workers, threads=4, job_workers=1,
                 announce=lambda line: print(line, flush=True))


def _shared_cache_for_demo() -> None:
    """Use the machine's Redis (127.0.0.1:6379) as the shared cache when it answers and none is configured, so
    the demo's several processes count limits together as production's do; say which it is."""
    if os.environ.get("GAOZHONG_REDIS_URL"):
        print(f"共享缓存 (shared cache): {os.environ['GAOZHONG_REDIS_URL']}", flush=True)
        return
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            up = s.recv(16).startswith(b"+PONG")
    except OSError:
        up = False
    if up:
        os.environ["GAOZHONG_REDIS_URL"] = "redis://127.0.0.1:6379/1"
        print("共享缓存：本机 Redis (shared cache: the local Redis, db 1)", flush=True)
    else:
        print("未发现 Redis：限流计数按进程各自计算，仅适合演示 (no Redis: limits are counted per process, demo only)", flush=True)


def _print_public_pages(url: str) -> None:
    """The public pages of the published admission (no sign-in), with one candidate to look up."""
    from gaozhong.admissions.selectors import current_publication

    pub = current_publication()
    if pub is not None:
        a = pub.answers.order_by("exam_no").first()
        print(f"公开页面，无需登录 (public pages, no sign-in): {pub.year} 年录取分数线 {url}admissions/cutoffs/ · 录取结果查询 "
              f"{url}admissions/lookup/ (试查 try 准考证号 {a.exam_no}, 身份证号后 6 位 {a.id_tail})\n", flush=True)


def _print_logins(Membership, password: str) -> None:
    """One account per role, and every candidate account with its published result."""
    print("\n示范账号 (demo logins), 密码 (password) for all: " + password)
    seen_roles = set()
    rows = Membership.objects.select_related("user", "county", "school", "candidate").order_by("id")
    for m in rows:
        key = (m.role, m.candidate_id is not None)
        if key in seen_roles and m.candidate_id is None:
            continue
        seen_roles.add(key)
        place = m.school.name if m.school_id else (m.county.name if m.county_id else "晋阳市")
        if m.candidate_id:
            place = f"中考考生 (candidate) {m.candidate.exam_no}{_candidate_result(m.candidate)}"
        print(f"  {m.get_role_display():<16} {m.user.username:<20} {place}")
    print("  (each county has county_<code>, each senior school school_<code>; see 学校 list for codes)")


def _candidate_result(candidate) -> str:
    """The candidate's published result in a few words (the lookup's), or nothing before publication."""
    from gaozhong.admissions.models import PublishedAnswer

    answer = PublishedAnswer.objects.filter(publication__year=candidate.year, exam_no=candidate.exam_no).values_list("answer", flat=True).first()
    if answer is None:
        return ""
    if not answer.get("program"):
        return "：未被录取 (no seat)"
    stage = "补录" if answer.get("round") == 2 else "第一轮"
    return f"：{stage}录取 {answer['program']} (admitted in {'补录' if stage == '补录' else 'the main round'})"
