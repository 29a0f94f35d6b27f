"""The dossiers REST API: list, receive, read, correct the applicant, move, and read the history.

Every request starts from `Dossier.objects.visible_to(user)`, so a dossier out of scope is a 404
whatever the method. Writes go through dossiers.services; their refusals (DossierError) answer
with their stable code (dossiers.api.errors: 409 illegal move, 412 stale version, else 400).

Optimistic locking over HTTP: a dossier's ETag is `"<code>-v<version>"`. A client that sends it
back in `If-Match` on PATCH or transitions/ gets 412 stale-version if someone saved in between;
without `If-Match` there is no check (last writer wins, as for the import).
"""

import re

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dossiers import errors, services
from dossiers.errors import DossierError
from dossiers.filtersets import DossierFilterSet
from dossiers.models import Dossier
from portal.api.permissions import CanChangeDossiers

from .errors import DossierErrorSerializer, dossier_error_response
from .serializers import (
    DossierApplicantSerializer,
    DossierCreateSerializer,
    DossierEventSerializer,
    DossierSerializer,
    TransitionSerializer,
)

_ETAG = re.compile(r'^(?:W/)?"(?P<code>.+)-v(?P<version>\d+)"$')


def etag_of(dossier: Dossier) -> str:
    return f'"{dossier.code}-v{dossier.version}"'


def expected_version(request, dossier: Dossier) -> int | None:
    """The version the client's `If-Match` vouches for; None when it sent none (or `*`).

    A weak form (W/"...") is accepted too: some proxies weaken ETags when they compress. A tag
    for another dossier, or one we cannot read, can never match, so it is a failed precondition.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    versions = []
    for tag in header.split(","):
        match = _ETAG.match(tag.strip())
        if match and match["code"] == dossier.code:
            versions.append(int(match["version"]))
    if not versions:
        raise DossierError(
            _("Tiêu đề If-Match không khớp với hồ sơ %(code)s: tải lại hồ sơ rồi thử lại.")
            % {"code": dossier.code},
            errors.STALE_VERSION,
        )
    # The service compares under its row lock: hand it the current version if the client named it.
    return dossier.version if dossier.version in versions else versions[0]


def _with_etag(response: Response, dossier: Dossier) -> Response:
    response["ETag"] = etag_of(dossier)
    return response


_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description=(
        'Optional. The ETag read with the dossier (`"<code>-v<version>"`); if the dossier changed since, '
        "the request is refused with 412 stale-version. Without it nothing is checked."
    ),
)
_ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200, 201],
    description='`"<code>-v<version>"`: send it back in If-Match to refuse overwriting a newer save.',
)
_ERROR = DossierErrorSerializer
_ERRORS = {
    400: OpenApiResponse(
        _ERROR, description="Bad input: field errors, or a refusal such as invalid-time, commune-inactive."
    ),
    403: OpenApiResponse(description="Inspectors and accounts without a staff role may not change dossiers."),
    404: OpenApiResponse(description="No such dossier in your scope."),
    412: OpenApiResponse(_ERROR, description="stale-version: If-Match names an older version."),
}
_LIST_DESCRIPTION = (
    "Dossiers in your scope (clerk and leader: your commune and the units it absorbed; inspector: "
    "your province; admin: all), newest receipt first unless `ordering` says otherwise. ID number, "
    "phone and address are masked unless the dossier belongs to your own commune."
)
_CREATE_DESCRIPTION = (
    "Receive a dossier: its code and due date are generated. A clerk's or leader's dossier is always "
    "received by their own commune: a `commune` in the payload is ignored. Admins must give `commune`. "
    "`status` 1 is for online submissions only (else 400 invalid-initial-status); `received_at` may be "
    "back-dated but not in the future (400 invalid-time) nor outside the unit's life (400 commune-inactive)."
)


@extend_schema_view(
    list=extend_schema(summary="List dossiers", description=_LIST_DESCRIPTION, tags=["dossiers"]),
    create=extend_schema(
        summary="Receive a dossier",
        description=_CREATE_DESCRIPTION,
        tags=["dossiers"],
        request=DossierCreateSerializer,
        parameters=[_ETAG_HEADER],
        responses={201: DossierSerializer, 400: _ERRORS[400], 403: _ERRORS[403]},
    ),
    retrieve=extend_schema(
        summary="One dossier by its code",
        description="Returns an ETag; `If-None-Match` with it answers 304 while the dossier is unchanged.",
        tags=["dossiers"],
        parameters=[_ETAG_HEADER],
        responses={200: DossierSerializer, 304: OpenApiResponse(description="Unchanged."), 404: _ERRORS[404]},
    ),
    partial_update=extend_schema(
        summary="Correct the applicant's details",
        description=(
            "Only applicant_name, applicant_id_number, applicant_phone and applicant_address; any "
            "other field (status, dates, ...) is refused with 400 read-only-field. Move a dossier "
            "with transitions/."
        ),
        tags=["dossiers"],
        request=DossierApplicantSerializer,
        parameters=[_IF_MATCH, _ETAG_HEADER],
        responses={200: DossierSerializer, **_ERRORS},
    ),
)
class DossierViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [CanChangeDossiers]
    # The filterset's own `ordering` is the only sort: DRF's OrderingFilter would also accept
    # `ordering` and let a client sort by a masked field, which leaks what the mask hides.
    filter_backends = [DjangoFilterBackend]
    filterset_class = DossierFilterSet
    lookup_field = "code"
    # Codes contain dots (H25.05293-250829-0001), which DRF's default lookup pattern excludes.
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        return (
            Dossier.objects.visible_to(self.request.user)
            .select_related("commune", "procedure")
            .order_by("-received_at", "-submitted_at", "-id")
        )

    def get_serializer_class(self):
        return {
            "create": DossierCreateSerializer,
            "partial_update": DossierApplicantSerializer,
            "transitions": TransitionSerializer,
            "events": DossierEventSerializer,
        }.get(self.action, DossierSerializer)

    def get_object(self):
        # The list filters must not hide a dossier from its own URL: look up in scope only.
        dossier = self.get_queryset().filter(code=self.kwargs["code"]).first()
        if dossier is None:
            raise Http404
        self.check_object_permissions(self.request, dossier)
        return dossier

    def handle_exception(self, exc):
        if isinstance(exc, DossierError):
            return dossier_error_response(exc)
        return super().handle_exception(exc)

    def _dossier_response(self, dossier: Dossier, status_code=status.HTTP_200_OK) -> Response:
        # Reload with the joins: services return the locked row without commune/procedure joined.
        dossier = self.get_queryset().get(pk=dossier.pk)
        data = DossierSerializer(dossier, context=self.get_serializer_context()).data
        return _with_etag(Response(data, status=status_code), dossier)

    def retrieve(self, request, *args, **kwargs):
        dossier = self.get_object()
        # If-None-Match compares weakly (RFC 9110): W/"x" and "x" name the same version.
        tags = {tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")}
        if etag_of(dossier) in tags or "*" in tags:
            return _with_etag(Response(status=status.HTTP_304_NOT_MODIFIED), dossier)
        return _with_etag(Response(self.get_serializer(dossier).data), dossier)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dossier = services.receive_dossier(
            commune=data["commune"],
            procedure=data["procedure"],
            channel=data["channel"],
            status=data["status"],
            at=data.get("received_at"),
            note=data["note"],
            actor=request.user,
            **{name: data.get(name, "") for name in services.APPLICANT_FIELDS},
        )
        response = self._dossier_response(dossier, status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(
            reverse("api:dossier-detail", kwargs={"code": dossier.code})
        )
        return response

    def partial_update(self, request, *args, **kwargs):
        dossier = self.get_object()
        serializer = self.get_serializer(dossier, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = services.update_applicant(
            dossier, expected_version=expected_version(request, dossier), **serializer.validated_data
        )
        return self._dossier_response(updated)

    @extend_schema(
        summary="Move a dossier through the workflow",
        description=(
            "Records the move as an event and returns the dossier. `at` defaults to now; it may be "
            "back-dated for paper records, but never in the future nor before the previous event "
            "(400 invalid-time). A move the workflow does not allow from the current status is 409 "
            "illegal-transition; see the dossier's `allowed_transitions`."
        ),
        tags=["dossiers"],
        request=TransitionSerializer,
        parameters=[_IF_MATCH, _ETAG_HEADER],
        responses={
            200: DossierSerializer,
            409: OpenApiResponse(
                _ERROR, description="illegal-transition: not allowed from the current status."
            ),
            **_ERRORS,
        },
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, *args, **kwargs):
        dossier = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        moved = services.move_dossier(
            dossier,
            data["to"],
            actor=request.user,
            at=data.get("at"),
            note=data["note"],
            expected_version=expected_version(request, dossier),
        )
        return self._dossier_response(moved)

    @extend_schema(
        summary="The dossier's history",
        description=(
            "Every move in order (seq 1 is the intake). Not paginated: a dossier has a handful of events."
        ),
        tags=["dossiers"],
        responses={200: DossierEventSerializer(many=True), 404: _ERRORS[404]},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, *args, **kwargs):
        dossier = self.get_object()
        events = dossier.events.select_related("actor").order_by("seq")
        return Response(self.get_serializer(events, many=True).data)
