"""Proposals addressed to the departments (/kiem-tra/kien-nghi/), with the form to answer them.

A department user sees the proposals addressed to its department, an inspector those of the
province (`Proposal.objects.visible_to`), filtered by the shared ProposalFilterSet; pending ones
come first. The answer goes through inspections.services.answer_proposal; a refused answer is
shown again on its own row with the service's message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from communes.choices import Role
from communes.scope import scope_of
from portal.mixins import RoleRequiredMixin

from .. import services
from ..choices import ProposalStatus
from ..filtersets import ProposalFilterSet
from ..forms import AnswerForm, attach_refusal
from ..models import Proposal
from .common import PROPOSAL_ROLES, person_name, province_departments


def render_proposals(request, *, bound: dict | None = None, status: int = 200):
    user, bound = request.user, bound or {}
    scope = scope_of(user)
    base = Proposal.objects.visible_to(user).select_related(
        "department", "visited_commune__commune", "visited_commune__visit__group", "answered_by"
    )
    filterset = ProposalFilterSet(request.GET, queryset=base, request=request)
    rows = []
    if filterset.is_valid():
        pending_first = Case(
            When(status=ProposalStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        rows = list(filterset.qs.order_by(pending_first, "-visited_commune__visit__date", "pk"))
    for proposal in rows:
        proposal.answered_by_name = person_name(proposal.answered_by)
        proposal.form = bound.get(proposal.pk) or AnswerForm(
            prefix=f"a{proposal.pk}",
            initial={"status": "" if proposal.status == ProposalStatus.PENDING else proposal.status,
                     "answer": proposal.answer},
        )  # fmt: skip
        proposal.form_open = proposal.pk in bound
    context = {
        "proposals": rows,
        "filterset": filterset,
        "statuses": ProposalStatus.choices,
        "selected": {
            "status": request.GET.getlist("status"),
            "department": request.GET.get("department", ""),
            "commune": request.GET.get("commune", ""),
        },
        "departments": province_departments(user) if scope.role != Role.DEPARTMENT else [],
        "pending_count": sum(1 for p in rows if p.status == ProposalStatus.PENDING),
        "department": getattr(getattr(user, "staff_profile", None), "department", None)
        if scope.role == Role.DEPARTMENT
        else None,
    }
    return render(request, "inspections/proposal_list.html", context, status=status)


class ProposalListView(RoleRequiredMixin, View):
    allowed_roles = PROPOSAL_ROLES

    def get(self, request):
        return render_proposals(request)


class ProposalAnswerView(RoleRequiredMixin, View):
    """POST an answer (accepted / answered + text); the service checks who may answer."""

    allowed_roles = PROPOSAL_ROLES
    http_method_names = ["post"]

    def post(self, request, pk):
        proposal = get_object_or_404(Proposal.objects.visible_to(request.user), pk=pk)
        form = AnswerForm(request.POST, prefix=f"a{proposal.pk}")
        if form.is_valid():
            try:
                services.answer_proposal(
                    request.user, proposal, form.cleaned_data["status"], form.cleaned_data["answer"]
                )
            except ValidationError as exc:
                attach_refusal(form, exc)
            else:
                messages.success(request, _("Đã lưu kết quả xử lý kiến nghị."))
                query = request.GET.urlencode()
                return redirect(f"{reverse('proposal-list')}{'?' + query if query else ''}#kien-nghi-{pk}")
        return render_proposals(request, bound={proposal.pk: form}, status=400)
