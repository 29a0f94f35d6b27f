"""What inspectors add to a visit from its page, each form posted to its own URL.

Each view reads the form, calls the one service, and goes back to the visit page at the part it
changed. A refusal (the service's InspectionError, or a form that does not parse) renders the
visit page again with that form opened and its message, status 400, and nothing saved. Acting on
another province's visit is the service's PermissionDenied (403); a visit out of sight is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.mixins import RoleRequiredMixin

from .. import services
from ..forms import (
    DirectiveForm,
    FindingForm,
    ProposalForm,
    VisitedCommuneForm,
    VisitTextsForm,
    attach_refusal,
)
from ..models import VisitedCommune
from .common import EDITOR_ROLES, get_visit, province_departments
from .visits import render_visit_page


def _back(visit, anchor: str):
    return redirect(f"{reverse('visit-detail', args=[visit.pk])}#{anchor}")


class VisitEditBase(RoleRequiredMixin, View):
    allowed_roles = EDITOR_ROLES
    http_method_names = ["post"]

    def entry(self, pk) -> VisitedCommune:
        """A visited commune in the user's sight, with its visit (404 otherwise)."""
        return get_object_or_404(
            VisitedCommune.objects.visible_to(self.request.user).select_related(
                "visit__group__province", "commune"
            ),
            pk=pk,
        )

    def refused(self, visit, key, form):
        return render_visit_page(self.request, visit, bound={key: form}, status=400)


class VisitTextsView(VisitEditBase):
    """The visit's participants and general conclusion."""

    def post(self, request, pk):
        visit = get_visit(request.user, pk)
        form = VisitTextsForm(request.POST, prefix="visit")
        if not form.is_valid():
            return self.refused(visit, "visit", form)
        try:
            services.update_visit(
                request.user,
                visit,
                participants=form.cleaned_data["participants"],
                conclusion=form.cleaned_data["conclusion"],
            )
        except ValidationError as exc:
            attach_refusal(form, exc)
            return self.refused(visit, "visit", form)
        messages.success(request, _("Đã lưu thành phần và kết luận chung."))
        return _back(visit, "ket-luan")


class VisitedCommuneView(VisitEditBase):
    """A commune's conclusion, and its figures period (re-frozen only when it changes)."""

    def post(self, request, pk):
        entry = self.entry(pk)
        form = VisitedCommuneForm(request.POST, prefix=f"vc{entry.pk}")
        key = ("commune", entry.pk)
        if not form.is_valid():
            return self.refused(entry.visit, key, form)
        try:
            services.update_visited_commune(
                request.user,
                entry,
                conclusion=form.cleaned_data["conclusion"],
                period=form.cleaned_data["period"],
            )
        except ValidationError as exc:
            attach_refusal(form, exc)
            return self.refused(entry.visit, key, form)
        messages.success(request, _("Đã lưu kết luận tại %(unit)s.") % {"unit": entry.commune.full_name})
        return _back(entry.visit, f"xa-{entry.pk}")


class FindingCreateView(VisitEditBase):
    def post(self, request, pk):
        entry = self.entry(pk)
        form = FindingForm(request.POST, prefix=f"f{entry.pk}")
        key = ("finding", entry.pk)
        if not form.is_valid():
            return self.refused(entry.visit, key, form)
        try:
            services.add_finding(
                request.user, entry, form.cleaned_data["category"], form.cleaned_data["text"]
            )
        except ValidationError as exc:
            attach_refusal(form, exc)
            return self.refused(entry.visit, key, form)
        messages.success(
            request, _("Đã ghi nhận khó khăn, vướng mắc tại %(unit)s.") % {"unit": entry.commune.full_name}
        )
        return _back(entry.visit, f"xa-{entry.pk}")


class ProposalCreateView(VisitEditBase):
    def post(self, request, pk):
        entry = self.entry(pk)
        departments = list(province_departments(request.user, entry.visit.group.province_id))
        form = ProposalForm(request.POST, prefix=f"p{entry.pk}", departments=departments)
        key = ("proposal", entry.pk)
        if not form.is_valid():
            return self.refused(entry.visit, key, form)
        try:
            services.add_proposal(
                request.user, entry, form.cleaned_data["text"], form.cleaned_data["department"]
            )
        except ValidationError as exc:
            attach_refusal(form, exc, {"outside-province": "department"})
            return self.refused(entry.visit, key, form)
        messages.success(
            request, _("Đã ghi nhận kiến nghị của %(unit)s.") % {"unit": entry.commune.full_name}
        )
        return _back(entry.visit, "kien-nghi")


class DirectiveCreateView(VisitEditBase):
    """A directive after the visit, for a department or one of the visited communes."""

    def post(self, request, pk):
        visit = get_visit(request.user, pk)
        entries = list(
            VisitedCommune.objects.visible_to(request.user).filter(visit=visit).select_related("commune")
        )
        departments = list(province_departments(request.user, visit.group.province_id))
        form = DirectiveForm(request.POST, prefix="directive", departments=departments, entries=entries)
        if not form.is_valid():
            return self.refused(visit, "directive", form)
        department, commune = form.assignee_parts()
        chosen = form.cleaned_data["visited_commune"]
        try:
            services.create_directive(
                request.user,
                visit,
                form.cleaned_data["text"],
                form.cleaned_data["due_date"],
                department=department,
                commune=commune,
                visited_commune=next((e for e in entries if e.pk == chosen), None),
            )
        except ValidationError as exc:
            attach_refusal(
                form,
                exc,
                {
                    "outside-province": "assignee",
                    "unknown-commune": "assignee",
                    "commune-inactive": "assignee",
                },
            )
            return self.refused(visit, "directive", form)
        messages.success(request, _("Đã giao nhiệm vụ."))
        return _back(visit, "nhiem-vu")
