"""``gaozhong serve``: the production entry point: the site under gunicorn and the job workers beside it.

One command per machine. An app machine runs the site (``--job-workers 0``), a worker machine only jobs
(``--no-web``); both read the same database (``DATABASE_URL``) and, with ``GAOZHONG_REDIS_URL``, share one
cache for sessions and rate limits, so app servers hold no state of their own. ``gaozhong demo`` serves through
the same function on 127.0.0.1.

gunicorn runs ``--workers`` processes of ``--threads`` threads each (``gthread``): a page waits on the database
far more than it computes, and threads let one process hold several such waits. Before the workers start, jobs
whose worker died are marked failed (``reap_jobs``). The command stops its children on SIGINT/SIGTERM and exits
when any child exits.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

DEFAULT_WORKERS = 2 * (os.cpu_count() or 1) + 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gaozhong serve", description="以 gunicorn 提供网站并启动任务进程 (serve the site with gunicorn and run job workers)")
    p.add_argument("--bind", default=os.environ.get("GAOZHONG_BIND", "127.0.0.1:8000"), help="监听地址 (address:port)")
    p.add_argument("--workers", type=int, default=int(os.environ.get("GAOZHONG_WEB_WORKERS", DEFAULT_WORKERS)), help="网站进程数 (web processes)")
    p.add_argument("--threads", type=int, default=int(os.environ.get("GAOZHONG_WEB_THREADS", "4")), help="每个网站进程的线程数 (threads per process)")
    p.add_argument("--job-workers", type=int, default=int(os.environ.get("GAOZHONG_JOB_WORKERS", "1")), help="任务进程数，0 表示不在本机运行任务 (job workers; 0: none here)")
    p.add_argument("--no-web", action="store_true", help="只运行任务进程 (job workers only)")
    return p


def web_command(*, bind: str, workers: int, threads: int) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "gaozhong.site.wsgi:application", "--bind", bind, "--workers", str(workers),
            "--threads", str(threads), "--worker-class", "gthread", "--timeout", "120", "--graceful-timeout", "20",
            "--access-logfile", "-", "--forwarded-allow-ips", os.environ.get("GAOZHONG_TRUSTED_PROXIES", "127.0.0.1")]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "gaozhong.cli", "manage", "db_worker", "--queue-name", "*"]


def serve(*, bind: str, workers: int, threads: int, job_workers: int, web: bool = True, announce=print) -> int:
    """Start the web server and ``job_workers`` job workers; return when one of them exits or on a signal."""
    env = os.environ.copy()
    env.setdefault("DJANGO_SETTINGS_MODULE", "gaozhong.site.settings")
    children: list[subprocess.Popen] = []
    if job_workers:
        subprocess.run([sys.executable, "-m", "gaozhong.cli", "manage", "reap_jobs"], env=env, check=False,
                       stdout=subprocess.DEVNULL)
    for _ in range(job_workers):
        children.append(subprocess.Popen(worker_command(), env=env))
    if job_workers:
        announce(f"任务进程已启动 (job workers: {', '.join(str(c.pid) for c in children)})")
    if web:
        children.append(subprocess.Popen(web_command(bind=bind, workers=workers, threads=threads), env=env))
        announce(f"网站已启动：gunicorn {workers} 进程 × {threads} 线程，监听 {bind} (gunicorn on {bind})")
    if not children:
        announce("没有要启动的进程 (nothing to run)")
        return 2

    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    old = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stopping and all(c.poll() is None for c in children):
            time.sleep(0.5)
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        for c in children:
            if c.poll() is None:
                c.terminate()
        for c in children:
            try:
                c.wait(timeout=25)
            except subprocess.TimeoutExpired:
                c.kill()
    failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
    return 1 if failed and not stopping else 0


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    return serve(bind=args.bind, workers=args.workers, threads=args.threads,
                 job_workers=args.job_workers, web=not args.no_web)
