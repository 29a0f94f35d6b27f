"""Who sees what: the one definition of a staff account's scope.

A clerk or leader sees one commune, an inspector one province, an admin everything. A unit's
scope includes the units it absorbed (transitively), so the new Thượng Cốc's staff see the
dossiers Văn Sơn received before the merger, and Phú Thọ's inspectors those of old Hòa Bình.
Every `visible_to(user)` of a scoped model filters through `scope_q`.

A department user (cán bộ sở, ngành) sees no dossier at all: its dossier scope is empty. What it
reads of the inspections (its department's proposals and directives, the province's visits) is
decided by inspections.querysets from `department_id` and `province_id`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.db.models import Q

from .choices import COMMUNE_ROLES, Role
from .generation import cached

_CACHE_ATTR = "_portal_scope"


@dataclass(frozen=True)
class Scope:
    role: str | None
    commune_id: int | None = None
    province_id: int | None = None
    department_id: int | None = None
    # Ids of every unit in scope; None means unrestricted (admin).
    commune_ids: frozenset[int] | None = frozenset()

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_staff_member(self) -> bool:
        return self.role is not None

    @property
    def can_change_dossiers(self) -> bool:
        """Inspectors only read; clerks, leaders and admins act on dossiers."""
        return self.role in (Role.CLERK, Role.LEADER, Role.ADMIN)

    def covers(self, commune_id: int | None) -> bool:
        return self.commune_ids is None or commune_id in self.commune_ids


NO_SCOPE = Scope(role=None)


def with_predecessors(seed_ids: set[int]) -> frozenset[int]:
    """The given units and everything they absorbed, however many mergers back."""
    from .models import Merger

    found = set(seed_ids)
    frontier = set(seed_ids)
    while frontier:
        frontier = (
            set(Merger.objects.filter(successor_id__in=frontier).values_list("absorbed_id", flat=True))
            - found
        )
        found |= frontier
    return frozenset(found)


def compute_scope(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    from .models import StaffProfile

    profile = StaffProfile.objects.filter(user=user).first()
    if profile is None:
        # A Django superuser made with createsuperuser has no profile: treat as admin.
        return Scope(role=Role.ADMIN, commune_ids=None) if user.is_superuser else NO_SCOPE
    if profile.role == Role.ADMIN:
        return Scope(role=Role.ADMIN, commune_ids=None)
    if profile.role in COMMUNE_ROLES:
        return Scope(
            role=profile.role,
            commune_id=profile.commune_id,
            province_id=None,
            commune_ids=cached(
                ("commune-scope", profile.commune_id), lambda: with_predecessors({profile.commune_id})
            ),
        )
    if profile.role == Role.DEPARTMENT:
        # No dossier, no personal data: the empty set, so every scope_q filter matches no row.
        return Scope(
            role=profile.role,
            province_id=profile.province_id,
            department_id=profile.department_id,
            commune_ids=frozenset(),
        )
    return Scope(
        role=profile.role,
        province_id=profile.province_id,
        commune_ids=province_units(profile.province_id),
    )


def province_units(province_id: int) -> frozenset[int]:
    """Every unit of the province, ended ones included, and everything they absorbed (cached
    until the units change: communes.generation)."""
    from .models import Commune

    def compute():
        ids = Commune.objects.filter(province_id=province_id).values_list("id", flat=True)
        return with_predecessors(set(ids))

    return cached(("province-scope", province_id), compute)


def scope_of(user) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    if user is None:
        return NO_SCOPE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = compute_scope(user)
        # AnonymousUser and similar stand-ins may refuse new attributes.
        with contextlib.suppress(AttributeError):
            setattr(user, _CACHE_ATTR, cached)
    return cached


def scope_q(user, commune_field: str = "commune") -> Q:
    """A filter keeping the rows whose `commune_field` is in the user's scope.

    Unrestricted -> Q() (everything); nothing in scope -> a filter matching no row.
    """
    scope = scope_of(user)
    if scope.commune_ids is None:
        return Q()
    if not scope.commune_ids:
        return Q(pk__in=[])
    # __any_of (portal/lookups.py): a province's ~600 ids as one array parameter, not 600; as
    # a set, which Django's lookup resolution leaves alone (a list it walks item by item).
    return Q(**{f"{commune_field}__any_of": scope.commune_ids})
