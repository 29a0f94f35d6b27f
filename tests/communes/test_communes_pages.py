"""The HTML pages of the administrative units: the searchable list and one unit's page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CommuneFactory, MergerFactory, ServiceCentreFactory

LIST_URL = reverse("commune-list")


def detail_url(code):
    return reverse("commune-detail", args=[code])


@pytest.fixture
def signed_in(client, clerk):
    client.force_login(clerk)
    return client


def listed_codes(response):
    assert response.status_code == 200
    return [c.code for c in response.context["communes"]]


@pytest.mark.parametrize("url", [LIST_URL, detail_url("05293")])
def test_anonymous_is_sent_to_login(client, commune, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_search_without_diacritics_finds_the_unit(signed_in, commune, neighbour_commune):
    response = signed_in.get(LIST_URL, {"search": "thuong coc"})
    assert listed_codes(response) == ["05293"]
    html = response.content.decode()
    assert "Xã Thượng Cốc" in html
    assert f'href="{detail_url("05293")}"' in html
    assert 'value="thuong coc"' in html


def test_list_shows_units_in_force_by_default_and_all_on_request(signed_in, commune, neighbour_commune):
    assert listed_codes(signed_in.get(LIST_URL)) == ["05293", "05305"]
    assert listed_codes(signed_in.get(LIST_URL, {"hieu_luc": "tat-ca"})) == ["05284", "05293", "05305"]
    assert listed_codes(signed_in.get(LIST_URL, {"active_on": "2025-06-30"})) == ["05284"]


def test_list_filters_by_province_and_kind(signed_in, commune, far_commune):
    assert listed_codes(signed_in.get(LIST_URL, {"province": "01"})) == ["00004"]
    assert listed_codes(signed_in.get(LIST_URL, {"kind": "xa"})) == ["05293"]


def test_invalid_filter_shows_an_error_and_no_rows(signed_in, commune):
    response = signed_in.get(LIST_URL, {"kind": "huyen"})
    assert listed_codes(response) == []
    assert 'role="alert"' in response.content.decode()


def test_pagination_keeps_the_query_string(signed_in, province):
    for n in range(55):
        CommuneFactory(code=f"{20000 + n:05d}", name=f"Yên Lập {n}", province=province)
    response = signed_in.get(LIST_URL, {"search": "yen lap", "province": "25"})
    assert len(listed_codes(response)) == 50
    html = response.content.decode()
    assert "?search=yen+lap&amp;province=25&amp;page=2" in html
    second = signed_in.get(LIST_URL, {"search": "yen lap", "province": "25", "page": 2})
    assert len(listed_codes(second)) == 5


def test_detail_shows_facts_predecessors_and_centre(signed_in, commune):
    ServiceCentreFactory(
        commune=commune,
        name="Trung tâm Phục vụ hành chính công xã Thượng Cốc",
        agency_code="X05293",
        phone="0218 3861 234",
        office_hours="Thứ Hai – Thứ Sáu, 7:30–17:00",
    )
    commune.population = 21456
    commune.save()
    response = signed_in.get(detail_url("05293"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Được sắp xếp, sáp nhập từ" in html
    assert f'href="{detail_url("05284")}?ngay=2025-06-30"' in html
    assert "Xã Văn Sơn" in html
    assert "Nghị quyết số 1676/NQ-UBTVQH15" in html
    assert "01/07/2025" in html
    assert "Trung tâm Phục vụ hành chính công xã Thượng Cốc" in html
    assert "X05293" in html
    assert "21.456" in html
    assert "Số liệu tiếp nhận, giải quyết hồ sơ" in html


def test_detail_of_an_ended_unit_shows_its_successor(signed_in, commune):
    response = signed_in.get(detail_url("05284"))
    html = response.content.decode()
    assert "Đã sáp nhập vào" in html
    assert f'href="{detail_url("05293")}?ngay=2025-07-01"' in html
    assert "Chưa có thông tin trung tâm" in html


def test_detail_picks_the_version_of_the_requested_day(signed_in, province):
    CommuneFactory(code="05323", name="Chí Đạo", province=province, ended=True, district_name="Lạc Sơn")
    CommuneFactory(code="05323", name="Quyết Thắng", province=province)
    assert signed_in.get(detail_url("05323")).context["commune"].name == "Quyết Thắng"
    old = signed_in.get(detail_url("05323"), {"ngay": "2025-06-30"})
    assert old.context["commune"].name == "Chí Đạo"
    assert "Lạc Sơn" in old.content.decode()


def test_detail_404_for_unknown_code_or_day_without_version(signed_in, commune):
    assert signed_in.get(detail_url("99999")).status_code == 404
    assert signed_in.get(detail_url("05293"), {"ngay": "2025-06-01"}).status_code == 404


def test_detail_with_malformed_day_warns_and_shows_the_latest(signed_in, commune):
    response = signed_in.get(detail_url("05293"), {"ngay": "30/06/2025"})
    assert response.context["commune"] == commune
    assert "không hợp lệ" in response.content.decode()


def _count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _units_with_links(province, count):
    for _ in range(count):
        unit = CommuneFactory(province=province)
        ServiceCentreFactory(commune=unit)
        MergerFactory(absorbed=CommuneFactory(province=province, ended=True), successor=unit)


def test_list_query_budget(signed_in, province, django_assert_max_num_queries):
    _units_with_links(province, 5)
    small = _count_queries(signed_in, LIST_URL, hieu_luc="tat-ca")
    _units_with_links(province, 45)
    with django_assert_max_num_queries(small):
        signed_in.get(LIST_URL, {"hieu_luc": "tat-ca"})
    with django_assert_max_num_queries(12):
        signed_in.get(LIST_URL, {"hieu_luc": "tat-ca"})


def test_detail_query_budget(signed_in, commune, province, django_assert_max_num_queries):
    ServiceCentreFactory(commune=commune)
    small = _count_queries(signed_in, detail_url("05293"))
    for _ in range(20):
        MergerFactory(absorbed=CommuneFactory(province=province, ended=True), successor=commune)
    with django_assert_max_num_queries(small):
        signed_in.get(detail_url("05293"))
    with django_assert_max_num_queries(12):
        signed_in.get(detail_url("05293"))
