"""The ranking of a province's communes: one row of period figures (DOMAIN.md §5) per current unit.

Read from DailyFigures alone with a constant number of queries, whatever the number of units:
`load_province_units` is one query (the units, their merger links two levels deep and the
province's targets), `province_ranking` one GROUP BY commune. The province dashboard and the
ranking CSV export both build on these two functions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from django.db.models import F, Min, OuterRef, Q, Subquery, Sum

from communes.models import Commune, Merger, Province
from dossiers.figures_read import figures_from_sums
from dossiers.models import DailyFigures, ProvinceTargets
from dossiers.models.figures import FLOW_FIELDS, STOCK_FIELDS

#: Columns the ranking can be sorted by (?sap_xep=<name>, "-<name>" for descending), with the
#: direction of the first click: largest first for figures, A to Z for the name.
SORTABLE = {
    "name": "name",
    "received_total": "-received_total",
    "received_online": "-received_online",
    "online_rate": "-online_rate",
    "resolved_total": "-resolved_total",
    "on_time_rate": "-on_time_rate",
    "pending_total": "-pending_total",
    "pending_overdue": "-pending_overdue",
    "visits": "-visits",
}
DEFAULT_SORT = "-on_time_rate"
#: A rate this many points or less under the target is "nearly there" (amber), lower is red.
AMBER_BAND = 10


@dataclass(frozen=True)
class ProvinceUnits:
    """A province, its targets and its current units, each with the ids whose figures are its own:
    the unit and every unit it absorbed, however many mergers back (history is never rewritten,
    so a period before the merger counts the predecessors' dossiers)."""

    province: Province
    targets: ProvinceTargets
    members: dict[Commune, frozenset[int]]  # ordered by code

    @property
    def all_ids(self) -> frozenset[int]:
        return frozenset().union(*self.members.values())


def load_province_units(*, code: str | None = None, pk: int | None = None) -> ProvinceUnits | None:
    """The province by code or pk with its current units, or None when it does not exist.

    One query: the units joined to their merger links two levels deep, with the province and its
    targets (ProvinceTargets.for_province's values: the saved row or the defaults). A third
    merger level or more costs one query per level; a province without a current unit, two.
    """
    where = Q(province__code=code) if code is not None else Q(province_id=pk)
    targets = ProvinceTargets.objects.filter(province=OuterRef("province_id"))
    rows = list(
        Commune.objects.current()
        .filter(where)
        .select_related("province")
        .annotate(
            absorbed_1=F("absorptions__absorbed_id"),
            absorbed_2=F("absorptions__absorbed__absorptions__absorbed_id"),
            target_online=Subquery(targets.values("online_rate")[:1]),
            target_on_time=Subquery(targets.values("on_time_rate")[:1]),
        )
        .order_by("code", "pk")
    )
    if not rows:
        province = Province.objects.filter(Q(code=code) if code is not None else Q(pk=pk)).first()
        if province is None:
            return None
        return ProvinceUnits(province, ProvinceTargets.for_province(province), {})

    province = rows[0].province
    saved = rows[0].target_online is not None
    targets_row = ProvinceTargets(province=province)
    if saved:
        targets_row.online_rate, targets_row.on_time_rate = rows[0].target_online, rows[0].target_on_time

    units: dict[int, Commune] = {}
    absorbed: dict[int, set[int]] = defaultdict(set)  # successor id -> absorbed ids
    deeper: set[int] = set()
    for row in rows:
        units.setdefault(row.pk, row)
        if row.absorbed_1 is not None:
            absorbed[row.pk].add(row.absorbed_1)
            if row.absorbed_2 is not None:
                absorbed[row.absorbed_1].add(row.absorbed_2)
                deeper.add(row.absorbed_2)
    _follow_older_mergers(absorbed, deeper)
    members = {unit: _closure(unit.pk, absorbed) for unit in units.values()}
    return ProvinceUnits(province, targets_row, members)


def _follow_older_mergers(absorbed: dict[int, set[int]], frontier: set[int]) -> None:
    """Mergers beyond the two levels the units query joins (a unit merged twice or more)."""
    seen = set(frontier)
    while frontier:
        pairs = Merger.objects.filter(successor_id__in=frontier).values_list("successor_id", "absorbed_id")
        frontier = set()
        for successor, old in pairs:
            absorbed[successor].add(old)
            if old not in seen:
                seen.add(old)
                frontier.add(old)


def _closure(unit_id: int, absorbed: dict[int, set[int]]) -> frozenset[int]:
    found, stack = {unit_id}, [unit_id]
    while stack:
        for old in absorbed.get(stack.pop(), ()):
            if old not in found:
                found.add(old)
                stack.append(old)
    return frozenset(found)


# --- figures -----------------------------------------------------------------------------------


def _parts_by_commune(commune_ids, first: dt.date, last: dt.date) -> dict[int, dict]:
    """{commune_id: {flows..., "end_<stock>"..., "before_<stock>"..., "computed_at"}} in ONE query:
    a GROUP BY commune over [first − 1, last] whose conditional sums split flows (the period),
    end stocks (`last`) and the stocks carried over (the day before `first`)."""
    before = first - dt.timedelta(days=1)
    in_period, at_end, day_before = Q(date__gte=first), Q(date=last), Q(date=before)
    rows = (
        DailyFigures.objects.filter(commune_id__in=list(commune_ids), date__gte=before, date__lte=last)
        .values("commune_id")
        .order_by()
        .annotate(
            **{name: Sum(name, filter=in_period) for name in FLOW_FIELDS},
            **{f"end_{name}": Sum(name, filter=at_end) for name in STOCK_FIELDS},
            before_pending_in_time=Sum("pending_in_time", filter=day_before),
            before_pending_overdue=Sum("pending_overdue", filter=day_before),
            computed_at=Min("computed_at", filter=in_period),
        )
    )
    return {row.pop("commune_id"): row for row in rows}


def _summed(parts: list[dict]) -> dict:
    """Flows, end stocks and the day before's stocks summed over some communes, then the
    contract's figures and rates (the same arithmetic as figures_read.summarize)."""
    total: dict[str, int] = defaultdict(int)
    for part in parts:
        for key, value in part.items():
            if key != "computed_at":
                total[key] += int(value or 0)
    flows = {name: total[name] for name in FLOW_FIELDS}
    stocks = {name: total[f"end_{name}"] for name in STOCK_FIELDS}
    before = {name: total[f"before_{name}"] for name in ("pending_in_time", "pending_overdue")}
    moments = [part["computed_at"] for part in parts if part.get("computed_at")]
    return {**figures_from_sums(flows, stocks, before), "computed_at": min(moments) if moments else None}


def ranking_with_total(
    commune_ids_by_unit: Mapping[Hashable, frozenset[int] | set[int]], first: dt.date, last: dt.date
) -> tuple[list[dict], dict]:
    """`province_ranking`'s rows and the figures of all the units together (each commune id
    counted once, as summarize(union of ids, first, last) would), from the same single query."""
    all_ids = frozenset().union(*commune_ids_by_unit.values()) if commune_ids_by_unit else frozenset()
    parts = _parts_by_commune(all_ids, first, last) if all_ids else {}
    rows = [
        {"unit": unit, **_summed([parts[i] for i in ids if i in parts])}
        for unit, ids in commune_ids_by_unit.items()
    ]
    total = {"date_from": first, "date_to": last, **_summed(list(parts.values()))}
    return rows, total


def province_ranking(
    commune_ids_by_unit: Mapping[Hashable, frozenset[int] | set[int]], first: dt.date, last: dt.date
) -> list[dict]:
    """One row per unit of `commune_ids_by_unit` (e.g. `load_province_units(...).members`), in
    the mapping's order: {"unit": the key, **the figures summarize() returns, by the contract's
    names: received_total, online_rate, on_time_rate, pending_overdue, visits, ..., computed_at}.

    Each unit's figures are summed over its ids (the unit and its predecessors). One query for
    all units (a GROUP BY commune over DailyFigures), never one summarize per unit. A unit with
    no figures in the period gets zeros and null rates. Sort with `sort_ranking`.
    """
    return ranking_with_total(commune_ids_by_unit, first, last)[0]


# --- order and grades --------------------------------------------------------------------------


def parse_sort(value: str | None) -> str:
    """A valid ?sap_xep value ("name", "-on_time_rate", ...) or the default."""
    value = (value or "").strip()
    return value if value.lstrip("-") in SORTABLE and value.count("-") <= 1 else DEFAULT_SORT


def sort_ranking(rows: list[dict], sort: str) -> list[dict]:
    """Rows ordered by a SORTABLE column; units without a figure (a null rate) always come last,
    ties by name. Rows need "unit" with `.name` (a Commune)."""
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    if key == "name":
        return sorted(rows, key=lambda r: (r["unit"].name, r["unit"].code), reverse=descending)
    known = sorted((r for r in rows if r[key] is not None), key=lambda r: (r["unit"].name, r["unit"].code))
    known.sort(key=lambda r: r[key], reverse=descending)  # stable: ties stay by name
    return known + [r for r in rows if r[key] is None]


def grade(rate, target) -> str | None:
    """ "ok" when the rate reaches the target, "warn" up to AMBER_BAND points under, else "bad";
    None without a rate."""
    if rate is None:
        return None
    if rate >= float(target):
        return "ok"
    return "warn" if rate >= float(target) - AMBER_BAND else "bad"
