"""The procedure catalogue: what a commune centre handles, with its statutory time and fee."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.text import fold

from ..choices import OnlineLevel
from ..querysets import ProcedureQuerySet

procedure_code_validator = RegexValidator(
    r"^\d\.\d{6}$", _("Mã thủ tục có dạng 1.001193 (một chữ số, dấu chấm, sáu chữ số).")
)


class Procedure(models.Model):
    """An administrative procedure of the national catalogue, as a commune centre handles it."""

    code = models.CharField(
        _("mã thủ tục"), max_length=10, unique=True, validators=[procedure_code_validator]
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.CharField(_("lĩnh vực"), max_length=200, db_index=True)
    processing_days = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"), help_text=_("0 = trả kết quả trong ngày.")
    )
    fee = models.DecimalField(
        _("phí, lệ phí (đồng)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        help_text=_("Để trống nếu không thu phí."),
    )
    fee_note = models.CharField(_("ghi chú phí, lệ phí"), max_length=300, blank=True)
    online_level = models.CharField(_("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    search_text = models.CharField(max_length=700, editable=False, default="", db_index=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["field", "code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        constraints = [
            models.CheckConstraint(
                condition=Q(online_level__in=OnlineLevel.values),
                name="procedure_online_level_known",
                violation_error_message=_("Mức độ trực tuyến không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(fee__isnull=True) | Q(fee__gte=0),
                name="procedure_fee_not_negative",
                violation_error_message=_("Phí, lệ phí không được âm."),
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.code} {self.name} {self.field}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)
