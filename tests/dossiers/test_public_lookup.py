"""The public look-up at /tra-cuu/: what a citizen sees, what nobody sees, and the rate limit."""

import datetime as dt
import re
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.utils.html import escape

from dossiers.ratelimit import RateLimit
from dossiers.services import move_dossier
from dossiers.views import lookup

URL = "/tra-cuu/"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOT_FOUND = "Không tìm thấy hồ sơ với mã này. Vui lòng kiểm tra lại mã trên giấy tiếp nhận."
TOO_MANY = "Bạn tra cứu quá nhiều lần"
# 09:00 in Hà Nội is 02:00 UTC: a multiple of 10 minutes since the epoch, so a window starts here.
WINDOW_START = dt.datetime(2025, 8, 1, 9, 0, tzinfo=VN)


def at(day, month, hour, minute=0):
    """A moment of 2025 in Hà Nội time."""
    return dt.datetime(2025, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(autouse=True)
def _fresh_counts():
    # The limiter counts in the process-wide cache: every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dossier(vn_calendar, receive):
    """Received Tuesday 29/7/2025 09:15, 3 working days: due Friday 1/8/2025."""
    return receive(at=at(29, 7, 9, 15))


def lookup_page(client, code, **extra):
    return client.get(URL, {"code": code}, **extra)


def body(response):
    return response.content.decode()


# --- What a citizen sees -----------------------------------------------------------------------


def test_found_dossier_shows_status_procedure_dates_and_masked_name(client, dossier, centre):
    assert dossier.code == "H25.05293-250729-0001"

    response = lookup_page(client, dossier.code)

    assert response.status_code == 200
    html = body(response)
    assert "H25.05293-250729-0001" in html
    assert "Đã tiếp nhận, chờ xử lý" in html
    assert "Thủ tục thử ba ngày" in html
    assert "29/07/2025 lúc 09:15" in html
    assert "Ngày hẹn trả kết quả" in html
    assert "01/08/2025" in html
    assert "N** V** A" in html
    assert centre.name in html
    assert NOT_FOUND not in html


def test_found_dossier_shows_no_personal_data(client, dossier):
    html = body(lookup_page(client, dossier.code))

    assert "N** V** A" in html
    for raw in ("Nguyễn Văn An", "Nguyễn", "001203004567", "0912345678", "Xóm Đồng", "tỉnh Phú Thọ"):
        assert raw not in html
    # Not even as the masks staff pages use.
    assert "********4567" not in html
    assert "******5678" not in html


def test_personal_columns_are_not_even_read(client, dossier, django_assert_num_queries):
    with django_assert_num_queries(1) as queries:
        lookup_page(client, dossier.code)

    sql = queries.captured_queries[0]["sql"]
    assert "applicant_name" in sql
    for column in ("applicant_id_number", "applicant_phone", "applicant_address"):
        assert column not in sql


def test_code_is_matched_after_trimming_and_upper_casing(client, dossier):
    html = body(lookup_page(client, "  h25.05293-250729-0001 \t"))

    assert "Đã tiếp nhận, chờ xử lý" in html
    assert "N** V** A" in html


def test_online_submission_not_yet_accepted(client, vn_calendar, receive):
    submitted = receive(channel="online", status=1, at=at(29, 7, 20, 5))

    html = body(lookup_page(client, submitted.code))

    assert "Mới đăng ký, chờ tiếp nhận" in html
    assert "Ngày nộp hồ sơ" in html
    assert "29/07/2025 lúc 20:05" in html
    assert "Ngày hẹn trả kết quả" not in html


def test_supplement_request_in_citizen_words(client, dossier, clerk):
    move_dossier(dossier, 4, actor=clerk, at=at(29, 7, 10))
    move_dossier(dossier, 5, actor=clerk, at=at(30, 7, 10))

    html = body(lookup_page(client, dossier.code))

    assert "Cần bổ sung giấy tờ" in html
    assert "sẽ được lùi sau thời gian tạm dừng" in html


def test_finished_and_returned_dates_when_present(client, dossier, clerk):
    move_dossier(dossier, 4, actor=clerk, at=at(29, 7, 10))
    move_dossier(dossier, 9, actor=clerk, at=at(31, 7, 14, 30))
    html = body(lookup_page(client, dossier.code))
    assert "Đã có kết quả, mời nhận kết quả" in html
    assert "Ngày có kết quả" in html
    assert "31/07/2025 lúc 14:30" in html
    assert "Ngày trả kết quả" not in html

    move_dossier(dossier, 10, actor=clerk, at=at(1, 8, 8, 45))
    html = body(lookup_page(client, dossier.code))
    assert "Đã trả kết quả" in html
    assert "Ngày trả kết quả" in html
    assert "01/08/2025 lúc 08:45" in html


def test_form_alone_without_a_code(client, db):
    response = client.get(URL)

    assert response.status_code == 200
    html = body(response)
    assert '<label for="lookup-code">Mã hồ sơ</label>' in html
    assert ">Tra cứu</button>" in html
    field = re.search(r"<input[^>]*name=\"code\"[^>]*>", html, re.S).group(0)
    for attribute in ('inputmode="text"', 'autocomplete="off"', "autofocus"):
        assert attribute in field
    assert NOT_FOUND not in html


# --- Unknown and malformed: one answer ---------------------------------------------------------


def normalized(response, typed):
    """The page with what the visitor typed (echoed in the field and the language switch's `next`)
    and the per-request CSRF tokens blanked out."""
    html = body(response)
    html = html.replace(escape(f"{URL}?{urlencode({'code': typed})}"), "{URL}")
    html = html.replace(escape(lookup.normalize(typed)), "{CODE}")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)


@pytest.mark.parametrize(
    "malformed",
    ["KHONG-PHAI-MA", "12345", "H25.05293-2507-0001", "abc' <b>", "H25.05293-250729-" + "9" * 40],
)
def test_unknown_and_malformed_codes_get_the_same_answer(
    client, dossier, malformed, django_assert_num_queries
):
    unknown = "H25.05293-250729-9999"

    with django_assert_num_queries(1):
        unknown_response = lookup_page(client, unknown)
    with django_assert_num_queries(1):
        malformed_response = lookup_page(client, malformed)

    assert unknown_response.status_code == malformed_response.status_code == 200
    assert NOT_FOUND in body(unknown_response)
    assert normalized(unknown_response, unknown) == normalized(malformed_response, malformed)


def test_not_found_page_leaks_nothing_about_other_dossiers(client, dossier):
    html = body(lookup_page(client, "H25.05293-250729-0002"))

    assert NOT_FOUND in html
    assert "N** V** A" not in html
    assert "Thủ tục thử ba ngày" not in html


# --- Headers, methods, who may look ------------------------------------------------------------


@pytest.mark.parametrize("code", [None, "H25.05293-250729-0001", "H25.05293-250729-9999", "x"])
def test_answers_are_not_cached_indexed_or_referred(client, dossier, code):
    response = client.get(URL, {"code": code} if code else {})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_only_get(client, db):
    assert client.post(URL, {"code": "H25.05293-250729-0001"}).status_code == 405


def test_works_without_signing_in(client, dossier):
    response = lookup_page(client, dossier.code)

    assert response.status_code == 200  # not a redirect to the login page
    assert "N** V** A" in body(response)


@pytest.mark.parametrize("role", ["clerk", "inspector", "admin_user"])
def test_signed_in_users_see_the_same_public_answer(client, dossier, role, request):
    client.force_login(request.getfixturevalue(role))

    response = lookup_page(client, dossier.code)

    assert response.status_code == 200
    html = body(response)
    assert "N** V** A" in html
    assert "001203004567" not in html
    assert "Nguyễn Văn An" not in html


# --- Rate limit --------------------------------------------------------------------------------


def test_the_21st_look_up_in_ten_minutes_is_refused_until_the_window_ends(client, db):
    limit = lookup.PER_CLIENT_LIMIT.requests
    with time_machine.travel(WINDOW_START, tick=False) as traveller:
        for _ in range(limit):
            assert lookup_page(client, "H25.05293-250729-9999").status_code == 200

        refused = lookup_page(client, "H25.05293-250729-9999")
        assert refused.status_code == 429
        assert refused["Retry-After"] == "600"
        html = body(refused)
        assert TOO_MANY in html
        assert "10 phút" in html
        assert NOT_FOUND not in html
        assert refused["Cache-Control"] == "no-store"
        assert "noindex" in refused["X-Robots-Tag"]
        assert refused["Referrer-Policy"] == "no-referrer"

        traveller.shift(dt.timedelta(seconds=599))
        refused = lookup_page(client, "H25.05293-250729-9999")
        assert refused.status_code == 429
        assert refused["Retry-After"] == "1"

        traveller.shift(dt.timedelta(seconds=1))
        assert lookup_page(client, "H25.05293-250729-9999").status_code == 200


def test_limit_counts_every_code_found_or_not(client, dossier):
    limit = lookup.PER_CLIENT_LIMIT.requests
    with time_machine.travel(WINDOW_START, tick=False):
        for i in range(limit):
            code = dossier.code if i % 2 else f"SAI-{i}"
            assert lookup_page(client, code).status_code == 200
        refused = lookup_page(client, dossier.code)

    assert refused.status_code == 429
    assert "N** V** A" not in body(refused)


def test_the_empty_form_is_not_counted(client, db):
    with time_machine.travel(WINDOW_START, tick=False):
        for _ in range(lookup.PER_CLIENT_LIMIT.requests + 5):
            assert client.get(URL).status_code == 200
        assert lookup_page(client, "H25.05293-250729-9999").status_code == 200


def test_each_client_address_has_its_own_count(client, db):
    limit = lookup.PER_CLIENT_LIMIT.requests
    with time_machine.travel(WINDOW_START, tick=False):
        for _ in range(limit + 1):
            lookup_page(client, "X", REMOTE_ADDR="203.0.113.7")
        assert lookup_page(client, "X", REMOTE_ADDR="203.0.113.7").status_code == 429
        assert lookup_page(client, "X", REMOTE_ADDR="198.51.100.20").status_code == 200


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client, db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    limit = lookup.PER_CLIENT_LIMIT.requests
    with time_machine.travel(WINDOW_START, tick=False):
        for i in range(limit):
            lookup_page(client, "X", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
        refused = lookup_page(client, "X", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.0.1.1")

    assert refused.status_code == 429


def test_forwarded_for_names_the_client_behind_our_proxy(client, db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    limit = lookup.PER_CLIENT_LIMIT.requests
    proxy = "10.0.0.1"
    with time_machine.travel(WINDOW_START, tick=False):
        for _ in range(limit):
            lookup_page(client, "X", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.7")
        # The last address is the one our proxy saw; what the client wrote before it is ignored.
        refused = lookup_page(client, "X", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="other, 203.0.113.7")
        other = lookup_page(client, "X", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")

    assert refused.status_code == 429
    assert other.status_code == 200


def test_overall_cap_protects_against_many_addresses(client, db, monkeypatch):
    monkeypatch.setattr(lookup, "OVERALL_LIMIT", RateLimit(requests=3, seconds=60))
    with time_machine.travel(WINDOW_START, tick=False) as traveller:
        for i in range(3):
            assert lookup_page(client, "X", REMOTE_ADDR=f"203.0.113.{i}").status_code == 200
        refused = lookup_page(client, "X", REMOTE_ADDR="203.0.113.99")
        assert refused.status_code == 429
        assert refused["Retry-After"] == "60"
        assert "Hệ thống tra cứu đang nhận quá nhiều yêu cầu" in body(refused)

        traveller.shift(dt.timedelta(seconds=60))
        assert lookup_page(client, "X", REMOTE_ADDR="203.0.113.99").status_code == 200
