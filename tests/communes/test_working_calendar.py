"""The pure working-day calculator, on the real Vietnamese calendar from the `holidays` package (no DB)."""

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from communes.calendar import WorkingCalendar, parse_hhmm

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = dt.UTC


def calendar_from_package(years=range(2024, 2028), opens="07:00", closes="17:00"):
    """A WorkingCalendar built straight from the `holidays` package, as the seeded table would be."""
    vn = holidays.country_holidays("VN", years=years)
    return WorkingCalendar(
        days_off=frozenset(vn),
        working_days=frozenset(d for d in vn.weekend_workdays if d.year in years),
        opens=parse_hhmm(opens),
        closes=parse_hhmm(closes),
        tz=VN,
    )


# Built once: hypothesis must not use function-scoped fixtures, and the calendar is immutable.
CALENDAR = calendar_from_package()


@pytest.fixture
def calendar():
    return CALENDAR


def at(y, m, d, hh=10, mm=0, tz=VN):
    return dt.datetime(y, m, d, hh, mm, tzinfo=tz)


# --- DOMAIN.md section 4 examples ---------------------------------------------------------------


def test_tet_2026_is_skipped(calendar):
    assert all(not calendar.is_working_day(dt.date(2026, 2, d)) for d in range(16, 21))
    assert calendar.due_at(at(2026, 2, 13), 1) == dt.datetime(2026, 2, 23, 17, 0, tzinfo=VN)


def test_make_up_saturday_26_april_2025_counts(calendar):
    assert calendar.is_working_day(dt.date(2025, 4, 26))
    assert not calendar.is_working_day(dt.date(2025, 5, 2))  # the day off it paid for
    assert calendar.nth_working_day_after(at(2025, 4, 25), 5) == dt.date(2025, 5, 6)


def test_national_day_2025(calendar):
    assert calendar.nth_working_day_after(at(2025, 8, 29), 3) == dt.date(2025, 9, 5)


def test_pause_moves_the_due_date_by_working_days_paused(calendar):
    paused = calendar.working_days_between(dt.date(2025, 9, 3), dt.date(2025, 9, 8))
    assert paused == 3  # 4, 5 and 8 September
    assert calendar.add_working_days(dt.date(2025, 9, 5), paused) == dt.date(2025, 9, 10)


# --- receipt time -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2025, 9, 3, 16, 59), dt.date(2025, 9, 3)),
        (at(2025, 9, 3, 17, 0), dt.date(2025, 9, 4)),  # closing time exactly is already after hours
        (at(2025, 9, 3, 18, 30), dt.date(2025, 9, 4)),
        (at(2025, 9, 3, 6, 30), dt.date(2025, 9, 3)),  # before opening counts as that day
        (at(2025, 9, 3, 0, 0), dt.date(2025, 9, 3)),
        (at(2025, 9, 5, 17, 0), dt.date(2025, 9, 8)),  # Friday evening -> Monday
        (at(2025, 9, 6), dt.date(2025, 9, 8)),  # Saturday
        (at(2025, 9, 7), dt.date(2025, 9, 8)),  # Sunday
        (at(2025, 9, 1), dt.date(2025, 9, 3)),  # National Day holiday
        (at(2025, 4, 26, 9), dt.date(2025, 4, 26)),  # make-up working Saturday
        (at(2025, 4, 26, 17, 30), dt.date(2025, 4, 28)),
    ],
)
def test_effective_receipt_day(calendar, moment, expected):
    assert calendar.effective_receipt_day(moment) == expected


def test_receipt_day_is_the_local_date_whatever_the_moments_time_zone(calendar):
    # 02:00 UTC is 09:00 in Hà Nội; 10:30 UTC is 17:30, after hours on the eve of National Day.
    assert calendar.effective_receipt_day(at(2025, 8, 29, 2, 0, tz=UTC)) == dt.date(2025, 8, 29)
    assert calendar.effective_receipt_day(at(2025, 8, 29, 10, 30, tz=UTC)) == dt.date(2025, 9, 3)
    # 23:30 UTC on New Year's Eve is 06:30 on New Year's Day, a holiday, in Hà Nội.
    assert calendar.effective_receipt_day(at(2025, 12, 31, 23, 30, tz=UTC)) == dt.date(2026, 1, 2)


def test_n_zero_is_the_effective_receipt_day(calendar):
    assert calendar.nth_working_day_after(at(2025, 9, 3), 0) == dt.date(2025, 9, 3)
    assert calendar.nth_working_day_after(at(2025, 9, 3, 18), 0) == dt.date(2025, 9, 4)
    assert calendar.due_at(at(2025, 9, 6), 0) == dt.datetime(2025, 9, 8, 17, 0, tzinfo=VN)


# --- more cases ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "n", "due"),
    [
        (at(2024, 4, 26), 1, dt.date(2024, 5, 2)),  # 29/4 substitute day off, 30/4, 1/5
        (at(2024, 4, 26), 3, dt.date(2024, 5, 4)),  # Saturday 4/5/2024 was a make-up working day
        (at(2025, 1, 24, 16, 59), 1, dt.date(2025, 2, 3)),  # Tết 2025: 27–31/1
        (at(2025, 1, 24, 17, 0), 1, dt.date(2025, 2, 4)),
        (at(2026, 4, 24), 2, dt.date(2026, 4, 29)),  # Hùng Kings 26/4 (Sunday) moved to 27/4
        (at(2026, 4, 24), 3, dt.date(2026, 5, 4)),  # 30/4 and 1/5
        (at(2026, 8, 22, 9), 0, dt.date(2026, 8, 22)),  # make-up working Saturday
        (at(2026, 8, 28), 1, dt.date(2026, 9, 3)),  # 31/8 (for 22/8), 1/9, 2/9
        (at(2026, 11, 23), 1, dt.date(2026, 11, 25)),  # 24/11 Vietnamese Culture Day
        (at(2026, 12, 31, 18), 0, dt.date(2027, 1, 4)),  # after hours, then New Year's Day
        (at(2027, 2, 3), 1, dt.date(2027, 2, 11)),  # Tết 2027: 4–10/2
        (at(2025, 9, 3), 20, dt.date(2025, 10, 1)),
    ],
)
def test_due_dates(calendar, moment, n, due):
    assert calendar.nth_working_day_after(moment, n) == due
    assert calendar.due_at(moment, n) == dt.datetime.combine(due, dt.time(17, 0), tzinfo=VN)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (dt.date(2025, 9, 3), dt.date(2025, 9, 3), 0),
        (dt.date(2025, 9, 8), dt.date(2025, 9, 3), 0),  # end before start
        (dt.date(2025, 8, 29), dt.date(2025, 9, 3), 1),  # weekend and 1–2/9 skipped
        (dt.date(2025, 4, 25), dt.date(2025, 5, 6), 5),  # counts the make-up Saturday 26/4
        (dt.date(2026, 2, 13), dt.date(2026, 2, 23), 1),
        (dt.date(2024, 12, 31), dt.date(2025, 12, 31), 250),  # 261 weekdays - 12 off + 26/4
    ],
)
def test_working_days_between(calendar, start, end, count):
    assert calendar.working_days_between(start, end) == count


def test_add_working_days_counts_strictly_after_the_day(calendar):
    assert calendar.add_working_days(dt.date(2025, 9, 5), 0) == dt.date(2025, 9, 5)
    assert calendar.add_working_days(dt.date(2025, 9, 6), 0) == dt.date(2025, 9, 6)  # unchanged, even off
    assert calendar.add_working_days(dt.date(2025, 9, 6), 1) == dt.date(2025, 9, 8)
    assert calendar.add_working_days(dt.date(2025, 8, 29), 1) == dt.date(2025, 9, 3)


def test_closing_time_on_is_local_closing_time(calendar):
    closing = calendar.closing_time_on(dt.date(2025, 9, 5))
    assert closing == dt.datetime(2025, 9, 5, 10, 0, tzinfo=UTC)
    assert closing.tzinfo == VN


def test_office_hours_come_from_the_calendar():
    late_closing = calendar_from_package(closes="17:30")
    assert late_closing.effective_receipt_day(at(2025, 9, 3, 17, 15)) == dt.date(2025, 9, 3)
    assert late_closing.due_at(at(2025, 9, 3), 0) == at(2025, 9, 3, 17, 30)


# --- guards -------------------------------------------------------------------------------------


def test_naive_datetime_is_rejected(calendar):
    naive = dt.datetime(2025, 9, 3, 10, 0)
    for call in (
        lambda: calendar.effective_receipt_day(naive),
        lambda: calendar.nth_working_day_after(naive, 1),
        lambda: calendar.due_at(naive, 1),
    ):
        with pytest.raises(ValueError, match="naive"):
            call()


def test_negative_n_is_rejected(calendar):
    with pytest.raises(ValueError):
        calendar.nth_working_day_after(at(2025, 9, 3), -1)
    with pytest.raises(ValueError):
        calendar.add_working_days(dt.date(2025, 9, 3), -1)


def test_a_date_cannot_be_both_off_and_working():
    with pytest.raises(ValueError, match="26/04/2025"):
        WorkingCalendar(
            days_off={dt.date(2025, 4, 26)},
            working_days={dt.date(2025, 4, 26)},
            opens=dt.time(7),
            closes=dt.time(17),
            tz=VN,
        )


def test_opening_must_precede_closing():
    with pytest.raises(ValueError):
        calendar_from_package(opens="17:00", closes="07:00")


@pytest.mark.parametrize(
    ("text", "expected"), [("07:00", dt.time(7)), ("7:30", dt.time(7, 30)), ("23:59", dt.time(23, 59))]
)
def test_parse_hhmm(text, expected):
    assert parse_hhmm(text) == expected


@pytest.mark.parametrize("text", ["24:00", "07:60", "0700", "07:00:00", "", "bảy giờ"])
def test_parse_hhmm_rejects_other_formats(text):
    with pytest.raises(ValueError):
        parse_hhmm(text)


# --- properties ---------------------------------------------------------------------------------

days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))
counts = st.integers(min_value=0, max_value=300)
moments = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.just(VN)
)


@given(moment=moments, n=counts, m=counts)
def test_due_date_is_a_working_day_and_grows_with_n(moment, n, m):
    due_n = CALENDAR.nth_working_day_after(moment, n)
    assert CALENDAR.is_working_day(due_n)
    assert due_n >= moment.date()
    if n < m:
        assert due_n < CALENDAR.nth_working_day_after(moment, m)


@given(day=days, n=counts)
def test_add_and_between_are_inverse(day, n):
    assert CALENDAR.working_days_between(day, CALENDAR.add_working_days(day, n)) == n


@given(start=days, length=st.integers(min_value=-10, max_value=400))
def test_between_matches_counting_day_by_day(start, length):
    end = start + dt.timedelta(days=length)
    expected = sum(CALENDAR.is_working_day(start + dt.timedelta(days=i)) for i in range(1, length + 1))
    assert CALENDAR.working_days_between(start, end) == expected


@given(moment=moments)
def test_effective_receipt_day_is_the_first_working_day_not_before_local_receipt(moment):
    day = CALENDAR.effective_receipt_day(moment)
    local = moment.astimezone(VN).date()
    assert CALENDAR.is_working_day(day)
    assert day >= local
    # Either the receipt date itself, or the first working day after it: nothing is skipped.
    assert CALENDAR.working_days_between(local, day) == (0 if day == local else 1)
