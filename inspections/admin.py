"""Admin pages: administrators edit departments and working groups; visits are shown, not rewritten.

Visits, their frozen figures, proposals' answers and directives' statuses change only through
inspections.services, so those pages are read-only apart from plain texts. The departments and
working groups are reference data an administrator keeps up to date here.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Department,
    Directive,
    DirectiveProgress,
    Finding,
    Proposal,
    Visit,
    VisitedCommune,
    WorkingGroup,
    WorkingGroupMember,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "province")
    list_filter = ("province",)
    list_select_related = ("province",)
    search_fields = ("name", "short_name")
    autocomplete_fields = ("province",)


class WorkingGroupMemberInline(admin.TabularInline):
    model = WorkingGroupMember
    extra = 0
    autocomplete_fields = ("department",)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "number", "province", "leader_name", "leader_title")
    list_filter = ("province",)
    list_select_related = ("province",)
    search_fields = ("name", "leader_name")
    autocomplete_fields = ("province",)
    inlines = [WorkingGroupMemberInline]


class VisitedCommuneInline(ReadOnlyInline):
    model = VisitedCommune
    fields = ("commune", "period_from", "period_to", "snapshot_taken_at", "conclusion")
    readonly_fields = fields
    show_change_link = True


class DirectiveInline(ReadOnlyInline):
    model = Directive
    fields = ("text", "department", "commune", "due_date", "status", "completed_at")
    readonly_fields = fields
    show_change_link = True


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    """Visits are recorded by inspections.services.record_visit (it freezes the figures): no add here."""

    list_display = ("date", "group", "created_by", "created_at")
    list_filter = ("group__province", "group")
    list_select_related = ("group", "created_by")
    date_hierarchy = "date"
    fields = ("group", "date", "participants", "conclusion", "created_by", "created_at", "updated_at")
    readonly_fields = ("group", "date", "created_by", "created_at", "updated_at")
    inlines = [VisitedCommuneInline, DirectiveInline]

    def has_add_permission(self, request):
        return False


class FindingInline(admin.TabularInline):
    model = Finding
    fields = ("category", "text")
    extra = 0


class ProposalInline(ReadOnlyInline):
    model = Proposal
    fields = ("text", "department", "status", "answer", "answered_by", "answered_at")
    readonly_fields = fields


@admin.register(VisitedCommune)
class VisitedCommuneAdmin(admin.ModelAdmin):
    """The snapshot is stored data: shown, never edited (the period changes through the service)."""

    list_display = ("commune", "visit", "period_from", "period_to", "snapshot_taken_at")
    list_select_related = ("commune", "visit__group")
    list_filter = ("visit__group",)
    fields = ("visit", "commune", "period_from", "period_to", "snapshot", "snapshot_taken_at", "conclusion")
    readonly_fields = ("visit", "commune", "period_from", "period_to", "snapshot", "snapshot_taken_at")
    inlines = [FindingInline, ProposalInline]

    def has_add_permission(self, request):
        return False


class DirectiveProgressInline(ReadOnlyInline):
    model = DirectiveProgress
    fields = ("date", "author", "note", "status", "created_at")
    readonly_fields = fields
    verbose_name_plural = _("tiến độ thực hiện")


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    """Directives are assigned by inspections.services.create_directive; status moves by progress notes."""

    list_display = ("text", "department", "commune", "due_date", "status", "visit")
    list_filter = ("status", "department", "visit__group")
    list_select_related = ("department", "commune", "visit__group")
    date_hierarchy = "due_date"
    search_fields = ("text",)
    fields = (
        "visit",
        "visited_commune",
        "text",
        "department",
        "commune",
        "due_date",
        "status",
        "completed_at",
        "created_by",
        "created_at",
    )
    readonly_fields = (
        "visit",
        "visited_commune",
        "department",
        "commune",
        "due_date",
        "status",
        "completed_at",
        "created_by",
        "created_at",
    )
    inlines = [DirectiveProgressInline]

    def has_add_permission(self, request):
        return False
