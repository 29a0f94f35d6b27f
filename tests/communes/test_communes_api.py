"""The read-only API of provinces and commune-level units."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.choices import MergerShare
from communes.models import Commune
from tests.factories import CommuneFactory, MergerFactory, ProvinceFactory, ServiceCentreFactory

COMMUNE_FIELDS = {
    "code",
    "name",
    "kind",
    "province",
    "valid_from",
    "valid_to",
    "predecessors",
    "successor",
    "full_name",
    "district_name",
    "population",
    "area_km2",
    "service_centre",
}

LIST_URL = reverse("api:commune-list")


def detail_url(code):
    return reverse("api:commune-detail", kwargs={"code": code})


@pytest.fixture
def client(api_client, clerk):
    api_client.force_authenticate(clerk)
    return api_client


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_commune_fields_are_exactly_the_contract(client, commune):
    ServiceCentreFactory(commune=commune, name="Trung tâm PVHCC xã Thượng Cốc", agency_code="X05293")
    row = next(r for r in client.get(LIST_URL).json()["results"] if r["code"] == "05293")
    assert set(row) == COMMUNE_FIELDS
    assert row["province"] == "25"
    assert row["kind"] == "xa"
    assert row["full_name"] == "Xã Thượng Cốc"
    assert row["valid_from"] == "2025-07-01"
    assert row["valid_to"] is None
    assert row["service_centre"] == {
        "name": "Trung tâm PVHCC xã Thượng Cốc",
        "agency_code": "X05293",
        "address": "",
        "phone": "",
        "office_hours": "",
    }


def test_unit_without_centre_has_null_centre(client, neighbour_commune):
    assert client.get(detail_url("05305")).json()["service_centre"] is None


def test_predecessors_and_successor_codes(client, commune):
    MergerFactory(absorbed=CommuneFactory(code="05272", name="Miền Đồi", ended=True), successor=commune)
    new = client.get(detail_url("05293")).json()
    assert new["predecessors"] == ["05272", "05284"]
    assert new["successor"] is None
    old = client.get(detail_url("05284")).json()
    assert old["predecessors"] == []
    assert old["successor"] == "05293"


def test_split_unit_successor_is_the_remainder_else_first_by_code(client, province):
    split = CommuneFactory(code="04891", name="Vầy Nưa", province=province, ended=True)
    MergerFactory(absorbed=split, successor=CommuneFactory(code="04800", province=province), share="part")
    MergerFactory(
        absorbed=split, successor=CommuneFactory(code="04828", province=province), share=MergerShare.REMAINDER
    )
    assert client.get(detail_url("04891")).json()["successor"] == "04828"

    unsorted_split = CommuneFactory(code="05221", province=province, ended=True)
    MergerFactory(absorbed=unsorted_split, successor=CommuneFactory(code="05212", province=province))
    MergerFactory(absorbed=unsorted_split, successor=CommuneFactory(code="05200", province=province))
    assert client.get(detail_url("05221")).json()["successor"] == "05200"


def test_filter_by_province_and_kind(client, commune, neighbour_commune, far_commune):
    assert codes(client.get(LIST_URL, {"province": "01"})) == ["00004"]
    assert codes(client.get(LIST_URL, {"province": "25"})) == ["05284", "05293", "05305"]
    assert codes(client.get(LIST_URL, {"kind": "phuong"})) == ["00004"]


def test_unknown_kind_is_a_400_with_a_code(client, commune):
    response = client.get(LIST_URL, {"kind": "huyen"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_choice"


def test_filter_active_on_picks_the_units_of_that_day(client, commune, neighbour_commune):
    assert codes(client.get(LIST_URL, {"active_on": "2025-06-15"})) == ["05284"]
    assert codes(client.get(LIST_URL, {"active_on": "2025-07-01"})) == ["05293", "05305"]


def test_malformed_active_on_is_a_400(client, commune):
    response = client.get(LIST_URL, {"active_on": "15/06/2025"})
    assert response.status_code == 400
    assert "active_on" in response.json()["errors"]


@pytest.mark.parametrize("text", ["thuong coc", "THƯỢNG CỐC", "Xa Thuong", "05293"])
def test_search_ignores_diacritics_and_matches_code(client, commune, neighbour_commune, text):
    assert codes(client.get(LIST_URL, {"search": text})) == ["05293"]


def test_ordering_by_name(client, commune, neighbour_commune):
    names = [r["name"] for r in client.get(LIST_URL, {"ordering": "-name"}).json()["results"]]
    assert names == ["Yên Phú", "Văn Sơn", "Thượng Cốc"]


def test_page_size_up_to_500_and_capped(client, province):
    Commune.objects.bulk_create(
        Commune(code=f"{10000 + n:05d}", name=f"Xã {n}", kind="xa", province=province) for n in range(520)
    )
    assert len(client.get(LIST_URL).json()["results"]) == 50
    assert len(client.get(LIST_URL, {"page_size": 500}).json()["results"]) == 500
    capped = client.get(LIST_URL, {"page_size": 5000}).json()
    assert capped["count"] == 522  # plus the clerk's commune and its predecessor
    assert len(capped["results"]) == 500


def test_detail_returns_the_latest_version_or_the_one_of_active_on(client, province):
    CommuneFactory(code="05323", name="Chí Đạo", province=province, ended=True, district_name="Lạc Sơn")
    CommuneFactory(code="05323", name="Quyết Thắng", province=province)
    assert client.get(detail_url("05323")).json()["name"] == "Quyết Thắng"
    old = client.get(detail_url("05323"), {"active_on": "2025-06-30"}).json()
    assert (old["name"], old["valid_to"], old["district_name"]) == ("Chí Đạo", "2025-06-30", "Lạc Sơn")


def test_detail_404_for_unknown_code_or_day_without_version(client, commune):
    response = client.get(detail_url("99999"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(detail_url("05293"), {"active_on": "2025-06-30"}).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        LIST_URL,
        detail_url("05293"),
        reverse("api:province-list"),
        reverse("api:province-detail", args=["25"]),
    ],
)
def test_anonymous_is_refused(api_client, commune, url):
    assert api_client.get(url).status_code in (401, 403)


def test_provinces_list_detail_and_filters(client, province, other_province):
    ProvinceFactory(code="17", name="Hòa Bình", full_name="Tỉnh Hòa Bình", valid_to=dt.date(2025, 6, 30))
    rows = client.get(reverse("api:province-list")).json()["results"]
    assert set(rows[0]) == {"code", "name", "full_name", "valid_from", "valid_to"}
    assert [r["code"] for r in rows] == ["01", "17", "25"]
    assert codes(client.get(reverse("api:province-list"), {"search": "phu tho"})) == ["25"]
    assert codes(client.get(reverse("api:province-list"), {"active_on": "2025-07-01"})) == ["01", "25"]
    detail = client.get(reverse("api:province-detail", args=["25"])).json()
    assert detail["full_name"] == "Tỉnh Phú Thọ"
    assert client.get(reverse("api:province-detail", args=["99"])).status_code == 404


def _communes_with_links(province, count):
    for _ in range(count):
        unit = CommuneFactory(province=province)
        ServiceCentreFactory(commune=unit)
        MergerFactory(absorbed=CommuneFactory(province=province, ended=True), successor=unit)


@pytest.mark.parametrize("count", [5, 50])
def test_list_costs_constant_queries(client, province, django_assert_max_num_queries, count):
    _communes_with_links(province, count)
    # count + page + predecessors + successors (+ scope lookups of the user, which do not grow).
    with django_assert_max_num_queries(8):
        response = client.get(LIST_URL, {"page_size": 500})
    assert response.json()["count"] == 2 * count + 2  # plus the clerk's commune and its predecessor


def test_list_queries_do_not_grow_with_the_page(client, province):
    _communes_with_links(province, 5)
    client.get(LIST_URL)  # warm-up: the account's scope is computed once, then cached on the user
    with CaptureQueriesContext(connection) as small:
        client.get(LIST_URL, {"page_size": 500})
    _communes_with_links(province, 45)
    with CaptureQueriesContext(connection) as large:
        client.get(LIST_URL, {"page_size": 500})
    assert len(large.captured_queries) == len(small.captured_queries)


def test_schema_documents_filters_and_merger_fields(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    params = {p["name"] for p in schema["paths"]["/api/v1/communes/"]["get"]["parameters"]}
    assert {"province", "kind", "active_on", "search", "ordering", "page", "page_size"} <= params
    detail_params = {p["name"] for p in schema["paths"]["/api/v1/communes/{code}/"]["get"]["parameters"]}
    assert "active_on" in detail_params
    props = schema["components"]["schemas"]["Commune"]["properties"]
    assert props["predecessors"]["type"] == "array"
    assert props["predecessors"]["items"]["type"] == "string"
    assert props["successor"]["type"] == "string"
    assert props["successor"]["nullable"] is True
