"""Write use cases of the inspections (DOMAIN.md §6): the only writers of its models.

Each one runs in one transaction, checks the actor's role, validates everything before writing
(a refusal saves nothing), locks the row it changes, and saves. `user=None` is the system itself
(demo data, imports): allowed everything, recorded as nobody.

Refusals: InspectionError (inspections.errors: a Vietnamese message and a stable code) for bad
input, django.core.exceptions.PermissionDenied for an actor outside its role or province.

Who may do what:
- inspectors of the group's province (and admins): working groups, visits, visited communes,
  findings, proposals, directives, and every answer and progress note;
- department users: answer the proposals addressed to their department and add progress to the
  directives assigned to it;
- clerks and leaders: add progress to the directives assigned to their commune.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.choices import Role
from communes.models import Commune, Province
from communes.scope import scope_of

from . import checks, errors
from .checks import Period
from .choices import DirectiveStatus, ProposalStatus
from .errors import InspectionError
from .models import (
    Department,
    Directive,
    DirectiveProgress,
    Finding,
    Proposal,
    Visit,
    VisitedCommune,
    WorkingGroup,
    WorkingGroupMember,
)
from .snapshots import default_period, take_snapshot

# --- Working groups ------------------------------------------------------------------------------


@transaction.atomic
def create_working_group(
    user,
    province: Province,
    number: int,
    leader_name: str,
    *,
    name: str = "",
    leader_title: str = "",
    members: Iterable[Mapping] = (),
) -> WorkingGroup:
    """Create a working group of `province` with its members.

    `name` defaults to "Tổ công tác số {number}"; each member is a mapping with `name` and
    optionally `title` and `department` (a Department of the province). Refusals: duplicate-group,
    text-required (leader or member without a name), outside-province (a member's department).
    """
    checks.require_inspector(user, province.pk)
    leader_name = checks.required_text(leader_name, _("Cần nhập họ và tên tổ trưởng."))
    if WorkingGroup.objects.filter(province=province, number=number).exists():
        raise InspectionError(
            _("%(province)s đã có tổ công tác số %(number)s.")
            % {"province": province.full_name, "number": number},
            errors.DUPLICATE_GROUP,
        )
    rows = _member_rows(members, province.pk)
    group = WorkingGroup.objects.create(
        province=province,
        number=number,
        name=(name or "").strip() or f"Tổ công tác số {number}",
        leader_name=leader_name,
        leader_title=(leader_title or "").strip(),
    )
    for row in rows:
        row.group = group
    WorkingGroupMember.objects.bulk_create(rows)
    return group


def _member_rows(members: Iterable[Mapping], province_id: int) -> list[WorkingGroupMember]:
    """Unsaved member rows, checked: a name each, departments of the group's province."""
    rows = []
    for member in members:
        department = member.get("department")
        if department is not None:
            checks.check_department(department, province_id)
        rows.append(
            WorkingGroupMember(
                name=checks.required_text(
                    member.get("name"), _("Cần nhập họ và tên thành viên tổ công tác.")
                ),
                title=(member.get("title") or "").strip(),
                department=department,
            )
        )
    return rows


@transaction.atomic
def update_working_group(
    user,
    group: WorkingGroup,
    *,
    number: int | None = None,
    name: str | None = None,
    leader_name: str | None = None,
    leader_title: str | None = None,
    members: Iterable[Mapping] | None = None,
) -> WorkingGroup:
    """Change a working group's number, name, leader or members (None keeps the current value).

    `members`, when given, replaces the whole list (same mappings as create_working_group).
    Its visits and their reports are unaffected. Refusals: duplicate-group, text-required,
    outside-province.
    """
    locked = WorkingGroup.objects.select_for_update().select_related("province").get(pk=group.pk)
    checks.require_inspector(user, locked.province_id)
    if number is not None and number != locked.number:
        if WorkingGroup.objects.filter(province_id=locked.province_id, number=number).exists():
            raise InspectionError(
                _("%(province)s đã có tổ công tác số %(number)s.")
                % {"province": locked.province.full_name, "number": number},
                errors.DUPLICATE_GROUP,
            )
        locked.number = number
    if leader_name is not None:
        locked.leader_name = checks.required_text(leader_name, _("Cần nhập họ và tên tổ trưởng."))
    if leader_title is not None:
        locked.leader_title = leader_title.strip()
    if name is not None:
        locked.name = name.strip() or f"Tổ công tác số {locked.number}"
    rows = _member_rows(members, locked.province_id) if members is not None else None
    locked.save()
    if rows is not None:
        locked.members.all().delete()
        for row in rows:
            row.group = locked
        WorkingGroupMember.objects.bulk_create(rows)
    return locked


# --- Visits --------------------------------------------------------------------------------------


@transaction.atomic
def record_visit(
    user,
    group: WorkingGroup,
    date: dt.date,
    communes: Iterable[Commune | str],
    participants: str = "",
    conclusion: str = "",
    periods: Mapping | None = None,
) -> Visit:
    """Record a visit of `group` on `date` to `communes`, freezing each commune's figures.

    `communes` are Commune rows or 5-digit codes (a code means the version valid on `date`).
    `periods` optionally maps a commune (row, id or code) to its figures period (first, last);
    the default is inspections.snapshots.default_period: the 1st of the visit's month to the day
    before the visit, or the whole previous month for a visit on the 1st. Each VisitedCommune
    gets inspections.snapshots.take_snapshot: the summary with predecessors, recomputed first
    when the daily figures may be stale.

    Refusals: visit-in-future, no-communes, unknown-commune, duplicate-commune, outside-province,
    commune-inactive (the unit did not exist on `date`), period-for-unknown-commune,
    invalid-period, period-not-before-visit. PermissionDenied unless an inspector of the
    group's province or an admin.
    """
    province = group.province
    checks.require_inspector(user, province.pk)
    today = timezone.localdate()
    if date > today:
        raise InspectionError(
            _("Ngày kiểm tra %(day)s ở tương lai: chỉ ghi nhận buổi kiểm tra đã diễn ra.")
            % {"day": checks.day_text(date)},
            errors.VISIT_IN_FUTURE,
        )
    units = [checks.resolve_commune(item, date) for item in communes]
    if not units:
        raise InspectionError(_("Buổi kiểm tra cần ít nhất một xã."), errors.NO_COMMUNES)
    seen = set()
    for unit in units:
        if unit.pk in seen:
            raise InspectionError(
                _("%(unit)s được chọn hai lần trong cùng buổi kiểm tra.") % {"unit": unit.full_name},
                errors.DUPLICATE_COMMUNE,
            )
        seen.add(unit.pk)
        checks.check_commune(unit, province, date, group.name)
    chosen = checks.periods_by_commune(periods, units)
    plan = [
        (unit, checks.check_period(unit, chosen.get(unit.pk) or default_period(date), date)) for unit in units
    ]

    visit = Visit.objects.create(
        group=group,
        date=date,
        participants=(participants or "").strip(),
        conclusion=(conclusion or "").strip(),
        created_by=user,
    )
    now = timezone.now()
    VisitedCommune.objects.bulk_create(
        [
            VisitedCommune(
                visit=visit,
                commune=unit,
                period_from=first,
                period_to=last,
                snapshot=take_snapshot(unit, first, last),
                snapshot_taken_at=now,
            )
            for unit, (first, last) in plan
        ]
    )
    return visit


@transaction.atomic
def update_visit(
    user, visit: Visit, *, participants: str | None = None, conclusion: str | None = None
) -> Visit:
    """Change a visit's participants or general conclusion (None keeps the current text).

    The date and the communes stay as recorded: the snapshots were frozen for them.
    """
    locked = Visit.objects.select_for_update().select_related("group").get(pk=visit.pk)
    checks.require_inspector(user, locked.group.province_id)
    if participants is not None:
        locked.participants = participants.strip()
    if conclusion is not None:
        locked.conclusion = conclusion.strip()
    locked.save()
    return locked


@transaction.atomic
def update_visited_commune(
    user, visited_commune: VisitedCommune, *, conclusion: str | None = None, period: Period | None = None
) -> VisitedCommune:
    """Change a visited commune's conclusion and/or its figures period (None keeps the current one).

    The snapshot is re-frozen only when `period` is given and differs from the current period;
    otherwise it is left exactly as it was. Refusals: invalid-period, period-not-before-visit.
    """
    locked = (
        VisitedCommune.objects.select_for_update()
        .select_related("visit__group", "commune")
        .get(pk=visited_commune.pk)
    )
    checks.require_inspector(user, locked.visit.group.province_id)
    if period is not None:
        first, last = checks.check_period(locked.commune, period, locked.visit.date)
        if (first, last) != (locked.period_from, locked.period_to):
            locked.period_from, locked.period_to = first, last
            locked.snapshot = take_snapshot(locked.commune, first, last)
            locked.snapshot_taken_at = timezone.now()
    if conclusion is not None:
        locked.conclusion = conclusion.strip()
    locked.save()
    return locked


@transaction.atomic
def add_finding(user, visited_commune: VisitedCommune, category: str, text: str) -> Finding:
    """File a difficulty heard at a visited commune. Refusals: invalid-category, text-required."""
    checks.require_inspector(user, visited_commune.visit.group.province_id)
    category, text = checks.finding_category(category), checks.finding_text(text)
    return Finding.objects.create(visited_commune=visited_commune, category=category, text=text)


@transaction.atomic
def add_proposal(user, visited_commune: VisitedCommune, text: str, department: Department) -> Proposal:
    """Record a commune's proposal addressed to a department of the province (status pending).

    Refusals: text-required, outside-province.
    """
    province_id = visited_commune.visit.group.province_id
    checks.require_inspector(user, province_id)
    text = checks.proposal_text(text)
    checks.check_department(department, province_id)
    return Proposal.objects.create(visited_commune=visited_commune, text=text, department=department)


@transaction.atomic
def answer_proposal(user, proposal: Proposal, status: str, answer: str = "") -> Proposal:
    """Mark a proposal accepted (đã tiếp thu) or answered (đã trả lời, with the answer's text).

    Allowed: users of the addressed department, inspectors of the province, admins. Answering
    again replaces the answer. Refusals: invalid-status (anything but accepted or answered),
    answer-required.
    """
    locked = (
        Proposal.objects.select_for_update()
        .select_related("department", "visited_commune__visit__group")
        .get(pk=proposal.pk)
    )
    scope = scope_of(user)
    own_department = scope.role == Role.DEPARTMENT and scope.department_id == locked.department_id
    if not own_department and not checks.is_inspector_of(
        user, locked.visited_commune.visit.group.province_id
    ):
        raise PermissionDenied(
            _(
                "Chỉ cán bộ của %(department)s, thành viên tổ công tác của tỉnh hoặc quản trị viên "
                "được trả lời kiến nghị này."
            )
            % {"department": locked.department.name}
        )
    if status not in (ProposalStatus.ACCEPTED, ProposalStatus.ANSWERED):
        raise InspectionError(
            _("Kiến nghị chỉ có thể chuyển sang «%(accepted)s» hoặc «%(answered)s».")
            % {"accepted": ProposalStatus.ACCEPTED.label, "answered": ProposalStatus.ANSWERED.label},
            errors.INVALID_STATUS,
        )
    answer = (answer or "").strip()
    if status == ProposalStatus.ANSWERED and not answer:
        raise InspectionError(_("Cần nhập nội dung trả lời kiến nghị."), errors.ANSWER_REQUIRED)
    locked.status = status
    locked.answer = answer
    locked.answered_by = user
    locked.answered_at = timezone.now()
    locked.save()
    return locked


# --- Directives ----------------------------------------------------------------------------------


@transaction.atomic
def create_directive(
    user,
    visit: Visit,
    text: str,
    due_date: dt.date,
    department: Department | None = None,
    commune: Commune | str | None = None,
    visited_commune: VisitedCommune | None = None,
) -> Directive:
    """Assign a task after `visit` to exactly one department or one commune, due on `due_date`.

    `commune` is a Commune or a code (the version valid on the visit date); `visited_commune`
    optionally ties the task to one commune's results on that visit. Refusals: text-required,
    invalid-assignee (none or both), outside-province, unknown-commune, commune-inactive,
    visited-commune-mismatch, due-before-visit.
    """
    group = visit.group
    checks.require_inspector(user, group.province_id)
    text = checks.required_text(text, _("Cần nhập nội dung nhiệm vụ."))
    if (department is None) == (commune is None):
        raise InspectionError(
            _("Nhiệm vụ giao cho đúng một đơn vị: chọn một sở, ngành hoặc một xã."), errors.INVALID_ASSIGNEE
        )
    if department is not None:
        checks.check_department(department, group.province_id)
    else:
        commune = checks.resolve_commune(commune, visit.date)
        checks.check_commune(commune, group.province, visit.date, group.name)
    if visited_commune is not None and visited_commune.visit_id != visit.pk:
        raise InspectionError(
            _("Xã được kiểm tra đã chọn thuộc một buổi kiểm tra khác."), errors.VISITED_COMMUNE_MISMATCH
        )
    checks.check_due(due_date, visit)
    return Directive.objects.create(
        visit=visit,
        visited_commune=visited_commune,
        text=text,
        department=department,
        commune=commune,
        due_date=due_date,
        created_by=user,
    )


@transaction.atomic
def update_directive(user, directive: Directive, *, text: str | None = None, due_date: dt.date | None = None):
    """Reword a directive or move its due date (None keeps it); its status moves only by progress.

    Refusals: text-required, due-before-visit.
    """
    locked = Directive.objects.select_for_update().select_related("visit__group").get(pk=directive.pk)
    checks.require_inspector(user, locked.visit.group.province_id)
    if text is not None:
        locked.text = checks.required_text(text, _("Cần nhập nội dung nhiệm vụ."))
    if due_date is not None:
        checks.check_due(due_date, locked.visit)
        locked.due_date = due_date
    locked.save()
    return locked


@transaction.atomic
def add_progress(
    user, directive: Directive, note: str, status: str | None = None, date: dt.date | None = None
) -> DirectiveProgress:
    """Add a progress note to a directive, optionally moving its status (open / in progress / done).

    `date` is the day the note reports on: today by default, never in the future nor before the
    visit. Moving to done sets completed_at (now); moving away from done clears it. The note
    records the status only when it changed. Allowed: inspectors of the province, admins, the
    assigned department's users, the assigned commune's clerks and leaders. Refusals:
    text-required, invalid-status, invalid-date.
    """
    locked = Directive.objects.select_for_update().select_related("visit__group").get(pk=directive.pk)
    if not checks.may_report_on(user, locked):
        raise PermissionDenied(_("Bạn không được cập nhật tiến độ nhiệm vụ này."))
    note = checks.required_text(note, _("Cần nhập nội dung tiến độ thực hiện."))
    if status is not None and status not in DirectiveStatus.values:
        raise InspectionError(
            _("Trạng thái nhiệm vụ «%(status)s» không hợp lệ.") % {"status": status}, errors.INVALID_STATUS
        )
    today = timezone.localdate()
    date = date or today
    if date > today or date < locked.visit.date:
        raise InspectionError(
            _("Ngày cập nhật tiến độ phải từ ngày kiểm tra %(visit)s đến hôm nay %(today)s.")
            % {"visit": checks.day_text(locked.visit.date), "today": checks.day_text(today)},
            errors.INVALID_DATE,
        )
    moved_to = status if status is not None and status != locked.status else ""
    if moved_to:
        locked.status = moved_to
        locked.completed_at = timezone.now() if moved_to == DirectiveStatus.DONE else None
        locked.save()
    return DirectiveProgress.objects.create(
        directive=locked, author=user, date=date, note=note, status=moved_to
    )
