"""Stopping Redis while clerks save dossiers loses nothing: the saves succeed at once, the
database remembers what is stale, and the beat job catches up when Redis is back.

"Redis is down" is the app's broker pointed at a port where nothing listens (to the app exactly
the same, and the shared Redis server other tests use keeps running); "Redis is hung" is a port
that accepts connections and never answers. Rows are committed (transactional_db) so the
after-commit publishing really runs.
"""

import datetime as dt
import socket
import threading
import time
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from dossiers.figures_read import summarize
from dossiers.models import DailyFigures, Dossier, FiguresBacklog
from dossiers.services import move_dossier, receive_dossier
from dossiers.tasks import recompute_commune_figures, refresh_figures

from .conftest import DEAD_BROKER_URL, broker, eager_tasks, real_worker, wait_until, worker_broker_url
from .recount import recount
from .strategies import NEIGHBOUR, PREDECESSOR, SUCCESSOR

#: A save must not wait for a broker that is down or hung (settings: 2 s broker timeouts).
MAX_SAVE_SECONDS = 5.0


def _timed(call, *args, **kwargs):
    started = time.monotonic()
    result = call(*args, **kwargs)
    elapsed = time.monotonic() - started
    assert elapsed < MAX_SAVE_SECONDS, f"a save took {elapsed:.1f} s with the broker down"
    return result


def clerks_save_dossiers(world):
    """Receipts and moves in two units, back-dated by days, as clerks would enter them (office
    hours of past days, so the outcome does not depend on the hour the test runs at).
    Returns {unit id: earliest local day touched}."""
    today = timezone.localdate()
    a, b = world.units[SUCCESSOR], world.units[NEIGHBOUR]

    def day(days_ago, hour=10):
        return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour)))

    def receive(unit, at, channel="direct", procedure=1):
        return _timed(
            receive_dossier,
            commune=unit,
            procedure=world.procedures[procedure],
            channel=channel,
            applicant_name="Phạm Thị Dung",
            applicant_id_number="001203004570",
            actor=world.clerk,
            at=at,
        )

    first = receive(a, day(6), channel="online")
    receive(a, day(1, hour=16), channel="postal")
    _timed(move_dossier, first, 4, actor=world.clerk, at=day(5))
    _timed(move_dossier, first, 5, actor=world.clerk, at=day(4))
    second = receive(b, day(9), procedure=0)
    _timed(move_dossier, second, 9, actor=world.clerk, at=day(9, hour=11))
    return {a.pk: day(6).date(), b.pk: day(9).date()}


def assert_figures_equal_the_recount(unit_ids, first, last):
    for pk in unit_ids:
        summary = summarize([pk], first, last)
        expected = recount([pk], first, last)
        assert {name: summary[name] for name in expected} == expected, pk


def test_saves_succeed_while_redis_is_down_and_the_beat_job_catches_up(figures_world_committed, caplog):
    world = figures_world_committed
    today = timezone.localdate()

    with broker(DEAD_BROKER_URL):
        earliest = clerks_save_dossiers(world)
    assert Dossier.objects.count() == 3
    assert caplog.text.count("the beat job will catch up") == 6  # one warning per save, none raised

    # Nothing is lost: the database knows what is stale, from the earliest day each unit's saves touched.
    assert dict(FiguresBacklog.objects.values_list("commune_id", "since")) == earliest
    # ... and nothing was computed: the daily table does not show the dossiers yet.
    assert not DailyFigures.objects.filter(commune_id__in=earliest).exists()

    # Redis is back: the beat job's task catches every unit up (through a real worker when the
    # run has Redis and PostgreSQL, else in-process).
    url = worker_broker_url()
    if url is not None:
        with real_worker(url):
            refresh_figures.delay()
            wait_until(lambda: not FiguresBacklog.objects.exists())
    else:
        with eager_tasks():
            refresh_figures.delay()
    assert not FiguresBacklog.objects.exists()
    first = min(earliest.values()) - dt.timedelta(days=1)
    assert_figures_equal_the_recount(earliest, first, today)
    assert_figures_equal_the_recount(earliest, today - dt.timedelta(days=4), today - dt.timedelta(days=2))
    received = summarize(list(earliest), min(earliest.values()), today)["received_total"]
    assert received == 3


class HungBroker:
    """A TCP port that accepts connections and never answers: a Redis that hangs."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.clients = []
        self.stopped = False
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while not self.stopped:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.clients.append(client)  # kept open, never read, never answered

    def __enter__(self):
        self.thread.start()
        return f"redis://127.0.0.1:{self.port}/0"

    def __exit__(self, *exc):
        self.stopped = True
        self.server.close()
        for client in self.clients:
            client.close()


def test_a_hung_broker_does_not_block_a_save(figures_world_committed, caplog):
    world = figures_world_committed
    with HungBroker() as url, broker(url):
        dossier = _timed(
            receive_dossier,
            commune=world.units[SUCCESSOR],
            procedure=world.procedures[1],
            channel="direct",
            applicant_name="Hoàng Văn Em",
            applicant_id_number="001203004571",
            actor=world.clerk,
        )
    assert "the beat job will catch up" in caplog.text
    assert FiguresBacklog.objects.filter(commune=world.units[SUCCESSOR], since=timezone.localdate()).exists()
    assert Dossier.objects.filter(pk=dossier.pk).exists()


@pytest.fixture
def published(monkeypatch):
    """The commune ids the saves asked Celery to recompute (the broker itself is not involved)."""
    calls = []
    monkeypatch.setattr(
        recompute_commune_figures,
        "apply_async",
        mock.Mock(side_effect=lambda args, **kw: calls.append(args[0])),
    )
    return calls


class ClerkCancelled(Exception):
    pass


def test_a_save_that_rolls_back_marks_nothing_and_sends_nothing(figures_world_committed, published):
    world = figures_world_committed
    unit = world.units[PREDECESSOR]
    at = timezone.make_aware(dt.datetime(2025, 6, 20, 9))
    details = {
        "commune": unit,
        "procedure": world.procedures[1],
        "channel": "direct",
        "applicant_name": "Vũ Thị Giang",
        "applicant_id_number": "001203004572",
        "actor": world.clerk,
        "at": at,
    }
    with pytest.raises(ClerkCancelled), transaction.atomic():
        receive_dossier(**details)
        assert FiguresBacklog.objects.filter(commune=unit).exists()  # marked inside the transaction
        raise ClerkCancelled

    assert not Dossier.objects.exists()
    assert not FiguresBacklog.objects.exists()
    assert published == []

    # The same save committed: marked, and sent once, after the commit.
    receive_dossier(**details)
    assert dict(FiguresBacklog.objects.values_list("commune_id", "since")) == {unit.pk: at.date()}
    assert published == [unit.pk]
