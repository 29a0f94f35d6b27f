"""Exports: form II.06a (.xlsx) read back with openpyxl, the daily and ranking CSVs, scope and 400s."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from communes.models import Commune
from dossiers.figures import recompute
from dossiers.figures_read import summarize
from dossiers.report_ii06a import FIRST_DATA_ROW, FORM_COLUMNS, build_workbook, form_values
from dossiers.services import move_dossier
from portal.dashboards.reports import DAILY_COLUMNS, SUMMARY_FIGURES
from tests.factories import CommuneFactory, MergerFactory, ProcedureFactory, ServiceCentreFactory
from tests.scoping import FORBIDDEN, NOT_FOUND, Endpoint, RoleWalk

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SEPTEMBER = "date_from=2025-09-01&date_to=2025-09-30"
II06A = "/bao-cao/mau-ii-06a.xlsx"
DAILY = "/bao-cao/so-lieu-ngay.csv"
RANKING = "/bao-cao/xep-hang.csv"


def at(month, day, hour=9):
    return dt.datetime(2025, month, day, hour, tzinfo=VN)


@pytest.fixture(autouse=True)
def _frozen(vn_calendar):
    with time_machine.travel(at(9, 30, 10), tick=False):
        yield


@pytest.fixture
def history(receive, clerk, centre, procedure, neighbour_commune):
    """Thượng Cốc in September 2025: 1 carried over + 6 received = 3 resolved + 1 withdrawn
    + 1 stopped + 2 pending (one paused, one overdue); Yên Phú receives one; Văn Sơn (absorbed
    by Thượng Cốc on 1/7) still has a June dossier pending."""
    copies = ProcedureFactory(code="9.000010", name="Chứng thực bản sao từ bản chính", field="Chứng thực",
                              processing_days=0)  # fmt: skip
    second = ProcedureFactory(code="9.000004", name="Đăng ký kết hôn thử", field="Hộ tịch")
    move = lambda d, status, when: move_dossier(d, status, actor=clerk, at=when)  # noqa: E731

    a = receive(at=at(8, 25), channel="direct")  # due 28/8: resolved late in September
    move(a, 4, at(8, 26))
    move(a, 9, at(9, 10))
    b = receive(at=at(9, 3), channel="online")  # early
    move(b, 4, at(9, 3, 10))
    move(b, 9, at(9, 4))
    c = receive(at=at(9, 3), channel="postal", procedure=copies)  # same day: on time
    move(c, 9, at(9, 3, 15))
    d = receive(at=at(9, 8), channel="direct")  # paused at the end of the month
    move(d, 4, at(9, 8, 10))
    move(d, 5, at(9, 9))
    e = receive(at=at(9, 15), channel="online", procedure=second)
    move(e, 7, at(9, 16))  # withdrawn
    f = receive(at=at(9, 15), channel="direct", procedure=second)
    move(f, 4, at(9, 15, 10))
    move(f, 8, at(9, 17))  # stopped
    g = receive(at=at(9, 22), channel="direct")  # due 25/9: overdue on 30/9
    move(g, 4, at(9, 22, 10))

    ServiceCentreFactory(commune=neighbour_commune, agency_code="H25.05305")
    receive(at=at(9, 10), channel="online", commune=neighbour_commune)

    van_son = Commune.objects.get(code="05284")
    ServiceCentreFactory(commune=van_son, agency_code="H25.05284")
    receive(at=at(6, 20), channel="direct", commune=van_son)  # pending, overdue since June

    recompute(None, dt.date(2025, 6, 1), dt.date(2025, 9, 30))
    return {"thuong_coc": centre.commune, "van_son": van_son, "yen_phu": neighbour_commune}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def read_sheet(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def table_rows(ws):
    """(STT, label, {column key: value}) from the first data row to the total row included."""
    rows = []
    for row in range(FIRST_DATA_ROW, ws.max_row + 1):
        number, label = ws.cell(row, 1).value, ws.cell(row, 2).value
        values = {key: ws.cell(row, 3 + i).value for i, key in enumerate(FORM_COLUMNS)}
        rows.append((number, label, values))
        if label == "Tổng cộng":
            return rows
    raise AssertionError("no total row")


def assert_identity(values):
    v = values
    assert v["handled_total"] == v["carried_over"] + v["received_online"] + v["received_direct_postal"]
    assert v["resolved_total"] == v["resolved_early"] + v["resolved_on_time"] + v["resolved_late"]
    assert v["pending_total"] == v["pending_in_time"] + v["pending_overdue"]
    # DOMAIN.md §5: carried over + received = resolved + withdrawn + stopped + pending.
    assert v["handled_total"] == v["resolved_total"] + v["pending_total"] + v["withdrawn"] + v["stopped"]


# --- Form II.06a ------------------------------------------------------------------------------


def test_form_ii06a_is_laid_out_like_the_paper_form(history, clerk):
    response = client_for(clerk).get(f"{II06A}?commune=05293&{SEPTEMBER}")
    ws = read_sheet(response)
    assert 'filename="Bieu-II.06a-05293-20250901-20250930.xlsx"' in response["Content-Disposition"]

    # Header block.
    assert ws["A1"].value == "Biểu số II.06a/VPCP/KSTT"
    assert ws["D1"].value.startswith("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    assert ws["D3"].value == "Kỳ báo cáo: từ ngày 01/09/2025 đến ngày 30/09/2025"
    assert ws["L1"].value == "- Đơn vị báo cáo: UBND xã Thượng Cốc, tỉnh Phú Thọ"
    assert ws["L3"].value == "- Đơn vị nhận báo cáo: Văn phòng UBND tỉnh Phú Thọ"
    assert ws["L5"].value == "Đơn vị tính: Số hồ sơ TTHC"

    # The column headers, merged as on paper.
    merged = {str(r) for r in ws.merged_cells.ranges}
    expected = {
        "A7:A10": "STT",
        "B7:B10": "Lĩnh vực, công việc giải quyết theo cấp",
        "C7:F7": "Số hồ sơ nhận giải quyết",
        "G7:M7": "Kết quả giải quyết",
        "C8:C10": "Tổng số",
        "D8:F8": "Trong đó",
        "G8:J8": "Số hồ sơ đã giải quyết",
        "K8:M8": "Số hồ sơ đang giải quyết",
        "D9:D10": "Số kỳ trước chuyển qua",
        "E9:F9": "Số mới tiếp nhận",
        "H9:I9": "Trả đúng thời hạn",
        "J9:J10": "Trả quá hạn",
        "L9:L10": "Trong hạn",
        "M9:M10": "Quá hạn",
        "N8:N10": "Rút hồ sơ (công dân yêu cầu)",
        "O8:O10": "Dừng xử lý",
    }
    for cells, text in expected.items():
        assert cells in merged, cells
        assert ws[cells.split(":")[0]].value == text
    assert [ws[f"{c}10"].value for c in "EFHI"] == [
        "Trực tuyến",
        "Trực tiếp, bưu chính",
        "Trước hạn",
        "Đúng hạn",
    ]
    assert ws["C11"].value == "(3)=(4)+(5)+(6)"
    assert ws["O11"].value == "(15)"

    # Fields in order, each followed by its procedures (indented), then the total.
    rows = table_rows(ws)
    labels = [(number, label) for number, label, _ in rows]
    assert labels == [
        ("1", "Chứng thực"),
        ("1.1", "9.000010 – Chứng thực bản sao từ bản chính"),
        ("2", "Hộ tịch"),
        ("2.1", "9.000003 – Thủ tục thử ba ngày"),
        ("2.2", "9.000004 – Đăng ký kết hôn thử"),
        (None, "Tổng cộng"),
    ]
    assert ws.cell(FIRST_DATA_ROW + 1, 2).alignment.indent == 2
    assert ws.cell(FIRST_DATA_ROW, 3).number_format == "#,##0"

    # The total is summarize's figures; the fields add up to it; the identity holds on every row.
    summary = summarize([history["thuong_coc"].pk], dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    total = rows[-1][2]
    assert total == form_values(summary)
    assert total == {
        "handled_total": 7, "carried_over": 1, "received_online": 2, "received_direct_postal": 4,
        "resolved_total": 3, "resolved_early": 1, "resolved_on_time": 1, "resolved_late": 1,
        "pending_total": 2, "pending_in_time": 1, "pending_overdue": 1, "withdrawn": 1, "stopped": 1,
    }  # fmt: skip
    fields = [values for number, _, values in rows if number and "." not in number]
    assert {key: sum(f[key] for f in fields) for key in FORM_COLUMNS} == total
    for _number, _label, values in rows:
        assert_identity(values)
    procedures = {label: values for number, label, values in rows if number and "." in number}
    assert procedures["9.000003 – Thủ tục thử ba ngày"]["carried_over"] == 1
    assert procedures["9.000004 – Đăng ký kết hôn thử"]["withdrawn"] == 1

    # Notes, signatures and print set-up.
    texts = {cell.value for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)}
    assert "NGƯỜI LẬP BIỂU" in texts
    assert "THỦ TRƯỞNG ĐƠN VỊ" in texts
    assert any("Cột (14) Rút hồ sơ" in t and "(3) = (7) + (11) + (14) + (15)" in t for t in texts)
    assert any("gồm cả 1 hồ sơ đang tạm dừng" in t for t in texts)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$7:$11"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["C"].width > 0


def test_form_ii06a_with_predecessors_adds_the_absorbed_units(history, clerk):
    ws = read_sheet(client_for(clerk).get(f"{II06A}?commune=05293&include_predecessors=true&{SEPTEMBER}"))
    total = table_rows(ws)[-1][2]
    assert total["carried_over"] == 2  # Văn Sơn's June dossier, still pending
    assert total["pending_overdue"] == 2
    assert_identity(total)
    texts = {cell.value for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)}
    assert any("Xã Văn Sơn (05284)" in t for t in texts)


def test_form_ii06a_for_a_province_and_by_field_only(history, inspector):
    response = client_for(inspector).get(f"{II06A}?province=25&procedures=false&{SEPTEMBER}")
    ws = read_sheet(response)
    assert 'filename="Bieu-II.06a-25-20250901-20250930.xlsx"' in response["Content-Disposition"]
    assert ws["L1"].value == "- Đơn vị báo cáo: UBND tỉnh Phú Thọ"
    rows = table_rows(ws)
    assert [label for _, label, _ in rows] == ["Chứng thực", "Hộ tịch", "Tổng cộng"]
    ids = [c.pk for c in history.values()]
    summary = summarize(ids, dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    assert rows[-1][2] == form_values(summary)
    assert rows[-1][2]["received_online"] == 3  # Yên Phú's counts in the province
    for _n, _l, values in rows:
        assert_identity(values)


def test_form_ii06a_defaults_to_the_users_commune_and_the_current_month(history, clerk):
    response = client_for(clerk).get(II06A)
    ws = read_sheet(response)
    assert 'filename="Bieu-II.06a-05293-20250901-20250930.xlsx"' in response["Content-Disposition"]
    assert ws["D3"].value == "Kỳ báo cáo: từ ngày 01/09/2025 đến ngày 30/09/2025"
    # The clerk's scope includes the absorbed Văn Sơn.
    assert table_rows(ws)[-1][2]["carried_over"] == 2


def test_an_empty_period_still_gives_the_form_with_a_zero_total():
    wb = build_workbook(
        reporting_unit="UBND xã Thử",
        receiving_unit="Văn phòng UBND tỉnh Thử",
        first=dt.date(2025, 1, 1),
        last=dt.date(2025, 1, 31),
        total={},
        procedures=[],
    )
    ws = wb.active
    assert ws.cell(FIRST_DATA_ROW, 2).value == "Tổng cộng"
    assert all(ws.cell(FIRST_DATA_ROW, 3 + i).value == 0 for i in range(len(FORM_COLUMNS)))


@pytest.mark.parametrize("url", [II06A, DAILY, RANKING])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2025-13-01", "không hợp lệ"),
        ("date_from=2025-09-10&date_to=2025-09-01", "Ngày kết thúc phải từ ngày bắt đầu trở đi"),
        ("date_from=2020-01-01&date_to=2025-09-01", "tối đa là 3 năm"),
    ],
)
def test_bad_dates_are_a_400_with_a_message(inspector, url, query, message):
    response = client_for(inspector).get(f"{url}?province=25&{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


# --- Daily CSV ---------------------------------------------------------------------------------


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Vietnamese names right
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_daily_csv_streams_one_row_per_unit_and_day(history, clerk):
    response = client_for(clerk).get(f"{DAILY}?commune=05293&{SEPTEMBER}")
    assert response.streaming
    assert 'filename="so-lieu-ngay-05293-20250901-20250930.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert tuple(rows[0]) == DAILY_COLUMNS
    assert [r["date"] for r in rows] == [
        (dt.date(2025, 9, 1) + dt.timedelta(d)).isoformat() for d in range(30)
    ]
    assert {r["commune"] for r in rows} == {"05293"}
    assert rows[0]["name"] == "Thượng Cốc"
    assert sum(int(r["received_total"]) for r in rows) == 6
    assert sum(int(r["received_online"]) for r in rows) == 2
    assert sum(int(r["withdrawn"]) + int(r["stopped"]) for r in rows) == 2
    last = rows[-1]
    assert (last["pending_total"], last["pending_in_time"], last["pending_overdue"], last["paused"]) == (
        "2", "1", "1", "1",
    )  # fmt: skip


def test_daily_csv_for_a_province_is_ordered_by_date_then_commune(history, inspector):
    rows = read_csv(client_for(inspector).get(f"{DAILY}?province=25&date_from=2025-09-29&date_to=2025-09-30"))
    keys = [(r["date"], r["commune"]) for r in rows]
    assert keys == sorted(keys)
    assert {r["commune"] for r in rows} == {"05284", "05293", "05305"}  # Văn Sơn: pending stock only
    van_son = [r for r in rows if r["commune"] == "05284"]
    assert [r["pending_overdue"] for r in van_son] == ["1", "1"]


def test_daily_csv_costs_the_same_queries_for_one_day_or_a_month(history, inspector):
    client = client_for(inspector)
    counts = []
    client.get(f"{DAILY}?province=25")  # the units cached (communes.generation)
    for query in ("date_from=2025-09-30&date_to=2025-09-30", "date_from=2025-07-01&date_to=2025-09-30"):
        with CaptureQueriesContext(connection) as queries:
            rows = read_csv(client.get(f"{DAILY}?province=25&{query}"))
        counts.append(len(queries))
        assert rows
    assert counts[0] == counts[1]


# --- Ranking CSV -------------------------------------------------------------------------------


def test_ranking_csv_has_one_row_per_current_commune_with_every_figure(history, inspector):
    response = client_for(inspector).get(f"{RANKING}?province=25&{SEPTEMBER}")
    assert 'filename="xep-hang-25-20250901-20250930.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert tuple(rows[0]) == ("commune", "name", *SUMMARY_FIGURES)
    # Current units only (Văn Sơn ended), best on-time rate first, a unit without one last.
    assert [(r["commune"], r["name"]) for r in rows] == [("05293", "Thượng Cốc"), ("05305", "Yên Phú")]
    thuong_coc, yen_phu = rows
    # With its predecessor Văn Sơn by default, as on the province dashboard.
    summary = summarize(
        [history["thuong_coc"].pk, history["van_son"].pk], dt.date(2025, 9, 1), dt.date(2025, 9, 30)
    )
    for name in SUMMARY_FIGURES:
        if name.endswith("_rate"):
            assert thuong_coc[name] == ("" if summary[name] is None else f"{summary[name]:.2f}"), name
        else:
            assert thuong_coc[name] == str(summary[name]), name
    assert (thuong_coc["online_rate"], thuong_coc["on_time_rate"]) == ("33.33", "66.67")  # dot decimals
    assert (yen_phu["received_online"], yen_phu["online_rate"], yen_phu["on_time_rate"]) == (
        "1",
        "100.00",
        "",
    )


def test_ranking_csv_without_predecessors_and_for_a_clerk(history, inspector, clerk):
    rows = read_csv(
        client_for(inspector).get(f"{RANKING}?province=25&include_predecessors=false&{SEPTEMBER}")
    )
    assert {r["commune"]: r["carried_over"] for r in rows} == {"05293": "1", "05305": "0"}
    # Ranking the province is for scopes covering it: a commune's staff get a 404.
    assert client_for(clerk).get(f"{RANKING}?{SEPTEMBER}").status_code == 404


def test_ranking_csv_costs_the_same_queries_for_two_or_twenty_communes(history, inspector, province):
    client = client_for(inspector)

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = read_csv(client.get(f"{RANKING}?province=25&{SEPTEMBER}"))
        return len(rows), len(queries)

    rows_before, queries_before = count()
    for n in range(18):
        CommuneFactory(code=f"{6000 + n:05d}", province=province)
    rows_after, queries_after = count()
    assert (rows_before, rows_after) == (2, 20)
    assert queries_after == queries_before


# --- Scope -------------------------------------------------------------------------------------


@pytest.fixture
def other_province_unit(far_commune):
    MergerFactory(absorbed=CommuneFactory(code="00001", name="Phúc Xá", province=far_commune.province,
                                          ended=True), successor=far_commune)  # fmt: skip
    return far_commune


class TestReportsWalk(RoleWalk):
    fixtures = ("commune", "neighbour_commune", "other_province_unit")
    endpoints = [
        Endpoint(II06A, no_role=FORBIDDEN),
        Endpoint(f"{II06A}?commune=05305", clerk=NOT_FOUND, leader=NOT_FOUND),
        Endpoint(f"{II06A}?commune=00004", clerk=NOT_FOUND, leader=NOT_FOUND, inspector=NOT_FOUND),
        Endpoint(f"{II06A}?province=01", clerk=NOT_FOUND, leader=NOT_FOUND, inspector=NOT_FOUND),
        Endpoint(
            f"{II06A}?commune=99999", clerk=NOT_FOUND, leader=NOT_FOUND, inspector=NOT_FOUND, admin=NOT_FOUND
        ),  # fmt: skip
        Endpoint(DAILY, no_role=FORBIDDEN),
        Endpoint(f"{DAILY}?commune=05305", clerk=NOT_FOUND, leader=NOT_FOUND),
        Endpoint(f"{DAILY}?province=01", clerk=NOT_FOUND, leader=NOT_FOUND, inspector=NOT_FOUND),
        Endpoint(f"{RANKING}?province=25", no_role=FORBIDDEN, clerk=NOT_FOUND, leader=NOT_FOUND),
        Endpoint(f"{RANKING}?province=01", clerk=NOT_FOUND, leader=NOT_FOUND, inspector=NOT_FOUND),
    ]
