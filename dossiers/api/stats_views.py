"""The statistics REST API (issue 4): period summary, daily rows, ranking of communes, form II.06a.

Every endpoint reads the daily tables only (dossiers.figures_read, .stats_queries), never the
dossiers, so a request costs the same with ten thousand or ten million dossiers. Which units a
request covers is decided by dossiers.figures_scope.resolve_units, on the one scope predicate:
a commune or province out of scope is a 404. Bad parameters are a 400 with a stable `code`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from communes.text import fold
from dossiers.figures_read import (
    PROCEDURE_FLOW_FIELDS,
    cached_summary,
    figures_from_sums,
    summarize,
    summarize_by_procedure,
)
from dossiers.figures_scope import Units, resolve_units
from dossiers.models import Procedure
from dossiers.models.figures import STOCK_FIELDS
from dossiers.periods import parse_period
from portal.api.pagination import StandardPagination
from portal.api.permissions import IsStaffMember

from . import stats_queries as queries
from .errors import DossierErrorSerializer
from .stats_serializers import (
    StatsCommuneRowSerializer,
    StatsDailyRowSerializer,
    StatsFieldsSerializer,
    StatsSummarySerializer,
)

_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off", ""}


def _param(name, type_, description, **kwargs):
    return OpenApiParameter(name, type_, location=OpenApiParameter.QUERY, description=description, **kwargs)


_DATE_FROM = _param(
    "date_from",
    OpenApiTypes.DATE,
    "First day (YYYY-MM-DD, inclusive). Default: the 1st of the current month.",
)
_DATE_TO = _param(
    "date_to",
    OpenApiTypes.DATE,
    "Last day (inclusive). Default: today (or date_from if that is later). At most 3 years from date_from.",
)
_COMMUNE = _param(
    "commune",
    OpenApiTypes.STR,
    "5-digit code of a commune-level unit (its latest version). Not with `province`. "
    "Default: your whole scope (clerk: your commune; inspector: your province; admin: all).",
)
_PROVINCE = _param(
    "province", OpenApiTypes.STR, "2-digit province code: the province's total. Not with `commune`."
)
_PREDECESSORS = _param(
    "include_predecessors",
    OpenApiTypes.BOOL,
    "true: a merged commune's figures include those of the units it absorbed (e.g. 05293 with Văn Sơn "
    "05284 before 1/7/2025), to compare before and after the merger. Default false.",
)
_UNIT_PARAMETERS = [_COMMUNE, _PROVINCE, _PREDECESSORS, _DATE_FROM, _DATE_TO]
_ERRORS = {
    400: OpenApiResponse(
        DossierErrorSerializer,
        description="Bad parameter; `code` is invalid-date, invalid-period, period-too-long, "
        "commune-and-province, invalid-boolean or invalid-ordering.",
    ),
    401: OpenApiResponse(description="Not signed in (send `Authorization: Token <key>`)."),
    403: OpenApiResponse(description="The account has no staff role."),
    404: OpenApiResponse(description="No such commune or province in your scope."),
}


def _boolean(params, name) -> bool:
    value = params.get(name, "").strip().lower()
    if value not in _TRUE | _FALSE:
        raise serializers.ValidationError(
            {name: [_("Giá trị phải là true hoặc false.")]}, code="invalid-boolean"
        )
    return value in _TRUE


def _period(params):
    """dossiers.periods.parse_period, its error answered as a 400 with a stable code."""
    date_from, date_to = params.get("date_from"), params.get("date_to")
    try:
        return parse_period(date_from, date_to)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.message_dict, code=_period_error_code(exc)) from exc


def _period_error_code(exc) -> str:
    return next((e.code for errors in exc.error_dict.values() for e in errors if e.code), "invalid")


def _units(request, *, allow_commune=True) -> tuple[Units, bool]:
    """The units the request covers, and whether predecessors are included (400s before 404s)."""
    params = request.query_params
    commune = params.get("commune", "").strip() if allow_commune else ""
    province = params.get("province", "").strip()
    if commune and province:
        raise serializers.ValidationError(
            {"province": [_("Chỉ chọn một trong hai: xã hoặc tỉnh.")]}, code="commune-and-province"
        )
    include_predecessors = _boolean(params, "include_predecessors")
    units = resolve_units(
        request.user,
        commune=commune or None,
        province=province or None,
        include_predecessors=include_predecessors,
    )
    return units, include_predecessors


def _asked(units: Units, request) -> dict:
    """`commune` and `province` as asked: codes, or null for the whole scope."""
    return {
        "commune": units.commune.code if units.commune else None,
        "province": units.province.code if units.province and request.query_params.get("province") else None,
    }


class _StatsView:
    permission_classes = [IsStaffMember]
    # The parameters are the ones documented below, not a filterset's or DRF's `ordering`.
    filter_backends: list = []


@extend_schema(
    summary="Figures of a period (DOMAIN.md §5)",
    description=(
        "Flows summed over [date_from, date_to], stocks at the end of date_to, carried_over at the end "
        "of the day before date_from, for one commune, a province or your whole scope. Always "
        "carried_over + received_total = resolved_total + withdrawn + stopped + pending_total."
    ),
    tags=["stats"],
    parameters=_UNIT_PARAMETERS,
    responses={200: StatsSummarySerializer, **_ERRORS},
)
class StatsSummaryView(_StatsView, APIView):
    def get(self, request):
        period = _period(request.query_params)
        units, _predecessors = _units(request)
        summary = cached_summary(units.commune_ids, period.first, period.last)
        return Response(StatsSummarySerializer({**_asked(units, request), **summary}).data)


@extend_schema(
    summary="Daily figures",
    description=(
        "One row per unit and day, ordered by date then commune code, paginated (page_size up to 500). "
        "A row holds the day's flows, the stocks at the end of the day, and carried_over = the stock at "
        "the end of the previous day (as for a one-day period); rates are the day's. With `commune`, one "
        "row a day (with include_predecessors, the units it absorbed are added into it). For a province "
        "or your scope: one row per unit, ended units under their own codes (history is not rewritten), "
        "or with include_predecessors=true folded into the current unit that absorbed them."
    ),
    tags=["stats"],
    parameters=_UNIT_PARAMETERS,
    responses={200: StatsDailyRowSerializer(many=True), **_ERRORS},
)
class StatsDailyView(_StatsView, generics.ListAPIView):
    serializer_class = StatsDailyRowSerializer
    pagination_class = StandardPagination

    def list(self, request, *args, **kwargs):
        period = _period(request.query_params)
        units, include_predecessors = _units(request)
        key = queries.daily_key(units, include_predecessors=include_predecessors)
        page = self.paginate_queryset(queries.daily_rows(units.commune_ids, period.first, period.last, key))
        rows = queries.daily_figures(page, units.commune_ids, key)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class _RankingPagination(StandardPagination):
    # A province has about 150 communes: one page by default, 500 at most as everywhere.
    page_size = 200


@extend_schema(
    summary="Ranking of communes",
    description=(
        "One row per CURRENT commune of the province (or of your scope) with the period's figures, "
        "ordered by `ordering` (rates null last in both directions; ties by code), each with its `rank`. "
        "With include_predecessors=true each row adds the units the commune absorbed (then a row equals "
        "/stats/summary/?commune=CODE&include_predecessors=true). Paginated, 200 rows a page by default."
    ),
    tags=["stats"],
    parameters=[
        _PROVINCE,
        _PREDECESSORS,
        _DATE_FROM,
        _DATE_TO,
        _param(
            "ordering",
            OpenApiTypes.STR,
            "A figure, rate, `commune` or `name`; `-` first for descending. Default -on_time_rate.",
            enum=[f"{sign}{key}" for key in queries.RANKING_KEYS for sign in ("", "-")],
        ),
    ],
    responses={200: StatsCommuneRowSerializer(many=True), **_ERRORS},
)
class StatsCommunesView(_StatsView, generics.ListAPIView):
    serializer_class = StatsCommuneRowSerializer
    pagination_class = _RankingPagination

    def list(self, request, *args, **kwargs):
        ordering = request.query_params.get("ordering", "").strip() or queries.DEFAULT_RANKING
        if ordering.lstrip("-") not in queries.RANKING_KEYS or ordering.startswith("--"):
            raise serializers.ValidationError(
                {"ordering": [_("Không sắp xếp được theo “%(value)s”.") % {"value": ordering}]},
                code="invalid-ordering",
            )
        period = _period(request.query_params)
        units, include_predecessors = _units(request, allow_commune=False)
        rows = queries.rank_communes(
            units.commune_ids, period.first, period.last, include_predecessors=include_predecessors
        )
        page = self.paginate_queryset(queries.order_ranking(rows, ordering))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(
    summary="Figures by field and procedure (form II.06a)",
    description=(
        "The period's figures of each procedure with any figure, grouped by field (fields by name, "
        "procedures by code), each field with the sum of its procedures, and the unit's total. Walk-in "
        "visits are counted per centre, so they appear in `total` only."
    ),
    tags=["stats"],
    parameters=_UNIT_PARAMETERS,
    responses={200: StatsFieldsSerializer, **_ERRORS},
)
class StatsFieldsView(_StatsView, APIView):
    def get(self, request):
        period = _period(request.query_params)
        units, _predecessors = _units(request)
        by_procedure = summarize_by_procedure(units.commune_ids, period.first, period.last)
        total = summarize(units.commune_ids, period.first, period.last)
        body = {
            **_asked(units, request),
            "date_from": period.first,
            "date_to": period.last,
            "fields": _by_field(by_procedure),
            "total": total,
            "computed_at": total["computed_at"],
        }
        return Response(StatsFieldsSerializer(body).data)


def _by_field(by_procedure: list[dict]) -> list[dict]:
    """summarize_by_procedure's rows grouped by field (by name, Đ beside D), procedures by code,
    each field with the sum of its procedures."""
    figures = {row["procedure_id"]: row for row in by_procedure}
    fields: dict[str, list[dict]] = {}
    procedures = Procedure.objects.filter(pk__in=list(figures)).order_by("code")
    for procedure in procedures.values("pk", "code", "name", "field"):
        row = {"procedure": procedure["code"], "name": procedure["name"], **figures[procedure["pk"]]}
        fields.setdefault(procedure["field"], []).append(row)
    return [
        {"field": field, **_sum_rows(rows), "procedures": rows}
        for field, rows in sorted(fields.items(), key=lambda item: (fold(item[0]), item[0]))
    ]


def _sum_rows(rows: list[dict]) -> dict:
    """The figures of several procedures added up; rates recomputed from the sums, never averaged."""
    added = {
        name: sum(row[name] for row in rows)
        for name in (*PROCEDURE_FLOW_FIELDS, *STOCK_FIELDS, "carried_over")
    }
    return figures_from_sums(added, added, {"pending_in_time": added["carried_over"]})
