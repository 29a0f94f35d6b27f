"""A clerk receives a dossier with the keyboard alone: finds the procedure by typing, sees the due
date before saving, submits with Enter and lands on the printable slip with its QR code."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communes.calendar_store import seed_from_holidays_package
from communes.models import Commune, ServiceCentre
from communes.staff import save_staff
from communes.unit_loading import load_units
from dossiers.models import Dossier, Procedure
from dossiers.views.intake import due_preview

from .conftest import log_in

PASSWORD = "mat-khau-e2e-2025"


@pytest.fixture
def intake_clerk(transactional_db):
    load_units()
    save_staff("canbo.tiepnhan", "clerk", commune_code="05293", password=PASSWORD, full_name="Bùi Thị Hạnh")
    ServiceCentre.objects.create(
        commune=Commune.objects.current().get(code="05293"),
        name="Trung tâm Phục vụ hành chính công xã Thượng Cốc",
        agency_code="H25.05293",
        address="Thôn Đồng Bài, xã Thượng Cốc, tỉnh Phú Thọ",
    )
    Procedure.objects.create(
        code="1.001193", name="Đăng ký khai sinh", field="Hộ tịch", processing_days=0, online_level="partial"
    )
    Procedure.objects.create(
        code="1.000656", name="Đăng ký khai tử", field="Hộ tịch", processing_days=3, online_level="partial"
    )
    year = timezone.localdate().year
    seed_from_holidays_package(range(year - 1, year + 2))
    return "canbo.tiepnhan"


def press_tab_until(page, element_id, limit=15):
    """Tab forward until the element has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} never got the focus with Tab")


def test_clerk_receives_a_dossier_with_the_keyboard_only(page, intake_clerk):
    log_in(page, intake_clerk, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bùi Thị Hạnh")

    # From the home page to the intake form: Tab to the navigation link, Enter.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Tiếp nhận hồ sơ":
            break
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ho-so/tiep-nhan/$"))

    # The procedure box has the focus; a name typed without diacritics finds the procedure.
    procedure = page.get_by_label("Thủ tục")
    expect(procedure).to_be_focused()
    page.keyboard.type("khai sinh")
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(listbox.get_by_role("option")).to_contain_text("1.001193 – Đăng ký khai sinh")

    # Selected by its code: arrow down to the suggestion, Enter picks it.
    page.keyboard.press("Control+A")
    page.keyboard.type("1.001193")
    expect(listbox.get_by_role("option")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    expect(procedure).to_have_attribute("aria-activedescendant", "procedure-option-0")
    page.keyboard.press("Enter")
    expect(procedure).to_have_value("1.001193 – Đăng ký khai sinh")
    expect(listbox).to_be_hidden()

    # The due date shows before anything is saved.
    expected = due_preview(Procedure.objects.get(code="1.001193"))["text"]
    expect(page.locator("#due-preview")).to_have_text(expected)
    assert not Dossier.objects.exists()

    # Natural tab order through the rest of the form.
    page.keyboard.press("Tab")
    expect(page.get_by_label("Kênh tiếp nhận")).to_be_focused()
    expect(page.get_by_label("Kênh tiếp nhận")).to_have_value("direct")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Họ và tên người nộp")).to_be_focused()
    page.keyboard.type("Nguyễn Văn An")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Số định danh cá nhân")).to_be_focused()
    page.keyboard.type("001203004567")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Số điện thoại")).to_be_focused()
    page.keyboard.type("0912345678")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Địa chỉ")).to_be_focused()
    page.keyboard.type("Xóm Đồng, xã Thượng Cốc")
    press_tab_until(page, "id_note")  # past the optional receipt time, left empty: now
    page.keyboard.type("Bản chính giấy chứng sinh")
    page.keyboard.press("Enter")

    # The receipt slip.
    expect(page).to_have_url(re.compile(r"/ho-so/H25\.05293-\d{6}-0001/phieu-tiep-nhan/$"))
    dossier = Dossier.objects.get()
    assert dossier.commune.code == "05293"
    assert dossier.procedure.code == "1.001193"
    slip = page.locator("article.receipt-slip")
    expect(slip).to_contain_text(f"Mã hồ sơ: {dossier.code}")
    expect(slip).to_contain_text("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    expect(slip).to_contain_text("Bùi Thị Hạnh")
    expect(slip.locator("svg.qr-code")).to_be_visible()
    expect(page.get_by_role("button", name="In phiếu")).to_be_visible()
