"""The clerk's intake form and its JSON helpers: labels, scope, back-dating, errors, due preview, search."""

import datetime as dt
import re
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from communes.choices import Role
from dossiers import services
from dossiers.models import Dossier
from tests.factories import ProcedureFactory, StaffProfileFactory, UserFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2025, 9, 12, 9, 0, tzinfo=VN)  # Friday
URL = "/ho-so/tiep-nhan/"
LABELS = (
    "Thủ tục",
    "Kênh tiếp nhận",
    "Họ và tên người nộp",
    "Số định danh cá nhân",
    "Số điện thoại",
    "Địa chỉ",
    "Thời điểm tiếp nhận",
    "Ghi chú",
)

pytestmark = pytest.mark.usefixtures("vn_calendar")


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def form_data(**overrides):
    data = {
        "procedure": "9.000003 – Thủ tục thử ba ngày",
        "channel": "direct",
        "applicant_name": "  Nguyễn   Văn An ",
        "applicant_id_number": "001203004567",
        "applicant_phone": "0912 345 678",
        "applicant_address": "Xóm Đồng, xã Thượng Cốc, tỉnh Phú Thọ",
        "received_at": "",
        "note": "Bản chính giấy chứng sinh",
    }
    data.update(overrides)
    return data


def field_error(html, field):
    """The error list Django renders under one field (id="id_<field>_error")."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def alert(html):
    match = re.search(r'<div class="card form-errors" role="alert" id="form-errors">(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


def test_the_form_has_the_vietnamese_labels_and_the_active_procedures(client, clerk, centre, procedure):
    ProcedureFactory(code="9.000099", name="Thủ tục đã bãi bỏ", is_active=False)
    client.force_login(clerk)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    for label in LABELS:
        assert re.search(rf"<label for=\"id_\w+\"[^>]*>{label}</label>", html), label
    assert ">Tiếp nhận hồ sơ</button>" in html
    # Without JavaScript the procedure is a plain <select>, focused first.
    assert re.search(r'<select name="procedure"[^>]*autofocus', html)
    assert '<option value="9.000003">9.000003 – Thủ tục thử ba ngày</option>' in html
    assert "9.000099" not in html
    assert '<option value="direct" selected>Trực tiếp</option>' in html
    assert re.search(r'<input type="text" name="applicant_id_number"[^>]*inputmode="numeric"', html)
    assert re.search(r'<input type="datetime-local" name="received_at"[^>]*max="2025-09-12T09:00"', html)
    assert "Xã Thượng Cốc" in html
    assert 'src="/static/js/intake.js"' in html


def test_a_valid_post_receives_through_the_service_in_the_clerks_own_commune(
    client, clerk, centre, procedure, neighbour_commune
):
    client.force_login(clerk)
    smuggled = form_data(commune=neighbour_commune.pk, commune_code="05305", commune_id=neighbour_commune.pk)

    with mock.patch.object(services, "receive_dossier", wraps=services.receive_dossier) as spy:
        response = client.post(URL, smuggled)

    assert spy.call_count == 1
    assert spy.call_args.kwargs["actor"] == clerk
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier-receipt", args=[dossier.code])
    assert dossier.commune == centre.commune
    assert dossier.code == "H25.05293-250912-0001"
    assert dossier.procedure == procedure
    assert dossier.channel == "direct"
    assert dossier.status == 2
    assert dossier.applicant_name == "Nguyễn Văn An"
    assert dossier.applicant_phone == "0912345678"
    assert dossier.received_at == NOW
    assert dossier.due_at == dt.datetime(2025, 9, 17, 17, 0, tzinfo=VN)  # Fri + 3 working days = Wed
    event = dossier.events.get()
    assert (event.actor, event.note) == (clerk, "Bản chính giấy chứng sinh")


def test_a_leader_receives_too_and_the_procedure_may_be_typed_without_diacritics(client, leader, centre):
    ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", processing_days=0)
    ProcedureFactory(code="1.000656", name="Đăng ký khai tử", processing_days=0)
    client.force_login(leader)

    response = client.post(URL, form_data(procedure="dang ky KHAI SINH", channel="postal"))

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.procedure.code, dossier.channel) == ("1.001193", "postal")


def test_a_name_matching_several_procedures_is_refused_with_advice(client, clerk, centre):
    ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    ProcedureFactory(code="1.000656", name="Đăng ký khai tử")
    client.force_login(clerk)

    html = client.post(URL, form_data(procedure="dang ky khai")).content.decode()

    assert "Có nhiều thủ tục khớp với «dang ky khai»" in field_error(html, "procedure")
    assert not Dossier.objects.exists()
    # What was typed comes back, for the script to show it in the text box again.
    assert 'data-value="dang ky khai"' in html


def test_a_back_dated_paper_record_keeps_its_receipt_day(client, clerk, centre, procedure):
    client.force_login(clerk)

    response = client.post(URL, form_data(procedure="9.000003", received_at="2025-08-29T10:00"))

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.code == "H25.05293-250829-0001"
    assert dossier.received_at == dt.datetime(2025, 8, 29, 10, 0, tzinfo=VN)
    assert dossier.due_at == dt.datetime(2025, 9, 5, 17, 0, tzinfo=VN)  # 1–2/9 are holidays
    assert dossier.events.get().at == dossier.received_at


def test_a_future_time_shows_the_invalid_time_message_and_saves_nothing(client, clerk, centre, procedure):
    client.force_login(clerk)

    response = client.post(URL, form_data(received_at="2025-09-12T10:00"))

    assert response.status_code == 200
    html = response.content.decode()
    message = "Thời điểm 10:00 12/09/2025 ở tương lai: chỉ được ghi lùi ngày, không được ghi trước."
    assert message in alert(html)
    assert message in field_error(html, "received_at")
    assert re.search(r'<input type="datetime-local" name="received_at" value="2025-09-12T10:00"', html)
    assert not Dossier.objects.exists()
    # The clerk is taken to the field to fix; the typed values are kept.
    received_at = re.search(r'<input type="datetime-local" name="received_at"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in received_at
    assert "autofocus" in received_at
    assert not re.search(r'<select name="procedure"[^>]*autofocus', html)
    assert 'value="001203004567"' in html


def test_a_refusal_with_no_field_is_shown_at_the_top_and_nothing_is_saved(client, clerk, procedure):
    # No service centre: the commune has no agency code to number dossiers with.
    client.force_login(clerk)

    html = client.post(URL, form_data()).content.decode()

    assert "chưa có Trung tâm Phục vụ hành chính công" in alert(html)
    assert not Dossier.objects.exists()


def test_a_bad_id_number_gets_a_vietnamese_error_and_the_due_date_stays_visible(
    client, clerk, centre, procedure
):
    client.force_login(clerk)

    response = client.post(URL, form_data(applicant_id_number="12345678901"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Số định danh cá nhân gồm đúng 12 chữ số." in field_error(html, "applicant_id_number")
    assert 'href="#id_applicant_id_number"' in alert(html)
    assert not Dossier.objects.exists()
    # Shown by the server when the form comes back, even without JavaScript.
    assert "Hạn giải quyết: 17:00 thứ Tư, 17/09/2025" in html


def test_required_fields_have_vietnamese_messages(client, clerk, centre):
    client.force_login(clerk)

    html = client.post(URL, {"channel": "direct"}).content.decode()

    assert "Vui lòng chọn thủ tục." in field_error(html, "procedure")
    assert "Vui lòng nhập họ và tên người nộp." in field_error(html, "applicant_name")
    assert "Vui lòng nhập số định danh cá nhân (12 chữ số)." in field_error(html, "applicant_id_number")
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("role", ["inspector", "admin_user"])
def test_only_commune_staff_open_the_intake(client, request, role, procedure):
    client.force_login(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data()).status_code == 403
    assert not Dossier.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")


# --- The due date before saving ------------------------------------------------------------------


PREVIEW = "/ho-so/tiep-nhan/han-giai-quyet/"


@pytest.mark.parametrize("at", ["2025-08-29T10:00:00+07:00", "2025-08-29T10:00", "2025-08-29T03:00:00Z"])
def test_due_preview_of_the_domain_example(client, clerk, procedure, at):
    client.force_login(clerk)

    response = client.get(PREVIEW, {"procedure": "9.000003", "at": at})

    assert response.status_code == 200
    assert response.json() == {
        "procedure": "9.000003",
        "due_at": "2025-09-05T17:00:00+07:00",
        "due_date_display": "05/09/2025 17:00",
        "processing_days": 3,
        "text": "Hạn giải quyết: 17:00 thứ Sáu, 05/09/2025",
    }


def test_due_preview_defaults_to_now(client, clerk, procedure):
    client.force_login(clerk)

    body = client.get(PREVIEW, {"procedure": "9.000003 – Thủ tục thử ba ngày"}).json()

    assert body["due_date_display"] == "17/09/2025 17:00"


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"procedure": "1.999999"}, "unknown-procedure", "Không có thủ tục mã 1.999999 trong danh mục."),
        ({"procedure": ""}, "unknown-procedure", "Vui lòng chọn thủ tục."),
        ({"procedure": "9.000003", "at": "29/8/2025 mười giờ"}, "invalid-time", "không hợp lệ"),
        ({"procedure": "9.000003", "at": "2025-09-13T08:00"}, "invalid-time", "ở tương lai"),
    ],
)
def test_due_preview_refuses_with_a_message(client, clerk, procedure, params, code, message):
    client.force_login(clerk)

    response = client.get(PREVIEW, params)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert message in response.json()["message"]


# --- The procedure search ----------------------------------------------------------------------


SEARCH = "/ho-so/tiep-nhan/thu-tuc/"


def test_procedure_search_ignores_diacritics_and_skips_inactive_procedures(client, clerk):
    ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", field="Hộ tịch", processing_days=3)
    ProcedureFactory(code="1.000656", name="Đăng ký khai tử", field="Hộ tịch")
    ProcedureFactory(code="2.000908", name="Chứng thực bản sao từ bản chính", field="Chứng thực")
    ProcedureFactory(code="1.004884", name="Đăng ký khai sinh lưu động", is_active=False)
    client.force_login(clerk)

    found = client.get(SEARCH, {"q": "khai sinh"}).json()

    assert found == [
        {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "processing_days": 3}
    ]
    assert [p["code"] for p in client.get(SEARCH, {"q": "ĐĂNG KÝ"}).json()] == ["1.000656", "1.001193"]
    assert [p["code"] for p in client.get(SEARCH, {"q": "1.0011"}).json()] == ["1.001193"]
    assert [p["code"] for p in client.get(SEARCH, {"q": "chung thuc"}).json()] == ["2.000908"]


def test_procedure_search_returns_at_most_twenty(client, inspector):
    ProcedureFactory.create_batch(25, name="Thủ tục về đất đai")
    client.force_login(inspector)

    assert len(client.get(SEARCH, {"q": "dat dai"}).json()) == 20


def test_json_helpers_need_a_signed_in_user(client, procedure):
    for url in (SEARCH + "?q=thu", PREVIEW + "?procedure=9.000003"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/")


def test_a_staff_member_of_another_commune_receives_into_their_own(client, neighbour_commune, procedure):
    from tests.factories import ServiceCentreFactory

    ServiceCentreFactory(commune=neighbour_commune, agency_code="H25.05305")
    other = StaffProfileFactory(
        user=UserFactory(username="canbo.yenphu"), role=Role.CLERK, commune=neighbour_commune
    )
    client.force_login(other.user)

    client.post(URL, form_data())

    assert Dossier.objects.get().code == "H25.05305-250912-0001"
