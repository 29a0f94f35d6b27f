"""Access mixins for HTML views, built on the one scope predicate (communes.scope).

Anonymous visitors are sent to the login page; a signed-in account that lacks the needed role
gets the 403 page (templates/403.html) with the reason. Which rows a view shows is still decided
by its queryset's `visible_to(user)`, so an out-of-scope object is a 404, not a 403.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from communes.scope import Scope, scope_of


class StaffRequiredMixin(LoginRequiredMixin):
    """Signed in and holding a staff role; otherwise login redirect (anonymous) or 403."""

    permission_denied_message = _(
        "Tài khoản của bạn chưa được gán vai trò cán bộ. Vui lòng liên hệ quản trị viên."
    )

    def scope_allows(self, scope: Scope) -> bool:
        return scope.is_staff_member

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.scope_allows(scope_of(request.user)):
            # For a signed-in user LoginRequiredMixin raises PermissionDenied with our message.
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class RoleRequiredMixin(StaffRequiredMixin):
    """Only the roles in `allowed_roles` (e.g. `{Role.CLERK, Role.LEADER}`) may open the view."""

    allowed_roles: frozenset[str] | set[str] | tuple[str, ...] = ()
    permission_denied_message = _("Vai trò của bạn không được dùng chức năng này.")

    def scope_allows(self, scope: Scope) -> bool:
        if not self.allowed_roles:
            raise ImproperlyConfigured(f"{type(self).__name__} must set allowed_roles.")
        return scope.is_staff_member and scope.role in self.allowed_roles

    def get_permission_denied_message(self):
        if not scope_of(self.request.user).is_staff_member:
            return StaffRequiredMixin.permission_denied_message
        return super().get_permission_denied_message()
