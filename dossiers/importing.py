"""Importing dossiers exported from a provincial one-stop system: check every row, then replay them.

Every row is checked first (format, references, the status path, times in order and not in the
future, the unit active on the receipt day, the user's scope); one bad row and nothing is written,
with every bad row reported by line number. Then all rows are replayed in ONE transaction through
the same services as the browser (receive_dossier, then move_dossier step by step), so events,
deadlines, pauses and timeliness are exactly what a clerk's clicks would have produced. A code
already in the database is skipped when its state is the file's, refused as a conflict otherwise:
importing the same file twice changes nothing. The format: docs/import-format.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import Commune
from communes.text import fold

from . import workflow
from .choices import Channel, Status
from .codes import is_well_formed, reserve_imported_code
from .import_files import (
    COLUMNS_BY_KEY,
    MAX_ROWS,
    ImportFileError,
    Problem,
    RawRow,
    parse_time,
    read_dossier_file,
)
from .models import Dossier, Procedure
from .services import move_dossier, receive_dossier

logger = logging.getLogger(__name__)

NOTE = "Nhập từ tệp"
NOTE_MAX_LENGTH = 900
_QUERY_CHUNK = 500  # SQLite allows ~1,000 parameters per query

NOP, TIEP_NHAN, XU_LY = "thoi_diem_nop", "thoi_diem_tiep_nhan", "thoi_diem_xu_ly"
TAM_DUNG, TIEP_TUC = "thoi_diem_tam_dung", "thoi_diem_tiep_tuc"
KET_THUC, TRA = "thoi_diem_ket_thuc", "thoi_diem_tra_ket_qua"
TIME_COLUMNS = (NOP, TIEP_NHAN, XU_LY, TAM_DUNG, TIEP_TUC, KET_THUC, TRA)

#: For each status: the time columns a row needs, and those it may have; the others stay empty.
#: (Also: a pause needs the processing time; a resumption needs the pause; see _check_path.)
TIME_RULES: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {
    1: ((NOP,), ()),
    2: ((TIEP_NHAN,), (NOP,)),
    3: ((NOP, KET_THUC), ()),
    4: ((TIEP_NHAN, XU_LY), (NOP, TAM_DUNG, TIEP_TUC)),
    5: ((TIEP_NHAN, XU_LY, TAM_DUNG), (NOP,)),
    6: ((TIEP_NHAN, XU_LY, TAM_DUNG), (NOP,)),
    7: ((TIEP_NHAN, KET_THUC), (NOP, XU_LY, TAM_DUNG, TIEP_TUC)),
    8: ((TIEP_NHAN, XU_LY, KET_THUC), (NOP, TAM_DUNG, TIEP_TUC)),
    9: ((TIEP_NHAN, KET_THUC), (NOP, XU_LY, TAM_DUNG, TIEP_TUC)),
    10: ((TIEP_NHAN, KET_THUC, TRA), (NOP, XU_LY, TAM_DUNG, TIEP_TUC)),
}
#: Statuses where a pause may stay open (no resumption time): paused now, or withdrawn while paused.
OPEN_PAUSE = frozenset({Status.SUPPLEMENT_REQUESTED, Status.FEE_REQUESTED, Status.WITHDRAWN})

CHANNELS = {
    "truc_tuyen": Channel.ONLINE,
    "online": Channel.ONLINE,
    "truc_tiep": Channel.DIRECT,
    "direct": Channel.DIRECT,
    "buu_chinh": Channel.POSTAL,
    "buu_chinh_cong_ich": Channel.POSTAL,
    "qua_buu_chinh_cong_ich": Channel.POSTAL,
    "postal": Channel.POSTAL,
}
_ID_NUMBER = re.compile(r"[0-9]{12}")
_PHONE = re.compile(r"(\+84|0)[0-9]{9,10}")
_COMMUNE_CODE = re.compile(r"[0-9]{5}")


@dataclass(frozen=True)
class Step:
    status: int
    at: dt.datetime
    column: str


@dataclass
class PlannedDossier:
    """A checked row: what to create, and the moves that bring it to the file's status."""

    line: int
    code: str
    code_day: dt.date
    code_number: int
    commune: Commune
    procedure: Procedure
    channel: str
    applicant: dict
    steps: tuple[Step, ...]
    note: str = ""

    @property
    def final_state(self) -> dict:
        """The stored fields an identical dossier has (the applicant's details are not compared)."""
        at = {step.status: step.at for step in self.steps}
        finishing = [s.at for s in self.steps if s.status in workflow.FINISHING]
        return {
            "commune_id": self.commune.pk,
            "procedure_id": self.procedure.pk,
            "channel": self.channel,
            "status": self.steps[-1].status,
            "submitted_at": self.steps[0].at,
            "received_at": at.get(Status.RECEIVED),
            "finished_at": finishing[0] if finishing else None,
            "returned_at": at.get(Status.RETURNED),
        }


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do): (line, code) of each created and skipped row."""

    created: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False


class ImportRefused(Exception):
    """Nothing was imported; `problems` lists every reason with its line."""

    def __init__(self, problems):
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        super().__init__("\n".join(str(p) for p in self.problems))


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


# --- checking ----------------------------------------------------------------------------------


@dataclass
class _References:
    """Everything the rows name, loaded in a few queries."""

    communes: dict[str, list[Commune]]
    procedures: dict[str, Procedure]
    existing: dict[str, Dossier]

    @classmethod
    def load(cls, rows: list[RawRow]) -> _References:
        commune_codes = {r.values["ma_don_vi"] for r in rows}
        procedure_codes = {r.values["ma_thu_tuc"] for r in rows}
        codes = sorted({r.values["ma_ho_so"].upper() for r in rows if r.values["ma_ho_so"]})
        communes: dict[str, list[Commune]] = {}
        for unit in Commune.objects.filter(code__in=commune_codes).select_related("service_centre"):
            communes.setdefault(unit.code, []).append(unit)
        existing = {}
        for start in range(0, len(codes), _QUERY_CHUNK):
            existing.update(Dossier.objects.in_bulk(codes[start : start + _QUERY_CHUNK], field_name="code"))
        return cls(communes, Procedure.objects.in_bulk(list(procedure_codes), field_name="code"), existing)


def check_rows(rows, *, scope=None, now=None):
    """(plans to create, plans already in the database, problems) for the file's rows."""
    now = now or timezone.now()
    rows = list(rows)
    refs = _References.load(rows)
    plans, skipped, problems, first_line = [], [], [], {}
    for row in rows:
        plan, row_problems = _check_row(row, refs, scope, now)
        code = row.values["ma_ho_so"].upper()
        if code and code in first_line:
            row_problems.append(
                Problem(
                    row.line,
                    _("Mã hồ sơ %(code)s trùng với dòng %(first)d.")
                    % {"code": _echo(code), "first": first_line[code]},
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


def _check_row(row: RawRow, refs: _References, scope, now):
    v = row.values
    problems: list[Problem] = []

    def problem(message, code=""):
        problems.append(Problem(row.line, message, code))

    code = v["ma_ho_so"].upper()
    code_day = code_number = None
    if not code:
        problem(_("Thiếu mã hồ sơ."))
    elif not is_well_formed(code) or _LONG_NUMBER.search(code):  # a daily number has < 9 digits
        problem(
            _("Mã hồ sơ “%(code)s” sai định dạng {mã cơ quan}-{yyMMdd}-{số thứ tự}.") % {"code": _echo(code)}
        )
    else:
        agency_code, day_text, number_text = code.rsplit("-", 2)
        code_number = int(number_text)
        try:
            code_day = dt.datetime.strptime(day_text, "%y%m%d").date()
        except ValueError:
            problem(
                _("Mã hồ sơ %(code)s chứa ngày “%(day)s” không có thật.")
                % {"code": _echo(code), "day": day_text}
            )

    status = int(v["trang_thai"]) if re.fullmatch(r"[0-9]{1,2}", v["trang_thai"]) else None
    if status not in TIME_RULES:
        problem(
            _("Trạng thái “%(value)s” không hợp lệ: phải là số từ 1 đến 10.")
            % {"value": _echo(v["trang_thai"])}
        )
        status = None
    channel = CHANNELS.get(re.sub(r"[^a-z]+", "_", fold(v["kenh"])).strip("_"))
    if channel is None:
        problem(
            _("Kênh “%(value)s” không hợp lệ: truc_tuyen, truc_tiep hoặc buu_chinh (online, direct, postal).")
            % {"value": _echo(v["kenh"])}
        )
    applicant = _check_applicant(v, problem)
    if len(v["ghi_chu"]) > NOTE_MAX_LENGTH:
        problem(_("Ghi chú dài quá %(limit)d ký tự.") % {"limit": NOTE_MAX_LENGTH})

    times = {}
    for column in TIME_COLUMNS:
        if v[column] == "":
            continue
        try:
            times[column] = parse_time(v[column], timezone.get_default_timezone())
        except ValueError:
            problem(
                _(
                    "%(column)s “%(value)s” không hợp lệ: "
                    "ghi dạng dd/mm/yyyy HH:MM (VD: 03/07/2025 14:30) hoặc ISO 8601."
                )
                % {"column": _label(column), "value": _echo(v[column])}
            )
    steps = None
    if status is not None and channel is not None and len(times) == sum(1 for c in TIME_COLUMNS if v[c]):
        steps = _check_path(status, channel, times, v["loai_tam_dung"], now, problem)

    procedure = refs.procedures.get(v["ma_thu_tuc"])
    if procedure is None:
        problem(
            _("Mã thủ tục “%(code)s” không có trong danh mục thủ tục.") % {"code": _echo(v["ma_thu_tuc"])},
            "unknown-procedure",
        )
    commune = None
    if steps:
        commune = _check_commune(v["ma_don_vi"], steps, refs, scope, problem)
    if commune is not None and code_day is not None:
        _check_code_belongs(code, code_day, commune, steps, problem)
    if problems:
        return None, problems
    plan = PlannedDossier(
        line=row.line,
        code=code,
        code_day=code_day,
        code_number=code_number,
        commune=commune,
        procedure=procedure,
        channel=channel,
        applicant=applicant,
        steps=tuple(steps),
        note=v["ghi_chu"],
    )
    return plan, []


_LONG_NUMBER = re.compile(r"[0-9]{9,}")
#: What a code, a status or a time looks like: one token, perhaps followed by a clock time.
_CODE_LIKE = re.compile(r"[0-9A-Za-z.:/+\-]{1,30}( [0-9:.]{1,8})?")


def _echo(value) -> str:
    """A cell's value for a message, unless it may be personal data in the wrong column.

    An ID number, phone, name or address pasted under "Mã thủ tục" must not come back in a
    message: only values shaped like codes, statuses and times are repeated, and never one holding
    a run of 9 or more digits (codes, dates and times never do).
    """
    text = str(value)
    if _CODE_LIKE.fullmatch(text) and not _LONG_NUMBER.search(text):
        return text
    return _("(giá trị đã ẩn)")


def _label(column: str) -> str:
    return f"“{COLUMNS_BY_KEY[column].label}”"


def _check_applicant(v, problem) -> dict:
    """The applicant's details, normalised; problems never quote them (personal data)."""
    name = " ".join(v["ho_ten"].split())
    if not name:
        problem(_("Thiếu họ tên người nộp."))
    elif len(name) > 200:
        problem(_("Họ tên người nộp dài quá 200 ký tự."))
    id_number = v["so_dinh_danh"].replace(" ", "")
    if not _ID_NUMBER.fullmatch(id_number):
        problem(_("Số định danh cá nhân phải gồm đúng 12 chữ số."))
    phone = re.sub(r"[\s.\-]", "", v["so_dien_thoai"])
    if phone and not _PHONE.fullmatch(phone):
        problem(_("Số điện thoại không hợp lệ: 10–11 chữ số, bắt đầu bằng 0 hoặc +84."))
    address = " ".join(v["dia_chi"].split())
    if len(address) > 300:
        problem(_("Địa chỉ dài quá 300 ký tự."))
    return {
        "applicant_name": name,
        "applicant_id_number": id_number,
        "applicant_phone": phone,
        "applicant_address": address,
    }


def _check_path(status, channel, times, pause_kind_text, now, problem):
    """The steps from intake to `status`, or None after reporting why the times do not make one."""
    required, optional = TIME_RULES[status]
    label = f"{status} ({Status(status).label})"
    ok = True
    for column in required:
        if column not in times:
            problem(
                _("Thiếu %(column)s: bắt buộc với trạng thái %(status)s.")
                % {"column": _label(column), "status": label}
            )
            ok = False
    for column in times:
        if column not in required and column not in optional:
            problem(
                _("%(column)s phải để trống với trạng thái %(status)s.")
                % {"column": _label(column), "status": label}
            )
            ok = False
    if TAM_DUNG in times and XU_LY not in times:
        problem(
            _("Có %(pause)s thì phải có %(start)s: chỉ tạm dừng khi đang xử lý.")
            % {"pause": _label(TAM_DUNG), "start": _label(XU_LY)}
        )
        ok = False
    if TIEP_TUC in times and TAM_DUNG not in times:
        problem(
            _("Có %(resume)s thì phải có %(pause)s.")
            % {"resume": _label(TIEP_TUC), "pause": _label(TAM_DUNG)}
        )
        ok = False
    if TAM_DUNG in times and TIEP_TUC not in times and status not in OPEN_PAUSE:
        problem(
            _("Trạng thái %(status)s có %(pause)s thì phải có %(resume)s.")
            % {"status": label, "pause": _label(TAM_DUNG), "resume": _label(TIEP_TUC)}
        )
        ok = False
    pause_kind = _pause_kind(status, times, pause_kind_text, problem)
    if status in (Status.SUBMITTED, Status.REFUSED) and channel != Channel.ONLINE:
        problem(
            _("Chỉ hồ sơ trực tuyến mới có trạng thái 1 hoặc 3 (chưa được tiếp nhận)."),
            "invalid-initial-status",
        )
        ok = False
    if channel != Channel.ONLINE and NOP in times and TIEP_NHAN in times and times[NOP] != times[TIEP_NHAN]:
        problem(
            _(
                "Hồ sơ trực tiếp, qua bưu chính được tiếp nhận ngay khi nộp: "
                "để trống %(nop)s hoặc ghi bằng %(receipt)s."
            )
            % {"nop": _label(NOP), "receipt": _label(TIEP_NHAN)}
        )
        ok = False
    if not ok or pause_kind is None:
        return None

    steps = []
    # An online dossier accepted later starts at 1; submitted and received at once, at 2.
    if NOP in times and (TIEP_NHAN not in times or times[NOP] != times[TIEP_NHAN]):
        steps.append(Step(Status.SUBMITTED, times[NOP], NOP))
    if TIEP_NHAN in times:
        steps.append(Step(Status.RECEIVED, times[TIEP_NHAN], TIEP_NHAN))
    if XU_LY in times:
        steps.append(Step(Status.PROCESSING, times[XU_LY], XU_LY))
    if TAM_DUNG in times:
        steps.append(Step(pause_kind, times[TAM_DUNG], TAM_DUNG))
    if TIEP_TUC in times:
        steps.append(Step(Status.PROCESSING, times[TIEP_TUC], TIEP_TUC))
    if KET_THUC in times:
        finish = Status.RESOLVED if status == Status.RETURNED else status
        steps.append(Step(finish, times[KET_THUC], KET_THUC))
    if TRA in times:
        steps.append(Step(Status.RETURNED, times[TRA], TRA))

    for before, after in zip(steps, steps[1:], strict=False):
        if after.at < before.at:
            problem(
                _(
                    "%(after)s (%(at)s) trước %(before)s (%(previous)s): "
                    "các bước phải theo đúng thứ tự thời gian."
                )
                % {
                    "after": _label(after.column),
                    "at": _fmt(after.at),
                    "before": _label(before.column),
                    "previous": _fmt(before.at),
                },
                "invalid-time",
            )
            ok = False
    for step in steps:
        if step.at > now:
            problem(
                _("%(column)s (%(at)s) ở tương lai.") % {"column": _label(step.column), "at": _fmt(step.at)},
                "invalid-time",
            )
            ok = False
    moves_ok = all(workflow.is_allowed(a.status, b.status) for a, b in zip(steps, steps[1:], strict=False))
    if ok and (not moves_ok or steps[-1].status != status):  # a safety net: the rules above prevent it
        problem(
            _("Các thời điểm không tạo thành quá trình xử lý hợp lệ dẫn tới trạng thái %(status)s.")
            % {"status": label}
        )
        ok = False
    return steps if ok else None


def _pause_kind(status, times, text, problem):
    """5 (supplement) or 6 (fees): the status of the pause the row describes; None when invalid."""
    if text == "":
        return status if status in workflow.PAUSED else Status.SUPPLEMENT_REQUESTED
    if TAM_DUNG not in times:
        problem(_("“Loại tạm dừng” chỉ ghi khi có %(pause)s.") % {"pause": _label(TAM_DUNG)})
        return None
    if text not in ("5", "6"):
        problem(
            _("“Loại tạm dừng” “%(value)s” không hợp lệ: 5 (bổ sung giấy tờ) hoặc 6 (nghĩa vụ tài chính).")
            % {"value": _echo(text)}
        )
        return None
    if status in workflow.PAUSED and int(text) != status:
        problem(_("“Loại tạm dừng” phải trùng trạng thái %(status)d.") % {"status": status})
        return None
    return int(text)


def _check_commune(code, steps, refs, scope, problem):
    """The unit version with `code` active on the receipt day (the submission day if never received)."""
    if not _COMMUNE_CODE.fullmatch(code):
        problem(_("Mã đơn vị “%(code)s” không hợp lệ: gồm đúng 5 chữ số.") % {"code": _echo(code)})
        return None
    versions = refs.communes.get(code)
    if not versions:
        problem(_("Không có đơn vị hành chính mã %(code)s.") % {"code": code}, "unknown-commune")
        return None
    anchor = next((s for s in steps if s.status == Status.RECEIVED), steps[0])
    day = timezone.localtime(anchor.at).date()
    commune = next((unit for unit in versions if unit.is_active_on(day)), None)
    if commune is None:
        lives = "; ".join(f"{unit.full_name}: {_life(unit)}" for unit in versions)
        problem(
            _("Đơn vị mã %(code)s không hoạt động ngày %(day)s (%(lives)s): không tiếp nhận hồ sơ ngày này.")
            % {"code": code, "day": f"{day:%d/%m/%Y}", "lives": lives},
            "commune-inactive",
        )
        return None
    submitted = timezone.localtime(steps[0].at).date()
    if not commune.is_active_on(submitted):
        problem(
            _("%(unit)s không hoạt động ngày nộp %(day)s (%(life)s).")
            % {"unit": commune.full_name, "day": f"{submitted:%d/%m/%Y}", "life": _life(commune)},
            "commune-inactive",
        )
        return None
    if scope is not None and not scope.covers(commune.pk):
        problem(
            _(
                "Hồ sơ của %(unit)s (mã %(code)s) nằm ngoài phạm vi tài khoản của bạn: "
                "chỉ nhập được hồ sơ của đơn vị mình."
            )
            % {"unit": commune.full_name, "code": code},
            "out-of-scope",
        )
        return None
    return commune


def _check_code_belongs(code, code_day, commune, steps, problem):
    """The code's agency code is the unit's centre's, and its date is not after the dossier arrived."""
    try:
        centre = commune.service_centre
    except ObjectDoesNotExist:
        problem(
            _(
                "%(unit)s chưa có Trung tâm Phục vụ hành chính công (mã cơ quan) trong hệ thống: "
                "không đối chiếu được mã hồ sơ."
            )
            % {"unit": commune.full_name},
            "no-service-centre",
        )
        return
    agency_code = code.rsplit("-", 2)[0]
    if agency_code != centre.agency_code:
        problem(
            _("Mã hồ sơ %(code)s có mã cơ quan “%(given)s”, nhưng mã cơ quan của %(unit)s là “%(expected)s”.")
            % {"code": code, "given": agency_code, "unit": commune.full_name, "expected": centre.agency_code},
            "code-commune-mismatch",
        )
    arrived = timezone.localtime(steps[0].at).date()
    if code_day > arrived:
        problem(
            _("Ngày trong mã hồ sơ %(code)s (%(code_day)s) sau ngày hồ sơ đến (%(day)s).")
            % {"code": code, "code_day": f"{code_day:%d/%m/%Y}", "day": f"{arrived:%d/%m/%Y}"},
            "code-date-mismatch",
        )


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
    if value is None:
        return _("(trống)")
    if isinstance(value, dt.datetime):
        return _fmt(value)
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


def _life(unit: Commune) -> str:
    start = f"{unit.valid_from:%d/%m/%Y}" if unit.valid_from else "…"
    end = f"{unit.valid_to:%d/%m/%Y}" if unit.valid_to else _("nay")
    return _("hiệu lực %(start)s – %(end)s") % {"start": start, "end": end}


def _fmt(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
