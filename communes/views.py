"""HTML pages of the administrative units: the searchable list and one unit's page."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from portal.formatting import vn_number

from .choices import UnitKind
from .filtersets import CommuneFilterSet
from .models import Commune, Province

#: Value of the list's "hieu_luc" select that shows every version, ended units included.
ALL_VERSIONS = "tat-ca"


def validity_status(unit, today):
    """'active', 'ended' or 'future', for the badge beside a unit's name."""
    if unit.valid_to is not None and unit.valid_to < today:
        return "ended"
    if unit.valid_from is not None and unit.valid_from > today:
        return "future"
    return "active"


class CommuneListView(LoginRequiredMixin, ListView):
    """All unit versions through `CommuneFilterSet`; only the units in force today unless asked."""

    template_name = "communes/commune_list.html"
    context_object_name = "communes"
    paginate_by = 50

    def filter_data(self):
        """The request's filters, with "units in force today" as the default validity.

        An explicit date wins; "tat-ca" lifts the default so ended units show too.
        """
        data = self.request.GET.copy()
        data.pop("page", None)
        if not data.get("active_on") and data.get("hieu_luc") != ALL_VERSIONS:
            data["active_on"] = timezone.localdate().isoformat()
        return data

    def get_queryset(self):
        base = Commune.objects.visible_to(self.request.user).select_related("province", "service_centre")
        self.filterset = CommuneFilterSet(self.filter_data(), queryset=base, request=self.request)
        if not self.filterset.is_valid():
            return base.none()
        return self.filterset.qs.order_by("province__code", "code", "valid_from")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        context.update(
            filterset=self.filterset,
            provinces=Province.objects.visible_to(self.request.user).order_by("code"),
            kinds=UnitKind.choices,
            selected={
                "search": params.get("search", ""),
                "province": params.get("province", ""),
                "kind": params.get("kind", ""),
                "active_on": params.get("active_on", ""),
                "hieu_luc": params.get("hieu_luc", ""),
            },
            all_versions=ALL_VERSIONS,
            today=timezone.localdate(),
        )
        return context


class CommuneDetailView(LoginRequiredMixin, DetailView):
    """One unit's page: the latest version of the code, or with `?ngay=` the one valid that day."""

    template_name = "communes/commune_detail.html"
    context_object_name = "commune"

    def get_queryset(self):
        return (
            Commune.objects.visible_to(self.request.user)
            .select_related("province", "service_centre")
            .with_merger_links()
        )

    def requested_day(self):
        raw = self.request.GET.get("ngay", "").strip()
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            messages.warning(
                self.request, _("Ngày “%(ngay)s” không hợp lệ (cần dạng YYYY-MM-DD).") % {"ngay": raw}
            )
            return None

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        self.day = self.requested_day()
        if self.day is not None:
            queryset = queryset.active_on(self.day)
        unit = queryset.latest_version(self.kwargs["code"])
        if unit is None:
            raise Http404(_("Không tìm thấy đơn vị."))
        return unit

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        today = timezone.localdate()
        context.update(
            today=today,
            day=self.day,
            status=validity_status(unit, today),
            population=vn_number(unit.population),
            area=vn_number(unit.area_km2, 2),
            # Other versions of the same code (old Chí Đạo 05323 and new Quyết Thắng 05323).
            other_versions=Commune.objects.visible_to(self.request.user)
            .filter(code=unit.code)
            .exclude(pk=unit.pk)
            .order_by(F("valid_from").asc(nulls_first=True)),
            centre=getattr(unit, "service_centre", None),
        )
        return context
