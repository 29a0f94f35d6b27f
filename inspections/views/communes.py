"""A commune's inspections (/kiem-tra/xa/<code>/): the visits that went to it and its open directives.

Clerks and leaders open their own commune (/kiem-tra/xa/ leads there), inspectors any commune of
their province, admins any; another commune is a 404. The rows come from `visible_to(user)`, so
a clerk lists the directives assigned to its commune, and an inspector also those given to a
department after a visit to this commune.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from communes.choices import COMMUNE_ROLES
from communes.models import Commune
from communes.scope import scope_of
from portal.formatting import vn_number, vn_percent
from portal.mixins import RoleRequiredMixin

from ..models import Directive, VisitedCommune
from .common import COMMUNE_PAGE_ROLES


def commune_in_scope(user, code: str) -> Commune:
    """The newest unit carrying `code`, if the user's inspections scope covers it; else 404."""
    scope = scope_of(user)
    units = Commune.objects.select_related("province")
    if scope.role in COMMUNE_ROLES:
        units = units.filter(pk=scope.commune_id)
    elif not scope.is_admin:
        units = units.filter(province_id=scope.province_id)
    unit = units.latest_version(code)
    if unit is None:
        raise Http404(_("Không tìm thấy xã."))
    return unit


class CommuneInspectionsView(RoleRequiredMixin, TemplateView):
    allowed_roles = COMMUNE_PAGE_ROLES
    template_name = "inspections/commune_inspections.html"

    def get(self, request, *args, code=None, **kwargs):
        if code is None:
            scope = scope_of(request.user)
            if scope.role not in COMMUNE_ROLES:
                return redirect("visit-list")
            code = Commune.objects.only("code").get(pk=scope.commune_id).code
        self.unit = commune_in_scope(request.user, code)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, unit = self.request.user, self.unit
        entries = list(
            VisitedCommune.objects.visible_to(user)
            .filter(commune=unit)
            .select_related("visit__group")
            .order_by("-visit__date", "-pk")
        )
        for entry in entries:
            snapshot = entry.snapshot or {}
            entry.received = vn_number(snapshot.get("received_total"))
            entry.online_rate = vn_percent(snapshot.get("online_rate"))
            entry.on_time_rate = vn_percent(snapshot.get("on_time_rate"))
        directives = list(
            Directive.objects.visible_to(user)
            .open()
            .filter(Q(commune=unit) | Q(visited_commune__commune=unit))
            .select_related("visit__group", "department", "commune", "visited_commune__commune")
            .overdue_first()
        )
        context.update(
            unit=unit,
            entries=entries,
            directives=directives,
            overdue_count=sum(1 for d in directives if d.is_overdue_now),
            is_own=scope_of(user).commune_id == unit.pk,
        )
        return context
