"""The visits: their list (/kiem-tra/), recording one (/kiem-tra/ghi-nhan/) and its page
(/kiem-tra/<id>/), which is also the printed report "Báo cáo kết quả kiểm tra".

The page shows each commune the user may see with its frozen figures, the findings by category,
the proposals by department with their answers, the conclusions and the directives. Inspectors of
the province (and admins) also get the forms that add to it (views.visit_edits posts them); a
refused form comes back here, opened, with the service's message.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from communes.models import Commune
from communes.scope import scope_of
from portal.mixins import RoleRequiredMixin, StaffRequiredMixin

from .. import services
from ..choices import FindingCategory
from ..filtersets import VisitFilterSet
from ..forms import (
    DirectiveForm,
    FindingForm,
    ProposalForm,
    RecordVisitForm,
    VisitedCommuneForm,
    VisitTextsForm,
    attach_refusal,
)
from ..models import Directive, Finding, Proposal, Visit, VisitedCommune, WorkingGroup
from .common import (
    COMMUNE_PAGE_ROLES,
    EDITOR_ROLES,
    figure_rows,
    get_visit,
    may_edit_visit,
    person_name,
    province_departments,
)

# --- the list ----------------------------------------------------------------------------------


class VisitListView(StaffRequiredMixin, ListView):
    """The visits in the user's scope, newest first, with the communes the user may see."""

    template_name = "inspections/visit_list.html"
    context_object_name = "visits"
    paginate_by = 50

    def get_queryset(self):
        user = self.request.user
        base = (
            Visit.objects.visible_to(user)
            .select_related("group")
            .prefetch_related(
                Prefetch(
                    "visited_communes",
                    queryset=VisitedCommune.objects.visible_to(user).select_related("commune"),
                    to_attr="shown_entries",
                )
            )
        )
        self.filterset = VisitFilterSet(self.request.GET, queryset=base, request=self.request)
        if not self.filterset.is_valid():
            return base.none()
        return self.filterset.qs.order_by("-date", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, params = self.request.user, self.request.GET
        scope = scope_of(user)
        context.update(
            filterset=self.filterset,
            groups=WorkingGroup.objects.visible_to(user).order_by("province__code", "number"),
            selected={name: params.get(name, "") for name in ("group", "commune", "date_from", "date_to")},
            can_record=scope.role in EDITOR_ROLES,
            can_open_communes=scope.role in COMMUNE_PAGE_ROLES,
        )
        return context


# --- recording a visit -------------------------------------------------------------------------


def commune_options(groups) -> list[Commune]:
    """The units of the groups' provinces, every version (a visit may be recorded after the fact),
    with what the form's script needs to keep only those of the chosen group's province that
    existed on the chosen day."""
    province_ids = {g.province_id for g in groups}
    return list(
        Commune.objects.filter(province_id__in=province_ids)
        .only("code", "name", "kind", "province_id", "valid_from", "valid_to")
        .order_by("province_id", "code", "valid_from")
    )


def _typed_day(value) -> dt.date | None:
    """The day in the form's date box, typed or refused (a refused one may still pick a version)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        return None


class RecordVisitView(RoleRequiredMixin, View):
    """One form: group, date, communes (and optionally participants and the figures period).

    The service freezes each commune's figures on save; the visit page then shows them.
    """

    allowed_roles = EDITOR_ROLES
    template_name = "inspections/visit_form.html"

    def form(self, data=None):
        groups = list(WorkingGroup.objects.visible_to(self.request.user).select_related("province"))
        self.groups = groups
        self.communes = commune_options(groups)
        initial = {"date": timezone.localdate()}
        if len(groups) == 1:
            initial["group"] = groups[0].pk
        queryset = WorkingGroup.objects.filter(pk__in=[g.pk for g in groups])
        return RecordVisitForm(data, groups=queryset, communes=self.communes, initial=initial)

    def render(self, form, status=200):
        chosen = set(form["communes"].value() or [])
        day = _typed_day(form["date"].value())
        versions = defaultdict(int)
        for unit in self.communes:
            versions[unit.code] += 1
        # A code two units carried in turn is ticked on the version valid on the chosen day only.
        options = [
            {
                "unit": unit,
                "checked": unit.code in chosen
                and (versions[unit.code] == 1 or day is None or unit.is_active_on(day)),
            }
            for unit in self.communes
        ]
        context = {
            "form": form,
            "groups": self.groups,
            "commune_options": options,
            "chosen_count": len(chosen),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            visit = services.record_visit(
                request.user,
                data["group"],
                data["date"],
                data["communes"],
                participants=data["participants"],
                periods=form.periods(),
            )
        except ValidationError as exc:
            attach_refusal(form, exc)
            return self.render(form, status=400)
        messages.success(
            request,
            _("Đã ghi nhận buổi kiểm tra ngày %(day)s; số liệu của các xã đã được chốt.")
            % {"day": f"{visit.date:%d/%m/%Y}"},
        )
        return redirect("visit-detail", pk=visit.pk)


# --- the visit page (the report) ---------------------------------------------------------------


def _findings_by_category(findings) -> list[dict]:
    grouped = defaultdict(list)
    for finding in findings:
        grouped[finding.category].append(finding)
    return [
        {"key": key, "label": label, "findings": grouped[key]}
        for key, label in FindingCategory.choices
        if grouped[key]
    ]


def _proposals_by_department(proposals) -> list[dict]:
    groups: dict[int, dict] = {}
    for proposal in proposals:
        group = groups.setdefault(
            proposal.department_id, {"department": proposal.department, "proposals": []}
        )
        group["proposals"].append(proposal)
    return sorted(groups.values(), key=lambda g: g["department"].name)


def render_visit_page(request, visit: Visit, *, bound: dict | None = None, status: int = 200):
    """The visit page; `bound` holds a refused form to show again, keyed like the page's forms:
    "visit", "directive", ("commune", entry id), ("finding", entry id), ("proposal", entry id)."""
    user, bound = request.user, bound or {}
    entries = list(
        VisitedCommune.objects.visible_to(user).filter(visit=visit).select_related("commune").order_by("pk")
    )
    findings = Finding.objects.visible_to(user).filter(visited_commune__visit=visit).order_by("pk")
    proposals = list(
        Proposal.objects.visible_to(user)
        .filter(visited_commune__visit=visit)
        .select_related("department", "visited_commune__commune", "answered_by")
        .order_by("department__name", "pk")
    )
    directives = list(
        Directive.objects.visible_to(user)
        .filter(visit=visit)
        .with_is_overdue()
        .select_related("department", "commune", "visited_commune__commune")
        .order_by("due_date", "pk")
    )
    members = list(visit.group.members.select_related("department"))
    editable = may_edit_visit(user, visit)
    departments = list(province_departments(user, visit.group.province_id)) if editable else []

    by_entry = defaultdict(list)
    for finding in findings:
        by_entry[finding.visited_commune_id].append(finding)
    for entry in entries:
        entry.figure_rows = figure_rows(entry.snapshot)
        entry.finding_groups = _findings_by_category(by_entry[entry.pk])
        entry.proposal_count = sum(1 for p in proposals if p.visited_commune_id == entry.pk)
        if editable:
            entry.commune_form = bound.get(("commune", entry.pk)) or VisitedCommuneForm(
                prefix=f"vc{entry.pk}",
                initial={
                    "conclusion": entry.conclusion,
                    "period_from": entry.period_from,
                    "period_to": entry.period_to,
                },
            )
            entry.finding_form = bound.get(("finding", entry.pk)) or FindingForm(prefix=f"f{entry.pk}")
            entry.proposal_form = bound.get(("proposal", entry.pk)) or ProposalForm(
                prefix=f"p{entry.pk}", departments=departments
            )
    context = {
        "visit": visit,
        "group": visit.group,
        "members": members,
        "entries": entries,
        "proposal_groups": _proposals_by_department(proposals),
        "directives": directives,
        "editable": editable,
        "created_by": person_name(visit.created_by),
        "open_form": next(iter(bound), None),
        "can_open_communes": scope_of(user).role in COMMUNE_PAGE_ROLES,
        "today": timezone.localdate(),
    }
    if editable:
        context["visit_form"] = bound.get("visit") or VisitTextsForm(
            prefix="visit", initial={"participants": visit.participants, "conclusion": visit.conclusion}
        )
        context["directive_form"] = bound.get("directive") or DirectiveForm(
            prefix="directive", departments=departments, entries=entries
        )
    return render(request, "inspections/visit_detail.html", context, status=status)


class VisitDetailView(StaffRequiredMixin, View):
    """/kiem-tra/<id>/: every staff member in scope reads it; out of scope is a 404."""

    def get(self, request, pk):
        return render_visit_page(request, get_visit(request.user, pk))
