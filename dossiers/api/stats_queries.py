"""Set-based reads behind the statistics API: daily rows per unit and the ranking of communes.

Both read the daily table alone (never dossiers) with a constant number of queries whatever the
number of communes or days: GROUP BY in SQL, then small sums in Python per commune, never a
query per row. Period summaries and the rows by procedure come from dossiers.figures_read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Case, CharField, F, Min, Sum, Value, When

from communes.models import Commune, Merger
from communes.text import fold
from dossiers.figures_read import (  # the contract's arithmetic (totals, rates): one copy
    SUMMARY_FIGURES,
    figures_from_sums,
)
from dossiers.models import DailyFigures
from dossiers.models.figures import FLOW_FIELDS, STOCK_FIELDS

#: Figures the ranking may be ordered by, besides the commune's code and name.
RANKING_KEYS = (*SUMMARY_FIGURES, "commune", "name")
DEFAULT_RANKING = "-on_time_rate"


def predecessors_by_unit(unit_ids) -> dict[int, frozenset[int]]:
    """{unit: the unit and every unit it absorbed, however many mergers back}.

    One query per generation of mergers (two since the 2025 reform), not per unit. A unit split
    between two successors is a predecessor of both.
    """
    groups = {pk: {pk} for pk in unit_ids}
    reached = {pk: {pk} for pk in unit_ids}  # id -> the roots that just reached it
    while reached:
        links = Merger.objects.filter(successor_id__in=list(reached)).values_list(
            "successor_id", "absorbed_id"
        )
        following: dict[int, set[int]] = defaultdict(set)
        for successor, absorbed in links:
            for root in reached[successor]:
                if absorbed not in groups[root]:
                    groups[root].add(absorbed)
                    following[absorbed].add(root)
        reached = following
    return {pk: frozenset(ids) for pk, ids in groups.items()}


def current_units(commune_ids):
    """The current (not ended) units among `commune_ids` (None: every unit), by code."""
    units = Commune.objects.current().order_by("code")
    if commune_ids is not None:
        units = units.filter(pk__in=list(commune_ids))
    return list(units.values("pk", "code", "name", "province__code"))


def _restrict(rows, commune_ids):
    return rows if commune_ids is None else rows.filter(commune_id__in=list(commune_ids))


# --- Daily rows --------------------------------------------------------------------------------


def unit_key(*, commune=None, fold_into=None):
    """The SQL expression naming the unit a daily row is reported under.

    `commune`: every row is that commune's (its predecessors' rows, if read, fold into it);
    `fold_into`: {code: ids} folds each current unit's predecessors into it (a predecessor of
    two successors goes to the first by code, so it is counted once); else the unit's own code.
    """
    if commune is not None:
        return Value(commune.code, output_field=CharField())
    whens = [
        When(commune_id__in=sorted(ids), then=Value(code)) for code, ids in (fold_into or {}).items() if ids
    ]
    if not whens:
        return F("commune__code")
    return Case(*whens, default=F("commune__code"), output_field=CharField())


def daily_key(units, *, include_predecessors: bool):
    """unit_key() for a request's Units (dossiers.figures_scope)."""
    if units.commune is not None:
        return unit_key(commune=units.commune)
    if not include_predecessors:
        return unit_key()
    current = current_units(units.commune_ids)
    groups = predecessors_by_unit([unit["pk"] for unit in current])
    fold, taken = {}, set()
    for unit in current:
        # A predecessor of two successors is folded once, into the first by code.
        ids = groups[unit["pk"]] - {unit["pk"]} - taken
        if units.commune_ids is not None:
            ids &= units.commune_ids
        fold[unit["code"]] = ids
        taken |= ids
    return unit_key(fold_into=fold)


def daily_rows(commune_ids, first: dt.date, last: dt.date, key):
    """One row per (unit key, day) of [first, last]: flows and end stocks summed, by day then unit."""
    rows = _restrict(DailyFigures.objects.filter(date__gte=first, date__lte=last), commune_ids)
    return (
        rows.annotate(unit=key)
        .values("unit", "date")
        .annotate(
            **{name: Sum(name) for name in (*FLOW_FIELDS, *STOCK_FIELDS)}, computed_at=Min("computed_at")
        )
        .order_by("date", "unit")
    )


def daily_figures(page, commune_ids, key) -> list[dict]:
    """The page's rows with the contract's names; carried_over is the stock at the end of the day
    before each row's day, read for the whole page in one more query."""
    if not page:
        return []
    one_day = dt.timedelta(days=1)
    days = [row["date"] for row in page]
    previous = _restrict(
        DailyFigures.objects.filter(date__gte=min(days) - one_day, date__lte=max(days) - one_day), commune_ids
    )
    previous = (
        previous.annotate(unit=key)
        .filter(unit__in={row["unit"] for row in page})
        .values("unit", "date")
        .annotate(pending_in_time=Sum("pending_in_time"), pending_overdue=Sum("pending_overdue"))
    )
    before = {(row["unit"], row["date"]): row for row in previous}
    return [
        {
            "commune": row["unit"],
            "date": row["date"],
            **figures_from_sums(row, row, before.get((row["unit"], row["date"] - one_day), {})),
            "computed_at": row["computed_at"],
        }
        for row in page
    ]


# --- The ranking -------------------------------------------------------------------------------


def _by_commune(rows, names):
    return {
        row["commune_id"]: row
        for row in rows.values("commune_id").annotate(**{name: Sum(name) for name in names})
    }


def _add(parts: list[dict], names) -> dict:
    return {name: sum(int(part.get(name) or 0) for part in parts) for name in names}


def rank_communes(commune_ids, first: dt.date, last: dt.date, *, include_predecessors: bool) -> list[dict]:
    """One row per current unit among `commune_ids` (None: all), unordered.

    With include_predecessors each row also sums the units it absorbed (within `commune_ids`),
    so a row equals the summary of that commune with include_predecessors=true. Three GROUP BY
    queries over the daily table (flows of the period, stocks at its end and the day before),
    plus one per merger generation: the same count for 5 communes or 3,000.
    """
    units = current_units(commune_ids)
    if include_predecessors:
        groups = predecessors_by_unit([unit["pk"] for unit in units])
        if commune_ids is not None:
            groups = {pk: ids & commune_ids for pk, ids in groups.items()}
    else:
        groups = {unit["pk"]: frozenset({unit["pk"]}) for unit in units}
    read = None if commune_ids is None else frozenset().union(*groups.values())
    rows = _restrict(DailyFigures.objects.all(), read)
    flows = (
        rows.filter(date__gte=first, date__lte=last)
        .values("commune_id")
        .annotate(**{name: Sum(name) for name in FLOW_FIELDS}, computed_at=Min("computed_at"))
    )
    flows = {row["commune_id"]: row for row in flows}
    stocks = _by_commune(rows.filter(date=last), STOCK_FIELDS)
    before = _by_commune(
        rows.filter(date=first - dt.timedelta(days=1)), ("pending_in_time", "pending_overdue")
    )

    ranking = []
    for unit in units:
        ids = groups[unit["pk"]]
        stamps = [flows[pk]["computed_at"] for pk in ids if pk in flows and flows[pk]["computed_at"]]
        figures = figures_from_sums(
            _add([flows.get(pk, {}) for pk in ids], FLOW_FIELDS),
            _add([stocks.get(pk, {}) for pk in ids], STOCK_FIELDS),
            _add([before.get(pk, {}) for pk in ids], ("pending_in_time", "pending_overdue")),
        )
        ranking.append(
            {
                "commune": unit["code"],
                "name": unit["name"],
                "province": unit["province__code"],
                "date_from": first,
                "date_to": last,
                **figures,
                "computed_at": min(stamps, default=None),
            }
        )
    return ranking


def order_ranking(rows: list[dict], ordering: str) -> list[dict]:
    """Sorted by `ordering` ("-" for descending), nulls last either way, ties by commune code;
    each row gets its `rank` (position, from 1)."""
    descending = ordering.startswith("-")
    name = ordering.lstrip("-")
    rows = sorted(rows, key=lambda row: row["commune"])

    def value(row):
        # Names by their letters first (Đ beside D, not after Z), then by their exact spelling.
        return (fold(row[name]), row[name]) if name == "name" else row[name]

    # Python's sort is stable, also with reverse=True: equal values keep the code order.
    ranked = sorted((row for row in rows if row[name] is not None), key=value, reverse=descending)
    ranked += [row for row in rows if row[name] is None]
    return [{"rank": position, **row} for position, row in enumerate(ranked, start=1)]
