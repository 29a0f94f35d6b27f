"""The figures' Celery tasks for real: save -> commit -> task -> recompute -> DailyFigures.

When the run has a Redis broker and PostgreSQL (CI), an in-process worker consumes from a Redis
database of its own and the tests wait for it; the rows are committed (transactional_db) so the
worker's thread sees them. Without a broker (a laptop's `make test`), or on SQLite's in-memory
test database (which a second thread cannot share), the same tests run the tasks in-process and
assert that they ran at once.
"""

import datetime as dt
import time
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from dossiers.figures_read import summarize
from dossiers.models import DailyFigures, FiguresBacklog
from dossiers.services import move_dossier, receive_dossier
from dossiers.tasks import finalise_yesterday, recompute_commune_figures, refresh_figures
from portal import celery_app

from .conftest import broker, eager_tasks, real_worker, redis_broker_url, wait_until, worker_broker_url
from .recount import recount
from .strategies import NEIGHBOUR, PREDECESSOR, SUCCESSOR

TASK_NAMES = {"dossiers.recompute_commune_figures", "dossiers.refresh_figures", "dossiers.finalise_yesterday"}


@contextmanager
def tasks_running():
    """A real worker on Redis when the run allows one, else the in-process (eager) mode."""
    url = worker_broker_url()
    if url is not None:
        with real_worker(url):
            yield "worker"
    elif redis_broker_url() is None:
        assert celery_app.conf.task_always_eager, "no broker configured: tasks must run in-process"
        yield "eager"
    else:
        with eager_tasks():
            yield "eager"


def settle(mode, condition, timeout=30.0):
    """Eager: `condition` holds right after the call; worker: it holds once the worker is done."""
    if mode == "eager":
        assert condition(), condition.__doc__
        return
    wait_until(condition, timeout)


def test_the_tasks_and_the_beat_schedule_are_registered():
    assert set(celery_app.tasks) >= TASK_NAMES
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= TASK_NAMES
    assert recompute_commune_figures.name == "dossiers.recompute_commune_figures"


def days_ago(days: int, hour: int = 10):
    """Office hours `days` local days ago: what the tests check does not depend on the hour they
    run at."""
    day = timezone.localdate() - dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_a_saved_dossier_reaches_the_daily_table_through_celery(figures_world_committed):
    world = figures_world_committed
    unit, procedure = world.units[SUCCESSOR], world.procedures[1]
    received = days_ago(3)
    today = timezone.localdate()

    def row(day):
        return DailyFigures.objects.filter(commune=unit, date=day).first()

    with tasks_running() as mode:
        dossier = receive_dossier(
            commune=unit,
            procedure=procedure,
            channel="online",
            applicant_name="Trần Thị Bình",
            applicant_id_number="001203004568",
            actor=world.clerk,
            at=received,
        )

        def receipt_counted():
            """the receipt is in the daily table and the backlog is empty"""
            r = row(received.date())
            return r is not None and r.received_online == 1 and not FiguresBacklog.objects.exists()

        settle(mode, receipt_counted)
        # Every day from the receipt to today was recomputed: the dossier is pending on each.
        pending = dict(
            DailyFigures.objects.filter(commune=unit, date__gte=received.date()).values_list(
                "date", "pending_in_time"
            )
        )
        assert set(pending) == {received.date() + dt.timedelta(days=n) for n in range(4)}
        assert all(count == 1 for count in pending.values())

        move_dossier(dossier, 4, actor=world.clerk, at=days_ago(3, hour=11))
        move_dossier(dossier, 9, actor=world.clerk, at=days_ago(1))

        def resolution_counted():
            """the resolution is in the daily table and nothing is pending today"""
            r, t = row(days_ago(1).date()), row(today)
            resolved = r is not None and r.resolved_early + r.resolved_on_time + r.resolved_late == 1
            return resolved and t is not None and t.pending_in_time + t.pending_overdue == 0

        settle(mode, resolution_counted)
    first = received.date() - dt.timedelta(days=1)
    summary = summarize([unit.pk], first, today)
    expected = recount([unit.pk], first, today)
    assert {name: summary[name] for name in expected} == expected


def current_units(world, day):
    return {unit.pk for unit in world.units.values() if unit.is_active_on(day)}


def test_refresh_figures_writes_today_for_every_current_unit(figures_world_committed):
    world = figures_world_committed
    today = timezone.localdate()
    assert current_units(world, today) == {world.units[SUCCESSOR].pk, world.units[NEIGHBOUR].pk}
    assert not DailyFigures.objects.exists()

    with tasks_running() as mode:
        refresh_figures.delay()

        def today_written():
            """refresh_figures wrote today's row of every current unit"""
            units = set(DailyFigures.objects.filter(date=today).values_list("commune_id", flat=True))
            return units == current_units(world, today)

        settle(mode, today_written)
    # The predecessor ended on 30/6/2025 and has nothing pending: no row for it.
    assert not DailyFigures.objects.filter(commune=world.units[PREDECESSOR]).exists()


def test_finalise_yesterday_writes_yesterday_for_every_current_unit(figures_world_committed):
    world = figures_world_committed
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    unit = world.units[NEIGHBOUR]

    with tasks_running() as mode:
        # Received two days ago under a 7-working-day procedure: pending in time at the end of
        # yesterday.
        receive_dossier(
            commune=unit,
            procedure=world.procedures[2],
            channel="direct",
            applicant_name="Lê Văn Cường",
            applicant_id_number="001203004569",
            actor=world.clerk,
            at=days_ago(2),
        )
        settle(mode, lambda: not FiguresBacklog.objects.exists())
        DailyFigures.objects.all().delete()  # what the save's own task wrote: start from nothing

        finalise_yesterday.delay()

        def yesterday_written():
            """finalise_yesterday wrote yesterday's row of every current unit"""
            units = set(DailyFigures.objects.filter(date=yesterday).values_list("commune_id", flat=True))
            return units == current_units(world, yesterday)

        settle(mode, yesterday_written)
    assert DailyFigures.objects.get(commune=unit, date=yesterday).pending_in_time == 1
    assert set(DailyFigures.objects.values_list("date", flat=True)) == {yesterday}


def test_the_mode_is_the_one_configured(figures_world_committed):
    """Guards the tests above against a 'worker' that is not one, and an eager mode that is not:
    with Redis, a task sent while no worker runs waits in Redis, untouched, and is done once a
    worker starts; without a broker, it is done before delay() returns, in this thread."""
    unit = figures_world_committed.units[NEIGHBOUR]
    FiguresBacklog.objects.create(commune=unit, since=timezone.localdate())
    url = worker_broker_url()
    if url is None:
        with tasks_running() as mode:
            assert mode == "eager" and celery_app.conf.task_always_eager
            recompute_commune_figures.delay(unit.pk)
            assert not FiguresBacklog.objects.exists()
    else:
        with broker(url) as app:
            app.control.purge()
            recompute_commune_figures.delay(unit.pk)
            with app.connection_for_write() as connection:
                assert connection.default_channel.client.llen("celery") == 1
            time.sleep(0.5)
            assert FiguresBacklog.objects.exists()  # nobody took it
            with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
                wait_until(lambda: not FiguresBacklog.objects.exists())
    assert DailyFigures.objects.filter(commune=unit, date=timezone.localdate()).exists()
