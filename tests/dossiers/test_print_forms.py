"""The printed slips: Mẫu 02 (supplement request), 04 (apology, late dossiers only), 06 (process control)."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from dossiers.services import move_dossier

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2025, 9, 12, 9, 0, tzinfo=VN)  # Friday

pytestmark = pytest.mark.usefixtures("vn_calendar")


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def signed_in(client, clerk):
    clerk.first_name = "Bùi Thị Hạnh"
    clerk.save()
    client.force_login(clerk)
    return client


def _print(client, dossier, form):
    return client.get(reverse("dossier-print", args=[dossier.code, form]))


def _text(response) -> str:
    """The page's text with tags dropped and spaces collapsed, as a reader sees it."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _assert_national_header(text):
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN XÃ THƯỢNG CỐC" in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ THƯỢNG CỐC" in text


@pytest.fixture
def on_time(receive, clerk):
    """Received this morning, due Wednesday 17/9: nothing late about it."""
    d = receive(at=dt.datetime(2025, 9, 12, 7, 30, tzinfo=VN))
    return move_dossier(d, 4, actor=clerk, at=dt.datetime(2025, 9, 12, 8, 0, tzinfo=VN))


@pytest.fixture
def supplemented(receive, clerk):
    """Asked for two documents on 9/9, supplemented on 11/9, resolved (early) this morning."""
    d = receive(at=dt.datetime(2025, 9, 8, 8, 0, tzinfo=VN))
    d = move_dossier(d, 4, actor=clerk, at=dt.datetime(2025, 9, 8, 9, 0, tzinfo=VN))
    d = move_dossier(
        d,
        5,
        actor=clerk,
        at=dt.datetime(2025, 9, 9, 10, 0, tzinfo=VN),
        note="1. Bản sao giấy chứng sinh\n2. Giấy xác nhận thông tin cư trú",
    )
    d = move_dossier(d, 4, actor=clerk, at=dt.datetime(2025, 9, 11, 8, 0, tzinfo=VN), note="Đã nhận đủ")
    return move_dossier(d, 9, actor=clerk, at=dt.datetime(2025, 9, 12, 8, 30, tzinfo=VN))


@pytest.fixture
def overdue(receive, clerk):
    """Received Monday 8/9, due Thursday 11/9 17:00, still being processed on Friday 12/9."""
    d = receive(at=dt.datetime(2025, 9, 8, 8, 0, tzinfo=VN))
    return move_dossier(
        d, 4, actor=clerk, at=dt.datetime(2025, 9, 8, 9, 0, tzinfo=VN), note="Chờ ý kiến của Sở Tư pháp"
    )


def test_print_06_lists_every_step(signed_in, supplemented):
    response = _print(signed_in, supplemented, "06")
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(response)
    _assert_national_header(text)
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in text
    assert "Thượng Cốc, ngày 12 tháng 09 năm 2025" in text
    assert supplemented.code in text
    rows = re.findall(r'<tr data-seq="(\d+)">', html)
    assert rows == ["1", "2", "3", "4", "5"]
    assert "Đang xử lý → Yêu cầu bổ sung giấy tờ" in text
    assert "Yêu cầu bổ sung giấy tờ → Đang xử lý" in text
    assert "09/09/2025 10:00" in text
    assert "Bùi Thị Hạnh" in text
    assert "Đã nhận đủ" in text
    # Resolved on 12/9, due 11/9 + 2 paused working days (10, 11/9) = 15/9: early.
    assert "Kết quả giải quyết hồ sơ: Trước hạn" in text
    assert 'class="btn" id="print-button"' in html
    assert "no-print" in html


def test_print_02_lists_the_documents_of_the_latest_request(signed_in, supplemented):
    response = _print(signed_in, supplemented, "02")
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(response)
    _assert_national_header(text)
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in text
    assert "Hồ sơ của: Nguyễn Văn An" in text
    assert re.findall(r"<li>([^<]+)</li>", html) == [
        "Bản sao giấy chứng sinh",
        "Giấy xác nhận thông tin cư trú",
    ]
    # Dated the day the supplement was requested, signed by whoever asked.
    assert "Thượng Cốc, ngày 09 tháng 09 năm 2025" in text
    assert "NGƯỜI HƯỚNG DẪN" in text
    assert "Bùi Thị Hạnh" in text
    assert "0912345678" in text  # the clerk prints it for the citizen: full details


def test_print_02_needs_a_supplement_request(signed_in, on_time):
    assert _print(signed_in, on_time, "02").status_code == 404


def test_print_04_is_404_for_a_dossier_in_time(signed_in, on_time, supplemented):
    assert _print(signed_in, on_time, "04").status_code == 404
    assert _print(signed_in, supplemented, "04").status_code == 404  # resolved early


def test_print_04_apologises_with_a_new_appointment(signed_in, overdue):
    response = _print(signed_in, overdue, "04")
    assert response.status_code == 200
    text = _text(response)
    _assert_national_header(text)
    assert "Phiếu xin lỗi và hẹn lại ngày trả kết quả" in text
    assert "Kính gửi: Ông/Bà Nguyễn Văn An" in text
    assert "Ngày 08 tháng 09 năm 2025" in text
    assert "ngày 11 tháng 09 năm 2025" in text  # the broken appointment
    assert "Lý do: Chờ ý kiến của Sở Tư pháp" in text
    # Two working days after Friday 12/9: Tuesday 16/9, at closing time.
    assert "17:00 ngày 16 tháng 09 năm 2025" in text
    assert "Thượng Cốc, ngày 12 tháng 09 năm 2025" in text


def test_print_04_for_a_dossier_resolved_late(signed_in, receive, clerk):
    d = receive(at=dt.datetime(2025, 9, 3, 8, 0, tzinfo=VN))  # due 8/9
    d = move_dossier(d, 4, actor=clerk, at=dt.datetime(2025, 9, 3, 9, 0, tzinfo=VN))
    d = move_dossier(d, 9, actor=clerk, at=dt.datetime(2025, 9, 10, 9, 0, tzinfo=VN), note="Trễ do mất điện")
    assert d.timeliness == "late"
    response = _print(signed_in, d, "04")
    assert response.status_code == 200
    assert "Lý do: Trễ do mất điện" in _text(response)
    # The process control slip marks the resolving step late.
    assert "Quá hạn" in _text(_print(signed_in, d, "06"))


def test_unknown_form_is_404(signed_in, on_time):
    for form in ("01", "03", "05", "07", "6", "abc"):
        assert _print(signed_in, on_time, form).status_code == 404


def test_inspector_prints_with_masked_details(client, inspector, supplemented):
    client.force_login(inspector)
    response = _print(client, supplemented, "02")
    assert response.status_code == 200
    text = _text(response)
    assert "0912345678" not in text
    assert "******5678" in text


def test_slips_are_printed_in_vietnamese_whatever_the_screen_language(signed_in, supplemented):
    signed_in.cookies["django_language"] = "en"
    text = _text(_print(signed_in, supplemented, "06"))
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in text
    assert "Người thực hiện" in text


def test_page_links_to_the_slips_that_apply(signed_in, supplemented, overdue):
    supplemented_page = signed_in.get(reverse("dossier-detail", args=[supplemented.code])).content.decode()
    assert reverse("dossier-print", args=[supplemented.code, "02"]) in supplemented_page
    assert reverse("dossier-print", args=[supplemented.code, "04"]) not in supplemented_page
    assert reverse("dossier-print", args=[supplemented.code, "06"]) in supplemented_page
    overdue_page = signed_in.get(reverse("dossier-detail", args=[overdue.code])).content.decode()
    assert reverse("dossier-print", args=[overdue.code, "02"]) not in overdue_page
    assert reverse("dossier-print", args=[overdue.code, "04"]) in overdue_page
