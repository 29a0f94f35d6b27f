"""API permissions built on the one scope predicate (communes.scope).

They answer "may this account use this endpoint at all / write here"; which rows it sees is
still decided by each queryset's `visible_to(user)`, so out-of-scope objects stay 404.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from communes.scope import scope_of


class IsStaffMember(BasePermission):
    """Signed in and holding a staff role (clerk, leader, inspector or admin)."""

    message = _("Tài khoản chưa được gán vai trò cán bộ. Vui lòng liên hệ quản trị viên.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and scope_of(user).is_staff_member)


class CanChangeDossiers(IsStaffMember):
    """Any staff member may read; only roles that act on dossiers (not inspectors) may write."""

    message = _("Vai trò của bạn chỉ được xem, không được thay đổi hồ sơ.")

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            # An account without a role gets that explanation, not the read-only one. Safe to set:
            # DRF builds new permission instances for every request.
            self.message = IsStaffMember.message
            return False
        return request.method in SAFE_METHODS or scope_of(request.user).can_change_dossiers
