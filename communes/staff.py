"""Staff accounts: create or update a user together with its role and scope.

The one write path for staff accounts (the `create_staff` command calls it; an admin form or an
import may later). The role decides the scope the account must carry: clerks and leaders one
current commune, inspectors one province, department users one department of a province (named by
its short name, "Sở KH&CN", or its full name), admins nothing, mirroring the database check constraint
`staff_scope_matches_role`, but with a clear message and a stable code instead of an IntegrityError.
"""

from __future__ import annotations

from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .choices import COMMUNE_ROLES, Role
from .models import Commune, Merger, Province, StaffProfile
from .text import fold


def _unknown_role(role) -> ValidationError:
    return ValidationError(
        _("Vai trò «%(role)s» không hợp lệ. Chọn một trong: %(known)s."),
        code="unknown-role",
        params={"role": role, "known": ", ".join(Role.values)},
    )


def _current_commune(code: str) -> Commune:
    """The current unit carrying `code`; an ended or unknown code is refused with a hint."""
    unit = Commune.objects.current().select_related("province").filter(code=code).first()
    if unit is not None:
        return unit
    ended = Commune.objects.latest_version(code)
    if ended is None:
        raise ValidationError(
            _("Không có đơn vị cấp xã mã «%(code)s»."), code="unknown-commune", params={"code": code}
        )
    # A merged unit's staff now work for its successor: name it so the operator can fix the call.
    successors = (
        Merger.objects.filter(absorbed=ended, successor__valid_to__isnull=True)
        .select_related("successor")
        .order_by("successor__code")
    )
    hint = ", ".join(f"{m.successor.full_name} ({m.successor.code})" for m in successors)
    # Not current means valid_to is set: the unit's last valid day.
    params = {"name": ended.full_name, "code": code, "last_day": f"{ended.valid_to:%d/%m/%Y}", "hint": hint}
    if hint:
        message = _(
            "Đơn vị «%(name)s» mã «%(code)s» chỉ có hiệu lực đến hết ngày %(last_day)s; "
            "hãy chọn đơn vị kế thừa: %(hint)s."
        )
    else:
        message = _(
            "Đơn vị «%(name)s» mã «%(code)s» chỉ có hiệu lực đến hết ngày %(last_day)s; "
            "hãy chọn một đơn vị đang có hiệu lực."
        )
    raise ValidationError(message, code="unknown-commune", params=params)


def _current_province(code: str) -> Province:
    province = Province.objects.filter(code=code).first()
    if province is None:
        raise ValidationError(
            _("Không có tỉnh, thành phố mã «%(code)s»."), code="unknown-province", params={"code": code}
        )
    # Provinces were merged in 2025 too: an inspector of an ended province would see no live commune.
    if province.valid_to is not None:
        raise ValidationError(
            _("%(name)s (mã «%(code)s») đã hết hiệu lực; hãy chọn một tỉnh đang có hiệu lực."),
            code="unknown-province",
            params={"name": province.full_name, "code": code},
        )
    return province


def _department(province: Province, name: str):
    """The province's department called `name`: its short name or full name, exactly, else with
    case and diacritics ignored ("so kh&cn"); unknown or ambiguous names are refused."""
    from inspections.models import Department

    departments = list(Department.objects.filter(province=province).order_by("short_name"))
    wanted = " ".join(name.split())
    for matches in (
        [d for d in departments if wanted in (d.short_name, d.name)],
        [d for d in departments if fold(wanted) in (fold(d.short_name), fold(d.name))],
    ):
        if len(matches) == 1:
            return matches[0]
    known = ", ".join(d.short_name for d in departments) or "—"
    raise ValidationError(
        _("%(province)s không có sở, ngành «%(name)s». Các sở, ngành đã khai báo: %(known)s."),
        code="unknown-department",
        params={"province": province.full_name, "name": name, "known": known},
    )


class ResolvedScope(NamedTuple):
    """What a StaffProfile stores for a role: at most these three, as the role requires."""

    commune: Commune | None
    province: Province | None
    department: object | None  # inspections.models.Department


def resolve_scope(
    role: str,
    *,
    commune_code: str | None = None,
    province_code: str | None = None,
    department: str | None = None,
) -> ResolvedScope:
    """Check that the scope fits the role and return the (commune, province, department) to store.

    `department` is a department's short name ("Sở KH&CN") or full name within the province of
    `province_code`. Raises ValidationError (codes: unknown-role, scope-mismatch, unknown-commune,
    unknown-province, unknown-department). Reads only, so a caller may run it before asking for a
    password.
    """
    if role not in Role.values:
        raise _unknown_role(role)

    def mismatch(message):
        return ValidationError(message, code="scope-mismatch", params={"role": Role(role).label})

    if department and role != Role.DEPARTMENT:
        raise mismatch(_("Vai trò «%(role)s» không gắn với sở, ngành: bỏ tên sở, ngành."))
    if role in COMMUNE_ROLES:
        if province_code:
            raise mismatch(
                _("Vai trò «%(role)s» gắn với một xã, không gắn với tỉnh: chỉ nhập mã xã, bỏ mã tỉnh.")
            )
        if not commune_code:
            raise mismatch(_("Vai trò «%(role)s» cần mã xã (5 chữ số)."))
        return ResolvedScope(_current_commune(commune_code), None, None)
    if role in (Role.INSPECTOR, Role.DEPARTMENT):
        if commune_code:
            raise mismatch(
                _("Vai trò «%(role)s» gắn với một tỉnh, không gắn với xã: chỉ nhập mã tỉnh, bỏ mã xã.")
            )
        if not province_code:
            raise mismatch(_("Vai trò «%(role)s» cần mã tỉnh (2 chữ số)."))
        if role == Role.DEPARTMENT and not (department or "").strip():
            raise mismatch(_("Vai trò «%(role)s» cần tên sở, ngành, ví dụ «Sở KH&CN»."))
        province = _current_province(province_code)
        if role == Role.INSPECTOR:
            return ResolvedScope(None, province, None)
        return ResolvedScope(None, province, _department(province, department))
    if commune_code or province_code:
        raise mismatch(_("Vai trò «%(role)s» có quyền trên toàn hệ thống, không gắn với xã hay tỉnh nào."))
    return ResolvedScope(None, None, None)


def _check_username(username: str) -> None:
    user_model = get_user_model()
    max_length = user_model._meta.get_field(user_model.USERNAME_FIELD).max_length
    if not username or len(username) > max_length:
        raise ValidationError(
            _("Tên đăng nhập phải có từ 1 đến %(max)d ký tự."),
            code="invalid-username",
            params={"max": max_length},
        )
    try:
        user_model.username_validator(username)
    except ValidationError as exc:
        raise ValidationError(
            _("Tên đăng nhập chỉ gồm chữ cái, chữ số và các ký tự @ . + - _"), code="invalid-username"
        ) from exc


# Django 5.2's Vietnamese catalogue lags its validators' wording (too_short shows in English), so
# the messages of the built-in validators are given here by code; others keep Django's text.
_PASSWORD_MESSAGES = {
    "password_too_short": _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự."),
    "password_too_similar": _("Mật khẩu quá giống thông tin của tài khoản."),
    "password_too_common": _("Mật khẩu quá phổ biến, dễ bị đoán."),
    "password_entirely_numeric": _("Mật khẩu không được chỉ gồm chữ số."),
}


def _password_messages(exc: ValidationError) -> str:
    texts = []
    for error in exc.error_list:
        template = _PASSWORD_MESSAGES.get(error.code)
        if template is None:
            texts.extend(error.messages)
        else:
            texts.append(str(template) % (error.params or {}))
    return " ".join(texts)


def save_staff(
    username: str,
    role: str,
    *,
    commune_code: str | None = None,
    province_code: str | None = None,
    department: str | None = None,
    password: str | None = None,
    full_name: str | None = None,
):
    """Create or update a staff account and its role and scope; return (user, created).

    Everything is validated before anything is written, and written in one transaction, so an
    error leaves the database as it was. The password is set only when given (required for a new
    account) and must pass AUTH_PASSWORD_VALIDATORS. Admins get is_staff and is_superuser so the
    Django admin works for them; every other role loses both. `full_name=None` keeps the current
    name. `department` (department users only) is the department's short or full name within the
    province. Errors: ValidationError with code unknown-role, scope-mismatch, unknown-commune,
    unknown-province, unknown-department, password-required, invalid-password, invalid-username or
    invalid-full-name.
    """
    user_model = get_user_model()
    _check_username(username)
    scope = resolve_scope(role, commune_code=commune_code, province_code=province_code, department=department)
    first_name_field = user_model._meta.get_field("first_name")
    if full_name is not None and len(full_name.strip()) > first_name_field.max_length:
        raise ValidationError(
            _("Họ và tên dài quá %(max)d ký tự."),
            code="invalid-full-name",
            params={"max": first_name_field.max_length},
        )

    with transaction.atomic():
        user = user_model.objects.select_for_update().filter(**{user_model.USERNAME_FIELD: username}).first()
        created = user is None
        if created:
            if not password:
                raise ValidationError(_("Tài khoản mới cần mật khẩu."), code="password-required")
            user = user_model(**{user_model.USERNAME_FIELD: username})
        if full_name is not None:
            # Vietnamese names are written family name first; Django's get_full_name() puts
            # first_name first, so the whole name goes in first_name to keep it in order.
            user.first_name = full_name.strip()
            user.last_name = ""
        if password:
            try:
                validate_password(password, user=user)
            except ValidationError as exc:
                raise ValidationError(_password_messages(exc), code="invalid-password") from exc
            user.set_password(password)
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save()
        StaffProfile.objects.update_or_create(
            user=user,
            defaults={
                "role": role,
                "commune": scope.commune,
                "province": scope.province,
                "department": scope.department,
            },
        )
    return user, created
