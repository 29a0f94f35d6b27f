"""The catalogue page /thu-tuc/ and the catalogue's admin pages."""

import pytest
from django.urls import reverse

from dossiers.catalogue import load_procedures
from dossiers.models import Procedure
from tests.factories import ProcedureFactory, UserFactory
from tests.scoping import OK, Endpoint, RoleWalk

LIST_URL = reverse("procedure-list")


@pytest.fixture
def catalogue(db):
    load_procedures()


@pytest.fixture
def signed_in(client, clerk):
    client.force_login(clerk)
    return client


def listed_codes(response):
    assert response.status_code == 200
    return [p.code for p in response.context["procedures"]]


class TestCatalogueWalk(RoleWalk):
    fixtures = ("catalogue",)
    endpoints = [
        Endpoint("/thu-tuc/", no_role=OK),
        Endpoint("/api/v1/procedures/", no_role=OK),
        Endpoint("/api/v1/procedures/1.001193/", no_role=OK),
    ]


def test_anonymous_is_sent_to_login(client, catalogue):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={LIST_URL}"


def test_page_shows_code_name_field_time_fee_and_online_level(signed_in, catalogue):
    response = signed_in.get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Danh mục thủ tục hành chính</h1>" in html
    assert "1.001193" in html
    assert "Thủ tục đăng ký khai sinh" in html
    assert "Trong ngày" in html  # 0 working days
    assert "5 ngày làm việc" in html  # đăng ký lại khai sinh
    assert "2.000 đồng" in html  # the fee, the Vietnamese way
    assert "8.000 đồng" in html
    assert "Miễn lệ phí (Luật Hộ tịch, Điều 11)" in html  # fee_note when there is no amount
    assert "Toàn trình" in html and "Một phần" in html and "Cung cấp thông tin" in html


def test_procedures_are_grouped_by_field(signed_in, catalogue):
    response = signed_in.get(LIST_URL)
    html = response.content.decode()
    fields = list(Procedure.objects.order_by("field").values_list("field", flat=True).distinct())
    positions = [html.index(f'">{field} <span class="badge">') for field in fields]
    assert positions == sorted(positions)
    assert listed_codes(response) == list(
        Procedure.objects.order_by("field", "code").values_list("code", flat=True)
    )


@pytest.mark.parametrize("text", ["khai sinh", "KHAI SINH", "đăng ký khai sinh", "1.001193"])
def test_search_ignores_diacritics(signed_in, catalogue, text):
    found = listed_codes(signed_in.get(LIST_URL, {"search": text}))
    assert "1.001193" in found
    assert "2.000815" not in found


def test_filter_by_field_and_online_level(signed_in, catalogue):
    response = signed_in.get(LIST_URL, {"field": "Chứng thực"})
    found = listed_codes(response)
    assert found and {Procedure.objects.get(code=c).field for c in found} == {"Chứng thực"}
    assert '<option value="Chứng thực" selected>' in response.content.decode()
    info = listed_codes(signed_in.get(LIST_URL, {"online_level": "info"}))
    assert "1.003583" in info and "1.001193" not in info


def test_invalid_filter_shows_an_error_and_no_rows(signed_in, catalogue):
    response = signed_in.get(LIST_URL, {"online_level": "toan-trinh"})
    assert listed_codes(response) == []
    assert 'role="alert"' in response.content.decode()


def test_procedures_no_longer_in_use_are_not_listed(signed_in, db):
    ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh")
    ProcedureFactory(code="1.000894", name="Thủ tục đăng ký kết hôn")
    Procedure.objects.filter(code="1.000894").update(is_active=False)
    assert listed_codes(signed_in.get(LIST_URL)) == ["1.001193"]
    assert listed_codes(signed_in.get(LIST_URL, {"is_active": "false"})) == ["1.001193"]


def test_empty_result_says_so(signed_in, catalogue):
    response = signed_in.get(LIST_URL, {"search": "khong co thu tuc nay"})
    assert "Không có thủ tục nào phù hợp với bộ lọc." in response.content.decode()


def test_account_without_role_may_read_the_catalogue(client, catalogue):
    client.force_login(UserFactory(username="khongvaitro"))
    assert listed_codes(client.get(LIST_URL))


def test_page_query_count_is_constant(signed_in, catalogue, django_assert_max_num_queries):
    # Session, user and the role navigation of base.html (6 today), then the page's own three:
    # the count, the field choices and the rows, whatever the number of procedures.
    ProcedureFactory.create_batch(60, field="Đất đai")
    with django_assert_max_num_queries(10):
        signed_in.get(LIST_URL)


# --- Admin pages ---------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, db):
    user = UserFactory(username="sieuquantri")
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def test_admin_lists_and_searches_procedures_without_diacritics(superuser_client, catalogue):
    url = reverse("admin:dossiers_procedure_changelist")
    response = superuser_client.get(url, {"q": "khai sinh"})
    assert response.status_code == 200
    shown = {p.code for p in response.context["cl"].result_list}
    assert "1.001193" in shown and "2.000815" not in shown


def test_admin_does_not_let_the_code_change(superuser_client, catalogue):
    procedure = Procedure.objects.get(code="1.001193")
    response = superuser_client.get(reverse("admin:dossiers_procedure_change", args=[procedure.pk]))
    assert response.status_code == 200
    assert "code" not in response.context["adminform"].form.fields
    assert superuser_client.get(reverse("admin:dossiers_procedure_add")).status_code == 200


def test_admin_dossier_pages_are_read_only(superuser_client, receive, vn_calendar):
    dossier = receive()
    assert superuser_client.get(reverse("admin:dossiers_dossier_changelist")).status_code == 200
    change_url = reverse("admin:dossiers_dossier_change", args=[dossier.pk])
    response = superuser_client.get(change_url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert superuser_client.get(reverse("admin:dossiers_dossier_add")).status_code == 403
    assert (
        superuser_client.get(reverse("admin:dossiers_dossier_delete", args=[dossier.pk])).status_code == 403
    )
    # A POST to the change page cannot move the status either.
    assert superuser_client.post(change_url, {"status": 9}).status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == 2
