"""HTML forms of the inspections' pages. They read and tidy input; every rule and every write is the
service's (inspections.services), whose refusals the views attach to these forms (`attach_refusal`).

Texts are optional here on purpose: an empty finding, proposal, directive or note reaches the
service, which refuses it with its own message (text-required). Dates and choices are checked here
only as far as parsing goes, with Vietnamese messages.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import DirectiveStatus, FindingCategory, ProposalStatus
from .models import Department, WorkingGroup

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

#: Which form field a service refusal (inspections.errors code) is about; others go on the form.
FIELD_OF_CODE = {
    "visit-in-future": "date",
    "no-communes": "communes",
    "duplicate-commune": "communes",
    "outside-province": "communes",
    "commune-inactive": "communes",
    "unknown-commune": "communes",
    "period-not-before-visit": "period_to",
    "invalid-period": "period_from",
    "period-for-unknown-commune": "communes",
    "text-required": "text",
    "invalid-category": "category",
    "invalid-status": "status",
    "answer-required": "answer",
    "invalid-assignee": "assignee",
    "due-before-visit": "due_date",
    "visited-commune-mismatch": "visited_commune",
    "invalid-date": "date",
}


def attach_refusal(form, exc: ValidationError, fields: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the field it is about (`fields` overrides FIELD_OF_CODE per form)."""
    code = getattr(exc, "error_code", None) or getattr(exc, "code", None)
    name = {**FIELD_OF_CODE, **(fields or {})}.get(code)
    if name not in form.fields:
        name = None
    for message in exc.messages:
        form.add_error(name, message)


def _date_field(label, *, required=True, required_message=None, invalid_message=None, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=help_text,
        error_messages={
            "required": required_message or _("Cần nhập ngày."),
            "invalid": invalid_message or _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy."),
        },
    )


def _text_field(label, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        strip=False,  # the service trims and refuses an empty text with its own message
        max_length=5000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "cols": 60}),
    )


class InspectionForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class CommuneCodesField(forms.MultipleChoiceField):
    """Commune codes (5 digits) as ticked; whether each names a unit of the group's province valid
    on the visit date is the service's check (unknown-commune, outside-province, commune-inactive).

    A code may be listed twice (old Chí Đạo and new Quyết Thắng share 05323): ticked twice, kept once.
    """

    def valid_value(self, value):
        return True

    def clean(self, value):
        codes = super().clean(value)
        return list(dict.fromkeys(code.strip() for code in codes if code.strip()))


def check_period(form, first_name="period_from", last_name="period_to"):
    """Both ends of a figures period or neither: (first, last) or None."""
    first, last = form.cleaned_data.get(first_name), form.cleaned_data.get(last_name)
    if (first is None) != (last is None):
        missing = last_name if last is None else first_name
        if missing not in form.errors:
            form.add_error(
                missing,
                _(
                    "Nhập cả ngày bắt đầu và ngày kết thúc kỳ số liệu, "
                    "hoặc để trống cả hai để dùng kỳ mặc định."
                ),
            )
        return None
    return (first, last) if first is not None else None


class RecordVisitForm(InspectionForm):
    """A visit in one go: the group, the day, the communes; the figures are frozen on save."""

    group = forms.ModelChoiceField(
        label=_("Tổ công tác"),
        queryset=WorkingGroup.objects.none(),
        empty_label=_("— Chọn tổ công tác —"),
        error_messages={
            "required": _("Cần chọn tổ công tác."),
            "invalid_choice": _("Tổ công tác đã chọn không có hoặc không thuộc phạm vi của bạn."),
        },
    )
    date = _date_field(
        _("Ngày kiểm tra"),
        required_message=_("Cần nhập ngày kiểm tra."),
        invalid_message=_("Ngày kiểm tra không hợp lệ: nhập theo dạng dd/mm/yyyy."),
    )
    communes = CommuneCodesField(label=_("Các xã được kiểm tra"), required=False)
    participants = _text_field(
        _("Thành phần"), rows=2, help_text=_("Thành phần đoàn kiểm tra và đại biểu dự buổi làm việc.")
    )
    period_from = _date_field(
        _("Số liệu từ ngày"),
        required=False,
        invalid_message=_("Ngày bắt đầu kỳ số liệu không hợp lệ: nhập theo dạng dd/mm/yyyy."),
    )
    period_to = _date_field(
        _("Số liệu đến ngày"),
        required=False,
        invalid_message=_("Ngày kết thúc kỳ số liệu không hợp lệ: nhập theo dạng dd/mm/yyyy."),
        help_text=_("Để trống để dùng kỳ mặc định: từ ngày 01 của tháng đến ngày liền trước ngày kiểm tra."),
    )

    def __init__(self, *args, groups, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["communes"].choices = [(c.code, c.full_name) for c in communes]
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["participants"].widget.attrs["placeholder"] = _(
            "VD: Tổ công tác số 10; lãnh đạo Sở Khoa học và Công nghệ; Đảng ủy, UBND xã"
        )

    def clean(self):
        data = super().clean()
        data["period"] = check_period(self)
        return data

    def periods(self) -> dict | None:
        """The chosen period for every ticked commune, or None for the default one."""
        period = self.cleaned_data.get("period")
        if period is None:
            return None
        return dict.fromkeys(self.cleaned_data["communes"], period)


class VisitTextsForm(InspectionForm):
    """The visit's participants and general conclusion (inspections.services.update_visit)."""

    participants = _text_field(_("Thành phần"), rows=2)
    conclusion = _text_field(_("Kết luận chung"), rows=4)


class VisitedCommuneForm(InspectionForm):
    """A commune's conclusion and, if changed, its figures period (the figures are then re-frozen)."""

    conclusion = _text_field(_("Kết luận tại xã"), rows=3)
    period_from = _date_field(
        _("Số liệu từ ngày"),
        required=False,
        invalid_message=_("Ngày bắt đầu kỳ số liệu không hợp lệ: nhập theo dạng dd/mm/yyyy."),
    )
    period_to = _date_field(
        _("Số liệu đến ngày"),
        required=False,
        invalid_message=_("Ngày kết thúc kỳ số liệu không hợp lệ: nhập theo dạng dd/mm/yyyy."),
        help_text=_("Đổi kỳ số liệu thì số liệu của xã được chốt lại theo kỳ mới."),
    )

    def clean(self):
        data = super().clean()
        data["period"] = check_period(self)
        return data


class FindingForm(InspectionForm):
    category = forms.ChoiceField(
        label=_("Nhóm"),
        choices=[("", _("— Chọn nhóm —")), *FindingCategory.choices],
        error_messages={
            "required": _("Cần chọn nhóm khó khăn, vướng mắc."),
            "invalid_choice": _("Nhóm khó khăn, vướng mắc không hợp lệ."),
        },
    )
    text = _text_field(pgettext_lazy("one item", "Khó khăn, vướng mắc"), rows=3)


class ProposalForm(InspectionForm):
    text = _text_field(pgettext_lazy("one item", "Kiến nghị, đề xuất"), rows=3)
    department = forms.TypedChoiceField(
        label=_("Gửi sở, ngành"),
        coerce=int,
        error_messages={
            "required": _("Cần chọn sở, ngành nhận kiến nghị."),
            "invalid_choice": _("Sở, ngành đã chọn không thuộc tỉnh của tổ công tác."),
        },
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        # Rows already read, so a page with one such form per commune reads them once.
        self.departments = {d.pk: d for d in departments}
        self.fields["department"].choices = [
            ("", _("— Chọn sở, ngành —")),
            *((d.pk, d.name) for d in self.departments.values()),
        ]

    def clean_department(self):
        return self.departments[self.cleaned_data["department"]]


class DirectiveForm(InspectionForm):
    """A task after the visit: for one department ("d:<id>") or one commune ("c:<code>")."""

    text = _text_field(_("Nội dung nhiệm vụ"), rows=3)
    assignee = forms.ChoiceField(
        label=_("Đơn vị thực hiện"),
        required=False,
        error_messages={"invalid_choice": _("Đơn vị thực hiện đã chọn không hợp lệ.")},
    )
    due_date = _date_field(
        _("Hạn hoàn thành"),
        required_message=_("Cần nhập hạn hoàn thành."),
        invalid_message=_("Hạn hoàn thành không hợp lệ: nhập theo dạng dd/mm/yyyy."),
    )
    visited_commune = forms.TypedChoiceField(
        label=_("Từ kết quả kiểm tra tại xã"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Xã đã chọn không có trong buổi kiểm tra.")},
    )

    def __init__(self, *args, departments, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = {d.pk: d for d in departments}
        self.fields["assignee"].choices = [
            ("", _("— Chọn sở, ngành hoặc xã —")),
            (_("Sở, ngành"), [(f"d:{d.pk}", d.name) for d in departments]),
            (_("Xã"), [(f"c:{e.commune.code}", e.commune.full_name) for e in entries]),
        ]
        self.fields["visited_commune"].choices = [
            ("", _("— Không gắn với xã nào —")),
            *((e.pk, e.commune.full_name) for e in entries),
        ]

    def assignee_parts(self) -> tuple[Department | None, str | None]:
        """(department, commune code) from the chosen assignee; (None, None) when none was chosen."""
        value = self.cleaned_data.get("assignee") or ""
        kind, _sep, key = value.partition(":")
        if kind == "d":
            return self.departments.get(int(key)), None
        if kind == "c":
            return None, key
        return None, None


class DirectiveEditForm(InspectionForm):
    text = _text_field(_("Nội dung nhiệm vụ"), rows=3)
    due_date = _date_field(
        _("Hạn hoàn thành"),
        required_message=_("Cần nhập hạn hoàn thành."),
        invalid_message=_("Hạn hoàn thành không hợp lệ: nhập theo dạng dd/mm/yyyy."),
    )


class ProgressForm(InspectionForm):
    """A progress note, optionally moving the directive's status (inspections.services.add_progress)."""

    note = _text_field(_("Nội dung tiến độ"), rows=3)
    status = forms.ChoiceField(
        label=_("Chuyển trạng thái"),
        required=False,
        choices=[("", _("— Giữ nguyên trạng thái —")), *DirectiveStatus.choices],
        error_messages={"invalid_choice": _("Trạng thái nhiệm vụ không hợp lệ.")},
    )
    date = _date_field(
        _("Ngày"),
        required=False,
        invalid_message=_("Ngày cập nhật tiến độ không hợp lệ: nhập theo dạng dd/mm/yyyy."),
        help_text=_("Để trống nếu là hôm nay."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"note": data["note"], "status": data["status"] or None, "date": data.get("date")}


class AnswerForm(InspectionForm):
    """A department's answer to a proposal (inspections.services.answer_proposal)."""

    status = forms.ChoiceField(
        label=_("Kết quả xử lý"),
        choices=[
            ("", _("— Chọn kết quả —")),
            (ProposalStatus.ACCEPTED, ProposalStatus.ACCEPTED.label),
            (ProposalStatus.ANSWERED, ProposalStatus.ANSWERED.label),
        ],
        error_messages={
            "required": _("Cần chọn “Đã tiếp thu” hoặc “Đã trả lời”."),
            "invalid_choice": _("Kết quả xử lý kiến nghị không hợp lệ."),
        },
    )
    answer = _text_field(_("Nội dung trả lời"), rows=3)
