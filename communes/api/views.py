"""Read-only API of the reference data: provinces and commune-level units."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.exceptions import NotFound

from communes.filtersets import CommuneFilterSet, ProvinceFilterSet
from communes.models import Commune, Province

from .serializers import CommuneSerializer, ProvinceSerializer


@extend_schema_view(
    list=extend_schema(summary="List provinces", tags=["communes"]),
    retrieve=extend_schema(summary="One province by its 2-digit code", tags=["communes"]),
)
class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProvinceSerializer
    # Reference data: any signed-in account reads it, staff role or not.
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = ProvinceFilterSet
    ordering_fields = ["code", "name"]
    ordering = ["code"]
    lookup_field = "code"

    def get_queryset(self):
        return Province.objects.visible_to(self.request.user).order_by(*self.ordering)


_ACTIVE_ON_PARAMETER = OpenApiParameter(
    "active_on",
    OpenApiTypes.DATE,
    description="Return the version of the unit valid on this day (YYYY-MM-DD) instead of the latest one.",
)


@extend_schema_view(
    list=extend_schema(
        summary="List commune-level units",
        description=(
            "Every version of every unit: a code kept by a merged unit names the old unit (until "
            "30/06/2025) and the new one (from 01/07/2025). Filter with `active_on` to get the units "
            "of one day."
        ),
        tags=["communes"],
    ),
    retrieve=extend_schema(
        summary="One commune-level unit by its 5-digit code",
        description=(
            "A code can name an old and a new unit: the latest version is returned, or with "
            "`active_on` the version valid on that day (404 if none)."
        ),
        parameters=[_ACTIVE_ON_PARAMETER],
        tags=["communes"],
    ),
)
class CommuneViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CommuneSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = CommuneFilterSet
    ordering_fields = ["code", "name"]
    ordering = ["province__code", "code", "valid_from"]
    lookup_field = "code"

    def get_queryset(self):
        # Constant query count whatever the page size: province and centre joined, the merger
        # links of the whole page fetched in one query per direction.
        return (
            Commune.objects.visible_to(self.request.user)
            .select_related("province", "service_centre")
            .with_merger_links()
            .order_by(*self.ordering)
        )

    def get_object(self):
        # The filters apply here too (DRF's default), so `?active_on=` narrows the versions of the
        # code to the one valid that day; a malformed date is a 400 from the filter backend.
        queryset = self.filter_queryset(self.get_queryset())
        unit = queryset.latest_version(self.kwargs[self.lookup_field])
        if unit is None:
            raise NotFound
        self.check_object_permissions(self.request, unit)
        return unit
