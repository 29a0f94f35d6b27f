"""Seeding CalendarDay from the `holidays` package, admin overrides, and the cached calendar."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from communes import calendar_store
from communes.calendar_store import (
    SeedResult,
    default_years,
    get_working_calendar,
    package_calendar_days,
    seed_from_holidays_package,
)
from communes.models import CalendarDay
from tests.factories import CalendarDayFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NATIONAL_DAY_RECEIPT = dt.datetime(2025, 8, 29, 10, 0, tzinfo=VN)  # N = 3 -> Friday 5/9/2025


def snapshot():
    return list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name", "source"))


def test_seeding_copies_the_package_with_vietnamese_names(db):
    result = seed_from_holidays_package([2025, 2026])

    assert result == SeedResult(created=len(package_calendar_days([2025, 2026])))
    tet = CalendarDay.objects.get(date=dt.date(2026, 2, 17))
    assert (tet.kind, tet.name, tet.source) == ("day_off", "Tết Nguyên Đán", "package")
    make_up = CalendarDay.objects.get(date=dt.date(2026, 8, 22))
    assert (make_up.kind, make_up.name) == ("working_day", "Làm việc bù cho ngày nghỉ 31/08/2026")
    assert CalendarDay.objects.get(date=dt.date(2025, 4, 26)).kind == "working_day"
    # The package also knows make-up days of other years; only the requested years are copied.
    assert not CalendarDay.objects.filter(date__year__in=[2019, 2024]).exists()


def test_seeding_twice_changes_nothing(db):
    first = seed_from_holidays_package([2025, 2026])
    rows = snapshot()

    second = seed_from_holidays_package([2025, 2026])

    assert second == SeedResult(unchanged=first.created)
    assert snapshot() == rows


def test_reseeding_repairs_package_rows_and_drops_ones_the_package_no_longer_lists(db):
    seed_from_holidays_package([2025])
    CalendarDay.objects.filter(date=dt.date(2025, 9, 2)).update(name="sửa tay nhầm chỗ")
    CalendarDayFactory(date=dt.date(2025, 3, 3), name="Không còn trong thư viện", source="package")
    CalendarDayFactory(date=dt.date(2024, 3, 4), name="Năm khác, không nạp lại", source="package")

    result = seed_from_holidays_package([2025])

    assert (result.updated, result.deleted) == (1, 1)
    assert CalendarDay.objects.get(date=dt.date(2025, 9, 2)).name == "Quốc khánh"
    assert not CalendarDay.objects.filter(date=dt.date(2025, 3, 3)).exists()
    assert CalendarDay.objects.filter(date=dt.date(2024, 3, 4)).exists()


def test_admin_rows_survive_reseeding(db):
    seed_from_holidays_package([2025])
    # An administrator renames a package day (taking it over) and adds a day the package lacks.
    CalendarDay.objects.filter(date=dt.date(2025, 9, 2)).update(
        name="Quốc khánh (theo công văn)", source="admin"
    )
    CalendarDayFactory(date=dt.date(2025, 9, 3), name="Nghỉ thêm theo quyết định", source="admin")

    result = seed_from_holidays_package([2025])

    assert result.kept_admin == 1
    assert result.deleted == 0
    assert CalendarDay.objects.get(date=dt.date(2025, 9, 2)).name == "Quốc khánh (theo công văn)"
    assert CalendarDay.objects.get(date=dt.date(2025, 9, 3)).source == "admin"


def test_admin_day_off_changes_the_calendar_immediately(db):
    seed_from_holidays_package([2025])
    assert get_working_calendar().nth_working_day_after(NATIONAL_DAY_RECEIPT, 3) == dt.date(2025, 9, 5)

    extra = CalendarDayFactory(date=dt.date(2025, 9, 3), name="Nghỉ thêm theo quyết định", source="admin")
    assert get_working_calendar().nth_working_day_after(NATIONAL_DAY_RECEIPT, 3) == dt.date(2025, 9, 8)

    seed_from_holidays_package([2025])
    assert get_working_calendar().nth_working_day_after(NATIONAL_DAY_RECEIPT, 3) == dt.date(2025, 9, 8)

    extra.delete()
    assert get_working_calendar().nth_working_day_after(NATIONAL_DAY_RECEIPT, 3) == dt.date(2025, 9, 5)


def test_admin_make_up_saturday_is_a_working_day(db):
    saturday = dt.date(2025, 9, 13)
    friday_evening = dt.datetime(2025, 9, 12, 17, 30, tzinfo=VN)
    assert not get_working_calendar().is_working_day(saturday)

    CalendarDayFactory(date=saturday, kind="working_day", name="Làm việc bù", source="admin")

    calendar = get_working_calendar()
    assert calendar.is_working_day(saturday)
    assert calendar.effective_receipt_day(friday_evening) == saturday


def test_calendar_uses_office_hours_from_settings(db, settings):
    settings.OFFICE_CLOSES = "17:30"
    calendar_store.clear_calendar_cache()

    calendar = get_working_calendar()

    assert calendar.closes == dt.time(17, 30)
    assert calendar.closing_time_on(dt.date(2025, 9, 5)) == dt.datetime(2025, 9, 5, 17, 30, tzinfo=VN)


def test_a_rolled_back_change_does_not_linger_in_the_cache(db):
    wednesday = dt.date(2025, 9, 3)
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarDayFactory(date=wednesday, name="Nghỉ thêm", source="admin")
        assert not get_working_calendar().is_working_day(wednesday)  # our own change counts at once
        raise RuntimeError("huỷ")

    assert get_working_calendar().is_working_day(wednesday)


@pytest.mark.django_db(transaction=True)
def test_calendar_is_cached_between_changes(django_assert_num_queries):
    calendar_store.clear_calendar_cache()
    get_working_calendar()
    with django_assert_num_queries(0):
        cached = get_working_calendar()
    assert cached.is_working_day(dt.date(2025, 9, 3))

    CalendarDayFactory(date=dt.date(2025, 9, 3), name="Nghỉ thêm", source="admin")

    with django_assert_num_queries(1):
        assert not get_working_calendar().is_working_day(dt.date(2025, 9, 3))


@pytest.mark.django_db(transaction=True)
def test_cache_expires_for_changes_made_by_other_processes(monkeypatch):
    calendar_store.clear_calendar_cache()
    assert get_working_calendar().is_working_day(dt.date(2025, 9, 3))
    # queryset.update() sends no signal: as if another worker process had made the change.
    CalendarDayFactory(date=dt.date(2025, 9, 3), kind="working_day", source="admin")
    get_working_calendar()
    CalendarDay.objects.filter(date=dt.date(2025, 9, 3)).update(kind="day_off")
    assert get_working_calendar().is_working_day(dt.date(2025, 9, 3))  # not seen yet: cached

    monkeypatch.setattr(calendar_store, "CACHE_SECONDS", 0)

    assert not get_working_calendar().is_working_day(dt.date(2025, 9, 3))


def test_default_years(settings):
    settings.CALENDAR_FIRST_YEAR = 2024
    settings.CALENDAR_YEARS_AHEAD = 1
    assert default_years(dt.date(2026, 3, 1)) == range(2024, 2028)


def test_seed_calendar_command_reports_counts_in_vietnamese(db):
    expected = len(package_calendar_days([2025, 2026]))
    out = StringIO()

    call_command("seed_calendar", "--years", "2026", "2025", stdout=out)
    call_command("seed_calendar", "--years", "2025", "2026", stdout=out)

    assert out.getvalue().splitlines() == [
        f"Đã nạp lịch nghỉ lễ năm 2025–2026: {expected} ngày mới, 0 cập nhật, 0 không đổi.",
        f"Đã nạp lịch nghỉ lễ năm 2025–2026: 0 ngày mới, 0 cập nhật, {expected} không đổi.",
    ]


def test_seed_calendar_command_defaults_to_the_configured_years(db, settings):
    settings.CALENDAR_FIRST_YEAR = 2024
    settings.CALENDAR_YEARS_AHEAD = 1
    CalendarDayFactory(date=dt.date(2025, 9, 2), name="Quốc khánh", source="admin")
    out = StringIO()

    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=VN), tick=False):
        call_command("seed_calendar", stdout=out)

    expected = len(package_calendar_days(range(2024, 2028))) - 1
    assert out.getvalue() == (
        f"Đã nạp lịch nghỉ lễ năm 2024–2027: {expected} ngày mới, 0 cập nhật, 0 không đổi, "
        "1 ngày do quản trị viên nhập được giữ nguyên.\n"
    )
    assert CalendarDay.objects.filter(date__year=2027).exists()


@pytest.mark.django_db(transaction=True)
def test_seeding_refreshes_the_cached_calendar():
    calendar_store.clear_calendar_cache()
    assert get_working_calendar().is_working_day(dt.date(2026, 2, 17))  # cached, still empty

    seed_from_holidays_package([2026])  # bulk writes: no per-row signals

    assert not get_working_calendar().is_working_day(dt.date(2026, 2, 17))
