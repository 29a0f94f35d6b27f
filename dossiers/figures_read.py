"""Period figures (DOMAIN.md §5) read from the daily tables alone, never from dossiers.

Flows are summed over [first, last]; stocks are the last day's; carried_over is the stock at the
end of the day before `first`. The cost depends on units × days, not on the number of dossiers.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Min, Sum

from communes.generation import cached

from .models import DailyFigures, DailyProcedureFigures
from .models.figures import FLOW_FIELDS, PROCEDURE_FLOW_FIELDS, STOCK_FIELDS

#: The contract's period figures, in the order of DOMAIN.md §5 and of the API.
SUMMARY_FIGURES = (
    "carried_over",
    "received_total",
    "received_online",
    "received_direct",
    "received_postal",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "withdrawn",
    "stopped",
    "pending_total",
    "pending_in_time",
    "pending_overdue",
    "paused",
    "visits",
    "online_rate",
    "on_time_rate",
)


def _rate(numerator: int, denominator: int):
    return None if not denominator else round(numerator * 100 / denominator, 2)


def figures_from_sums(flows: dict, stocks: dict, before: dict) -> dict:
    """The contract's figure names and rates from summed flows, end stocks and the day before."""
    f = {name: int(flows.get(name) or 0) for name in FLOW_FIELDS}
    s = {name: int(stocks.get(name) or 0) for name in STOCK_FIELDS}
    received = f["received_online"] + f["received_direct"] + f["received_postal"]
    resolved = f["resolved_early"] + f["resolved_on_time"] + f["resolved_late"]
    return {
        "carried_over": int(before.get("pending_in_time") or 0) + int(before.get("pending_overdue") or 0),
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
    }


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
    stocks_before = {"pending_in_time": before["in_time"], "pending_overdue": before["overdue"]}
    return {
        "date_from": first,
        "date_to": last,
        **figures_from_sums(flows, stocks, stocks_before),
        "computed_at": flows["computed_from"],
    }


def cached_summary(commune_ids, first: dt.date, last: dt.date) -> dict:
    """summarize(), kept in the cache until the figures or the units change (communes.generation):
    what the API's pollers and the dashboards ask again and again."""
    units = None if commune_ids is None else tuple(sorted(commune_ids))
    return cached(("summary", units, first, last), lambda: summarize(commune_ids, first, last))


def summarize_by_procedure(commune_ids, first: dt.date, last: dt.date) -> list[dict]:
    """One row per procedure with any figure in the period (the rows of form II.06a), each
    {"procedure_id": id, **figures}; visits are 0 here (they are per centre)."""
    rows = DailyProcedureFigures.objects.all()
    if commune_ids is not None:
        rows = rows.filter(commune_id__in=list(commune_ids))
    flows = (
        rows.filter(date__gte=first, date__lte=last)
        .values("procedure_id")
        .annotate(**{name: Sum(name) for name in PROCEDURE_FLOW_FIELDS})
    )
    stocks = rows.filter(date=last).values("procedure_id").annotate(**{n: Sum(n) for n in STOCK_FIELDS})
    before = (
        rows.filter(date=first - dt.timedelta(days=1))
        .values("procedure_id")
        .annotate(pending_in_time=Sum("pending_in_time"), pending_overdue=Sum("pending_overdue"))
    )
    by_procedure: dict[int, dict] = {}
    for source, key in ((flows, "flows"), (stocks, "stocks"), (before, "before")):
        for row in source:
            by_procedure.setdefault(row["procedure_id"], {"flows": {}, "stocks": {}, "before": {}})[key] = row
    return [
        {"procedure_id": pk, **figures_from_sums(parts["flows"], parts["stocks"], parts["before"])}
        for pk, parts in sorted(by_procedure.items())
    ]
