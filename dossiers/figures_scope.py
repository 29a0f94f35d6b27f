"""Which units a statistics request covers, narrowed by the one scope predicate."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from communes.models import Commune, Province
from communes.scope import province_units, scope_of, with_predecessors


@dataclass(frozen=True)
class Units:
    """The units to sum: `commune_ids` None means every unit (an admin's whole scope)."""

    commune_ids: frozenset[int] | None
    commune: Commune | None = None
    province: Province | None = None


def resolve_units(user, *, commune=None, province=None, include_predecessors=False) -> Units:
    """`commune` (a code: its latest version) or `province` (a code), else the user's whole scope.

    A unit or province outside the user's scope is a 404, as everywhere. With
    include_predecessors, a merged unit's figures include the units it absorbed.
    """
    scope = scope_of(user)
    if commune:
        unit = Commune.objects.select_related("province").latest_version(commune)
        if unit is None or not scope.covers(unit.pk):
            raise Http404(_("Không tìm thấy đơn vị."))
        ids = with_predecessors({unit.pk}) if include_predecessors else frozenset({unit.pk})
        return Units(ids, commune=unit, province=unit.province)
    if province:
        region = Province.objects.filter(code=province).first()
        if region is None:
            raise Http404(_("Không tìm thấy tỉnh."))
        ids = province_units(region.pk)
        # Province totals are for those whose scope is the whole province (its inspectors, admins).
        if scope.commune_ids is not None and not ids <= scope.commune_ids:
            raise Http404(_("Không tìm thấy tỉnh."))
        return Units(ids, province=region)
    return Units(scope.commune_ids)
