"""The inspections REST API (DOMAIN.md §6): what every endpoint shares, departments, working groups.

Routes, under /api/v1/ (visits and proposals: visit_views.py; directives: directive_views.py):

    departments/                              GET          every staff account (reference data)
    working-groups/[{id}/]                    GET          groups of your province (clerk: its province's)
                                              POST, PATCH  inspectors of the province, admins
    visits/[{id}/]                            GET          visits in your scope, with the communes you see
                                              POST         record a visit (figures frozen by the service)
                                              PATCH        participants, general conclusion
    visits/{id}/communes/{code}/              GET, PATCH   one visited commune: figures, findings,
                                                           proposals; PATCH conclusion or period
    visits/{id}/communes/{code}/findings/     POST         add a finding
    visits/{id}/communes/{code}/proposals/    POST         add a proposal to a department
    findings/{id}/                            GET          one finding in your scope
                                              PATCH, DELETE  inspectors of the province, admins
    proposals/[{id}/]                         GET          proposals in your scope (department: its own)
                                              PATCH, DELETE  inspectors, while the proposal is pending
    proposals/{id}/answer/                    POST         the addressed department's users, inspectors
    directives/[{id}/]                        GET          overdue first, then by due date
                                              POST, PATCH  inspectors of the province, admins
    directives/{id}/progress/                 GET          the progress notes
                                              POST         a note, optionally moving the status:
                                                           inspectors and the assignee's own staff

Every request starts from the model's `visible_to(user)`: a row out of scope is a 404 whatever
the method, and a nested list (a visit's communes, a commune's proposals) holds only the rows the
caller sees. Writes go through inspections.services, one transaction each; their refusals answer
400 with the stable code of inspections.errors (portal.api.errors), PermissionDenied answers 403.
Roles that may never write an endpoint get 403 before any lookup.
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from communes.choices import Role
from communes.models import Province
from communes.scope import scope_of
from portal.api.permissions import IsStaffMember

from .. import services
from ..filtersets import (
    DepartmentFilterSet,
    WorkingGroupFilterSet,
)
from ..models import (
    Department,
    WorkingGroup,
    WorkingGroupMember,
)
from .serializers import (
    DepartmentSerializer,
    InspectionErrorSerializer,
    WorkingGroupSerializer,
    WorkingGroupWriteSerializer,
)

TAGS = ["inspections"]
NOT_FOUND = {404: OpenApiResponse(description="Not in your scope (or no such row).")}


class CanManageInspections(IsStaffMember):
    """Any staff member reads (the rows are those of `visible_to`); inspectors and admins write.

    A viewset's `open_actions` (progress notes, answers to proposals) are open to every staff
    member: the service decides who may act on that row (the assignee's staff, the department).
    """

    message = _("Chỉ thành viên tổ công tác của tỉnh hoặc quản trị viên được thực hiện thao tác này.")

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            # Safe to set: DRF builds new permission instances for every request.
            self.message = IsStaffMember.message
            return False
        if request.method in SAFE_METHODS or getattr(view, "action", None) in getattr(
            view, "open_actions", ()
        ):
            return True
        scope = scope_of(request.user)
        return scope.is_admin or scope.role == Role.INSPECTOR


def errors_schema(
    bad_input: str | None,
    forbidden: str = "Your role may not do this here (inspectors of the province and admins).",
    *,
    lookup: bool = True,
) -> dict:
    """The error responses of a write; `lookup=False` for a create (no row in the URL: no 404),
    `bad_input=None` for a write that refuses no input (no 400)."""
    responses = {}
    if bad_input is not None:
        responses[400] = OpenApiResponse(InspectionErrorSerializer, description=bad_input)
    responses[403] = OpenApiResponse(InspectionErrorSerializer, description=forbidden)
    return {**responses, **NOT_FOUND} if lookup else responses


class InspectionViewSet(viewsets.GenericViewSet):
    """Shared plumbing: permissions, filters, PATCH (never PUT), lookups in scope (a non-numeric id: 404)."""

    permission_classes = [CanManageInspections]
    # The filterset is the only way to narrow a list; the order is fixed per resource.
    filter_backends = [DjangoFilterBackend]
    http_method_names = ["get", "post", "patch", "head", "options"]
    open_actions: tuple[str, ...] = ()
    detail_route = ""

    def get_object(self):
        # In scope only; the list filters must not hide a row from its own URL.
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    def _show(self, instance, serializer_class, status_code=status.HTTP_200_OK, *, created=False):
        """Answer with the row re-read through the scoped queryset (services return bare rows)."""
        data = serializer_class(instance, context=self.get_serializer_context()).data
        response = Response(data, status=status_code)
        if created:
            response["Location"] = self.request.build_absolute_uri(
                reverse(f"api:{self.detail_route}", kwargs={"pk": instance.pk})
            )
        return response


# --- Departments ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List departments (sở, ngành)",
        description="Reference data: every staff account reads every department. Filter by province.",
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="One department", tags=TAGS, responses={200: DepartmentSerializer, **NOT_FOUND}
    ),
)
class DepartmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, InspectionViewSet):
    serializer_class = DepartmentSerializer
    permission_classes = [IsStaffMember]
    filterset_class = DepartmentFilterSet

    def get_queryset(self):
        return (
            Department.objects.visible_to(self.request.user)
            .select_related("province")
            .order_by("province__code", "name", "pk")
        )


# --- Working groups ------------------------------------------------------------------------------

_GROUP_400 = (
    "Bad input: field errors, or duplicate-group (number taken in the province), text-required "
    "(leader or member without a name), outside-province (a member's department), read-only-field "
    "(`province` on PATCH)."
)


@extend_schema_view(
    list=extend_schema(
        summary="List working groups (tổ công tác)",
        description=(
            "The groups of your province (clerks and leaders: of their commune's province; admins: all), "
            "each with its members, by province then number."
        ),
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="One working group with its members",
        tags=TAGS,
        responses={200: WorkingGroupSerializer, **NOT_FOUND},
    ),
    create=extend_schema(
        summary="Create a working group",
        description=(
            "Inspectors create groups of their own province (`province` may be omitted); admins name "
            "the province. Another province's code is 403."
        ),
        tags=TAGS,
        request=WorkingGroupWriteSerializer,
        responses={201: WorkingGroupSerializer, **errors_schema(_GROUP_400, lookup=False)},
    ),
    partial_update=extend_schema(
        summary="Change a working group",
        description=(
            "Number, name, leader; `members` given replaces the whole list. The province never changes."
        ),
        tags=TAGS,
        request=WorkingGroupWriteSerializer,
        responses={200: WorkingGroupSerializer, **errors_schema(_GROUP_400)},
    ),
)
class WorkingGroupViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    InspectionViewSet,
):
    filterset_class = WorkingGroupFilterSet
    detail_route = "working-group-detail"

    def get_queryset(self):
        members = WorkingGroupMember.objects.select_related("department").order_by("pk")
        return (
            WorkingGroup.objects.visible_to(self.request.user)
            .select_related("province")
            .prefetch_related(Prefetch("members", queryset=members))
            .order_by("province__code", "number", "pk")
        )

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return WorkingGroupWriteSerializer
        return WorkingGroupSerializer

    def _province(self, code):
        if code:
            province = Province.objects.filter(code=code).first()
            if province is None:
                raise serializers.ValidationError(
                    {"province": [_("Không có tỉnh mã %(code)s.") % {"code": code}]}, code="does_not_exist"
                )
            return province
        scope = scope_of(self.request.user)
        if scope.province_id is None:
            raise serializers.ValidationError(
                {"province": [_("Hãy chọn tỉnh của tổ công tác (mã tỉnh 2 chữ số).")]}, code="required"
            )
        return Province.objects.get(pk=scope.province_id)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        group = services.create_working_group(
            request.user,
            self._province(data.get("province")),
            data["number"],
            data["leader_name"],
            name=data.get("name", ""),
            leader_title=data.get("leader_title", ""),
            members=[dict(member) for member in data.get("members", [])],
        )
        return self._show(
            self.get_queryset().get(pk=group.pk),
            WorkingGroupSerializer,
            status.HTTP_201_CREATED,
            created=True,
        )

    def partial_update(self, request, *args, **kwargs):
        group = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "members" in data:
            data["members"] = [dict(member) for member in data["members"]]
        updated = services.update_working_group(request.user, group, **data)
        return self._show(self.get_queryset().get(pk=updated.pk), WorkingGroupSerializer)
