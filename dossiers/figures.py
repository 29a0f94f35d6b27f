"""Recompute the daily figures table from dossiers and events, and read period figures from it.

`recompute` is the one writer of DailyFigures and DailyProcedureFigures (the Celery tasks, the
management command and the demo data all call it): two set-based queries, a running sum per
commune and procedure over the days, and an upsert. Running it twice gives the same figures.
figures_read.py reads periods back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from communes.models import Commune

from .figures_sql import flows_sql, stock_deltas_sql, visits_sql
from .models import DailyFigures, DailyProcedureFigures
from .models.figures import FLOW_FIELDS, STOCK_FIELDS

_FLOW_COLUMNS = FLOW_FIELDS[:-1]  # the flows' SQL yields all but visits, in this order
UPSERT_BATCH = 2000


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return start, end


def _fetch(sql_and_params):
    sql, params = sql_and_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class RecomputeResult:
    communes: int
    days: int
    rows_written: int
    rows_removed: int


def _life(commune_ids, first, last):
    """{commune_id: (valid_from, valid_to)} of the units concerned."""
    units = Commune.objects.all() if commune_ids is None else Commune.objects.filter(pk__in=commune_ids)
    units = units.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last))
    return {pk: (start, end) for pk, start, end in units.values_list("pk", "valid_from", "valid_to")}


def _procedure_series(ids, first, last, start, end):
    """{(commune_id, procedure_id): {day: [flows..., pending, paused, overdue]}} with running stocks.

    Only days with a non-zero figure are kept: the loop is over days per (commune, procedure)
    that has any dossier in the range, never over dossiers.
    """
    flows: dict[tuple[int, int], dict[dt.date, list[int]]] = defaultdict(dict)
    for commune_id, procedure_id, day, *values in _fetch(flows_sql(ids, start, end)):
        row = flows[(commune_id, procedure_id)].setdefault(_as_date(day), [0] * len(_FLOW_COLUMNS))
        for i, value in enumerate(values):
            row[i] += int(value or 0)
    deltas: dict[tuple[int, int], dict[dt.date, tuple[int, int, int]]] = defaultdict(dict)
    for commune_id, procedure_id, day, *changes in _fetch(stock_deltas_sql(ids, first, last, start, end)):
        deltas[(commune_id, procedure_id)][_as_date(day)] = tuple(int(c) for c in changes)

    series = {}
    one_day = dt.timedelta(days=1)
    no_flow = [0] * len(_FLOW_COLUMNS)
    for key in set(flows) | set(deltas):
        key_flows, key_deltas = flows.get(key, {}), deltas.get(key, {})
        # Walk only the days where something happens; between two of them the stocks stay put,
        # so the days of a non-zero stock are filled in and the empty stretches skipped.
        changes = sorted(set(key_flows) | set(key_deltas))
        pending = paused = overdue = 0
        days = {}
        for index, day in enumerate(changes):
            dp, dpa, dov = key_deltas.get(day, (0, 0, 0))
            pending, paused, overdue = pending + dp, paused + dpa, overdue + dov
            stocks = [pending - overdue, overdue, paused]
            flow = key_flows.get(day)
            if flow or pending:
                days[day] = [*(flow or no_flow), *stocks]
            if pending:
                until = changes[index + 1] if index + 1 < len(changes) else last + one_day
                gap = day + one_day
                while gap < until:
                    days[gap] = [*no_flow, *stocks]
                    gap += one_day
        series[key] = days
    return series


_FIGURE_COLUMNS = (*_FLOW_COLUMNS, *STOCK_FIELDS)


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
    now = timezone.now()

    series = _procedure_series(ids, first, last, start, end)
    visits = {(c, _as_date(d)): n for c, d, n in _fetch(visits_sql(ids, first, last))}
    procedure_rows = []
    totals: dict[tuple[int, dt.date], list[int]] = {}
    for (commune_id, procedure_id), days in series.items():
        for day, values in days.items():
            procedure_rows.append(
                DailyProcedureFigures(
                    commune_id=commune_id,
                    procedure_id=procedure_id,
                    date=day,
                    computed_at=now,
                    **dict(zip(_FIGURE_COLUMNS, values, strict=True)),
                )  # fmt: skip
            )
            total = totals.setdefault((commune_id, day), [0] * len(_FIGURE_COLUMNS))
            for i, value in enumerate(values):
                total[i] += value

    life = _life(ids, first, last)
    daily_rows = []
    for commune_id in sorted(set(life) | {c for c, _ in totals} | {c for c, _ in visits}):
        valid_from, valid_to = life.get(commune_id, (None, dt.date.min))
        day = first
        while day <= last:
            values = totals.get((commune_id, day))
            visit = visits.get((commune_id, day), 0)
            exists = (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)
            if exists or values or visit:
                daily_rows.append(
                    DailyFigures(
                        commune_id=commune_id,
                        date=day,
                        visits=visit,
                        computed_at=now,
                        **dict(zip(_FIGURE_COLUMNS, values or [0] * len(_FIGURE_COLUMNS), strict=True)),
                    )  # fmt: skip
                )
            day += dt.timedelta(days=1)

    with transaction.atomic():
        _upsert(DailyFigures, daily_rows, ["commune", "date"], [*FLOW_FIELDS, *STOCK_FIELDS])
        _upsert(
            DailyProcedureFigures, procedure_rows, ["commune", "date", "procedure"], list(_FIGURE_COLUMNS)
        )
        daily_keys = {(r.commune_id, r.date) for r in daily_rows}
        removed = _remove_stale(
            DailyFigures, ids, first, last, daily_keys, ("commune_id", "date")
        ) + _remove_stale(
            DailyProcedureFigures,
            ids,
            first,
            last,
            {(r.commune_id, r.date, r.procedure_id) for r in procedure_rows},
            ("commune_id", "date", "procedure_id"),
        )
    return RecomputeResult(len(life), (last - first).days + 1, len(daily_rows), removed)


def _upsert(model, rows, unique_fields, figure_fields):
    for i in range(0, len(rows), UPSERT_BATCH):
        model.objects.bulk_create(
            rows[i : i + UPSERT_BATCH],
            update_conflicts=True,
            unique_fields=unique_fields,
            update_fields=[*figure_fields, "computed_at"],
        )


def _remove_stale(model, ids, first, last, produced_keys, key_fields) -> int:
    """Delete the range's rows this run did not produce (a figure back to zero after a back-dated
    correction, an ended unit's stock emptied), which would otherwise linger with stale numbers."""
    existing = model.objects.filter(date__gte=first, date__lte=last)
    if ids is not None:
        existing = existing.filter(commune_id__in=ids)
    stale = [pk for pk, *key in existing.values_list("pk", *key_fields) if tuple(key) not in produced_keys]
    for i in range(0, len(stale), UPSERT_BATCH):
        model.objects.filter(pk__in=stale[i : i + UPSERT_BATCH]).delete()
    return len(stale)
