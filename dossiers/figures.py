"""Recompute the daily figures table from dossiers and events, and read period figures from it.

`recompute` is the one writer of DailyFigures (the Celery tasks, the management command and the
demo data all call it): two set-based queries, a running sum per commune over the days, and an
upsert. Running it twice gives the same figures. `summarize` is the one reader of periods.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max, Min, Q, Sum
from django.utils import timezone

from communes.models import Commune

from .figures_sql import flows_sql, stock_deltas_sql, visits_sql
from .models import DailyFigures
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


def recompute(commune_ids=None, first: dt.date | None = None, last: dt.date | None = None) -> RecomputeResult:
    """Recompute the rows of `commune_ids` (None: every unit) for the local days [first, last].

    A row is written for each day a unit exists, and for any other day with a non-zero figure
    (an ended unit's dossiers still pending after the merger); rows of the range that are no
    longer produced are removed. One transaction.
    """
    today = timezone.localdate()
    first = first or today
    last = last or today
    if last < first:
        raise ValueError("last must not be before first")
    start, end = _bounds(first, last)
    ids = None if commune_ids is None else set(commune_ids)

    flows: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0] * len(_FLOW_COLUMNS))
    for commune_id, day, *values in _fetch(flows_sql(ids, start, end)):
        row = flows[(commune_id, _as_date(day))]
        for i, value in enumerate(values):
            row[i] += int(value or 0)
    deltas: dict[int, dict[dt.date, tuple[int, int, int]]] = defaultdict(dict)
    for commune_id, day, pending, paused, overdue in _fetch(stock_deltas_sql(ids, first, last, start, end)):
        deltas[commune_id][_as_date(day)] = (int(pending), int(paused), int(overdue))
    visits = {(c, _as_date(d)): n for c, d, n in _fetch(visits_sql(ids, first, last))}

    life = _life(ids, first, last)
    touched = {c for c, _ in flows} | set(deltas) | {c for c, _ in visits}
    now = timezone.now()
    rows = []
    for commune_id in sorted(set(life) | touched):
        valid_from, valid_to = life.get(commune_id, (None, dt.date.min))
        pending = paused = overdue = 0
        commune_deltas = deltas.get(commune_id, {})
        day = first
        while day <= last:
            dp, dpa, dov = commune_deltas.get(day, (0, 0, 0))
            pending, paused, overdue = pending + dp, paused + dpa, overdue + dov
            flow = flows.get((commune_id, day))
            visit = visits.get((commune_id, day), 0)
            exists = (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)
            if exists or flow or visit or pending:
                values = dict(zip(_FLOW_COLUMNS, flow or [0] * len(_FLOW_COLUMNS), strict=True))
                rows.append(
                    DailyFigures(
                        commune_id=commune_id,
                        date=day,
                        visits=visit,
                        pending_in_time=pending - overdue,
                        pending_overdue=overdue,
                        paused=paused,
                        computed_at=now,
                        **values,
                    )
                )
            day += dt.timedelta(days=1)

    with transaction.atomic():
        for i in range(0, len(rows), UPSERT_BATCH):
            DailyFigures.objects.bulk_create(
                rows[i : i + UPSERT_BATCH],
                update_conflicts=True,
                unique_fields=["commune", "date"],
                update_fields=[*FLOW_FIELDS, *STOCK_FIELDS, "computed_at"],
            )
        # Rows of the range this run did not produce (an ended unit whose stock went back to
        # zero after a back-dated correction) would otherwise linger with stale figures.
        stale = DailyFigures.objects.filter(date__gte=first, date__lte=last, computed_at__lt=now)
        if ids is not None:
            stale = stale.filter(commune_id__in=ids)
        removed, _ = stale.delete()
    return RecomputeResult(len(life), (last - first).days + 1, len(rows), removed)


# --- Reading periods ---------------------------------------------------------------------------


def _rate(numerator: int, denominator: int):
    return None if not denominator else round(numerator * 100 / denominator, 2)


def summarize(commune_ids, first: dt.date, last: dt.date) -> dict:
    """The period figures of DOMAIN.md §5 for the units `commune_ids` (None: every unit), from
    DailyFigures alone: flows summed over [first, last], stocks at the end of `last`, the
    carried-over stock at the end of the day before `first`."""
    rows = DailyFigures.objects.all()
    if commune_ids is not None:
        rows = rows.filter(commune_id__in=list(commune_ids))
    flows = rows.filter(date__gte=first, date__lte=last).aggregate(
        **{name: Sum(name) for name in FLOW_FIELDS},
        computed_from=Min("computed_at"),
        computed_to=Max("computed_at"),
    )
    stocks = rows.filter(date=last).aggregate(**{name: Sum(name) for name in STOCK_FIELDS})
    before = rows.filter(date=first - dt.timedelta(days=1)).aggregate(
        in_time=Sum("pending_in_time"), overdue=Sum("pending_overdue")
    )
    f = {name: int(flows[name] or 0) for name in FLOW_FIELDS}
    s = {name: int(stocks[name] or 0) for name in STOCK_FIELDS}
    received = f["received_online"] + f["received_direct"] + f["received_postal"]
    resolved = f["resolved_early"] + f["resolved_on_time"] + f["resolved_late"]
    return {
        "date_from": first,
        "date_to": last,
        "carried_over": int(before["in_time"] or 0) + int(before["overdue"] or 0),
        "received_total": received,
        "received_online": f["received_online"],
        "received_direct": f["received_direct"],
        "received_postal": f["received_postal"],
        "resolved_total": resolved,
        "resolved_early": f["resolved_early"],
        "resolved_on_time": f["resolved_on_time"],
        "resolved_late": f["resolved_late"],
        "withdrawn": f["withdrawn"],
        "stopped": f["stopped"],
        "pending_total": s["pending_in_time"] + s["pending_overdue"],
        "pending_in_time": s["pending_in_time"],
        "pending_overdue": s["pending_overdue"],
        "paused": s["paused"],
        "visits": f["visits"],
        "online_rate": _rate(f["received_online"], received),
        "on_time_rate": _rate(f["resolved_early"] + f["resolved_on_time"], resolved),
        "computed_at": flows["computed_from"],
    }
