"""Checking one row of a dossier import: what it names exists, and what it says holds together.

`check_row` reads a row's code, status, channel, applicant, note and times, builds its status path
(import_status_path), finds the unit active on the receipt day within the user's scope, and checks
that the code belongs to that unit; it returns the PlannedDossier to replay, or the row's problems.
The applicant's details are personal data: problems never quote them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Commune
from communes.text import fold

from . import workflow
from .choices import Channel, Status
from .codes import is_well_formed
from .import_columns import parse_time, quoted_label
from .import_files import RawRow
from .import_problems import LONG_NUMBER, Problem, safe_echo
from .import_status_path import TIME_COLUMNS, TIME_RULES, Step, check_path
from .models import Dossier, Procedure

NOTE_MAX_LENGTH = 900
_QUERY_CHUNK = 500  # SQLite allows ~1,000 parameters per query

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
class References:
    """Everything the rows name, loaded in a few queries."""

    communes: dict[str, list[Commune]]
    procedures: dict[str, Procedure]
    existing: dict[str, Dossier]

    @classmethod
    def load(cls, rows: list[RawRow]) -> References:
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


def check_row(row: RawRow, refs: References, scope, now):
    """(the plan, []) for a sound row; (None, every problem of the row) otherwise."""
    v = row.values
    problems: list[Problem] = []

    def problem(message, code=""):
        problems.append(Problem(row.line, message, code))

    code = v["ma_ho_so"].upper()
    code_day = code_number = None
    if not code:
        problem(_("Thiếu mã hồ sơ."))
    elif not is_well_formed(code) or LONG_NUMBER.search(code):  # a daily number has < 9 digits
        problem(
            _("Mã hồ sơ “%(code)s” sai định dạng {mã cơ quan}-{yyMMdd}-{số thứ tự}.")
            % {"code": safe_echo(code)}
        )
    else:
        agency_code, day_text, number_text = code.rsplit("-", 2)
        code_number = int(number_text)
        try:
            code_day = dt.datetime.strptime(day_text, "%y%m%d").date()
        except ValueError:
            problem(
                _("Mã hồ sơ %(code)s chứa ngày “%(day)s” không có thật.")
                % {"code": safe_echo(code), "day": day_text}
            )

    status = int(v["trang_thai"]) if re.fullmatch(r"[0-9]{1,2}", v["trang_thai"]) else None
    if status not in TIME_RULES:
        problem(
            _("Trạng thái “%(value)s” không hợp lệ: phải là số từ 1 đến 10.")
            % {"value": safe_echo(v["trang_thai"])}
        )
        status = None
    channel = CHANNELS.get(re.sub(r"[^a-z]+", "_", fold(v["kenh"])).strip("_"))
    if channel is None:
        problem(
            _("Kênh “%(value)s” không hợp lệ: truc_tuyen, truc_tiep hoặc buu_chinh (online, direct, postal).")
            % {"value": safe_echo(v["kenh"])}
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
                % {"column": quoted_label(column), "value": safe_echo(v[column])}
            )
    steps = None
    if status is not None and channel is not None and len(times) == sum(1 for c in TIME_COLUMNS if v[c]):
        steps = check_path(status, channel, times, v["loai_tam_dung"], now, problem)

    procedure = refs.procedures.get(v["ma_thu_tuc"])
    if procedure is None:
        problem(
            _("Mã thủ tục “%(code)s” không có trong danh mục thủ tục.")
            % {"code": safe_echo(v["ma_thu_tuc"])},
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


def _check_commune(code, steps, refs, scope, problem):
    """The unit version with `code` active on the receipt day (the submission day if never received)."""
    if not _COMMUNE_CODE.fullmatch(code):
        problem(_("Mã đơn vị “%(code)s” không hợp lệ: gồm đúng 5 chữ số.") % {"code": safe_echo(code)})
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


def _life(unit: Commune) -> str:
    start = f"{unit.valid_from:%d/%m/%Y}" if unit.valid_from else "…"
    end = f"{unit.valid_to:%d/%m/%Y}" if unit.valid_to else _("nay")
    return _("hiệu lực %(start)s – %(end)s") % {"start": start, "end": end}
