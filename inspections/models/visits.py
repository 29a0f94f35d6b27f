"""A working group's visit (buổi kiểm tra), the communes it visited with their frozen figures, the
difficulties heard there (findings) and the communes' proposals to the departments."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import Commune

from ..choices import FindingCategory, ProposalStatus
from ..querysets import FindingQuerySet, ProposalQuerySet, VisitedCommuneQuerySet, VisitQuerySet
from .groups import Department, WorkingGroup


class Visit(models.Model):
    """One visit of a working group on one day to one or more communes (inspections.services.record_visit)."""

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="visits", verbose_name=_("tổ công tác")
    )
    date = models.DateField(_("ngày kiểm tra"))
    participants = models.TextField(
        _("thành phần"), blank=True, help_text=_("Thành phần đoàn kiểm tra và đại biểu dự buổi làm việc.")
    )
    conclusion = models.TextField(_("kết luận chung"), blank=True)
    communes = models.ManyToManyField(
        Commune, through="VisitedCommune", related_name="inspection_visits", verbose_name=_("các xã")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )
    created_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("buổi kiểm tra")
        verbose_name_plural = _("buổi kiểm tra")
        indexes = [models.Index(fields=["date"], name="visit_date")]

    def __str__(self):
        return f"{self.group} — {self.date:%d/%m/%Y}"


class VisitedCommune(models.Model):
    """A commune on a visit: the period of its figures, their frozen copy, and the conclusions.

    `snapshot` holds exactly what dossiers.figures_read.summarize returned at record time for the
    commune with its predecessors over [period_from, period_to] (the stats API's summary with
    include_predecessors=true), stored as JSON: dates as "YYYY-MM-DD", computed_at as an ISO
    timestamp. It is stored data: editing or back-dating dossiers later never changes it; only an
    explicit change of the period re-freezes it (inspections.services.update_visited_commune).
    """

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="visited_communes", verbose_name=_("buổi kiểm tra")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="inspection_entries", verbose_name=_("xã")
    )
    period_from = models.DateField(_("số liệu từ ngày"))
    period_to = models.DateField(_("số liệu đến ngày"))
    snapshot = models.JSONField(_("số liệu tại thời điểm kiểm tra"), encoder=DjangoJSONEncoder)
    snapshot_taken_at = models.DateTimeField(_("chốt số liệu lúc"))
    conclusion = models.TextField(_("kết luận"), blank=True)

    objects = VisitedCommuneQuerySet.as_manager()

    class Meta:
        ordering = ["visit", "pk"]
        verbose_name = _("xã được kiểm tra")
        verbose_name_plural = _("các xã được kiểm tra")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "commune"],
                name="visited_commune_once_per_visit",
                violation_error_message=_("Xã này đã có trong buổi kiểm tra."),
            ),
            models.CheckConstraint(
                condition=Q(period_from__lte=models.F("period_to")),
                name="visited_commune_period_ordered",
                violation_error_message=_("Ngày bắt đầu kỳ số liệu phải trước hoặc bằng ngày kết thúc."),
            ),
        ]

    def __str__(self):
        return f"{self.commune} ({self.visit.date:%d/%m/%Y})"


class Finding(models.Model):
    """A difficulty heard on a visit (khó khăn, vướng mắc), filed under a category of DOMAIN.md §6."""

    visited_commune = models.ForeignKey(
        VisitedCommune, on_delete=models.CASCADE, related_name="findings", verbose_name=_("xã được kiểm tra")
    )
    category = models.CharField(_("nhóm"), max_length=30, choices=FindingCategory.choices)
    text = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["visited_commune", "pk"]
        verbose_name = _("khó khăn, vướng mắc")
        verbose_name_plural = _("khó khăn, vướng mắc")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=FindingCategory.values),
                name="finding_category_known",
                violation_error_message=_("Nhóm khó khăn, vướng mắc không hợp lệ."),
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.text[:60]}"


class Proposal(models.Model):
    """A commune's proposal (kiến nghị, đề xuất) addressed to a department, and its answer.

    Pending until the department (or an inspector) accepts it (đã tiếp thu) or answers it (đã trả
    lời, with the answer's text); see inspections.services.answer_proposal.
    """

    visited_commune = models.ForeignKey(
        VisitedCommune, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("xã được kiểm tra")
    )
    text = models.TextField(_("nội dung"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("gửi sở, ngành")
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người trả lời"),
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["visited_commune", "pk"]
        verbose_name = _("kiến nghị, đề xuất")
        verbose_name_plural = _("kiến nghị, đề xuất")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values),
                name="proposal_status_known",
                violation_error_message=_("Trạng thái kiến nghị không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.PENDING, answered_at__isnull=True)
                | (~Q(status=ProposalStatus.PENDING) & Q(answered_at__isnull=False)),
                name="proposal_answered_at_matches_status",
                violation_error_message=_(
                    "Kiến nghị đã xử lý phải có thời điểm xử lý, kiến nghị chờ xử lý thì không."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.ANSWERED) | ~Q(answer=""),
                name="proposal_answered_has_answer",
                violation_error_message=_("Kiến nghị đã trả lời phải có nội dung trả lời."),
            ),
        ]
        indexes = [models.Index(fields=["department", "status"], name="proposal_department_status")]

    def __str__(self):
        return f"{self.department}: {self.text[:60]}"
