"""Reporting periods: parsing, defaults and presets shared by the stats API, dashboards and exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_DAYS = 3 * 366  # "a range over 3 years is a 400"

PRESETS = {
    "this_month": gettext_lazy("Tháng này"),
    "last_month": gettext_lazy("Tháng trước"),
    "this_quarter": gettext_lazy("Quý này"),
    "this_year": gettext_lazy("Năm nay"),
}


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def year_earlier(self) -> Period:
        """The same days one year before (29/2 falls back to 28/2)."""

        def back(day: dt.date) -> dt.date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:
                return day.replace(year=day.year - 1, day=28)

        return Period(back(self.first), back(self.last))


def preset(name: str, today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    if name == "this_month":
        return Period(today.replace(day=1), today)
    if name == "last_month":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return Period(last.replace(day=1), last)
    if name == "this_quarter":
        month = 3 * ((today.month - 1) // 3) + 1
        return Period(today.replace(month=month, day=1), today)
    if name == "this_year":
        return Period(today.replace(month=1, day=1), today)
    raise ValidationError(_("Kỳ báo cáo không hợp lệ: %(name)s.") % {"name": name}, code="invalid-period")


def _field_error(field: str, message: str, code: str) -> ValidationError:
    # A dict of messages drops a code given beside it: the code rides on the inner error.
    return ValidationError({field: ValidationError(message, code=code)})


def _parse(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise _field_error(
            field,
            _("Ngày “%(value)s” không hợp lệ: dùng dạng YYYY-MM-DD.") % {"value": value},
            "invalid-date",
        ) from exc


def parse_period(date_from: str | None, date_to: str | None, today: dt.date | None = None) -> Period:
    """date_from/date_to as YYYY-MM-DD; missing ones default to the current month (to today)."""
    today = today or timezone.localdate()
    default = preset("this_month", today)
    first = _parse(date_from, "date_from") if date_from else default.first
    last = _parse(date_to, "date_to") if date_to else (default.last if not date_from else max(first, today))
    if last < first:
        raise _field_error("date_to", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."), "invalid-period")
    if (last - first).days + 1 > MAX_DAYS:
        raise _field_error("date_to", _("Khoảng thời gian tối đa là 3 năm."), "period-too-long")
    return Period(first, last)
