"""The dashboards' charts as JSON-ready dicts: a Plotly figure (data + layout) for static/js/charts.js
and the same figures as a table, so every chart has a text alternative that needs no JavaScript.

Two queries feed all the charts: DailyFigures grouped by date (receipts by channel and both rates
over time) and DailyProcedureFigures at the period's last day grouped by procedure (the
procedures and fields with most overdue dossiers).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from dossiers.models import DailyFigures, DailyProcedureFigures
from portal.formatting import vn_number, vn_percent

#: Periods up to this many days are drawn day by day, longer ones month by month.
DAILY_UP_TO = 62
TOP = 10
DAILY_SUMS = (
    "received_online",
    "received_direct",
    "received_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
)
COLOURS = {"online": "#0b57d0", "direct": "#a4161a", "postal": "#f4a300", "on_time": "#1e7b34"}


@dataclass
class Chart:
    """One chart: `key` names its DOM ids, `figure` is Plotly's {"data", "layout"}, `columns` and
    `rows` its table alternative (cells already formatted), `empty` the text shown instead."""

    key: str
    title: str
    figure: dict = field(default_factory=dict)
    columns: list[tuple[str, bool]] = field(default_factory=list)  # (label, is_number)
    rows: list[list[str]] = field(default_factory=list)
    empty: str = ""

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def data_id(self) -> str:
        return f"chart-data-{self.key}"

    @property
    def filename(self) -> str:
        return self.key

    @property
    def table(self) -> list[list[tuple[str, bool]]]:
        """The rows as (text, is_number) cells, for the template."""
        numeric = [is_number for _label, is_number in self.columns]
        return [list(zip(row, numeric, strict=True)) for row in self.rows]


def _rate(numerator: int, denominator: int):
    return None if not denominator else round(numerator * 100 / denominator, 2)


def _count_axis(values, **extra) -> dict:
    """An axis of dossier counts: whole numbers, thousands grouped (1.000), from zero."""
    axis = {"rangemode": "tozero", "tickformat": ",~f", "automargin": True, **extra}
    if max(values, default=0) <= 5:
        axis["dtick"] = 1  # no 0,5 dossier ticks
    return axis


def _layout(**extra) -> dict:
    """Vietnamese number style inside the chart too (Plotly: decimal then thousands separator)."""
    return {
        "separators": ",.",
        "margin": {"l": 56, "r": 16, "t": 40, "b": 48},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "hovermode": "x unified",
        "font": {"family": "Segoe UI, Roboto, Noto Sans, DejaVu Sans, Arial, sans-serif", "size": 13},
        **extra,
    }


# --- over time ---------------------------------------------------------------------------------


def daily_series(commune_ids, first: dt.date, last: dt.date) -> list[dict]:
    """Receipts by channel and resolutions by timeliness per day for the units: ONE query."""
    return list(
        DailyFigures.objects.filter(commune_id__in=list(commune_ids), date__gte=first, date__lte=last)
        .values("date")
        .order_by("date")
        .annotate(**{name: Sum(name) for name in DAILY_SUMS})
    )


def _by_month(first: dt.date, last: dt.date) -> bool:
    return (last - first).days + 1 > DAILY_UP_TO


def _buckets(series: list[dict], first: dt.date, last: dt.date) -> tuple[list[str], list[dict]]:
    """Labels and summed rows by day (dd/mm) for short periods, by month (mm/yyyy) beyond.

    Every day or month of the period gets a bucket, with zeros where there is no row."""
    by_month = _by_month(first, last)
    keys: list[str] = []
    day = first
    while day <= last:
        label = day.strftime("%m/%Y") if by_month else day.strftime("%d/%m")
        if not keys or keys[-1] != label:
            keys.append(label)
        day += dt.timedelta(days=1)
    sums: dict[str, dict] = {key: defaultdict(int) for key in keys}
    for row in series:
        label = row["date"].strftime("%m/%Y") if by_month else row["date"].strftime("%d/%m")
        for name in DAILY_SUMS:
            sums[label][name] += int(row[name] or 0)
    return keys, [sums[key] for key in keys]


def receipts_chart(series, first, last) -> Chart:
    labels, sums = _buckets(series, first, last)
    by_month = _by_month(first, last)
    chart = Chart(
        "receipts",
        _("Hồ sơ tiếp nhận theo kênh, theo tháng") if by_month else _("Hồ sơ tiếp nhận theo kênh, theo ngày"),
    )
    channels = (
        ("received_online", _("Trực tuyến"), COLOURS["online"]),
        ("received_direct", _("Trực tiếp"), COLOURS["direct"]),
        ("received_postal", _("Qua bưu chính công ích"), COLOURS["postal"]),
    )
    if not any(s[name] for s in sums for name, _label, _colour in channels):
        chart.empty = _("Không có hồ sơ tiếp nhận trong kỳ.")
    chart.figure = {
        "data": [
            {
                "type": "bar",
                "name": label,
                "x": labels,
                "y": [s[name] for s in sums],
                "marker": {"color": colour},
                "hovertemplate": "%{y:,d}",
            }
            for name, label, colour in channels
        ],
        "layout": _layout(
            barmode="stack",
            xaxis={"type": "category", "automargin": True},
            yaxis=_count_axis(
                [sum(s[name] for name, _l, _c in channels) for s in sums], title={"text": _("Số hồ sơ")}
            ),
        ),
    }
    chart.columns = (
        [(_("Tháng") if by_month else _("Ngày"), False)]
        + [(label, True) for _name, label, _colour in channels]
        + [(_("Tổng"), True)]
    )
    chart.rows = [
        [
            label,
            *(vn_number(s[name]) for name, _l, _c in channels),
            vn_number(sum(s[n] for n, _l, _c in channels)),
        ]
        for label, s in zip(labels, sums, strict=True)
    ]
    return chart


def rates_chart(series, first, last, targets=None) -> Chart:
    """Online rate and on-time rate per bucket (null where there is no denominator: a gap)."""
    labels, sums = _buckets(series, first, last)
    by_month = _by_month(first, last)
    online = [_rate(s["received_online"], sum(s[n] for n in DAILY_SUMS[:3])) for s in sums]
    on_time = [
        _rate(s["resolved_early"] + s["resolved_on_time"], sum(s[n] for n in DAILY_SUMS[3:])) for s in sums
    ]
    chart = Chart(
        "rates",
        _("Tỷ lệ hồ sơ trực tuyến và tỷ lệ giải quyết đúng hạn theo tháng")
        if by_month
        else _("Tỷ lệ hồ sơ trực tuyến và tỷ lệ giải quyết đúng hạn theo ngày"),
    )
    if all(v is None for v in online + on_time):
        chart.empty = _("Chưa có số liệu trong kỳ.")
    lines = ((_("Tỷ lệ hồ sơ trực tuyến"), online, COLOURS["online"]),
             (_("Tỷ lệ giải quyết đúng hạn"), on_time, COLOURS["on_time"]))  # fmt: skip
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": labels,
            "y": values,
            "line": {"color": colour},
            "connectgaps": False,
            "hovertemplate": "%{y:.2f}%",
        }
        for name, values, colour in lines
    ]
    if targets is not None:
        for name, value, colour in (
            (_("Chỉ tiêu trực tuyến"), targets.online_rate, COLOURS["online"]),
            (_("Chỉ tiêu đúng hạn"), targets.on_time_rate, COLOURS["on_time"]),
        ):
            data.append({"type": "scatter", "mode": "lines", "name": name, "x": labels,
                         "y": [float(value)] * len(labels), "hoverinfo": "skip",
                         "line": {"color": colour, "dash": "dot", "width": 1}})  # fmt: skip
    chart.figure = {
        "data": data,
        "layout": _layout(
            xaxis={"type": "category", "automargin": True},
            yaxis={"range": [0, 105], "ticksuffix": "%", "automargin": True},
        ),
    }
    chart.columns = [(_("Tháng") if by_month else _("Ngày"), False), (lines[0][0], True), (lines[1][0], True)]
    chart.rows = [
        [label, vn_percent(a), vn_percent(b)] for label, a, b in zip(labels, online, on_time, strict=True)
    ]
    return chart


# --- overdue by procedure and field ------------------------------------------------------------


def overdue_by_procedure(commune_ids, day: dt.date) -> list[dict]:
    """Procedures with dossiers pending overdue at the end of `day`, most first: ONE query."""
    return list(
        DailyProcedureFigures.objects.filter(
            commune_id__in=list(commune_ids), date=day, pending_overdue__gt=0
        )
        .values("procedure_id", "procedure__code", "procedure__name", "procedure__field")
        .order_by()
        .annotate(overdue=Sum("pending_overdue"))
        .order_by("-overdue", "procedure__code")
    )


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _bars(key, title, labels, hovers, values, empty) -> Chart:
    chart = Chart(key, title, empty=empty if not values else "")
    # Plotly draws horizontal bars bottom-up: reverse so the largest is on top.
    chart.figure = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": values[::-1],
                "y": labels[::-1],
                "customdata": hovers[::-1],
                "hovertemplate": "%{customdata}: %{x:,d}<extra></extra>",
                "marker": {"color": COLOURS["direct"]},
            }
        ],
        "layout": _layout(
            hovermode="closest",
            showlegend=False,
            margin={"l": 16, "r": 16, "t": 16, "b": 48},
            xaxis=_count_axis(values, title={"text": _("Số hồ sơ quá hạn")}),
            yaxis={"type": "category", "automargin": True},
        ),
    }
    return chart


def overdue_charts(rows: list[dict], day: dt.date) -> tuple[Chart, Chart]:
    """The TOP procedures and fields by dossiers overdue at the end of `day`."""
    empty = _("Không có hồ sơ quá hạn ngày %(day)s.") % {"day": day.strftime("%d/%m/%Y")}
    top = rows[:TOP]
    procedures = _bars(
        "overdue-procedures",
        _("Thủ tục có nhiều hồ sơ quá hạn nhất"),
        [f"{r['procedure__code']} {_short(r['procedure__name'])}" for r in top],
        [r["procedure__name"] for r in top],
        [r["overdue"] for r in top],
        empty,
    )
    procedures.columns = [(_("Mã thủ tục"), False), (_("Thủ tục"), False), (_("Lĩnh vực"), False),
                          (_("Hồ sơ quá hạn"), True)]  # fmt: skip
    procedures.rows = [
        [r["procedure__code"], r["procedure__name"], r["procedure__field"], vn_number(r["overdue"])]
        for r in top
    ]
    by_field: dict[str, int] = defaultdict(int)
    for r in rows:
        by_field[r["procedure__field"]] += r["overdue"]
    fields = sorted(by_field.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    field_chart = _bars(
        "overdue-fields",
        _("Lĩnh vực có nhiều hồ sơ quá hạn nhất"),
        [name for name, _n in fields],
        [name for name, _n in fields],
        [n for _name, n in fields],
        empty,
    )
    field_chart.columns = [(_("Lĩnh vực"), False), (_("Hồ sơ quá hạn"), True)]
    field_chart.rows = [[name, vn_number(n)] for name, n in fields]
    return procedures, field_chart
