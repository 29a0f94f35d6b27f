"""Reading a dossier import file (CSV or XLSX) into rows keyed by column, before any database check.

Problems of the file as a whole (size, type, encoding, structure, header) stop the reading; a
problem of one row is collected with its line number so the whole file is reported at once. The
columns and the turning of cells into values: import_columns; the format: docs/import-format.md.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from portal.formatting import vn_number

from .import_columns import COLUMNS, COLUMNS_BY_KEY, cell_value, map_header
from .import_problems import ImportFileError, Problem

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
#: The upload page replays rows inside one web request: smaller files there (the command takes MAX_ROWS).
PAGE_MAX_ROWS = 2_000
EXTENSIONS = (".csv", ".xlsx")


@dataclass(frozen=True)
class RawRow:
    """One data row: {column key: text, or a datetime from a spreadsheet date cell}; absent columns are ""."""

    line: int
    values: dict


@dataclass(frozen=True)
class ParsedFile:
    rows: tuple[RawRow, ...]
    problems: tuple[Problem, ...]


def read_dossier_file(data: bytes, filename: str, *, max_rows: int = MAX_ROWS) -> ParsedFile:
    """Rows of a CSV or XLSX file; raises ImportFileError when the file as a whole is unusable."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            [
                Problem(
                    None,
                    _("Tệp lớn quá %(limit)d MB: hãy chia thành nhiều tệp nhỏ hơn.")
                    % {"limit": MAX_BYTES // (1024 * 1024)},
                )
            ]
        )
    suffix = Path(filename or "").suffix.lower()
    is_zip = data[:4] == b"PK\x03\x04"
    if suffix == ".xls":
        raise ImportFileError(
            [
                Problem(
                    None,
                    _("Tệp .xls (Excel 97–2003) không được hỗ trợ: hãy lưu lại dạng .xlsx hoặc CSV UTF-8."),
                )
            ]
        )
    if suffix not in EXTENSIONS:
        raise ImportFileError([Problem(None, _("Chỉ nhận tệp CSV hoặc Excel (.xlsx)."))])
    if suffix == ".xlsx" or is_zip:
        return _read_xlsx(data, max_rows)
    return _read_csv(data, max_rows)


# --- CSV ---------------------------------------------------------------------------------------


def _read_csv(data: bytes, max_rows: int) -> ParsedFile:
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            [Problem(line, _("Tệp không phải mã UTF-8: trong Excel hãy lưu với kiểu “CSV UTF-8”."))]
        ) from None
    text = unicodedata.normalize("NFC", text)
    first_line = text.split("\n", 1)[0]
    # Excel set to Vietnamese (decimal comma) separates CSV fields with ";".
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, problems = [], []
    try:
        header = next(reader, None)
        columns = map_header(header)
        last_line = reader.line_num
        for fields in reader:
            line, last_line = last_line + 1, reader.line_num
            if not any(f.strip() for f in fields):
                continue
            _check_row_count(len(rows), max_rows)
            if len(fields) != len(header):
                problems.append(
                    Problem(
                        line,
                        _("Dòng có %(got)d giá trị, dòng tiêu đề có %(want)d cột.")
                        % {"got": len(fields), "want": len(header)},
                    )
                )
                continue
            _append_row(rows, problems, line, columns, fields)
    except csv.Error as exc:
        raise ImportFileError(
            [Problem(reader.line_num, _("Tệp CSV sai cấu trúc (%(reason)s).") % {"reason": exc})]
        ) from None
    return ParsedFile(tuple(rows), tuple(problems))


# --- XLSX --------------------------------------------------------------------------------------


def _read_xlsx(data: bytes, max_rows: int) -> ParsedFile:
    from openpyxl import load_workbook

    unreadable = ImportFileError(
        [Problem(None, _("Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx."))]
    )
    # An uploaded workbook is untrusted input: whatever openpyxl or its XML parser raises on a
    # damaged file (while opening, or lazily while reading rows) means the same thing to the user.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise unreadable from None
    try:
        return _xlsx_rows(workbook.worksheets[0], max_rows)
    except ImportFileError:
        raise
    except Exception:
        raise unreadable from None
    finally:
        workbook.close()


def _xlsx_rows(sheet, max_rows: int) -> ParsedFile:
    cells = sheet.iter_rows(values_only=True)
    header = [("" if cell is None else str(cell)) for cell in next(cells, None) or ()]
    while header and not header[-1].strip():
        header.pop()  # formatting often reaches a few empty columns to the right
    columns = map_header(header)
    rows, problems = [], []
    # Read-only sheets yield every row, empty ones included, so the count is the sheet's row number.
    for line, cells_of_row in enumerate(cells, start=2):
        if not any(_is_filled(cell) for cell in cells_of_row):
            continue
        _check_row_count(len(rows), max_rows)
        fields = list(cells_of_row) + [None] * (len(header) - len(cells_of_row))
        columns_of_row = columns + [""] * (len(fields) - len(columns))
        _append_row(rows, problems, line, columns_of_row, fields)
    return ParsedFile(tuple(rows), tuple(problems))


def _is_filled(cell) -> bool:
    return cell is not None and str(cell).strip() != ""


# --- shared ------------------------------------------------------------------------------------


def _check_row_count(rows_so_far: int, max_rows: int) -> None:
    if rows_so_far >= max_rows:
        raise ImportFileError(
            [
                Problem(
                    None,
                    _("Tệp có hơn %(limit)s hồ sơ: hãy chia thành nhiều tệp, mỗi tệp tối đa %(limit)s dòng.")
                    % {"limit": vn_number(max_rows)},
                )
            ]
        )


def _append_row(rows, problems, line, columns, fields) -> None:
    """Add the row, or a problem when it has a value under a column without a header."""
    values = {column.key: "" for column in COLUMNS}
    for key, cell in zip(columns, fields, strict=True):
        if key == "":
            if _is_filled(cell):
                problems.append(Problem(line, _("Dòng có giá trị ở cột không có tiêu đề.")))
                return
        elif key is not None:
            values[key] = cell_value(COLUMNS_BY_KEY[key], cell)
    rows.append(RawRow(line, values))
