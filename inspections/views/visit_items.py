"""Changing or deleting a finding or a proposal of a visit, each on a small page of its own.

The visit page links "Sửa" (the edit form) and "Xoá" (a confirmation, then POST) for inspectors of
the province and admins. Writes go through inspections.visit_items; a refusal (a proposal already
accepted or answered, an empty text) is shown on the page, status 400, and nothing is saved.
Another province's item is a 404 (out of sight); a role that may not edit gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from portal.mixins import RoleRequiredMixin

from .. import visit_items
from ..forms import FindingForm, ProposalForm, attach_refusal
from ..models import Finding, Proposal
from .common import EDITOR_ROLES, province_departments

TEMPLATE = "inspections/visit_item.html"


class VisitItemView(RoleRequiredMixin, View):
    """GET shows the page, POST writes; subclasses name the item and the service."""

    allowed_roles = EDITOR_ROLES
    model = Finding
    anchor = ""
    deleting = False

    def get_item(self, pk):
        return get_object_or_404(
            self.model.objects.visible_to(self.request.user).select_related(
                "visited_commune__visit__group__province", "visited_commune__commune"
            ),
            pk=pk,
        )

    def back_url(self, item) -> str:
        visit_id = item.visited_commune.visit_id
        anchor = self.anchor or f"xa-{item.visited_commune_id}"
        return f"{reverse('visit-detail', args=[visit_id])}#{anchor}"

    def render_page(self, item, *, form=None, refusal=None, status=200):
        context = {
            "item": item,
            "is_finding": isinstance(item, Finding),
            "visit": item.visited_commune.visit,
            "entry": item.visited_commune,
            "form": form,
            "refusal": refusal,
            "deleting": self.deleting,
            "back_url": self.back_url(item),
        }
        return render(self.request, TEMPLATE, context, status=status)


class FindingEditView(VisitItemView):
    def form(self, item, data=None):
        return FindingForm(data, prefix="finding", initial={"category": item.category, "text": item.text})

    def get(self, request, pk):
        item = self.get_item(pk)
        return self.render_page(item, form=self.form(item))

    def post(self, request, pk):
        item = self.get_item(pk)
        form = self.form(item, request.POST)
        if not form.is_valid():
            return self.render_page(item, form=form, status=400)
        try:
            visit_items.update_finding(
                request.user, item, category=form.cleaned_data["category"], text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            attach_refusal(form, exc)
            return self.render_page(item, form=form, status=400)
        messages.success(request, _("Đã lưu khó khăn, vướng mắc."))
        return redirect(self.back_url(item))


class FindingDeleteView(VisitItemView):
    deleting = True

    def get(self, request, pk):
        return self.render_page(self.get_item(pk))

    def post(self, request, pk):
        item = self.get_item(pk)
        visit_items.delete_finding(request.user, item)
        messages.success(request, _("Đã xoá khó khăn, vướng mắc."))
        return redirect(self.back_url(item))


class ProposalEditView(VisitItemView):
    model = Proposal
    anchor = "kien-nghi"

    def form(self, item, data=None):
        departments = province_departments(self.request.user, item.visited_commune.visit.group.province_id)
        return ProposalForm(
            data,
            prefix="proposal",
            departments=list(departments),
            initial={"text": item.text, "department": item.department_id},
        )

    def get(self, request, pk):
        item = self.get_item(pk)
        return self.render_page(item, form=self.form(item))

    def post(self, request, pk):
        item = self.get_item(pk)
        form = self.form(item, request.POST)
        if not form.is_valid():
            return self.render_page(item, form=form, status=400)
        try:
            visit_items.update_proposal(
                request.user, item, text=form.cleaned_data["text"], department=form.cleaned_data["department"]
            )
        except ValidationError as exc:
            attach_refusal(form, exc, {"outside-province": "department"})
            return self.render_page(item, form=form, status=400)
        messages.success(request, _("Đã lưu kiến nghị, đề xuất."))
        return redirect(self.back_url(item))


class ProposalDeleteView(VisitItemView):
    model = Proposal
    anchor = "kien-nghi"
    deleting = True

    def get(self, request, pk):
        return self.render_page(self.get_item(pk))

    def post(self, request, pk):
        item = self.get_item(pk)
        try:
            visit_items.delete_proposal(request.user, item)
        except ValidationError as exc:
            return self.render_page(item, refusal=" ".join(exc.messages), status=400)
        messages.success(request, _("Đã xoá kiến nghị, đề xuất."))
        return redirect(self.back_url(item))
