"""Importing dossiers from a CSV or XLSX export (issue 3, item 5): check everything, then replay.

The examples follow DOMAIN.md §4: received Friday 29/8/2025 10:00 with 3 working days is due
Friday 5/9 (1–2/9 are National Day holidays); paused Wednesday 3/9 and resumed Monday 8/9, due
Wednesday 10/9.
"""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from dossiers import importing
from dossiers.data import make_sample
from dossiers.errors import DossierError
from dossiers.import_columns import COLUMNS
from dossiers.import_files import read_dossier_file
from dossiers.importing import ImportRefused, import_dossiers
from dossiers.models import DailyCounter, Dossier, DossierEvent
from dossiers.services import move_dossier
from tests.factories import CommuneFactory, ProcedureFactory, ServiceCentreFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2025, 9, 30, 9, 0, tzinfo=VN)
KEYS = tuple(column.key for column in COLUMNS)
PERSONAL = {
    "ho_ten": "Nguyễn Văn An",
    "so_dinh_danh": "001203004567",
    "so_dien_thoai": "0912345678",
    "dia_chi": "Xóm Đồng, xã Thượng Cốc, tỉnh Phú Thọ",
}


def row(**values):
    """A received direct dossier of Thượng Cốc (05293); keyword arguments override."""
    base = {
        "ma_ho_so": "H25.05293-250829-0001",
        "ma_don_vi": "05293",
        "ma_thu_tuc": "9.000003",
        "kenh": "truc_tiep",
        **PERSONAL,
        "thoi_diem_tiep_nhan": "29/08/2025 10:00",
        "trang_thai": "2",
    }
    base.update(values)
    return base


def csv_bytes(rows, header=None, delimiter=","):
    """A CSV file with the given rows ({column key: value}); `header` maps keys to written headers."""
    header = header or {}
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header.get(key, key) for key in KEYS)
    for values in rows:
        writer.writerow(values.get(key, "") for key in KEYS)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows, header=None):
    header = header or {}
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([header.get(key, key) for key in KEYS])
    for values in rows:
        sheet.append([values.get(key) if values.get(key) != "" else None for key in KEYS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def import_csv(rows, **kwargs):
    return import_dossiers(csv_bytes(rows), "ho_so.csv", **kwargs)


def refusal(rows, **kwargs):
    with pytest.raises(ImportRefused) as caught:
        import_csv(rows, **kwargs)
    return caught.value.problems


def dump():
    """Every stored field of dossiers, events and code counters, except the bookkeeping stamps."""
    dossiers = [
        {k: v for k, v in d.items() if k not in ("created_at", "updated_at")}
        for d in Dossier.objects.order_by("code").values()
    ]
    events = [
        {k: v for k, v in e.items() if k != "recorded_at"}
        for e in DossierEvent.objects.order_by("dossier__code", "seq").values()
    ]
    counters = list(DailyCounter.objects.order_by("centre_id", "day").values())
    return dossiers, events, counters


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ready(centre, procedure, vn_calendar):
    """Thượng Cốc with its centre (agency code H25.05293), a 3-day procedure, the real calendar."""
    return centre


# --- a good file -------------------------------------------------------------------------------


PAUSED_AND_RETURNED = row(
    trang_thai="10",
    thoi_diem_xu_ly="29/08/2025 11:00",
    thoi_diem_tam_dung="03/09/2025 09:00",
    thoi_diem_tiep_tuc="08/09/2025 09:00",
    thoi_diem_ket_thuc="10/09/2025 16:00",
    thoi_diem_tra_ket_qua="11/09/2025 08:00",
    ghi_chu="Đã bổ sung giấy tờ",
)


def test_a_row_is_replayed_exactly_as_a_clerk_would_have_moved_it(ready, receive):
    result = import_csv([PAUSED_AND_RETURNED])

    assert result.created == [(2, "H25.05293-250829-0001")] and result.skipped == []
    imported = Dossier.objects.get(code="H25.05293-250829-0001")
    assert imported.due_at == dt.datetime(2025, 9, 10, 17, 0, tzinfo=VN)  # 5/9 + 3 paused days
    assert imported.timeliness == "on_time"
    assert imported.returned_at == dt.datetime(2025, 9, 11, 8, 0, tzinfo=VN)
    assert imported.applicant_id_number == "001203004567"
    events = list(imported.events.values_list("to_status", "at", "actor", "note"))
    assert [e[0] for e in events] == [2, 4, 5, 4, 9, 10]
    assert {e[2] for e in events} == {None}
    assert [e[3] for e in events] == ["Nhập từ tệp"] * 5 + ["Nhập từ tệp. Đã bổ sung giấy tờ"]

    # The same story told to the services by hand gives the same dossier and the same history.
    twin = receive(at=dt.datetime(2025, 8, 29, 10, 0, tzinfo=VN), actor=None)
    for status, at in [
        (4, dt.datetime(2025, 8, 29, 11, 0, tzinfo=VN)),
        (5, dt.datetime(2025, 9, 3, 9, 0, tzinfo=VN)),
        (4, dt.datetime(2025, 9, 8, 9, 0, tzinfo=VN)),
        (9, dt.datetime(2025, 9, 10, 16, 0, tzinfo=VN)),
        (10, dt.datetime(2025, 9, 11, 8, 0, tzinfo=VN)),
    ]:
        twin = move_dossier(twin, status, at=at)
    compared = ("status", "received_at", "submitted_at", "due_at", "paused_at", "finished_at", "returned_at")
    for name in (*compared, "timeliness", "version", "processing_days"):
        assert getattr(imported, name) == getattr(twin, name), name
    history = ("from_status", "to_status", "at", "due_at")
    assert list(imported.events.values_list(*history)) == list(twin.events.values_list(*history))


def test_each_status_gets_its_dates_deadline_and_timeliness(ready):
    import_csv(
        [
            row(ma_ho_so="H25.05293-250829-0001", trang_thai="2"),
            row(ma_ho_so="H25.05293-250829-0002", trang_thai="4", thoi_diem_xu_ly="29/08/2025 11:00"),
            row(
                ma_ho_so="H25.05293-250829-0003",
                trang_thai="9",
                thoi_diem_ket_thuc="11/09/2025 10:00",  # 2 -> 9 directly, after the due date
            ),
            row(
                ma_ho_so="H25.05293-250829-0004",
                trang_thai="6",
                thoi_diem_xu_ly="29/08/2025 11:00",
                thoi_diem_tam_dung="04/09/2025 08:00",
            ),
            row(
                ma_ho_so="H25.05293-250829-0005",
                trang_thai="7",
                thoi_diem_xu_ly="29/08/2025 11:00",
                thoi_diem_tam_dung="03/09/2025 08:00",
                thoi_diem_ket_thuc="04/09/2025 08:00",  # withdrawn while paused
            ),
            row(
                ma_ho_so="H25.05293-250829-0006",
                trang_thai="8",
                thoi_diem_xu_ly="29/08/2025 11:00",
                thoi_diem_ket_thuc="03/09/2025 15:00",
            ),
            row(
                ma_ho_so="H25.05293-250828-0001",
                kenh="truc_tuyen",
                thoi_diem_nop="28/08/2025 22:00",
                thoi_diem_tiep_nhan="29/08/2025 07:30",
                trang_thai="9",
                thoi_diem_xu_ly="29/08/2025 08:00",
                thoi_diem_ket_thuc="03/09/2025 10:00",
            ),
            row(
                ma_ho_so="H25.05293-250830-0001",
                kenh="online",
                thoi_diem_nop="30/08/2025 20:00",
                thoi_diem_tiep_nhan="",
                trang_thai="1",
            ),
            row(
                ma_ho_so="H25.05293-250830-0002",
                kenh="truc_tuyen",
                thoi_diem_nop="30/08/2025 21:00",
                thoi_diem_tiep_nhan="",
                trang_thai="3",
                thoi_diem_ket_thuc="03/09/2025 08:00",
            ),
        ]
    )

    got = {d.code: d for d in Dossier.objects.all()}
    history = {code: list(d.events.values_list("to_status", flat=True)) for code, d in got.items()}
    assert history == {
        "H25.05293-250829-0001": [2],
        "H25.05293-250829-0002": [2, 4],
        "H25.05293-250829-0003": [2, 9],
        "H25.05293-250829-0004": [2, 4, 6],
        "H25.05293-250829-0005": [2, 4, 5, 7],
        "H25.05293-250829-0006": [2, 4, 8],
        "H25.05293-250828-0001": [1, 2, 4, 9],
        "H25.05293-250830-0001": [1],
        "H25.05293-250830-0002": [1, 3],
    }
    due = dt.datetime(2025, 9, 5, 17, 0, tzinfo=VN)
    assert got["H25.05293-250829-0003"].due_at == due
    assert got["H25.05293-250829-0003"].timeliness == "late"
    assert got["H25.05293-250829-0004"].paused_at == dt.datetime(2025, 9, 4, 8, 0, tzinfo=VN)
    assert got["H25.05293-250829-0005"].finished_at == dt.datetime(2025, 9, 4, 8, 0, tzinfo=VN)
    assert got["H25.05293-250829-0005"].paused_at is None
    online = got["H25.05293-250828-0001"]
    assert online.submitted_at == dt.datetime(2025, 8, 28, 22, 0, tzinfo=VN)
    assert online.received_at == dt.datetime(2025, 8, 29, 7, 30, tzinfo=VN)
    assert (online.due_at, online.timeliness) == (due, "early")
    assert got["H25.05293-250830-0001"].received_at is None
    assert got["H25.05293-250830-0002"].finished_at == dt.datetime(2025, 9, 3, 8, 0, tzinfo=VN)


def test_imported_numbers_are_reserved_so_new_codes_do_not_collide(ready, receive):
    import_csv([row(ma_ho_so="H25.05293-250829-0007")])

    later = receive(at=dt.datetime(2025, 8, 29, 15, 0, tzinfo=VN))

    assert later.code == "H25.05293-250829-0008"


def test_the_same_file_twice_gives_the_same_database(ready):
    rows = [
        PAUSED_AND_RETURNED,
        row(ma_ho_so="H25.05293-250829-0002", trang_thai="4", thoi_diem_xu_ly="29/08/2025 11:00"),
        row(
            ma_ho_so="H25.05293-250830-0001",
            kenh="truc_tuyen",
            thoi_diem_nop="30/08/2025 20:00",
            thoi_diem_tiep_nhan="",
            trang_thai="1",
        ),
    ]
    first = import_csv(rows)
    before = dump()

    second = import_csv(rows)

    assert len(first.created) == 3
    assert second.created == []
    assert second.skipped == [
        (2, "H25.05293-250829-0001"),
        (3, "H25.05293-250829-0002"),
        (4, "H25.05293-250830-0001"),
    ]
    assert dump() == before


def test_a_dossier_moved_since_the_first_import_is_a_conflict_and_nothing_is_imported(ready):
    import_csv([row()])
    move_dossier(Dossier.objects.get(), 4, at=dt.datetime(2025, 8, 29, 11, 0, tzinfo=VN))
    before = dump()

    problems = refusal([row(), row(ma_ho_so="H25.05293-250829-0002")])

    assert [(p.line, p.code) for p in problems] == [(2, "conflict")]
    assert "H25.05293-250829-0001" in problems[0].message
    assert "trạng thái: trong hệ thống 4 – Đang xử lý, trong tệp 2 – Được tiếp nhận" in problems[0].message
    assert dump() == before


# --- bad rows ----------------------------------------------------------------------------------


def test_one_bad_row_imports_nothing_and_names_the_row(ready):
    rows = [
        row(ma_ho_so="H25.05293-250829-0001"),
        row(ma_ho_so="H25.05293-250829-0002", ma_thu_tuc="1.999999"),
        row(ma_ho_so="H25.05293-250829-0003"),
    ]

    problems = refusal(rows)

    assert [(p.line, p.code) for p in problems] == [(3, "unknown-procedure")]
    assert str(problems[0]) == "Dòng 3: Mã thủ tục “1.999999” không có trong danh mục thủ tục."
    assert not Dossier.objects.exists()
    assert not DossierEvent.objects.exists()
    assert not DailyCounter.objects.exists()


def test_every_bad_row_is_reported_with_its_line_and_reason(ready):
    rows = [
        row(ma_ho_so="H25.05293-250829-0001"),  # line 2: fine
        row(ma_ho_so="HS-29-08"),  # 3
        row(ma_ho_so="H25.05293-250829-0003", trang_thai="11"),  # 4
        row(ma_ho_so="H25.05293-250829-0004", kenh="fax"),  # 5
        row(ma_ho_so="H25.05293-250829-0005", thoi_diem_tiep_nhan="01/10/2025 08:00"),  # 6: future
        row(ma_ho_so="H25.05293-250829-0006", thoi_diem_tiep_nhan="29/8/2025"),  # 7: no time of day
        row(ma_ho_so="H25.05293-250829-0007", trang_thai="4"),  # 8: no processing time
        row(  # 9: out of order
            ma_ho_so="H25.05293-250829-0008",
            trang_thai="9",
            thoi_diem_ket_thuc="28/08/2025 10:00",
        ),
        row(ma_ho_so="H25.05293-250829-0001"),  # 10: same code as line 2
        row(ma_ho_so="H25.05293-250829-0010", ma_don_vi="99999"),  # 11
        row(ma_ho_so="H25.05293-250829-0011", so_dinh_danh="12345"),  # 12
    ]

    problems = refusal(rows)

    by_line = {}
    for problem in problems:
        by_line.setdefault(problem.line, []).append(problem.message)
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert "sai định dạng" in by_line[3][0]
    assert "Trạng thái “11” không hợp lệ" in by_line[4][0]
    assert "Kênh “fax” không hợp lệ" in by_line[5][0]
    assert by_line[6] == ["“Thời điểm tiếp nhận” (01/10/2025 08:00) ở tương lai."]
    assert "“Thời điểm tiếp nhận” “29/8/2025” không hợp lệ" in by_line[7][0]
    assert by_line[8] == ["Thiếu “Thời điểm xử lý”: bắt buộc với trạng thái 4 (Đang xử lý)."]
    assert "trước “Thời điểm tiếp nhận”" in by_line[9][0]
    assert by_line[10] == ["Mã hồ sơ H25.05293-250829-0001 trùng với dòng 2."]
    assert by_line[11] == ["Không có đơn vị hành chính mã 99999."]
    assert by_line[12] == ["Số định danh cá nhân phải gồm đúng 12 chữ số."]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"trang_thai": "5", "thoi_diem_xu_ly": "29/08/2025 11:00"},
            "Thiếu “Thời điểm tạm dừng”: bắt buộc với trạng thái 5",
        ),
        (
            {"trang_thai": "2", "thoi_diem_ket_thuc": "29/08/2025 11:00"},
            "“Thời điểm kết thúc” phải để trống với trạng thái 2",
        ),
        (
            {"trang_thai": "10", "thoi_diem_ket_thuc": "29/08/2025 11:00"},
            "Thiếu “Thời điểm trả kết quả”: bắt buộc với trạng thái 10",
        ),
        (
            {
                "trang_thai": "9",
                "thoi_diem_tam_dung": "29/08/2025 11:00",
                "thoi_diem_ket_thuc": "03/09/2025 09:00",
            },
            "chỉ tạm dừng khi đang xử lý",
        ),
        (
            {
                "trang_thai": "9",
                "thoi_diem_xu_ly": "29/08/2025 11:00",
                "thoi_diem_tam_dung": "29/08/2025 14:00",
                "thoi_diem_ket_thuc": "03/09/2025 09:00",
            },
            "Trạng thái 9 (Đã xử lý xong) có “Thời điểm tạm dừng” thì phải có “Thời điểm tiếp tục”",
        ),
        (
            {
                "trang_thai": "5",
                "thoi_diem_xu_ly": "29/08/2025 11:00",
                "thoi_diem_tam_dung": "29/08/2025 14:00",
                "loai_tam_dung": "6",
            },
            "“Loại tạm dừng” phải trùng trạng thái 5",
        ),
        (
            {"trang_thai": "1", "thoi_diem_tiep_nhan": "", "thoi_diem_nop": "29/08/2025 09:00"},
            "Chỉ hồ sơ trực tuyến",
        ),
        (
            {"thoi_diem_nop": "29/08/2025 09:00"},
            "Hồ sơ trực tiếp, qua bưu chính được tiếp nhận ngay khi nộp",
        ),
        (
            {"kenh": "truc_tuyen", "thoi_diem_nop": "29/08/2025 11:00"},  # submitted after receipt
            "“Thời điểm tiếp nhận” (29/08/2025 10:00) trước “Thời điểm nộp” (29/08/2025 11:00)",
        ),
        ({"ma_ho_so": "H25.05293-250830-0001"}, "(30/08/2025) sau ngày hồ sơ đến (29/08/2025)"),
        ({"ma_ho_so": "H25.05293-250231-0001"}, "chứa ngày “250231” không có thật"),
    ],
)
def test_the_status_path_must_be_consistent(ready, values, expected):
    problems = refusal([row(**values)])

    assert any(expected in p.message for p in problems), [p.message for p in problems]


def test_a_code_of_another_centre_is_refused(ready, neighbour_commune):
    ServiceCentreFactory(commune=neighbour_commune, agency_code="H25.05305")

    problems = refusal(
        [
            row(ma_ho_so="H25.05305-250829-0001"),  # Yên Phú's agency code, Thượng Cốc's row
            row(ma_ho_so="H25.05293-250829-0002", ma_don_vi="05305"),
        ]
    )

    assert [(p.line, p.code) for p in problems] == [
        (2, "code-commune-mismatch"),
        (3, "code-commune-mismatch"),
    ]
    assert problems[0].message == (
        "Mã hồ sơ H25.05305-250829-0001 có mã cơ quan “H25.05305”, "
        "nhưng mã cơ quan của Xã Thượng Cốc là “H25.05293”."
    )


def test_a_unit_without_a_service_centre_cannot_be_checked(ready, neighbour_commune):
    problems = refusal([row(ma_ho_so="H25.05305-250829-0001", ma_don_vi="05305")])

    assert [p.code for p in problems] == ["no-service-centre"]


def test_a_merged_away_unit_takes_no_dossier_after_its_end(ready, commune):
    van_son = commune.absorptions.get().absorbed  # Văn Sơn 05284, ended 30/6/2025
    ServiceCentreFactory(commune=van_son, agency_code="H17.05284")

    problems = refusal([row(ma_ho_so="H17.05284-250829-0001", ma_don_vi="05284")])

    assert [(p.line, p.code) for p in problems] == [(2, "commune-inactive")]
    assert problems[0].message == (
        "Đơn vị mã 05284 không hoạt động ngày 29/08/2025 (Xã Văn Sơn: hiệu lực … – 30/06/2025): "
        "không tiếp nhận hồ sơ ngày này."
    )
    # Received before its end, the dossier is Văn Sơn's, and may be finished after the merger.
    import_csv(
        [
            row(
                ma_ho_so="H17.05284-250627-0001",
                ma_don_vi="05284",
                thoi_diem_tiep_nhan="27/06/2025 09:00",
                trang_thai="9",
                thoi_diem_ket_thuc="02/07/2025 10:00",
            )
        ]
    )
    assert Dossier.objects.get().commune == van_son


def test_a_kept_code_picks_the_unit_version_active_on_the_receipt_day(ready, commune, province):
    old = CommuneFactory(code="05293", name="Thượng Cốc cũ", province=province, ended=True)
    ServiceCentreFactory(commune=old, agency_code="H17.05293")

    import_csv(
        [
            row(ma_ho_so="H17.05293-250620-0001", thoi_diem_tiep_nhan="20/06/2025 09:00"),
            row(ma_ho_so="H25.05293-250829-0001"),
        ]
    )

    communes = dict(Dossier.objects.values_list("code", "commune_id"))
    assert communes == {"H17.05293-250620-0001": old.pk, "H25.05293-250829-0001": commune.pk}


def test_a_refusal_only_the_services_know_rolls_back_every_row(ready, monkeypatch):
    real_move = importing.move_dossier

    def move_refusing_the_second(dossier, to_status, **kwargs):
        if dossier.code.endswith("0002"):
            raise DossierError("Quy tắc chỉ dịch vụ biết.", "some-rule")
        return real_move(dossier, to_status, **kwargs)

    monkeypatch.setattr(importing, "move_dossier", move_refusing_the_second)
    rows = [
        row(ma_ho_so="H25.05293-250829-0001", trang_thai="4", thoi_diem_xu_ly="29/08/2025 11:00"),
        row(ma_ho_so="H25.05293-250829-0002", trang_thai="4", thoi_diem_xu_ly="29/08/2025 11:00"),
    ]

    problems = refusal(rows)

    assert [(p.line, p.code, p.message) for p in problems] == [
        (3, "some-rule", "H25.05293-250829-0002: Quy tắc chỉ dịch vụ biết.")
    ]
    assert not Dossier.objects.exists()
    assert not DailyCounter.objects.exists()


def test_an_inactive_procedure_is_refused_before_anything_is_written(ready, procedure):
    procedure.is_active = False
    procedure.save()

    problems = refusal([row()])

    assert [p.code for p in problems] == ["procedure-inactive"]


def test_personal_data_never_appears_in_the_messages(ready):
    rows = [
        row(ma_ho_so="H25.05293-250829-0001", so_dinh_danh="00120300456"),  # 11 digits
        row(ma_ho_so="H25.05293-250829-0002", so_dien_thoai="091234"),
        row(ma_ho_so="H25.05293-250829-0003", ho_ten="Nguyễn Văn An " * 20),
        row(ma_ho_so="H25.05293-250829-0004", dia_chi=PERSONAL["dia_chi"] * 10),
        row(ma_ho_so="H25.05293-250829-0005", ma_thu_tuc="1.999999"),
        # Columns shifted by hand: personal data where codes belong is not echoed either.
        row(ma_ho_so="H25.05293-250829-001203004567", ma_thu_tuc="001203004567", kenh="0912345678"),
        row(ma_ho_so="H25.05293-250829-0007", trang_thai=PERSONAL["dia_chi"], ma_don_vi="Nguyễn Văn An"),
    ]

    problems = refusal(rows)

    assert sorted({p.line for p in problems}) == [2, 3, 4, 5, 6, 7, 8]
    assert "Mã thủ tục “(giá trị đã ẩn)” không có trong danh mục thủ tục." in [p.message for p in problems]
    text = "\n".join(str(p) for p in problems)
    for secret in ("00120300456", "091234", "Nguyễn Văn An", "Xóm Đồng", "001203004567", "0912345678"):
        assert secret not in text


# --- formats -----------------------------------------------------------------------------------


def test_xlsx_and_csv_give_the_same_dossiers(ready):
    rows = [
        PAUSED_AND_RETURNED,
        row(ma_ho_so="H25.05293-250829-0002", trang_thai="4", thoi_diem_xu_ly="29/08/2025 11:00"),
    ]
    import_csv(rows)
    from_csv = dump()
    DossierEvent.objects.all().delete()
    Dossier.objects.all().delete()
    DailyCounter.objects.all().delete()

    # Excel's own cells: real dates, and an ID number typed as a number that lost its leading zeros.
    def as_excel(values):
        cells = dict(values)
        for key in (
            "thoi_diem_tiep_nhan",
            "thoi_diem_xu_ly",
            "thoi_diem_tam_dung",
            "thoi_diem_tiep_tuc",
            "thoi_diem_ket_thuc",
            "thoi_diem_tra_ket_qua",
        ):
            if cells.get(key):
                cells[key] = dt.datetime.strptime(cells[key], "%d/%m/%Y %H:%M")
        cells["so_dinh_danh"] = int(cells["so_dinh_danh"])
        cells["ma_don_vi"] = int(cells["ma_don_vi"])
        cells["so_dien_thoai"] = int(cells["so_dien_thoai"])
        cells["trang_thai"] = int(cells["trang_thai"])
        return cells

    result = import_dossiers(xlsx_bytes([as_excel(r) for r in rows]), "ho_so.xlsx")

    assert len(result.created) == 2
    csv_dossiers, csv_events, csv_counters = from_csv
    xlsx_dossiers, xlsx_events, xlsx_counters = dump()

    def ignore_ids(items):
        return [{k: v for k, v in i.items() if k not in ("id", "dossier_id")} for i in items]

    assert ignore_ids(xlsx_dossiers) == ignore_ids(csv_dossiers)
    assert ignore_ids(xlsx_events) == ignore_ids(csv_events)
    assert ignore_ids(xlsx_counters) == ignore_ids(csv_counters)


VIETNAMESE_HEADERS = {column.key: column.label for column in COLUMNS}
ENGLISH_HEADERS = {
    "ma_ho_so": "code",
    "ma_don_vi": "commune",
    "ma_thu_tuc": "procedure",
    "kenh": "channel",
    "ho_ten": "applicant_name",
    "so_dinh_danh": "applicant_id_number",
    "so_dien_thoai": "applicant_phone",
    "dia_chi": "applicant_address",
    "thoi_diem_nop": "submitted_at",
    "thoi_diem_tiep_nhan": "received_at",
    "trang_thai": "status",
    "thoi_diem_xu_ly": "processing_at",
    "thoi_diem_tam_dung": "paused_at",
    "loai_tam_dung": "pause_status",
    "thoi_diem_tiep_tuc": "resumed_at",
    "thoi_diem_ket_thuc": "finished_at",
    "thoi_diem_tra_ket_qua": "returned_at",
    "ghi_chu": "note",
}


@pytest.mark.parametrize(
    "header",
    [
        VIETNAMESE_HEADERS,
        {key: label.upper() + " (*)" for key, label in VIETNAMESE_HEADERS.items()},
        ENGLISH_HEADERS,
        {"ho_ten": "Họ và tên", "so_dinh_danh": "Số CCCD", "kenh": "Kênh tiếp nhận", "ma_don_vi": "Mã xã"},
    ],
    ids=["vietnamese", "capitals-and-marks", "english", "other-vietnamese-names"],
)
def test_vietnamese_headers_and_english_aliases_are_accepted(ready, header):
    data = csv_bytes([PAUSED_AND_RETURNED], header=header)

    import_dossiers(data, "ho_so.csv")

    assert Dossier.objects.get().status == 10


def test_semicolons_a_byte_order_mark_and_a_row_number_column_are_fine(ready):
    text = csv_bytes([row(kenh="Trực tiếp")], delimiter=";").decode()
    lines = text.splitlines()
    text = "\n".join(["STT;" + lines[0], *(f"{n};{line}" for n, line in enumerate(lines[1:], 1))])

    import_dossiers(text.encode("utf-8-sig"), "ho_so.csv")

    assert Dossier.objects.get().channel == "direct"


def test_unknown_duplicated_and_missing_columns_are_all_reported(ready):
    data = "Mã hồ sơ,Mã sổ,Mã hồ sơ,Kênh\nH25.05293-250829-0001,1,H25.05293-250829-0001,truc_tiep\n"

    with pytest.raises(ImportRefused) as caught:
        import_dossiers(data.encode(), "ho_so.csv")

    messages = [str(p) for p in caught.value.problems]
    assert "Dòng 1: Cột “Mã hồ sơ” xuất hiện hai lần (cột 1 và cột 3)." in messages
    assert any("Không nhận ra cột: “Mã sổ”" in m for m in messages)
    assert any(
        "Thiếu cột bắt buộc: Mã đơn vị, Mã thủ tục, Họ tên, Số định danh, Trạng thái" in m for m in messages
    )


@pytest.mark.parametrize(
    "text",
    [
        "2025-08-29T10:00:00+07:00",
        "2025-08-29 10:00",
        "2025-08-29T03:00:00Z",
        "29/08/2025 10:00:00",
        "29/8/2025 10:00",
    ],
)
def test_times_in_vietnamese_or_iso_notation(ready, text):
    import_csv([row(thoi_diem_tiep_nhan=text)])

    assert Dossier.objects.get().received_at == dt.datetime(2025, 8, 29, 10, 0, tzinfo=VN)


def test_a_csv_that_is_not_utf8_is_refused_with_advice(ready):
    # "Trần" as a Windows-1258 spreadsheet would write it: â is one byte, 0xE2.
    data = csv_bytes([row(ho_ten="Tran Van Be")]).replace(b"Tran", b"Tr\xe2n")

    with pytest.raises(ImportRefused) as caught:
        import_dossiers(data, "ho_so.csv")

    assert "CSV UTF-8" in caught.value.problems[0].message


def test_size_limits_have_a_clear_message(ready, monkeypatch):
    rows = [row(ma_ho_so=f"H25.05293-250829-{n:04d}") for n in (1, 2, 3)]
    with pytest.raises(ImportRefused) as caught:
        import_csv(rows, max_rows=2)
    assert [str(p) for p in caught.value.problems] == [
        "Tệp có hơn 2 hồ sơ: hãy chia thành nhiều tệp, mỗi tệp tối đa 2 dòng."
    ]

    monkeypatch.setattr("dossiers.import_files.MAX_BYTES", 100)
    with pytest.raises(ImportRefused) as caught:
        import_csv(rows)
    assert "Tệp lớn quá" in caught.value.problems[0].message


def test_old_excel_files_are_refused_with_advice(ready):
    with pytest.raises(ImportRefused) as caught:
        import_dossiers(b"\xd0\xcf\x11\xe0", "ho_so.xls")

    assert ".xlsx" in caught.value.problems[0].message


def test_a_damaged_workbook_is_refused_with_a_clear_message(ready):
    with pytest.raises(ImportRefused) as caught:
        import_dossiers(b"PK\x03\x04 not really a workbook", "ho_so.xlsx")

    assert [str(p) for p in caught.value.problems] == [
        "Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx."
    ]


def test_xlsx_lines_are_the_sheet_rows_blank_rows_included(ready):
    data = xlsx_bytes([row(), {}, row(ma_ho_so="H25.05293-250829-0002", ma_thu_tuc="1.999999")])

    with pytest.raises(ImportRefused) as caught:
        import_dossiers(data, "ho_so.xlsx")

    assert [p.line for p in caught.value.problems] == [4]


def test_a_dry_run_checks_everything_and_writes_nothing(ready):
    result = import_csv([PAUSED_AND_RETURNED], dry_run=True)

    assert result.dry_run and result.created == [(2, "H25.05293-250829-0001")]
    assert not Dossier.objects.exists()
    assert not DailyCounter.objects.exists()


# --- the sample files --------------------------------------------------------------------------


def test_the_sample_files_are_what_the_script_writes():
    assert make_sample.CSV_PATH.read_bytes().decode("utf-8-sig") == make_sample.csv_text()
    from_csv = read_dossier_file(make_sample.CSV_PATH.read_bytes(), "sample_import.csv")
    from_xlsx = read_dossier_file(make_sample.XLSX_PATH.read_bytes(), "sample_import.xlsx")
    assert len(from_csv.rows) == len(from_xlsx.rows) == len(make_sample.ROWS)
    assert not from_csv.problems and not from_xlsx.problems
    for a, b in zip(from_csv.rows, from_xlsx.rows, strict=True):
        as_text = {
            k: v.strftime("%d/%m/%Y %H:%M") if isinstance(v, dt.datetime) else v for k, v in b.values.items()
        }
        assert (a.line, a.values) == (b.line, as_text)


@pytest.mark.parametrize("name", ["sample_import.csv", "sample_import.xlsx"])
def test_the_sample_files_import_cleanly(ready, name):
    for code in make_sample.PROCEDURE_CODES:
        ProcedureFactory(code=code)

    result = import_dossiers((make_sample.CSV_PATH.parent / name).read_bytes(), name)

    assert len(result.created) == len(make_sample.ROWS)
    assert sorted(Dossier.objects.values_list("status", flat=True)) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 10, 10]


# --- the command -------------------------------------------------------------------------------


def test_the_command_imports_and_says_what_it_did(ready, tmp_path):
    path = tmp_path / "ho_so.csv"
    path.write_bytes(csv_bytes([PAUSED_AND_RETURNED]))
    out = io.StringIO()

    call_command("import_dossiers", str(path), stdout=out)
    call_command("import_dossiers", str(path), stdout=out)

    assert "Đã nhập 1 hồ sơ; 0 hồ sơ đã có, bỏ qua." in out.getvalue()
    assert "Dòng 2: H25.05293-250829-0001 đã có, bỏ qua." in out.getvalue()
    assert "Đã nhập 0 hồ sơ; 1 hồ sơ đã có, bỏ qua." in out.getvalue()
    assert Dossier.objects.count() == 1


def test_the_command_dry_run_saves_nothing(ready, tmp_path):
    path = tmp_path / "ho_so.csv"
    path.write_bytes(csv_bytes([PAUSED_AND_RETURNED]))
    out = io.StringIO()

    call_command("import_dossiers", str(path), "--dry-run", stdout=out)

    assert "1 hồ sơ sẽ được nhập" in out.getvalue()
    assert not Dossier.objects.exists()


def test_the_command_prints_every_bad_line_and_fails(ready, tmp_path):
    path = tmp_path / "ho_so.csv"
    path.write_bytes(
        csv_bytes([row(ma_thu_tuc="1.999999"), row(ma_ho_so="H25.05293-250829-0002", trang_thai="0")])
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="Tệp có 2 lỗi; chưa nhập hồ sơ nào"):
        call_command("import_dossiers", str(path), stderr=err)

    assert err.getvalue().splitlines() == [
        "Dòng 2: Mã thủ tục “1.999999” không có trong danh mục thủ tục.",
        "Dòng 3: Trạng thái “0” không hợp lệ: phải là số từ 1 đến 10.",
    ]
    assert not Dossier.objects.exists()
