"""Write use cases of dossiers: receive, move through the workflow, correct applicant details.

Each one runs in one transaction, locks the dossier it changes, validates before writing,
records the event, bumps the version and, after commit, tells the statistics what changed.
Views, the API, the import and the demo data all come through here.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.calendar import WorkingCalendar
from communes.calendar_store import get_working_calendar
from communes.models import Commune, ServiceCentre

from . import errors, workflow
from .choices import Channel, Status, Timeliness
from .codes import next_code
from .errors import DossierError
from .figures_backlog import mark_stale, schedule_recompute
from .models import Dossier, DossierEvent, Procedure
from .signals import dossier_changed

#: Clocks of clients and server differ a little; a time this far ahead still counts as "now".
CLOCK_SKEW = dt.timedelta(seconds=60)
APPLICANT_FIELDS = ("applicant_name", "applicant_id_number", "applicant_phone", "applicant_address")


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _fmt(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def _check_not_future(at: dt.datetime, now: dt.datetime) -> None:
    if timezone.is_naive(at):
        raise DossierError(_("Thời điểm phải kèm múi giờ."), errors.INVALID_TIME)
    if at > now + CLOCK_SKEW:
        raise DossierError(
            _("Thời điểm %(at)s ở tương lai: chỉ được ghi lùi ngày, không được ghi trước.")
            % {"at": _fmt(at)},
            errors.INVALID_TIME,
        )


def _check_commune_active(commune: Commune, at: dt.datetime, *, receiving: bool) -> None:
    """A unit takes no dossier before it existed, nor (when receiving) after it ceased to exist."""
    day = _local_date(at)
    if commune.valid_from is not None and day < commune.valid_from:
        raise DossierError(
            _("%(unit)s bắt đầu hoạt động từ %(start)s: không thể ghi nhận hồ sơ ngày %(day)s.")
            % {
                "unit": commune.full_name,
                "start": f"{commune.valid_from:%d/%m/%Y}",
                "day": f"{day:%d/%m/%Y}",
            },
            errors.COMMUNE_INACTIVE,
        )
    if receiving and commune.valid_to is not None and day > commune.valid_to:
        raise DossierError(
            _(
                "%(unit)s đã kết thúc hoạt động ngày %(end)s (đã sắp xếp, sáp nhập): "
                "không tiếp nhận hồ sơ ngày %(day)s."
            )
            % {"unit": commune.full_name, "end": f"{commune.valid_to:%d/%m/%Y}", "day": f"{day:%d/%m/%Y}"},
            errors.COMMUNE_INACTIVE,
        )


def _check_version(locked: Dossier, expected_version) -> None:
    """Optimistic locking: the save of whoever loaded an older version is refused, never merged."""
    if expected_version is not None and int(expected_version) != locked.version:
        raise DossierError(
            _(
                "Hồ sơ %(code)s vừa được người khác cập nhật (phiên bản %(current)d). "
                "Vui lòng tải lại trang để xem thay đổi trước khi thao tác."
            )
            % {"code": locked.code, "current": locked.version},
            errors.STALE_VERSION,
        )


def _changed(dossier: Dossier, since: dt.datetime) -> None:
    """Mark the commune's figures stale from the affected day (in this transaction), then notify."""
    commune_id, day = dossier.commune_id, _local_date(since)
    mark_stale(commune_id, day)
    schedule_recompute(commune_id)
    transaction.on_commit(lambda: dossier_changed.send(sender=Dossier, commune_id=commune_id, since=day))


def _record(dossier, from_status, to_status, at, actor, note) -> DossierEvent:
    last_seq = dossier.events.order_by("-seq").values_list("seq", flat=True).first() or 0
    return DossierEvent.objects.create(
        dossier=dossier,
        seq=last_seq + 1,
        from_status=from_status,
        to_status=to_status,
        at=at,
        actor=actor,
        note=note,
        due_at=dossier.due_at,
    )


def timeliness_of(finished_at: dt.datetime, due_at: dt.datetime) -> str:
    """Compares local DATES (DOMAIN.md §4): before the due date early, on it on time, after late."""
    finished, due = _local_date(finished_at), _local_date(due_at)
    if finished < due:
        return Timeliness.EARLY
    return Timeliness.ON_TIME if finished == due else Timeliness.LATE


def resumed_due_at(calendar: WorkingCalendar, due_at, paused_at, resumed_at) -> dt.datetime:
    """The due date moves forward by the working days d with pause_date < d <= resume_date."""
    shift = calendar.working_days_between(_local_date(paused_at), _local_date(resumed_at))
    return calendar.closing_time_on(calendar.add_working_days(_local_date(due_at), shift))


def preview_due_at(procedure: Procedure, at: dt.datetime | None = None) -> dt.datetime:
    """The due moment a dossier of `procedure` received at `at` (default now) would get."""
    return get_working_calendar().due_at(at or timezone.now(), procedure.processing_days)


@transaction.atomic
def receive_dossier(
    *,
    commune: Commune,
    procedure: Procedure,
    channel: str,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str = "",
    applicant_address: str = "",
    actor=None,
    at: dt.datetime | None = None,
    status: int = Status.RECEIVED,
    note: str = "",
    code: str | None = None,
) -> Dossier:
    """Log a new dossier: status 2 (received) or, for an online submission not yet accepted, 1.

    `at` (default now) is the receipt time, or the submission time for status 1; it may be in the
    past (paper records), never in the future, and the unit must exist on that day. The code is
    generated from the centre's agency code unless given (import). Errors: DossierError.
    """
    now = timezone.now()
    at = at or now
    _check_not_future(at, now)
    if status not in workflow.INITIAL:
        raise DossierError(
            _("Hồ sơ mới chỉ có thể ở trạng thái 1 (Mới đăng ký, hồ sơ trực tuyến) hoặc 2 (Được tiếp nhận)."),
            errors.INVALID_INITIAL_STATUS,
        )
    if status == Status.SUBMITTED and channel != Channel.ONLINE:
        raise DossierError(
            _(
                "Chỉ hồ sơ nộp trực tuyến mới có trạng thái 1 (Mới đăng ký); "
                "hồ sơ trực tiếp, qua bưu chính được tiếp nhận ngay."
            ),
            errors.INVALID_INITIAL_STATUS,
        )
    if not procedure.is_active:
        raise DossierError(
            _("Thủ tục %(code)s không còn áp dụng.") % {"code": procedure.code}, errors.PROCEDURE_INACTIVE
        )
    _check_commune_active(commune, at, receiving=True)
    if code is None:
        centre = ServiceCentre.objects.filter(commune=commune).first()
        if centre is None:
            raise DossierError(
                _("%(unit)s chưa có Trung tâm Phục vụ hành chính công (mã cơ quan) để cấp mã hồ sơ.")
                % {"unit": commune.full_name},
                errors.NO_SERVICE_CENTRE,
            )
        code = next_code(centre, _local_date(at))

    dossier = Dossier(
        code=code,
        commune=commune,
        procedure=procedure,
        processing_days=procedure.processing_days,
        channel=channel,
        status=status,
        applicant_name=" ".join(applicant_name.split()),
        applicant_id_number=applicant_id_number.strip(),
        applicant_phone=applicant_phone.strip(),
        applicant_address=applicant_address.strip(),
        submitted_at=at,
    )
    if status == Status.RECEIVED:
        dossier.received_at = at
        dossier.due_at = get_working_calendar().due_at(at, dossier.processing_days)
    dossier.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError as exc:
        if Dossier.objects.filter(code=code).exists():
            raise DossierError(
                _("Mã hồ sơ %(code)s đã tồn tại.") % {"code": code}, errors.DUPLICATE_CODE
            ) from exc
        raise
    _record(dossier, None, status, at, actor, note)
    _changed(dossier, at)
    return dossier


def _apply(dossier: Dossier, to_status: int, at: dt.datetime, calendar: WorkingCalendar) -> None:
    """The dates and deadline a move sets (DOMAIN.md §3–4)."""
    from_status = dossier.status
    if to_status == Status.RECEIVED:
        dossier.received_at = at
        dossier.due_at = calendar.due_at(at, dossier.processing_days)
    if from_status in workflow.PAUSED:
        if to_status == Status.PROCESSING:
            dossier.due_at = resumed_due_at(calendar, dossier.due_at, dossier.paused_at, at)
        dossier.paused_at = None
    if to_status in workflow.PAUSED:
        dossier.paused_at = at
    if to_status in workflow.FINISHING:
        dossier.finished_at = at
    if to_status == Status.RESOLVED:
        dossier.timeliness = timeliness_of(at, dossier.due_at)
    if to_status == Status.RETURNED:
        dossier.returned_at = at
    dossier.status = to_status


@transaction.atomic
def move_dossier(
    dossier: Dossier,
    to_status: int,
    *,
    actor=None,
    at: dt.datetime | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Move a dossier to `to_status` at `at` (default now), recording the event.

    Refusals (DossierError codes): stale-version when `expected_version` is not the current one
    (someone else saved first), illegal-transition, invalid-time (future, or before the previous
    event), commune-inactive (accepting an online dossier outside the unit's life).
    """
    now = timezone.now()
    at = at or now
    locked = Dossier.objects.select_for_update().select_related("commune").get(pk=dossier.pk)
    _check_version(locked, expected_version)
    to_status = int(to_status)
    if not workflow.is_allowed(locked.status, to_status):
        raise DossierError(
            _("Không thể chuyển hồ sơ từ “%(from)s” sang “%(to)s”.")
            % {"from": Status(locked.status).label, "to": _status_label(to_status)},
            errors.ILLEGAL_TRANSITION,
        )
    _check_not_future(at, now)
    previous = locked.events.order_by("-seq").values_list("at", flat=True).first()
    if previous is not None and at < previous:
        raise DossierError(
            _(
                "Thời điểm %(at)s trước bước xử lý liền trước (%(previous)s): "
                "các bước phải theo đúng thứ tự thời gian."
            )
            % {"at": _fmt(at), "previous": _fmt(previous)},
            errors.INVALID_TIME,
        )
    _check_commune_active(locked.commune, at, receiving=to_status == Status.RECEIVED)

    from_status = locked.status
    _apply(locked, to_status, at, get_working_calendar())
    locked.version += 1
    locked.save()
    _record(locked, from_status, to_status, at, actor, note)
    _changed(locked, at)
    return locked


def _status_label(value: int) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return str(value)


@transaction.atomic
def update_applicant(dossier: Dossier, *, expected_version: int | None = None, **changes) -> Dossier:
    """Correct the applicant's details (a typo at intake); status and dates are not editable here."""
    unknown = set(changes) - set(APPLICANT_FIELDS)
    if unknown:
        raise DossierError(
            _("Không sửa được các trường: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            errors.READ_ONLY_FIELD,
        )
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    _check_version(locked, expected_version)
    for name, value in changes.items():
        setattr(
            locked, name, " ".join(str(value).split()) if name == "applicant_name" else str(value).strip()
        )
    locked.full_clean(validate_unique=False, validate_constraints=False)
    locked.version += 1
    locked.save()
    return locked
