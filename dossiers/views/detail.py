"""The dossier page: its details, the event timeline, the moves the user may make, the applicant fix.

Moves and edits go through dossiers.services only. When a service refuses (an illegal move, a time
in the future, another clerk saved first), the page is shown again with the reason and nothing
changed: 409 for a conflict with the dossier's current state, 400 for bad input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from communes.calendar_store import get_working_calendar
from communes.choices import COMMUNE_ROLES, Role
from communes.scope import scope_of
from portal.mixins import RoleRequiredMixin, StaffRequiredMixin

from .. import errors, privacy, services, workflow
from ..choices import Status, Timeliness
from ..errors import DossierError
from ..models import Dossier
from ..move_forms import ApplicantForm, MoveForm

#: A step entered this long after the moment it records was written from paper: "ghi lùi".
BACKDATED_AFTER = dt.timedelta(minutes=5)
MOVE_ROLES = frozenset({Role.CLERK, Role.LEADER, Role.ADMIN})
#: Only the dossier's own commune sees the applicant's details in full, so only it corrects them.
EDIT_ROLES = COMMUNE_ROLES
#: Refusals caused by the dossier's current state rather than by what was typed.
CONFLICT_CODES = frozenset({errors.STALE_VERSION, errors.ILLEGAL_TRANSITION})


def status_label(value) -> str:
    if value is None:
        return ""
    try:
        return str(Status(value).label)
    except ValueError:
        return str(value)


def status_group(value: int) -> str:
    """A CSS hint for the status badge: pending, paused, done or ended."""
    if value in workflow.PAUSED:
        return "paused"
    if value in workflow.PENDING:
        return "pending"
    if value in (Status.RESOLVED, Status.RETURNED):
        return "done"
    if value in (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED):
        return "ended"
    return "new"


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def get_dossier(user, code: str) -> Dossier:
    """The dossier with this code among those the user may see; 404 otherwise."""
    return get_object_or_404(
        Dossier.objects.visible_to(user).select_related("commune", "procedure"), code=code
    )


@dataclass(frozen=True)
class Step:
    """One row of the timeline and of the process control slip (Mẫu 06)."""

    seq: int
    at: dt.datetime
    recorded_at: dt.datetime
    from_status: int | None
    to_status: int
    from_label: str
    to_label: str
    actor_name: str
    note: str
    due_at: dt.datetime | None
    backdated: bool
    #: Trước hạn / Đúng hạn / Quá hạn for the steps a deadline governs, else None.
    timeliness: str | None

    @property
    def timeliness_label(self) -> str:
        return str(Timeliness(self.timeliness).label) if self.timeliness else ""


def _step_timeliness(event) -> str | None:
    # The receipt opens the clock and handing over the result (10) comes after it stopped at 9.
    if event.due_at is None or event.from_status is None or event.to_status == Status.RETURNED:
        return None
    return services.timeliness_of(event.at, event.due_at)


def timeline(dossier: Dossier) -> list[Step]:
    """The dossier's events in order, in one query whatever their number."""
    events = dossier.events.select_related("actor").order_by("seq")
    return [
        Step(
            seq=event.seq,
            at=event.at,
            recorded_at=event.recorded_at,
            from_status=event.from_status,
            to_status=event.to_status,
            from_label=status_label(event.from_status),
            to_label=status_label(event.to_status),
            actor_name=person_name(event.actor),
            note=event.note,
            due_at=event.due_at,
            backdated=event.recorded_at - event.at > BACKDATED_AFTER,
            timeliness=_step_timeliness(event),
        )
        for event in events
    ]


def is_overdue_now(dossier: Dossier, now: dt.datetime | None = None) -> bool:
    """Pending with the clock running and past its due moment (paused dossiers count as in time)."""
    now = now or timezone.now()
    return dossier.status in workflow.RUNNING and dossier.due_at is not None and dossier.due_at < now


def overdue_working_days(dossier: Dossier, now: dt.datetime | None = None) -> int:
    """How many working days an overdue dossier is late by; at least 1 once the due moment passed."""
    now = now or timezone.now()
    due_day = timezone.localtime(dossier.due_at).date()
    late = get_working_calendar().working_days_between(due_day, timezone.localtime(now).date())
    return max(late, 1)


def is_late(dossier: Dossier, now: dt.datetime | None = None) -> bool:
    """Needs the apology letter (Mẫu 04): resolved late, or overdue now."""
    return dossier.timeliness == Timeliness.LATE or is_overdue_now(dossier, now)


def applicant_of(user, dossier: Dossier) -> dict:
    """The applicant's details, in full only for the dossier's own commune (dossiers.privacy)."""
    full = privacy.sees_personal_data(user, dossier)

    def shown(value, mask):
        return value if full else mask(value)

    return {
        "full": full,
        "name": dossier.applicant_name,
        "id_number": shown(dossier.applicant_id_number, privacy.mask_id_number),
        "phone": shown(dossier.applicant_phone, privacy.mask_phone),
        "address": shown(dossier.applicant_address, privacy.mask_address),
    }


def _move_id(to_status: int) -> str:
    return f"move-{to_status}"


def _moves(dossier: Dossier, submitted: MoveForm | None) -> list[dict]:
    moves = []
    for to_status in sorted(workflow.allowed_moves(dossier.status)):
        prefix = _move_id(to_status)
        if submitted is not None and submitted.data.get("to_status") == str(to_status):
            form, is_open = submitted, True
        else:
            form = MoveForm(
                initial={"to_status": to_status, "version": dossier.version}, auto_id=f"id_{prefix}_%s"
            )
            is_open = False
        moves.append(
            {
                "to_status": to_status,
                "to_label": status_label(to_status),
                "verb": workflow.move_verb(dossier.status, to_status),
                "id": prefix,
                "form": form,
                "open": is_open,
            }
        )
    return moves


def render_page(
    request,
    dossier: Dossier,
    *,
    status: int = 200,
    move_form: MoveForm | None = None,
    applicant_form: ApplicantForm | None = None,
    error: str = "",
    error_code: str = "",
    unsaved_note: str = "",
):
    user = request.user
    scope = scope_of(user)
    now = timezone.now()
    steps = timeline(dossier)
    overdue = is_overdue_now(dossier, now)
    can_move = scope.can_change_dossiers
    moves = _moves(dossier, move_form) if can_move else []
    orphan_errors = []
    if move_form is not None and move_form.is_bound and not any(m["form"] is move_form for m in moves):
        orphan_errors = [message for field_errors in move_form.errors.values() for message in field_errors]
    applicant = applicant_of(user, dossier)
    can_edit = scope.role in EDIT_ROLES and applicant["full"]
    if can_edit and applicant_form is None:
        applicant_form = ApplicantForm.for_dossier(dossier, auto_id="id_applicant_%s")
    context = {
        "dossier": dossier,
        "status_label": status_label(dossier.status),
        "status_group": status_group(dossier.status),
        "steps": steps,
        "applicant": applicant,
        "overdue": overdue,
        "overdue_days": overdue_working_days(dossier, now) if overdue else 0,
        "paused": dossier.status in workflow.PAUSED,
        "moves": moves,
        # Errors of a submitted move that no open form shows (a target that is not offered any more).
        "orphan_errors": orphan_errors,
        "can_move": can_move,
        "can_edit": can_edit,
        "applicant_form": applicant_form if can_edit else None,
        "edit_open": applicant_form is not None and applicant_form.is_bound,
        "error": error,
        "error_code": error_code,
        "stale": error_code == errors.STALE_VERSION,
        # What the clerk typed into a refused stale move, so it need not be typed again from memory.
        "unsaved_note": unsaved_note,
        "show_receipt": dossier.received_at is not None,
        "show_print_02": any(step.to_status == Status.SUPPLEMENT_REQUESTED for step in steps),
        "show_print_04": is_late(dossier, now),
    }
    return render(request, "dossiers/dossier_detail.html", context, status=status)


class DossierDetailView(StaffRequiredMixin, View):
    """/ho-so/<code>/: every staff member in scope reads it; out of scope is a 404."""

    def get(self, request, code):
        return render_page(request, get_dossier(request.user, code))


class DossierMoveView(RoleRequiredMixin, View):
    """POST a move (MoveForm) to the workflow; inspectors only read (403)."""

    allowed_roles = MOVE_ROLES
    http_method_names = ["post"]

    def post(self, request, code):
        dossier = get_dossier(request.user, code)
        form = MoveForm(request.POST, auto_id=f"id_{_move_id(request.POST.get('to_status', ''))}_%s")
        if not form.is_valid():
            return render_page(
                request,
                dossier,
                status=400,
                move_form=form,
                error=_("Chưa chuyển được hồ sơ: vui lòng kiểm tra các ô được đánh dấu."),
            )
        data = form.cleaned_data
        try:
            moved = services.move_dossier(
                dossier,
                data["to_status"],
                actor=request.user,
                at=data["at"],
                note=data["note"],
                expected_version=data["version"],
            )
        except DossierError as exc:
            message = exc.messages[0]
            stale = exc.error_code == errors.STALE_VERSION
            if exc.error_code == errors.INVALID_TIME:
                form.add_error("at", message)
            return render_page(
                request,
                # The refused save changed nothing; show what the database holds now.
                get_dossier(request.user, code),
                status=409 if exc.error_code in CONFLICT_CODES else 400,
                # A stale form is not offered again as it was: the clerk must see the new state first.
                move_form=None if stale else form,
                error=message,
                error_code=exc.error_code,
                unsaved_note=data["note"] if stale else "",
            )
        messages.success(
            request, _("Đã chuyển hồ sơ sang “%(status)s”.") % {"status": status_label(moved.status)}
        )
        return redirect("dossier-detail", code=moved.code)


class DossierEditView(RoleRequiredMixin, View):
    """POST a correction of the applicant's details (ApplicantForm) through services.update_applicant."""

    allowed_roles = EDIT_ROLES
    http_method_names = ["post"]

    def post(self, request, code):
        dossier = get_dossier(request.user, code)
        form = ApplicantForm(request.POST, auto_id="id_applicant_%s")
        invalid = _("Chưa lưu được thông tin người nộp: vui lòng kiểm tra các ô được đánh dấu.")
        if not form.is_valid():
            return render_page(request, dossier, status=400, applicant_form=form, error=invalid)
        try:
            services.update_applicant(
                dossier, expected_version=form.cleaned_data["version"], **form.changes()
            )
        except DossierError as exc:
            stale = exc.error_code == errors.STALE_VERSION
            return render_page(
                request,
                get_dossier(request.user, code),
                status=409 if exc.error_code in CONFLICT_CODES else 400,
                applicant_form=None if stale else form,
                error=exc.messages[0],
                error_code=exc.error_code,
            )
        except ValidationError as exc:
            for field, field_messages in exc.message_dict.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
            return render_page(request, dossier, status=400, applicant_form=form, error=invalid)
        messages.success(request, _("Đã cập nhật thông tin người nộp hồ sơ."))
        return redirect("dossier-detail", code=code)
