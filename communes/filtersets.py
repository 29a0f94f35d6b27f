"""Filters of the unit lists, shared by the HTML pages and the API.

Labels are what a clerk reads on the list page (Vietnamese); help texts are what an API
integrator reads in the OpenAPI schema (English).
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import UnitKind
from .models import Commune, Province
from .text import fold


class CommuneFilterSet(django_filters.FilterSet):
    """Commune-level units by province, kind, validity date and a diacritic-insensitive search."""

    province = django_filters.CharFilter(
        field_name="province__code",
        label=_("Tỉnh, thành phố"),
        help_text="Province code (2 digits), e.g. 25.",
    )
    kind = django_filters.ChoiceFilter(
        choices=UnitKind.choices,
        label=_("Loại đơn vị"),
        help_text="Kind of unit.",
    )
    active_on = django_filters.DateFilter(
        method="filter_active_on",
        label=_("Có hiệu lực ngày"),
        help_text="Only the unit versions valid on this day (YYYY-MM-DD).",
    )
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Tìm kiếm"),
        help_text=(
            "Words of the name or the code; case and Vietnamese diacritics are ignored "
            '("thuong coc" finds "Thượng Cốc").'
        ),
    )

    class Meta:
        model = Commune
        fields = ["province", "kind", "active_on", "search"]

    def filter_active_on(self, queryset, name, value):
        return queryset.active_on(value)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class ProvinceFilterSet(django_filters.FilterSet):
    """Provinces by validity date and a diacritic-insensitive search of name, full name and code."""

    active_on = django_filters.DateFilter(
        method="filter_active_on",
        label=_("Có hiệu lực ngày"),
        help_text="Only the provinces valid on this day (YYYY-MM-DD).",
    )
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Tìm kiếm"),
        help_text="Words of the name or the code; case and Vietnamese diacritics are ignored.",
    )

    class Meta:
        model = Province
        fields = ["active_on", "search"]

    def filter_active_on(self, queryset, name, value):
        return queryset.active_on(value)

    def filter_search(self, queryset, name, value):
        # Provinces have no folded search column (a few dozen rows at most), so fold in Python
        # over the whole table: one small query, and "phu tho" still finds "Phú Thọ".
        words = fold(value).split()
        if not words:
            return queryset
        matching = [
            pk
            for pk, code, name_, full_name in queryset.values_list("pk", "code", "name", "full_name")
            if all(word in fold(f"{full_name} {name_} {code}") for word in words)
        ]
        return queryset.filter(pk__in=matching)
