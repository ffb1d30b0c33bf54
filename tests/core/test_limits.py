"""Rate-limit counters in the cache are atomic: simultaneous hits each get a different count, on the in-process
cache and on Redis (the shared cache of production; skipped when no Redis answers on 127.0.0.1:6379)."""

from __future__ import annotations

import socket
from contextlib import contextmanager
import threading
import time
import uuid

import pytest
import redis
from django.test import override_settings

from gaozhong.core.limits import count_give_back, count_hit, count_of


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


REDIS_URL = "redis://127.0.0.1:6379/14"


@contextmanager
def redis_cache():
    """The default cache on the local Redis for the duration, under a key prefix of its own that is removed after
    (so counts never leak from one test into the next); skips the test when no Redis answers."""
    if not _redis_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"gaozhong-test-{uuid.uuid4().hex}"
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix, "TIMEOUT": 60}}
    try:
        with override_settings(CACHES=caches):
            yield
    finally:
        r = redis.Redis.from_url(REDIS_URL)
        for key in r.scan_iter(f"{prefix}:*"):
            r.delete(key)


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request):
    if request.param == "locmem":
        yield "locmem"
        return
    with redis_cache():
        yield "redis"


def test_simultaneous_hits_each_get_their_own_count(shared_cache):
    key = f"test:race:{uuid.uuid4().hex}"
    n = 40
    barrier = threading.Barrier(n)
    got: list[int] = []

    def hit():
        barrier.wait()
        got.append(count_hit(key, window=60))

    threads = [threading.Thread(target=hit) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(1, n + 1))
    assert count_of(key) == n


def test_give_back_and_an_ended_window(shared_cache):
    key = f"test:back:{uuid.uuid4().hex}"
    assert count_hit(key, window=60) == 1 and count_hit(key, window=60) == 2
    count_give_back(key)
    assert count_of(key) == 1
    count_give_back(f"test:none:{uuid.uuid4().hex}")  # nothing to give back: no error
    short = f"test:short:{uuid.uuid4().hex}"
    assert count_hit(short, window=1) == 1
    time.sleep(1.2)
    assert count_hit(short, window=1) == 1  # a new window
