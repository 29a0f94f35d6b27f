"""Read-only representations of provinces and commune-level units for the REST API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communes.choices import MergerShare
from communes.models import Commune, Province, ServiceCentre


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name", "full_name", "valid_from", "valid_to"]
        read_only_fields = fields


class ServiceCentreSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceCentre
        fields = ["name", "agency_code", "address", "phone", "office_hours"]
        read_only_fields = fields


def main_successor(mergers):
    """The one unit an absorbed unit "became", among the mergers it is the absorbed side of.

    A unit split between several successors hands its code history to the one that took the
    remainder; without a remainder row, the first successor by code (a stable, explainable choice).
    `mergers` must be ordered by successor code.
    """
    if not mergers:
        return None
    for merger in mergers:
        if merger.share == MergerShare.REMAINDER:
            return merger.successor
    return mergers[0].successor


class CommuneSerializer(serializers.ModelSerializer):
    """One version of a unit. Expects the queryset of `CommuneViewSet` (merger links prefetched)."""

    province = serializers.CharField(source="province.code", read_only=True, help_text="Province code.")
    full_name = serializers.CharField(read_only=True, help_text='Kind and name, e.g. "Xã Thượng Cốc".')
    predecessors = serializers.SerializerMethodField(
        help_text="Codes of the units absorbed (wholly or in part) into this unit, by code."
    )
    successor = serializers.SerializerMethodField(
        help_text=(
            "Code of the unit this one merged into, or null. For a unit split between several "
            'successors: the one that took the "remainder", else the first by code.'
        )
    )
    service_centre = ServiceCentreSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Commune
        fields = [
            "code",
            "name",
            "kind",
            "province",
            "valid_from",
            "valid_to",
            "predecessors",
            "successor",
            "full_name",
            "district_name",
            "population",
            "area_km2",
            "service_centre",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_predecessors(self, obj):
        return [merger.absorbed.code for merger in obj.predecessor_links]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_successor(self, obj):
        unit = main_successor(obj.successor_links)
        return unit.code if unit is not None else None
