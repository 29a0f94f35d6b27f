"""Demo walk-in visits and the first computation of the demo's daily figures.

Visits: the three seed communes record a count every working day since the merger; Quyết Thắng's
1–28/7/2025 add up to 3.200, the seed article's "more than 3,000 visits".
Figures: the whole province for the article's month (July 2025) and for last month to today, so
the dashboards open with numbers; the rest of the history is computed by the beat job (or
`manage.py compute_stats`), from the stale marks the demo dossiers left.
"""

from __future__ import annotations

import datetime as dt
import random

from communes.calendar_store import get_working_calendar
from communes.models import Commune
from dossiers.figures import recompute
from dossiers.models import WalkInVisits

SEED_COMMUNES = ("05293", "05305", "05323")
MERGER_DAY = dt.date(2025, 7, 1)
ARTICLE_WINDOW = (dt.date(2025, 7, 1), dt.date(2025, 7, 28))
QUYET_THANG_ARTICLE_DAILY = 160  # × 20 working days = 3.200 visits in the article's window


def _count(code: str, day: dt.date, rng: random.Random) -> int:
    if code == "05323" and ARTICLE_WINDOW[0] <= day <= ARTICLE_WINDOW[1]:
        return QUYET_THANG_ARTICLE_DAILY
    return rng.randint(60, 140)


def seed_walk_in_visits(today: dt.date) -> int:
    """Visits of the seed communes on every working day from 1/7/2025 to today; idempotent."""
    calendar = get_working_calendar()
    rng = random.Random(2025)  # the same numbers on every machine
    units = Commune.objects.current().filter(code__in=SEED_COMMUNES)
    rows = []
    for unit in units.order_by("code"):
        day = MERGER_DAY
        while day <= today:
            if calendar.is_working_day(day):
                rows.append(WalkInVisits(commune=unit, date=day, count=_count(unit.code, day, rng)))
            day += dt.timedelta(days=1)
    before = WalkInVisits.objects.count()
    WalkInVisits.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return WalkInVisits.objects.count() - before


def compute_demo_figures(today: dt.date) -> None:
    """The article's month and the recent weeks, for every unit (a few seconds each)."""
    recompute(None, dt.date(2025, 7, 1), dt.date(2025, 7, 31))
    first_of_last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    recompute(None, max(first_of_last_month, dt.date(2025, 8, 1)), today)
