"""The directive board (/kiem-tra/nhiem-vu/) and a directive's page with its progress notes.

The board starts from `Directive.objects.visible_to(user)` (a department user sees its
department's, a clerk its commune's, an inspector the province's), filters through the shared
DirectiveFilterSet (the API's too) and lists overdue first, then by due date. A toggle groups the
rows by department (the tasks given to departments) or by commune (those given to communes).

Progress is added through inspections.services.add_progress: the form is shown to those the
service lets report (checks.may_report_on); its refusals come back on the form, nothing saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from communes.choices import COMMUNE_ROLES, Role
from communes.models import Commune
from communes.scope import scope_of
from portal.mixins import RoleRequiredMixin, StaffRequiredMixin

from .. import checks, services
from ..filtersets import DirectiveFilterSet
from ..forms import DirectiveEditForm, ProgressForm, attach_refusal
from ..models import Directive, WorkingGroup
from .common import EDITOR_ROLES, PROPOSAL_ROLES, get_directive, person_name, province_departments

BY_DEPARTMENT, BY_COMMUNE = "so-nganh", "xa"
VIEWS = {BY_DEPARTMENT: gettext_lazy("Theo sở, ngành"), BY_COMMUNE: gettext_lazy("Theo xã")}
FILTER_NAMES = ("status", "department", "commune", "group", "overdue", "due_before")


def group_rows(directives, by: str) -> list[dict]:
    """The directives assigned to departments (by=so-nganh) or to communes (by=xa), one group per
    assignee, in the board's order inside each group; groups by name (department) or code."""
    groups: dict[int, dict] = {}
    for directive in directives:
        unit = directive.department if by == BY_DEPARTMENT else directive.commune
        if unit is None:
            continue
        group = groups.setdefault(unit.pk, {"unit": unit, "directives": [], "overdue": 0})
        group["directives"].append(directive)
        group["overdue"] += int(directive.is_overdue_now)
    key = (lambda g: g["unit"].name) if by == BY_DEPARTMENT else (lambda g: g["unit"].code)
    return sorted(groups.values(), key=key)


class DirectiveBoardView(StaffRequiredMixin, TemplateView):
    template_name = "inspections/directive_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, user = self.request, self.request.user
        scope = scope_of(user)
        base = Directive.objects.visible_to(user).select_related(
            "visit__group", "department", "commune", "visited_commune__commune"
        )
        filterset = DirectiveFilterSet(request.GET, queryset=base, request=request)
        directives = list(filterset.qs.overdue_first()) if filterset.is_valid() else []
        to_departments = [d for d in directives if d.department_id]
        to_communes = [d for d in directives if d.commune_id]
        by = request.GET.get("theo")
        if by not in VIEWS:
            chosen_commune = filterset.is_valid() and filterset.form.cleaned_data.get("commune")
            by = BY_COMMUNE if chosen_commune or (to_communes and not to_departments) else BY_DEPARTMENT
        counts = {BY_DEPARTMENT: len(to_departments), BY_COMMUNE: len(to_communes)}
        kept = request.GET.copy()
        kept.pop("theo", None)
        toggles = []
        for key, label in VIEWS.items():
            query = kept.copy()
            query["theo"] = key
            toggles.append(
                {
                    "key": key,
                    "label": label,
                    "count": counts[key],
                    "url": f"?{query.urlencode()}",
                    "active": key == by,
                }
            )
        context.update(
            filterset=filterset,
            groups=group_rows(directives, by),
            by=by,
            toggles=toggles,
            total=len(directives),
            overdue_total=sum(1 for d in directives if d.is_overdue_now),
            selected={
                "status": request.GET.getlist("status"),
                **{name: request.GET.get(name, "") for name in FILTER_NAMES if name != "status"},
            },
            statuses=Directive._meta.get_field("status").choices,
            show_department_filter=scope.role != Role.DEPARTMENT and scope.role not in COMMUNE_ROLES,
            show_commune_filter=scope.role not in COMMUNE_ROLES and scope.role != Role.DEPARTMENT,
            departments=province_departments(user) if scope.role in EDITOR_ROLES else [],
            communes=Commune.objects.filter(inspection_directives__in=base.values("pk"))
            .distinct()
            .order_by("code")
            .only("code", "name", "kind"),
            working_groups=WorkingGroup.objects.visible_to(user).order_by("province__code", "number"),
            can_see_proposals=scope.role in PROPOSAL_ROLES,
        )
        return context


# --- one directive -----------------------------------------------------------------------------


def render_directive_page(request, directive, *, progress_form=None, edit_form=None, status=200):
    user = request.user
    notes = list(directive.progress.select_related("author").order_by("-date", "-pk"))
    for note in notes:
        note.author_name = person_name(note.author)
    can_report = checks.may_report_on(user, directive)
    can_edit = checks.is_inspector_of(user, directive.visit.group.province_id)
    if can_report and progress_form is None:
        progress_form = ProgressForm(prefix="progress")
    if can_edit and edit_form is None:
        edit_form = DirectiveEditForm(
            prefix="edit", initial={"text": directive.text, "due_date": directive.due_date}
        )
    context = {
        "directive": directive,
        "notes": notes,
        "created_by": person_name(directive.created_by),
        "can_report": can_report,
        "can_edit": can_edit,
        "progress_form": progress_form if can_report else None,
        "edit_form": edit_form if can_edit else None,
        "edit_open": edit_form is not None and edit_form.is_bound,
    }
    return render(request, "inspections/directive_detail.html", context, status=status)


class DirectiveDetailView(StaffRequiredMixin, View):
    def get(self, request, pk):
        return render_directive_page(request, get_directive(request.user, pk))


class DirectiveProgressView(StaffRequiredMixin, View):
    """POST a progress note (and a status change) through inspections.services.add_progress."""

    http_method_names = ["post"]

    def post(self, request, pk):
        directive = get_directive(request.user, pk)
        form = ProgressForm(request.POST, prefix="progress")
        if not form.is_valid():
            return render_directive_page(request, directive, progress_form=form, status=400)
        try:
            note = services.add_progress(request.user, directive, **form.service_kwargs())
        except ValidationError as exc:
            attach_refusal(form, exc, {"text-required": "note"})
            return render_directive_page(request, directive, progress_form=form, status=400)
        if note.status:
            messages.success(
                request,
                _("Đã cập nhật tiến độ; nhiệm vụ chuyển sang “%(status)s”.")
                % {"status": note.get_status_display()},
            )
        else:
            messages.success(request, _("Đã cập nhật tiến độ thực hiện."))
        return redirect("directive-detail", pk=directive.pk)


class DirectiveEditView(RoleRequiredMixin, View):
    """POST a new wording or due date through inspections.services.update_directive."""

    allowed_roles = EDITOR_ROLES
    http_method_names = ["post"]

    def post(self, request, pk):
        directive = get_directive(request.user, pk)
        form = DirectiveEditForm(request.POST, prefix="edit")
        if not form.is_valid():
            return render_directive_page(request, directive, edit_form=form, status=400)
        try:
            services.update_directive(
                request.user,
                directive,
                text=form.cleaned_data["text"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as exc:
            attach_refusal(form, exc)
            return render_directive_page(request, directive, edit_form=form, status=400)
        messages.success(request, _("Đã lưu nhiệm vụ."))
        return redirect("directive-detail", pk=directive.pk)
