"""One FilterSet for dossiers, used by the clerk's worklist, its Excel export and the REST API."""

import datetime as dt

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Channel, OnlineLevel, Status
from .models import Dossier, Procedure


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class DossierFilterSet(django_filters.FilterSet):
    status = django_filters.TypedMultipleChoiceFilter(
        choices=Status.choices, coerce=int, label=_("Trạng thái"), help_text="Status code(s), 1–10."
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Kênh tiếp nhận"))
    procedure = django_filters.CharFilter(field_name="procedure__code", label=_("Mã thủ tục"))
    field = django_filters.CharFilter(field_name="procedure__field", label=_("Lĩnh vực"))
    commune = django_filters.CharFilter(
        field_name="commune__code", label=_("Mã đơn vị"), help_text="5-digit code of the receiving unit."
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("Quá hạn"), help_text="true: overdue now; false: not overdue."
    )
    due_within = django_filters.NumberFilter(
        method="filter_due_within",
        min_value=0,
        max_value=365,
        label=_("Đến hạn trong (ngày)"),
        help_text="Running dossiers due between now and the end of the N-th day from today.",
    )
    received_from = django_filters.DateFilter(
        method="filter_received_from", label=_("Tiếp nhận từ ngày"), help_text="Local date, inclusive."
    )
    received_to = django_filters.DateFilter(
        method="filter_received_to", label=_("Tiếp nhận đến ngày"), help_text="Local date, inclusive."
    )
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Mã hồ sơ hoặc tên người nộp"),
        help_text="Dossier code or applicant name; diacritics ignored.",
    )
    ordering = django_filters.OrderingFilter(
        fields=(("due_at", "due_at"), ("received_at", "received_at"), ("code", "code")),
        label=_("Sắp xếp"),
    )

    class Meta:
        model = Dossier
        fields = []

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset.not_overdue()

    def filter_due_within(self, queryset, name, value):
        return queryset.due_within(int(value))

    def filter_received_from(self, queryset, name, value):
        return queryset.filter(received_at__gte=_local_midnight(value))

    def filter_received_to(self, queryset, name, value):
        return queryset.filter(received_at__lt=_local_midnight(value + dt.timedelta(days=1)))

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class ProcedureFilterSet(django_filters.FilterSet):
    """Catalogue filters, shared by the HTML catalogue page and the REST API.

    Labels are what a clerk reads (Vietnamese); help texts are what an API integrator reads.
    """

    field = django_filters.CharFilter(
        field_name="field", label=_("Lĩnh vực"), help_text="Field (lĩnh vực), exact name, e.g. Hộ tịch."
    )
    online_level = django_filters.ChoiceFilter(
        choices=OnlineLevel.choices, label=_("Mức độ trực tuyến"), help_text="full, partial or info."
    )
    is_active = django_filters.BooleanFilter(
        field_name="is_active",
        label=_("Đang áp dụng"),
        help_text="true: procedures in use; false: retired ones.",
    )
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Tìm theo mã hoặc tên"),
        help_text=(
            "Words of the code, name or field; case and Vietnamese diacritics are ignored "
            '("khai sinh" finds "Thủ tục đăng ký khai sinh").'
        ),
    )

    class Meta:
        model = Procedure
        fields = ["field", "online_level", "is_active", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)
