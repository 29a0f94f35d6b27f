"""Fixtures of the figures tests: the units around the July 2025 reform, each with its centre, and
the real Celery app pointed at a chosen broker (a test Redis database, or a dead port)."""

import datetime as dt
import time
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from communes.models import Commune, Merger

from ..factories import CommuneFactory, ProcedureFactory, ServiceCentreFactory
from .strategies import NEIGHBOUR, PREDECESSOR, PROCEDURE_DAYS, SUCCESSOR


@dataclass
class FiguresWorld:
    """The units a generated history may use, keyed as in strategies.py, and the procedures."""

    units: dict[str, Commune]
    procedures: list
    clerk: object

    def ids(self, keys) -> list[int]:
        return [self.units[key].pk for key in keys]


def build_world(commune, clerk) -> FiguresWorld:
    """New Thượng Cốc (05293), its predecessor Văn Sơn (05284, ended 30/6/2025) and Yên Phú (05305),
    a unit that lives through the reform; each with a centre, so each can number its dossiers."""
    predecessor = Merger.objects.get(successor=commune).absorbed
    neighbour = CommuneFactory(code="05305", name="Yên Phú", province=commune.province, valid_from=None)
    ServiceCentreFactory(commune=commune, agency_code="H25.05293")
    ServiceCentreFactory(commune=predecessor, agency_code="H17.05284")
    ServiceCentreFactory(commune=neighbour, agency_code="H25.05305")
    procedures = [
        ProcedureFactory(code=f"9.90000{days}", name=f"Thủ tục thử {days} ngày", processing_days=days)
        for days in PROCEDURE_DAYS
    ]
    assert predecessor.valid_to == dt.date(2025, 6, 30)
    return FiguresWorld(
        units={PREDECESSOR: predecessor, SUCCESSOR: commune, NEIGHBOUR: neighbour},
        procedures=procedures,
        clerk=clerk,
    )


@pytest.fixture
def committed_vn_calendar(db, django_capture_on_commit_callbacks):
    """vn_calendar with its on-commit hook run, as after a real commit: the services then use the
    cached working calendar instead of rebuilding it from the uncommitted rows at every call
    (hundreds of examples in one test transaction)."""
    from communes.calendar_store import seed_from_holidays_package

    with django_capture_on_commit_callbacks(execute=True):
        seed_from_holidays_package(range(2024, 2028))


@pytest.fixture
def figures_world(committed_vn_calendar, commune, clerk):
    return build_world(commune, clerk)


@pytest.fixture
def figures_world_committed(transactional_db, vn_calendar, commune, clerk):
    """The same units in a transactional test (rows committed: a worker thread sees them)."""
    return build_world(commune, clerk)


# --- Celery: the real app against a chosen broker ------------------------------------------------

#: A Redis database of its own, so a test worker never takes (or leaves) messages of other runs.
TEST_REDIS_DB = 14
#: A port where nothing listens: to the app, exactly like a Redis server that is down.
DEAD_BROKER_URL = "redis://127.0.0.1:6390/0"


def redis_broker_url() -> str | None:
    """The Redis broker the run is configured with (CI: CELERY_BROKER_URL=redis://…), moved to
    the test database number; None when tasks run in-process (no broker configured)."""
    from django.conf import settings

    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        return None
    base = url.split("?")[0].rstrip("/")
    host = base[len("redis://") :].split("/")[0]
    return f"redis://{host}/{TEST_REDIS_DB}"


def _reset_connections(app) -> None:
    # The app keeps a connection pool and a producer pool bound to the broker URL it first used;
    # dropping them (as Celery itself does after a fork) makes the next publish use the new URL.
    # Not closed: kombu's registry hands the same pool out again for the same URL.
    app._pool = None
    amqp = app.__dict__.get("amqp")  # a cached property: only if it was created
    if amqp is not None:
        amqp._producer_pool = None


BROKER_SETTINGS = ("broker_read_url", "broker_write_url", "task_always_eager")


@contextmanager
def broker(url: str):
    """Publish to (and consume from) `url` for the duration, tasks not eager; then restore.

    The read and write URLs are what the app really connects with: `broker_url` itself would be
    shadowed by the CELERY_BROKER_URL environment variable (Celery reads it first).
    """
    from portal import celery_app

    conf = celery_app.conf
    saved = {name: conf.get(name) for name in BROKER_SETTINGS}
    _reset_connections(celery_app)
    conf.update(broker_read_url=url, broker_write_url=url, task_always_eager=False)
    try:
        with celery_app.connection_for_write() as connection:
            assert connection.as_uri(include_password=True) == url, (connection.as_uri(), url)
        yield celery_app
    finally:
        _reset_connections(celery_app)
        conf.update(saved)


def worker_broker_url() -> str | None:
    """Where a real worker can run: a Redis broker is configured and the test database can be
    shared with the worker's thread. SQLite's in-memory test database cannot: it locks whole
    tables, so a clerk's save fails ("database table is locked") while the worker recomputes.
    None: run the tasks in-process."""
    from django.db import connection

    return None if connection.vendor == "sqlite" else redis_broker_url()


@contextmanager
def eager_tasks():
    """Tasks run in-process for the duration (the settings' mode when no broker is configured)."""
    from portal import celery_app

    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield celery_app
    finally:
        celery_app.conf.task_always_eager = saved


@contextmanager
def real_worker(url: str):
    """An in-process Celery worker (one thread, solo pool) consuming from `url`, queue purged."""
    from celery.contrib.testing.worker import start_worker

    with broker(url) as app:
        app.control.purge()
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            yield app


def wait_until(condition, timeout: float = 30.0, interval: float = 0.1):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout:.0f} s: {condition.__doc__ or condition}")
        time.sleep(interval)
