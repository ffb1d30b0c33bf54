"""Production settings pass Django's deployment checks with warnings treated as failures."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys


def test_check_deploy_passes_in_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(GAOZHONG_ENV="production", GAOZHONG_SECRET_KEY=secrets.token_urlsafe(64), GAOZHONG_ALLOWED_HOSTS="edu.example.cn",
               GAOZHONG_DATA_DIR=str(tmp_path), GAOZHONG_REDIS_URL="redis://127.0.0.1:6379/0")
    r = subprocess.run([sys.executable, "-m", "gaozhong.cli", "manage", "check", "--deploy", "--fail-level", "WARNING"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_check_deploy_wants_a_shared_cache_in_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "GAOZHONG_REDIS_URL")}
    env.update(GAOZHONG_ENV="production", GAOZHONG_SECRET_KEY=secrets.token_urlsafe(64), GAOZHONG_ALLOWED_HOSTS="edu.example.cn",
               GAOZHONG_DATA_DIR=str(tmp_path))
    r = subprocess.run([sys.executable, "-m", "gaozhong.cli", "manage", "check", "--deploy", "--fail-level", "WARNING"], env=env, capture_output=True, text=True)
    assert r.returncode != 0 and "gaozhong.W001" in (r.stdout + r.stderr)


def test_check_deploy_fails_without_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "GAOZHONG_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env["GAOZHONG_DATA_DIR"] = str(tmp_path)
    r = subprocess.run([sys.executable, "-m", "gaozhong.cli", "manage", "check", "--deploy", "--fail-level", "WARNING"], env=env, capture_output=True, text=True)
    assert r.returncode != 0 and "security.W" in (r.stdout + r.stderr)
