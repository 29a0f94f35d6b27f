"""The worklist /ho-so/: scope, every filter, sorting, pagination, masking and the query budget."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.services import move_dossier
from tests.factories import ProcedureFactory, ServiceCentreFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2025, 9, 15, 9, 0, tzinfo=VN)  # a Monday
URL = "/ho-so/"


def at(day, hour=10, minute=0, month=9):
    return dt.datetime(2025, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def same_day_procedure(db):
    return ProcedureFactory(code="9.000010", name="Chứng thực bản sao", field="Chứng thực", processing_days=0)


@pytest.fixture
def land_procedure(db):
    return ProcedureFactory(code="9.000020", name="Đăng ký đất đai", field="Đất đai", processing_days=10)


@pytest.fixture
def neighbour_centre(neighbour_commune):
    return ServiceCentreFactory(commune=neighbour_commune, agency_code="H25.05305")


@pytest.fixture
def dossiers(receive, clerk, same_day_procedure, land_procedure):
    """A small commune worklist, by name: the states every filter needs."""
    made = {}
    # Received Mon 8/9, 3 working days: due Thu 11/9 17:00, overdue now.
    made["overdue"] = move_dossier(receive(at=at(8)), 4, actor=clerk, at=at(8, 11))
    # Received Fri 12/9: due Wed 17/9, within 3 days.
    made["soon"] = receive(at=at(12), channel="online", applicant_name="Trần Thị Bình")
    # Same-day procedure received this morning: due today 17:00.
    made["today"] = receive(
        at=at(15, 8), procedure=same_day_procedure, channel="postal", applicant_name="Lê Văn Cường"
    )
    # Paused for a supplement: not overdue although its due date has passed.
    paused = move_dossier(receive(at=at(1), procedure=land_procedure), 4, actor=clerk, at=at(1, 11))
    made["paused"] = move_dossier(paused, 5, actor=clerk, at=at(3))
    # Resolved and returned in July.
    done = move_dossier(receive(at=at(10, month=7)), 4, actor=clerk, at=at(10, 11, month=7))
    done = move_dossier(done, 9, actor=clerk, at=at(11, 9, month=7))
    made["returned"] = move_dossier(done, 10, actor=clerk, at=at(14, 9, month=7))
    return made


@pytest.fixture
def signed_in(client, clerk):
    client.force_login(clerk)
    return client


def codes(response):
    return [d.code for d in response.context["dossiers"]]


def test_clerk_sees_only_own_commune(
    client, clerk, inspector, admin_user, dossiers, neighbour_centre, receive
):
    theirs = receive(commune=neighbour_centre.commune, applicant_name="Người Xã Bên")
    client.force_login(clerk)
    page = client.get(URL)
    assert page.status_code == 200
    assert theirs.code not in codes(page)
    assert set(codes(page)) == {d.code for d in dossiers.values()}
    assert "Người Xã Bên" not in page.content.decode()
    # Even when asked for the neighbour by code.
    assert codes(client.get(URL, {"commune": "05305"})) == []
    assert codes(client.get(URL, {"search": theirs.code})) == []

    client.force_login(inspector)
    page = client.get(URL)
    assert theirs.code in codes(page)
    assert page.context["show_commune"] is True
    assert "Yên Phú" in page.content.decode()


def test_inspector_does_not_see_another_province(client, inspector, admin_user, far_commune, receive):
    ServiceCentreFactory(commune=far_commune, agency_code="H01.00004")
    far = receive(commune=far_commune)
    client.force_login(inspector)
    assert far.code not in codes(client.get(URL))
    client.force_login(admin_user)
    assert far.code in codes(client.get(URL))


def test_status_filter_takes_several(signed_in, dossiers):
    page = signed_in.get(URL, {"status": ["2", "5"]})
    assert set(codes(page)) == {dossiers["soon"].code, dossiers["today"].code, dossiers["paused"].code}
    assert set(codes(signed_in.get(URL, {"status": "10"}))) == {dossiers["returned"].code}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"channel": "online"}, {"soon"}),
        ({"channel": "postal"}, {"today"}),
        ({"procedure": "9.000020"}, {"paused"}),
        ({"field": "Chứng thực"}, {"today"}),
        ({"overdue": "true"}, {"overdue"}),
        ({"overdue": "false"}, {"soon", "today", "paused", "returned"}),
        ({"due_within": "0"}, {"today"}),
        ({"due_within": "3"}, {"today", "soon"}),
        ({"received_from": "2025-09-08", "received_to": "2025-09-12"}, {"overdue", "soon"}),
        ({"received_to": "2025-07-31"}, {"returned"}),
        ({"search": "nguyen van an"}, {"overdue", "paused", "returned"}),
        ({"search": "TRAN thi binh"}, {"soon"}),
        ({"search": "le van cuong", "channel": "online"}, set()),
    ],
)
def test_each_filter(signed_in, dossiers, params, expected):
    page = signed_in.get(URL, params)
    assert page.status_code == 200
    assert set(codes(page)) == {dossiers[name].code for name in expected}
    assert page.context["paginator"].count == len(expected)


def test_search_by_code_ignores_case(signed_in, dossiers):
    code = dossiers["soon"].code
    assert codes(signed_in.get(URL, {"search": code.lower()})) == [code]


def test_count_is_shown(signed_in, dossiers):
    assert "Tìm thấy 5 hồ sơ." in signed_in.get(URL).content.decode()


def test_invalid_filter_shows_the_error_and_no_rows(signed_in, dossiers):
    page = signed_in.get(URL, {"due_within": "nhiều", "received_from": "31/02/2025"})
    assert page.status_code == 200
    assert codes(page) == []
    assert page.context["filterset"].errors
    assert 'role="alert"' in page.content.decode()


def test_default_order_puts_what_needs_action_first_by_due_date(signed_in, dossiers):
    # Pending ones by due date, then the finished one (due in July, so first in a plain due order).
    order = codes(signed_in.get(URL))
    due = {d.code: d.due_at for d in dossiers.values()}
    actionable = [c for c in order if c != dossiers["returned"].code]
    assert order[-1] == dossiers["returned"].code
    assert actionable == sorted(actionable, key=lambda c: due[c])


@pytest.mark.parametrize("field", ["due_at", "received_at", "code"])
def test_sorting_by_column(signed_in, dossiers, field):
    value = {d.code: getattr(d, field) for d in dossiers.values()}
    ascending = codes(signed_in.get(URL, {"ordering": field}))
    assert ascending == sorted(value, key=value.get)
    assert codes(signed_in.get(URL, {"ordering": f"-{field}"})) == list(reversed(ascending))


def test_sort_links_flip_and_keep_filters(signed_in, dossiers):
    page = signed_in.get(URL, {"ordering": "due_at", "channel": "direct"})
    links = page.context["sort_links"]
    assert links["due_at"]["sort"] == "ascending"
    assert parse_qs(urlsplit(links["due_at"]["url"]).query) == {
        "ordering": ["-due_at"],
        "channel": ["direct"],
    }
    assert parse_qs(urlsplit(links["received_at"]["url"]).query)["ordering"] == ["-received_at"]
    assert 'aria-sort="ascending"' in page.content.decode()


def test_pagination_keeps_filters(signed_in, dossiers):
    page = signed_in.get(URL, {"channel": "direct", "page_size": "2", "ordering": "code"})
    assert page.context["is_paginated"]
    assert page.context["paginator"].count == 3
    html = page.content.decode()
    assert "?channel=direct&amp;page_size=2&amp;ordering=code&amp;page=2" in html
    second = signed_in.get(URL, {"channel": "direct", "page_size": "2", "ordering": "code", "page": "2"})
    assert len(codes(second)) == 1
    assert set(codes(page) + codes(second)) == {dossiers[n].code for n in ("overdue", "paused", "returned")}
    # Past the end: the last page, not an error.
    past = signed_in.get(URL, {"channel": "direct", "page_size": "2", "ordering": "code", "page": "9"})
    assert codes(past) == codes(second)


@pytest.mark.parametrize(("asked", "size"), [("", 50), ("100", 100), ("1000", 200), ("abc", 50), ("0", 1)])
def test_page_size_is_capped(signed_in, dossiers, asked, size):
    page = signed_in.get(URL, {"page_size": asked} if asked else {})
    assert page.context["paginator"].per_page == size


def test_clerk_sees_full_id_number_inspector_and_admin_masked(
    client, clerk, leader, inspector, admin_user, dossiers
):
    for user in (clerk, leader):
        client.force_login(user)
        html = client.get(URL).content.decode()
        assert "001203004567" in html
    for user in (inspector, admin_user):
        client.force_login(user)
        html = client.get(URL).content.decode()
        assert "001203004567" not in html
        assert "********4567" in html
        # Never the phone or the address in the list, for anyone.
        assert "0912345678" not in html and "Xóm Đồng" not in html


def test_overdue_and_due_today_rows_stand_out(signed_in, dossiers):
    page = signed_in.get(URL)
    rows = {d.code: d for d in page.context["dossiers"]}
    assert rows[dossiers["overdue"].code].is_overdue_now
    assert not rows[dossiers["paused"].code].is_overdue_now
    assert rows[dossiers["today"].code].due_today
    html = page.content.decode()
    assert 'class="is-overdue"' in html and "Quá hạn</span>" in html
    assert 'class="is-due-today"' in html


def test_quick_filter_chips(signed_in, dossiers):
    chips = {c["key"]: c for c in signed_in.get(URL, {"channel": "direct", "status": "9"}).context["chips"]}
    assert set(chips) == {"overdue", "today", "3days", "paused"}
    # A chip keeps the other filters and replaces the status / deadline ones.
    assert parse_qs(chips["overdue"]["url"][1:]) == {"channel": ["direct"], "overdue": ["true"]}
    assert parse_qs(chips["paused"]["url"][1:]) == {"channel": ["direct"], "status": ["5", "6"]}
    assert parse_qs(chips["today"]["url"][1:]) == {"channel": ["direct"], "due_within": ["0"]}
    page = signed_in.get(URL + chips["paused"]["url"])
    assert codes(page) == [dossiers["paused"].code]
    active = {c["key"]: c for c in page.context["chips"]}["paused"]
    assert active["active"] is True
    assert parse_qs(active["url"][1:]) == {"channel": ["direct"]}  # a second click clears it
    assert codes(signed_in.get(URL + chips["3days"]["url"])) == []  # direct + due within 3 days
    html = page.content.decode()
    for label in ("Quá hạn", "Đến hạn hôm nay", "Đến hạn trong 3 ngày", "Đang tạm dừng"):
        assert label in html


def test_intake_link_for_commune_staff_and_export_keeps_filters(client, clerk, leader, inspector, dossiers):
    for user, has_intake in ((clerk, True), (leader, True), (inspector, False)):
        client.force_login(user)
        page = client.get(URL, {"status": ["2", "4"], "search": "an", "page": "1"})
        html = page.content.decode()
        assert ('href="/ho-so/tiep-nhan/"' in html.split("<main", 1)[1]) is has_intake
        export = urlsplit(page.context["export_url"])
        assert export.path == "/ho-so/xuat-excel/"
        assert parse_qs(export.query) == {"status": ["2", "4"], "search": ["an"]}
        assert "Xuất Excel" in html


def test_predecessor_units_dossiers_are_the_clerks_and_labelled(client, clerk, commune, dossiers):
    # Văn Sơn (05284) was absorbed by Thượng Cốc: its June dossiers stay its own, in the clerk's list.
    from dossiers.services import receive_dossier

    old_unit = commune.absorptions.get().absorbed
    ServiceCentreFactory(commune=old_unit, agency_code="H17.05284")
    old = receive_dossier(
        commune=old_unit,
        procedure=dossiers["overdue"].procedure,
        channel="direct",
        applicant_name="Phạm Thị Dung",
        applicant_id_number="001203009999",
        at=at(20, month=6),
    )
    client.force_login(clerk)
    page = client.get(URL, {"search": "pham thi dung"})
    assert codes(page) == [old.code]
    row = page.context["dossiers"][0]
    assert row.other_unit and row.id_number_shown == "001203009999"
    assert "Xã Văn Sơn" in page.content.decode()


def _make_many(receive, n):
    for i in range(n):
        receive(
            at=at(1 + i % 12, 8 + i % 8), applicant_name=f"Người nộp {i}", channel=("direct", "online")[i % 2]
        )


@pytest.mark.parametrize("role", ["clerk", "inspector"])
def test_query_budget_does_not_grow_with_the_page(
    request, client, receive, django_assert_max_num_queries, role
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    _make_many(receive, 5)
    client.get(URL)  # the scope cached (communes.generation), as on any later request
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, {"page_size": "200"}).status_code == 200
    _make_many(receive, 55)
    with django_assert_max_num_queries(15), CaptureQueriesContext(connection) as large:
        page = client.get(URL, {"page_size": "200"})
    assert len(page.context["dossiers"]) == 60
    assert len(large.captured_queries) == len(small.captured_queries)
    with CaptureQueriesContext(connection) as filtered:
        client.get(
            URL,
            {"status": ["2", "4"], "overdue": "false", "search": "nguoi nop", "page": "2", "page_size": "7"},
        )
    assert len(filtered.captured_queries) <= 15
