"""The deployment files of deploy/ as the README's production section installs them: the systemd units pass
``systemd-analyze verify`` and their commands are ``gaozhong serve`` commands; the settings file names only
settings the site reads and passes ``check --deploy``; and the web unit's command, started with that settings
file, answers through the nginx configuration over HTTPS (a real nginx with a throw-away certificate), which
passes the scheme the site needs to accept the request."""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gaozhong.site import serve

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
GAOZHONG = Path(sys.executable).with_name("gaozhong")
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unit_values(path: Path, key: str) -> list[str]:
    return [line.split("=", 1)[1] for line in path.read_text().splitlines() if line.startswith(key + "=")]


def _env_file(values: dict[str, str] | None = None) -> dict[str, str]:
    env = {}
    for line in (DEPLOY / "gaozhong.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key] = value
    env.update(values or {})
    return env


def test_there_is_a_web_unit_and_a_worker_unit():
    assert {u.name for u in UNITS} == {"gaozhong-web.service", "gaozhong-worker.service"}


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_each_units_command_is_a_serve_command_that_parses(unit):
    (exec_start,) = _unit_values(unit, "ExecStart")
    argv = shlex.split(exec_start)
    assert argv[0] == "/opt/gaozhong/.venv/bin/gaozhong" and argv[1] == "serve"
    args = serve.build_parser().parse_args(argv[2:])
    if unit.name == "gaozhong-web.service":
        assert not args.no_web and args.job_workers == 0
    else:
        assert args.no_web and args.job_workers >= 1
    assert _unit_values(unit, "EnvironmentFile") == ["/etc/gaozhong/gaozhong.env"]
    assert _unit_values(unit, "ReadWritePaths") == [_env_file()["GAOZHONG_DATA_DIR"]]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is part of Debian's systemd")
@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_units_pass_systemd_analyze_verify(unit, tmp_path):
    # The unit as installed on this machine: the code where this checkout is, the settings and data in tmp_path,
    # and the current user (the gaozhong account does not exist here).
    env_file = tmp_path / "gaozhong.env"
    env_file.write_text("\n".join(f"{k}={v}" for k, v in _env_file().items()) + "\n")
    text = (unit.read_text().replace("/opt/gaozhong/.venv/bin/gaozhong", str(GAOZHONG)).replace("/opt/gaozhong", str(ROOT))
            .replace("/etc/gaozhong/gaozhong.env", str(env_file)).replace("/var/lib/gaozhong", str(tmp_path)))
    text = re.sub(r"^(User|Group)=.*$", "", text, flags=re.M)
    installed = tmp_path / unit.name
    installed.write_text(text)
    r = subprocess.run(["systemd-analyze", "verify", str(installed)], capture_output=True, text=True)
    problems = [line for line in (r.stdout + r.stderr).splitlines() if unit.name in line or str(installed) in line]
    assert r.returncode == 0 and not problems, r.stdout + r.stderr


def _reads_of_the_site() -> set[str]:
    code = "".join(p.read_text() for p in (ROOT / "gaozhong" / "site").glob("*.py"))
    return set(re.findall(r"""environ(?:\.get)?[\[(]\s*["']([A-Z_]+)["']""", code))


def test_the_settings_file_names_only_settings_the_site_reads():
    assert set(_env_file()) <= _reads_of_the_site()
    assert {"GAOZHONG_ENV", "GAOZHONG_SECRET_KEY", "GAOZHONG_ALLOWED_HOSTS", "DATABASE_URL", "GAOZHONG_REDIS_URL"} <= set(_env_file())


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")}
    env.update(_env_file({"GAOZHONG_SECRET_KEY": secrets.token_urlsafe(64), "GAOZHONG_DATA_DIR": str(tmp_path), **extra}))
    return env


def test_the_settings_file_passes_the_deploy_check(tmp_path):
    env = _production_env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/test")
    r = subprocess.run([sys.executable, "-m", "gaozhong.cli", "manage", "check", "--deploy", "--fail-level", "WARNING"],
                       env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.skipif(NGINX is None, reason="scripts/test.sh installs Debian's nginx")
@pytest.mark.skipif(not GAOZHONG.exists(), reason="the gaozhong command is installed with the project")
@pytest.mark.skipif(not _redis_up(), reason="needs the Redis server this machine kind runs on 127.0.0.1:6379")
def test_the_web_unit_answers_through_the_nginx_configuration_over_https(tmp_path):
    app_port, https_port, http_port = _free_port(), _free_port(), _free_port()
    # The database of this test: SQLite in the data directory, migrated (the settings file's PostgreSQL is the
    # installation's, not this machine's).
    env = _production_env(tmp_path, GAOZHONG_BIND=f"127.0.0.1:{app_port}", GAOZHONG_WEB_WORKERS="2", GAOZHONG_WEB_THREADS="2",
                          GAOZHONG_REDIS_URL=f"redis://127.0.0.1:6379/{app_port % 16}", GAOZHONG_ALLOWED_HOSTS="edu.example.cn,127.0.0.1")
    del env["DATABASE_URL"]
    r = subprocess.run([str(GAOZHONG), "manage", "migrate", "--noinput"], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr

    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=edu.example.cn",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    site = ((DEPLOY / "nginx" / "gaozhong.conf").read_text()
            .replace("listen 80;", f"listen 127.0.0.1:{http_port};").replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
            .replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
            .replace("/etc/ssl/certs/edu.example.cn.pem", str(tmp_path / "cert.pem"))
            .replace("/etc/ssl/private/edu.example.cn.key", str(tmp_path / "key.pem")))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(f"""daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/nginx-error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy; fastcgi_temp_path {tmp_path}/fcgi;
    uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/site.conf;
}}
""")
    check = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr

    (unit,) = [u for u in UNITS if u.name == "gaozhong-web.service"]
    (exec_start,) = _unit_values(unit, "ExecStart")
    argv = [str(GAOZHONG), *shlex.split(exec_start)[1:]]
    app = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    proxy = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    context = ssl.create_default_context(cafile=str(tmp_path / "cert.pem"))
    context.check_hostname = False

    def get(url: str, **kw):
        req = urllib.request.Request(url, headers={"Host": "edu.example.cn"})
        return urllib.request.urlopen(req, timeout=20, **kw)

    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                page = get(f"https://127.0.0.1:{https_port}/accounts/login/", context=context)
                break
            except (OSError, urllib.error.HTTPError):
                assert time.monotonic() < deadline and app.poll() is None and proxy.poll() is None, "the site did not come up behind nginx"
                time.sleep(0.5)
        # Through the proxy the production site sees HTTPS: the page itself, not the redirect to HTTPS it gives
        # a plain request, with its session cookie marked secure.
        assert page.status == 200 and "登录" in page.read().decode()
        assert "Secure" in (page.headers.get("Set-Cookie") or "")
        assert page.headers.get("Strict-Transport-Security")
        # Plain HTTP at the proxy is sent to HTTPS; straight at gunicorn the site itself refuses plain HTTP.
        with pytest.raises(urllib.error.HTTPError) as moved:
            urllib.request.build_opener(_NoRedirect).open(urllib.request.Request(f"http://127.0.0.1:{http_port}/accounts/login/",
                                                                                 headers={"Host": "edu.example.cn"}), timeout=20)
        assert moved.value.code == 301 and moved.value.headers["Location"].startswith("https://edu.example.cn/")
        with pytest.raises(urllib.error.HTTPError) as direct:
            urllib.request.build_opener(_NoRedirect).open(urllib.request.Request(f"http://127.0.0.1:{app_port}/accounts/login/",
                                                                                 headers={"Host": "edu.example.cn"}), timeout=20)
        assert direct.value.code == 301 and direct.value.headers["Location"].startswith("https://")
    finally:
        for proc in (proxy, app):
            try:
                os.killpg(proc.pid, 15)
                proc.wait(timeout=40)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, 9)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
