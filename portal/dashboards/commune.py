"""The commune dashboard (/bang-dieu-khien/xa/ and /bang-dieu-khien/xa/<code>/) for clerks and leaders.

One centre's figures for a period beside the province average, the dossiers that need action now
(due today, due tomorrow, overdue), the period against the same period a year earlier ("before
and after the merger") and receipts by channel. It is also where the province dashboard's ranking
drills down to, so a unit's figures are the ranking's: the unit together with the units it
absorbed (ranking.load_province_units), and the tiles, period picker and chart are the province
dashboard's (province.figure_tiles, read_period, charts.receipts_chart and their includes).

Figures come from the daily tables only; the centre's and the province's periods and the year
earlier are summed in ONE conditional-aggregate query, so the page costs a fixed handful of
queries (at most 15 with session and scope) whatever the number of dossiers or days.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Count, F, Min, Q, Sum, Value, When, Window
from django.db.models.functions import RowNumber
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from communes.choices import COMMUNE_ROLES
from communes.models import Commune
from communes.scope import scope_of, with_predecessors
from dossiers.choices import Status
from dossiers.figures_read import figures_from_sums
from dossiers.figures_scope import resolve_units
from dossiers.models import DailyFigures, Dossier
from dossiers.models.figures import FLOW_FIELDS, STOCK_FIELDS
from dossiers.periods import Period
from portal.formatting import vn_number, vn_percent
from portal.mixins import StaffRequiredMixin

from . import charts
from .province import figure_tiles, period_picker_context, read_period
from .ranking import load_province_units

#: The receipts chart's columns, in its order (charts.receipts_chart), for the table's total row.
RECEIVED = ("received_online", "received_direct", "received_postal", "received_total")
#: The statuses whose clock runs: what "overdue" and "due within" look at (dossiers.querysets).
RUNNING = (Status.RECEIVED, Status.PROCESSING)
#: Dossiers listed under each heading; the count links to the whole list in the worklist.
LIST_SIZE = 10


# --- figures: every bucket in one query ---------------------------------------------------------


def _bucket_sums(buckets: dict[str, tuple[Q, Period]]) -> dict[str, dict]:
    """{name: figures (figures_read's names and rates) + computed_at} for each (units, period).

    Each bucket sums its flows over the period, takes its stocks on the last day and the stock
    before the first day, exactly as figures_read.summarize; all buckets share one query.
    """
    aggregates, parts, where = {}, [], Q(pk__in=[])
    for name, (units, period) in buckets.items():
        in_period = units & Q(date__gte=period.first, date__lte=period.last)
        on_last = units & Q(date=period.last)
        before = units & Q(date=period.first - dt.timedelta(days=1))
        for kind, fields, condition in (
            ("flows", FLOW_FIELDS, in_period),
            ("stocks", STOCK_FIELDS, on_last),
            ("before", ("pending_in_time", "pending_overdue"), before),
        ):
            for field in fields:
                alias = f"a{len(parts)}"
                aggregates[alias] = Sum(field, filter=condition)
                parts.append((alias, name, kind, field))
        alias = f"a{len(parts)}"
        aggregates[alias] = Min("computed_at", filter=in_period)
        parts.append((alias, name, "computed_at", None))
        where |= units & Q(date__gte=period.first - dt.timedelta(days=1), date__lte=period.last)
    row = DailyFigures.objects.filter(where).aggregate(**aggregates)
    raw = {name: {"flows": {}, "stocks": {}, "before": {}, "computed_at": None} for name in buckets}
    for alias, name, kind, field in parts:
        if field is None:
            raw[name][kind] = row[alias]
        else:
            raw[name][kind][field] = row[alias]
    return {
        name: {
            **figures_from_sums(r["flows"], r["stocks"], r["before"]),
            "computed_at": r["computed_at"],
            "date_from": buckets[name][1].first,
            "date_to": buckets[name][1].last,
        }
        for name, r in raw.items()
    }


# --- presentation ------------------------------------------------------------------------------


def _signed(text: str, positive: bool) -> str:
    return f"+{text}" if positive else f"−{text}"


def describe_change(before, after, is_rate: bool) -> str:
    """ "+12 (+15,00%)" for counts, "+3,50 điểm %" for rates, "–" when undefined."""
    if before is None or after is None:
        return "–"
    diff = after - before
    if is_rate:
        if diff == 0:
            return _("không đổi")
        return _("%(diff)s điểm %%") % {"diff": _signed(vn_number(abs(diff), 2), diff > 0)}
    if diff == 0:
        return _("không đổi")
    text = _signed(vn_number(abs(diff)), diff > 0)
    if before:
        text += f" ({_signed(vn_percent(abs(diff) * 100 / before), diff > 0)})"
    return text


def build_comparison(now: dict, earlier: dict) -> list[dict]:
    rows = []
    for key, label in (
        ("received_total", _("Hồ sơ tiếp nhận")),
        ("online_rate", _("Tỷ lệ hồ sơ trực tuyến")),
        ("resolved_total", _("Hồ sơ đã giải quyết")),
        ("on_time_rate", _("Tỷ lệ giải quyết đúng hạn")),
        ("visits", _("Lượt người dân đến giao dịch")),
    ):
        is_rate = key.endswith("_rate")
        fmt = vn_percent if is_rate else vn_number
        rows.append(
            {
                "key": key,
                "label": label,
                "earlier": fmt(earlier[key]),
                "now": fmt(now[key]),
                "change": describe_change(earlier[key], now[key], is_rate),
            }
        )
    return rows


def due_dossiers(user, unit_ids, now: dt.datetime) -> dict[str, dict]:
    """{"overdue"|"today"|"tomorrow": {"count": n, "items": first LIST_SIZE by due date}}.

    Same definitions as the worklist's filters: overdue = running and past due; today = due
    from now to the end of today; tomorrow = due during tomorrow. One query: a window function
    numbers and counts each group.
    """
    end_today = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    end_tomorrow = end_today + dt.timedelta(days=1)
    group = Case(
        When(due_at__lt=now, then=Value("overdue")),
        When(due_at__lte=end_today, then=Value("today")),
        default=Value("tomorrow"),
        output_field=CharField(),
    )
    rows = (
        Dossier.objects.visible_to(user)
        .filter(commune_id__in=sorted(unit_ids), status__in=RUNNING, due_at__lte=end_tomorrow)
        .annotate(group=group)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("group")], order_by=[F("due_at").asc(), F("pk").asc()]),
            group_size=Window(Count("pk"), partition_by=[F("group")]),
        )
        .filter(rank__lte=LIST_SIZE)
        .select_related("procedure")
        .order_by("due_at", "pk")
    )
    found = {name: {"count": 0, "items": []} for name in ("today", "tomorrow", "overdue")}
    for dossier in rows:
        found[dossier.group]["count"] = dossier.group_size
        found[dossier.group]["items"].append(dossier)
    return found


# --- the view ----------------------------------------------------------------------------------


def with_province_average(tiles: list[dict], province: dict, overdue_now: int, units: int) -> list[dict]:
    """Adds "Bình quân xã trong tỉnh: …" to each tile: the province's rate for rates, the province's
    total divided by its number of current units for counts."""
    totals = {
        "received": province["received_total"],
        "overdue_now": overdue_now,
        "visits": province["visits"],
    }
    for tile in tiles:
        key = tile["key"]
        if key in totals:
            average = None if not units else round(totals[key] / units, 1)
            shown = "–" if average is None else vn_number(average, 0 if average == int(average) else 1)
        elif key in ("online_rate", "on_time_rate"):
            shown = vn_percent(province[key])
        else:
            continue
        tile["average"] = shown
        tile["compare"] = _("Bình quân xã trong tỉnh: %(value)s") % {"value": shown}
    return tiles


class CommuneDashboardView(StaffRequiredMixin, TemplateView):
    template_name = "dashboards/commune.html"

    def get(self, request, *args, code=None, **kwargs):
        scope = scope_of(request.user)
        if code is None:
            if scope.role not in COMMUNE_ROLES:
                return redirect("province-dashboard")
            self.unit = Commune.objects.select_related("province").get(pk=scope.commune_id)
        else:
            # Out of the user's scope (or unknown) is a 404, as everywhere.
            self.unit = resolve_units(request.user, commune=code).commune
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, unit = self.request, self.unit
        scope = scope_of(request.user)
        now = timezone.now()
        period, active, errors = read_period(request.GET, timezone.localdate(now))
        earlier = period.year_earlier()

        # One query: the province's current units with their predecessors, and its targets.
        province_units = load_province_units(pk=unit.province_id)
        members = {u.pk: ids for u, ids in province_units.members.items()}
        # An ended unit (a predecessor's own page) is not among the current ones.
        merged_ids = members.get(unit.pk) or with_predecessors({unit.pk})
        current_units = len(members)
        predecessors = (
            list(Commune.objects.filter(pk__in=merged_ids - {unit.pk}).order_by("code"))
            if len(merged_ids) > 1
            else []
        )

        merged = Q(commune_id__in=sorted(merged_ids))
        sums = _bucket_sums(
            {
                "centre": (merged, period),
                "province": (Q(commune_id__in=sorted(province_units.all_ids)), period),
                "earlier": (merged, earlier),
            }
        )
        due = due_dossiers(request.user, merged_ids, now)
        # The province's count is an aggregate a clerk may see, so it is not narrowed to the scope.
        province_overdue = (
            Dossier.objects.overdue(now).filter(commune_id__in=sorted(province_units.all_ids)).count()
        )
        receipts = charts.receipts_chart(
            charts.daily_series(merged_ids, period.first, period.last), period.first, period.last
        )

        # The worklist of a centre's own staff already is this centre; anyone else filters by code.
        base = {} if scope.commune_ids == frozenset(merged_ids) else {"commune": unit.code}
        worklist = reverse("dossier-list")
        for name, filters in (
            ("overdue", {"overdue": "true"}),
            ("today", {"due_within": "0"}),
            ("tomorrow", {"due_within": "1"}),
        ):
            due[name]["url"] = f"{worklist}?{urlencode({**base, **filters})}"

        report_query = urlencode(
            {"commune": unit.code, "date_from": period.first.isoformat(), "date_to": period.last.isoformat()}
        )
        tiles = figure_tiles(sums["centre"], due["overdue"]["count"], province_units.targets)
        context.update(period_picker_context(request.GET, period, active, errors))
        context.update(
            {
                "unit": unit,
                "province": unit.province,
                "earlier": earlier,
                "today": timezone.localdate(now),
                "figures": sums["centre"],
                "province_figures": sums["province"],
                "current_units": current_units,
                "tiles": with_province_average(tiles, sums["province"], province_overdue, current_units),
                "comparison": build_comparison(sums["centre"], sums["earlier"]),
                "predecessors": predecessors,
                "due": due,
                "due_groups": [
                    ("today", _("Đến hạn hôm nay"), due["today"]),
                    ("tomorrow", _("Đến hạn ngày mai"), due["tomorrow"]),
                    ("overdue", _("Đang quá hạn"), due["overdue"]),
                ],
                "chart": receipts,
                "chart_footer": [
                    (_("Cả kỳ"), False),
                    *[(vn_number(sums["centre"][name]), True) for name in RECEIVED],
                ],
                "report_ii06a_url": f"{reverse('report-ii06a')}?{report_query}",
                "report_daily_csv_url": f"{reverse('report-daily-csv')}?{report_query}",
                "can_record_visits": scope.role in COMMUNE_ROLES and scope.commune_id == unit.pk,
                "is_province_viewer": scope.role not in COMMUNE_ROLES,
            }
        )
        return context
