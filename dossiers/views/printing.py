"""Printable slips of a dossier, in the spirit of the Circular's forms (DOMAIN.md §3).

/ho-so/<code>/in/mau-<form>/ with form "02" (supplement request, once the dossier has been in
status 5), "04" (apology and new appointment, only for a late dossier) or "06" (process control
slip, always). Anything else, or a slip that does not apply to the dossier, is a 404. The slips are
handed to citizens, so they are always printed in Vietnamese, whatever the screen language.
"""

from __future__ import annotations

import re

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View

from communes.calendar_store import get_working_calendar
from communes.models import ServiceCentre
from portal.mixins import StaffRequiredMixin

from ..choices import Status
from .detail import applicant_of, get_dossier, is_late, timeline

FORMS = {
    "02": ("dossiers/print_02.html", "Mẫu số 02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "04": ("dossiers/print_04.html", "Mẫu số 04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "06": ("dossiers/print_06.html", "Mẫu số 06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}
#: The new appointment of an apology letter: this many working days after today, at closing time.
APOLOGY_EXTRA_WORKING_DAYS = 2

_ITEM_SPLIT = re.compile(r"\s*(?:\r?\n|;)\s*")
_ITEM_NUMBER = re.compile(r"^(?:\d+[.)]|[-•*])\s*")


def note_items(note: str) -> list[str]:
    """The documents to add, one per line or semicolon; "1. …" or "- …" markers dropped."""
    items = (_ITEM_NUMBER.sub("", part).strip() for part in _ITEM_SPLIT.split(note or ""))
    return [item for item in items if item]


class DossierPrintView(StaffRequiredMixin, View):
    def get(self, request, code, form):
        if form not in FORMS:
            raise Http404(_("Không có mẫu phiếu này."))
        dossier = get_dossier(request.user, code)
        steps = timeline(dossier)
        template, form_number, form_title = FORMS[form]
        with translation.override("vi"):
            context = getattr(self, f"context_{form}")(dossier, steps)
            context.update(self.common_context(request, dossier, steps, form_number, form_title))
            context.setdefault("sheet_date", timezone.localdate())
            return render(request, template, context)

    def common_context(self, request, dossier, steps, form_number, form_title) -> dict:
        commune = dossier.commune
        centre = ServiceCentre.objects.filter(commune=commune).first()
        return {
            "dossier": dossier,
            "steps": steps,
            "applicant": applicant_of(request.user, dossier),
            "form_number": form_number,
            "form_title": form_title,
            "parent_agency": _("Ủy ban nhân dân %(unit)s") % {"unit": commune.full_name},
            "agency": centre.name
            if centre
            else _("Trung tâm Phục vụ hành chính công %(unit)s")
            % {"unit": f"{commune.get_kind_display().lower()} {commune.name}"},
            "centre_phone": centre.phone if centre else "",
            "place": commune.name,
        }

    def context_02(self, dossier, steps) -> dict:
        requests = [step for step in steps if step.to_status == Status.SUPPLEMENT_REQUESTED]
        if not requests:
            raise Http404(_("Hồ sơ chưa có yêu cầu bổ sung, hoàn thiện."))
        latest = requests[-1]
        return {
            "request_step": latest,
            "items": note_items(latest.note),
            "sheet_date": timezone.localtime(latest.at).date(),
        }

    def context_04(self, dossier, steps) -> dict:
        if not is_late(dossier):
            raise Http404(_("Hồ sơ không quá hạn: không cần phiếu xin lỗi."))
        calendar = get_working_calendar()
        today = timezone.localdate()
        reason = next((step.note for step in reversed(steps) if step.note), "")
        return {
            "reason": reason,
            "new_appointment": calendar.closing_time_on(
                calendar.add_working_days(today, APOLOGY_EXTRA_WORKING_DAYS)
            ),
        }

    def context_06(self, dossier, steps) -> dict:
        return {}
