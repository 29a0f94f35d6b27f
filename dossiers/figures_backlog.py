"""Which communes' figures are stale, and catching up.

A change to a dossier marks its commune stale from the day it affects, in the SAME transaction
as the change, then (after commit) asks Celery to recompute. If the broker is down the save
still succeeds: the mark stays in the database and the beat job catches up from it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection, transaction
from django.utils import timezone

from .figures import recompute
from .models import FiguresBacklog

logger = logging.getLogger(__name__)


def mark_stale(commune_id: int, since: dt.date) -> None:
    """Remember that `commune_id`'s figures must be recomputed from `since` (keeps the earliest)."""
    table = connection.ops.quote_name(FiguresBacklog._meta.db_table)
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (commune_id, since, marked_at) VALUES (%s, %s, %s) "
            f"ON CONFLICT (commune_id) DO UPDATE SET since = {least}({table}.since, EXCLUDED.since), "
            "marked_at = EXCLUDED.marked_at",
            [commune_id, since, timezone.now()],
        )


def schedule_recompute(commune_id: int) -> None:
    """After commit, ask a worker to catch this commune up; a broker failure is logged, not raised."""

    def send():
        from .tasks import recompute_commune_figures

        try:
            recompute_commune_figures.apply_async(args=[commune_id], retry=False)
        except Exception:  # the broker is down or hung: the backlog row keeps the work
            logger.warning(
                "Could not queue the figures of commune id %s; the beat job will catch up.", commune_id
            )

    transaction.on_commit(send)


def catch_up(commune_id: int | None = None, today: dt.date | None = None) -> int:
    """Recompute every stale commune (or just one) from its mark to today; return how many.

    Each commune in its own transaction, holding its backlog row locked, so a change saved
    meanwhile waits and re-marks it afterwards: nothing is lost, nothing is done twice at once.
    """
    today = today or timezone.localdate()
    pending = FiguresBacklog.objects.order_by("since")
    if commune_id is not None:
        pending = pending.filter(commune_id=commune_id)
    done = 0
    for mark_id in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            mark = FiguresBacklog.objects.select_for_update().filter(pk=mark_id).first()
            if mark is None:  # another worker took it
                continue
            recompute([mark.commune_id], min(mark.since, today), today)
            mark.delete()
            done += 1
    return done
