"""The clerk's intake: the form, its two JSON helpers (procedure search, due-date preview) and the
printable receipt and appointment slip (Mẫu 01) the citizen takes home.
"""

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from communes.choices import COMMUNE_ROLES, Role
from communes.models import Commune, ServiceCentre
from communes.scope import scope_of
from portal.mixins import RoleRequiredMixin, StaffRequiredMixin

from .. import errors, privacy, services
from ..choices import Status
from ..errors import DossierError
from ..forms import DossierIntakeForm, resolve_procedure
from ..models import Dossier, Procedure
from ..qr import qr_svg

WEEKDAYS = (
    gettext_lazy("thứ Hai"),
    gettext_lazy("thứ Ba"),
    gettext_lazy("thứ Tư"),
    gettext_lazy("thứ Năm"),
    gettext_lazy("thứ Sáu"),
    gettext_lazy("thứ Bảy"),
    gettext_lazy("Chủ nhật"),
)
#: Which intake field a service refusal is about (None: the form as a whole).
ERROR_FIELDS = {
    errors.INVALID_TIME: "received_at",
    errors.COMMUNE_INACTIVE: "received_at",
    errors.PROCEDURE_INACTIVE: "procedure",
}
SEARCH_LIMIT = 20


def due_preview(procedure: Procedure, at: dt.datetime | None = None) -> dict:
    """What the intake form shows (and the preview JSON returns) before the dossier is saved."""
    due = timezone.localtime(services.preview_due_at(procedure, at))
    return {
        "procedure": procedure.code,
        "due_at": due.isoformat(),
        "due_date_display": f"{due:%d/%m/%Y %H:%M}",
        "processing_days": procedure.processing_days,
        "text": _("Hạn giải quyết: %(time)s %(weekday)s, %(date)s")
        % {"time": f"{due:%H:%M}", "weekday": WEEKDAYS[due.weekday()], "date": f"{due:%d/%m/%Y}"},
    }


class DossierCreateView(RoleRequiredMixin, FormView):
    """Receive a dossier at the counter: always in the clerk's own commune, through the service."""

    allowed_roles = frozenset({Role.CLERK, Role.LEADER})
    template_name = "dossiers/dossier_form.html"
    form_class = DossierIntakeForm
    service_error = None

    def commune(self):
        return Commune.objects.get(pk=scope_of(self.request.user).commune_id)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            dossier = services.receive_dossier(
                commune=self.commune(),
                procedure=data["procedure"],
                channel=data["channel"],
                applicant_name=data["applicant_name"],
                applicant_id_number=data["applicant_id_number"],
                applicant_phone=data["applicant_phone"],
                applicant_address=data["applicant_address"],
                actor=self.request.user,
                at=data["received_at"],
                note=data["note"],
            )
        except DossierError as exc:
            self.service_error = exc.messages[0]
            field = ERROR_FIELDS.get(exc.error_code)
            if field is not None:
                form.add_error(field, self.service_error)
            return self.form_invalid(form)
        except ValidationError as exc:
            # The model's own checks, should the form ever let something through.
            for field, field_errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code})
        return redirect("dossier-receipt", code=dossier.code)

    def form_invalid(self, form):
        form.focus_first_error()
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            commune=self.commune(),
            service_error=self.service_error,
            error_summary=self.error_summary(form),
            due_preview=self.server_preview(form),
        )
        return context

    def error_summary(self, form):
        """Links to the fields to fix, for the alert at the top (the service's message stands alone)."""
        summary = [
            (form[name].id_for_label, form[name].label, message)
            for name, field_errors in form.errors.items()
            if name in form.fields
            for message in field_errors
            if message != self.service_error
        ]
        return summary + [(None, None, message) for message in form.non_field_errors()]

    def server_preview(self, form):
        """The due date shown again when the form comes back with errors (and no JavaScript ran)."""
        if not form.is_bound:
            return None
        procedure = getattr(form, "cleaned_data", {}).get("procedure")
        if not isinstance(procedure, Procedure):
            return None
        return due_preview(procedure, form.cleaned_data.get("received_at"))


def _json_error(message, code):
    return JsonResponse({"message": str(message), "code": code}, status=400)


class DueDatePreviewView(LoginRequiredMixin, View):
    """GET ?procedure=CODE&at=ISO -> the due date a dossier received then would get (JSON)."""

    def get(self, request):
        try:
            procedure = resolve_procedure(request.GET.get("procedure", ""))
        except ValidationError as exc:
            return _json_error(exc.messages[0], "unknown-procedure")
        raw = request.GET.get("at", "").strip()
        at = None
        if raw:
            # An unencoded "+07:00" arrives as " 07:00".
            try:
                at = parse_datetime(raw.replace(" ", "+") if "T" in raw else raw)
            except ValueError:
                at = None
            if at is None:
                return _json_error(
                    _("Thời điểm tiếp nhận không hợp lệ; nhập theo dạng 29/08/2025 10:00."),
                    errors.INVALID_TIME,
                )
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
            if at > timezone.now() + services.CLOCK_SKEW:
                return _json_error(
                    _("Thời điểm %(at)s ở tương lai: chỉ được ghi lùi ngày, không được ghi trước.")
                    % {"at": f"{timezone.localtime(at):%H:%M %d/%m/%Y}"},
                    errors.INVALID_TIME,
                )
        return JsonResponse(due_preview(procedure, at))


class ProcedureSearchView(LoginRequiredMixin, View):
    """GET ?q=... -> up to 20 active procedures matching every word, diacritics ignored (JSON list)."""

    def get(self, request):
        text = request.GET.get("q", "")[:200]
        procedures = (
            Procedure.objects.visible_to(request.user)
            .active()
            .search(text)
            .order_by("code")
            .values("code", "name", "field", "processing_days")[:SEARCH_LIMIT]
        )
        return JsonResponse(list(procedures), safe=False)


def _spelled(moment: dt.datetime | None) -> str:
    """ "10 giờ 00 phút, ngày 29 tháng 08 năm 2025", the way the official form writes a moment."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d} tháng {local:%m} năm {local:%Y}"


class ReceiptSlipView(StaffRequiredMixin, DetailView):
    """The printable receipt and appointment slip (Mẫu 01), with the public look-up QR code.

    Any staff member who can see the dossier may print it; personal data is masked for those
    outside the dossier's commune (dossiers.privacy).
    """

    template_name = "dossiers/receipt_slip.html"
    context_object_name = "dossier"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_queryset(self):
        return Dossier.objects.visible_to(self.request.user).select_related("commune", "procedure")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dossier = self.object
        user = self.request.user
        events = list(dossier.events.select_related("actor").order_by("seq"))
        receipt = next((e for e in events if e.to_status == Status.RECEIVED), events[0] if events else None)
        receiver = receipt.actor if receipt is not None else None
        lookup_url = (
            self.request.build_absolute_uri(reverse("public-lookup")) + "?code=" + quote(dossier.code)
        )
        received = timezone.localtime(dossier.received_at or dossier.submitted_at)
        context.update(
            centre=ServiceCentre.objects.filter(commune_id=dossier.commune_id).first(),
            receiver_name=(receiver.get_full_name() or receiver.get_username()) if receiver else "",
            receipt_note=receipt.note if receipt is not None else "",
            received_spelled=_spelled(received),
            due_spelled=_spelled(dossier.due_at),
            place_date=f"{dossier.commune.name}, ngày {received:%d} tháng {received:%m} năm {received:%Y}",
            lookup_url=lookup_url,
            # Part of the official Vietnamese form, like the rest of the slip: not translated.
            qr=qr_svg(lookup_url, title=f"Mã QR tra cứu hồ sơ {dossier.code}"),
            can_receive=scope_of(user).role in COMMUNE_ROLES,
            **self.personal_data(dossier),
        )
        return context

    def personal_data(self, dossier):
        """In full for the dossier's own commune staff (the receiving clerk); masked for anyone else."""
        if privacy.sees_personal_data(self.request.user, dossier):
            return {
                "id_number": dossier.applicant_id_number,
                "phone": dossier.applicant_phone,
                "address": dossier.applicant_address,
            }
        return {
            "id_number": privacy.mask_id_number(dossier.applicant_id_number),
            "phone": privacy.mask_phone(dossier.applicant_phone),
            "address": privacy.mask_address(dossier.applicant_address),
        }
