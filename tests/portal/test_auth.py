"""Signing in and out: API tokens, the login and logout pages, and who is let through (403/404 pages)."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.views import View
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from communes.choices import Role
from portal.api.permissions import CanChangeDossiers, IsStaffMember
from portal.mixins import RoleRequiredMixin, StaffRequiredMixin
from portal.urls import urlpatterns as portal_urlpatterns
from tests.conftest import PASSWORD
from tests.factories import UserFactory

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _fast_hasher_and_fresh_throttle(settings):
    # The default PBKDF2 costs about a second per hash; the algorithm is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The throttle counts in the process-wide cache: start every test from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="khongvaitro")


# --- Token endpoint --------------------------------------------------------------------------


def test_token_for_good_credentials(api_client, clerk):
    response = api_client.post(TOKEN_URL, {"username": "canbo", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=clerk).key}
    # The same token again: one per account, not a new one at every call.
    again = api_client.post(TOKEN_URL, {"username": "canbo", "password": PASSWORD}, format="json")
    assert again.json() == response.json()


def test_token_refused_for_wrong_password(api_client, clerk):
    response = api_client.post(TOKEN_URL, {"username": "canbo", "password": "sai-mat-khau"}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid-credentials"
    assert body["errors"]["non_field_errors"] == ["Tên đăng nhập hoặc mật khẩu không đúng."]
    assert not Token.objects.exists()


def test_token_refused_for_unknown_or_deactivated_account_with_the_same_answer(api_client, clerk):
    clerk.is_active = False
    clerk.save()
    for username in ("canbo", "khongtontai"):
        response = api_client.post(TOKEN_URL, {"username": username, "password": PASSWORD}, format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid-credentials"
    assert not Token.objects.exists()


def test_token_request_without_password_names_the_field(api_client, clerk):
    response = api_client.post(TOKEN_URL, {"username": "canbo"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "required"
    assert "password" in response.json()["errors"]


def test_token_endpoint_accepts_a_form_post_from_a_signed_in_browser_without_csrf(clerk):
    # Credentials are in the body, so session authentication (and its CSRF check) is off here.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(clerk)
    response = browser.post(TOKEN_URL, {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 200


def test_token_endpoint_is_throttled(api_client, clerk):
    for n in range(20):
        # A made-up X-Forwarded-For must not count as a new client.
        spoofed = f"10.0.0.{n}"
        response = api_client.post(
            TOKEN_URL, {"username": "canbo", "password": "x"}, HTTP_X_FORWARDED_FOR=spoofed
        )
        assert response.status_code == 400

    response = api_client.post(
        TOKEN_URL, {"username": "canbo", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="10.0.1.1"
    )

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_token_authenticates_api_requests(api_client, clerk):
    key = api_client.post(TOKEN_URL, {"username": "canbo", "password": PASSWORD}).json()["token"]

    assert api_client.get("/api/v1/provinces/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION="Token wrong0000000000000000000000000000000000")
    assert api_client.get("/api/v1/provinces/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/provinces/").status_code == 200


def test_token_endpoint_is_in_the_schema(api_client, admin_user):
    api_client.force_authenticate(admin_user)
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()

    operation = schema["paths"][TOKEN_URL]["post"]
    assert operation["operationId"] == "auth_token_create"
    assert operation.get("security", [{}]) == [{}], "the token endpoint must not ask for authentication"
    assert set(operation["responses"]) == {"200", "400", "429"}


# --- Login and logout pages ----------------------------------------------------------------------


def test_anonymous_home_redirects_to_login_with_next(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/"


def test_login_page_is_in_vietnamese(client, db):
    response = client.get("/dang-nhap/?next=/")
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in content
    assert "Tên đăng nhập" in content
    assert "Mật khẩu" in content


def test_login_with_wrong_password_shows_a_vietnamese_error(client, clerk):
    response = client.post("/dang-nhap/", {"username": "canbo", "password": "sai-mat-khau"})

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng thử lại." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_then_lands_on_next(client, clerk, commune):
    response = client.post("/dang-nhap/", {"username": "canbo", "password": PASSWORD, "next": "/don-vi/"})

    assert response.status_code == 302
    assert response["Location"] == "/don-vi/"
    assert client.session["_auth_user_id"] == str(clerk.pk)


def test_login_ignores_a_next_on_another_site(client, clerk):
    response = client.post(
        "/dang-nhap/", {"username": "canbo", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_signed_in_page_has_a_post_logout_form(client, clerk):
    client.force_login(clerk)
    content = client.get("/").content.decode()
    assert '<form action="/dang-xuat/" method="post" class="logout-form">' in content
    assert "Đăng xuất" in content


def test_logout_by_post_ends_the_session(clerk):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(clerk)
    csrf_token = browser.get("/").context["csrf_token"]

    response = browser.post("/dang-xuat/", {"csrfmiddlewaretoken": str(csrf_token)})

    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/"
    assert "_auth_user_id" not in browser.session
    assert browser.get("/")["Location"] == "/dang-nhap/?next=/"


def test_logout_by_get_is_refused_and_keeps_the_session(client, clerk):
    # A link or an <img> on another page must not sign people out.
    client.force_login(clerk)
    assert client.get("/dang-xuat/").status_code == 405
    assert client.session["_auth_user_id"] == str(clerk.pk)


def test_unknown_page_is_a_vietnamese_404(client, clerk):
    client.force_login(clerk)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


# --- Access mixins (HTML) and permissions (API), on probe views -------------------------------


class StaffOnlyProbe(StaffRequiredMixin, View):
    def get(self, request):
        return HttpResponse("vào được")


class LeaderOnlyProbe(RoleRequiredMixin, View):
    allowed_roles = {Role.LEADER, Role.ADMIN}

    def get(self, request):
        return HttpResponse("vào được")


class StaffApiProbe(APIView):
    permission_classes = [IsStaffMember]

    def get(self, request):
        return Response({"ok": True})


class DossierApiProbe(APIView):
    permission_classes = [CanChangeDossiers]

    def get(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("thu/can-bo/", StaffOnlyProbe.as_view()),
    path("thu/lanh-dao/", LeaderOnlyProbe.as_view()),
    path("thu/api/can-bo/", StaffApiProbe.as_view()),
    path("thu/api/ho-so/", DossierApiProbe.as_view()),
    *portal_urlpatterns,
]
probe_urls = pytest.mark.urls(__name__)


@probe_urls
def test_staff_mixin_sends_anonymous_to_login(client, db):
    assert client.get("/thu/can-bo/")["Location"] == "/dang-nhap/?next=/thu/can-bo/"


@probe_urls
def test_staff_mixin_gives_a_vietnamese_403_to_an_account_without_role(client, no_role_user):
    client.force_login(no_role_user)
    response = client.get("/thu/can-bo/")

    assert response.status_code == 403
    content = response.content.decode()
    assert "Không có quyền truy cập" in content
    assert "Tài khoản của bạn chưa được gán vai trò cán bộ." in content


@probe_urls
@pytest.mark.parametrize("role", ["clerk", "leader", "inspector", "admin_user"])
def test_staff_mixin_lets_every_role_in(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/thu/can-bo/").status_code == 200


@probe_urls
@pytest.mark.parametrize(
    ("role", "status"), [("leader", 200), ("admin_user", 200), ("clerk", 403), ("inspector", 403)]
)
def test_role_mixin_admits_only_allowed_roles(client, request, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.get("/thu/lanh-dao/")

    assert response.status_code == status
    if status == 403:
        assert "Vai trò của bạn không được dùng chức năng này." in response.content.decode()


@probe_urls
def test_role_mixin_tells_an_account_without_role_why(client, no_role_user):
    client.force_login(no_role_user)
    response = client.get("/thu/lanh-dao/")
    assert response.status_code == 403
    assert "chưa được gán vai trò cán bộ" in response.content.decode()


@probe_urls
def test_is_staff_member_refuses_anonymous_and_accounts_without_role(api_client, no_role_user, clerk):
    assert api_client.get("/thu/api/can-bo/").status_code == 401

    api_client.force_authenticate(no_role_user)
    response = api_client.get("/thu/api/can-bo/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "chưa được gán vai trò cán bộ" in response.json()["detail"]

    api_client.force_authenticate(clerk)
    assert api_client.get("/thu/api/can-bo/").status_code == 200


@probe_urls
@pytest.mark.parametrize(
    ("role", "read", "write"),
    [("clerk", 200, 200), ("leader", 200, 200), ("admin_user", 200, 200), ("inspector", 200, 403)],
)
def test_can_change_dossiers_lets_inspectors_only_read(api_client, request, role, read, write):
    api_client.force_authenticate(request.getfixturevalue(role))
    assert api_client.get("/thu/api/ho-so/").status_code == read
    response = api_client.post("/thu/api/ho-so/", {}, format="json")
    assert response.status_code == write
    if write == 403:
        assert response.json()["detail"] == "Vai trò của bạn chỉ được xem, không được thay đổi hồ sơ."


@probe_urls
def test_can_change_dossiers_refuses_an_account_without_role(api_client, no_role_user):
    api_client.force_authenticate(no_role_user)
    response = api_client.get("/thu/api/ho-so/")
    assert response.status_code == 403
    assert "chưa được gán vai trò cán bộ" in response.json()["detail"]
