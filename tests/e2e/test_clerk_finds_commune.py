"""A clerk signs in and finds their commune's page; an anonymous visitor is sent to sign in."""

import re

import pytest
from playwright.sync_api import expect

from communes.staff import save_staff
from communes.unit_loading import load_units

from .conftest import log_in

PASSWORD = "mat-khau-e2e-2025"


@pytest.fixture
def thuong_coc_clerk(transactional_db):
    load_units()
    save_staff("canbo.e2e", "clerk", commune_code="05293", password=PASSWORD, full_name="Bùi Thị Hạnh")
    return "canbo.e2e"


def test_clerk_logs_in_and_finds_their_commune(page, thuong_coc_clerk):
    log_in(page, thuong_coc_clerk, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bùi Thị Hạnh")

    page.get_by_role("navigation").get_by_role("link", name="Đơn vị hành chính").click()
    search = page.get_by_label("Tìm theo tên hoặc mã")
    search.fill("thuong coc")  # typed without diacritics, as on a keyboard with no Vietnamese input
    search.press("Enter")
    result = page.get_by_role("link", name=re.compile("Thượng Cốc"))
    expect(result.first).to_be_visible()
    result.first.click()

    expect(page).to_have_url(re.compile(r"/don-vi/05293/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thượng Cốc")
    main = page.locator("main")
    # The merger history: Văn Sơn and Miền Đồi were merged into the new Thượng Cốc.
    expect(main).to_contain_text("Văn Sơn")
    expect(main).to_contain_text("Miền Đồi")


def test_anonymous_visitor_is_sent_to_the_login_page(page, transactional_db):
    page.goto("/don-vi/05293/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/\?next=/don-vi/05293/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")


def test_wrong_password_shows_a_vietnamese_error(page, thuong_coc_clerk):
    log_in(page, thuong_coc_clerk, "sai-mat-khau")
    expect(page.get_by_role("alert")).to_contain_text("không đúng")
