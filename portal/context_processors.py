"""Template context shared by every page: the signed-in user's scope and role-based navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communes.choices import COMMUNE_ROLES, Role
from communes.generation import cached
from communes.models import Commune, Province
from communes.scope import scope_of


def _inspection_links(scope):
    """The inspections' entries: visits and directives for inspectors, directives and proposals
    for department users, their own commune's inspections for clerks and leaders."""
    if scope.role == Role.INSPECTOR or scope.is_admin:
        return [(_("Kiểm tra"), reverse("visit-list")), (_("Nhiệm vụ"), reverse("directive-board"))]
    if scope.role == Role.DEPARTMENT:
        return [(_("Nhiệm vụ"), reverse("directive-board")), (_("Kiến nghị"), reverse("proposal-list"))]
    if scope.role in COMMUNE_ROLES:
        return [(_("Kiểm tra của xã"), reverse("inspection-commune-own"))]
    return []


def _code(model, pk) -> str:
    return model.objects.values_list("code", flat=True).get(pk=pk)


def _role_links(user, scope):
    """The entries a role needs first: intake and the worklist, then its own unit or province."""
    links = []
    if scope.role == Role.INSPECTOR or scope.is_admin:
        links.append((_("Bảng điều khiển"), reverse("province-dashboard")))
    elif scope.role in COMMUNE_ROLES:
        links.append((_("Bảng điều khiển"), reverse("commune-dashboard-own")))
    if scope.can_change_dossiers and scope.role in COMMUNE_ROLES:
        links.append((_("Tiếp nhận hồ sơ"), reverse("dossier-create")))
        links.append((_("Lượt giao dịch"), reverse("walk-in-visits")))
    if scope.role != Role.DEPARTMENT:
        # A department user has no dossier in scope: no worklist in its menu.
        links.append((_("Hồ sơ"), reverse("dossier-list")))
    links.extend(_inspection_links(scope))
    # The codes come from the cache (communes.generation): the menu costs no query of its own.
    if scope.role in COMMUNE_ROLES:
        code = cached(
            ("commune-code", scope.commune_id), lambda: Commune.objects.get(pk=scope.commune_id).code
        )
        links.append((_("Xã của tôi"), reverse("commune-detail", args=[code])))
    elif scope.role == Role.INSPECTOR:
        code = cached(
            ("province-code", scope.province_id), lambda: Province.objects.get(pk=scope.province_id).code
        )
        links.append((_("Các xã trong tỉnh"), f"{reverse('commune-list')}?province={code}"))
    links.append((_("Thủ tục"), reverse("procedure-list")))
    return links


def navigation(request):
    user = getattr(request, "user", None)
    scope = scope_of(user)
    if not scope.is_staff_member:
        return {"scope": scope, "role_links": []}
    # Lazy: pages that never render the navigation (API, redirects) pay no query for it.
    return {"scope": scope, "role_links": lambda: _role_links(user, scope)}
