"""Read side of the inspections app: `visible_to(user)` for every listable model, and the overdue rule.

Who sees what (the one definition; views, API and exports start from it):
- admin: everything;
- inspector: everything of its province (groups, visits, visited communes with their figures,
  findings, proposals, directives, progress notes);
- department user (cán bộ sở, ngành): the province's groups and visits with their communes,
  figures and findings (read only), the proposals addressed to its department, and the directives
  assigned to its department with their progress notes;
- clerk and leader: their own commune only (not the units it absorbed): the visits that went to
  it, its visited-commune entries (figures, findings, proposals), the directives assigned to it,
  and the working groups of its province. Another commune visited on the same day, its figures
  included, stays out of sight;
- departments are reference data that every signed-in account reads.
Anyone else (anonymous, no role) sees nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from communes.choices import COMMUNE_ROLES, Role
from communes.scope import scope_of

DONE = "done"  # DirectiveStatus.DONE, spelled out to keep this module free of model imports


def _scoped(qs, user, *, province: str, department: str | None = None, commune: str | None = None):
    """Filter `qs` by the rules above.

    province: lookup of the province id (inspectors; department users when `department` is None).
    department: lookup of the department id, for rows a department user sees only when they are
    its own. commune: lookup of the commune id, for rows a clerk or leader sees (None: none).
    """
    scope = scope_of(user)
    if scope.is_admin:
        return qs
    if scope.role == Role.INSPECTOR:
        return qs.filter(**{province: scope.province_id})
    if scope.role == Role.DEPARTMENT:
        if department is not None:
            return qs.filter(**{department: scope.department_id})
        return qs.filter(**{province: scope.province_id})
    if scope.role in COMMUNE_ROLES and commune is not None:
        return qs.filter(**{commune: scope.commune_id})
    return qs.none()


class DepartmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reference data: every signed-in account reads every department."""
        return self if user is not None and user.is_authenticated else self.none()


class WorkingGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _scoped(self, user, province="province_id", commune="province__communes__id")


class WorkingGroupMemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _scoped(self, user, province="group__province_id", commune="group__province__communes__id")


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A clerk sees a visit that went to its commune, but only its own commune's entry in it:
        list the communes of a visit through VisitedCommune.objects.visible_to(user)."""
        return _scoped(self, user, province="group__province_id", commune="visited_communes__commune_id")


class VisitedCommuneQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _scoped(self, user, province="visit__group__province_id", commune="commune_id")


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _scoped(
            self,
            user,
            province="visited_commune__visit__group__province_id",
            commune="visited_commune__commune_id",
        )


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _scoped(
            self,
            user,
            province="visited_commune__visit__group__province_id",
            department="department_id",
            commune="visited_commune__commune_id",
        )

    def pending(self):
        return self.filter(status="pending")


def overdue_q(today: dt.date | None = None) -> Q:
    """Not done and due before `today` (default: today's local date, Asia/Ho_Chi_Minh)."""
    today = today or timezone.localdate()
    return Q(due_date__lt=today) & ~Q(status=DONE)


class DirectiveQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _scoped(
            self,
            user,
            province="visit__group__province_id",
            department="department_id",
            commune="commune_id",
        )

    def open(self):
        """Not done yet (open or in progress)."""
        return self.exclude(status=DONE)

    def overdue(self, today: dt.date | None = None):
        return self.filter(overdue_q(today))

    def not_overdue(self, today: dt.date | None = None):
        return self.exclude(overdue_q(today))

    def with_is_overdue(self, today: dt.date | None = None):
        """Annotate `is_overdue_now` (a boolean the database computes, for filters and ordering)."""
        return self.annotate(
            is_overdue_now=Case(When(overdue_q(today), then=Value(True)), default=Value(False))
        )

    def overdue_first(self, today: dt.date | None = None):
        """The directive board's order: overdue first, then by due date."""
        return self.with_is_overdue(today).order_by("-is_overdue_now", "due_date", "pk")


class DirectiveProgressQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _scoped(
            self,
            user,
            province="directive__visit__group__province_id",
            department="directive__department_id",
            commune="directive__commune_id",
        )
