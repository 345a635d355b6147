"""Fixed-window counters in Django's cache (LocMemCache by default, Redis when configured).

With the default per-process cache, each web worker counts on its own: the limit is per
worker. Configure a shared cache (CACHES) to make it global across workers.
"""

import time

from django.core.cache import cache

WINDOW_SECONDS = 60


def _key(name: str) -> str:
    return f"ratelimit:{name}:{int(time.time() // WINDOW_SECONDS)}"


def hit(name: str) -> int:
    """Count one event in the current minute; return the count so far."""
    key = _key(name)
    if cache.add(key, 1, timeout=WINDOW_SECONDS * 2):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        return 1


def count(name: str) -> int:
    return cache.get(_key(name), 0)
