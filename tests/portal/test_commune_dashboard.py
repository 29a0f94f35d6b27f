"""The commune dashboard: its figures against the province, the dossiers due, before/after the merger."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from dossiers.figures import recompute
from dossiers.figures_backlog import catch_up
from dossiers.figures_read import summarize
from dossiers.filtersets import DossierFilterSet
from dossiers.models import Dossier
from dossiers.services import move_dossier, receive_dossier
from dossiers.visits import record_walk_in_visits
from tests.factories import ServiceCentreFactory, StaffProfileFactory, UserFactory
from tests.scoping import FORBIDDEN, NOT_FOUND, Endpoint, RoleWalk

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2025, 9, 30, 10, 0, tzinfo=VN)  # a Tuesday
OWN = "/bang-dieu-khien/xa/"
SEPTEMBER = {"date_from": "2025-09-01", "date_to": "2025-09-30"}


def at(month, day, hour=9, year=2025):
    return dt.datetime(year, month, day, hour, tzinfo=VN)


@pytest.fixture(autouse=True)
def _frozen(vn_calendar):
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def van_son(commune):
    return commune.absorptions.get().absorbed


@pytest.fixture
def history(receive, clerk, centre, neighbour_commune, van_son, procedure):
    """September 2025 in Thượng Cốc and Yên Phú (3 working days per dossier), figures recomputed."""
    made = {}
    made["early"] = receive(at=at(9, 3), channel="online")  # due Mon 8/9
    move_dossier(made["early"], 4, actor=clerk, at=at(9, 4))
    move_dossier(made["early"], 9, actor=clerk, at=at(9, 5))
    made["on_time"] = receive(at=at(9, 10), channel="online")  # due Mon 15/9
    move_dossier(made["on_time"], 4, actor=clerk, at=at(9, 11))
    move_dossier(made["on_time"], 9, actor=clerk, at=at(9, 15))
    made["late"] = receive(at=at(9, 15))  # due Thu 18/9
    move_dossier(made["late"], 4, actor=clerk, at=at(9, 16))
    move_dossier(made["late"], 9, actor=clerk, at=at(9, 22))
    made["overdue"] = receive(at=at(9, 22))  # due Thu 25/9: overdue now
    made["due_today"] = receive(at=at(9, 25), channel="postal")  # due Tue 30/9 17:00
    made["due_tomorrow"] = receive(at=at(9, 26), channel="online")  # due Wed 1/10
    made["later"] = receive(at=at(9, 29))  # due Thu 2/10
    record_walk_in_visits(centre.commune, NOW.date(), 120, clerk)

    # The neighbour: 2 received online, 1 resolved early, 1 overdue now; 80 visits.
    ServiceCentreFactory(commune=neighbour_commune, agency_code="H25.05305")
    yp1 = receive(commune=neighbour_commune, at=at(9, 3), channel="online")
    move_dossier(yp1, 9, actor=None, at=at(9, 4))
    receive(commune=neighbour_commune, at=at(9, 10), channel="online")
    record_walk_in_visits(neighbour_commune, NOW.date(), 80, None)

    recompute(None, dt.date(2025, 8, 25), NOW.date())
    return made


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def tile(response, key):
    found = next(t for t in response.context["tiles"] if t["key"] == key)
    return found["value"], found["average"]


def test_clerk_sees_own_centre_figures_beside_the_province_average(client, clerk, commune, van_son, history):
    response = get(client, clerk, OWN, **SEPTEMBER)
    assert response.status_code == 200
    assert response.context["unit"] == commune
    figures = response.context["figures"]
    # The unit with what it absorbed, as in the province's ranking.
    expected = summarize([commune.pk, van_son.pk], dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    assert {k: figures[k] for k in expected} == expected
    assert figures["received_total"] == 7
    assert figures["resolved_early"] == figures["resolved_on_time"] == figures["resolved_late"] == 1
    assert figures["visits"] == 120
    # Province: 9 received (5 online), 4 resolved (3 in time), 2 overdue now, 200 visits;
    # 2 current units (Văn Sơn has ended).
    assert response.context["current_units"] == 2
    assert tile(response, "received") == ("7", "4,5")
    assert tile(response, "online_rate") == ("42,86%", "55,56%")
    assert tile(response, "on_time_rate") == ("66,67%", "75,00%")
    assert tile(response, "overdue_now") == ("1", "1")
    assert tile(response, "visits") == ("120", "100")
    page = response.content.decode()
    assert "Bình quân xã trong tỉnh: 55,56%" in page
    assert "Bình quân xã trong tỉnh: 4,5" in page
    assert "42,86%" in page
    assert "Số liệu từ ngày 01/09/2025 đến ngày 30/09/2025" in page


def test_a_visit_recorded_today_reaches_the_tile_after_recompute(client, clerk, commune, centre):
    record_walk_in_visits(commune, NOW.date(), 3000, clerk)
    assert tile(get(client, clerk, OWN), "visits")[0] == "0"  # not recomputed yet
    catch_up(commune.pk)
    assert tile(get(client, clerk, OWN), "visits")[0] == "3.000"


def test_due_today_tomorrow_and_overdue_link_to_the_same_worklist_filters(client, clerk, history):
    response = get(client, clerk, OWN)
    due = response.context["due"]
    assert [d.code for d in due["today"]["items"]] == [history["due_today"].code]
    assert [d.code for d in due["tomorrow"]["items"]] == [history["due_tomorrow"].code]
    assert [d.code for d in due["overdue"]["items"]] == [history["overdue"].code]
    assert due["overdue"]["url"] == "/ho-so/?overdue=true"
    assert due["today"]["url"] == "/ho-so/?due_within=0"
    assert due["tomorrow"]["url"] == "/ho-so/?due_within=1"
    # The worklist's own filter finds what the dashboard counts (tomorrow's link includes today).
    visible = Dossier.objects.visible_to(clerk)
    for params, codes in (
        ({"overdue": "true"}, {history["overdue"].code}),
        ({"due_within": "0"}, {history["due_today"].code}),
        ({"due_within": "1"}, {history["due_today"].code, history["due_tomorrow"].code}),
    ):
        assert {d.code for d in DossierFilterSet(params, queryset=visible).qs} == codes
    page = response.content.decode()
    assert 'href="/ho-so/?due_within=0"' in page
    assert f'href="{reverse("dossier-detail", args=[history["overdue"].code])}"' in page


def test_only_the_first_ten_are_listed_and_the_count_is_complete(client, clerk, receive):
    for _ in range(12):
        receive(at=at(9, 22))  # all due 25/9: overdue now
    response = get(client, clerk, OWN)
    overdue = response.context["due"]["overdue"]
    assert overdue["count"] == 12
    assert len(overdue["items"]) == 10
    assert "Xem cả 12 hồ sơ trong danh sách" in response.content.decode()


def test_before_and_after_the_merger_includes_the_predecessor(
    client, clerk, commune, van_son, receive, procedure
):
    # Văn Sơn received one in June 2024 and one in June 2025; the new Thượng Cốc two in July 2025.
    for day in (at(6, 10, year=2024), at(6, 10)):
        receive_dossier(
            commune=van_son, procedure=procedure, channel="direct", applicant_name="Đinh Văn Sơn",
            applicant_id_number="017203004567", at=day, code=f"VS-{day:%y%m%d}-0001",
        )  # fmt: skip
    receive(at=at(7, 7), channel="online")
    receive(at=at(7, 8))
    recompute([commune.pk, van_son.pk], dt.date(2024, 5, 25), NOW.date())

    response = get(client, clerk, OWN, date_from="2025-06-01", date_to="2025-07-31")
    assert response.context["earlier"].first == dt.date(2024, 6, 1)
    rows = {row["key"]: row for row in response.context["comparison"]}
    assert (rows["received_total"]["earlier"], rows["received_total"]["now"]) == ("1", "3")
    assert rows["received_total"]["change"] == "+2 (+200,00%)"
    assert (rows["online_rate"]["earlier"], rows["online_rate"]["now"]) == ("0,00%", "33,33%")
    assert rows["online_rate"]["change"] == "+33,33 điểm %"
    assert rows["on_time_rate"]["change"] == "–"
    # The tiles count the predecessor's dossiers too, as the province's ranking does.
    assert response.context["figures"]["received_total"] == 3
    page = response.content.decode()
    assert "Trước và sau sắp xếp" in page
    assert "Xã Văn Sơn (05284)" in page


def test_inspector_drills_into_any_commune_of_the_province(client, inspector, commune, history):
    response = get(client, inspector, f"{OWN}{commune.code}/", **SEPTEMBER)
    assert response.status_code == 200
    assert response.context["figures"]["received_total"] == 7
    assert response.context["due"]["today"]["url"] == "/ho-so/?commune=05293&due_within=0"
    page = response.content.decode()
    assert reverse("province-dashboard") in page
    assert f"{reverse('report-ii06a')}?commune=05293&amp;date_from=2025-09-01&amp;date_to=2025-09-30" in page
    assert (
        f"{reverse('report-daily-csv')}?commune=05293&amp;date_from=2025-09-01&amp;date_to=2025-09-30" in page
    )


@pytest.mark.parametrize("who", ["inspector", "admin_user"])
def test_own_dashboard_sends_province_roles_to_the_province_dashboard(client, request, who):
    response = get(client, request.getfixturevalue(who), OWN)
    assert response.status_code == 302
    assert response["Location"] == reverse("province-dashboard")


def test_a_commune_out_of_scope_is_not_found(client, commune, neighbour_commune, far_commune, inspector):
    other_clerk = StaffProfileFactory(
        user=UserFactory(username="canbo-yenphu"), commune=neighbour_commune
    ).user
    assert get(client, other_clerk, f"{OWN}{commune.code}/").status_code == 404
    assert get(client, other_clerk, f"{OWN}{neighbour_commune.code}/").status_code == 200
    assert get(client, inspector, f"{OWN}{far_commune.code}/").status_code == 404
    assert get(client, inspector, f"{OWN}99999/").status_code == 404


def test_anonymous_is_sent_to_log_in(client, commune):
    response = client.get(OWN)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_presets_and_a_bad_range(client, clerk, history):
    response = get(client, clerk, OWN, ky="last_month")
    assert (response.context["period"].first, response.context["period"].last) == (
        dt.date(2025, 8, 1),
        dt.date(2025, 8, 31),
    )
    response = get(client, clerk, OWN, date_from="2025-09-30", date_to="2025-09-01")
    assert response.status_code == 200
    assert response.context["period"].first == dt.date(2025, 9, 1)  # falls back to this month
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in response.content.decode()


def test_chart_has_a_table_alternative_by_channel(client, clerk, history):
    response = get(client, clerk, OWN, **SEPTEMBER)
    chart = response.context["chart"]
    rows = {row[0]: row[1:] for row in chart.rows}
    assert len(rows) == 30
    assert rows["03/09"] == ["1", "0", "0", "1"]
    assert rows["25/09"] == ["0", "0", "1", "1"]
    page = response.content.decode()
    assert "vendor/plotly.min.js" in page and "js/charts.js" in page
    assert f'id="{chart.data_id}"' in page
    assert f'data-chart-source="{chart.data_id}"' in page
    assert "Xem dạng bảng" in page


@pytest.mark.parametrize(("who", "url"), [("clerk", OWN), ("inspector", f"{OWN}05293/")])
def test_query_budget(client, request, django_assert_max_num_queries, history, who, url):
    client.force_login(request.getfixturevalue(who))
    with django_assert_max_num_queries(15):
        response = client.get(url, SEPTEMBER)
    assert response.status_code == 200


class TestCommuneDashboardWalk(RoleWalk):
    fixtures = ("commune", "neighbour_commune", "far_commune")
    endpoints = [
        Endpoint("/bang-dieu-khien/xa/05293/", no_role=FORBIDDEN),
        Endpoint("/bang-dieu-khien/xa/05305/", clerk=NOT_FOUND, leader=NOT_FOUND),
        Endpoint("/bang-dieu-khien/xa/00004/", clerk=NOT_FOUND, leader=NOT_FOUND, inspector=NOT_FOUND),
        Endpoint("/bang-dieu-khien/xa/05284/", no_role=FORBIDDEN),  # Văn Sơn: in Thượng Cốc's scope
    ]
