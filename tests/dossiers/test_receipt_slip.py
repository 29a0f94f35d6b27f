"""The printable receipt and appointment slip (Mẫu 01): its content, its QR code and its scope."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import segno
import time_machine

from communes.choices import Role
from dossiers.qr import qr_svg
from tests.factories import StaffProfileFactory, UserFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")

pytestmark = pytest.mark.usefixtures("vn_calendar")


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(dt.datetime(2025, 9, 12, 9, 0, tzinfo=VN), tick=False):
        yield


@pytest.fixture
def dossier(receive, centre, clerk):
    centre.address = "Thôn Đồng Bài, xã Thượng Cốc, tỉnh Phú Thọ"
    centre.phone = "0218 3861 234"
    centre.office_hours = "Sáng 07:00–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu"
    centre.save()
    clerk.first_name = "Bùi Thị Hạnh"  # the whole name, family name first (communes.staff)
    clerk.save()
    return receive(at=dt.datetime(2025, 8, 29, 10, 0, tzinfo=VN), note="Nhận bản chính giấy chứng sinh")


def slip_url(dossier):
    return f"/ho-so/{dossier.code}/phieu-tiep-nhan/"


def text_of(html):
    """The page's visible text, tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def qr_path(markup):
    """The modules of a QR code as drawn by segno: the path of its dark lines."""
    return re.search(r'<path class="qrline"[^>]* d="([^"]+)"', markup).group(1)


def test_the_slip_has_the_form_01_content(client, clerk, dossier):
    client.force_login(clerk)

    response = client.get(slip_url(dossier))

    assert response.status_code == 200
    text = text_of(response.content.decode())
    for expected in (
        "UBND XÃ THƯỢNG CỐC",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thượng Cốc, ngày 29 tháng 08 năm 2025",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: H25.05293-250829-0001",
        "Ông/Bà: Nguyễn Văn An",
        "Thủ tục thử ba ngày (mã thủ tục 9.000003)",
        "Hình thức nộp hồ sơ: Trực tiếp",
        "Thời gian giải quyết hồ sơ theo quy định là: 3 ngày làm việc",
        "Thời gian nhận hồ sơ: 10 giờ 00 phút, ngày 29 tháng 08 năm 2025",
        # 1–2/9 are the National Day holidays (DOMAIN.md §4).
        "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 05 tháng 09 năm 2025",
        "Thôn Đồng Bài, xã Thượng Cốc, tỉnh Phú Thọ",
        "Điện thoại liên hệ: 0218 3861 234",
        "Ghi chú: Nhận bản chính giấy chứng sinh",
        "NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên) Nguyễn Văn An",
        "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) Bùi Thị Hạnh",
        "In phiếu",
        "Tiếp nhận hồ sơ khác",
        "Xem hồ sơ",
    ):
        assert expected in text, expected
    # The receiving clerk sees the applicant's details in full.
    assert "001203004567" in text
    assert "0912345678" in text
    assert "Xóm Đồng, xã Thượng Cốc, tỉnh Phú Thọ" in text


def test_the_qr_code_is_inline_svg_of_the_public_lookup_link(client, clerk, dossier):
    client.force_login(clerk)

    html = client.get(slip_url(dossier)).content.decode()

    link = "http://testserver/tra-cuu/?code=H25.05293-250829-0001"
    assert link in html
    svg = re.search(r"<svg[^>]*class=\"qr-code\".*?</svg>", html, re.S).group(0)
    assert qr_path(svg) == qr_path(segno.make(link, error="m", micro=False).svg_inline(border=2))
    assert "<title>Mã QR tra cứu hồ sơ H25.05293-250829-0001</title>" in svg
    assert "<img" not in html.split("<main", 1)[1]  # nothing fetched from elsewhere


def test_qr_svg_is_safe_markup():
    markup = qr_svg("https://example.org/tra-cuu/?code=A-1", title="<b>&")
    assert markup.startswith("<svg")
    assert hasattr(markup, "__html__")
    assert "<title>&lt;b&gt;&amp;</title>" in markup


def test_the_slip_links_back_to_intake_and_the_dossier(client, leader, dossier):
    client.force_login(leader)

    html = client.get(slip_url(dossier)).content.decode()

    assert 'href="/ho-so/tiep-nhan/"' in html
    assert f'href="/ho-so/{dossier.code}/"' in html
    assert 'data-action="print"' in html


def test_an_inspector_prints_the_slip_with_the_personal_data_masked(client, inspector, dossier):
    client.force_login(inspector)

    response = client.get(slip_url(dossier))

    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "H25.05293-250829-0001" in text
    assert "********4567" in text
    assert "001203004567" not in text
    assert "0912345678" not in text
    assert "Xóm Đồng" not in text
    assert "Tiếp nhận hồ sơ khác" not in text


def test_a_clerk_of_another_commune_gets_404(client, dossier, neighbour_commune):
    other = StaffProfileFactory(
        user=UserFactory(username="canbo.yenphu"), role=Role.CLERK, commune=neighbour_commune
    )
    client.force_login(other.user)

    assert client.get(slip_url(dossier)).status_code == 404


def test_an_unknown_code_is_404_and_anonymous_visitors_sign_in_first(client, clerk, dossier):
    response = client.get(slip_url(dossier))
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")

    client.force_login(clerk)
    assert client.get("/ho-so/H25.05293-250829-9999/phieu-tiep-nhan/").status_code == 404


def test_a_same_day_procedure_says_so(client, clerk, receive):
    from tests.factories import ProcedureFactory

    same_day = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", processing_days=0)
    d = receive(procedure=same_day, at=dt.datetime(2025, 9, 11, 8, 15, tzinfo=VN))
    client.force_login(clerk)

    text = text_of(client.get(slip_url(d)).content.decode())

    assert "theo quy định là: 0 ngày làm việc (trả kết quả trong ngày)" in text
    assert "17 giờ 00 phút, ngày 11 tháng 09 năm 2025" in text
