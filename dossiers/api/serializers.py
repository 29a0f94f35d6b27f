"""Representations of dossiers and their events for the REST API, and the shapes of what clients send.

Serializers here never write: the views hand validated data to dossiers.services (receive,
move, update_applicant), the only code that creates or changes a dossier.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communes.models import Commune
from communes.querysets import active_on_q
from communes.scope import scope_of
from dossiers import errors, privacy, workflow
from dossiers.choices import Status
from dossiers.models import Dossier, DossierEvent, Procedure
from dossiers.services import APPLICANT_FIELDS

_MASKS = {
    "applicant_id_number": privacy.mask_id_number,
    "applicant_phone": privacy.mask_phone,
    "applicant_address": privacy.mask_address,
}


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 10})
class StatusCodeField(serializers.ChoiceField):
    """A status code 1–10. One schema for every status field: the StatusEnum of `status` names them."""

    def __init__(self, **kwargs):
        super().__init__(choices=Status.choices, **kwargs)


class DossierSerializer(serializers.ModelSerializer):
    """A dossier as an API client reads it; personal data masked outside the dossier's commune.

    Expects `commune` and `procedure` joined (select_related): the masking decision uses the
    caller's scope, cached per request, so a page costs no query per row.
    """

    commune = serializers.CharField(source="commune.code", help_text="5-digit code of the receiving unit.")
    procedure = serializers.CharField(source="procedure.code", help_text='Procedure code, e.g. "1.001193".')
    procedure_name = serializers.CharField(source="procedure.name")
    status_label = serializers.CharField(
        source="get_status_display", help_text="Vietnamese label of `status`."
    )
    is_overdue = serializers.SerializerMethodField(
        help_text="Pending with the clock running (status 2 or 4) and past `due_at`."
    )
    allowed_transitions = serializers.SerializerMethodField(
        help_text="Statuses the workflow allows next; POST one to transitions/ (roles that change dossiers)."
    )

    class Meta:
        model = Dossier
        fields = [
            "code",
            "commune",
            "procedure",
            "procedure_name",
            "processing_days",
            "channel",
            "status",
            "status_label",
            "submitted_at",
            "received_at",
            "due_at",
            "finished_at",
            "returned_at",
            "timeliness",
            "is_overdue",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_address",
            "version",
            "allowed_transitions",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "applicant_id_number": {"help_text": "12 digits; masked (********4567) outside the commune."},
            "applicant_phone": {"help_text": "Masked (******5678) outside the dossier's commune."},
            "applicant_address": {"help_text": 'Masked ("***, <last part>") outside the dossier\'s commune.'},
        }

    def _now(self) -> dt.datetime:
        # One "now" for the whole page, so two rows due at the same moment agree.
        return self.context.setdefault("now", timezone.now())

    @extend_schema_field(serializers.BooleanField())
    def get_is_overdue(self, obj) -> bool:
        return obj.status in workflow.RUNNING and obj.due_at is not None and obj.due_at < self._now()

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=10)))
    def get_allowed_transitions(self, obj):
        return sorted(int(s) for s in workflow.allowed_moves(obj.status))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not privacy.sees_personal_data(request.user, instance):
            for name, mask in _MASKS.items():
                data[name] = mask(data[name] or "")
        return data


class DossierCreateSerializer(serializers.ModelSerializer):
    """What a client sends to log a new dossier; the view passes it to services.receive_dossier.

    `commune` is resolved here: a clerk's or leader's own commune whatever the payload says
    (they can only receive for their own centre); an admin names the unit, and when the code has
    an old and a new version, the one valid on the receipt day is taken.
    """

    commune = serializers.CharField(
        required=False,
        help_text=(
            "5-digit unit code. Required for admins; ignored for clerks and leaders, whose dossiers "
            "are always received by their own commune."
        ),
    )
    procedure = serializers.SlugRelatedField(
        slug_field="code", queryset=Procedure.objects.all(), help_text='Procedure code, e.g. "1.001193".'
    )
    status = serializers.ChoiceField(
        choices=Status.choices,
        default=Status.RECEIVED,
        help_text="2 (received, default) or, for an online submission not yet accepted, 1.",
    )
    received_at = serializers.DateTimeField(
        required=False,
        help_text=(
            "Receipt time (for status 1: submission time). Default now; may be back-dated for paper "
            "records, never in the future."
        ),
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")

    class Meta:
        model = Dossier
        fields = [
            "commune",
            "procedure",
            "channel",
            "status",
            "received_at",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_address",
            "note",
        ]

    def validate(self, attrs):
        scope = scope_of(self.context["request"].user)
        if scope.commune_id is not None:
            # Clerks and leaders: their own commune, never the payload's (DOMAIN rule, issue 3 §8).
            attrs["commune"] = Commune.objects.get(pk=scope.commune_id)
            return attrs
        code = attrs.get("commune")
        if not code:
            raise serializers.ValidationError(
                {"commune": [_("Hãy chọn đơn vị tiếp nhận (mã đơn vị 5 chữ số).")]}, code="required"
            )
        attrs["commune"] = self._unit_for(code, attrs.get("received_at"))
        return attrs

    @staticmethod
    def _unit_for(code: str, at: dt.datetime | None) -> Commune:
        """The version of `code` valid on the receipt day, else its latest one.

        With no version valid that day, the latest is returned and the service refuses it with
        commune-inactive and a message naming the unit's dates, which says more than "not found".
        """
        day = timezone.localdate(at) if at is not None else timezone.localdate()
        versions = Commune.objects.filter(code=code)
        unit = versions.filter(active_on_q(day)).first() or versions.latest_version(code)
        if unit is None:
            raise serializers.ValidationError(
                {"commune": [_("Không có đơn vị hành chính mã %(code)s.") % {"code": code}]},
                code="does_not_exist",
            )
        return unit


class DossierApplicantSerializer(serializers.ModelSerializer):
    """PATCH: only the applicant's details are editable; status, dates and the rest are refused.

    A field outside the four applicant fields is a 400 with code read-only-field rather than
    silently ignored, so a client never believes it changed a status with a PATCH.
    """

    class Meta:
        model = Dossier
        fields = list(APPLICANT_FIELDS)

    def validate(self, attrs):
        extra = sorted(set(self.initial_data) - set(APPLICANT_FIELDS))
        if extra:
            message = _(
                "Chỉ sửa được thông tin người nộp (%(fields)s); trạng thái và các mốc thời gian "
                "thay đổi qua transitions/."
            ) % {"fields": ", ".join(APPLICANT_FIELDS)}
            raise serializers.ValidationError(
                {name: [message] for name in extra}, code=errors.READ_ONLY_FIELD
            )
        if not attrs:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Không có trường nào để sửa.")]}, code="no-changes"
            )
        request = self.context["request"]
        if not privacy.sees_personal_data(request.user, self.instance):
            # Writing back the masked value one was shown would destroy the real data.
            masked = [
                name
                for name, mask in _MASKS.items()
                if name in attrs and attrs[name] and attrs[name] == mask(getattr(self.instance, name))
            ]
            if masked:
                message = _("Đây là giá trị đã che, không phải dữ liệu thật: không được ghi đè.")
                raise serializers.ValidationError({name: [message] for name in masked}, code="masked-value")
        return attrs


class TransitionSerializer(serializers.Serializer):
    """A move through the workflow: the target status, when it happened (default now) and a note."""

    to = StatusCodeField(help_text="Target status code (1–10).")
    at = serializers.DateTimeField(
        required=False,
        help_text=(
            "When it happened (default now): may be back-dated; never in the future, never before "
            "the previous event."
        ),
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class DossierEventSerializer(serializers.ModelSerializer):
    """One step of the dossier's history (the process control slip, Mẫu 06)."""

    from_status = StatusCodeField(allow_null=True, help_text="null for the intake event.")
    to_status = StatusCodeField()
    from_status_label = serializers.CharField(source="get_from_status_display", allow_null=True)
    to_status_label = serializers.CharField(source="get_to_status_display")
    actor = serializers.CharField(
        source="actor.username", allow_null=True, help_text="Username of who recorded the step, or null."
    )

    class Meta:
        model = DossierEvent
        fields = [
            "seq",
            "from_status",
            "from_status_label",
            "to_status",
            "to_status_label",
            "at",
            "actor",
            "note",
            "due_at",
        ]
        read_only_fields = fields
