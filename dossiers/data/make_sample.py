"""Write the sample import files, sample_import.csv and sample_import.xlsx, beside this script.

    .venv/bin/python dossiers/data/make_sample.py

Twelve dossiers of Xã Thượng Cốc (05293, agency code H25.05293), one or more per status, with
Vietnamese headers, as docs/import-format.md describes. The people are invented: names made up,
ID numbers in the 12-digit format (birth-province code 017 = Hòa Bình, sex/century digit, year of
birth, six invented digits) and phone numbers that belong to no one we know of.
"""

import csv
import datetime as dt
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
CSV_PATH = HERE / "sample_import.csv"
XLSX_PATH = HERE / "sample_import.xlsx"

HEADER = (
    "Mã hồ sơ",
    "Mã đơn vị",
    "Mã thủ tục",
    "Kênh",
    "Họ tên",
    "Số định danh",
    "Số điện thoại",
    "Địa chỉ",
    "Thời điểm nộp",
    "Thời điểm tiếp nhận",
    "Trạng thái",
    "Thời điểm xử lý",
    "Thời điểm tạm dừng",
    "Loại tạm dừng",
    "Thời điểm tiếp tục",
    "Thời điểm kết thúc",
    "Thời điểm trả kết quả",
    "Ghi chú",
)
TIME_COLUMNS = {8, 9, 11, 12, 14, 15, 16}  # positions in HEADER
#: The national procedure codes the sample uses (they must be in the portal's catalogue).
PROCEDURE_CODES = ("1.001193", "1.004873", "2.000815")


def t(text: str) -> dt.datetime:
    """'01/08/2025 08:15' -> datetime; local Vietnamese time, as the file writes it."""
    return dt.datetime.strptime(text, "%d/%m/%Y %H:%M")


def _address(hamlet: str) -> str:
    return f"Xóm {hamlet}, xã Thượng Cốc, tỉnh Phú Thọ"


COMMUNE = "05293"

# code, (commune: COMMUNE), procedure, channel, name, ID number, phone, address, submitted, received, status,
# processing, paused, pause kind, resumed, finished, returned, note
ROWS = (
    ("H25.05293-250731-0001", "1.004873", "truc_tuyen", "Quách Văn Dũng", "017092006789", "0915000103",
     _address("Đồng Bảy"), t("31/07/2025 21:10"), t("01/08/2025 07:45"), 9, t("01/08/2025 08:00"),
     t("04/08/2025 10:00"), 5, t("06/08/2025 09:00"), t("08/08/2025 15:00"), None,
     "Bổ sung bản sao trích lục ly hôn"),
    ("H25.05293-250801-0001", "1.001193", "truc_tiep", "Bùi Văn Hùng", "017085001234", "0912000101",
     _address("Bưng"), None, t("01/08/2025 08:15"), 10, t("01/08/2025 08:30"), None, None, None,
     t("01/08/2025 10:00"), t("01/08/2025 14:00"), ""),
    ("H25.05293-250801-0002", "2.000815", "truc_tiep", "Đinh Thị Lan", "017187004321", "", _address("Nội"),
     None, t("01/08/2025 09:05"), 9, None, None, None, None, t("01/08/2025 09:40"), None, ""),
    ("H25.05293-250804-0001", "1.001193", "truc_tuyen", "Hà Thị Mai", "017196002468", "0986000104",
     _address("Mới"), t("04/08/2025 06:50"), None, 1, None, None, None, None, None, None, ""),
    ("H25.05293-250804-0002", "1.004873", "truc_tuyen", "Bùi Văn Tâm", "017079003579", "0977000105", "",
     t("04/08/2025 07:20"), None, 3, None, None, None, None, t("04/08/2025 09:00"), None,
     "Không thuộc thẩm quyền giải quyết của xã"),
    ("H25.05293-250805-0001", "1.004873", "buu_chinh", "Nguyễn Thị Hoa", "017190005791", "0934000106",
     _address("Sào Báy"), None, t("05/08/2025 10:30"), 4, t("05/08/2025 14:00"), None, None, None, None,
     None, ""),
    ("H25.05293-250805-0002", "1.004873", "truc_tiep", "Quách Thị Ngọc", "017198001357", "0965000107",
     _address("Đồng Bảy"), None, t("05/08/2025 15:00"), 5, t("06/08/2025 08:00"), t("07/08/2025 09:30"),
     None, None, None, None, "Yêu cầu bổ sung bản sao giấy khai sinh"),
    ("H25.05293-250805-0003", "1.004873", "truc_tuyen", "Bùi Thị Thu", "017301009753", "0356000108",
     _address("Bưng"), t("05/08/2025 20:40"), t("06/08/2025 07:40"), 6, t("06/08/2025 08:10"),
     t("06/08/2025 10:00"), 6, None, None, None, "Chờ nộp lệ phí"),
    ("H25.05293-250806-0002", "1.004873", "truc_tiep", "Đinh Văn Sơn", "017088008642", "0988000109",
     _address("Nội"), None, t("06/08/2025 09:00"), 7, t("06/08/2025 10:00"), None, None, None,
     t("07/08/2025 08:30"), None, "Công dân xin rút hồ sơ"),
    ("H25.05293-250807-0001", "1.004873", "truc_tiep", "Hà Văn Thắng", "017075007531", "", _address("Mới"),
     None, t("07/08/2025 08:10"), 8, t("07/08/2025 09:00"), None, None, None, t("11/08/2025 16:00"), None,
     "Dừng xử lý theo đề nghị của công chức tư pháp – hộ tịch"),
    ("H25.05293-250807-0002", "2.000815", "truc_tiep", "Nguyễn Văn Bình", "017094006420", "0397000111",
     _address("Sào Báy"), None, t("07/08/2025 16:45"), 2, None, None, None, None, None, None, ""),
    ("H25.05293-250808-0001", "1.004873", "truc_tiep", "Bùi Thị Hằng", "017193005318", "0868000112",
     _address("Bưng"), None, t("08/08/2025 09:00"), 10, t("08/08/2025 10:00"), None, None, None,
     t("20/08/2025 16:00"), t("21/08/2025 08:00"), "Trả kết quả kèm thư xin lỗi (Mẫu 04)"),
)  # fmt: skip


def rows():
    """The sample's rows in HEADER order."""
    return [(row[0], COMMUNE, *row[1:]) for row in ROWS]


def csv_text() -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows():
        writer.writerow(
            "" if value is None else value.strftime("%d/%m/%Y %H:%M") if i in TIME_COLUMNS else value
            for i, value in enumerate(row)
        )
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Hồ sơ"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows():
        sheet.append(["" if value is None else value for value in row])
    for row in sheet.iter_rows(min_row=2):
        for i, cell in enumerate(row):
            # Times as real date cells; codes, ID numbers and phones as text (keeps leading zeros).
            cell.number_format = "dd/mm/yyyy hh:mm" if i in TIME_COLUMNS else "@"
    for letter, width in zip("ABCDEFGHIJKLMNOPQR", (24, 10, 11, 11, 18, 15, 13, 36), strict=False):
        sheet.column_dimensions[letter].width = width
    workbook.properties.created = workbook.properties.modified = dt.datetime(2025, 8, 25, 8, 0)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def main():
    CSV_PATH.write_text(csv_text(), encoding="utf-8-sig", newline="")
    XLSX_PATH.write_bytes(xlsx_bytes())
    print(f"Đã ghi {CSV_PATH.name} và {XLSX_PATH.name} ({len(ROWS)} hồ sơ).")


if __name__ == "__main__":
    main()
