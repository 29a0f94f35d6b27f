"""`/api/v1/procedures/`: every signed-in account reads the catalogue, administrators edit it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dossiers.catalogue import load_procedures
from dossiers.models import Procedure
from tests.factories import ProcedureFactory, UserFactory

LIST_URL = reverse("api:procedure-list")
FIELDS = {"code", "name", "field", "processing_days", "fee", "fee_note", "online_level", "is_active"}

NEW_PROCEDURE = {
    "code": "1.004873",
    "name": "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
    "field": "Hộ tịch",
    "processing_days": 3,
    "fee": None,
    "fee_note": "Theo mức HĐND cấp tỉnh quy định",
    "online_level": "full",
}


def detail_url(code):
    return reverse("api:procedure-detail", kwargs={"code": code})


@pytest.fixture
def catalogue(db):
    load_procedures()


@pytest.fixture
def as_user(api_client):
    def _as(user):
        api_client.force_authenticate(user)
        return api_client

    return _as


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_fields_are_exactly_the_contract(as_user, clerk, catalogue):
    response = as_user(clerk).get(detail_url("2.000815"))
    assert response.status_code == 200
    row = response.json()
    assert set(row) == FIELDS
    assert row["code"] == "2.000815"
    assert row["field"] == "Chứng thực"
    assert row["processing_days"] == 0
    assert row["fee"] == 2000  # a number, not a string
    assert row["online_level"] == "partial"
    assert row["is_active"] is True
    assert as_user(clerk).get(detail_url("1.001193")).json()["fee"] is None


def test_list_is_paginated_and_ordered_by_field_then_code(as_user, inspector, catalogue):
    body = as_user(inspector).get(LIST_URL, {"page_size": 5}).json()
    assert body["count"] == Procedure.objects.count()
    assert len(body["results"]) == 5
    assert set(body) >= {"count", "next", "previous", "results"}
    everything = as_user(inspector).get(LIST_URL, {"page_size": 500}).json()["results"]
    assert [(r["field"], r["code"]) for r in everything] == sorted(
        (r["field"], r["code"]) for r in everything
    )
    by_days = codes(as_user(inspector).get(LIST_URL, {"ordering": "-processing_days", "page_size": 1}))
    assert Procedure.objects.get(code=by_days[0]).processing_days == max(
        Procedure.objects.values_list("processing_days", flat=True)
    )


@pytest.mark.parametrize("text", ["khai sinh", "KHAI SINH", "Khai sinh", "1.001193"])
def test_search_ignores_case_and_diacritics(as_user, clerk, catalogue, text):
    found = codes(as_user(clerk).get(LIST_URL, {"search": text, "page_size": 100}))
    assert "1.001193" in found
    assert "2.000815" not in found


def test_filters_by_field_online_level_and_active(as_user, clerk, catalogue):
    client = as_user(clerk)
    certification = codes(client.get(LIST_URL, {"field": "Chứng thực", "page_size": 100}))
    assert certification and all(c.startswith("2.") for c in certification)
    assert set(certification) == set(
        Procedure.objects.filter(field="Chứng thực").values_list("code", flat=True)
    )
    info = codes(client.get(LIST_URL, {"online_level": "info", "page_size": 100}))
    assert "1.003583" in info and "1.001193" not in info

    Procedure.objects.filter(code="1.003583").update(is_active=False)
    assert codes(client.get(LIST_URL, {"is_active": "false"})) == ["1.003583"]
    assert "1.003583" not in codes(client.get(LIST_URL, {"is_active": "true", "page_size": 100}))


def test_unknown_online_level_filter_is_a_400(as_user, clerk, catalogue):
    response = as_user(clerk).get(LIST_URL, {"online_level": "toan-trinh"})
    assert response.status_code == 400
    assert "online_level" in response.json()["errors"]


def test_unknown_code_is_a_404(as_user, clerk, catalogue):
    assert as_user(clerk).get(detail_url("9.999999")).status_code == 404
    assert as_user(clerk).get(detail_url("khong-co")).status_code == 404


def test_admin_creates_a_procedure(as_user, admin_user, db):
    response = as_user(admin_user).post(LIST_URL, NEW_PROCEDURE, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {**NEW_PROCEDURE, "is_active": True}
    created = Procedure.objects.get(code="1.004873")
    assert created.processing_days == 3
    assert created.search_text.startswith("1.004873 thu tuc cap giay xac nhan")


def test_admin_patches_a_procedure_but_not_its_code(as_user, admin_user, db):
    ProcedureFactory(code="2.000815", name="Chứng thực bản sao", field="Chứng thực", processing_days=0)
    client = as_user(admin_user)

    response = client.patch(
        detail_url("2.000815"),
        {"fee": 2000, "fee_note": "2.000 đồng/trang", "is_active": False},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["fee"] == 2000
    procedure = Procedure.objects.get(code="2.000815")
    assert (procedure.fee, procedure.is_active) == (Decimal("2000"), False)

    # Sending the same code back is harmless; a different one is refused with a stable code.
    assert client.patch(detail_url("2.000815"), {"code": "2.000815"}, format="json").status_code == 200
    response = client.patch(detail_url("2.000815"), {"code": "2.000816"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "immutable"
    assert body["errors"]["code"] == ["Không được thay đổi mã thủ tục; hãy thêm thủ tục mới với mã mới."]
    assert Procedure.objects.filter(code="2.000815").exists()
    assert not Procedure.objects.filter(code="2.000816").exists()


def test_put_and_delete_are_not_offered(as_user, admin_user, db):
    ProcedureFactory(code="2.000815")
    client = as_user(admin_user)
    assert (
        client.put(detail_url("2.000815"), {**NEW_PROCEDURE, "code": "2.000815"}, format="json").status_code
        == 405
    )
    assert client.delete(detail_url("2.000815")).status_code == 405


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "1001193"}, "code", "Mã thủ tục có dạng 1.001193 (một chữ số, dấu chấm, sáu chữ số)."),
        ({"code": ""}, "code", "Trường này không được để trống."),
        ({"name": ""}, "name", "Trường này không được để trống."),
        ({"processing_days": -1}, "processing_days", "Thời hạn giải quyết không được âm."),
        ({"processing_days": 400}, "processing_days", "Thời hạn giải quyết không quá 365 ngày làm việc."),
        (
            {"processing_days": "ba"},
            "processing_days",
            "Thời hạn giải quyết phải là số nguyên (số ngày làm việc).",
        ),
        ({"fee": -5}, "fee", "Phí, lệ phí không được âm."),
        ({"fee": "tám nghìn"}, "fee", "Phí, lệ phí phải là số đồng (số nguyên) hoặc để trống."),
        (
            {"online_level": "toan-trinh"},
            "online_level",
            "“toan-trinh” không phải mức độ trực tuyến hợp lệ (full, partial, info).",
        ),
    ],
)
def test_invalid_input_is_a_400_with_vietnamese_field_messages(
    as_user, admin_user, db, changes, field, message
):
    response = as_user(admin_user).post(LIST_URL, {**NEW_PROCEDURE, **changes}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert not Procedure.objects.exists()


def test_missing_fields_and_duplicate_code_are_400(as_user, admin_user, db):
    client = as_user(admin_user)
    response = client.post(LIST_URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"code", "name", "field", "processing_days", "online_level"}
    assert response.json()["errors"]["name"] == ["Trường này là bắt buộc."]

    assert client.post(LIST_URL, NEW_PROCEDURE, format="json").status_code == 201
    response = client.post(LIST_URL, NEW_PROCEDURE, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["code"] == ["Mã thủ tục này đã có trong danh mục."]


@pytest.mark.parametrize("role", ["clerk", "leader", "inspector"])
def test_only_admins_write(request, as_user, role, db):
    ProcedureFactory(code="2.000815", name="Chứng thực bản sao")
    client = as_user(request.getfixturevalue(role))
    response = client.post(LIST_URL, NEW_PROCEDURE, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Chỉ quản trị viên được thêm hoặc sửa thủ tục hành chính."
    assert client.patch(detail_url("2.000815"), {"name": "Đổi tên"}, format="json").status_code == 403
    assert not Procedure.objects.filter(code="1.004873").exists()
    assert Procedure.objects.get(code="2.000815").name == "Chứng thực bản sao"


def test_account_without_role_reads_but_does_not_write(as_user, catalogue):
    client = as_user(UserFactory(username="khongvaitro"))
    assert client.get(LIST_URL).status_code == 200
    assert client.post(LIST_URL, NEW_PROCEDURE, format="json").status_code == 403


def test_anonymous_gets_nothing(api_client, catalogue):
    assert api_client.get(LIST_URL).status_code in (401, 403)
    assert api_client.get(detail_url("1.001193")).status_code in (401, 403)
    assert api_client.post(LIST_URL, NEW_PROCEDURE, format="json").status_code in (401, 403)


def test_list_query_count_does_not_grow_with_page_size(
    as_user, clerk, catalogue, django_assert_max_num_queries
):
    client = as_user(clerk)
    client.get(LIST_URL)  # warm the scope cache of the session-less client
    with django_assert_max_num_queries(6):
        client.get(LIST_URL, {"page_size": 100})
