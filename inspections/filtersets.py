"""Filters of the inspections' lists, shared by the HTML pages and the REST API.

Labels are what users read on the list pages (Vietnamese); help texts are what an API integrator
reads in the OpenAPI schema (English). Choices of related rows (groups) are narrowed by the same
`visible_to(user)` predicate as the lists themselves.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import DirectiveStatus, ProposalStatus
from .models import Department, Directive, Proposal, Visit, WorkingGroup


def _user(request):
    return getattr(request, "user", None)


def _departments(request):
    return Department.objects.visible_to(_user(request)).select_related("province")


def _groups(request):
    return WorkingGroup.objects.visible_to(_user(request))


class DepartmentFilterSet(django_filters.FilterSet):
    """Departments (sở, ngành) of a province."""

    province = django_filters.CharFilter(
        field_name="province__code",
        label=_("Tỉnh, thành phố"),
        help_text="Province code (2 digits), e.g. 25.",
    )

    class Meta:
        model = Department
        fields = ["province"]


class WorkingGroupFilterSet(django_filters.FilterSet):
    """Working groups (tổ công tác) of a province."""

    province = django_filters.CharFilter(
        field_name="province__code",
        label=_("Tỉnh, thành phố"),
        help_text="Province code (2 digits), e.g. 25.",
    )

    class Meta:
        model = WorkingGroup
        fields = ["province"]


class VisitFilterSet(django_filters.FilterSet):
    """Visits by working group, commune visited and date."""

    group = django_filters.ModelChoiceFilter(
        queryset=_groups, label=_("Tổ công tác"), help_text="Working group id."
    )
    commune = django_filters.CharFilter(
        field_name="visited_communes__commune__code",
        label=_("Mã xã"),
        help_text="5-digit code of a commune visited.",
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("Từ ngày"), help_text="Visited on or after this day."
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("Đến ngày"), help_text="Visited on or before this day."
    )

    class Meta:
        model = Visit
        fields = ["group", "commune", "date_from", "date_to"]


class ProposalFilterSet(django_filters.FilterSet):
    """Proposals (kiến nghị, đề xuất) by addressed department, status, commune and visit."""

    department = django_filters.ModelChoiceFilter(
        queryset=_departments, label=_("Sở, ngành"), help_text="Id of the department addressed."
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ProposalStatus.choices,
        label=_("Trạng thái"),
        help_text="pending, accepted or answered; repeat the parameter for several.",
    )
    commune = django_filters.CharFilter(
        field_name="visited_commune__commune__code",
        label=_("Mã xã"),
        help_text="5-digit code of the commune that made the proposal.",
    )
    visit = django_filters.NumberFilter(
        field_name="visited_commune__visit_id",
        label=pgettext_lazy("one item", "Buổi kiểm tra"),
        help_text="Visit id.",
    )

    class Meta:
        model = Proposal
        fields = ["department", "status", "commune", "visit"]


class DirectiveFilterSet(django_filters.FilterSet):
    """The directive board's filters (nhiệm vụ được giao); the board orders overdue first."""

    department = django_filters.ModelChoiceFilter(
        queryset=_departments, label=_("Sở, ngành"), help_text="Id of the assigned department."
    )
    commune = django_filters.CharFilter(
        field_name="commune__code", label=_("Mã xã"), help_text="5-digit code of the assigned commune."
    )
    status = django_filters.MultipleChoiceFilter(
        choices=DirectiveStatus.choices,
        label=_("Trạng thái"),
        help_text="open, in_progress or done; repeat the parameter for several.",
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Quá hạn"),
        help_text="true: past due and not done (today's local date); false: the others.",
    )
    due_before = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label=_("Hạn đến ngày"),
        help_text="Due on or before this day (YYYY-MM-DD, inclusive).",
    )
    group = django_filters.ModelChoiceFilter(
        field_name="visit__group", queryset=_groups, label=_("Tổ công tác"), help_text="Working group id."
    )

    class Meta:
        model = Directive
        fields = ["department", "commune", "status", "overdue", "due_before", "group"]

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset.not_overdue()
