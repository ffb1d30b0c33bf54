"""``gaozhong serve``: gunicorn with several processes and a job worker, static files through WhiteNoise, the
password-change limit counted in the shared Redis cache across processes, and a clean stop on SIGTERM."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

GAOZHONG = Path(sys.executable).with_name("gaozhong")

SETUP = """
from django.contrib.auth import get_user_model
from gaozhong.core.models import Membership, Role
u = get_user_model().objects.create_user(username="clerk", password="Huanghe-river-2025")
Membership.objects.create(user=u, role=Role.CITY_ADMIN)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str):
        return self.opener.open(self.base + path, timeout=30)

    def post_form(self, path: str, fields: dict):
        page = self.get(path).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        req = urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base + path})
        return self.opener.open(req, timeout=30)


@pytest.mark.skipif(not GAOZHONG.exists(), reason="the gaozhong command is installed with the project")
@pytest.mark.skipif(not _redis_up(), reason="needs the Redis server this machine kind runs on 127.0.0.1:6379")
def test_serve_runs_gunicorn_workers_shares_limits_in_redis_and_stops_cleanly(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(GAOZHONG_DATA_DIR=str(tmp_path), GAOZHONG_REDIS_URL=f"redis://127.0.0.1:6379/{port % 16}")
    subprocess.run(["redis-cli", "-n", str(port % 16), "FLUSHDB"], check=False, capture_output=True)
    for args in (["migrate", "--noinput"], ["shell", "-c", SETUP]):
        r = subprocess.run([str(GAOZHONG), "manage", *args], env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
    proc = subprocess.Popen([str(GAOZHONG), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "3", "--threads", "2", "--job-workers", "1"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if urllib.request.urlopen(base + "/accounts/login/", timeout=20).status == 200:
                    break
            except OSError:  # refused while binding, or a read timeout while a worker boots
                assert time.monotonic() < deadline and proc.poll() is None, "gunicorn did not come up"
                time.sleep(0.5)
        css = urllib.request.urlopen(base + "/static/gaozhong/site.css", timeout=10)
        assert css.status == 200 and b"{" in css.read()

        b = Browser(base)
        r = b.post_form("/accounts/login/", {"username": "clerk", "password": "Huanghe-river-2025"})
        assert r.status == 200 and "/accounts/login/" not in r.url
        new = {"new_password": "Fresh-river-2031", "new_password2": "Fresh-river-2031"}
        for i in range(5):  # five wrong tries, served by whichever of the three processes
            b.post_form("/accounts/password/", {"old_password": f"guess-{i}-x1", **new})
        page = b.post_form("/accounts/password/", {"old_password": "Huanghe-river-2025", **new}).read().decode()
        assert "输错次数过多" in page  # counted together across processes, in Redis
        workers = subprocess.run(["pgrep", "-f", "db_worker", "-s", str(os.getpgid(proc.pid))], capture_output=True, text=True).stdout.split()
        assert workers, "no job worker beside the web server"
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    assert proc.returncode == 0
    assert subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True).returncode == 1  # no child left
