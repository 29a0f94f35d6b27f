"""Recompute the daily figures tables from dossiers and events.

`recompute` is the one writer of DailyFigures and DailyProcedureFigures (the Celery tasks, the
management command and the demo data all call it). It runs figures_sql.py's set-based statements
inside the database, in one transaction: no dossier, event or figure row passes through Python,
so a one-day refresh costs about one GROUP BY and a rebuild of years about one INSERT ... SELECT.
Running it twice gives the same figures. figures_read.py reads periods back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from communes import generation
from communes.models import Commune

from .figures_sql import SHORT_RANGE_DAYS, daily_figures_sql, procedure_figures_sql, stale_rows_sql
from .models import DailyFigures, DailyProcedureFigures

#: Recomputes take this PostgreSQL transaction lock, so that two of them (the beat's refresh and
#: a change's catch-up) never interleave their upserts and deletes of the same rows.
RECOMPUTE_LOCK = 0x46494755  # "FIGU"


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return start, end


@dataclass(frozen=True)
class RecomputeResult:
    communes: int
    days: int
    rows_written: int  # daily rows
    rows_removed: int  # rows of the range that are gone (net, for a rebuild)


def _units_alive(commune_ids, first: dt.date, last: dt.date) -> int:
    units = Commune.objects.all() if commune_ids is None else Commune.objects.filter(pk__in=commune_ids)
    started = Q(valid_from__isnull=True) | Q(valid_from__lte=last)
    not_ended = Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    return units.filter(started, not_ended).count()


def _run_stamp(ids, first: dt.date, last: dt.date) -> dt.datetime:
    """One stamp for every row of this run, newer than any row of the range, so the rows that do
    not carry it afterwards are exactly those the run did not produce, even when the clock stands
    still (a frozen test clock) or lags another worker's."""
    now = timezone.now()
    rows = DailyFigures.objects.filter(date__gte=first, date__lte=last)
    if ids is not None:
        rows = rows.filter(commune_id__in=ids)
    newest = rows.aggregate(newest=Max("computed_at"))["newest"]
    return now if newest is None or newest < now else newest + dt.timedelta(microseconds=1)


def _execute(cursor, sql_and_params) -> int:
    sql, params = sql_and_params
    cursor.execute(sql, params)
    return max(cursor.rowcount, 0)


def recompute(commune_ids=None, first: dt.date | None = None, last: dt.date | None = None) -> RecomputeResult:
    """Recompute the rows of `commune_ids` (None: every unit) for the local days [first, last].

    DailyProcedureFigures gets a row per (unit, procedure, day) with a non-zero figure;
    DailyFigures gets their sums plus walk-in visits, for every day a unit exists and for any
    other day with a non-zero figure (an ended unit's dossiers still pending after the merger).
    Rows of the range that are no longer produced are removed. One transaction.
    """
    today = timezone.localdate()
    first = first or today
    last = last or today
    if last < first:
        raise ValueError("last must not be before first")
    start, end = _bounds(first, last)
    ids = None if commune_ids is None else set(commune_ids)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOMPUTE_LOCK])
            # The plans are cheap to run but look costly to the planner, whose JIT would spend
            # ~60 ms compiling a one-day refresh that then runs in ~150.
            cursor.execute("SET LOCAL jit = off")
            # A rebuild of years groups and sorts millions of rows: in memory, not in temp files.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        now = _run_stamp(ids, first, last)
        if (last - first).days >= SHORT_RANGE_DAYS:
            # A rebuild: replacing the rows costs half of updating millions of them in place.
            removed = _execute(cursor, stale_rows_sql(DailyProcedureFigures, ids, first, last))
            removed += _execute(cursor, stale_rows_sql(DailyFigures, ids, first, last))
            procedure_rows = _execute(cursor, procedure_figures_sql(ids, first, last, start, end, now))
            written = _execute(cursor, daily_figures_sql(ids, first, last, now))
            removed = max(0, removed - procedure_rows - written)
        else:
            # A refresh: upserts (in place, mostly), then the rows this run did not produce.
            _execute(cursor, procedure_figures_sql(ids, first, last, start, end, now))
            removed = _execute(cursor, stale_rows_sql(DailyProcedureFigures, ids, first, last, now))
            written = _execute(cursor, daily_figures_sql(ids, first, last, now))
            removed += _execute(cursor, stale_rows_sql(DailyFigures, ids, first, last, now))
        generation.bump()  # cached summaries and dashboards are stale from this commit on
    return RecomputeResult(_units_alive(ids, first, last), (last - first).days + 1, written, removed)
