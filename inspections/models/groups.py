"""The province's departments (sở, ngành) and its working groups (tổ công tác) with their members."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from communes.models import Province

from ..querysets import DepartmentQuerySet, WorkingGroupMemberQuerySet, WorkingGroupQuerySet


class Department(models.Model):
    """A provincial department or agency (sở, ngành): "Sở Khoa học và Công nghệ", short "Sở KH&CN".

    Proposals are addressed to a department and directives assigned to one; department users
    (role `department`) belong to one. Names are unique within the province.
    """

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="departments", verbose_name=_("tỉnh")
    )
    name = models.CharField(_("tên"), max_length=200, help_text=_("Ví dụ: Sở Khoa học và Công nghệ."))
    short_name = models.CharField(
        _("tên viết tắt"), max_length=50, help_text=_("Ví dụ: Sở KH&CN. Dùng trong bảng, danh sách.")
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["province__code", "name"]
        verbose_name = _("sở, ngành")
        verbose_name_plural = _("sở, ngành")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"],
                name="department_unique_name",
                violation_error_message=_("Tỉnh đã có sở, ngành mang tên này."),
            ),
            models.UniqueConstraint(
                fields=["province", "short_name"],
                name="department_unique_short_name",
                violation_error_message=_("Tỉnh đã có sở, ngành mang tên viết tắt này."),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name


class WorkingGroup(models.Model):
    """A provincial working group (tổ công tác) that visits communes: "Tổ công tác số 10", led by
    e.g. "Tỉnh uỷ viên, Phó Chủ tịch UBND tỉnh"."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="working_groups", verbose_name=_("tỉnh")
    )
    number = models.PositiveSmallIntegerField(_("số"))
    name = models.CharField(_("tên"), max_length=200, help_text=_("Ví dụ: Tổ công tác số 10."))
    leader_name = models.CharField(_("tổ trưởng"), max_length=100)
    leader_title = models.CharField(
        _("chức vụ tổ trưởng"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Tỉnh uỷ viên, Phó Chủ tịch UBND tỉnh."),
    )

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["province__code", "number"]
        verbose_name = _("tổ công tác")
        verbose_name_plural = _("tổ công tác")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "number"],
                name="working_group_unique_number",
                violation_error_message=_("Tỉnh đã có tổ công tác mang số này."),
            ),
        ]

    def __str__(self):
        return self.name


class WorkingGroupMember(models.Model):
    """A member of a working group, usually from a department (its leader is on the group itself)."""

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("tổ công tác")
    )
    name = models.CharField(_("họ và tên"), max_length=100)
    title = models.CharField(_("chức vụ"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_members",
        verbose_name=_("sở, ngành"),
    )

    objects = WorkingGroupMemberQuerySet.as_manager()

    class Meta:
        ordering = ["group", "pk"]
        verbose_name = _("thành viên tổ công tác")
        verbose_name_plural = _("thành viên tổ công tác")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.department_id and self.group_id and self.department.province_id != self.group.province_id:
            raise ValidationError(
                {
                    "department": ValidationError(
                        _("Sở, ngành phải thuộc tỉnh của tổ công tác."), code="outside-province"
                    )
                }
            )
