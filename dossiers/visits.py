"""Write use case of walk-in visits: one number a day per centre, editable that day.

A clerk or leader records how many citizens came to the centre today (lượt người dân đến giao
dịch) and may correct it until midnight; an administrator may correct any past day. The number
lands in the daily figures through the same road as a dossier change: the commune is marked stale
in this transaction and recomputed after commit.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.choices import COMMUNE_ROLES
from communes.models import Commune
from communes.scope import scope_of
from portal.formatting import vn_number

from . import errors
from .figures_backlog import mark_stale, schedule_recompute
from .models import WalkInVisits

MAX_VISITS = 100_000

# Stable error codes (the page shows the message, tests and API clients read the code).
INVALID_COUNT = "invalid-count"
NOT_TODAY = "not-today"
FUTURE_DATE = "future-date"
COMMUNE_INACTIVE = errors.COMMUNE_INACTIVE
OUT_OF_SCOPE = "out-of-scope"
ROLE_NOT_ALLOWED = "role-not-allowed"


def _check_actor(actor, commune: Commune) -> bool:
    """Who may record for `commune`; returns True when the actor may correct past days.

    None is the system itself (demo data, imports): like an administrator.
    """
    if actor is None:
        return True
    scope = scope_of(actor)
    if scope.is_admin:
        return True
    if scope.role not in COMMUNE_ROLES:
        raise ValidationError(
            _("Chỉ cán bộ tiếp nhận, lãnh đạo xã hoặc quản trị viên được ghi nhận lượt giao dịch."),
            code=ROLE_NOT_ALLOWED,
        )
    if not scope.covers(commune.pk):
        raise ValidationError(_("Bạn chỉ được ghi nhận lượt giao dịch của đơn vị mình."), code=OUT_OF_SCOPE)
    return False


def _check_count(count) -> int:
    """A whole number 0..MAX_VISITS, given as an int or as the digits a form posts."""
    value = None
    if isinstance(count, int) and not isinstance(count, bool):
        value = count
    elif isinstance(count, str) and count.strip().isdigit():
        value = int(count.strip())
    if value is None or not 0 <= value <= MAX_VISITS:
        raise ValidationError(
            _("Số lượt phải là số nguyên từ 0 đến %(max)s.") % {"max": vn_number(MAX_VISITS)},
            code=INVALID_COUNT,
        )
    return value


def _check_day(commune: Commune, day: dt.date, today: dt.date, may_correct: bool) -> None:
    if day > today:
        raise ValidationError(
            _("Ngày %(day)s chưa đến: không ghi nhận trước lượt giao dịch.") % {"day": f"{day:%d/%m/%Y}"},
            code=FUTURE_DATE,
        )
    if day != today and not may_correct:
        raise ValidationError(
            _(
                "Chỉ được ghi nhận, sửa số lượt của ngày hôm nay (%(today)s). "
                "Cần sửa ngày %(day)s, vui lòng liên hệ quản trị viên."
            )
            % {"today": f"{today:%d/%m/%Y}", "day": f"{day:%d/%m/%Y}"},
            code=NOT_TODAY,
        )
    if not commune.is_active_on(day):
        raise ValidationError(
            _("%(unit)s không hoạt động ngày %(day)s (đơn vị chưa thành lập hoặc đã sắp xếp, sáp nhập).")
            % {"unit": commune.full_name, "day": f"{day:%d/%m/%Y}"},
            code=COMMUNE_INACTIVE,
        )


@transaction.atomic
def record_walk_in_visits(commune: Commune, date: dt.date, count: int, actor) -> WalkInVisits:
    """Record (or replace) the number of walk-in visits of `commune` on `date`.

    Refusals (ValidationError codes): invalid-count (not a whole number 0..100 000), not-today
    (a clerk or leader may only record today, local time), future-date, commune-inactive (the
    unit does not exist that day), out-of-scope (another commune), role-not-allowed (inspectors).
    """
    may_correct = _check_actor(actor, commune)
    value = _check_count(count)
    _check_day(commune, date, timezone.localdate(), may_correct)

    record = WalkInVisits.objects.select_for_update().filter(commune=commune, date=date).first()
    if record is None:
        record, created = WalkInVisits.objects.get_or_create(
            commune=commune, date=date, defaults={"count": value, "recorded_by": actor}
        )
        if not created:  # another save of the same day won the race: ours replaces it, as an edit
            record = WalkInVisits.objects.select_for_update().get(pk=record.pk)
    record.count = value
    record.recorded_by = actor
    record.save()
    mark_stale(commune.pk, date)
    schedule_recompute(commune.pk)
    return record
