"""The dossier page: details, timeline, the moves a role may make, and refusals that change nothing."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.choices import Role
from dossiers.models import Dossier
from dossiers.services import move_dossier
from tests.factories import StaffProfileFactory, UserFactory
from tests.scoping import FORBIDDEN, NOT_FOUND, Endpoint, RoleWalk

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2025, 9, 12, 9, 0, tzinfo=VN)  # Friday

pytestmark = pytest.mark.usefixtures("vn_calendar")


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def dossier(receive, clerk):
    """Received Monday 8/9 08:00 (due Thursday 11/9 17:00), moved to processing at 09:00."""
    d = receive(at=dt.datetime(2025, 9, 8, 8, 0, tzinfo=VN))
    return move_dossier(
        d, 4, actor=clerk, at=dt.datetime(2025, 9, 8, 9, 0, tzinfo=VN), note="Chuyển cán bộ tư pháp"
    )


@pytest.fixture
def neighbour_clerk(neighbour_commune):
    return StaffProfileFactory(
        user=UserFactory(username="canbo.yenphu"), role=Role.CLERK, commune=neighbour_commune
    ).user


def _client(client, user):
    client.force_login(user)
    return client


def _page(client, dossier):
    return client.get(reverse("dossier-detail", args=[dossier.code]))


def _move_buttons(html: str) -> list[str]:
    return re.findall(r'<summary class="btn">([^<]+)</summary>', html)


def _post_move(client, dossier, **data):
    payload = {"to_status": 4, "note": "", "at": "", "version": dossier.version, **data}
    return client.post(reverse("dossier-move", args=[dossier.code]), payload)


def _fresh(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def test_page_shows_details_timeline_and_only_allowed_moves(client, clerk, dossier):
    clerk.first_name = "Bùi Thị Hạnh"
    clerk.save()
    response = _page(_client(client, clerk), dossier)
    assert response.status_code == 200
    html = response.content.decode()
    assert dossier.code in html
    assert "9.000003 – Thủ tục thử ba ngày" in html
    assert "Đang xử lý" in html
    assert "11/09/2025 17:00" in html  # due date
    # Timeline: both events, from -> to, who, the note, the due date after each step.
    assert html.count('class="timeline-step"') == 2
    assert "Được tiếp nhận → <strong>Đang xử lý</strong>" in html
    assert "Bùi Thị Hạnh" in html
    assert "Chuyển cán bộ tư pháp" in html
    assert "08/09/2025 09:00" in html
    # Recorded on 12/9 for moments on 8/9: marked as back-dated.
    assert "badge backdated" in html
    # Status 4 allows 5, 6, 7, 8, 9 and nothing else.
    assert _move_buttons(html) == [
        "Yêu cầu bổ sung",
        "Yêu cầu nộp phí, thuế",
        "Rút hồ sơ",
        "Dừng xử lý",
        "Hoàn thành xử lý",
    ]
    assert f'name="version" value="{dossier.version}"' in html
    assert "Sửa thông tin người nộp" in html


def test_overdue_dossier_is_flagged_with_its_working_days(client, clerk, dossier):
    html = _page(_client(client, clerk), dossier).content.decode()
    # Due Thursday 11/9 17:00; on Friday 12/9 it is one working day late.
    assert 'class="overdue"' in html
    assert "Quá hạn 1 ngày làm việc" in html
    assert "Mẫu 04" in html


def test_a_dossier_in_time_offers_no_apology_letter(client, clerk, receive):
    d = receive(at=dt.datetime(2025, 9, 12, 8, 57, tzinfo=VN))  # 3 minutes ago: not back-dated
    html = _page(_client(client, clerk), d).content.decode()
    assert "Quá hạn" not in html
    assert "Mẫu 04" not in html
    assert "Mẫu 02" not in html
    assert "Mẫu 06" in html
    assert reverse("dossier-receipt", args=[d.code]) in html
    # Status 2: processing, withdrawal or same-day resolution; a fresh receipt is not back-dated.
    assert _move_buttons(html) == ["Chuyển xử lý", "Rút hồ sơ", "Hoàn thành xử lý"]
    assert "badge backdated" not in html


def test_clerk_sees_the_applicants_details_in_full(client, clerk, dossier):
    html = _page(_client(client, clerk), dossier).content.decode()
    assert "001203004567" in html
    assert "0912345678" in html
    assert "Xóm Đồng, xã Thượng Cốc, tỉnh Phú Thọ" in html


def test_inspector_reads_masked_data_and_has_no_buttons(client, inspector, dossier):
    response = _page(_client(client, inspector), dossier)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nguyễn Văn An" in html
    assert "********4567" in html
    assert "001203004567" not in html
    assert "0912345678" not in html
    assert "******5678" in html
    assert "Xóm Đồng" not in html
    assert _move_buttons(html) == []
    assert reverse("dossier-move", args=[dossier.code]) not in html
    assert "Sửa thông tin người nộp" not in html


def test_inspector_cannot_move_or_edit(client, inspector, dossier):
    _client(client, inspector)
    assert _post_move(client, dossier, to_status=9).status_code == 403
    edit = client.post(
        reverse("dossier-edit", args=[dossier.code]),
        {"applicant_name": "X", "applicant_id_number": "001203004567", "version": dossier.version},
    )
    assert edit.status_code == 403
    assert _fresh(dossier).status == 4
    assert _fresh(dossier).version == dossier.version


def test_admin_sees_masks_but_may_move(client, admin_user, dossier):
    html = _page(_client(client, admin_user), dossier).content.decode()
    assert "001203004567" not in html
    assert "Hoàn thành xử lý" in _move_buttons(html)
    assert "Sửa thông tin người nộp" not in html


@pytest.mark.parametrize(
    "url_name,args",
    [
        ("dossier-detail", []),
        ("dossier-move", []),
        ("dossier-edit", []),
        ("dossier-print", ["02"]),
        ("dossier-print", ["04"]),
        ("dossier-print", ["06"]),
    ],
)
def test_out_of_scope_clerk_gets_404_everywhere(client, neighbour_clerk, dossier, url_name, args):
    move_dossier(dossier, 5, at=dt.datetime(2025, 9, 9, 9, 0, tzinfo=VN), note="Bổ sung giấy tờ")
    url = reverse(url_name, args=[dossier.code, *args])
    _client(client, neighbour_clerk)
    response = (
        client.post(url, {"to_status": 9, "version": 3})
        if url_name in ("dossier-move", "dossier-edit")
        else client.get(url)
    )
    assert response.status_code == 404
    assert _fresh(dossier).status == 5


def test_anonymous_is_sent_to_log_in(client, dossier):
    response = _page(client, dossier)
    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"]


def test_unknown_dossier_is_404(client, clerk, db):
    assert client.get(reverse("dossier-detail", args=["H25.05293-250101-9999"])).status_code == 302
    _client(client, clerk)
    assert client.get(reverse("dossier-detail", args=["H25.05293-250101-9999"])).status_code == 404


def test_move_with_a_back_dated_time(client, clerk, dossier):
    _client(client, clerk)
    response = _post_move(client, dossier, to_status=9, at="2025-09-10T15:30", note="Đã ký kết quả")
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier-detail", args=[dossier.code])
    moved = _fresh(dossier)
    assert moved.status == 9
    assert moved.version == dossier.version + 1
    assert moved.finished_at == dt.datetime(2025, 9, 10, 15, 30, tzinfo=VN)
    assert moved.timeliness == "early"
    event = moved.events.order_by("-seq").first()
    assert (event.to_status, event.at, event.actor, event.note) == (
        9,
        dt.datetime(2025, 9, 10, 15, 30, tzinfo=VN),
        clerk,
        "Đã ký kết quả",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Đã chuyển hồ sơ sang “Đã xử lý xong”." in page
    assert "10/09/2025 15:30" in page
    assert _move_buttons(page) == ["Trả kết quả"]


def test_move_without_a_time_happens_now(client, clerk, dossier):
    _client(client, clerk)
    assert _post_move(client, dossier, to_status=5, note="Bản sao giấy chứng sinh").status_code == 302
    moved = _fresh(dossier)
    assert moved.status == 5
    assert moved.paused_at == NOW
    assert "Tạm dừng từ" in _page(client, moved).content.decode()


def test_future_time_is_refused_and_nothing_saved(client, clerk, dossier):
    _client(client, clerk)
    events_before = dossier.events.count()
    response = _post_move(client, dossier, to_status=9, at="2025-09-13T10:00", note="Ghi trước")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'data-code="invalid-time"' in html
    assert "ở tương lai" in html
    # The form stays open with what the clerk typed.
    assert re.search(r'<details class="move" id="move-9" data-to="9" open>', html)
    assert "Ghi trước" in html
    unchanged = _fresh(dossier)
    assert (unchanged.status, unchanged.version) == (4, dossier.version)
    assert unchanged.events.count() == events_before


def test_time_before_the_previous_step_is_refused(client, clerk, dossier):
    _client(client, clerk)
    response = _post_move(client, dossier, to_status=9, at="2025-09-08T08:30")
    assert response.status_code == 400
    assert "trước bước xử lý liền trước" in response.content.decode()
    assert _fresh(dossier).status == 4


def test_stale_version_is_refused_with_409_and_nothing_overwritten(client, clerk, leader, dossier):
    loaded_version = dossier.version
    # Another clerk (the leader here) saves first.
    move_dossier(dossier, 5, actor=leader, note="Thiếu giấy chứng sinh", expected_version=loaded_version)
    _client(client, clerk)
    response = _post_move(client, dossier, to_status=9, note="Xong", version=loaded_version)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'data-code="stale-version"' in html
    assert "người khác đã lưu hồ sơ này trước bạn" in html
    assert "tải lại trang" in html.lower()
    assert '<q class="unsaved-note">Xong</q>' in html
    # The page shows the dossier as it is now: the leader's move, offered from the new version.
    assert "Thiếu giấy chứng sinh" in html
    assert f'name="version" value="{loaded_version + 1}"' in html
    assert f'name="version" value="{loaded_version}"' not in html
    current = _fresh(dossier)
    assert (current.status, current.version) == (5, loaded_version + 1)
    assert list(current.events.values_list("to_status", flat=True)) == [2, 4, 5]


def test_illegal_move_is_409(client, clerk, dossier):
    _client(client, clerk)
    response = _post_move(client, dossier, to_status=10)
    assert response.status_code == 409
    assert 'data-code="illegal-transition"' in response.content.decode()
    assert _fresh(dossier).status == 4


def test_malformed_post_is_400(client, clerk, dossier):
    _client(client, clerk)
    response = client.post(reverse("dossier-move", args=[dossier.code]), {"to_status": "99", "note": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    # Neither field belongs to an offered move, so the alert itself says what was wrong.
    assert "<li>Bước xử lý không hợp lệ.</li>" in html
    assert "<li>Thiếu phiên bản hồ sơ: vui lòng tải lại trang rồi thao tác lại.</li>" in html
    assert _fresh(dossier).version == dossier.version


def test_move_view_accepts_only_post(client, clerk, dossier):
    _client(client, clerk)
    assert client.get(reverse("dossier-move", args=[dossier.code])).status_code == 405


def test_leader_corrects_the_applicant(client, leader, dossier):
    _client(client, leader)
    response = client.post(
        reverse("dossier-edit", args=[dossier.code]),
        {
            "applicant_name": "Nguyễn  Văn   Bình",
            "applicant_id_number": "001203004568",
            "applicant_phone": "0912345679",
            "applicant_address": "Xóm Mới, xã Thượng Cốc",
            "version": dossier.version,
        },
    )
    assert response.status_code == 302
    fixed = _fresh(dossier)
    assert (fixed.applicant_name, fixed.applicant_id_number, fixed.version) == (
        "Nguyễn Văn Bình",
        "001203004568",
        dossier.version + 1,
    )
    assert fixed.status == 4
    assert "Đã cập nhật thông tin người nộp hồ sơ." in client.get(response["Location"]).content.decode()


def test_applicant_correction_validates_and_refuses_stale_saves(client, clerk, leader, dossier):
    _client(client, clerk)
    url = reverse("dossier-edit", args=[dossier.code])
    base = {
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "12345",
        "applicant_phone": "",
        "applicant_address": "",
        "version": dossier.version,
    }
    bad = client.post(url, base)
    assert bad.status_code == 400
    assert "Số định danh cá nhân gồm đúng 12 chữ số." in bad.content.decode()
    move_dossier(dossier, 5, actor=leader)
    stale = client.post(url, {**base, "applicant_id_number": "001203009999"})
    assert stale.status_code == 409
    assert "người khác đã lưu hồ sơ này trước bạn" in stale.content.decode()
    assert _fresh(dossier).applicant_id_number == "001203004567"


def _dossier_with_events(receive, clerk, count):
    """A dossier with `count` events (3 or 12), each by the clerk and with a note."""
    d = receive(at=dt.datetime(2025, 9, 3, 8, 0, tzinfo=VN))
    path = [4, 5, 4, 5, 4, 5, 4, 5, 4, 9, 10] if count == 12 else [4, 9]
    start = dt.datetime(2025, 9, 3, 9, 0, tzinfo=VN)
    for i, to_status in enumerate(path):
        d = move_dossier(
            d, to_status, actor=clerk, at=start + dt.timedelta(hours=2 * i), note=f"Bước {i + 2}"
        )
    assert d.events.count() == count
    return d


def test_page_query_count_does_not_grow_with_the_events(client, clerk, receive):
    short = _dossier_with_events(receive, clerk, 3)
    long = _dossier_with_events(receive, clerk, 12)
    _client(client, clerk)
    _page(client, short)  # warm the calendar cache, as a running server has it
    counts = []
    for d in (short, long):
        with CaptureQueriesContext(connection) as queries:
            response = _page(client, d)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 10, counts
    assert response.content.decode().count('class="timeline-step"') == 12


WALKED = "H25.05293-250903-0001"


@pytest.fixture
def walked_dossier(receive, clerk):
    """Received 3/9, paused 4/9 to 5/9, due 9/9: late on 12/9, with every slip printable."""
    d = receive(at=dt.datetime(2025, 9, 3, 8, 0, tzinfo=VN))
    d = move_dossier(d, 4, actor=clerk, at=dt.datetime(2025, 9, 3, 9, 0, tzinfo=VN))
    d = move_dossier(d, 5, actor=clerk, at=dt.datetime(2025, 9, 4, 9, 0, tzinfo=VN), note="Giấy chứng sinh")
    d = move_dossier(d, 4, actor=clerk, at=dt.datetime(2025, 9, 5, 9, 0, tzinfo=VN))
    assert d.code == WALKED
    return d


class TestDossierPageWalk(RoleWalk):
    """The page and its slips, as every role: inspectors of the province read, no role is refused."""

    fixtures = ("walked_dossier",)
    endpoints = [
        Endpoint(f"/ho-so/{WALKED}/", no_role=FORBIDDEN),
        Endpoint(f"/ho-so/{WALKED}/in/mau-02/", no_role=FORBIDDEN),
        Endpoint(f"/ho-so/{WALKED}/in/mau-04/", no_role=FORBIDDEN),
        Endpoint(f"/ho-so/{WALKED}/in/mau-06/", no_role=FORBIDDEN),
        Endpoint(
            f"/ho-so/{WALKED}/in/mau-03/",
            clerk=NOT_FOUND,
            leader=NOT_FOUND,
            inspector=NOT_FOUND,
            admin=NOT_FOUND,
        ),
        Endpoint(
            "/ho-so/H25.05293-250903-0002/",
            clerk=NOT_FOUND,
            leader=NOT_FOUND,
            inspector=NOT_FOUND,
            admin=NOT_FOUND,
        ),
    ]
