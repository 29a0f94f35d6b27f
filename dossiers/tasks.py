"""Celery tasks of the dossiers app: thin wrappers around figures and figures_backlog.

They take ids and dates only (never personal data) and are idempotent, so acks_late is safe.
"""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .figures import recompute
from .figures_backlog import catch_up


@shared_task(name="dossiers.recompute_commune_figures")
def recompute_commune_figures(commune_id: int) -> int:
    """Catch one commune up after a change to its dossiers."""
    return catch_up(commune_id)


@shared_task(name="dossiers.refresh_figures")
def refresh_figures() -> int:
    """Every 10 minutes: every stale commune, then today's row of every unit (stocks move with
    time alone: a dossier becomes overdue without any event)."""
    caught_up = catch_up()
    recompute(None, timezone.localdate(), timezone.localdate())
    return caught_up


@shared_task(name="dossiers.finalise_yesterday")
def finalise_yesterday() -> None:
    """After midnight: yesterday's rows, final now that the day is over."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    recompute(None, yesterday, yesterday)
