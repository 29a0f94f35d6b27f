"""Daily processing figures per commune (DOMAIN.md §5), walk-in visits, and what needs recomputing.

`DailyFigures` is the one table every period figure, ranking and dashboard reads: flows of the
day and stocks at its end, so a period costs the same whatever the number of dossiers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import Commune

#: Figures that are counted per day and summed over a period.
FLOW_FIELDS = (
    "received_online",
    "received_direct",
    "received_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "withdrawn",
    "stopped",
    "visits",
)
#: Figures that are a state at the end of the day: a period takes its last day's.
STOCK_FIELDS = ("pending_in_time", "pending_overdue", "paused")
#: The flows kept per procedure too: all but visits, which are counted per centre.
PROCEDURE_FLOW_FIELDS = FLOW_FIELDS[:-1]


class ProcessingFigures(models.Model):
    """The flows of a day and the stocks at its end (DOMAIN.md §5), shared by both daily tables.

    Derived rows, written only by figures.recompute from existing units and procedures: their
    foreign keys have no database constraint (its per-row check at commit would cost a rebuild
    of years more than the inserts themselves) and no index of their own (the primary key leads
    with the commune).
    """

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    date = models.DateField(_("ngày"))
    received_online = models.PositiveIntegerField(default=0)
    received_direct = models.PositiveIntegerField(default=0)
    received_postal = models.PositiveIntegerField(default=0)
    resolved_early = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)
    resolved_late = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    stopped = models.PositiveIntegerField(default=0)
    pending_in_time = models.PositiveIntegerField(default=0)
    pending_overdue = models.PositiveIntegerField(default=0)
    paused = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        abstract = True


class DailyFigures(ProcessingFigures):
    """One commune's figures for one local day (Asia/Ho_Chi_Minh).

    pending_in_time includes the paused dossiers (a paused clock is never overdue);
    pending_total = pending_in_time + pending_overdue.
    """

    pk = models.CompositePrimaryKey("commune", "date")
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="daily_figures", db_constraint=False, db_index=False
    )
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["commune", "date"]
        verbose_name = _("số liệu ngày")
        verbose_name_plural = _("số liệu ngày")
        constraints = [
            models.CheckConstraint(
                condition=Q(paused__lte=models.F("pending_in_time")),
                name="daily_figures_paused_within_in_time",
                violation_error_message=_("Số hồ sơ tạm dừng không thể vượt số hồ sơ trong hạn."),
            ),
        ]
        # A province's day (charts, the ranking's last day) reads by date first.
        indexes = [models.Index(fields=["date", "commune"], name="daily_figures_date_commune")]

    def __str__(self):
        return f"{self.commune_id} {self.date}"


class WalkInVisits(models.Model):
    """The number of citizens who came to the centre on a day (lượt người dân đến giao dịch)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="walk_in_visits")
    date = models.DateField(_("ngày"))
    count = models.PositiveIntegerField(_("số lượt"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["commune", "date"]
        verbose_name = _("lượt người dân đến giao dịch")
        verbose_name_plural = _("lượt người dân đến giao dịch")
        constraints = [models.UniqueConstraint(fields=["commune", "date"], name="walk_in_visits_one_per_day")]

    def __str__(self):
        return f"{self.commune_id} {self.date}: {self.count}"


class FiguresBacklog(models.Model):
    """A commune whose figures are stale from `since` on: written in the same transaction as the
    change, so a broker that is down loses nothing; the beat job catches up from here."""

    commune = models.OneToOneField(Commune, on_delete=models.CASCADE, related_name="+")
    since = models.DateField()
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("số liệu cần tính lại")
        verbose_name_plural = _("số liệu cần tính lại")

    def __str__(self):
        return f"{self.commune_id} từ {self.since}"


class DailyProcedureFigures(ProcessingFigures):
    """The same figures per procedure (form II.06a's rows by field and procedure).

    Only non-zero rows are stored: a missing row means zero, flows and stocks alike. Visits are
    counted per centre, not per procedure, so they live in DailyFigures only.
    """

    pk = models.CompositePrimaryKey("commune", "date", "procedure")
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    procedure = models.ForeignKey(
        "dossiers.Procedure", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )

    class Meta:
        ordering = ["commune", "date", "procedure"]
        # The province's days (the refresh of today, charts of a day) read by date first.
        indexes = [models.Index(fields=["date", "commune"], name="daily_proc_figures_date")]

    def __str__(self):
        return f"{self.commune_id} {self.date} {self.procedure_id}"


class ProvinceTargets(models.Model):
    """The targets a province sets its communes (dashboards colour the ranking against them).

    Edited by an administrator; a province without a row uses the defaults below, which are a
    starting point, not a legal norm.
    """

    DEFAULT_ONLINE_RATE = 80
    DEFAULT_ON_TIME_RATE = 95

    province = models.OneToOneField("communes.Province", on_delete=models.CASCADE, related_name="+")
    online_rate = models.DecimalField(
        _("chỉ tiêu tỷ lệ hồ sơ trực tuyến (%)"), max_digits=5, decimal_places=2, default=DEFAULT_ONLINE_RATE
    )
    on_time_rate = models.DecimalField(
        _("chỉ tiêu tỷ lệ giải quyết đúng hạn (%)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_ON_TIME_RATE,
    )

    class Meta:
        verbose_name = _("chỉ tiêu của tỉnh")
        verbose_name_plural = _("chỉ tiêu của tỉnh")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    online_rate__gte=0, online_rate__lte=100, on_time_rate__gte=0, on_time_rate__lte=100
                ),
                name="province_targets_are_percentages",
                violation_error_message=_("Chỉ tiêu là tỷ lệ phần trăm từ 0 đến 100."),
            ),
        ]

    def __str__(self):
        return f"{self.province_id}: {self.online_rate}% / {self.on_time_rate}%"

    def save(self, *args, **kwargs):
        from communes import generation

        super().save(*args, **kwargs)
        generation.bump()  # the cached rankings are coloured against the old targets

    @classmethod
    def for_province(cls, province):
        """The province's targets, or unsaved defaults."""
        return cls.objects.filter(province=province).first() or cls(province=province)
