"""Directives (nhiệm vụ được giao): the board, assigning and rewording, and progress notes.

See inspections.api.views for the routes and what every endpoint shares. The list is ordered
overdue first, then by due date (DirectiveQuerySet.overdue_first), and filtered by
inspections.filtersets.DirectiveFilterSet, the directive board's filters.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from ..filtersets import DirectiveFilterSet
from ..models import Directive, DirectiveProgress
from .directive_serializers import (
    DirectiveCreateSerializer,
    DirectiveProgressCreateSerializer,
    DirectiveProgressSerializer,
    DirectiveSerializer,
    DirectiveUpdateSerializer,
)
from .views import NOT_FOUND, TAGS, InspectionViewSet, errors_schema

# --- Directives ----------------------------------------------------------------------------------

_DIRECTIVE_400 = (
    "Bad input: field errors, or text-required, invalid-assignee (none or both of department and "
    "commune), outside-province, unknown-commune, commune-inactive, visited-commune-mismatch, "
    "due-before-visit (the due date is before the visit date). Nothing is saved."
)


@extend_schema_view(
    list=extend_schema(
        summary="List directives (nhiệm vụ được giao)",
        description=(
            "Directives in your scope (a department user: its department's; clerks and leaders: their "
            "commune's; inspectors: their province's), overdue first, then by due date. `is_overdue`: "
            "past due (today's local date) and not done."
        ),
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="One directive", tags=TAGS, responses={200: DirectiveSerializer, **NOT_FOUND}
    ),
    create=extend_schema(
        summary="Assign a directive after a visit",
        description=(
            "To exactly one assignee: `department` (id) or `commune` (code). Due on or after the visit date."
        ),
        tags=TAGS,
        request=DirectiveCreateSerializer,
        responses={201: DirectiveSerializer, **errors_schema(_DIRECTIVE_400, lookup=False)},
    ),
    partial_update=extend_schema(
        summary="Reword a directive or move its due date",
        description="`text` and `due_date` only; the status moves with progress/ (read-only-field here).",
        tags=TAGS,
        request=DirectiveUpdateSerializer,
        responses={
            200: DirectiveSerializer,
            **errors_schema("Bad input: text-required, due-before-visit, read-only-field."),
        },
    ),
)
class DirectiveViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    InspectionViewSet,
):
    filterset_class = DirectiveFilterSet
    detail_route = "directive-detail"
    open_actions = ("progress",)

    def get_queryset(self):
        return (
            Directive.objects.visible_to(self.request.user)
            .select_related("visit__group", "department", "commune", "visited_commune__commune", "created_by")
            .overdue_first()
        )

    def get_serializer_class(self):
        if self.action == "progress":
            return (
                DirectiveProgressCreateSerializer
                if self.request.method == "POST"
                else DirectiveProgressSerializer
            )
        return {
            "create": DirectiveCreateSerializer,
            "partial_update": DirectiveUpdateSerializer,
        }.get(self.action, DirectiveSerializer)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        directive = services.create_directive(
            request.user,
            data["visit"],
            data["text"],
            data["due_date"],
            department=data["department"],
            commune=data["commune"],
            visited_commune=data["visited_commune"],
        )
        return self._show(
            self.get_queryset().get(pk=directive.pk),
            DirectiveSerializer,
            status.HTTP_201_CREATED,
            created=True,
        )

    def partial_update(self, request, *args, **kwargs):
        directive = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = services.update_directive(request.user, directive, **serializer.validated_data)
        return self._show(self.get_queryset().get(pk=updated.pk), DirectiveSerializer)

    @extend_schema(
        methods=["GET"],
        summary="A directive's progress notes",
        description="Oldest first. Not paginated: a directive has a handful of notes.",
        tags=TAGS,
        responses={200: DirectiveProgressSerializer(many=True), **NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Report progress on a directive",
        description=(
            "A note, optionally moving the status (open, in_progress, done: done records the completion "
            "time). Inspectors of the province, admins and the assignee's own staff (its department's "
            "users, its commune's clerks and leaders); others 403."
        ),
        tags=TAGS,
        request=DirectiveProgressCreateSerializer,
        responses={
            201: DirectiveProgressSerializer,
            **errors_schema(
                "Bad input: text-required, invalid-status, invalid-date (in the future or before the visit).",
                "Not the assignee's staff nor an inspector of the province.",
            ),
        },
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def progress(self, request, pk=None):
        directive = self.get_object()
        if request.method == "POST":
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            note = services.add_progress(
                request.user,
                directive,
                data["note"],
                status=data.get("status") or None,
                date=data.get("date"),
            )
            return self._show(note, DirectiveProgressSerializer, status.HTTP_201_CREATED)
        notes = (
            DirectiveProgress.objects.visible_to(request.user)
            .filter(directive=directive)
            .select_related("author")
        )
        return Response(self.get_serializer(notes.order_by("date", "pk"), many=True).data)
