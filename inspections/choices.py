from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingCategory(models.TextChoices):
    """What a difficulty (khó khăn, vướng mắc) heard on a visit is about (DOMAIN.md §6)."""

    STAFFING = "staffing", _("Nhân sự")
    PREMISES_EQUIPMENT = "premises_equipment", _("Cơ sở vật chất, trang thiết bị")
    IT_SYSTEMS = "it_systems", _("Hệ thống thông tin, cổng dịch vụ công")
    EID_VNEID = "eid_vneid", _("Định danh điện tử VNeID")
    TRAINING = "training", _("Tập huấn, bồi dưỡng")
    SPECIALIST_STAFF = "specialist_staff", _("Cán bộ chuyên môn")
    OTHER = "other", _("Khác")


class ProposalStatus(models.TextChoices):
    """Where a commune's proposal (kiến nghị, đề xuất) stands with the department it is addressed to."""

    PENDING = "pending", _("Chờ xử lý")
    ACCEPTED = "accepted", _("Đã tiếp thu")
    ANSWERED = "answered", _("Đã trả lời")


class DirectiveStatus(models.TextChoices):
    """Progress of a task assigned after a visit (nhiệm vụ được giao)."""

    OPEN = "open", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
