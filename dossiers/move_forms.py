"""Forms of the dossier page: a workflow move, and the correction of the applicant's details.

Both carry the `version` the clerk loaded: the services refuse a save made on an older version
(stale-version), so a second clerk never silently overwrites the first one's work.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Status
from .models import Dossier

#: How a datetime-local input sends its value (seconds only when the browser shows them).
DATETIME_LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"]

#: The hidden version is missing or mangled only when the page is very old or was tampered with.
VERSION_ERRORS = {
    "required": _("Thiếu phiên bản hồ sơ: vui lòng tải lại trang rồi thao tác lại."),
    "invalid": _("Phiên bản hồ sơ không hợp lệ: vui lòng tải lại trang rồi thao tác lại."),
    "min_value": _("Phiên bản hồ sơ không hợp lệ: vui lòng tải lại trang rồi thao tác lại."),
}


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MoveForm(forms.Form):
    """One move of the workflow. Whether the move is legal is the service's call, not the form's."""

    to_status = forms.TypedChoiceField(
        label=_("Chuyển sang"),
        choices=Status.choices,
        coerce=int,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Chưa chọn bước xử lý."),
            "invalid_choice": _("Bước xử lý không hợp lệ."),
        },
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
    )
    at = forms.DateTimeField(
        label=_("Thời điểm (ghi lùi)"),
        required=False,
        input_formats=DATETIME_LOCAL_FORMATS,
        widget=DateTimeLocalInput(),
        help_text=_(
            "Để trống nếu thực hiện ngay bây giờ; chỉ nhập khi ghi lại hồ sơ giấy đã xử lý trước đó."
        ),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, error_messages=VERSION_ERRORS)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # The browser refuses a future time before the server has to (the server still checks).
        self.fields["at"].widget.attrs["max"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def _model_field(name):
    return Dossier._meta.get_field(name).formfield()


class ApplicantForm(forms.Form):
    """The applicant's details, corrected after intake (a typo); validated again by the service."""

    applicant_name = _model_field("applicant_name")
    applicant_id_number = _model_field("applicant_id_number")
    applicant_phone = _model_field("applicant_phone")
    applicant_address = _model_field("applicant_address")
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput, error_messages=VERSION_ERRORS)

    FIELDS = ("applicant_name", "applicant_id_number", "applicant_phone", "applicant_address")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["applicant_id_number"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["applicant_phone"].widget.attrs.update(inputmode="tel", autocomplete="off")

    @classmethod
    def for_dossier(cls, dossier, **kwargs):
        initial = {name: getattr(dossier, name) for name in cls.FIELDS}
        return cls(initial={**initial, "version": dossier.version}, **kwargs)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
