"""The worklist as an Excel workbook, streamed row by row while the database is read.

The caller gives the scoped, filtered and ordered queryset; this module picks the columns, masks
personal data for readers outside the dossier's commune (privacy.sees_personal_data) and writes
real Excel dates shown dd/mm/yyyy hh:mm.

Why not openpyxl's writer: even in write-only mode it costs ~0.5 ms a row here (56 s for the
100,000-row cap, past gunicorn's 30 s worker timeout, so a province export would never arrive).
An .xlsx is a zip of a few XML parts; writing the sheet's XML directly streams the same file in
a few seconds with constant memory. openpyxl stays the reader that checks it (tests/dossiers/test_export.py).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator
from types import SimpleNamespace
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from communes.choices import UnitKind
from portal.formatting import vn_number

from .choices import Channel, Status, Timeliness
from .privacy import mask_address, mask_id_number, mask_phone, sees_personal_data

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: A workbook beyond this many rows is slow to open; the title rows say how many were left out.
ROW_LIMIT = 100_000
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
_CHUNK = 2000  # rows read from the database, and written to the response, at a time

_FIELDS = (
    "code",
    "commune_id",
    "commune__code",
    "commune__kind",
    "commune__name",
    "procedure__code",
    "procedure__name",
    "procedure__field",
    "channel",
    "status",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_address",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "timeliness",
    "is_overdue_now",
)


def _columns():
    """(header, width) of each column, in order."""
    return [
        (_("STT"), 7),
        (_("Mã hồ sơ"), 24),
        (_("Mã đơn vị"), 10),
        (_("Đơn vị tiếp nhận"), 22),
        (_("Mã thủ tục"), 11),
        (_("Tên thủ tục"), 45),
        (_("Lĩnh vực"), 18),
        (_("Kênh tiếp nhận"), 16),
        (_("Trạng thái"), 22),
        (_("Họ và tên người nộp"), 24),
        (_("Số định danh cá nhân"), 16),
        (_("Số điện thoại"), 13),
        (_("Địa chỉ"), 36),
        (_("Thời điểm tiếp nhận"), 17),
        (_("Hạn giải quyết"), 17),
        (_("Thời điểm kết thúc xử lý"), 17),
        (_("Thời điểm trả kết quả"), 17),
        (_("Tiến độ"), 11),
        (_("Quá hạn"), 9),
    ]


def export_filename(tag: str, day: dt.date) -> str:
    """ho-so-H25.05293-20251126.xlsx"""
    return f"ho-so-{tag}-{day:%Y%m%d}.xlsx"


def stream_workbook(
    dossiers, *, user, caption: str, filters: list[str], exported_at: dt.datetime
) -> Iterator[bytes]:
    """The .xlsx of `dossiers` (a queryset annotated with `is_overdue_now`), in chunks of bytes.

    Title rows (what, whose, which filters, when, how many), a header row, then at most
    ROW_LIMIT dossiers in the queryset's order; when there are more, the title says so.
    """
    total = dossiers.count()
    columns = _columns()
    titles = [
        (_("DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH"), _TITLE),
        (caption, _BOLD),
        (_("Bộ lọc: %(filters)s") % {"filters": "; ".join(filters) if filters else _("không có")}, None),
        (
            _("Thời điểm xuất: %(at)s") % {"at": timezone.localtime(exported_at).strftime("%d/%m/%Y %H:%M")},
            None,
        ),
    ]
    footer = None
    if total > ROW_LIMIT:
        message = _(
            "Có %(total)s hồ sơ khớp bộ lọc; tệp chỉ gồm %(limit)s hồ sơ đầu tiên. "
            "Hãy thu hẹp bộ lọc (ví dụ theo khoảng ngày tiếp nhận) để xuất phần còn lại."
        ) % {"total": vn_number(total), "limit": vn_number(ROW_LIMIT)}
        titles.append((message, _WARNING))
        footer = _("Tệp dừng ở %(limit)s hồ sơ (giới hạn xuất).") % {"limit": vn_number(ROW_LIMIT)}
    else:
        titles.append((_("Tổng số: %(total)s hồ sơ.") % {"total": vn_number(total)}, None))
    # Every text is made now, in the request's language: the generator runs after the view returns.
    labels = {
        "kind": {value: str(label) for value, label in UnitKind.choices},
        "channel": {value: str(label) for value, label in Channel.choices},
        "status": {value: f"{value} – {label}" for value, label in Status.choices},
        "timeliness": {value: str(label) for value, label in Timeliness.choices},
        "overdue": _("Quá hạn"),
    }
    return _stream(
        dossiers,
        user,
        titles,
        columns,
        labels,
        footer,
        sheet_name=_("Hồ sơ"),
        tz=timezone.get_current_timezone(),
    )


def _stream(dossiers, user, titles, columns, labels, footer, *, sheet_name, tz) -> Iterator[bytes]:
    header_row = len(titles) + 2  # a blank row between the titles and the table
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=5) as package:
        for name, xml in _STATIC_PARTS.items():
            package.writestr(name, xml)
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_sheet_start(columns, header_row).encode())
            lines = [_row(i, [(text, style)], tz) for i, (text, style) in enumerate(titles, 1)]
            lines.append(_row(header_row, [(header, _HEADER) for header, _width in columns], tz))
            written = 0
            for written, values in enumerate(_data_rows(dossiers, user, labels), 1):
                lines.append(_row(header_row + written, values, tz))
                if len(lines) >= _CHUNK:
                    sheet.write("".join(lines).encode())
                    lines.clear()
                    yield sink.take()
            last_row = header_row + written
            if footer:
                lines.append(_row(last_row + 2, [(footer, _WARNING)], tz))
            filter_ref = f"A{header_row}:{_LETTERS[len(columns) - 1]}{max(last_row, header_row + 1)}"
            lines.append(f'</sheetData><autoFilter ref="{filter_ref}"/></worksheet>')
            sheet.write("".join(lines).encode())
        package.writestr("xl/workbook.xml", _workbook_xml(sheet_name, filter_ref))
    yield sink.take()


def _data_rows(dossiers, user, labels) -> Iterator[list]:
    """One list of cell values per dossier, at most ROW_LIMIT, read in chunks (never all at once)."""
    # Labels and the personal-data decision looked up once, not per row: the file can be long.
    kinds, channels, statuses = labels["kind"], labels["channel"], labels["status"]
    timeliness, overdue = labels["timeliness"], labels["overdue"]
    full_for = {}  # commune id -> the reader sees personal data in full (privacy's one rule)
    rows = dossiers.values_list(*_FIELDS)[:ROW_LIMIT].iterator(chunk_size=_CHUNK)
    for number, row in enumerate(rows, 1):
        (code, commune_id, commune_code, kind, commune_name, procedure_code, procedure_name, field,
         channel, status, name, id_number, phone, address, received_at, due_at, finished_at,
         returned_at, timely, is_overdue) = row  # fmt: skip
        if commune_id not in full_for:
            full_for[commune_id] = sees_personal_data(user, SimpleNamespace(commune_id=commune_id))
        full = full_for[commune_id]
        yield [
            number,
            code,
            commune_code,
            f"{kinds.get(kind, kind)} {commune_name}",
            procedure_code,
            procedure_name,
            field,
            channels.get(channel, channel),
            statuses.get(status, status),
            name,
            id_number if full else mask_id_number(id_number),
            phone if full else mask_phone(phone),
            address if full else mask_address(address),
            received_at,
            due_at,
            finished_at,
            returned_at,
            timeliness.get(timely) if timely else None,
            overdue if is_overdue else None,
        ]


# --- SpreadsheetML ------------------------------------------------------------------------------

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Indexes into cellXfs of _STYLES.
_DATE, _TITLE, _BOLD, _HEADER, _WARNING = 1, 2, 3, 4, 5

_STYLES = f"""{_XML_DECL}<styleSheet xmlns="{_MAIN_NS}">
<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATETIME_FORMAT}"/></numFmts>
<fonts count="4">
<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="11"/><color rgb="FFB3261E"/><name val="Calibri"/><family val="2"/></font>
</fonts>
<fills count="3">
<fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFF2DCDB"/><bgColor indexed="64"/></patternFill></fill>
</fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="6">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

_STATIC_PARTS = {
    "[Content_Types].xml": f"""{_XML_DECL}\
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>""",
    "_rels/.rels": f"""{_XML_DECL}<Relationships xmlns="{_PKG_REL_NS}">
<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>""",
    "xl/_rels/workbook.xml.rels": f"""{_XML_DECL}<Relationships xmlns="{_PKG_REL_NS}">
<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/>
</Relationships>""",
    "xl/styles.xml": _STYLES,
}

_LETTERS = [chr(ord("A") + i) for i in range(26)]
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Characters XML 1.0 cannot carry at all (a stray control character pasted into a name).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _sheet_start(columns, header_row: int) -> str:
    # Frozen: the title and header rows, and the first two columns (number and dossier code).
    top_left = f"C{header_row + 1}"
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
        for i, (_h, width) in enumerate(columns, 1)
    )
    return (
        f'{_XML_DECL}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane xSplit="2" ySplit="{header_row}" topLeftCell="{top_left}"'
        ' activePane="bottomRight" state="frozen"/>'
        '<selection pane="topRight"/><selection pane="bottomLeft"/>'
        f'<selection pane="bottomRight" activeCell="{top_left}" sqref="{top_left}"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{cols}</cols><sheetData>"
    )


def _workbook_xml(sheet_name: str, filter_ref: str) -> str:
    start, end = filter_ref.split(":")
    absolute = f"${start[0]}${start[1:]}:${end[0]}${end[1:]}"
    quoted = escape("'" + sheet_name.replace("'", "''") + "'")
    return (
        f'{_XML_DECL}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        f'<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets>'
        f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{quoted}!{absolute}</definedName></definedNames>"
        "</workbook>"
    )


def _row(number: int, values: Iterable, tz) -> str:
    """<row> of `values`: plain values, or (value, style index) pairs; None leaves a cell empty."""
    cells = []
    for column, item in enumerate(values):
        value, style = item if type(item) is tuple else (item, None)
        if value is None or value == "":
            continue
        ref = f"{_LETTERS[column]}{number}"
        kind = type(value)
        if kind is dt.datetime:
            # A real Excel date: days since 30/12/1899, local wall-clock time (Excel has no zones).
            delta = value.astimezone(tz).replace(tzinfo=None) - _EXCEL_EPOCH
            serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
            cells.append(f'<c r="{ref}" s="{style or _DATE}"><v>{serial!r}</v></c>')
            continue
        s = f' s="{style}"' if style else ""
        if kind is int or kind is float:
            cells.append(f'<c r="{ref}"{s}><v>{value}</v></c>')
        else:
            text = escape(_ILLEGAL_XML.sub("", str(value)))
            space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
            cells.append(f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


class _Sink:
    """A write-only file for zipfile: collects what it writes until taken (no seek: streamed zip)."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data
