"""Issue 4's "Done when" walk: a working-group member opens the province dashboard, sees the seed
article's July 2025 figures, sorts the ranking, drills into a commune and downloads form II.06a.

Data: the real Phú Thọ units, calendar and procedure catalogue, and the demo generator's dossiers
for the article's three communes only (only they get a service centre), planned as of the
morning of the visit (29/7/2025); then the daily figures are recomputed as the beat job would.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from communes.calendar_store import get_working_calendar, seed_from_holidays_package
from communes.models import Commune, ServiceCentre
from communes.staff import save_staff
from communes.unit_loading import load_units
from dossiers.catalogue import load_procedures
from dossiers.demo_data import seed_demo_dossiers
from dossiers.figures import recompute
from dossiers.models import WalkInVisits

from .conftest import log_in

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "mat-khau-e2e-2025"
INSPECTOR = "to10.thanhvien"
SEED_COMMUNES = ("05293", "05305", "05323")  # Thượng Cốc, Yên Phú, Quyết Thắng
VISIT_MORNING = dt.datetime(2025, 7, 29, 7, 30, tzinfo=VN)


@pytest.fixture
def july_2025(transactional_db):
    load_units()
    seed_from_holidays_package(range(2025, 2028))
    load_procedures()
    units = list(Commune.objects.current().filter(code__in=SEED_COMMUNES))
    for unit in units:
        ServiceCentre.objects.create(
            commune=unit,
            name=f"Trung tâm Phục vụ hành chính công xã {unit.name}",
            agency_code=f"H25.{unit.code}",
        )
    assert seed_demo_dossiers("25", now=VISIT_MORNING) > 1300
    # "Trên 3.000 lượt người dân đến giao dịch" at Quyết Thắng: 160 a working day, 1–28/7.
    calendar, quyet_thang = get_working_calendar(), next(u for u in units if u.code == "05323")
    WalkInVisits.objects.bulk_create(
        WalkInVisits(commune=quyet_thang, date=day, count=160)
        for day in (dt.date(2025, 7, d) for d in range(1, 29))
        if calendar.is_working_day(day)
    )
    recompute([u.pk for u in units], dt.date(2025, 6, 30), dt.date(2025, 7, 31))
    save_staff(INSPECTOR, "inspector", province_code="25", password=PASSWORD, full_name="Đinh Văn Hùng")


def ranking_row(page, name):
    return page.locator("#xep-hang tbody tr").filter(has=page.get_by_role("link", name=name, exact=True))


def test_working_group_reviews_july_2025(page, july_2025):
    log_in(page, INSPECTOR, PASSWORD)
    page.get_by_role("link", name="Bảng điều khiển").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tình hình giải quyết hồ sơ – Tỉnh Phú Thọ")

    # Tùy chọn: 01/07/2025–28/07/2025, the article's window for Thượng Cốc and Quyết Thắng.
    page.get_by_label("Từ ngày").fill("2025-07-01")
    page.get_by_label("Đến ngày").fill("2025-07-28")
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.locator(".period-shown")).to_have_text("Số liệu từ ngày 01/07/2025 đến ngày 28/07/2025")

    thuong_coc = ranking_row(page, "Xã Thượng Cốc")
    expect(thuong_coc.locator("td").nth(1)).to_have_text("390")  # received
    expect(thuong_coc.locator("td").nth(2)).to_have_text("229")  # online
    expect(thuong_coc.locator("td").nth(3)).to_contain_text("58,72%")
    quyet_thang = ranking_row(page, "Xã Quyết Thắng")
    expect(quyet_thang.locator("td").nth(1)).to_have_text("350")
    expect(quyet_thang.locator("td").nth(4)).to_have_text("350")  # resolved
    expect(quyet_thang.locator("td").nth(5)).to_contain_text("100,00%")
    expect(quyet_thang.locator("td").nth(7)).to_have_text("0")  # none overdue
    expect(quyet_thang.locator("td").nth(8)).to_have_text("3.200")  # visits
    expect(thuong_coc.locator("td").nth(7)).to_have_text("0")

    # Charts are drawn by Plotly from the embedded JSON, and one can be saved as a PNG.
    expect(page.locator("#chart-receipts")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#chart-receipts .modebar")).to_have_count(1)
    with page.expect_download() as image:
        page.locator('.chart-save[data-chart="chart-receipts"]').click()
    assert image.value.suggested_filename == "receipts-25-20250701-20250728.png"

    # Sort by received, largest first: Yên Phú (603 by the 27th) leads.
    page.locator("th[data-column=received_total] a").click()
    expect(page).to_have_url(re.compile(r"sap_xep=-received_total"))
    expect(page.locator("th[data-column=received_total]")).to_have_attribute("aria-sort", "descending")
    codes = page.locator("#xep-hang tbody tr").evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert codes[:3] == ["05305", "05293", "05323"]

    # Form II.06a for the same province and period.
    with page.expect_download() as form:
        page.get_by_role("link", name="Tải mẫu II.06a (Excel)").click()
    assert form.value.suggested_filename.endswith(".xlsx")

    # Drill into Thượng Cốc: its dashboard, same period.
    ranking_row(page, "Xã Thượng Cốc").get_by_role("link", name="Xã Thượng Cốc").click()
    expect(page).to_have_url(
        re.compile(r"/bang-dieu-khien/xa/05293/\?date_from=2025-07-01&date_to=2025-07-28$")
    )

    # Yên Phú's window is 1–27/7: 603 received, 239 online and 364 direct.
    page.goto("/bang-dieu-khien/tinh/?date_from=2025-07-01&date_to=2025-07-27")
    yen_phu = ranking_row(page, "Xã Yên Phú")
    expect(yen_phu.locator("td").nth(1)).to_have_text("603")
    expect(yen_phu.locator("td").nth(2)).to_have_text("239")
