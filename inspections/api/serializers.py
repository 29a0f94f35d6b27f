"""Representations of the inspections for the REST API, and the shapes of what clients send.

Serializers here never write: the views hand validated data to inspections.services, the only
code that creates or changes these rows. Values the services check themselves (texts, statuses,
categories, commune codes, dates against the visit) are passed through unchanged, so a refusal
answers with the service's stable code (inspections.errors) and its message.

The read serializers expect the querysets of inspections.api.views (joins and prefetches done,
nested rows already narrowed by `visible_to(user)`), so a page costs a fixed number of queries.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dossiers.api.stats_serializers import StatsFiguresSerializer
from dossiers.errors import READ_ONLY_FIELD

from ..choices import FindingCategory, ProposalStatus
from ..models import (
    Department,
    Finding,
    Proposal,
    Visit,
    VisitedCommune,
    WorkingGroup,
    WorkingGroupMember,
)


class InspectionErrorSerializer(serializers.Serializer):
    """Schema of an error body: a stable code, and a message (refusals) or field messages (bad input)."""

    code = serializers.CharField(
        help_text="Stable machine code, e.g. commune-inactive, due-before-visit, period-not-before-visit."
    )
    detail = serializers.CharField(
        required=False, help_text="A refusal's message for the user (Vietnamese by default)."
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages by field name (non_field_errors for a refusal of the whole request).",
    )


def choice_text(choices, text, **kwargs):
    """A code the service checks (so its refusal code reaches the client), its values in the schema."""

    @extend_schema_field({"type": "string", "enum": [value for value, _label in choices]})
    class ChoiceText(serializers.CharField):
        pass

    return ChoiceText(help_text=text, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class VisibleRowField(serializers.PrimaryKeyRelatedField):
    """A row by its id, among those the requesting account sees (any other id: does_not_exist)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)


def refuse_other_fields(serializer, allowed, hint):
    """PATCH: a field outside `allowed` is a 400 read-only-field, never silently ignored."""
    extra = sorted(set(serializer.initial_data) - set(allowed))
    if extra:
        message = _("Không sửa được trường này qua PATCH. %(hint)s") % {"hint": hint}
        raise serializers.ValidationError({name: [message] for name in extra}, code=READ_ONLY_FIELD)


# --- Departments and working groups --------------------------------------------------------------


class DepartmentSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", help_text="2-digit province code.")

    class Meta:
        model = Department
        fields = ["id", "province", "name", "short_name"]
        read_only_fields = fields


class WorkingGroupMemberSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(
        source="department.name", allow_null=True, default=None, help_text="Name of the member's department."
    )

    class Meta:
        model = WorkingGroupMember
        fields = ["id", "name", "title", "department", "department_name"]
        read_only_fields = fields


class WorkingGroupSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", help_text="2-digit province code.")
    members = WorkingGroupMemberSerializer(many=True, read_only=True)

    class Meta:
        model = WorkingGroup
        fields = ["id", "province", "number", "name", "leader_name", "leader_title", "members"]
        read_only_fields = fields


class WorkingGroupMemberWriteSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, help_text="Full name (required, not blank).")
    title = serializers.CharField(required=False, allow_blank=True, default="")
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Id of a department of the group's province, or null.",
    )


class WorkingGroupWriteSerializer(serializers.Serializer):
    """Create (POST) or change (PATCH) a working group; `members` replaces the whole list."""

    province = serializers.CharField(
        required=False,
        help_text=(
            "2-digit province code. Create only; default: the inspector's province. Admins must give it."
        ),
    )
    number = serializers.IntegerField(min_value=1, max_value=32767, help_text="Unique in the province.")
    name = serializers.CharField(
        required=False, allow_blank=True, help_text='Default "Tổ công tác số <number>".'
    )
    leader_name = serializers.CharField(allow_blank=True, help_text="The leader's full name (not blank).")
    leader_title = serializers.CharField(
        required=False, allow_blank=True, help_text='E.g. "Tỉnh uỷ viên, Phó Chủ tịch UBND tỉnh".'
    )
    members = WorkingGroupMemberWriteSerializer(
        many=True, required=False, help_text="The members; on PATCH, replaces the current list."
    )

    def validate(self, attrs):
        if self.partial and "province" in self.initial_data:
            raise serializers.ValidationError(
                {"province": [_("Tổ công tác không chuyển sang tỉnh khác.")]}, code=READ_ONLY_FIELD
            )
        return attrs


# --- Visits, visited communes, findings, proposals -----------------------------------------------


class FindingSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display")

    class Meta:
        model = Finding
        fields = ["id", "category", "category_label", "text", "created_at"]
        read_only_fields = fields


class ProposalSerializer(serializers.ModelSerializer):
    """Expects visited_commune__commune, department and answered_by joined."""

    visit = serializers.IntegerField(source="visited_commune.visit_id", help_text="Id of the visit.")
    commune = serializers.CharField(
        source="visited_commune.commune.code", help_text="5-digit code of the commune that proposed it."
    )
    commune_name = serializers.CharField(source="visited_commune.commune.full_name")
    department_name = serializers.CharField(source="department.name")
    status_label = serializers.CharField(source="get_status_display")
    answered_by = serializers.CharField(
        source="answered_by.username", allow_null=True, default=None, help_text="Username, or null."
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "visit",
            "commune",
            "commune_name",
            "text",
            "department",
            "department_name",
            "status",
            "status_label",
            "answer",
            "answered_by",
            "answered_at",
            "created_at",
        ]
        read_only_fields = fields


class VisitFiguresSerializer(StatsFiguresSerializer):
    """A visited commune's figures as frozen at record time (the stats summary with predecessors)."""

    leading = ("date_from", "date_to")
    date_from = serializers.DateField(read_only=True, help_text="First day of the period (inclusive).")
    date_to = serializers.DateField(read_only=True, help_text="Last day of the period (inclusive).")
    computed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the oldest daily row read was computed."
    )


class VisitedCommuneSerializer(serializers.ModelSerializer):
    """One commune of a visit. Expects `commune` joined, findings and `visible_proposals` prefetched."""

    commune = serializers.CharField(source="commune.code", help_text="5-digit code of the unit visited.")
    commune_name = serializers.CharField(source="commune.full_name", help_text='E.g. "Xã Thượng Cốc".')
    figures = VisitFiguresSerializer(
        source="snapshot",
        read_only=True,
        help_text=(
            "Frozen at record time for [period_from, period_to], the units it absorbed included; "
            "later edits of dossiers never change it."
        ),
    )
    findings = FindingSerializer(many=True, read_only=True)
    proposals = ProposalSerializer(
        source="visible_proposals",
        many=True,
        read_only=True,
        help_text="A department user sees only the proposals addressed to its department.",
    )

    class Meta:
        model = VisitedCommune
        fields = [
            "commune",
            "commune_name",
            "period_from",
            "period_to",
            "figures",
            "snapshot_taken_at",
            "conclusion",
            "findings",
            "proposals",
        ]
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):
    """A visit with the communes the caller may see (a clerk: its own commune's entry only)."""

    group_name = serializers.CharField(source="group.name")
    communes = VisitedCommuneSerializer(source="visible_communes", many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "group",
            "group_name",
            "date",
            "participants",
            "conclusion",
            "communes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PeriodSerializer(serializers.Serializer):
    commune = serializers.CharField(help_text="5-digit code of one of the visit's communes.")
    period_from = serializers.DateField()
    period_to = serializers.DateField(help_text="Before the visit date.")


class VisitCreateSerializer(serializers.Serializer):
    """Record a visit: the figures of each commune are frozen by the service."""

    group = VisibleRowField(WorkingGroup, help_text="Id of a working group of your province.")
    date = serializers.DateField(help_text="The visit day; not in the future.")
    communes = serializers.ListField(
        child=serializers.CharField(),
        help_text="5-digit codes; each names the unit version valid on `date`.",
    )
    participants = serializers.CharField(required=False, allow_blank=True, default="")
    conclusion = serializers.CharField(required=False, allow_blank=True, default="")
    periods = PeriodSerializer(
        many=True,
        required=False,
        default=list,
        help_text=(
            "Figures period per commune; a commune not listed gets the 1st of the visit's month to "
            "the day before the visit (a visit on the 1st: the previous month)."
        ),
    )

    def validate_periods(self, value):
        codes = [row["commune"] for row in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Mỗi xã chỉ có một kỳ số liệu."), code="duplicate-commune")
        return value


class VisitUpdateSerializer(serializers.Serializer):
    participants = serializers.CharField(required=False, allow_blank=True)
    conclusion = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        refuse_other_fields(
            self, self.fields, _("Ngày, tổ công tác và các xã của buổi kiểm tra không thay đổi.")
        )
        return attrs


class VisitedCommuneUpdateSerializer(serializers.Serializer):
    conclusion = serializers.CharField(required=False, allow_blank=True)
    period_from = serializers.DateField(
        required=False, help_text="A new period re-freezes the figures; an omitted end keeps its day."
    )
    period_to = serializers.DateField(required=False, help_text="Before the visit date.")

    def validate(self, attrs):
        refuse_other_fields(self, self.fields, _("Số liệu được chốt theo kỳ số liệu."))
        return attrs


class FindingCreateSerializer(serializers.Serializer):
    category = choice_text(FindingCategory.choices, "One of the categories of DOMAIN.md §6.")
    text = serializers.CharField(allow_blank=True)


class ProposalCreateSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), help_text="Id of a department of the visit's province."
    )


class FindingUpdateSerializer(serializers.Serializer):
    category = choice_text(FindingCategory.choices, "One of the categories of DOMAIN.md §6.", required=False)
    text = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        refuse_other_fields(self, self.fields, _("Khó khăn, vướng mắc chỉ sửa được nhóm và nội dung."))
        return attrs


class ProposalUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(),
        required=False,
        help_text="Id of a department of the visit's province.",
    )

    def validate(self, attrs):
        refuse_other_fields(
            self,
            self.fields,
            _("Kiến nghị chỉ sửa được nội dung và sở, ngành nhận; kết quả xử lý được ghi qua trả lời."),
        )
        return attrs


class ProposalAnswerSerializer(serializers.Serializer):
    status = choice_text(
        [c for c in ProposalStatus.choices if c[0] != ProposalStatus.PENDING],
        "accepted (đã tiếp thu) or answered (đã trả lời, needs `answer`).",
    )
    answer = serializers.CharField(required=False, allow_blank=True, default="")
