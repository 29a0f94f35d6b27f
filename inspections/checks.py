"""The checks the inspections' services share: who may act, and what input is acceptable.

Each check reads only and raises: InspectionError (a Vietnamese message and a stable code from
inspections.errors) for bad input, PermissionDenied for an actor outside its role or province.
`user=None` is the system itself (demo data, imports) and passes every role check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from communes.choices import COMMUNE_ROLES, Role
from communes.models import Commune, Province
from communes.querysets import active_on_q
from communes.scope import scope_of
from dossiers.periods import MAX_DAYS

from . import errors
from .choices import FindingCategory
from .errors import InspectionError
from .models import Department, Directive, Visit

Period = tuple[dt.date, dt.date]


def day_text(value: dt.date) -> str:
    return f"{value:%d/%m/%Y}"


def require_inspector(user, province_id: int) -> None:
    """Inspectors of the province and admins (and the system, user=None)."""
    if user is None:
        return
    scope = scope_of(user)
    if scope.is_admin or (scope.role == Role.INSPECTOR and scope.province_id == province_id):
        return
    raise PermissionDenied(
        _("Chỉ thành viên tổ công tác của tỉnh hoặc quản trị viên được thực hiện thao tác này.")
    )


def is_inspector_of(user, province_id: int) -> bool:
    try:
        require_inspector(user, province_id)
    except PermissionDenied:
        return False
    return True


def required_text(value, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InspectionError(message, errors.TEXT_REQUIRED)
    return text


def finding_category(category: str) -> str:
    """The category, if it is one of DOMAIN.md §6's."""
    if category not in FindingCategory.values:
        raise InspectionError(
            _("Nhóm khó khăn, vướng mắc «%(category)s» không hợp lệ.") % {"category": category},
            errors.INVALID_CATEGORY,
        )
    return category


def finding_text(value) -> str:
    return required_text(value, _("Cần nhập nội dung khó khăn, vướng mắc."))


def proposal_text(value) -> str:
    return required_text(value, _("Cần nhập nội dung kiến nghị, đề xuất."))


def resolve_commune(item: Commune | str, day: dt.date) -> Commune:
    """A Commune as given, or the version of a 5-digit code valid on `day` (else its latest one,
    which the activity check then refuses with the dates it existed)."""
    if isinstance(item, Commune):
        return item
    code = str(item).strip()
    unit = Commune.objects.filter(active_on_q(day), code=code).first() or Commune.objects.latest_version(code)
    if unit is None:
        raise InspectionError(
            _("Không có đơn vị cấp xã mã «%(code)s».") % {"code": code}, errors.UNKNOWN_COMMUNE
        )
    return unit


def check_commune(commune: Commune, province: Province, day: dt.date, group_name: str) -> None:
    """The unit belongs to the group's province and existed on `day`."""
    if commune.province_id != province.pk:
        raise InspectionError(
            _("%(unit)s (mã %(code)s) không thuộc %(province)s, địa bàn của %(group)s.")
            % {
                "unit": commune.full_name,
                "code": commune.code,
                "province": province.full_name,
                "group": group_name,
            },
            errors.OUTSIDE_PROVINCE,
        )
    params = {"unit": commune.full_name, "code": commune.code, "day": day_text(day)}
    if commune.valid_from is not None and day < commune.valid_from:
        raise InspectionError(
            _("%(unit)s (mã %(code)s) chỉ có hiệu lực từ ngày %(start)s: không tồn tại vào ngày %(day)s.")
            % {**params, "start": day_text(commune.valid_from)},
            errors.COMMUNE_INACTIVE,
        )
    if commune.valid_to is not None and day > commune.valid_to:
        raise InspectionError(
            _(
                "%(unit)s (mã %(code)s) đã kết thúc hoạt động ngày %(end)s (đã sắp xếp, sáp nhập): "
                "không tồn tại vào ngày %(day)s."
            )
            % {**params, "end": day_text(commune.valid_to)},
            errors.COMMUNE_INACTIVE,
        )


def check_department(department: Department, province_id: int) -> None:
    if department.province_id != province_id:
        raise InspectionError(
            _("%(department)s không thuộc tỉnh của tổ công tác.") % {"department": department.name},
            errors.OUTSIDE_PROVINCE,
        )


def as_period(period) -> Period:
    """(first, last), or anything with .first and .last (dossiers.periods.Period)."""
    if hasattr(period, "first") and hasattr(period, "last"):
        return period.first, period.last
    first, last = period
    return first, last


def check_period(commune: Commune, period, visit_date: dt.date) -> Period:
    first, last = as_period(period)
    params = {
        "unit": commune.full_name,
        "first": day_text(first),
        "last": day_text(last),
        "day": day_text(visit_date),
    }
    if first > last:
        raise InspectionError(
            _("Kỳ số liệu của %(unit)s không hợp lệ: ngày bắt đầu %(first)s sau ngày kết thúc %(last)s.")
            % params,
            errors.INVALID_PERIOD,
        )
    if last >= visit_date:
        raise InspectionError(
            _(
                "Kỳ số liệu của %(unit)s phải kết thúc trước ngày kiểm tra %(day)s "
                "(đang chọn đến ngày %(last)s)."
            )
            % params,
            errors.PERIOD_NOT_BEFORE_VISIT,
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise InspectionError(_("Kỳ số liệu của %(unit)s dài quá 3 năm.") % params, errors.INVALID_PERIOD)
    return first, last


def periods_by_commune(periods: Mapping | None, communes: list[Commune]) -> dict[int, Period]:
    """`periods` keyed by Commune, id or code, re-keyed by the visited communes' ids."""
    by_key = {}
    for commune in communes:
        by_key[commune.pk] = by_key[commune.code] = commune
    chosen = {}
    for key, period in (periods or {}).items():
        lookup = key.pk if isinstance(key, Commune) else key
        commune = by_key.get(lookup)
        if commune is None:
            name = key.full_name if isinstance(key, Commune) else str(key)
            raise InspectionError(
                _("Kỳ số liệu được nhập cho %(unit)s, đơn vị không có trong buổi kiểm tra.") % {"unit": name},
                errors.PERIOD_FOR_UNKNOWN_COMMUNE,
            )
        chosen[commune.pk] = as_period(period)
    return chosen


def check_due(due_date: dt.date, visit: Visit) -> None:
    if due_date < visit.date:
        raise InspectionError(
            _("Hạn hoàn thành %(due)s trước ngày kiểm tra %(day)s: hạn phải từ ngày kiểm tra trở đi.")
            % {"due": day_text(due_date), "day": day_text(visit.date)},
            errors.DUE_BEFORE_VISIT,
        )


def may_report_on(user, directive: Directive) -> bool:
    """The province's inspectors, admins, and the assignee's own staff."""
    if is_inspector_of(user, directive.visit.group.province_id):
        return True
    scope = scope_of(user)
    if scope.role == Role.DEPARTMENT:
        return directive.department_id is not None and scope.department_id == directive.department_id
    if scope.role in COMMUNE_ROLES:
        return directive.commune_id is not None and scope.commune_id == directive.commune_id
    return False
