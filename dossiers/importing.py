"""Importing dossiers exported from a provincial one-stop system: check every row, then replay them.

Every row is checked first (format, references, the status path, times in order and not in the
future, the unit active on the receipt day, the user's scope); one bad row and nothing is written,
with every bad row reported by line number. Then all rows are replayed in ONE transaction through
the same services as the browser (receive_dossier, then move_dossier step by step), so events,
deadlines, pauses and timeliness are exactly what a clerk's clicks would have produced. A code
already in the database is skipped when its state is the file's, refused as a conflict otherwise:
importing the same file twice changes nothing. Reading the file: import_files; checking one row:
import_rows; the format: docs/import-format.md.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import Commune

from .choices import Channel, Status
from .codes import reserve_imported_code
from .import_columns import format_time
from .import_files import MAX_ROWS, read_dossier_file
from .import_problems import ImportFileError, ImportRefused, Problem, safe_echo
from .import_rows import PlannedDossier, References, check_row
from .models import Dossier, Procedure
from .services import move_dossier, receive_dossier

logger = logging.getLogger(__name__)

NOTE = "Nhập từ tệp"


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do): (line, code) of each created and skipped row."""

    created: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False


class _DryRunDone(Exception):
    """Raised inside the transaction of a dry run so that everything it wrote is rolled back."""


def import_dossiers(
    data: bytes, filename: str, *, actor=None, scope=None, dry_run=False, max_rows=MAX_ROWS
) -> ImportResult:
    """Check the whole file, then create its new dossiers in one transaction (or roll back: dry run).

    `scope` (communes.scope.Scope) limits the rows to the units it covers; None for an operator
    importing for every commune. Raises ImportRefused listing every problem; nothing is written then.
    """
    try:
        parsed = read_dossier_file(data, filename, max_rows=max_rows)
    except ImportFileError as exc:
        raise ImportRefused(exc.problems) from None
    plans, skipped, problems = check_rows(parsed.rows, scope=scope)
    problems = [*parsed.problems, *problems]
    if problems:
        raise ImportRefused(problems)
    result = ImportResult(
        created=[(p.line, p.code) for p in plans],
        skipped=[(p.line, p.code) for p in skipped],
        dry_run=dry_run,
    )
    try:
        with transaction.atomic():
            for plan in plans:
                _replay(plan, actor)
            if dry_run:
                raise _DryRunDone
    except _DryRunDone:
        pass
    logger.info(
        "Dossier import%s by user %s: %d created, %d skipped.",
        " (dry run)" if dry_run else "",
        getattr(actor, "pk", None),
        len(result.created),
        len(result.skipped),
    )
    return result


def _replay(plan: PlannedDossier, actor) -> None:
    """Create the dossier and move it step by step; a refusal aborts the whole import."""
    last = len(plan.steps) - 1
    notes = [NOTE] * last + [f"{NOTE}. {plan.note}" if plan.note else NOTE]
    try:
        reserve_imported_code(plan.commune.service_centre, plan.code_day, plan.code_number)
        first = plan.steps[0]
        dossier = receive_dossier(
            commune=plan.commune,
            procedure=plan.procedure,
            channel=plan.channel,
            actor=actor,
            at=first.at,
            status=first.status,
            note=notes[0],
            code=plan.code,
            **plan.applicant,
        )
        for step, note in zip(plan.steps[1:], notes[1:], strict=True):
            dossier = move_dossier(dossier, step.status, actor=actor, at=step.at, note=note)
    except ValidationError as exc:  # DossierError, or a field the model refuses
        raise ImportRefused(
            [Problem(plan.line, f"{plan.code}: {' '.join(exc.messages)}", getattr(exc, "error_code", ""))]
        ) from None
    except IntegrityError:
        raise ImportRefused(
            [
                Problem(
                    plan.line,
                    _("%(code)s: không lưu được hồ sơ (dữ liệu vi phạm ràng buộc).") % {"code": plan.code},
                )
            ]
        ) from None


def check_rows(rows, *, scope=None, now=None):
    """(plans to create, plans already in the database, problems) for the file's rows."""
    now = now or timezone.now()
    rows = list(rows)
    refs = References.load(rows)
    plans, skipped, problems, first_line = [], [], [], {}
    for row in rows:
        plan, row_problems = check_row(row, refs, scope, now)
        code = row.values["ma_ho_so"].upper()
        if code and code in first_line:
            row_problems.append(
                Problem(
                    row.line,
                    _("Mã hồ sơ %(code)s trùng với dòng %(first)d.")
                    % {"code": safe_echo(code), "first": first_line[code]},
                    "duplicate-code",
                )
            )
        first_line.setdefault(code, row.line)
        if row_problems:
            problems.extend(row_problems)
            continue
        existing = refs.existing.get(plan.code)
        if existing is None:
            if not plan.procedure.is_active:
                problems.append(
                    Problem(
                        row.line,
                        _("Thủ tục %(code)s không còn áp dụng.") % {"code": plan.procedure.code},
                        "procedure-inactive",
                    )
                )
            plans.append(plan)
        elif (conflict := _conflict(plan, existing, scope)) is not None:
            problems.append(conflict)
        else:
            skipped.append(plan)
    return plans, skipped, problems


def _conflict(plan: PlannedDossier, existing: Dossier, scope):
    """None when the database holds the file's dossier already; else the conflict to report."""
    if scope is not None and not scope.covers(existing.commune_id):
        return Problem(
            plan.line,
            _("Mã hồ sơ %(code)s đã được dùng cho hồ sơ của đơn vị khác.") % {"code": plan.code},
            "conflict",
        )
    wanted = plan.final_state
    differences = [
        _("%(what)s: trong hệ thống %(db)s, trong tệp %(file)s")
        % {"what": what, "db": _shown(name, getattr(existing, name)), "file": _shown(name, wanted[name])}
        for name, what in _COMPARED.items()
        if getattr(existing, name) != wanted[name]
    ]
    if not differences:
        return None
    return Problem(
        plan.line,
        _(
            "Mã hồ sơ %(code)s đã có trong hệ thống nhưng khác dòng này (%(differences)s). "
            "Nhập từ tệp không sửa hồ sơ đã có: cập nhật hồ sơ trên cổng hoặc bỏ dòng này khỏi tệp."
        )
        % {"code": plan.code, "differences": "; ".join(differences)},
        "conflict",
    )


_COMPARED = {
    "status": gettext_lazy("trạng thái"),
    "commune_id": gettext_lazy("đơn vị"),
    "procedure_id": gettext_lazy("thủ tục"),
    "channel": gettext_lazy("kênh"),
    "submitted_at": gettext_lazy("thời điểm nộp"),
    "received_at": gettext_lazy("thời điểm tiếp nhận"),
    "finished_at": gettext_lazy("thời điểm kết thúc"),
    "returned_at": gettext_lazy("thời điểm trả kết quả"),
}


def _shown(name, value) -> str:
    """A stored field's value as a conflict message shows it."""
    if value is None:
        return _("(trống)")
    if isinstance(value, dt.datetime):
        return format_time(value)
    if name == "status":
        return f"{value} – {Status(value).label}"
    if name == "channel":
        return str(Channel(value).label)
    if name == "commune_id":
        unit = Commune.objects.filter(pk=value).first()
        return f"{unit.full_name} ({unit.code})" if unit else str(value)
    if name == "procedure_id":
        return Procedure.objects.filter(pk=value).values_list("code", flat=True).first() or str(value)
    return str(value)
