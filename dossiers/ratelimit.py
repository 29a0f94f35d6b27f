"""A small fixed-window rate limiter in the default cache, for the anonymous public look-up.

Each limit counts requests in windows aligned on the clock (e.g. 10:00–10:10, 10:10–10:20): one
cache key per client and window, `cache.add` then `cache.incr`, both atomic in the local-memory,
Redis and Memcached backends. A fixed window lets a client reach at most twice the limit across
one window boundary; that is accepted for a page whose purpose is to slow guessing, not to meter.

Who is "the client": REMOTE_ADDR. X-Forwarded-For is trusted only when the settings say a proxy
of ours sits in front (REST_FRAMEWORK["NUM_PROXIES"] > 0, set by BEHIND_TLS_PROXY), and then its
NUM_PROXIES-th address from the right, exactly like the API throttle; otherwise anyone could
reset their count with a made-up header on every request. Addresses are hashed in cache keys:
the cache holds no raw IP address.

The counts live in the default cache. With the default LocMemCache they are per process: N
gunicorn workers allow up to N times the limits; point CACHES at a shared cache (Redis) in
production to have them hold for the whole site.
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import NamedTuple

from django.core.cache import cache
from rest_framework.settings import api_settings

KEY_PREFIX = "ratelimit"


class RateLimit(NamedTuple):
    """At most `requests` per `seconds`."""

    requests: int
    seconds: int


class Refusal(NamedTuple):
    """Why a request was refused: wait `retry_after` seconds; `shared` when the overall cap hit."""

    retry_after: int
    shared: bool


def client_address(request) -> str:
    """The client's address, trusting X-Forwarded-For only behind our own proxies (see above)."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    num_proxies = api_settings.NUM_PROXIES or 0
    forwarded = request.headers.get("x-forwarded-for")
    if num_proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [part.strip() for part in forwarded.split(",")]
    return addresses[-min(num_proxies, len(addresses))] or remote_addr


def _hit(key: str, limit: RateLimit, now: float) -> float | None:
    """Count one request; None when within `limit`, else the seconds until the window ends."""
    window = int(now // limit.seconds)
    full_key = f"{KEY_PREFIX}:{key}:{limit.seconds}:{window}"
    # The key outlives its window a little, so a count never vanishes before the window ends.
    timeout = limit.seconds + 5
    cache.add(full_key, 0, timeout=timeout)
    try:
        count = cache.incr(full_key)
    except ValueError:  # evicted between add and incr: start again from this request
        cache.set(full_key, 1, timeout=timeout)
        count = 1
    if count <= limit.requests:
        return None
    return (window + 1) * limit.seconds - now


def check(request, scope: str, *, per_client: RateLimit, overall: RateLimit | None = None) -> Refusal | None:
    """Count this request against `scope`'s limits: None if allowed, else a Refusal.

    The per-client limit is checked first, so a client already over it does not use up the
    overall allowance that everyone else shares.
    """
    now = time.time()
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    wait = _hit(f"{scope}:client:{digest}", per_client, now)
    if wait is not None:
        return Refusal(max(1, math.ceil(wait)), shared=False)
    if overall is not None:
        wait = _hit(f"{scope}:all", overall, now)
        if wait is not None:
            return Refusal(max(1, math.ceil(wait)), shared=True)
    return None
