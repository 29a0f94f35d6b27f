"""A clerk takes a dossier from intake to returned result in the browser, printing each slip."""

import re

import pytest
from playwright.sync_api import expect

from communes.calendar_store import seed_from_holidays_package
from communes.models import Commune, ServiceCentre
from communes.staff import save_staff
from communes.unit_loading import load_units
from dossiers.models import Dossier, Procedure

from .conftest import log_in

PASSWORD = "mat-khau-e2e-2025"
CLERK = "canbo.hoso"
# Print dialogs cannot be driven headless: the stub records that the page asked to print.
STUB_PRINT = "window.print = () => { window.__printed = true; };"


@pytest.fixture
def thuong_coc(transactional_db):
    load_units()
    commune = Commune.objects.get(code="05293", valid_to__isnull=True)
    ServiceCentre.objects.create(
        commune=commune, name="Trung tâm Phục vụ hành chính công xã Thượng Cốc", agency_code="H25.05293"
    )
    seed_from_holidays_package(range(2025, 2028))
    Procedure.objects.create(
        code="9.000003", name="Thủ tục thử ba ngày", field="Hộ tịch", processing_days=3, online_level="full"
    )
    save_staff(CLERK, "clerk", commune_code="05293", password=PASSWORD, full_name="Bùi Thị Hạnh")
    return commune


def move(page, verb, to_label, note=""):
    """Open the move whose button says `verb`, type the note, confirm; check the new status."""
    box = page.locator("details.move").filter(has=page.locator("summary", has_text=re.compile(f"^{verb}$")))
    box.locator("summary").click()
    note_box = box.get_by_label("Ghi chú")
    expect(note_box).to_be_focused()  # opening a move puts the cursor in its note
    note_box.fill(note)
    with page.expect_navigation():
        box.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("status")).to_have_text(f"Đã chuyển hồ sơ sang “{to_label}”.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(to_label)


def print_slip(page, link_name, heading):
    """Open a slip from the dossier page, check it, press "In", and come back."""
    page.get_by_role("link", name=re.compile(link_name)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("main")).to_contain_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    page.get_by_role("button", name="In", exact=True).click()
    assert page.evaluate("window.__printed === true")
    page.get_by_role("link", name="Quay lại hồ sơ").click()


def test_clerk_takes_a_dossier_from_intake_to_returned_result(page, thuong_coc):
    page.add_init_script(STUB_PRINT)
    log_in(page, CLERK, PASSWORD)

    # Intake, keyboard first.
    page.goto("/ho-so/tiep-nhan/")
    procedure = page.get_by_label("Thủ tục")
    procedure.fill("9.000003")
    procedure.press("Escape")
    page.get_by_label("Kênh tiếp nhận").select_option(label="Trực tiếp")
    page.get_by_label("Họ và tên người nộp").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân").fill("001203004567")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ").fill("Xóm Đồng, xã Thượng Cốc")
    page.get_by_label("Ghi chú").fill("Nộp trực tiếp tại quầy")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()

    # The receipt slip (Mẫu 01), then the dossier page.
    expect(page).to_have_url(re.compile(r"/ho-so/[^/]+/phieu-tiep-nhan/$"))
    dossier = Dossier.objects.get()
    assert page.url.endswith(f"/ho-so/{dossier.code}/phieu-tiep-nhan/")
    expect(page.locator("main")).to_contain_text("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    page.get_by_role("button", name=re.compile(r"^In( phiếu)?$")).click()
    assert page.evaluate("window.__printed === true")
    page.evaluate("window.__printed = false")
    page.get_by_role("link", name="Xem hồ sơ").click()
    expect(page).to_have_url(re.compile(rf"/ho-so/{re.escape(dossier.code)}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.code)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Được tiếp nhận")

    move(page, "Chuyển xử lý", "Đang xử lý")
    move(page, "Yêu cầu bổ sung", "Yêu cầu bổ sung giấy tờ", note="Bản sao giấy chứng sinh")
    print_slip(page, "Mẫu 02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    expect(page.locator("main")).to_contain_text("Bản sao giấy chứng sinh")

    move(page, "Tiếp tục xử lý", "Đang xử lý", note="Công dân đã bổ sung")
    move(page, "Hoàn thành xử lý", "Đã xử lý xong")
    move(page, "Trả kết quả", "Đã trả kết quả")
    expect(page.locator("details.move")).to_have_count(0)

    page.evaluate("window.__printed = false")
    page.get_by_role("link", name=re.compile("Mẫu 06")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phiếu kiểm soát quá trình giải quyết hồ sơ")
    rows = page.locator("table.print-table tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.nth(0)).to_contain_text("Được tiếp nhận")
    expect(rows.nth(1)).to_contain_text("Được tiếp nhận → Đang xử lý")
    expect(rows.nth(2)).to_contain_text("Đang xử lý → Yêu cầu bổ sung giấy tờ")
    expect(rows.nth(2)).to_contain_text("Bản sao giấy chứng sinh")
    expect(rows.nth(3)).to_contain_text("Yêu cầu bổ sung giấy tờ → Đang xử lý")
    expect(rows.nth(4)).to_contain_text("Đang xử lý → Đã xử lý xong")
    expect(rows.nth(5)).to_contain_text("Đã xử lý xong → Đã trả kết quả")
    for i in range(6):
        expect(rows.nth(i)).to_contain_text("Bùi Thị Hạnh")
    page.get_by_role("button", name="In", exact=True).click()
    assert page.evaluate("window.__printed === true")

    dossier.refresh_from_db()
    assert dossier.status == 10
    assert list(dossier.events.values_list("to_status", flat=True)) == [2, 4, 5, 4, 9, 10]
