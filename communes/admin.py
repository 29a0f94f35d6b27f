"""Admin pages: an administrator edits units (they keep changing) and the working calendar."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, Commune, Merger, Province, ServiceCentre, StaffProfile


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "full_name", "valid_from", "valid_to")
    search_fields = ("code", "name")


class AbsorbedInline(admin.TabularInline):
    model = Merger
    fk_name = "successor"
    autocomplete_fields = ("absorbed",)
    extra = 0
    verbose_name = _("đơn vị được sáp nhập vào đơn vị này")
    verbose_name_plural = _("được sắp xếp, sáp nhập từ")


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("code", "full_name", "province", "valid_from", "valid_to")
    list_filter = ("kind", "province")
    search_fields = ("code", "search_text")
    inlines = [AbsorbedInline]

    def get_search_results(self, request, queryset, search_term):
        # Diacritic-insensitive like the rest of the portal.
        return queryset.search(search_term), False


@admin.register(Merger)
class MergerAdmin(admin.ModelAdmin):
    list_display = ("absorbed", "successor", "share", "effective_date", "legal_basis")
    list_select_related = ("absorbed", "successor")
    autocomplete_fields = ("absorbed", "successor")
    list_filter = ("effective_date", "share")


@admin.register(ServiceCentre)
class ServiceCentreAdmin(admin.ModelAdmin):
    list_display = ("agency_code", "name", "commune", "phone")
    list_select_related = ("commune",)
    autocomplete_fields = ("commune",)
    search_fields = ("agency_code", "name")


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "commune", "province", "department")
    list_select_related = ("user", "commune", "province", "department")
    list_filter = ("role",)
    autocomplete_fields = ("user", "commune", "province", "department")
    search_fields = ("user__username",)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Add a day off or a make-up working Saturday the `holidays` package does not know yet."""

    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind", "source")
    date_hierarchy = "date"
    search_fields = ("name",)

    def save_model(self, request, obj, form, change):
        # An administrator's edit must survive a later reload from the package.
        obj.source = "admin"
        super().save_model(request, obj, form, change)
