"""The columns of the dossier import format, and turning a header row and its cells into values.

The format is documented in docs/import-format.md: one row per dossier with its current status and
the times of the path that led there, as a provincial one-stop system exports it. Headers may be
written in Vietnamese with or without diacritics ("Mã hồ sơ", "ma_ho_so") or as English aliases
("code"); `map_header` names the column of each header cell. Spreadsheet cells become the text the
user typed (`cell_value`), and times become aware datetimes (`parse_time`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from communes.text import fold

from .import_problems import ImportFileError, Problem


@dataclass(frozen=True)
class Column:
    """One column of the format: its key (the Vietnamese header without diacritics) and its aliases."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    #: The header must be present (the value may still be optional for some statuses).
    required: bool = False
    #: How a spreadsheet cell is turned into text: "text", "time", or "digits:N" (numbers that lost
    #: their leading zeros in Excel get them back, zero-padded to N digits).
    kind: str = "text"
    #: One line for the upload page's column summary.
    help: str = ""


COLUMNS = (
    Column(
        "ma_ho_so",
        "Mã hồ sơ",
        ("code", "dossier_code"),
        required=True,
        help=_l("{mã cơ quan}-{yyMMdd}-{số thứ tự}; mã cơ quan là của Trung tâm của đơn vị tiếp nhận."),
    ),
    Column(
        "ma_don_vi",
        "Mã đơn vị",
        ("ma_xa", "commune", "commune_code"),
        required=True,
        kind="digits:5",
        help=_l("Mã xã 5 chữ số; cùng ngày tiếp nhận xác định đơn vị (trước hay sau sắp xếp)."),
    ),
    Column(
        "ma_thu_tuc",
        "Mã thủ tục",
        ("procedure", "procedure_code"),
        required=True,
        kind="procedure",
        help=_l("Mã trong danh mục thủ tục của cổng, VD: 1.001193."),
    ),
    Column(
        "kenh",
        "Kênh",
        ("kenh_tiep_nhan", "kenh_nop", "channel"),
        required=True,
        help=_l("truc_tuyen, truc_tiep, buu_chinh (hoặc online, direct, postal)."),
    ),
    Column(
        "ho_ten",
        "Họ tên",
        ("ho_va_ten", "ho_ten_nguoi_nop", "applicant_name", "name"),
        required=True,
        help=_l("Họ và tên người nộp."),
    ),
    Column(
        "so_dinh_danh",
        "Số định danh",
        ("so_dinh_danh_ca_nhan", "so_cccd", "cccd", "applicant_id_number", "id_number"),
        required=True,
        kind="digits:12",
        help=_l("Số định danh cá nhân, đúng 12 chữ số."),
    ),
    Column(
        "so_dien_thoai",
        "Số điện thoại",
        ("dien_thoai", "applicant_phone", "phone"),
        kind="phone",
        help=_l("Không bắt buộc; bắt đầu bằng 0 hoặc +84."),
    ),
    Column("dia_chi", "Địa chỉ", ("applicant_address", "address"), help=_l("Không bắt buộc.")),
    Column(
        "thoi_diem_nop",
        "Thời điểm nộp",
        ("ngay_nop", "submitted_at"),
        kind="time",
        help=_l("Hồ sơ trực tuyến: lúc công dân nộp; bắt buộc với trạng thái 1 và 3."),
    ),
    Column(
        "thoi_diem_tiep_nhan",
        "Thời điểm tiếp nhận",
        ("ngay_tiep_nhan", "received_at"),
        kind="time",
        help=_l("Bắt buộc, trừ trạng thái 1 và 3 (chưa được tiếp nhận)."),
    ),
    Column(
        "trang_thai",
        "Trạng thái",
        ("ma_trang_thai", "status"),
        required=True,
        kind="digits:0",
        help=_l("Trạng thái hiện tại, 1–10 theo Cổng Dịch vụ công quốc gia."),
    ),
    Column(
        "thoi_diem_xu_ly",
        "Thời điểm xử lý",
        ("ngay_xu_ly", "processing_at"),
        kind="time",
        help=_l("Lúc chuyển xử lý (trạng thái 4)."),
    ),
    Column(
        "thoi_diem_tam_dung",
        "Thời điểm tạm dừng",
        ("ngay_tam_dung", "paused_at"),
        kind="time",
        help=_l("Lúc yêu cầu bổ sung giấy tờ hoặc thực hiện nghĩa vụ tài chính (một lần tạm dừng)."),
    ),
    Column(
        "loai_tam_dung",
        "Loại tạm dừng",
        ("pause_status",),
        kind="digits:0",
        help=_l("5 (bổ sung giấy tờ, mặc định) hoặc 6 (nghĩa vụ tài chính)."),
    ),
    Column(
        "thoi_diem_tiep_tuc",
        "Thời điểm tiếp tục",
        ("ngay_tiep_tuc", "resumed_at"),
        kind="time",
        help=_l("Lúc nhận đủ bổ sung, tiếp tục xử lý."),
    ),
    Column(
        "thoi_diem_ket_thuc",
        "Thời điểm kết thúc",
        ("ngay_ket_thuc", "finished_at"),
        kind="time",
        help=_l("Lúc từ chối (3), rút (7), dừng (8) hoặc xử lý xong (9, 10)."),
    ),
    Column(
        "thoi_diem_tra_ket_qua",
        "Thời điểm trả kết quả",
        ("ngay_tra_ket_qua", "returned_at"),
        kind="time",
        help=_l("Lúc trả kết quả (trạng thái 10)."),
    ),
    Column("ghi_chu", "Ghi chú", ("note",), help=_l("Không bắt buộc; ghi vào bước xử lý cuối cùng.")),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
#: Row-number columns spreadsheets add by habit ("STT"): accepted and ignored.
IGNORED_HEADERS = frozenset({"stt", "so_thu_tu", "tt", "no"})


def header_key(text) -> str:
    """'Mã hồ sơ (*)' -> 'ma_ho_so'; 'Dossier code' -> 'dossier_code'."""
    return re.sub(r"[^a-z0-9]+", "_", fold(str(text or ""))).strip("_")


_HEADER_INDEX = {
    name: column.key for column in COLUMNS for name in (column.key, header_key(column.label), *column.aliases)
}


# --- header ------------------------------------------------------------------------------------


def map_header(header) -> list[str | None]:
    """The column key of each header cell: None for an ignored column ("STT"), "" for an empty header.

    Raises ImportFileError listing every header problem.
    """
    if not header or not any(str(h).strip() for h in header):
        raise ImportFileError([Problem(1, _("Tệp rỗng: thiếu dòng tiêu đề."))])
    keys, seen, problems = [], {}, []
    unknown = []
    for position, text in enumerate(header, start=1):
        name = header_key(text)
        key = _HEADER_INDEX.get(name)
        if not name:
            keys.append("")  # no header: fine while the column stays empty
            continue
        if key is None:
            if name not in IGNORED_HEADERS:
                unknown.append(str(text).strip())
            keys.append(None)
            continue
        if key in seen:
            problems.append(
                Problem(
                    1,
                    _("Cột “%(label)s” xuất hiện hai lần (cột %(first)d và cột %(again)d).")
                    % {"label": COLUMNS_BY_KEY[key].label, "first": seen[key], "again": position},
                )
            )
        seen[key] = position
        keys.append(key)
    if unknown:
        problems.append(
            Problem(
                1,
                _("Không nhận ra cột: %(columns)s. Xem danh sách cột trong tài liệu định dạng tệp nhập.")
                % {"columns": ", ".join(f"“{name}”" for name in unknown)},
            )
        )
    missing = [c.label for c in COLUMNS if c.required and c.key not in seen]
    if missing:
        problems.append(Problem(1, _("Thiếu cột bắt buộc: %(columns)s.") % {"columns": ", ".join(missing)}))
    if problems:
        raise ImportFileError(problems)
    return keys


def quoted_label(key: str) -> str:
    """The column's label in quotes, as messages name it: “Mã hồ sơ”."""
    return f"“{COLUMNS_BY_KEY[key].label}”"


# --- cells -------------------------------------------------------------------------------------


def cell_value(column: Column, cell):
    """Text (stripped, NFC), or a datetime for a spreadsheet date cell of a time column."""
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell if column.kind == "time" else cell.strftime("%d/%m/%Y %H:%M")
    if isinstance(cell, dt.date):
        return cell.strftime("%d/%m/%Y")  # a date without time: the time check will say so
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int | float):
        return _number_text(column, cell)
    return unicodedata.normalize("NFC", str(cell)).strip()


def _number_text(column: Column, number) -> str:
    """A number cell as the text the user typed, giving back leading zeros Excel dropped."""
    if column.kind == "procedure" and isinstance(number, float):
        return f"{number:.6f}"  # 1.0012 was typed as 1.001200
    if isinstance(number, float):
        if not number.is_integer():
            return repr(number)
        number = int(number)
    text = str(number)
    if column.kind.startswith("digits:"):
        width = int(column.kind.split(":")[1])
        return text.zfill(width) if width and len(text) < width else text
    if column.kind == "phone" and not text.startswith("0"):
        return "+" + text if text.startswith("84") and len(text) == 11 else "0" + text
    return text


# --- times -------------------------------------------------------------------------------------

_VN_TIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_HAS_CLOCK = re.compile(r"\d:\d\d")


def parse_time(value, tz: dt.tzinfo) -> dt.datetime:
    """'03/07/2025 09:30', '2025-07-03T09:30:00+07:00' or a spreadsheet datetime -> an aware datetime.

    A time without an offset is local time in `tz` (Asia/Ho_Chi_Minh). Raises ValueError for
    anything else, a date without its time included: deadlines depend on the hour.
    """
    if isinstance(value, dt.datetime):
        # Excel keeps times as fractions of a day: round away float noise to the second.
        moment = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment
    text = str(value).strip()
    match = _VN_TIME.match(text)
    if match:
        day, month, year, hour, minute, second = (int(g or 0) for g in match.groups())
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=tz)
    if not _HAS_CLOCK.search(text):
        raise ValueError("no time of day")
    moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def format_time(moment: dt.datetime) -> str:
    """An aware datetime as messages show it: local time, dd/mm/yyyy HH:MM (the file's own format)."""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
