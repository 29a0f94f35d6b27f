"""The frozen figures of a visited commune: which period, and reading them right at record time.

A snapshot is dossiers.figures_read.summarize for the commune with the units it absorbed (as the
stats API's summary with include_predecessors=true) over the chosen period, stored once as JSON.
Before reading, the daily figures of those units are brought up to date synchronously when they
may be stale, so the snapshot never freezes numbers a worker has not caught up with yet.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.serializers.json import DjangoJSONEncoder

from communes.models import Commune
from communes.scope import with_predecessors
from dossiers.figures import recompute
from dossiers.figures_read import summarize
from dossiers.models import DailyFigures, FiguresBacklog

ONE_DAY = dt.timedelta(days=1)


def default_period(visit_date: dt.date) -> tuple[dt.date, dt.date]:
    """The 1st of the visit's month to the day before the visit (DOMAIN.md §6).

    A visit on the 1st has nothing of its month behind it yet, so it takes the whole previous
    month instead (visit on 1/8/2025 -> 1/7/2025–31/7/2025).
    """
    last = visit_date - ONE_DAY
    first = last.replace(day=1) if visit_date.day == 1 else visit_date.replace(day=1)
    return first, last


def snapshot_units(commune: Commune) -> frozenset[int]:
    """The units a commune's snapshot sums: itself and every unit it absorbed."""
    return with_predecessors({commune.pk})


def figures_are_current(commune: Commune, unit_ids, first: dt.date, last: dt.date) -> bool:
    """False when the daily figures behind [first, last] may be stale or missing.

    Stale: a FiguresBacklog mark of any of the units from a day up to `last` (a dossier change
    or a walk-in count not yet recomputed). Missing: a day in [first - 1, last] on which the
    commune existed without its row (recompute writes one for every day a unit exists), i.e.
    never computed. The day before `first` counts because carried_over is read from it.
    """
    if FiguresBacklog.objects.filter(commune_id__in=list(unit_ids), since__lte=last).exists():
        return False
    start, end = first - ONE_DAY, last
    if commune.valid_from is not None:
        start = max(start, commune.valid_from)
    if commune.valid_to is not None:
        end = min(end, commune.valid_to)
    if start > end:
        return True
    present = DailyFigures.objects.filter(commune=commune, date__gte=start, date__lte=end).count()
    return present == (end - start).days + 1


def take_snapshot(commune: Commune, first: dt.date, last: dt.date) -> dict:
    """The period figures of `commune` with its predecessors, as the JSON the snapshot stores.

    Recomputes the units' daily figures over [first - 1, last] first when they may be stale
    (figures_are_current). The backlog marks stay: later days may still need the worker.
    """
    units = snapshot_units(commune)
    if not figures_are_current(commune, units, first, last):
        recompute(units, first - ONE_DAY, last)
    # Through JSON now, so the object in hand equals what the database gives back later.
    return json.loads(json.dumps(summarize(units, first, last), cls=DjangoJSONEncoder))
