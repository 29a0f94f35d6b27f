"""The working calendar's database side: seeding CalendarDay from `holidays`, and the cached calendar.

`get_working_calendar()` is what the rest of the project calls to compute deadlines. It is cached
in-process and rebuilt when a CalendarDay changes (see `communes.signals`). The cache only ever
holds committed data: while this thread has uncommitted CalendarDay changes, the calendar is built
fresh on each call, so a rolled-back transaction (every pytest-django test ends with one) cannot
leave a stale calendar behind. Other processes (gunicorn workers, Celery) do not see our signals, so
a cached calendar is also rebuilt after `CACHE_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db import transaction

from .calendar import WorkingCalendar, parse_hhmm
from .choices import CalendarDayKind, CalendarDaySource
from .models import CalendarDay

#: How long another process's edits may take to reach this process's cached calendar.
CACHE_SECONDS = 60

_NAME_MAX_LENGTH = CalendarDay._meta.get_field("name").max_length


@dataclass(frozen=True)
class SeedResult:
    """What `seed_from_holidays_package` did, counted in days."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Package rows in the seeded years that the package no longer lists (it corrected itself).
    deleted: int = 0
    #: Days the package lists but an administrator has set by hand; left exactly as they are.
    kept_admin: int = 0


def default_years(today: dt.date) -> range:
    """The years `seed_calendar` loads by default: CALENDAR_FIRST_YEAR to CALENDAR_YEARS_AHEAD after today."""
    return range(settings.CALENDAR_FIRST_YEAR, today.year + settings.CALENDAR_YEARS_AHEAD + 1)


def package_calendar_days(years: Iterable[int]) -> dict[dt.date, tuple[str, str]]:
    """Days off and make-up working days the `holidays` package knows for `years`: {date: (kind, name)}.

    Names are Vietnamese. A make-up working day is named after the day off it pays for, when the
    package's substitute-day name lets us find it.
    """
    years = sorted(set(years))
    if not years:
        return {}
    vn = holidays.country_holidays("VN", years=years, language="vi")
    days: dict[dt.date, tuple[str, str]] = {
        day: (CalendarDayKind.DAY_OFF, name[:_NAME_MAX_LENGTH]) for day, name in vn.items()
    }
    # `weekend_workdays` lists every year the package knows, not only the requested ones.
    for workday in sorted(d for d in vn.weekend_workdays if d.year in years):
        days[workday] = (CalendarDayKind.WORKING_DAY, _make_up_day_name(workday, vn))
    return days


def _make_up_day_name(workday: dt.date, vn: holidays.HolidayBase) -> str:
    # The package names the substitute day off "Ngày nghỉ (thay cho ngày 26/04/2025)".
    marker = f"thay cho ngày {workday:%d/%m/%Y}"
    for day, name in sorted(vn.items()):
        if marker in name:
            return f"Làm việc bù cho ngày nghỉ {day:%d/%m/%Y}"
    # A literal, not the choice label: stored data must not depend on the active language.
    return "Ngày làm việc bù"


def seed_from_holidays_package(years: Iterable[int]) -> SeedResult:
    """Copy the `holidays` package's Vietnamese calendar for `years` into CalendarDay (source "package").

    Idempotent: a second run changes nothing. A row an administrator entered (source "admin") is
    never changed or deleted; package rows the package no longer lists for those years are deleted.
    Runs in one transaction.
    """
    years = sorted(set(years))
    wanted = package_calendar_days(years)
    created = updated = unchanged = deleted = kept_admin = 0
    with transaction.atomic():
        existing = {
            row.date: row for row in CalendarDay.objects.select_for_update().filter(date__year__in=years)
        }
        to_create, to_update = [], []
        for day, (kind, name) in sorted(wanted.items()):
            row = existing.get(day)
            if row is None:
                to_create.append(
                    CalendarDay(date=day, kind=kind, name=name, source=CalendarDaySource.HOLIDAYS_PACKAGE)
                )
            elif row.source == CalendarDaySource.ADMIN:
                kept_admin += 1
            elif (row.kind, row.name) == (kind, name):
                unchanged += 1
            else:
                row.kind, row.name = kind, name
                to_update.append(row)
        stale = [
            row.pk
            for day, row in existing.items()
            if day not in wanted and row.source == CalendarDaySource.HOLIDAYS_PACKAGE
        ]
        # Bulk operations send no post_save/post_delete signals; invalidate the cache ourselves.
        if to_create or to_update or stale:
            CalendarDay.objects.bulk_create(to_create)
            CalendarDay.objects.bulk_update(to_update, ["kind", "name"])
            deleted, _ = CalendarDay.objects.filter(pk__in=stale).delete()
            created, updated = len(to_create), len(to_update)
            calendar_changed()
    return SeedResult(created, updated, unchanged, deleted, kept_admin)


# --- the cached calendar --------------------------------------------------------------------------

_lock = threading.Lock()
_cached: WorkingCalendar | None = None
_cached_at = 0.0
# Bumped on every invalidation, so a build that raced with a change does not store stale data.
_generation = 0
# Per thread (= per database connection): "this transaction changed CalendarDay, not yet committed".
_local = threading.local()


def build_working_calendar() -> WorkingCalendar:
    """Build a calendar from the CalendarDay table and the office hours in settings (no cache)."""
    days_off, working_days = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (working_days if kind == CalendarDayKind.WORKING_DAY else days_off).add(day)
    return WorkingCalendar(
        days_off=frozenset(days_off),
        working_days=frozenset(working_days),
        opens=parse_hhmm(settings.OFFICE_OPENS),
        closes=parse_hhmm(settings.OFFICE_CLOSES),
        tz=ZoneInfo(settings.TIME_ZONE),
    )


def get_working_calendar() -> WorkingCalendar:
    """The project's working calendar, cached in-process; always reflects this thread's own changes."""
    global _cached, _cached_at
    if getattr(_local, "uncommitted", False):
        if transaction.get_connection().in_atomic_block:
            # Our own uncommitted rows must count, but must not outlive a rollback in the cache.
            return build_working_calendar()
        # The transaction ended without on_commit firing, so it was rolled back.
        _local.uncommitted = False
    with _lock:
        if _cached is not None and time.monotonic() - _cached_at < CACHE_SECONDS:
            return _cached
        generation = _generation
    calendar = build_working_calendar()
    with _lock:
        if generation == _generation:
            _cached, _cached_at = calendar, time.monotonic()
    return calendar


def clear_calendar_cache() -> None:
    """Forget the cached calendar; the next `get_working_calendar()` reads the database again."""
    global _cached, _generation
    with _lock:
        _cached = None
        _generation += 1


def calendar_changed(using: str | None = None) -> None:
    """Record that CalendarDay rows changed on connection `using`: drop the cache now and on commit."""
    clear_calendar_cache()
    if transaction.get_connection(using).in_atomic_block:
        _local.uncommitted = True
        transaction.on_commit(_committed, using=using)


def _committed() -> None:
    _local.uncommitted = False
    clear_calendar_cache()
