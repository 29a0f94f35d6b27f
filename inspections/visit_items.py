"""Write use cases on what a visit heard: change or delete a finding or a proposal (DOMAIN.md §6).

Same rules as inspections.services (and kept apart only for its size): one transaction each, the
actor's role checked, everything validated before writing (a refusal saves nothing), the row
locked. Allowed: inspectors of the visit's province and admins (and the system, user=None).

A proposal is changed or deleted only while pending: once accepted or answered, its department
has acted on it, and the refusal is proposal-answered.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from . import checks, errors
from .choices import ProposalStatus
from .errors import InspectionError
from .models import Department, Finding, Proposal


def _locked_finding(user, finding: Finding) -> Finding:
    locked = (
        Finding.objects.select_for_update().select_related("visited_commune__visit__group").get(pk=finding.pk)
    )
    checks.require_inspector(user, locked.visited_commune.visit.group.province_id)
    return locked


def _locked_pending_proposal(user, proposal: Proposal) -> Proposal:
    locked = (
        Proposal.objects.select_for_update()
        .select_related("visited_commune__visit__group")
        .get(pk=proposal.pk)
    )
    checks.require_inspector(user, locked.visited_commune.visit.group.province_id)
    if locked.status != ProposalStatus.PENDING:
        raise InspectionError(
            _("Kiến nghị đã được xử lý («%(status)s»): không sửa hoặc xoá được nữa.")
            % {"status": locked.get_status_display()},
            errors.PROPOSAL_ANSWERED,
        )
    return locked


@transaction.atomic
def update_finding(
    user, finding: Finding, *, category: str | None = None, text: str | None = None
) -> Finding:
    """Change a finding's category or text (None keeps it). Refusals: invalid-category, text-required."""
    locked = _locked_finding(user, finding)
    if category is not None:
        locked.category = checks.finding_category(category)
    if text is not None:
        locked.text = checks.finding_text(text)
    locked.save()
    return locked


@transaction.atomic
def delete_finding(user, finding: Finding) -> None:
    """Delete a finding filed by mistake."""
    _locked_finding(user, finding).delete()


@transaction.atomic
def update_proposal(
    user, proposal: Proposal, *, text: str | None = None, department: Department | None = None
) -> Proposal:
    """Reword a pending proposal or address it to another department of the province (None keeps it).

    Refusals: proposal-answered, text-required, outside-province.
    """
    locked = _locked_pending_proposal(user, proposal)
    if text is not None:
        locked.text = checks.proposal_text(text)
    if department is not None:
        checks.check_department(department, locked.visited_commune.visit.group.province_id)
        locked.department = department
    locked.save()
    return locked


@transaction.atomic
def delete_proposal(user, proposal: Proposal) -> None:
    """Delete a pending proposal recorded by mistake. Refusal: proposal-answered."""
    _locked_pending_proposal(user, proposal).delete()
