"""A data generation for caches: read once per use, replaced by every change that matters.

Statistics pages and the API's summaries are read far more often than the daily figures change
(the beat refreshes them every 10 minutes; clerks' saves recompute a commune). They are cached
under the current generation token, which lives in the database, not in the cache: a recompute
in a Celery worker reaches every web process, whatever cache each of them has. A token (not a
counter) so that a rolled-back change can never bring back a number already used for other data.
"""

from __future__ import annotations

import hashlib
import threading
import uuid

from django.core.cache import cache
from django.core.signals import request_finished, request_started

GENERATION = "statistics"
TIMEOUT = 3600  # an entry unused for an hour goes; a change makes it unreachable before that


# Within one request the token is read once (a request sees one generation); outside requests
# (workers, commands) it is read at every use, as those live for days.
_request = threading.local()


def _start_request(**kwargs):
    _request.token = ""


def _end_request(**kwargs):
    _request.token = None


request_started.connect(_start_request, dispatch_uid="communes.generation.start")
request_finished.connect(_end_request, dispatch_uid="communes.generation.end")


def current() -> str:
    from .models import DataGeneration

    memo = getattr(_request, "token", None)
    if memo:
        return memo
    token = DataGeneration.objects.filter(name=GENERATION).values_list("token", flat=True).first()
    token = str(token) if token else bump()
    if memo is not None:
        _request.token = token
    return token


def bump() -> str:
    """Make every cached entry unreachable (call inside the transaction of the change: the new
    token becomes visible with the change itself)."""
    from .models import DataGeneration

    token = str(uuid.uuid4())
    DataGeneration.objects.update_or_create(name=GENERATION, defaults={"token": token})
    if getattr(_request, "token", None) is not None:
        _request.token = token
    return token


def cached(parts: tuple, compute):
    """compute() once per generation and `parts` (a tuple of plain values naming the result)."""
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
    key = f"gen:{current()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
