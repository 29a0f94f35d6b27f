"""Tasks assigned after a visit (nhiệm vụ được giao) to a department or a commune, and their progress."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.models import Commune

from ..choices import DirectiveStatus
from ..querysets import DirectiveProgressQuerySet, DirectiveQuerySet
from .groups import Department
from .visits import Visit, VisitedCommune


class Directive(models.Model):
    """A task that comes out of a visit, for exactly one assignee: a department or a commune.

    Overdue when its due date has passed (local date) and it is not done: `is_overdue` here, and
    DirectiveQuerySet.overdue() / .with_is_overdue() for lists. Status changes only through
    inspections.services.add_progress; done sets completed_at.
    """

    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, related_name="directives", verbose_name=_("buổi kiểm tra")
    )
    visited_commune = models.ForeignKey(
        VisitedCommune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directives",
        verbose_name=_("từ kết quả kiểm tra tại xã"),
    )
    text = models.TextField(_("nội dung nhiệm vụ"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directives",
        verbose_name=_("sở, ngành thực hiện"),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_directives",
        verbose_name=_("xã thực hiện"),
    )
    due_date = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=DirectiveStatus.choices, default=DirectiveStatus.OPEN
    )
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người giao"),
    )
    created_at = models.DateTimeField(_("giao lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("nhiệm vụ được giao")
        verbose_name_plural = _("nhiệm vụ được giao")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, commune__isnull=True)
                | Q(department__isnull=True, commune__isnull=False),
                name="directive_one_assignee",
                violation_error_message=_("Nhiệm vụ giao cho đúng một đơn vị: một sở, ngành hoặc một xã."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=DirectiveStatus.values),
                name="directive_status_known",
                violation_error_message=_("Trạng thái nhiệm vụ không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(status=DirectiveStatus.DONE, completed_at__isnull=False)
                | (~Q(status=DirectiveStatus.DONE) & Q(completed_at__isnull=True)),
                name="directive_completed_at_matches_status",
                violation_error_message=_("Chỉ nhiệm vụ đã hoàn thành mới có thời điểm hoàn thành."),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="directive_status_due")]

    def __str__(self):
        return f"{self.assignee}: {self.text[:60]}"

    @property
    def assignee(self):
        """The department or the commune the task is assigned to."""
        return self.department if self.department_id else self.commune

    @property
    def is_overdue(self) -> bool:
        """Past its due date (today's local date) and not done."""
        return self.status != DirectiveStatus.DONE and self.due_date < timezone.localdate()


class DirectiveProgress(models.Model):
    """A progress note on a directive: who, for which day, what, and the status it moved to (if any)."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="progress", verbose_name=_("nhiệm vụ")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người cập nhật"),
    )
    date = models.DateField(_("ngày"))
    note = models.TextField(_("nội dung"))
    status = models.CharField(
        _("chuyển sang trạng thái"),
        max_length=20,
        choices=DirectiveStatus.choices,
        blank=True,
        help_text=_("Để trống nếu trạng thái không đổi."),
    )
    created_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    objects = DirectiveProgressQuerySet.as_manager()

    class Meta:
        ordering = ["directive", "date", "pk"]
        verbose_name = _("tiến độ thực hiện")
        verbose_name_plural = _("tiến độ thực hiện")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="") | Q(status__in=DirectiveStatus.values),
                name="directive_progress_status_known",
                violation_error_message=_("Trạng thái nhiệm vụ không hợp lệ."),
            ),
        ]

    def __str__(self):
        return f"{self.directive_id} {self.date:%d/%m/%Y}"
