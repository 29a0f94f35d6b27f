"""What the inspections' pages share: who may edit, fetching a row in scope, the figures table."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from communes.choices import COMMUNE_ROLES, Role
from communes.scope import scope_of
from portal.formatting import vn_number, vn_percent

from .. import checks
from ..models import Department, Directive, Visit

#: Record visits, add findings, proposals, conclusions and directives (the service checks the province).
EDITOR_ROLES = frozenset({Role.INSPECTOR, Role.ADMIN})
#: Every staff role reads the inspections in its scope; department users have no commune page.
COMMUNE_PAGE_ROLES = frozenset({*COMMUNE_ROLES, Role.INSPECTOR, Role.ADMIN})
#: The proposals list: the departments they are addressed to, and the province's inspectors.
PROPOSAL_ROLES = frozenset({Role.DEPARTMENT, Role.INSPECTOR, Role.ADMIN})

#: The frozen figures of a visited commune, in the order of the report; the keys are those of
#: dossiers.figures_read.SUMMARY_FIGURES. (key, label, indented, is a rate)
FIGURE_ROWS = (
    ("carried_over", _("Kỳ trước chuyển qua"), False, False),
    ("received_total", _("Tổng số hồ sơ tiếp nhận"), False, False),
    ("received_online", _("Trực tuyến"), True, False),
    ("received_direct", _("Trực tiếp"), True, False),
    ("received_postal", _("Qua bưu chính công ích"), True, False),
    ("online_rate", _("Tỷ lệ hồ sơ trực tuyến"), False, True),
    ("resolved_total", _("Đã giải quyết"), False, False),
    ("resolved_early", _("Giải quyết trước hạn"), True, False),
    ("resolved_on_time", _("Giải quyết đúng hạn"), True, False),
    ("resolved_late", _("Giải quyết quá hạn"), True, False),
    ("on_time_rate", _("Tỷ lệ giải quyết đúng hạn"), False, True),
    ("pending_total", _("Đang giải quyết"), False, False),
    ("pending_in_time", _("Đang giải quyết trong hạn"), True, False),
    ("pending_overdue", _("Đang giải quyết quá hạn"), True, False),
    ("visits", _("Lượt người dân đến giao dịch"), False, False),
)


def figure_rows(snapshot: dict) -> list[dict]:
    """The snapshot as table rows, numbers the Vietnamese way (3.000; 58,72%)."""
    rows = []
    for key, label, indented, is_rate in FIGURE_ROWS:
        value = (snapshot or {}).get(key)
        shown = vn_percent(value) if is_rate else (vn_number(value) if value is not None else "–")
        rows.append({"key": key, "label": label, "value": shown, "indented": indented, "rate": is_rate})
    return rows


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def get_visit(user, pk: int) -> Visit:
    """The visit among those the user may see; 404 otherwise."""
    return get_object_or_404(
        Visit.objects.visible_to(user).select_related("group__province", "created_by"), pk=pk
    )


def get_directive(user, pk: int) -> Directive:
    return get_object_or_404(
        Directive.objects.visible_to(user)
        .with_is_overdue()
        .select_related("visit__group__province", "department", "commune", "visited_commune__commune"),
        pk=pk,
    )


def may_edit_visit(user, visit: Visit) -> bool:
    """Inspectors of the visit's province and admins: the services' own rule (checks.require_inspector)."""
    return checks.is_inspector_of(user, visit.group.province_id)


def province_departments(user, province_id: int | None = None):
    """The departments a form or a filter offers: the given province's, else the user's own
    province's (all of them for an admin)."""
    departments = Department.objects.visible_to(user).select_related("province")
    if province_id is None:
        province_id = scope_of(user).province_id
    if province_id is not None:
        departments = departments.filter(province_id=province_id)
    return departments.order_by("province__code", "name")
