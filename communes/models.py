"""Administrative units, their mergers, service centres, staff scope and the working calendar."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from .choices import CalendarDayKind, CalendarDaySource, MergerShare, Role, UnitKind
from .querysets import CommuneQuerySet, ProvinceQuerySet
from .text import fold

province_code_validator = RegexValidator(r"^\d{2}$", _("Mã tỉnh gồm đúng 2 chữ số."))
commune_code_validator = RegexValidator(r"^\d{5}$", _("Mã xã gồm đúng 5 chữ số."))
agency_code_validator = RegexValidator(
    r"^[A-Z0-9.]{2,20}$", _("Mã cơ quan chỉ gồm chữ in hoa không dấu, chữ số và dấu chấm (2–20 ký tự).")
)


class Province(models.Model):
    """A province-level unit (tỉnh / thành phố), identified by its 2-digit statistics code."""

    code = models.CharField(_("mã tỉnh"), max_length=2, unique=True, validators=[province_code_validator])
    name = models.CharField(_("tên"), max_length=100)
    full_name = models.CharField(_("tên đầy đủ"), max_length=120)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="province_valid_to_after_valid_from",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            ),
            models.CheckConstraint(
                condition=Exact(Length("code"), 2),
                name="province_code_two_digits",
                violation_error_message=_("Mã tỉnh gồm đúng 2 chữ số."),
            ),
        ]

    def __str__(self):
        return self.full_name


class Commune(models.Model):
    """One version of a commune-level unit (xã, phường, đặc khu; thị trấn before 7/2025).

    A merged unit usually keeps one predecessor's code, so a code can name two units in time
    (old Chí Đạo 05323 until 30/6/2025, new Quyết Thắng 05323 from 1/7/2025): each is its own
    row, told apart by validity. History is never rewritten: a dossier of the old unit stays its.
    """

    code = models.CharField(_("mã xã"), max_length=5, db_index=True, validators=[commune_code_validator])
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=UnitKind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("tỉnh")
    )
    district_name = models.CharField(
        _("huyện (trước 7/2025)"),
        max_length=100,
        blank=True,
        help_text=_("Đơn vị cấp huyện cũ, chỉ có với đơn vị trước sắp xếp."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    population = models.PositiveIntegerField(_("dân số"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("diện tích (km²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    # Lower-case, diacritics removed: "thuong coc" finds "Thượng Cốc" on any database.
    search_text = models.CharField(max_length=250, editable=False, db_index=True, default="")

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["province__code", "code", "valid_from"]
        verbose_name = _("đơn vị cấp xã")
        verbose_name_plural = _("đơn vị cấp xã")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                name="commune_one_version_per_start",
                violation_error_message=_("Đã có đơn vị cùng mã bắt đầu hiệu lực ngày này."),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_from__isnull=True),
                name="commune_one_open_start_per_code",
                violation_error_message=_("Mỗi mã chỉ có một đơn vị không rõ ngày bắt đầu hiệu lực."),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_to__isnull=True),
                name="commune_one_current_per_code",
                violation_error_message=_("Mỗi mã chỉ có một đơn vị đang có hiệu lực."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="commune_valid_to_after_valid_from",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            ),
            models.CheckConstraint(
                condition=Exact(Length("code"), 5),
                name="commune_code_five_digits",
                violation_error_message=_("Mã xã gồm đúng 5 chữ số."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=UnitKind.values),
                name="commune_kind_known",
                violation_error_message=_("Loại đơn vị không hợp lệ."),
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.get_kind_display()} {self.name}"

    def is_active_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.get_kind_display()} {self.name} {self.code}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class Merger(models.Model):
    """An absorbed unit (wholly or in part) and its successor, from a legal decision."""

    absorbed = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="successions", verbose_name=_("đơn vị được sáp nhập")
    )
    successor = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="absorptions", verbose_name=_("đơn vị kế thừa")
    )
    effective_date = models.DateField(_("ngày hiệu lực"))
    share = models.CharField(
        _("phạm vi"), max_length=10, choices=MergerShare.choices, default=MergerShare.WHOLE
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)

    class Meta:
        ordering = ["successor__code", "absorbed__code"]
        verbose_name = _("sắp xếp, sáp nhập")
        verbose_name_plural = _("sắp xếp, sáp nhập")
        constraints = [
            models.UniqueConstraint(
                fields=["absorbed", "successor"],
                name="merger_unique_pair",
                violation_error_message=_("Cặp đơn vị này đã được ghi nhận."),
            ),
            models.CheckConstraint(
                condition=~Q(absorbed=models.F("successor")),
                name="merger_not_self",
                violation_error_message=_("Một đơn vị không thể sáp nhập vào chính nó."),
            ),
        ]

    def __str__(self):
        return f"{self.absorbed} → {self.successor} ({self.effective_date:%d/%m/%Y})"


class ServiceCentre(models.Model):
    """A commune's Public Administrative Service Centre (Trung tâm Phục vụ hành chính công)."""

    commune = models.OneToOneField(
        Commune, on_delete=models.PROTECT, related_name="service_centre", verbose_name=_("đơn vị")
    )
    name = models.CharField(_("tên trung tâm"), max_length=200)
    agency_code = models.CharField(
        _("mã cơ quan"),
        max_length=20,
        unique=True,
        validators=[agency_code_validator],
        help_text=_("Dùng làm tiền tố của mã hồ sơ: {mã cơ quan}-{yyMMdd}-{số thứ tự}."),
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    office_hours = models.CharField(_("giờ làm việc"), max_length=200, blank=True)

    class Meta:
        ordering = ["commune__code"]
        verbose_name = _("trung tâm phục vụ hành chính công")
        verbose_name_plural = _("trung tâm phục vụ hành chính công")

    def __str__(self):
        return self.name


class StaffProfile(models.Model):
    """A staff account's role and scope.

    Clerks and leaders: one commune. Inspectors: one province. Department users (cán bộ sở,
    ngành): one provincial department, and that department's province (kept equal by clean() and
    communes.staff.save_staff). Admins: nothing, they see everything.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("xã")
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("tỉnh"),
    )
    department = models.ForeignKey(
        "inspections.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("sở, ngành"),
    )

    class Meta:
        verbose_name = _("hồ sơ cán bộ")
        verbose_name_plural = _("hồ sơ cán bộ")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=[Role.CLERK, Role.LEADER],
                        commune__isnull=False,
                        province__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        role=Role.INSPECTOR,
                        commune__isnull=True,
                        province__isnull=False,
                        department__isnull=True,
                    )
                    | Q(
                        role=Role.DEPARTMENT,
                        commune__isnull=True,
                        province__isnull=False,
                        department__isnull=False,
                    )
                    | Q(role=Role.ADMIN, commune__isnull=True, province__isnull=True, department__isnull=True)
                ),
                name="staff_scope_matches_role",
                violation_error_message=_(
                    "Cán bộ xã và lãnh đạo xã gắn với một xã; thành viên tổ công tác gắn với một tỉnh; "
                    "cán bộ sở, ngành gắn với một sở, ngành và tỉnh của sở, ngành đó; "
                    "quản trị viên không gắn với đơn vị nào."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user.get_username()} ({self.get_role_display()})"

    def clean(self):
        """A department user's province is its department's: filled in when missing, refused when
        different (the check constraint cannot compare across tables)."""
        super().clean()
        if self.role != Role.DEPARTMENT or self.department_id is None:
            return
        if self.province_id is None:
            self.province_id = self.department.province_id
        elif self.province_id != self.department.province_id:
            raise ValidationError(
                {
                    "department": ValidationError(
                        _("Sở, ngành «%(department)s» không thuộc tỉnh đã chọn."),
                        code="scope-mismatch",
                        params={"department": self.department.name},
                    )
                }
            )


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday or a make-up working Saturday."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField(_("tên"), max_length=200, blank=True)
    source = models.CharField(
        _("nguồn"),
        max_length=10,
        choices=CalendarDaySource.choices,
        default=CalendarDaySource.ADMIN,
        help_text=_("Ngày do quản trị viên nhập không bị ghi đè khi nạp lại lịch từ thư viện."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("lịch làm việc: ngày nghỉ, ngày làm bù")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CalendarDayKind.values),
                name="calendar_day_kind_known",
                violation_error_message=_("Loại ngày không hợp lệ."),
            ),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.name}"


class DataGeneration(models.Model):
    """One row whose token changes whenever what the statistics show may have changed (figures
    recomputed, units or mergers loaded, a province's targets edited): cached pages and scopes
    are stored under the token, so a change makes them unreachable at once, in every process.
    See communes/generation.py."""

    name = models.CharField(max_length=20, primary_key=True)
    token = models.UUIDField()
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.name}: {self.token}"
