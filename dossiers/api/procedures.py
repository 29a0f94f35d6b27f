"""The procedure catalogue API: every signed-in account reads it, administrators add and edit."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.validators import UniqueValidator

from communes.scope import scope_of
from dossiers.catalogue import MAX_PROCESSING_DAYS
from dossiers.choices import OnlineLevel
from dossiers.filtersets import ProcedureFilterSet
from dossiers.models import Procedure, procedure_code_validator

MAX_FEE = 10 ** Procedure._meta.get_field("fee").max_digits - 1

_REQUIRED = _("Trường này là bắt buộc.")
_NOT_BLANK = _("Trường này không được để trống.")
_NOT_NULL = _("Trường này không được để trống.")


class CanEditCatalogue(BasePermission):
    """Any signed-in account reads the catalogue; only administrators write to it."""

    message = _("Chỉ quản trị viên được thêm hoặc sửa thủ tục hành chính.")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or scope_of(user).is_admin


class ProcedureSerializer(serializers.ModelSerializer):
    code = serializers.CharField(
        max_length=10,
        help_text="National procedure code, d.dddddd (e.g. 1.001193). Set on creation, never changed.",
        validators=[
            procedure_code_validator,
            UniqueValidator(
                queryset=Procedure.objects.all(), message=_("Mã thủ tục này đã có trong danh mục.")
            ),
        ],
        error_messages={"required": _REQUIRED, "blank": _NOT_BLANK, "null": _NOT_NULL},
    )
    name = serializers.CharField(
        max_length=500,
        error_messages={
            "required": _REQUIRED,
            "blank": _NOT_BLANK,
            "null": _NOT_NULL,
            "max_length": _("Tên thủ tục dài quá {max_length} ký tự."),
        },
    )
    field = serializers.CharField(
        max_length=200,
        help_text="Field (lĩnh vực), e.g. Hộ tịch, Chứng thực, Đất đai.",
        error_messages={
            "required": _REQUIRED,
            "blank": _NOT_BLANK,
            "null": _NOT_NULL,
            "max_length": _("Lĩnh vực dài quá {max_length} ký tự."),
        },
    )
    processing_days = serializers.IntegerField(
        min_value=0,
        max_value=MAX_PROCESSING_DAYS,
        help_text="Statutory processing time in working days; 0 = the same day.",
        error_messages={
            "required": _REQUIRED,
            "null": _NOT_NULL,
            "invalid": _("Thời hạn giải quyết phải là số nguyên (số ngày làm việc)."),
            "min_value": _("Thời hạn giải quyết không được âm."),
            "max_value": _("Thời hạn giải quyết không quá {max_value} ngày làm việc."),
            "max_string_length": _("Giá trị quá dài."),
        },
    )
    fee = serializers.IntegerField(
        min_value=0,
        max_value=MAX_FEE,
        allow_null=True,
        required=False,
        help_text="Fee in VND (whole number), or null when there is no single amount.",
        error_messages={
            "invalid": _("Phí, lệ phí phải là số đồng (số nguyên) hoặc để trống."),
            "min_value": _("Phí, lệ phí không được âm."),
            "max_value": _("Phí, lệ phí quá lớn."),
            "max_string_length": _("Giá trị quá dài."),
        },
    )
    fee_note = serializers.CharField(
        max_length=300,
        allow_blank=True,
        required=False,
        help_text='The fee as citizens read it, e.g. "8.000 đồng/bản sao" or "Miễn lệ phí".',
        error_messages={"max_length": _("Ghi chú phí, lệ phí dài quá {max_length} ký tự.")},
    )
    online_level = serializers.ChoiceField(
        choices=OnlineLevel.choices,
        help_text="full (toàn trình), partial (một phần) or info (information only).",
        error_messages={
            "required": _REQUIRED,
            "null": _NOT_NULL,
            "invalid_choice": _("“{input}” không phải mức độ trực tuyến hợp lệ (full, partial, info)."),
        },
    )
    is_active = serializers.BooleanField(
        required=False,
        help_text="False for a procedure no longer in use; it stays on old dossiers.",
        error_messages={"invalid": _("Giá trị phải là true hoặc false.")},
    )

    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "processing_days", "fee", "fee_note", "online_level", "is_active"]

    def validate_code(self, value):
        if self.instance is not None and value != self.instance.code:
            raise serializers.ValidationError(
                _("Không được thay đổi mã thủ tục; hãy thêm thủ tục mới với mã mới."), code="immutable"
            )
        return value


@extend_schema_view(
    list=extend_schema(
        summary="List the procedure catalogue",
        description="Every signed-in account. Filter by field, online level, active flag or text.",
        tags=["procedures"],
    ),
    retrieve=extend_schema(summary="One procedure by its national code", tags=["procedures"]),
    create=extend_schema(summary="Add a procedure (administrators only)", tags=["procedures"]),
    partial_update=extend_schema(
        summary="Edit a procedure (administrators only)",
        description=(
            "The code cannot be changed (400, code `immutable`). A new processing time applies to "
            "dossiers received afterwards; received dossiers keep theirs."
        ),
        tags=["procedures"],
    ),
)
class ProcedureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ProcedureSerializer
    permission_classes = [CanEditCatalogue]
    filterset_class = ProcedureFilterSet
    ordering_fields = ["code", "name", "field", "processing_days"]
    ordering = ["field", "code"]
    lookup_field = "code"
    # Codes contain a dot, which the router's default lookup pattern excludes.
    lookup_value_regex = r"[^/]+"
    # PATCH only: a full PUT would have to resend the code and every field.
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Procedure.objects.visible_to(self.request.user).order_by(*self.ordering)
