"""Template context shared by every page: the signed-in user's scope and role-based navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communes.choices import COMMUNE_ROLES, Role
from communes.models import StaffProfile
from communes.scope import scope_of


def _role_links(user, scope):
    """The entries a role needs first: a commune's own page, or the province's communes."""
    if scope.role in COMMUNE_ROLES or scope.role == Role.INSPECTOR:
        profile = StaffProfile.objects.select_related("commune", "province").get(user=user)
        if profile.commune is not None:
            return [(_("Xã của tôi"), reverse("commune-detail", args=[profile.commune.code]))]
        return [(_("Các xã trong tỉnh"), f"{reverse('commune-list')}?province={profile.province.code}")]
    return []


def navigation(request):
    user = getattr(request, "user", None)
    scope = scope_of(user)
    if not scope.is_staff_member:
        return {"scope": scope, "role_links": []}
    # Lazy: pages that never render the navigation (API, redirects) pay no query for it.
    return {"scope": scope, "role_links": lambda: _role_links(user, scope)}
