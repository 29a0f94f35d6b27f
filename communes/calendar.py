"""The working-day calculator (DOMAIN.md section 4): pure functions over dates and a calendar.

Nothing here touches the ORM or Django settings; `communes.calendar_store` builds a
`WorkingCalendar` from the database and the settings, and everything else just asks it questions.

Conventions used throughout:

* A *working day* is Monday–Friday unless it is a listed day off, or a Saturday/Sunday that is a
  listed make-up working day (ngày làm việc bù).
* A dossier received after closing time, or on a day that is not a working day, counts as received
  on the next working day (its *effective receipt day*). Before opening time counts as that day.
* "The N-th working day after X" never counts X itself; N = 0 means X.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
# Python's weekday(): Monday is 0, so Saturday and Sunday are 5 and 6.
_SATURDAY = 5


def parse_hhmm(value: str) -> dt.time:
    """Parse an office-hours setting such as "07:00" or "17:30" into a `datetime.time`.

    Raises ValueError for anything that is not HH:MM on a 24-hour clock.
    """
    match = _HHMM.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"Expected a time as HH:MM (24-hour clock), got {value!r}.")
    return dt.time(int(match.group(1)), int(match.group(2)))


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= _SATURDAY


def _weekdays_up_to(day: dt.date) -> int:
    """Number of Monday–Friday dates from an arbitrary fixed origin up to and including `day`.

    Only differences of this function are meaningful; it lets us count weekdays in any range in
    constant time instead of walking it.
    """
    ordinal = day.toordinal()  # date(1, 1, 1) has ordinal 1 and is a Monday.
    weeks, rest = divmod(ordinal - 1, 7)  # rest: 0 = Monday ... 6 = Sunday
    return weeks * 5 + min(rest + 1, 5)


def _require_aware(moment: dt.datetime) -> None:
    if not isinstance(moment, dt.datetime):
        raise TypeError(f"Expected a datetime, got {type(moment).__name__}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("A naive datetime has no time zone; pass an aware datetime.")


def _require_non_negative(n: int) -> None:
    if n < 0:
        raise ValueError(f"The number of working days must be zero or more, got {n}.")


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days, and the office hours, for deadline calculations.

    `days_off` are holidays and substitute days off; `working_days` are make-up working
    Saturdays/Sundays. Listing a weekday as a working day or a weekend day as a day off is
    harmless (it changes nothing); listing the same date in both sets is a contradiction and
    raises ValueError.
    """

    days_off: frozenset[dt.date]
    working_days: frozenset[dt.date]
    opens: dt.time
    closes: dt.time
    tz: ZoneInfo

    # Sorted exceptions that actually change the Monday–Friday rule, for O(log n) range counts.
    _extra_off: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)
    _extra_working: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # Accept any iterable of dates so callers need not build frozensets themselves.
        object.__setattr__(self, "days_off", frozenset(self.days_off))
        object.__setattr__(self, "working_days", frozenset(self.working_days))
        both = self.days_off & self.working_days
        if both:
            listed = ", ".join(f"{d:%d/%m/%Y}" for d in sorted(both))
            raise ValueError(f"Dates cannot be both a day off and a working day: {listed}.")
        if not self.opens < self.closes:
            raise ValueError("Opening time must be before closing time.")
        object.__setattr__(self, "_extra_off", tuple(sorted(d for d in self.days_off if not _is_weekend(d))))
        object.__setattr__(
            self, "_extra_working", tuple(sorted(d for d in self.working_days if _is_weekend(d)))
        )

    @classmethod
    def from_settings_values(
        cls,
        days_off: Iterable[dt.date],
        working_days: Iterable[dt.date],
        opens: str,
        closes: str,
        tz: str,
    ) -> WorkingCalendar:
        """Build a calendar from plain values as they appear in settings ("07:00", "Asia/Ho_Chi_Minh")."""
        return cls(
            days_off=frozenset(days_off),
            working_days=frozenset(working_days),
            opens=parse_hhmm(opens),
            closes=parse_hhmm(closes),
            tz=ZoneInfo(tz),
        )

    # --- days ---------------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        """True for Monday–Friday that is not a day off, and for a listed make-up Saturday/Sunday."""
        if isinstance(day, dt.datetime):
            raise TypeError("Pass a date, not a datetime; use effective_receipt_day() for moments.")
        if _is_weekend(day):
            return day in self.working_days
        return day not in self.days_off

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Count the working days d with start < d <= end (0 when end <= start).

        This is how a pause moves a deadline: paused on `start`, resumed on `end`, the due date
        moves forward by this many working days (DOMAIN.md section 4).
        """
        if end <= start:
            return 0
        weekdays = _weekdays_up_to(end) - _weekdays_up_to(start)
        return (
            weekdays
            - self._count_in(self._extra_off, start, end)
            + self._count_in(self._extra_working, start, end)
        )

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """Return the n-th working day strictly after `day`; for n == 0 return `day` unchanged.

        `day` itself never counts, whether or not it is a working day, so for every date d and
        every n >= 0: working_days_between(d, add_working_days(d, n)) == n. For n >= 1 the result
        is always a working day. Moving a due date by a pause is add_working_days(due, paused).
        """
        _require_non_negative(n)
        current = day
        remaining = n
        # Walking day by day is O(n + days skipped); the longest run of days off (Tết) is about
        # nine days, and n is at most a few hundred, so this is cheap and obviously correct.
        one_day = dt.timedelta(days=1)
        while remaining:
            current += one_day
            if self.is_working_day(current):
                remaining -= 1
        return current

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    # --- moments ------------------------------------------------------------------------------

    def effective_receipt_day(self, moment: dt.datetime) -> dt.date:
        """The local working day a dossier received at `moment` counts as received on.

        The same local date if it is a working day and `moment` is before closing time (early
        morning counts too); otherwise the next working day.
        """
        _require_aware(moment)
        local = moment.astimezone(self.tz)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.closes:
            return day
        return self.next_working_day(day)

    def nth_working_day_after(self, moment: dt.datetime, n: int) -> dt.date:
        """The due date: the n-th working day after the effective receipt day (n == 0: that day)."""
        _require_non_negative(n)
        return self.add_working_days(self.effective_receipt_day(moment), n)

    def due_at(self, moment: dt.datetime, n: int) -> dt.datetime:
        """The due moment: closing time, local time, on nth_working_day_after(moment, n)."""
        return self.closing_time_on(self.nth_working_day_after(moment, n))

    def closing_time_on(self, day: dt.date) -> dt.datetime:
        """Closing time on `day` as an aware datetime in the calendar's time zone."""
        return dt.datetime.combine(day, self.closes, tzinfo=self.tz)

    def opening_time_on(self, day: dt.date) -> dt.datetime:
        """Opening time on `day` as an aware datetime in the calendar's time zone."""
        return dt.datetime.combine(day, self.opens, tzinfo=self.tz)

    # --- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _count_in(sorted_days: tuple[dt.date, ...], start: dt.date, end: dt.date) -> int:
        """How many of `sorted_days` fall in (start, end]."""
        return bisect_right(sorted_days, end) - bisect_right(sorted_days, start)
