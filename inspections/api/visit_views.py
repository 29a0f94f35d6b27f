"""Visits with the communes visited (frozen figures, findings, proposals), findings and proposals
(changed or deleted by the province's inspectors) and the proposals' answers.

See inspections.api.views for the routes and what every endpoint shares. A visit's nested
communes and a commune's nested proposals are narrowed by `visible_to(user)` like the lists: a
clerk sees its own commune's entry on a visit to several communes, a department user only the
proposals addressed to its department.
"""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404

from .. import services, visit_items
from ..filtersets import ProposalFilterSet, VisitFilterSet
from ..models import Finding, Proposal, Visit, VisitedCommune
from .serializers import (
    FindingCreateSerializer,
    FindingSerializer,
    FindingUpdateSerializer,
    ProposalAnswerSerializer,
    ProposalCreateSerializer,
    ProposalSerializer,
    ProposalUpdateSerializer,
    VisitCreateSerializer,
    VisitedCommuneSerializer,
    VisitedCommuneUpdateSerializer,
    VisitSerializer,
    VisitUpdateSerializer,
)
from .views import NOT_FOUND, TAGS, InspectionViewSet, errors_schema

#: The answer to a DELETE done.
DELETED = {204: OpenApiResponse(description="Deleted.")}
#: What a finding or a proposal is changed or deleted through (PATCH, DELETE; never PUT).
ITEM_METHODS = ["get", "patch", "delete", "head", "options"]

_CODE = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    location=OpenApiParameter.PATH,
    pattern=r"^[0-9]{5}$",
    description="5-digit code of one of the visit's communes.",
)


# --- Visits and the communes visited -------------------------------------------------------------

_VISIT_400 = (
    "Bad input: field errors, or a refusal of record_visit: visit-in-future, no-communes, "
    "unknown-commune, duplicate-commune, outside-province, commune-inactive (the unit did not exist "
    "on the visit date), period-for-unknown-commune, invalid-period, period-not-before-visit (the "
    "figures period must end before the visit date). Nothing is saved."
)
_COMMUNE_400 = "Bad input: invalid-period, period-not-before-visit, read-only-field. Nothing is saved."


@extend_schema_view(
    list=extend_schema(
        summary="List visits",
        description=(
            "Visits in your scope, newest first, each with the communes you may see: inspectors and "
            "department users every commune of the visit, clerks and leaders only their own (another "
            "commune's figures on the same visit stay hidden). Department users see only the proposals "
            "addressed to their department."
        ),
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="One visit with its communes, frozen figures, findings and proposals",
        tags=TAGS,
        responses={200: VisitSerializer, **NOT_FOUND},
    ),
    create=extend_schema(
        summary="Record a visit",
        description=(
            "A working group's visit on `date` to `communes` (codes, the unit version valid that day). "
            "Each commune's figures are frozen for its period: `periods` or by default the 1st of the "
            "month to the day before the visit. Add findings and proposals per commune afterwards."
        ),
        tags=TAGS,
        request=VisitCreateSerializer,
        responses={201: VisitSerializer, **errors_schema(_VISIT_400, lookup=False)},
    ),
    partial_update=extend_schema(
        summary="Change a visit's participants or general conclusion",
        description=(
            "The date, group and communes stay as recorded (read-only-field): the figures were frozen "
            "for them."
        ),
        tags=TAGS,
        request=VisitUpdateSerializer,
        responses={200: VisitSerializer, **errors_schema("Bad input: read-only-field.")},
    ),
)
class VisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    InspectionViewSet,
):
    filterset_class = VisitFilterSet
    detail_route = "visit-detail"

    def _visited_communes(self):
        """The visited communes the caller sees, ready for VisitedCommuneSerializer."""
        user = self.request.user
        proposals = (
            Proposal.objects.visible_to(user)
            .select_related("department", "answered_by", "visited_commune__commune")
            .order_by("pk")
        )
        return (
            VisitedCommune.objects.visible_to(user)
            .select_related("commune")
            .prefetch_related(
                Prefetch("findings", queryset=Finding.objects.order_by("pk")),
                Prefetch("proposals", queryset=proposals, to_attr="visible_proposals"),
            )
            .order_by("pk")
        )

    def get_queryset(self):
        return (
            Visit.objects.visible_to(self.request.user)
            .select_related("group")
            .prefetch_related(
                Prefetch("visited_communes", queryset=self._visited_communes(), to_attr="visible_communes")
            )
            .order_by("-date", "-pk")
        )

    def get_serializer_class(self):
        return {
            "create": VisitCreateSerializer,
            "partial_update": VisitUpdateSerializer,
            "commune": VisitedCommuneUpdateSerializer
            if self.request.method == "PATCH"
            else VisitedCommuneSerializer,
            "findings": FindingCreateSerializer,
            "proposals": ProposalCreateSerializer,
        }.get(self.action, VisitSerializer)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        periods = {row["commune"]: (row["period_from"], row["period_to"]) for row in data["periods"]}
        visit = services.record_visit(
            request.user,
            data["group"],
            data["date"],
            data["communes"],
            participants=data["participants"],
            conclusion=data["conclusion"],
            periods=periods or None,
        )
        return self._show(
            self.get_queryset().get(pk=visit.pk), VisitSerializer, status.HTTP_201_CREATED, created=True
        )

    def partial_update(self, request, *args, **kwargs):
        visit = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = services.update_visit(request.user, visit, **serializer.validated_data)
        return self._show(self.get_queryset().get(pk=updated.pk), VisitSerializer)

    def _entry(self, code) -> VisitedCommune:
        """The visit's commune `code`, if the caller sees both (else 404)."""
        visit = self.get_object()
        return get_object_or_404(
            self._visited_communes().select_related("visit__group"), visit=visit, commune__code=code
        )

    @extend_schema(
        methods=["GET"],
        summary="One commune of a visit: period, frozen figures, findings, proposals, conclusion",
        tags=TAGS,
        parameters=[_CODE],
        responses={200: VisitedCommuneSerializer, **NOT_FOUND},
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Set a visited commune's conclusion or figures period",
        description=(
            "`conclusion`: the leader's conclusions for this commune. A new period (`period_from` and/or "
            "`period_to`; an omitted one keeps its day) re-freezes the figures; the same period leaves "
            "them exactly as they were."
        ),
        tags=TAGS,
        parameters=[_CODE],
        request=VisitedCommuneUpdateSerializer,
        responses={200: VisitedCommuneSerializer, **errors_schema(_COMMUNE_400)},
    )
    @action(
        detail=True,
        methods=["get", "patch"],
        url_path=r"communes/(?P<code>[0-9]{5})",
        url_name="commune",
        filter_backends=[],
    )
    def commune(self, request, pk=None, code=None):
        entry = self._entry(code)
        if request.method == "PATCH":
            serializer = self.get_serializer(data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            period = None
            if "period_from" in data or "period_to" in data:
                period = (data.get("period_from", entry.period_from), data.get("period_to", entry.period_to))
            services.update_visited_commune(
                request.user, entry, conclusion=data.get("conclusion"), period=period
            )
            entry = self._entry(code)
        return self._show(entry, VisitedCommuneSerializer)

    @extend_schema(
        summary="Add a finding (khó khăn, vướng mắc) heard at a visited commune",
        tags=TAGS,
        parameters=[_CODE],
        request=FindingCreateSerializer,
        responses={201: FindingSerializer, **errors_schema("Bad input: invalid-category, text-required.")},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"communes/(?P<code>[0-9]{5})/findings",
        url_name="findings",
        filter_backends=[],
    )
    def findings(self, request, pk=None, code=None):
        entry = self._entry(code)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        finding = services.add_finding(request.user, entry, **serializer.validated_data)
        return self._show(finding, FindingSerializer, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add a commune's proposal (kiến nghị) addressed to a department",
        description="Pending until the department (or an inspector) answers it with proposals/{id}/answer/.",
        tags=TAGS,
        parameters=[_CODE],
        request=ProposalCreateSerializer,
        responses={
            201: ProposalSerializer,
            **errors_schema("Bad input: text-required, outside-province (the department)."),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"communes/(?P<code>[0-9]{5})/proposals",
        url_name="proposals",
        filter_backends=[],
    )
    def proposals(self, request, pk=None, code=None):
        entry = self._entry(code)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = services.add_proposal(request.user, entry, **serializer.validated_data)
        return self._show(
            _proposals(request.user).get(pk=proposal.pk), ProposalSerializer, status.HTTP_201_CREATED
        )


# --- Findings ------------------------------------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(summary="One finding", tags=TAGS, responses={200: FindingSerializer, **NOT_FOUND}),
    partial_update=extend_schema(
        summary="Change a finding's category or text",
        tags=TAGS,
        request=FindingUpdateSerializer,
        responses={
            200: FindingSerializer,
            **errors_schema("Bad input: invalid-category, text-required, read-only-field."),
        },
    ),
    destroy=extend_schema(
        summary="Delete a finding",
        tags=TAGS,
        responses={**DELETED, **errors_schema(None)},
    ),
)
class FindingViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, InspectionViewSet
):
    """findings/{id}/ only: a visit's findings are listed with its communes (visits/{id}/)."""

    filter_backends = []
    http_method_names = ITEM_METHODS

    def get_queryset(self):
        return Finding.objects.visible_to(self.request.user).order_by("pk")

    def get_serializer_class(self):
        return FindingUpdateSerializer if self.action == "partial_update" else FindingSerializer

    def partial_update(self, request, *args, **kwargs):
        finding = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = visit_items.update_finding(request.user, finding, **serializer.validated_data)
        return self._show(self.get_queryset().get(pk=updated.pk), FindingSerializer)

    def perform_destroy(self, instance):
        visit_items.delete_finding(self.request.user, instance)


# --- Proposals -----------------------------------------------------------------------------------


def _proposals(user):
    return (
        Proposal.objects.visible_to(user)
        .select_related("visited_commune__commune", "visited_commune__visit", "department", "answered_by")
        .order_by("-visited_commune__visit__date", "visited_commune_id", "pk")
    )


@extend_schema_view(
    list=extend_schema(
        summary="List proposals (kiến nghị, đề xuất)",
        description=(
            "Proposals in your scope: a department user those addressed to its department, clerks and "
            "leaders their commune's, inspectors their province's. Newest visit first."
        ),
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="One proposal", tags=TAGS, responses={200: ProposalSerializer, **NOT_FOUND}
    ),
    partial_update=extend_schema(
        summary="Change a pending proposal's text or department",
        description=(
            "Only while pending: once accepted or answered the department has acted on it "
            "(proposal-answered). Its status and answer change only through proposals/{id}/answer/."
        ),
        tags=TAGS,
        request=ProposalUpdateSerializer,
        responses={
            200: ProposalSerializer,
            **errors_schema(
                "Bad input: proposal-answered, text-required, outside-province (the department), "
                "read-only-field. Nothing is saved."
            ),
        },
    ),
    destroy=extend_schema(
        summary="Delete a pending proposal",
        tags=TAGS,
        responses={**DELETED, **errors_schema("Refused: proposal-answered (accepted or answered).")},
    ),
)
class ProposalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    InspectionViewSet,
):
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet
    open_actions = ("answer",)
    http_method_names = [*ITEM_METHODS, "post"]

    def get_queryset(self):
        return _proposals(self.request.user)

    def get_serializer_class(self):
        return {
            "answer": ProposalAnswerSerializer,
            "partial_update": ProposalUpdateSerializer,
        }.get(self.action, ProposalSerializer)

    def partial_update(self, request, *args, **kwargs):
        proposal = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = visit_items.update_proposal(request.user, proposal, **serializer.validated_data)
        return self._show(self.get_queryset().get(pk=updated.pk), ProposalSerializer)

    def perform_destroy(self, instance):
        visit_items.delete_proposal(self.request.user, instance)

    @extend_schema(
        summary="Answer a proposal",
        description=(
            "accepted (đã tiếp thu) or answered (đã trả lời, with `answer`); answering again replaces the "
            "answer. Users of the addressed department, inspectors of the province and admins; others 403."
        ),
        tags=TAGS,
        request=ProposalAnswerSerializer,
        responses={
            200: ProposalSerializer,
            **errors_schema(
                "Bad input: invalid-status, answer-required.",
                "Only the addressed department's users, the province's inspectors and admins answer.",
            ),
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def answer(self, request, pk=None):
        proposal = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        answered = services.answer_proposal(request.user, proposal, data["status"], data["answer"])
        return self._show(self.get_queryset().get(pk=answered.pk), ProposalSerializer)
