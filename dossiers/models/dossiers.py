"""Dossiers, their event history and the daily code counters."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, ServiceCentre
from communes.text import fold

from ..choices import Channel, Status, Timeliness
from ..querysets import DossierQuerySet
from .procedures import Procedure

id_number_validator = RegexValidator(r"^\d{12}$", _("Số định danh cá nhân gồm đúng 12 chữ số."))
phone_validator = RegexValidator(
    r"^(\+84|0)\d{9,10}$", _("Số điện thoại gồm 10–11 chữ số, bắt đầu bằng 0 hoặc +84.")
)


class Dossier(models.Model):
    """A citizen's administrative-procedure dossier received by a commune's centre (DOMAIN.md §3).

    Status, dates and timeliness change only through dossiers.services, which records an event
    for every move and bumps `version` (optimistic locking for two clerks on one dossier).
    """

    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("đơn vị")
    )
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("thủ tục")
    )
    # The processing time the dossier was received under: catalogue changes never move old deadlines.
    processing_days = models.PositiveSmallIntegerField(_("thời hạn giải quyết (ngày làm việc)"))
    channel = models.CharField(_("kênh tiếp nhận"), max_length=10, choices=Channel.choices)
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=Status.choices)

    applicant_name = models.CharField(_("họ và tên người nộp"), max_length=200)
    applicant_id_number = models.CharField(
        _("số định danh cá nhân"), max_length=12, validators=[id_number_validator]
    )
    applicant_phone = models.CharField(
        _("số điện thoại"), max_length=15, blank=True, validators=[phone_validator]
    )
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    # Folded code and applicant name: the worklist's search ignores diacritics on any database.
    search_text = models.CharField(max_length=300, editable=False, default="")

    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn giải quyết"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm kết thúc xử lý"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    timeliness = models.CharField(
        _("tiến độ"), max_length=10, choices=Timeliness.choices, null=True, blank=True
    )

    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            # The worklist: a commune's dossiers by status and due date.
            models.Index(fields=["commune", "status", "due_at"], name="dossier_commune_status_due"),
            models.Index(fields=["commune", "received_at"], name="dossier_commune_received"),
            models.Index(fields=["commune", "finished_at"], name="dossier_commune_finished"),
            # The province-wide daily refresh: what was received or finished lately, anywhere.
            models.Index(fields=["received_at"], name="dossier_received"),
            models.Index(fields=["finished_at"], name="dossier_finished"),
            # "Overdue now" anywhere (dashboards): only the running dossiers, a small index that
            # also answers which unit each belongs to.
            models.Index(
                fields=["due_at"],
                include=["commune"],
                condition=Q(status__in=[2, 4]),
                name="dossier_running_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__gte=1, status__lte=10),
                name="dossier_status_known",
                violation_error_message=_("Trạng thái hồ sơ không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="dossier_channel_known",
                violation_error_message=_("Kênh tiếp nhận không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(timeliness__isnull=True) | Q(timeliness__in=Timeliness.values),
                name="dossier_timeliness_known",
                violation_error_message=_("Tiến độ không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True)
                | Q(received_at__isnull=True)
                | Q(finished_at__gte=F("received_at")),
                name="dossier_finished_after_received",
                violation_error_message=_("Thời điểm kết thúc không được trước thời điểm tiếp nhận."),
            ),
            models.CheckConstraint(
                condition=Q(received_at__isnull=True) | Q(received_at__gte=F("submitted_at")),
                name="dossier_received_after_submitted",
                violation_error_message=_("Thời điểm tiếp nhận không được trước thời điểm nộp."),
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True)
                | Q(finished_at__isnull=False, returned_at__gte=F("finished_at")),
                name="dossier_returned_after_finished",
                violation_error_message=_("Chỉ trả kết quả sau khi đã xử lý xong."),
            ),
            models.CheckConstraint(
                # Received statuses carry their receipt time and deadline.
                condition=Q(status__in=[1, 3]) | Q(received_at__isnull=False, due_at__isnull=False),
                name="dossier_received_has_deadline",
                violation_error_message=_(
                    "Hồ sơ đã tiếp nhận phải có thời điểm tiếp nhận và hạn giải quyết."
                ),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="dossier_version_positive",
                violation_error_message=_("Phiên bản không hợp lệ."),
            ),
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.code} {self.applicant_name}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class DossierEvent(models.Model):
    """One move of a dossier: who, when (possibly back-dated), from and to which status, a note.

    The process control slip (Mẫu 06). Events are written only by services and never edited.
    """

    # No index of its own: the timeline index below (and the unique constraint) lead with it.
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events", db_index=False)
    seq = models.PositiveSmallIntegerField(_("thứ tự"))
    from_status = models.PositiveSmallIntegerField(
        _("từ trạng thái"), choices=Status.choices, null=True, blank=True
    )
    to_status = models.PositiveSmallIntegerField(_("sang trạng thái"), choices=Status.choices)
    at = models.DateTimeField(_("thời điểm"))
    recorded_at = models.DateTimeField(_("thời điểm ghi nhận"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    note = models.CharField(_("ghi chú"), max_length=1000, blank=True)
    due_at = models.DateTimeField(_("hạn giải quyết sau bước này"), null=True, blank=True)

    class Meta:
        ordering = ["dossier", "seq"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quá trình xử lý")
        indexes = [
            # The figures' stocks read every candidate dossier's events in order with their time,
            # status and due date: from the index alone on PostgreSQL (SQLite indexes the keys).
            models.Index(
                fields=["dossier", "seq"],
                include=["at", "to_status", "due_at"],
                name="dossier_event_timeline",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_event_unique_seq"),
            models.CheckConstraint(
                condition=Q(to_status__gte=1, to_status__lte=10),
                name="dossier_event_status_known",
                violation_error_message=_("Trạng thái không hợp lệ."),
            ),
        ]

    def __str__(self):
        return f"{self.dossier_id}#{self.seq} → {self.to_status}"


class DailyCounter(models.Model):
    """The last dossier number a centre gave on a day: codes restart at 0001 every day."""

    centre = models.ForeignKey(ServiceCentre, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "day"], name="daily_counter_unique_day")]

    def __str__(self):
        return f"{self.centre_id} {self.day}: {self.last_value}"
