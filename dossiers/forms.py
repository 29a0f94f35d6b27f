"""HTML forms of the dossiers app. Forms validate input; every write still goes through services."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communes.text import fold

from .choices import Channel
from .models import Procedure, id_number_validator, phone_validator

# --- Intake ------------------------------------------------------------------------------------

#: A catalogue code at the start of what the clerk typed: "1.001193" or "1.001193 – Đăng ký khai sinh".
_LEADING_CODE = re.compile(r"^(\d\.\d{6})(?!\d)")
#: Channels in the order a commune counter meets them: walk-ins first.
INTAKE_CHANNELS = [
    (Channel.DIRECT, Channel.DIRECT.label),
    (Channel.ONLINE, Channel.ONLINE.label),
    (Channel.POSTAL, Channel.POSTAL.label),
]
#: How the datetime-local input sends its value, and what a clerk may type without it.
RECEIVED_AT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"]


def resolve_procedure(text: str) -> Procedure:
    """The active procedure meant by `text`: its code, "code – name", or a name (diacritics optional).

    A name must single out one procedure (an exact name, or the only one containing every word).
    Raises ValidationError with a Vietnamese message and a stable code otherwise.
    """
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError(_("Vui lòng chọn thủ tục."), code="required")
    active = Procedure.objects.active()
    match = _LEADING_CODE.match(text)
    if match:
        code = match.group(1)
        procedure = active.filter(code=code).first()
        if procedure is not None:
            return procedure
        if Procedure.objects.filter(code=code).exists():
            raise ValidationError(
                _("Thủ tục %(code)s không còn áp dụng."), code="procedure-inactive", params={"code": code}
            )
        raise ValidationError(
            _("Không có thủ tục mã %(code)s trong danh mục."), code="unknown-procedure", params={"code": code}
        )
    candidates = list(active.search(text).order_by("code")[:21])
    wanted = fold(text)
    exact = [p for p in candidates if wanted in (fold(p.name), fold(str(p)))]
    if len(exact) == 1:
        return exact[0]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValidationError(
            _("Không tìm thấy thủ tục đang áp dụng khớp với «%(text)s». Hãy gõ mã thủ tục (VD: 1.001193)."),
            code="unknown-procedure",
            params={"text": text},
        )
    raise ValidationError(
        _(
            "Có nhiều thủ tục khớp với «%(text)s»: hãy chọn một thủ tục trong danh sách gợi ý "
            "hoặc gõ mã thủ tục."
        ),
        code="ambiguous-procedure",
        params={"text": text},
    )


class ProcedureWidget(forms.Select):
    """A plain <select> of the active procedures, which works without JavaScript.

    static/js/intake.js turns it into a searchable text box (an ARIA combobox) of the same name;
    `data-value` carries what the clerk typed so the text box shows it again after an error.
    """

    def format_value(self, value):
        # "1.001193 – Đăng ký khai sinh" typed in the text box still selects option 1.001193.
        match = _LEADING_CODE.match(str(value or "").strip())
        return [match.group(1)] if match else super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-value"] = "" if value is None else str(value)
        return context


def _compact(value: str) -> str:
    """Digits as people write them on paper, "001 203.004-567" -> "001203004567"."""
    return re.sub(r"[\s.\-]", "", value or "")


class DossierIntakeForm(forms.Form):
    """The clerk's intake of a dossier at the counter (or from a paper record, back-dated).

    No commune field: a dossier is always received in the clerk's own commune (the view decides).
    The field order is the tab order.
    """

    procedure = forms.CharField(
        label=_("Thủ tục"),
        widget=ProcedureWidget(),
        help_text=_("Gõ mã (VD: 1.001193) hoặc tên thủ tục, có dấu hay không dấu đều được."),
        error_messages={"required": _("Vui lòng chọn thủ tục.")},
    )
    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=INTAKE_CHANNELS,
        initial=Channel.DIRECT,
        error_messages={
            "required": _("Vui lòng chọn kênh tiếp nhận."),
            "invalid_choice": _("Kênh tiếp nhận không hợp lệ."),
        },
    )
    applicant_name = forms.CharField(
        label=_("Họ và tên người nộp"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Vui lòng nhập họ và tên người nộp."),
            "max_length": _("Họ và tên tối đa %(limit_value)d ký tự."),
        },
    )
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân"),
        help_text=_("12 chữ số trên thẻ căn cước."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 15}),
        error_messages={"required": _("Vui lòng nhập số định danh cá nhân (12 chữ số).")},
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        help_text=_("Không bắt buộc."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_address = forms.CharField(
        label=_("Địa chỉ"),
        required=False,
        max_length=300,
        help_text=_("Không bắt buộc."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("Địa chỉ tối đa %(limit_value)d ký tự.")},
    )
    received_at = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận"),
        required=False,
        input_formats=RECEIVED_AT_FORMATS,
        help_text=_("Để trống khi tiếp nhận ngay bây giờ; chỉ nhập khi vào sổ hồ sơ giấy đã nhận trước đó."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Thời điểm tiếp nhận không hợp lệ; nhập theo dạng 29/08/2025 10:00.")},
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=1000,
        help_text=_("Không bắt buộc."),
        # One line, so Enter submits the form from here too.
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("Ghi chú tối đa %(limit_value)d ký tự.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        procedures = Procedure.objects.active().order_by("code").only("code", "name")
        self.fields["procedure"].widget.choices = [("", gettext("— Chọn thủ tục —"))] + [
            (p.code, str(p)) for p in procedures
        ]
        self.fields["procedure"].widget.attrs["autofocus"] = True
        # The browser's picker offers no future time; the service refuses one anyway.
        self.fields["received_at"].widget.attrs["max"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_procedure(self):
        return resolve_procedure(self.cleaned_data["procedure"])

    def clean_applicant_name(self):
        return " ".join(self.cleaned_data["applicant_name"].split())

    def clean_applicant_id_number(self):
        value = _compact(self.cleaned_data["applicant_id_number"])
        id_number_validator(value)
        return value

    def clean_applicant_phone(self):
        value = _compact(self.cleaned_data["applicant_phone"])
        if value:
            phone_validator(value)
        return value

    def focus_first_error(self):
        """Move the autofocus from the procedure to the first field the clerk has to fix."""
        for name in self.fields:
            if name in self.errors:
                self.fields["procedure"].widget.attrs.pop("autofocus", None)
                self.fields[name].widget.attrs["autofocus"] = True
                return
