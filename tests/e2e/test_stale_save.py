"""Two clerks on one dossier: the second save, made on what is now an old version, is refused."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from communes.calendar_store import seed_from_holidays_package
from communes.models import Commune, ServiceCentre
from communes.staff import save_staff
from communes.unit_loading import load_units
from dossiers.models import Dossier, Procedure
from dossiers.services import receive_dossier

from .conftest import log_in

PASSWORD = "mat-khau-e2e-2025"


@pytest.fixture
def dossier(transactional_db):
    load_units()
    commune = Commune.objects.get(code="05293", valid_to__isnull=True)
    ServiceCentre.objects.create(
        commune=commune, name="Trung tâm Phục vụ hành chính công xã Thượng Cốc", agency_code="H25.05293"
    )
    seed_from_holidays_package(range(2025, 2028))
    procedure = Procedure.objects.create(
        code="9.000003", name="Thủ tục thử ba ngày", field="Hộ tịch", processing_days=3, online_level="full"
    )
    first, _ = save_staff(
        "canbo.mot", "clerk", commune_code="05293", password=PASSWORD, full_name="Bùi Thị Hạnh"
    )
    save_staff("canbo.hai", "clerk", commune_code="05293", password=PASSWORD, full_name="Đinh Văn Hùng")
    return receive_dossier(
        commune=commune,
        procedure=procedure,
        channel="direct",
        applicant_name="Nguyễn Văn An",
        applicant_id_number="001203004567",
        actor=first,
        at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1),
    )


@pytest.fixture
def second_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1366, "height": 768}, locale="vi-VN"
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def open_move(page, verb):
    box = page.locator("details.move").filter(has=page.locator("summary", has_text=re.compile(f"^{verb}$")))
    box.locator("summary").click()
    return box


def test_second_clerks_stale_save_is_refused(page, second_page, dossier):
    url = f"/ho-so/{dossier.code}/"
    log_in(page, "canbo.mot", PASSWORD)
    log_in(second_page, "canbo.hai", PASSWORD)
    page.goto(url)
    second_page.goto(url)

    # Both have the dossier open at version 1; the second clerk starts typing a withdrawal.
    late = open_move(second_page, "Rút hồ sơ")
    late.get_by_label("Ghi chú").fill("Công dân xin rút hồ sơ")

    # The first clerk saves first.
    first = open_move(page, "Chuyển xử lý")
    first.get_by_label("Ghi chú").fill("Chuyển cán bộ tư pháp")
    with page.expect_navigation():
        first.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("status")).to_have_text("Đã chuyển hồ sơ sang “Đang xử lý”.")

    # The second clerk's save is refused and says why.
    with second_page.expect_navigation():
        late.get_by_role("button", name="Xác nhận").click()
    alert = second_page.get_by_role("alert")
    expect(alert).to_contain_text("người khác đã lưu hồ sơ này trước bạn")
    expect(alert).to_contain_text("tải lại trang")
    expect(alert.get_by_role("link", name="Tải lại trang")).to_be_visible()
    # The page now shows the dossier as the first clerk left it: one move, no withdrawal.
    expect(second_page.get_by_role("heading", level=1)).to_contain_text("Đang xử lý")
    steps = second_page.locator("ol.timeline > li")
    expect(steps).to_have_count(2)
    expect(steps.nth(1)).to_contain_text("Bùi Thị Hạnh")
    expect(steps.nth(1)).to_contain_text("Chuyển cán bộ tư pháp")
    expect(second_page.locator("ol.timeline")).not_to_contain_text("Công dân xin rút hồ sơ")
    # What the second clerk typed is shown back, not saved and not lost.
    expect(alert).to_contain_text("Công dân xin rút hồ sơ")

    current = Dossier.objects.get(pk=dossier.pk)
    assert (current.status, current.version) == (4, 2)
    assert list(current.events.values_list("to_status", flat=True)) == [2, 4]
