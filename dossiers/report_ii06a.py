"""Form II.06a as an Excel workbook laid out like the paper form: a pure function from figures.

The form is "Biểu số II.06a/VPCP/KSTT — Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị
trực tiếp giải quyết TTHC" of Circular 01/2020/TT-VPCP. Its columns, and DOMAIN.md §5's figures
in each:

    (1) STT                                 (2) Lĩnh vực, công việc giải quyết theo cấp
    Số hồ sơ nhận giải quyết
      (3) Tổng số = (4) + (5) + (6)         carried_over + received_total
      Trong đó: (4) Số kỳ trước chuyển qua  carried_over
                Số mới tiếp nhận: (5) Trực tuyến             received_online
                                  (6) Trực tiếp, bưu chính   received_direct + received_postal
    Kết quả giải quyết
      Số hồ sơ đã giải quyết: (7) Tổng số = (8) + (9) + (10)  resolved_total
        Trả đúng thời hạn: (8) Trước hạn, (9) Đúng hạn        resolved_early, resolved_on_time
        (10) Trả quá hạn                                      resolved_late
      Số hồ sơ đang giải quyết: (11) Tổng số = (12) + (13)    pending_total
        (12) Trong hạn (paused dossiers included), (13) Quá hạn  pending_in_time, pending_overdue

The paper form has no column for dossiers withdrawn by the citizen (status 7) or stopped
(status 8), so (3) = (7) + (11) cannot hold on paper once there are any. Two extra columns to
the right, marked as not on the paper form, carry them: (14) Rút hồ sơ, (15) Dừng xử lý, and
(3) = (7) + (11) + (14) + (15) holds on every row (DOMAIN.md §5's identity).

No ORM here: the caller reads the figures (figures_read.summarize / summarize_by_procedure) and
the procedures' code, name and field; tests read the workbook back with openpyxl.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from communes.text import fold

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_CODE = "Biểu số II.06a/VPCP/KSTT"
NUMBER_FORMAT = "#,##0"

#: Keys of the form's figure columns (3)…(15), in order, as produced by `form_values`.
FORM_COLUMNS = (
    "handled_total",  # (3)
    "carried_over",  # (4)
    "received_online",  # (5)
    "received_direct_postal",  # (6)
    "resolved_total",  # (7)
    "resolved_early",  # (8)
    "resolved_on_time",  # (9)
    "resolved_late",  # (10)
    "pending_total",  # (11)
    "pending_in_time",  # (12)
    "pending_overdue",  # (13)
    "withdrawn",  # (14) not on the paper form
    "stopped",  # (15) not on the paper form
)
FIRST_FIGURE_COLUMN = 3  # column C holds (3)
LAST_COLUMN = FIRST_FIGURE_COLUMN + len(FORM_COLUMNS) - 1  # column O holds (15)

# Rows of the layout (1-based).
HEADER_FIRST_ROW = 7
HEADER_LAST_ROW = 10
NUMBER_ROW = 11  # (1) (2) (3)=(4)+(5)+(6) …
FIRST_DATA_ROW = 12


def form_values(figures: Mapping) -> dict[str, int]:
    """The form's columns (3)…(15) from a figures dict with the contract's names."""
    g = {name: int(figures.get(name) or 0) for name in (
        "carried_over", "received_online", "received_direct", "received_postal", "resolved_early",
        "resolved_on_time", "resolved_late", "withdrawn", "stopped", "pending_in_time",
        "pending_overdue",
    )}  # fmt: skip
    received = g["received_online"] + g["received_direct"] + g["received_postal"]
    return {
        "handled_total": g["carried_over"] + received,
        "carried_over": g["carried_over"],
        "received_online": g["received_online"],
        "received_direct_postal": g["received_direct"] + g["received_postal"],
        "resolved_total": g["resolved_early"] + g["resolved_on_time"] + g["resolved_late"],
        "resolved_early": g["resolved_early"],
        "resolved_on_time": g["resolved_on_time"],
        "resolved_late": g["resolved_late"],
        "pending_total": g["pending_in_time"] + g["pending_overdue"],
        "pending_in_time": g["pending_in_time"],
        "pending_overdue": g["pending_overdue"],
        "withdrawn": g["withdrawn"],
        "stopped": g["stopped"],
    }


@dataclass(frozen=True)
class ProcedureFigures:
    """One procedure's row: its catalogue entry and its figures (contract names)."""

    code: str
    name: str
    field: str
    figures: Mapping


@dataclass
class _FieldGroup:
    name: str
    procedures: list[ProcedureFigures] = field(default_factory=list)

    def values(self) -> dict[str, int]:
        totals = dict.fromkeys(FORM_COLUMNS, 0)
        for procedure in self.procedures:
            for key, value in form_values(procedure.figures).items():
                totals[key] += value
        return totals


def _group_by_field(procedures: Iterable[ProcedureFigures]) -> list[_FieldGroup]:
    groups: dict[str, _FieldGroup] = {}
    for procedure in procedures:
        name = (procedure.field or "").strip() or _("Lĩnh vực khác")
        groups.setdefault(name, _FieldGroup(name)).procedures.append(procedure)
    ordered = sorted(groups.values(), key=lambda g: (fold(g.name), g.name))
    for group in ordered:
        group.procedures.sort(key=lambda p: p.code)
    return ordered


def vn_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def period_caption(first: dt.date, last: dt.date) -> str:
    return _("Kỳ báo cáo: từ ngày %(first)s đến ngày %(last)s") % {
        "first": vn_date(first),
        "last": vn_date(last),
    }


# --- Styles ----------------------------------------------------------------------------------

_FONT_NAME = "Times New Roman"
_THIN = Side(style="thin", color="FF000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY = Font(name=_FONT_NAME, size=11)
_BOLD = Font(name=_FONT_NAME, size=11, bold=True)
_ITALIC = Font(name=_FONT_NAME, size=11, italic=True)
_SMALL_ITALIC = Font(name=_FONT_NAME, size=10, italic=True)
_TITLE = Font(name=_FONT_NAME, size=13, bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
_TOTAL_FILL = PatternFill("solid", fgColor="FFF2F2F2")
_EXTRA_FILL = PatternFill("solid", fgColor="FFFFF8E1")  # the columns not on the paper form

_WIDTHS = {1: 7, 2: 46} | dict.fromkeys(range(FIRST_FIGURE_COLUMN, LAST_COLUMN + 1), 11)


def _put(ws: Worksheet, ref: str, value, font=_BODY, alignment=_LEFT, merge_to: str | None = None):
    cell = ws[ref]
    cell.value = value
    cell.font = font
    cell.alignment = alignment
    if merge_to:
        ws.merge_cells(f"{ref}:{merge_to}")
    return cell


def _box(ws: Worksheet, first_row: int, last_row: int) -> None:
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, min_col=1, max_col=LAST_COLUMN):
        for cell in row:
            cell.border = _BOX


def _header(ws: Worksheet) -> None:
    """Rows 7–10 merged like the paper form, then row 11 with the column numbers."""
    top, bottom = HEADER_FIRST_ROW, HEADER_LAST_ROW
    r1, r2, r3 = top, top + 1, top + 2
    cells = [
        # (first cell, last cell of the merge, text)
        (f"A{top}", f"A{bottom}", _("STT")),
        (f"B{top}", f"B{bottom}", _("Lĩnh vực, công việc giải quyết theo cấp")),
        (f"C{r1}", f"F{r1}", _("Số hồ sơ nhận giải quyết")),
        (f"G{r1}", f"M{r1}", _("Kết quả giải quyết")),
        (f"N{r1}", f"O{r1}", _("Ngoài biểu mẫu")),
        (f"C{r2}", f"C{bottom}", _("Tổng số")),
        (f"D{r2}", f"F{r2}", _("Trong đó")),
        (f"G{r2}", f"J{r2}", _("Số hồ sơ đã giải quyết")),
        (f"K{r2}", f"M{r2}", _("Số hồ sơ đang giải quyết")),
        (f"N{r2}", f"N{bottom}", _("Rút hồ sơ (công dân yêu cầu)")),
        (f"O{r2}", f"O{bottom}", _("Dừng xử lý")),
        (f"D{r3}", f"D{bottom}", _("Số kỳ trước chuyển qua")),
        (f"E{r3}", f"F{r3}", _("Số mới tiếp nhận")),
        (f"G{r3}", f"G{bottom}", _("Tổng số")),
        (f"H{r3}", f"I{r3}", _("Trả đúng thời hạn")),
        (f"J{r3}", f"J{bottom}", _("Trả quá hạn")),
        (f"K{r3}", f"K{bottom}", _("Tổng số")),
        (f"L{r3}", f"L{bottom}", _("Trong hạn")),
        (f"M{r3}", f"M{bottom}", _("Quá hạn")),
        (f"E{bottom}", None, _("Trực tuyến")),
        (f"F{bottom}", None, _("Trực tiếp, bưu chính")),
        (f"H{bottom}", None, _("Trước hạn")),
        (f"I{bottom}", None, _("Đúng hạn")),
    ]
    for first, last, text in cells:
        _put(ws, first, text, _BOLD, _CENTER, merge_to=last)
    numbers = ["(1)", "(2)", "(3)=(4)+(5)+(6)", "(4)", "(5)", "(6)", "(7)=(8)+(9)+(10)", "(8)", "(9)",
               "(10)", "(11)=(12)+(13)", "(12)", "(13)", "(14)", "(15)"]  # fmt: skip
    for column, text in enumerate(numbers, 1):
        _put(ws, f"{get_column_letter(column)}{NUMBER_ROW}", text, _SMALL_ITALIC, _CENTER)
    for row in range(top, NUMBER_ROW + 1):
        for column in (LAST_COLUMN - 1, LAST_COLUMN):
            ws.cell(row=row, column=column).fill = _EXTRA_FILL
    ws.row_dimensions[r3].height = 30
    ws.row_dimensions[bottom].height = 45
    _box(ws, top, NUMBER_ROW)


def _data_row(ws: Worksheet, row: int, number: str, label: str, values: Mapping, *, level: int) -> None:
    """level 0: the total, 1: a field, 2: a procedure (indented)."""
    font = _BOLD if level < 2 else _BODY
    _put(ws, f"A{row}", number or None, font, _CENTER)
    indent = 2 if level == 2 else 0
    _put(
        ws,
        f"B{row}",
        label,
        font,
        Alignment(horizontal="left", vertical="center", wrap_text=True, indent=indent),
    )
    for offset, key in enumerate(FORM_COLUMNS):
        cell = ws.cell(row=row, column=FIRST_FIGURE_COLUMN + offset, value=int(values[key]))
        cell.font = font
        cell.number_format = NUMBER_FORMAT
        cell.alignment = _RIGHT
    if level == 0:
        for column in range(1, LAST_COLUMN + 1):
            ws.cell(row=row, column=column).fill = _TOTAL_FILL


def build_workbook(
    *,
    reporting_unit: str,
    receiving_unit: str,
    first: dt.date,
    last: dt.date,
    total: Mapping,
    procedures: Iterable[ProcedureFigures],
    with_procedures: bool = True,
    notes: Iterable[str] = (),
) -> Workbook:
    """Form II.06a for one unit (or a province's units) and the period [first, last].

    `total` is the unit's period figures (summarize), the source of the TOTAL row; the field rows
    sum the procedures' figures (summarize_by_procedure); with `with_procedures`, each field's
    procedures are listed under it, indented. `notes` are extra lines under the table.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "II.06a"
    for column, width in _WIDTHS.items():
        ws.column_dimensions[get_column_letter(column)].width = width

    # Header block: form code (left), title and period (centre), who reports to whom (right).
    _put(ws, "A1", FORM_CODE, _BOLD, _LEFT, merge_to="C1")
    _put(ws, "A2", _("Ban hành kèm theo Thông tư số 01/2020/TT-VPCP"), _SMALL_ITALIC, _LEFT, merge_to="C3")
    title = _(
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT "
        "THỦ TỤC HÀNH CHÍNH"
    )
    _put(ws, "D1", title, _TITLE, _CENTER, merge_to="K2")
    _put(ws, "D3", period_caption(first, last), _BOLD, _CENTER, merge_to="K3")
    _put(ws, "L1", _("- Đơn vị báo cáo: %(unit)s") % {"unit": reporting_unit}, _BODY, _LEFT, merge_to="O2")
    receiving = _("- Đơn vị nhận báo cáo: %(unit)s") % {"unit": receiving_unit}
    _put(ws, "L3", receiving, _BODY, _LEFT, merge_to="O4")
    _put(ws, "L5", _("Đơn vị tính: Số hồ sơ TTHC"), _ITALIC, _RIGHT, merge_to="O5")
    ws.row_dimensions[1].height = 24
    ws.row_dimensions[2].height = 24

    _header(ws)

    row = FIRST_DATA_ROW
    for index, group in enumerate(_group_by_field(procedures), 1):
        _data_row(ws, row, str(index), group.name, group.values(), level=1)
        row += 1
        if with_procedures:
            for sub, procedure in enumerate(group.procedures, 1):
                label = f"{procedure.code} – {procedure.name}"
                _data_row(ws, row, f"{index}.{sub}", label, form_values(procedure.figures), level=2)
                row += 1
    total_row = row
    _data_row(ws, total_row, "", _("Tổng cộng"), form_values(total), level=0)
    _box(ws, FIRST_DATA_ROW, total_row)

    # Notes: what the extra columns are and the identity every row satisfies.
    row = total_row + 2
    paused = int(total.get("paused") or 0)
    lines = [
        _("- Cột (14) Rút hồ sơ (công dân yêu cầu rút, trạng thái 7) và cột (15) Dừng xử lý (trạng thái 8) "
          "không có trong biểu mẫu của Thông tư số 01/2020/TT-VPCP; cổng bổ sung để số liệu cân đối: "
          "(3) = (7) + (11) + (14) + (15)."),
    ]  # fmt: skip
    if paused:
        lines.append(
            _("- Cột (12) Trong hạn gồm cả %(paused)s hồ sơ đang tạm dừng chờ bổ sung, hoàn thiện hồ sơ "
              "hoặc thực hiện nghĩa vụ tài chính (tính đến hết ngày %(last)s).")
            % {"paused": paused, "last": vn_date(last)}
        )  # fmt: skip
    lines.extend(notes)
    _put(ws, f"A{row}", _("Ghi chú:"), _BOLD, _LEFT, merge_to=f"O{row}")
    for text in lines:
        row += 1
        _put(ws, f"A{row}", text, _ITALIC, _LEFT, merge_to=f"O{row}")
        # Excel does not grow a merged cell's row to its text: about 170 characters fit a line.
        ws.row_dimensions[row].height = 15 * max(1, -(-len(text) // 170))
    row += 2

    # Signature block.
    row += 1
    _put(ws, f"B{row}", _("NGƯỜI LẬP BIỂU"), _BOLD, _CENTER)
    _put(ws, f"K{row - 1}", _("……, ngày … tháng … năm ……"), _ITALIC, _CENTER, merge_to=f"O{row - 1}")
    _put(ws, f"K{row}", _("THỦ TRƯỞNG ĐƠN VỊ"), _BOLD, _CENTER, merge_to=f"O{row}")
    _put(ws, f"B{row + 1}", _("(Ký, ghi rõ họ tên)"), _ITALIC, _CENTER)
    _put(ws, f"K{row + 1}", _("(Ký tên, đóng dấu)"), _ITALIC, _CENTER, merge_to=f"O{row + 1}")

    # Print: landscape A4, one page wide, the table header repeated on every page.
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_FIRST_ROW}:{NUMBER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    return wb
