"""The worklist's Excel export /ho-so/xuat-excel/: what is filtered, in scope, masked for outsiders."""

import datetime as dt
import io
import zipfile
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from dossiers import export
from dossiers.services import move_dossier
from tests.factories import ServiceCentreFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2025, 11, 26, 14, 30, tzinfo=VN)
URL = "/ho-so/xuat-excel/"


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def neighbour_centre(neighbour_commune):
    return ServiceCentreFactory(commune=neighbour_commune, agency_code="H25.05305")


@pytest.fixture
def own(receive, clerk):
    """Three dossiers of Thượng Cốc: received, in processing (overdue), returned."""
    received = receive(at=dt.datetime(2025, 11, 24, 8, 15, tzinfo=VN), applicant_name="Trần Thị Bình")
    processing = move_dossier(
        receive(at=dt.datetime(2025, 11, 3, 9, 0, tzinfo=VN)),
        4,
        actor=clerk,
        at=dt.datetime(2025, 11, 3, 10, 0, tzinfo=VN),
    )
    done = move_dossier(
        receive(at=dt.datetime(2025, 10, 1, 9, 0, tzinfo=VN)),
        4,
        actor=clerk,
        at=dt.datetime(2025, 10, 1, 10, 0, tzinfo=VN),
    )
    done = move_dossier(done, 9, actor=clerk, at=dt.datetime(2025, 10, 2, 10, 0, tzinfo=VN))
    done = move_dossier(done, 10, actor=clerk, at=dt.datetime(2025, 10, 3, 10, 0, tzinfo=VN))
    return {"received": received, "processing": processing, "returned": done}


@pytest.fixture
def theirs(receive, neighbour_centre):
    return receive(
        commune=neighbour_centre.commune, applicant_name="Người Xã Bên", applicant_id_number="037200001111"
    )


def read(response):
    """(title lines, header, data rows as dicts, the data cells) of an exported workbook."""
    assert response.status_code == 200, response.content
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert package.testzip() is None
        for name in package.namelist():  # every part well-formed XML
            ElementTree.fromstring(package.read(name))
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    rows = list(ws.iter_rows())
    header_at = next(i for i, row in enumerate(rows) if row[0].value == "STT")
    header = [c.value for c in rows[header_at]]
    titles = [row[0].value for row in rows[:header_at] if row and row[0].value]
    data = [row for row in rows[header_at + 1 :] if isinstance(row[0].value, int)]
    return titles, header, [dict(zip(header, (c.value for c in row), strict=False)) for row in data], data


def test_clerk_export_has_every_row_in_full_with_real_dates(client, clerk, own, theirs):
    client.force_login(clerk)
    response = client.get(URL, {"ordering": "code"})
    assert response["Content-Type"] == export.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="ho-so-H25.05293-20251126.xlsx"'
    titles, header, rows, cells = read(response)
    assert header[:3] == ["STT", "Mã hồ sơ", "Mã đơn vị"]
    assert {"Số định danh cá nhân", "Hạn giải quyết", "Thời điểm tiếp nhận", "Trạng thái"} <= set(header)
    assert "Xã Thượng Cốc (H25.05293)" in titles
    assert "Thời điểm xuất: 26/11/2025 14:30" in titles
    assert [r["Mã hồ sơ"] for r in rows] == sorted(d.code for d in own.values())
    assert theirs.code not in [r["Mã hồ sơ"] for r in rows]
    first = next(r for r in rows if r["Mã hồ sơ"] == own["received"].code)
    assert first["Số định danh cá nhân"] == "001203004567"
    assert first["Số điện thoại"] == "0912345678"
    assert first["Địa chỉ"] == "Xóm Đồng, xã Thượng Cốc, tỉnh Phú Thọ"
    assert first["Họ và tên người nộp"] == "Trần Thị Bình"
    assert first["Trạng thái"] == "2 – Được tiếp nhận"
    assert first["Kênh tiếp nhận"] == "Trực tiếp"
    # Real Excel dates, local wall-clock time, shown dd/mm/yyyy hh:mm.
    assert first["Thời điểm tiếp nhận"] == dt.datetime(2025, 11, 24, 8, 15)
    assert first["Hạn giải quyết"] == dt.datetime(2025, 11, 27, 17, 0)
    received_col = header.index("Thời điểm tiếp nhận")
    assert all(row[received_col].number_format == "dd/mm/yyyy hh:mm" for row in cells)
    # The table is frozen under its header and filterable.
    ws = cells[0][0].parent
    assert ws.freeze_panes == "C8"
    assert ws.auto_filter.ref == "A7:S10"
    assert ws["B7"].font.b and ws.column_dimensions["F"].width == 45
    late = next(r for r in rows if r["Mã hồ sơ"] == own["processing"].code)
    assert late["Quá hạn"] == "Quá hạn"
    done = next(r for r in rows if r["Mã hồ sơ"] == own["returned"].code)
    assert done["Tiến độ"] == "Trước hạn" and done["Thời điểm trả kết quả"] == dt.datetime(2025, 10, 3, 10, 0)


@pytest.mark.parametrize("role", ["inspector", "admin_user"])
def test_inspector_and_admin_get_masks(request, client, role, own, theirs):
    client.force_login(request.getfixturevalue(role))
    titles, _header, rows, _cells = read(client.get(URL))
    assert {r["Mã hồ sơ"] for r in rows} == {d.code for d in own.values()} | {theirs.code}
    for row in rows:
        assert row["Số định danh cá nhân"].startswith("********")
        assert row["Số điện thoại"] in ("", "******5678")
        assert row["Địa chỉ"] in ("", "***, tỉnh Phú Thọ")
        assert "Xóm Đồng" not in str(row)
    theirs_row = next(r for r in rows if r["Mã hồ sơ"] == theirs.code)
    assert theirs_row["Số định danh cá nhân"] == "********1111"
    assert theirs_row["Đơn vị tiếp nhận"] == "Xã Yên Phú"


def test_inspector_filename_names_the_province_or_the_chosen_commune(client, inspector, own):
    client.force_login(inspector)
    assert "ho-so-tinh-25-20251126.xlsx" in client.get(URL)["Content-Disposition"]
    assert "ho-so-05293-20251126.xlsx" in client.get(URL, {"commune": "05293"})["Content-Disposition"]


def test_filters_and_order_are_the_worklists(client, clerk, own):
    client.force_login(clerk)
    titles, _header, rows, _cells = read(client.get(URL, {"status": ["2", "4"], "ordering": "-received_at"}))
    assert [r["Mã hồ sơ"] for r in rows] == [own["received"].code, own["processing"].code]
    assert [r["STT"] for r in rows] == [1, 2]
    assert any(t.startswith("Bộ lọc: Trạng thái: 2 – Được tiếp nhận, 4 – Đang xử lý") for t in titles)
    assert "Tổng số: 2 hồ sơ." in titles
    _t, _h, rows, _c = read(client.get(URL, {"search": "tran thi binh"}))
    assert [r["Mã hồ sơ"] for r in rows] == [own["received"].code]
    _t, _h, rows, _c = read(client.get(URL, {"overdue": "true"}))
    assert [r["Mã hồ sơ"] for r in rows] == [own["processing"].code]


def test_out_of_scope_is_never_exported(client, clerk, own, theirs):
    client.force_login(clerk)
    for params in ({"commune": "05305"}, {"search": theirs.code}, {"search": "nguoi xa ben"}):
        titles, _header, rows, _cells = read(client.get(URL, params))
        assert rows == []
        assert "Tổng số: 0 hồ sơ." in titles


def test_row_limit_is_announced(client, clerk, own, monkeypatch):
    monkeypatch.setattr(export, "ROW_LIMIT", 2)
    client.force_login(clerk)
    titles, _header, rows, _cells = read(client.get(URL))
    assert len(rows) == 2
    assert any("Có 3 hồ sơ khớp bộ lọc; tệp chỉ gồm 2 hồ sơ đầu tiên" in t for t in titles)


def test_invalid_filter_is_refused_with_the_reason(client, clerk, own):
    client.force_login(clerk)
    response = client.get(URL, {"due_within": "abc"})
    assert response.status_code == 400
    assert "Đến hạn trong (ngày)" in response.content.decode()


def test_export_logs_nothing_personal(client, clerk, own, caplog):
    client.force_login(clerk)
    with caplog.at_level("DEBUG"):
        read(client.get(URL))
    assert "001203004567" not in caplog.text and "0912345678" not in caplog.text
