from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """Kinds of commune-level unit. "thi_tran" existed only before 1 July 2025."""

    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    DAC_KHU = "dac_khu", _("Đặc khu")
    THI_TRAN = "thi_tran", _("Thị trấn")


class MergerShare(models.TextChoices):
    """How much of the absorbed unit went to the successor."""

    WHOLE = "whole", _("Toàn bộ")
    PART = "part", _("Một phần")
    REMAINDER = "remainder", _("Phần còn lại")


class Role(models.TextChoices):
    """A staff account's role. A department user (cán bộ sở, ngành) works for one provincial
    department: it sees no dossier, only the inspections' proposals and directives addressed to it."""

    CLERK = "clerk", _("Cán bộ tiếp nhận")
    LEADER = "leader", _("Lãnh đạo xã")
    INSPECTOR = "inspector", _("Thành viên tổ công tác")
    DEPARTMENT = "department", _("Cán bộ sở, ngành")
    ADMIN = "admin", _("Quản trị hệ thống")


#: Roles whose scope is one commune; the others are scoped to a province or to everything.
COMMUNE_ROLES = frozenset({Role.CLERK, Role.LEADER})


class CalendarDayKind(models.TextChoices):
    """An exception to the Monday–Friday working week."""

    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


class CalendarDaySource(models.TextChoices):
    HOLIDAYS_PACKAGE = "package", _("Thư viện holidays")
    ADMIN = "admin", _("Quản trị viên")
