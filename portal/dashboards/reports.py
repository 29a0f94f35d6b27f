"""Exports of the figures: form II.06a (.xlsx), the province ranking and the daily rows (CSV).

All three read the daily tables only (dossiers.figures_read, DailyFigures), never dossiers. The
units come from resolve_units: a commune or province outside the user's scope is a 404, as
everywhere. Parameters, shared with the stats API:

    commune=CODE | province=CODE   default: the user's own scope (own commune with the units it
                                   absorbed; an inspector's province; an admin's everything)
    date_from, date_to             YYYY-MM-DD, default the current month; a bad date is a 400
    include_predecessors=true      a merged commune's figures include the units it absorbed (the
                                   ranking counts them unless =false, as the province dashboard does)

The CSVs are UTF-8 with a byte-order mark (so Excel opens Vietnamese names correctly), comma-
separated, one header row with the API's figure names, dates as YYYY-MM-DD and rates with a dot
decimal (58.72; empty when the denominator is 0), so a script reads them like the API.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.template import engines
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from communes.models import Commune, Province
from communes.scope import scope_of
from dossiers import report_ii06a
from dossiers.figures_read import SUMMARY_FIGURES, summarize, summarize_by_procedure
from dossiers.figures_scope import Units, resolve_units
from dossiers.models import DailyFigures, Procedure
from dossiers.models.figures import FLOW_FIELDS, STOCK_FIELDS
from dossiers.periods import Period, parse_period
from portal.mixins import StaffRequiredMixin

from . import ranking

_TRUE = {"1", "true", "yes", "on"}
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
_CSV_CHUNK = 500  # rows per piece of the streamed response

#: The daily CSV's columns: unit code and name, the day, then that day's figures.
DAILY_COLUMNS = (
    "commune", "name", "date", "received_total", "received_online", "received_direct",
    "received_postal", "resolved_total", "resolved_early", "resolved_on_time", "resolved_late",
    "withdrawn", "stopped", "pending_total", "pending_in_time", "pending_overdue", "paused", "visits",
)  # fmt: skip

_BAD_REQUEST_PAGE = """{% extends "base.html" %}{% load i18n %}
{% block title %}{% translate "Tham số chưa hợp lệ" %}{% endblock %}
{% block content %}<div class="card">
  <h1>{% translate "Chưa xuất được báo cáo" %}</h1>
  <ul role="alert">{% for message in messages %}<li>{{ message }}</li>{% endfor %}</ul>
  <p><a class="btn" href="{% url 'home' %}">{% translate "Về trang chủ" %}</a></p>
</div>{% endblock %}"""


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in _TRUE


def _lower_first(text: str) -> str:
    """ "Xã Thượng Cốc" -> "xã Thượng Cốc", for "UBND xã Thượng Cốc"."""
    return text[:1].lower() + text[1:]


def _rate(value) -> str:
    return "" if value is None else f"{value:.2f}"


class _ReportMixin(StaffRequiredMixin):
    """The period and units of a report request, and the 400 page for bad parameters."""

    def get(self, request, *args, **kwargs):
        try:
            period = parse_period(request.GET.get("date_from"), request.GET.get("date_to"))
        except ValidationError as exc:
            return self.bad_request(exc)
        return self.export(period)

    def export(self, period: Period):
        raise NotImplementedError

    def bad_request(self, exc: ValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            messages = [m for errors in exc.message_dict.values() for m in errors]
        else:
            messages = exc.messages
        page = engines["django"].from_string(_BAD_REQUEST_PAGE)
        return HttpResponse(page.render({"messages": messages}, self.request), status=400)

    def units(self) -> Units:
        """commune= or province=, else the user's own scope; out of scope raises Http404."""
        params = self.request.GET
        commune = (params.get("commune") or "").strip()
        province = (params.get("province") or "").strip()
        include = _flag(params.get("include_predecessors"))
        if not commune and not province:
            scope = scope_of(self.request.user)
            if scope.commune_id is not None:
                # A commune's staff: their centre, with the units it absorbed (their whole scope).
                commune = Commune.objects.filter(pk=scope.commune_id).values_list("code", flat=True).first()
                include = _flag(params.get("include_predecessors"), default=True)
            elif scope.province_id is not None:
                province = (
                    Province.objects.filter(pk=scope.province_id).values_list("code", flat=True).first()
                )
        return resolve_units(
            self.request.user,
            commune=commune or None,
            province=province or None,
            include_predecessors=include,
        )

    @staticmethod
    def unit_tag(units: Units) -> str:
        """The ASCII code naming the file: commune code, province code, or "tat-ca" (everything)."""
        if units.commune is not None:
            return units.commune.code
        if units.province is not None:
            return units.province.code
        return "tat-ca"

    def attachment(self, response, filename: str):
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["Cache-Control"] = "private, no-store"
        return response


class FormII06aView(_ReportMixin, View):
    """Form II.06a (Circular 01/2020/TT-VPCP) for a commune, a province or the whole scope, as .xlsx.

    `procedures=false` leaves out the procedure rows under each field.
    """

    def export(self, period: Period):
        units = self.units()
        total = summarize(units.commune_ids, period.first, period.last)
        by_procedure = summarize_by_procedure(units.commune_ids, period.first, period.last)
        catalogue = Procedure.objects.only("code", "name", "field").in_bulk(
            [row["procedure_id"] for row in by_procedure]
        )
        rows = [
            report_ii06a.ProcedureFigures(
                code=catalogue[row["procedure_id"]].code,
                name=catalogue[row["procedure_id"]].name,
                field=catalogue[row["procedure_id"]].field,
                figures=row,
            )
            for row in by_procedure
        ]
        reporting, receiving = self.unit_names(units)
        workbook = report_ii06a.build_workbook(
            reporting_unit=reporting,
            receiving_unit=receiving,
            first=period.first,
            last=period.last,
            total=total,
            procedures=rows,
            with_procedures=_flag(self.request.GET.get("procedures"), default=True),
            notes=self.notes(units, total),
        )
        content = io.BytesIO()
        workbook.save(content)
        response = HttpResponse(content.getvalue(), content_type=report_ii06a.XLSX_CONTENT_TYPE)
        filename = f"Bieu-II.06a-{self.unit_tag(units)}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.xlsx"
        return self.attachment(response, filename)

    @staticmethod
    def unit_names(units: Units) -> tuple[str, str]:
        """(reporting unit, receiving unit) as the header block names them."""
        if units.commune is not None:
            province = units.commune.province
            return (
                f"UBND {_lower_first(units.commune.full_name)}, {_lower_first(province.full_name)}",
                f"Văn phòng UBND {_lower_first(province.full_name)}",
            )
        if units.province is not None:
            return f"UBND {_lower_first(units.province.full_name)}", "Văn phòng Chính phủ"
        return _("Tất cả đơn vị cấp xã trong phạm vi"), "Văn phòng Chính phủ"

    def notes(self, units: Units, total: dict) -> list[str]:
        lines = []
        if units.commune is not None and units.commune_ids and len(units.commune_ids) > 1:
            absorbed = (
                Commune.objects.filter(pk__in=units.commune_ids - {units.commune.pk})
                .order_by("code", "name")
                .values_list("kind", "name", "code")
            )
            kinds = dict(Commune._meta.get_field("kind").choices)
            names = ", ".join(f"{kinds.get(kind, kind)} {name} ({code})" for kind, name, code in absorbed)
            lines.append(_("- Bao gồm số liệu của đơn vị trước sắp xếp: %(names)s.") % {"names": names})
        scope = scope_of(self.request.user)
        if units.commune is None and units.province is not None and scope.commune_id is not None:
            lines.append(_("- Chỉ gồm các đơn vị trong phạm vi tài khoản của người xuất báo cáo."))
        if total.get("computed_at"):
            at = timezone.localtime(total["computed_at"]).strftime("%d/%m/%Y %H:%M")
            lines.append(_("- Số liệu tổng hợp từ bảng số liệu ngày, tính lúc %(at)s.") % {"at": at})
        return lines


class RankingCsvView(_ReportMixin, View):
    """The province ranking as CSV: one row per current commune of `province=CODE` (default: the
    user's province), ordered like the dashboard (`ordering=`/`sap_xep=`, default -on_time_rate).

    Each unit's figures include the units it absorbed, as on the province dashboard;
    `include_predecessors=false` gives each unit's own dossiers only. Only scopes covering the
    whole province (its inspectors, admins) rank it; others get a 404. Constant queries:
    ranking.province_ranking.
    """

    def export(self, period: Period):
        code = (self.request.GET.get("province") or "").strip() or self.own_province_code()
        if not code:
            return self.bad_request(ValidationError(_("Hãy chọn tỉnh (tham số province=mã tỉnh).")))
        resolve_units(self.request.user, province=code)  # 404 outside the user's scope
        units = ranking.load_province_units(code=code)
        members = units.members
        if not _flag(self.request.GET.get("include_predecessors"), default=True):
            members = {unit: frozenset({unit.pk}) for unit in members}
        sort = ranking.parse_sort(self.request.GET.get("ordering") or self.request.GET.get("sap_xep"))
        rows = ranking.sort_ranking(ranking.province_ranking(members, period.first, period.last), sort)
        lines = (
            [row["unit"].code, row["unit"].name, *(_csv_value(row[name], name) for name in SUMMARY_FIGURES)]
            for row in rows
        )
        content = b"".join(_csv_pieces(("commune", "name", *SUMMARY_FIGURES), lines))
        response = HttpResponse(content, content_type=CSV_CONTENT_TYPE)
        filename = f"xep-hang-{code}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.csv"
        return self.attachment(response, filename)

    def own_province_code(self) -> str | None:
        scope = scope_of(self.request.user)
        if scope.province_id is not None:
            return Province.objects.filter(pk=scope.province_id).values_list("code", flat=True).first()
        if scope.commune_id is not None:
            return (
                Commune.objects.filter(pk=scope.commune_id).values_list("province__code", flat=True).first()
            )
        return None


class DailyCsvView(_ReportMixin, View):
    """The daily rows of DailyFigures for the units and period, streamed: ordered by date, then
    commune code (a code can name an ended unit and its successor on the same day: `name` tells)."""

    def export(self, period: Period):
        units = self.units()
        rows = DailyFigures.objects.filter(date__gte=period.first, date__lte=period.last)
        if units.commune_ids is not None:
            rows = rows.filter(commune_id__in=sorted(units.commune_ids))
        values = (
            rows.order_by("date", "commune__code", "commune_id")
            .values_list("commune__code", "commune__name", "date", *FLOW_FIELDS, *STOCK_FIELDS)
            .iterator(chunk_size=2000)
        )
        response = StreamingHttpResponse(
            _csv_pieces(DAILY_COLUMNS, _daily_lines(values)), content_type=CSV_CONTENT_TYPE
        )
        filename = f"so-lieu-ngay-{self.unit_tag(units)}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.csv"
        return self.attachment(response, filename)


def _daily_lines(values: Iterable[tuple]) -> Iterator[list]:
    for code, name, day, *figures in values:
        g = dict(zip((*FLOW_FIELDS, *STOCK_FIELDS), figures, strict=True))
        yield [
            code,
            name,
            day.isoformat(),
            g["received_online"] + g["received_direct"] + g["received_postal"],
            g["received_online"],
            g["received_direct"],
            g["received_postal"],
            g["resolved_early"] + g["resolved_on_time"] + g["resolved_late"],
            g["resolved_early"],
            g["resolved_on_time"],
            g["resolved_late"],
            g["withdrawn"],
            g["stopped"],
            g["pending_in_time"] + g["pending_overdue"],
            g["pending_in_time"],
            g["pending_overdue"],
            g["paused"],
            g["visits"],
        ]


def _csv_value(value, name: str):
    if name.endswith("_rate"):
        return _rate(value)
    return "" if value is None else value


def _csv_pieces(header: Iterable[str], lines: Iterable[list]) -> Iterator[bytes]:
    """BOM + header, then the lines, a few hundred at a time (constant memory)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # comma-separated, CRLF line ends, quoting only where needed
    writer.writerow(header)
    yield "\ufeff".encode() + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    for count, line in enumerate(lines, 1):
        writer.writerow(line)
        if count % _CSV_CHUNK == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()
