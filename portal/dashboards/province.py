"""The province dashboard for working groups (issue 4): tiles, the communes' ranking and charts.

An inspector sees their own province; an admin picks one with ?province=CODE (default 25). The
period comes from ?ky=<preset> or ?date_from=&date_to= (dossiers.periods). Everything is read from
the daily figures tables, so the page costs the same whatever the number of dossiers: with the
session, user and scope queries, at most 12 queries (tests/portal/test_province_dashboard.py).
The ranking and charts are rendered once per data generation and served from the cache after
that; the tile of dossiers overdue now and the directives panel are read live.

`read_period`, `period_picker_context` and `figure_tiles` build the context of the includes
templates/dashboards/_period_picker.html and _tiles.html, which the commune dashboard shares.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from communes.choices import Role
from communes.generation import cached
from communes.models import Province
from communes.scope import scope_of
from dossiers.models import Dossier
from dossiers.periods import PRESETS, Period, parse_period, preset
from inspections.dashboard import directives_by_department
from portal.formatting import vn_number, vn_percent
from portal.mixins import RoleRequiredMixin

from . import charts
from .ranking import SORTABLE, grade, load_province_units, parse_sort, ranking_with_total, sort_ranking

DEFAULT_PROVINCE = "25"
PERIOD_PARAMS = ("ky", "date_from", "date_to")

#: The text marker beside each colour, so a grade never depends on colour alone.
GRADES = {
    "ok": ("✓", gettext_lazy("Đạt chỉ tiêu")),
    "warn": ("!", gettext_lazy("Dưới chỉ tiêu không quá 10 điểm")),
    "bad": ("✗", gettext_lazy("Dưới chỉ tiêu hơn 10 điểm")),
}


# --- the period picker (templates/dashboards/_period_picker.html) -----------------------------


def read_period(params, today=None) -> tuple[Period, str | None, list[str]]:
    """(period, active preset key or "custom", error messages) from ?ky= or ?date_from=&date_to=.

    Dates win over a preset; nothing given is this month. A bad value falls back to this month
    with parse_period's (or preset's) message, to be shown on the page."""
    date_from = (params.get("date_from") or "").strip()
    date_to = (params.get("date_to") or "").strip()
    key = (params.get("ky") or "").strip()
    try:
        if date_from or date_to:
            return parse_period(date_from or None, date_to or None, today), "custom", []
        if key and key != "custom":
            return preset(key, today), key, []
        return parse_period(None, None, today), "this_month", []
    except ValidationError as exc:
        return preset("this_month", today), None, exc.messages


def period_picker_context(params, period: Period, active: str | None, errors: list[str]) -> dict:
    """The picker's context: preset links keeping the other GET parameters, the custom dates'
    form with those parameters as hidden inputs, and the errors."""
    kept = params.copy()
    for name in PERIOD_PARAMS:
        kept.pop(name, None)
    presets = []
    for key, label in PRESETS.items():
        query = kept.copy()
        query["ky"] = key
        presets.append({"key": key, "label": label, "url": f"?{query.urlencode()}", "active": key == active})
    return {
        "period": period,
        "period_presets": presets,
        "period_custom_active": active == "custom",
        "period_errors": errors,
        "period_keep": [(name, value) for name, values in kept.lists() for value in values],
    }


# --- the tiles (templates/dashboards/_tiles.html) ---------------------------------------------


def _target_text(target) -> str:
    decimals = 0 if target == int(target) else 2
    return _("Chỉ tiêu: %(target)s") % {"target": vn_percent(target, decimals)}


def _graded(key, label, rate, target, note) -> dict:
    grading = grade(rate, target) if target is not None else None
    mark, grade_label = GRADES.get(grading, ("", ""))
    notes = [note] if target is None else [_target_text(target), note]
    return {"key": key, "label": label, "value": vn_percent(rate), "note": " · ".join(notes),
            "grade": grading, "grade_mark": mark, "grade_label": grade_label}  # fmt: skip


def figure_tiles(summary: dict, overdue_now: int, targets=None) -> list[dict]:
    """The five tiles from a summarize()-shaped dict and the count of dossiers overdue now;
    with `targets` (ProvinceTargets) the two rates are graded like the ranking."""
    received = summary["received_total"]
    channels = _("Trực tuyến %(online)s · trực tiếp %(direct)s · bưu chính %(postal)s") % {
        "online": vn_number(summary["received_online"]),
        "direct": vn_number(summary["received_direct"]),
        "postal": vn_number(summary["received_postal"]),
    }
    resolved = _("Đã giải quyết %(n)s hồ sơ") % {"n": vn_number(summary["resolved_total"])}
    overdue_grade = "bad" if overdue_now else "ok"
    return [
        {"key": "received", "label": _("Tiếp nhận"), "value": vn_number(received), "note": channels},
        _graded("online_rate", _("Tỷ lệ hồ sơ trực tuyến"), summary["online_rate"],
                targets.online_rate if targets else None, _("trên tổng số hồ sơ tiếp nhận")),
        _graded("on_time_rate", _("Tỷ lệ giải quyết đúng hạn"), summary["on_time_rate"],
                targets.on_time_rate if targets else None, resolved),
        {"key": "overdue_now", "label": _("Quá hạn hiện tại"), "value": vn_number(overdue_now),
         "note": _("Hồ sơ đang giải quyết đã quá hạn, tính đến lúc xem"), "grade": overdue_grade,
         "grade_mark": "✗" if overdue_now else "✓",
         "grade_label": _("Có hồ sơ quá hạn") if overdue_now else _("Không có hồ sơ quá hạn")},
        {"key": "visits", "label": _("Lượt đến giao dịch"), "value": vn_number(summary["visits"]),
         "note": _("Lượt người dân đến giao dịch tại trung tâm")},
    ]  # fmt: skip


# --- the page ----------------------------------------------------------------------------------


def _number_cell(value, alert=False) -> str:
    css = "num has-overdue" if alert and value else "num"
    return format_html('<td class="{}">{}</td>', css, vn_number(value))


def _rate_cell(rate, target) -> str:
    """A rate graded against its target, by colour (the class) and by a text marker."""
    grading = grade(rate, target)
    if grading is None:
        return format_html('<td class="num rate">{}</td>', vn_percent(rate))
    mark, label = GRADES[grading]
    return format_html(
        '<td class="num rate grade-{}" title="{}"><span class="grade-mark" aria-hidden="true">{}</span> {}'
        '<span class="sr-only"> ({})</span></td>',
        grading, label, mark, vn_percent(rate), label,
    )  # fmt: skip


COLUMNS = (
    ("name", gettext_lazy("Đơn vị")),
    ("received_total", gettext_lazy("Tiếp nhận")),
    ("received_online", gettext_lazy("Trực tuyến")),
    ("online_rate", gettext_lazy("Tỷ lệ hồ sơ trực tuyến")),
    ("resolved_total", gettext_lazy("Đã giải quyết")),
    ("on_time_rate", gettext_lazy("Tỷ lệ giải quyết đúng hạn")),
    ("pending_total", gettext_lazy("Đang giải quyết")),
    ("pending_overdue", gettext_lazy("Quá hạn cuối kỳ")),
    ("visits", gettext_lazy("Lượt đến giao dịch")),
)


class ProvinceDashboardView(RoleRequiredMixin, TemplateView):
    """/bang-dieu-khien/tinh/: a province's figures for a period, for inspectors and admins."""

    template_name = "dashboards/province.html"
    allowed_roles = (Role.INSPECTOR, Role.ADMIN)

    def _province_key(self, scope) -> tuple[tuple[str, object], list]:
        """(("code", CODE) or ("pk", id), the provinces an admin may pick from): no unit read yet."""
        requested = (self.request.GET.get("province") or "").strip()
        if not scope.is_admin:
            return ("pk", scope.province_id), []
        provinces = list(Province.objects.order_by("code").only("code", "name", "full_name"))
        codes = {p.code for p in provinces}
        if requested and requested not in codes:
            raise Http404(_("Không tìm thấy tỉnh."))
        code = requested or (DEFAULT_PROVINCE if DEFAULT_PROVINCE in codes else min(codes, default=None))
        if code is None:
            raise Http404(_("Không tìm thấy tỉnh."))
        return ("code", code), provinces

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, params = self.request.user, self.request.GET
        scope = scope_of(user)
        province_key, provinces = self._province_key(scope)
        period, active, errors = read_period(params)
        sort = parse_sort(params.get("sap_xep"))
        # The ranking and the charts are the same for every inspector of the province until the
        # figures change: rendered once per data generation (communes.generation), not per visit.
        figures = cached(
            # the parameters name the sort and the period; the dates pin presets such as this month
            ("province-dashboard", province_key, period.first, period.last,
             tuple(sorted(params.lists())), get_language()),
            lambda: self._figures(province_key, period, params, sort),
        )  # fmt: skip
        requested = (params.get("province") or "").strip()
        if requested and requested != figures["province"].code:
            raise Http404(_("Không tìm thấy tỉnh."))  # another province is out of scope
        ids = figures["ids"]
        # Live, not cached: a dossier becomes overdue with time alone. An inspector's scope is the
        # province's units already; a second list of 600 ids would only cost planning time.
        overdue = Dossier.objects.visible_to(user).overdue()
        if scope.commune_ids != frozenset(ids):
            overdue = overdue.filter(commune_id__any_of=ids)
        overdue_now = overdue.count() if ids else 0
        context.update(period_picker_context(params, period, active, errors))
        context.update(
            province=figures["province"],
            provinces=provinces,
            targets=figures["targets"],
            total=figures["total"],
            unit_count=figures["unit_count"],
            figures_html=figures["html"],
            tiles=figure_tiles(figures["total"], overdue_now, figures["targets"]),
            directives_by_department=directives_by_department(user, figures["province"].pk),
            report_query=urlencode(
                {
                    "province": figures["province"].code,
                    "date_from": period.first.isoformat(),
                    "date_to": period.last.isoformat(),
                }
            ),  # fmt: skip
            sort=sort,
        )
        return context

    def _figures(self, province_key, period: Period, params, sort) -> dict:
        """The cached part: the ranking and charts rendered, with what the rest of the page needs."""
        kind, value = province_key
        units = load_province_units(**{kind: value})
        if units is None:
            raise Http404(_("Không tìm thấy tỉnh."))
        first, last = period.first, period.last
        ids = units.all_ids
        rows, total = ranking_with_total(units.members, first, last)
        series = charts.daily_series(ids, first, last) if ids else []
        overdue_rows = charts.overdue_by_procedure(ids, last) if ids else []
        html = render_to_string(
            "dashboards/_province_figures.html",
            {
                "province": units.province,
                "period": period,
                "targets": units.targets,
                "total": total,
                "ranking": self._ranking_rows(sort_ranking(rows, sort), units.targets, period),
                "columns": self._columns(params, sort),
                "grades": [{"key": k, "mark": mark, "label": label} for k, (mark, label) in GRADES.items()],
                "charts": [
                    charts.receipts_chart(series, first, last),
                    charts.rates_chart(series, first, last, units.targets),
                    *charts.overdue_charts(overdue_rows, last),
                ],
            },
        )
        return {
            "province": units.province,
            "targets": units.targets,
            "total": total,
            "unit_count": len(rows),
            "ids": tuple(sorted(ids)),
            "html": html,
        }

    @staticmethod
    def _ranking_rows(rows, targets, period):
        """Each row gets its position, its commune dashboard link and its figure cells, rendered
        here once (a 150-row table of template tags per cell costs more than the queries)."""
        query = urlencode({"date_from": period.first.isoformat(), "date_to": period.last.isoformat()})
        rate_targets = {"online_rate": targets.online_rate, "on_time_rate": targets.on_time_rate}
        for position, row in enumerate(rows, start=1):
            row["position"] = position
            row["url"] = f"{reverse('commune-dashboard', args=[row['unit'].code])}?{query}"
            row["cells"] = [
                _rate_cell(row[key], rate_targets[key]) if key in rate_targets
                else _number_cell(row[key], alert=key == "pending_overdue")
                for key, _label in COLUMNS[1:]
            ]  # fmt: skip
        return rows

    @staticmethod
    def _columns(params, sort):
        """Per column: its header, link (first click per SORTABLE, then flips) and aria-sort."""
        columns = []
        for key, label in COLUMNS:
            if sort.lstrip("-") == key:
                state = "descending" if sort.startswith("-") else "ascending"
                target = key if sort.startswith("-") else f"-{key}"
            else:
                state, target = "none", SORTABLE[key]
            query = params.copy()
            query["sap_xep"] = target
            action = _("sắp xếp giảm dần") if target.startswith("-") else _("sắp xếp tăng dần")
            columns.append({"key": key, "label": label, "sort": state, "action": action,
                            "url": f"?{query.urlencode()}#xep-hang", "numeric": key != "name"})  # fmt: skip
        return columns
