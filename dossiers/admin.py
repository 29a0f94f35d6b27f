"""Admin pages: administrators edit the procedure catalogue; dossiers are shown, never edited.

A dossier's status, dates and events change only through dossiers.services (DOMAIN.md §3), so the
dossier pages here are read-only: no add, change or delete, events included.
"""

from django.contrib import admin

from .models import Dossier, DossierEvent, Procedure


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "field", "processing_days", "fee", "online_level", "is_active")
    list_filter = ("field", "online_level", "is_active")
    search_fields = ("code", "search_text")
    ordering = ("field", "code")
    fields = ("code", "name", "field", "processing_days", "fee", "fee_note", "online_level", "is_active")

    def get_search_results(self, request, queryset, search_term):
        # Diacritic-insensitive like the rest of the portal.
        return queryset.search(search_term), False

    def get_readonly_fields(self, request, obj=None):
        # The national code identifies the procedure in files, imports and the API: never renamed.
        return ("code",) if obj is not None else ()


class DossierEventInline(admin.TabularInline):
    model = DossierEvent
    fields = ("seq", "from_status", "to_status", "at", "actor", "note", "due_at", "recorded_at")
    readonly_fields = fields
    ordering = ("seq",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "commune",
        "procedure",
        "channel",
        "status",
        "received_at",
        "due_at",
        "timeliness",
    )
    list_filter = ("status", "channel", "timeliness")
    list_select_related = ("commune", "procedure")
    search_fields = ("search_text",)
    date_hierarchy = "received_at"
    inlines = [DossierEventInline]

    def get_queryset(self, request):
        # The admin site is for administrators, but the one scope predicate still applies.
        return super().get_queryset(request).visible_to(request.user)

    def get_search_results(self, request, queryset, search_term):
        return queryset.search(search_term), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
