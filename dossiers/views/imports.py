"""The upload page: import dossiers of the user's own commune from a CSV or XLSX export."""

from pathlib import Path

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from communes.choices import Role
from communes.scope import scope_of
from portal.formatting import vn_number
from portal.mixins import RoleRequiredMixin

from ..choices import Status
from ..import_columns import COLUMNS, COLUMNS_BY_KEY
from ..import_files import MAX_BYTES, PAGE_MAX_ROWS
from ..import_status_path import TIME_RULES
from ..importing import ImportRefused, import_dossiers

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data"
SAMPLES = {
    "csv": ("sample_import.csv", "text/csv; charset=utf-8"),
    "xlsx": ("sample_import.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


class DossierImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp hồ sơ (CSV UTF-8 hoặc Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Kiểm tra trước (chạy thử, không lưu gì)"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn quá %(limit)d MB: hãy chia thành nhiều tệp nhỏ hơn.")
                % {"limit": MAX_BYTES // (1024 * 1024)}
            )
        if Path(upload.name).suffix.lower() not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("Chỉ nhận tệp CSV hoặc Excel (.xlsx)."))
        return upload


class DossierImportView(RoleRequiredMixin, View):
    """GET: the form, the column summary and the sample files (?mau=csv|xlsx); POST: the import.

    Rows of units outside the user's scope are errors; the whole file is refused if any row is bad.
    """

    allowed_roles = {Role.CLERK, Role.LEADER, Role.ADMIN}
    template_name = "dossiers/dossier_import.html"

    def get(self, request):
        sample = request.GET.get("mau")
        if sample:
            if sample not in SAMPLES:
                raise Http404
            name, content_type = SAMPLES[sample]
            return FileResponse(
                (SAMPLES_DIR / name).open("rb"), as_attachment=True, filename=name, content_type=content_type
            )
        return self.render(DossierImportForm())

    def post(self, request):
        form = DossierImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        upload = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        try:
            result = import_dossiers(
                upload.read(),
                upload.name,
                actor=request.user,
                scope=scope_of(request.user),
                dry_run=dry_run,
                max_rows=PAGE_MAX_ROWS,
            )
        except ImportRefused as exc:
            return self.render(form, problems=exc.problems, file_name=upload.name, status=400)
        # A fresh form after a real import: submitting it again by accident must not re-send the file.
        next_form = form if dry_run else DossierImportForm()
        return self.render(next_form, result=result, file_name=upload.name)

    def render(self, form, status=200, **context):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "columns": COLUMNS,
                "status_rules": _status_rules(),
                "max_rows": vn_number(PAGE_MAX_ROWS),
                "max_megabytes": MAX_BYTES // (1024 * 1024),
                **context,
            },
            status=status,
        )


def _status_rules():
    """For the page's table: each status with the time columns it needs and those it may have."""
    return [
        {
            "status": status,
            "label": Status(status).label,
            "required": [COLUMNS_BY_KEY[c].label for c in required],
            "optional": [COLUMNS_BY_KEY[c].label for c in optional],
        }
        for status, (required, optional) in TIME_RULES.items()
    ]
