"""The province dashboard: figures, ranking order and grades, periods, access and query budget."""

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from communes.models import Commune
from dossiers.figures import recompute
from dossiers.figures_read import summarize
from dossiers.models import DailyFigures, DailyProcedureFigures, ProvinceTargets, WalkInVisits
from dossiers.services import move_dossier
from portal.dashboards.ranking import load_province_units, province_ranking

from ..factories import CommuneFactory, MergerFactory, ProcedureFactory, ProvinceFactory, ServiceCentreFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
URL = "/bang-dieu-khien/tinh/"
SEPTEMBER = {"date_from": "2025-09-01", "date_to": "2025-09-30"}


def at(month, day, hour=9, minute=0):
    return dt.datetime(2025, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(autouse=True)
def _frozen(vn_calendar):
    with time_machine.travel(at(9, 30, 10), tick=False):
        yield


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def row_html(content: str, code: str) -> str:
    match = re.search(rf'<tr data-code="{code}">(.*?)</tr>', content, re.S)
    assert match, f"no ranking row for {code}"
    return match.group(1)


def row_cells(content: str, code: str) -> list[str]:
    return [text_of(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row_html(content, code), re.S)]


def tile(content: str, key: str) -> str:
    match = re.search(rf'<li class="tile[^"]*" data-tile="{key}">(.*?)</li>', content, re.S)
    assert match, f"no tile {key}"
    return text_of(match.group(1))


def ranking_codes(response) -> list[str]:
    # From the page, not the context: the ranking is rendered once and then served from the cache.
    return re.findall(r'<tr data-code="([^"]+)"', response.content.decode())


def rate_classes(content: str, code: str) -> list[str]:
    """The grade classes of a row's two rate cells (online, on time); "" for no grade."""
    return [c.strip() for c in re.findall(r'<td class="num rate ?([^"]*)"', row_html(content, code))]


@pytest.fixture
def september(receive, clerk, commune, neighbour_commune, procedure):
    """Thượng Cốc: 109 received in September (64 online: 58,72%), 10 resolved (9 early, 1 late),
    one overdue now, one paused, 3.300 visits. Yên Phú: 5 received (4 online), 2 resolved early.
    Quyết Thắng: nothing."""
    long_one = ProcedureFactory(code="9.000015", name="Thủ tục thử mười lăm ngày", field="Chứng thực",
                                processing_days=15)  # fmt: skip
    late = receive(at=at(9, 8))  # 3 working days: due 11/9
    move_dossier(late, 4, actor=clerk, at=at(9, 9))
    move_dossier(late, 9, actor=clerk, at=at(9, 15))
    receive(at=at(9, 10))  # due 15/9, still waiting: overdue now
    paused = receive(at=at(9, 10, 10))
    move_dossier(paused, 4, actor=clerk, at=at(9, 10, 11))
    move_dossier(paused, 5, actor=clerk, at=at(9, 11))  # clock stopped: never overdue
    received = []
    for i in range(106):  # 15 working days: due in October, none overdue
        channel = "online" if i < 64 else "direct"
        received.append(receive(at=at(9, 15 + i % 15, 8, i % 50), channel=channel, procedure=long_one))
    for dossier in received[:9]:
        move_dossier(dossier, 4, actor=clerk, at=at(9, 29, 14))
        move_dossier(dossier, 9, actor=clerk, at=at(9, 29, 15))  # early
    for day in (22, 23, 24):
        WalkInVisits.objects.create(commune=commune, date=dt.date(2025, 9, day), count=1100)

    ServiceCentreFactory(commune=neighbour_commune, agency_code="H25.05305")
    others = [
        receive(commune=neighbour_commune, at=at(9, 22), channel="online" if i < 4 else "direct",
                procedure=long_one)
        for i in range(5)
    ]  # fmt: skip
    for dossier in others[:2]:
        move_dossier(dossier, 4, actor=clerk, at=at(9, 29, 14))
        move_dossier(dossier, 9, actor=clerk, at=at(9, 29, 15))
    CommuneFactory(code="05323", name="Quyết Thắng", province=commune.province)
    recompute(None, dt.date(2025, 8, 25), dt.date(2025, 9, 30))


# --- figures -----------------------------------------------------------------------------------


def test_tiles_and_ranking_show_the_figures_the_vietnamese_way(client, inspector, september):
    client.force_login(inspector)
    response = client.get(URL, SEPTEMBER)
    assert response.status_code == 200
    content = response.content.decode()

    assert "Tình hình giải quyết hồ sơ – Tỉnh Phú Thọ" in content
    assert tile(content, "received").startswith("Tiếp nhận 114 Trực tuyến 68 · trực tiếp 46 · bưu chính 0")
    assert "59,65%" in tile(content, "online_rate")  # 68 / 114
    assert "Chỉ tiêu: 80%" in tile(content, "online_rate")
    assert "91,67%" in tile(content, "on_time_rate")  # 11 of 12 resolved early or on time
    assert tile(content, "overdue_now").startswith("Quá hạn hiện tại 1")
    assert tile(content, "visits").startswith("Lượt đến giao dịch 3.300")

    # Hạng, name, received, online, online rate, resolved, on-time rate, pending, overdue, visits
    assert row_cells(content, "05293") == [
        "2", "Xã Thượng Cốc 05293", "109", "64", "✗ 58,72% (Dưới chỉ tiêu hơn 10 điểm)", "10",
        "! 90,00% (Dưới chỉ tiêu không quá 10 điểm)", "99", "1", "3.300",
    ]  # fmt: skip
    assert row_cells(content, "05305")[2:] == [
        "5", "4", "✓ 80,00% (Đạt chỉ tiêu)", "2", "✓ 100,00% (Đạt chỉ tiêu)", "3", "0", "0"
    ]  # fmt: skip
    assert row_cells(content, "05323")[2:] == ["0", "0", "–", "0", "–", "0", "0", "0"]


def test_tiles_are_the_provinces_summarize(client, inspector, september, province):
    client.force_login(inspector)
    total = client.get(URL, SEPTEMBER).context["total"]
    ids = load_province_units(code="25").all_ids
    expected = summarize(ids, dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    assert {k: total[k] for k in expected if k != "computed_at"} == {
        k: v for k, v in expected.items() if k != "computed_at"
    }


def test_ranking_counts_a_merged_units_predecessors(commune, province):
    """Văn Sơn's June figures are Thượng Cốc's in a period across the merger (history kept)."""
    van_son = Commune.objects.get(code="05284")
    DailyFigures.objects.create(
        commune=van_son, date=dt.date(2025, 6, 30), received_online=3, computed_at=at(9, 1)
    )
    DailyFigures.objects.create(
        commune=commune, date=dt.date(2025, 7, 1), received_direct=1, computed_at=at(9, 1)
    )
    units = load_province_units(code="25")
    assert units.members[commune] == {commune.pk, van_son.pk}
    (row,) = province_ranking(units.members, dt.date(2025, 6, 1), dt.date(2025, 7, 31))
    assert (row["unit"], row["received_total"], row["online_rate"]) == (commune, 4, 75.0)


# --- order and grades --------------------------------------------------------------------------


def test_ranking_sorts_by_any_column_both_ways_with_empty_rates_last(client, inspector, september):
    client.force_login(inspector)

    def order(sort=None):
        return ranking_codes(client.get(URL, {**SEPTEMBER, "sap_xep": sort} if sort else SEPTEMBER))

    assert order() == ["05305", "05293", "05323"]  # default: -on_time_rate
    assert order("received_total") == ["05323", "05305", "05293"]
    assert order("-received_total") == ["05293", "05305", "05323"]
    assert order("online_rate") == ["05293", "05305", "05323"]  # no rate: last either way
    assert order("-online_rate") == ["05305", "05293", "05323"]
    assert order("name") == ["05323", "05293", "05305"]
    assert order("nonsense") == order()


def test_sort_headers_are_links_that_flip_and_announce_the_order(client, inspector, september):
    client.force_login(inspector)
    content = client.get(URL, {**SEPTEMBER, "sap_xep": "-received_total"}).content.decode()
    header = re.search(r'<th scope="col" aria-sort="descending" data-column="received_total"[^>]*>(.*?)</th>',
                       content, re.S).group(1)  # fmt: skip
    assert "sap_xep=received_total" in header and "date_from=2025-09-01" in header
    assert "sắp xếp tăng dần" in text_of(header)
    other = re.search(r'data-column="visits"[^>]*>(.*?)</th>', content, re.S).group(1)
    assert "sap_xep=-visits" in other
    assert 'aria-sort="none" data-column="visits"' in content


def test_rates_are_graded_against_the_provinces_targets(client, inspector, september, province):
    client.force_login(inspector)
    content = client.get(URL, SEPTEMBER).content.decode()
    assert rate_classes(content, "05293") == ["grade-bad", "grade-warn"]  # 58,72 / 90 vs 80 / 95
    assert rate_classes(content, "05305") == ["grade-ok", "grade-ok"]
    assert rate_classes(content, "05323") == ["", ""]
    assert "tỷ lệ hồ sơ trực tuyến 80,00%, tỷ lệ giải quyết đúng hạn 95,00%" in content

    ProvinceTargets.objects.create(province=province, online_rate=60, on_time_rate=90)
    content = client.get(URL, SEPTEMBER).content.decode()
    assert rate_classes(content, "05293") == ["grade-warn", "grade-ok"]
    cells = row_cells(content, "05305")
    assert cells[4].startswith("✓") and "Đạt chỉ tiêu" in cells[4]  # not by colour alone
    assert "Chỉ tiêu: 60%" in tile(content, "online_rate")


# --- periods -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({}, "01/09/2025 đến ngày 30/09/2025"),
        ({"ky": "this_month"}, "01/09/2025 đến ngày 30/09/2025"),
        ({"ky": "last_month"}, "01/08/2025 đến ngày 31/08/2025"),
        ({"ky": "this_quarter"}, "01/07/2025 đến ngày 30/09/2025"),
        ({"ky": "this_year"}, "01/01/2025 đến ngày 30/09/2025"),
        ({"date_from": "2025-09-15", "date_to": "2025-09-19"}, "15/09/2025 đến ngày 19/09/2025"),
    ],
)
def test_period_presets_and_custom_dates(client, inspector, commune, query, shown):
    client.force_login(inspector)
    response = client.get(URL, query)
    content = response.content.decode()
    assert f"Số liệu từ ngày {shown}" in content
    assert response.context["period_errors"] == []
    key = query.get("ky") or ("custom" if query else "this_month")
    assert response.context["period_custom_active"] == (key == "custom")
    assert [p["key"] for p in response.context["period_presets"] if p["active"]] == (
        [] if key == "custom" else [key]
    )


def test_custom_dates_change_the_figures(client, inspector, september):
    client.force_login(inspector)
    response = client.get(URL, {"date_from": "2025-09-08", "date_to": "2025-09-10"})
    assert response.context["total"]["received_total"] == 3
    assert 'value="2025-09-08"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2025-13-01"}, "Ngày “2025-13-01” không hợp lệ: dùng dạng YYYY-MM-DD."),
        ({"date_from": "2025-09-10", "date_to": "2025-09-01"}, "Ngày kết thúc phải từ ngày bắt đầu trở đi."),
        ({"date_from": "2020-01-01", "date_to": "2025-09-01"}, "Khoảng thời gian tối đa là 3 năm."),
        ({"ky": "mai"}, "Kỳ báo cáo không hợp lệ: mai."),
    ],
)
def test_bad_dates_are_a_message_and_this_month_is_shown(client, inspector, commune, query, message):
    client.force_login(inspector)
    response = client.get(URL, query)
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert message in content
    assert 'role="alert"' in content
    assert "Số liệu từ ngày 01/09/2025 đến ngày 30/09/2025" in content


# --- links -------------------------------------------------------------------------------------


def test_links_to_communes_and_exports_keep_the_period(client, inspector, september):
    client.force_login(inspector)
    content = html.unescape(client.get(URL, SEPTEMBER).content.decode())
    dashboard = reverse("commune-dashboard", args=["05293"])
    assert f'<a href="{dashboard}?date_from=2025-09-01&date_to=2025-09-30">Xã Thượng Cốc</a>' in content
    query = "province=25&date_from=2025-09-01&date_to=2025-09-30"
    assert f'href="{reverse("report-ii06a")}?{query}"' in content
    assert f'href="{reverse("report-ranking-csv")}?{query}&sap_xep=-on_time_rate"' in content


def test_charts_carry_their_data_and_a_table(client, inspector, september):
    client.force_login(inspector)
    response = client.get(URL, SEPTEMBER)
    content = response.content.decode()
    charts = {chart.key: chart for chart in response.context["charts"]}
    receipts = charts["receipts"]
    assert len(receipts.rows) == 30  # day by day in a month
    assert receipts.rows[14][0] == "15/09"
    assert sum(int(r[-1].replace(".", "")) for r in receipts.rows) == 114
    assert charts["overdue-procedures"].rows == [["9.000003", "Thủ tục thử ba ngày", "Hộ tịch", "1"]]
    assert charts["overdue-fields"].rows == [["Hộ tịch", "1"]]
    assert 'id="chart-data-receipts" type="application/json"' in content
    assert content.count("Xem dạng bảng") == 4
    assert content.count(">Lưu ảnh</button>") == 4
    assert '/static/vendor/plotly.min.js" defer' in content
    year = client.get(URL, {"ky": "this_year"}).context["charts"][0]
    assert [row[0] for row in year.rows] == [f"{m:02d}/2025" for m in range(1, 10)]  # by month


# --- access ------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["clerk", "leader"])
def test_commune_staff_are_refused(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403


def test_an_inspector_sees_only_their_province(client, inspector, commune, far_commune):
    client.force_login(inspector)
    assert client.get(URL, {"province": "25"}).status_code == 200
    assert client.get(URL, {"province": "01"}).status_code == 404


def test_an_admin_picks_a_province_default_25(client, admin_user, commune, far_commune):
    client.force_login(admin_user)
    response = client.get(URL)
    assert response.context["province"].code == "25"
    assert ranking_codes(response) == ["05293"]
    response = client.get(URL, {"province": "01"})
    assert response.context["province"].code == "01"
    assert ranking_codes(response) == ["00004"]
    assert '<option value="01" selected>' in response.content.decode()
    assert client.get(URL, {"province": "99"}).status_code == 404


# --- budget ------------------------------------------------------------------------------------


@pytest.fixture
def twenty_units(province):
    """20 current units, each having absorbed two units of an old province (as in the real data),
    with a month of daily figures and some overdue dossiers by procedure."""
    old = ProvinceFactory(code="17", name="Hòa Bình", full_name="Tỉnh Hòa Bình")
    procedures = [ProcedureFactory(field=f"Lĩnh vực {i % 4}") for i in range(12)]
    now = at(9, 30)
    daily, by_procedure = [], []
    for i in range(20):
        unit = CommuneFactory(code=f"{6000 + i:05d}", province=province)
        for _old in range(2):
            MergerFactory(absorbed=CommuneFactory(province=old, ended=True), successor=unit)
        for day in range(1, 31):
            flows = {
                "received_online": i % 5,
                "received_direct": 2,
                "resolved_on_time": 1,
                "resolved_late": i % 2,
            }
            stocks = {"pending_in_time": 10, "pending_overdue": i % 3}
            date = dt.date(2025, 9, day)
            daily.append(DailyFigures(commune=unit, date=date, visits=40, computed_at=now, **flows, **stocks))
        for k, p in enumerate(procedures):
            overdue = (i + k) % 4
            by_procedure.append(
                DailyProcedureFigures(commune=unit, procedure=p, date=dt.date(2025, 9, 30),
                                      pending_overdue=overdue, computed_at=now)
            )  # fmt: skip
    DailyFigures.objects.bulk_create(daily)
    DailyProcedureFigures.objects.bulk_create(by_procedure)


def test_the_page_costs_at_most_12_queries(
    client, inspector, admin_user, twenty_units, django_assert_max_num_queries
):  # noqa: E501
    for user in (inspector, admin_user):
        client.force_login(user)
        client.get(URL)  # the scope cached (communes.generation), as on any later request
        with django_assert_max_num_queries(12):
            response = client.get(URL, {"ky": "this_quarter", "sap_xep": "visits"})
        assert len(response.context["ranking"]) == 20
        assert response.context["total"]["received_total"] == sum(2 + i % 5 for i in range(20)) * 30
