"""Counters for rate limits, kept in the cache (one shared Redis in production, so every app server counts
together) and changed atomically: a caller takes a count first (``count_hit``) and decides on the number it got
back, so simultaneous requests each see a different number and at most the limit of them pass; there is no
separate "read, then write" for two requests to slip between.

A counter lives for ``window`` seconds from its first hit (a fixed window; later hits do not extend it).
Atomic on the Redis backend (SET NX, INCR) and the in-process memory backend (one lock); Django's database and
file caches increment by read-then-write and are not suitable (``check --deploy`` asks for Redis).
"""

from __future__ import annotations

from django.core.cache import cache


def count_hit(key: str, *, window: int) -> int:
    """Add one to ``key`` and return the new count within its window (1 for the first hit)."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr: this hit starts the next one
        if cache.add(key, 1, timeout=window):
            return 1
        return cache.incr(key)


def count_give_back(key: str) -> None:
    """Take one back from ``key`` (a hit that turned out not to count); nothing if its window has ended."""
    try:
        cache.decr(key)
    except ValueError:
        pass


def count_of(key: str) -> int:
    """The count of ``key`` in its window (0 when none)."""
    return int(cache.get(key) or 0)
