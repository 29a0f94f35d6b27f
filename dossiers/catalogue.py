"""The procedure catalogue: its CSV file, the loader, and the filters of its lists.

The file (dossiers/data/procedures.csv, columns described in dossiers/data/README.md) is checked
whole first: every bad row is reported with its line and reason, and a file with any problem
loads nothing. A good file is written in one transaction as an upsert on the national code, so
loading it twice changes nothing. Procedures the file does not mention are left alone, and an
administrator's "đang áp dụng" switch is never touched by a reload.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from portal.datafiles import Counts, DataFileError, Problem

from .choices import OnlineLevel
from .models import Procedure

DATA_DIR = Path(__file__).resolve().parent / "data"
BUNDLED_PROCEDURES = DATA_DIR / "procedures.csv"

COLUMNS = ("code", "name", "field", "processing_days", "fee", "fee_note", "online_level", "source")
REQUIRED_COLUMNS = tuple(c for c in COLUMNS if c != "source")
#: The fields a row sets on a Procedure (the source column is documentation only).
STORED_FIELDS = ("name", "field", "processing_days", "fee", "fee_note", "online_level")

MAX_PROCESSING_DAYS = 365
# ASCII digits only: \d would also accept other scripts' digits.
_CODE = re.compile(r"[0-9]\.[0-9]{6}")
_WHOLE_NUMBER = re.compile(r"[0-9]+")
_FEE_DIGITS = Procedure._meta.get_field("fee").max_digits
_MAX_LENGTH = {name: Procedure._meta.get_field(name).max_length for name in ("name", "field", "fee_note")}


class CatalogueFileError(DataFileError):
    """The catalogue file cannot be loaded; `problems` lists every reason with its line."""


@dataclass(frozen=True)
class ProcedureRow:
    line: int
    code: str
    name: str
    field: str
    processing_days: int
    fee: Decimal | None
    fee_note: str
    online_level: str

    def values(self):
        return {name: getattr(self, name) for name in STORED_FIELDS}


def read_procedures(path) -> list[ProcedureRow]:
    """Parse and check the whole file; raise CatalogueFileError listing every problem."""
    path = Path(path)
    problems: list[Problem] = []

    def problem(line, message):
        problems.append(Problem(path.name, line, message))

    text = _decode(path, problem)
    if text is None:
        raise CatalogueFileError(problems)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [column.strip() for column in next(reader, None) or []]
    if not header:
        problem(1, "Tệp rỗng: thiếu dòng tiêu đề.")
        raise CatalogueFileError(problems)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    extra = [c for i, c in enumerate(header) if c not in COLUMNS or c in header[:i]]
    if missing:
        problem(1, f"Thiếu cột: {', '.join(missing)}.")
    if extra:
        problem(1, f"Cột thừa hoặc lặp lại: {', '.join(extra)}.")
    if problems:
        raise CatalogueFileError(problems)

    rows, seen = [], {}
    last_line = reader.line_num
    for fields in reader:
        line, last_line = last_line + 1, reader.line_num
        if not any(f.strip() for f in fields):
            continue  # blank line, e.g. at the end of a hand-edited file
        if len(fields) != len(header):
            problem(line, f"Dòng có {len(fields)} giá trị, tiêu đề có {len(header)} cột.")
            continue
        row = _check_row(line, dict(zip(header, (f.strip() for f in fields), strict=True)), problem)
        if row is None:
            continue
        if row.code in seen:
            problem(line, f"Mã thủ tục {row.code} trùng với dòng {seen[row.code]}.")
            continue
        seen[row.code] = line
        rows.append(row)
    if not rows and not problems:
        problem(None, "Tệp không có thủ tục nào.")
    if problems:
        raise CatalogueFileError(problems)
    return rows


def _decode(path, problem):
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problem(None, f"Không tìm thấy tệp {path}.")
        return None
    except OSError as exc:
        problem(None, f"Không đọc được tệp {path} ({exc.strerror or exc}).")
        return None
    try:
        # utf-8-sig: spreadsheet programs save "CSV UTF-8" with a byte-order mark; accept it.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem(
            raw[: exc.start].count(b"\n") + 1, "Tệp không phải mã UTF-8; hãy lưu lại tệp với mã hóa UTF-8."
        )
        return None
    # Composed and decomposed Vietnamese look alike but compare unequal: store one form.
    return unicodedata.normalize("NFC", text)


def _check_row(line, row, problem):
    """The row as a ProcedureRow, or None after reporting each of its problems."""
    ok = True

    def bad(message):
        nonlocal ok
        problem(line, message)
        ok = False

    code = row["code"]
    if not _CODE.fullmatch(code):
        bad(f"Mã thủ tục “{code}” không hợp lệ: phải có dạng 1.001193 (một chữ số, dấu chấm, sáu chữ số).")
    for column, label in (("name", "Tên thủ tục"), ("field", "Lĩnh vực")):
        if not row[column]:
            bad(f"Cột {column} ({label}) để trống.")
        elif len(row[column]) > _MAX_LENGTH[column]:
            bad(f"{label} dài quá {_MAX_LENGTH[column]} ký tự.")
    if len(row["fee_note"]) > _MAX_LENGTH["fee_note"]:
        bad(f"Ghi chú phí, lệ phí dài quá {_MAX_LENGTH['fee_note']} ký tự.")

    days = row["processing_days"]
    if not _WHOLE_NUMBER.fullmatch(days) or int(days) > MAX_PROCESSING_DAYS:
        bad(
            f"Thời hạn giải quyết “{days}” không hợp lệ: phải là số ngày làm việc, "
            f"số nguyên từ 0 đến {MAX_PROCESSING_DAYS} (0 = trong ngày)."
        )

    fee = row["fee"]
    if fee and (not _WHOLE_NUMBER.fullmatch(fee) or len(fee.lstrip("0")) > _FEE_DIGITS):
        bad(
            f"Phí, lệ phí “{fee}” không hợp lệ: phải là số đồng, số nguyên không âm, viết liền không "
            "dấu phân cách (ví dụ 8000), hoặc để trống nếu không thu."
        )

    level = row["online_level"]
    if level not in OnlineLevel.values:
        bad(f"Mức độ trực tuyến “{level}” không hợp lệ: chỉ nhận {', '.join(OnlineLevel.values)}.")

    if not ok:
        return None
    return ProcedureRow(
        line=line,
        code=code,
        name=row["name"],
        field=row["field"],
        processing_days=int(days),
        fee=Decimal(fee) if fee else None,
        fee_note=row["fee_note"],
        online_level=level,
    )


def load_procedures(path=BUNDLED_PROCEDURES) -> Counts:
    """Check the whole file, then upsert its procedures by code in one transaction.

    Raises CatalogueFileError (nothing written) when any row has a problem.
    """
    rows = read_procedures(path)
    counts = Counts()
    with transaction.atomic():
        existing = Procedure.objects.select_for_update().in_bulk([r.code for r in rows], field_name="code")
        for row in rows:
            wanted = row.values()
            procedure = existing.get(row.code)
            if procedure is None:
                # save() fills the folded search text; a catalogue is a few hundred rows at most.
                Procedure(code=row.code, **wanted).save()
                counts.created += 1
                continue
            changed = [name for name, value in wanted.items() if getattr(procedure, name) != value]
            if not changed:
                counts.unchanged += 1
                continue
            for name in changed:
                setattr(procedure, name, wanted[name])
            procedure.save(update_fields=changed)
            counts.updated += 1
    return counts
