"""Directives and their progress notes for the REST API, and what clients send to assign, reword
and report on them. As in inspections.api.serializers, nothing here writes: the views call
inspections.services.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import DirectiveStatus
from ..models import Department, Directive, DirectiveProgress, Visit
from .serializers import VisibleRowField, choice_text, refuse_other_fields


class DirectiveSerializer(serializers.ModelSerializer):
    """Expects visit__group, department, commune and visited_commune__commune joined, and the
    `is_overdue_now` annotation (DirectiveQuerySet.with_is_overdue)."""

    visit_date = serializers.DateField(source="visit.date")
    group = serializers.IntegerField(source="visit.group_id", help_text="Id of the working group.")
    group_name = serializers.CharField(source="visit.group.name")
    visited_commune = serializers.CharField(
        source="visited_commune.commune.code",
        allow_null=True,
        default=None,
        help_text="Code of the commune whose results on the visit the task comes from, or null.",
    )
    department_name = serializers.CharField(source="department.name", allow_null=True, default=None)
    commune = serializers.CharField(
        source="commune.code", allow_null=True, default=None, help_text="5-digit code, or null."
    )
    commune_name = serializers.CharField(source="commune.full_name", allow_null=True, default=None)
    assignee_name = serializers.SerializerMethodField(help_text="Name of the department or the commune.")
    status_label = serializers.CharField(source="get_status_display")
    is_overdue = serializers.BooleanField(
        source="is_overdue_now", help_text="Past its due date (today's local date) and not done."
    )
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)

    class Meta:
        model = Directive
        fields = [
            "id",
            "visit",
            "visit_date",
            "group",
            "group_name",
            "visited_commune",
            "text",
            "department",
            "department_name",
            "commune",
            "commune_name",
            "assignee_name",
            "due_date",
            "status",
            "status_label",
            "is_overdue",
            "completed_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_assignee_name(self, obj) -> str:
        return obj.department.name if obj.department_id else obj.commune.full_name


class DirectiveCreateSerializer(serializers.Serializer):
    """A task after a visit, for exactly one assignee: `department` or `commune`."""

    visit = VisibleRowField(Visit, help_text="Id of a visit of your province.")
    text = serializers.CharField(allow_blank=True)
    due_date = serializers.DateField(help_text="On or after the visit date.")
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Id of a department of the province (not with `commune`).",
    )
    commune = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        help_text="5-digit code of a commune of the province, as on the visit date (not with `department`).",
    )
    visited_commune = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Code of one of the visit's communes whose results the task comes from.",
    )

    def validate(self, attrs):
        code = attrs.get("visited_commune")
        if code:
            entry = attrs["visit"].visited_communes.filter(commune__code=code).first()
            if entry is None:
                raise serializers.ValidationError(
                    {"visited_commune": [_("Xã mã %(code)s không có trong buổi kiểm tra.") % {"code": code}]},
                    code="visited-commune-mismatch",
                )
            attrs["visited_commune"] = entry
        else:
            attrs["visited_commune"] = None
        return attrs


class DirectiveUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, help_text="On or after the visit date.")

    def validate(self, attrs):
        refuse_other_fields(
            self,
            self.fields,
            _("Trạng thái thay đổi qua cập nhật tiến độ (progress/); đơn vị thực hiện không thay đổi."),
        )
        return attrs


class DirectiveProgressSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", allow_null=True, default=None)
    status = serializers.CharField(help_text='The status the directive moved to, or "" if unchanged.')
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = DirectiveProgress
        fields = ["id", "date", "note", "status", "status_label", "author", "created_at"]
        read_only_fields = fields


class DirectiveProgressCreateSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)
    status = choice_text(
        DirectiveStatus.choices, "Optional: move the directive to this status.", required=False
    )
    date = serializers.DateField(
        required=False,
        help_text="The day reported on: default today; not in the future, not before the visit.",
    )
