"""Issue 5's "Done when": a working-group member records a visit in the browser and prints its report.

Data: the real Phú Thọ units, Sở Khoa học và Công nghệ, Tổ công tác số 10, and Thượng Cốc's and Yên
Phú's daily figures for July 2025 (written directly, as the beat job would have), so the visit of
29/7/2025 freezes known numbers: Thượng Cốc received 84 dossiers, 56 online (66,67%).
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from communes.models import Commune, Province
from communes.staff import save_staff
from communes.unit_loading import load_units
from dossiers.models import DailyFigures
from inspections.models import Department, Directive, Finding, Proposal, Visit
from inspections.services import create_working_group

from .conftest import log_in

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "mat-khau-e2e-2025"
INSPECTOR = "to10.ghinhan"
# Print dialogs cannot be driven headless: the stub records that the page asked to print.
STUB_PRINT = "window.print = () => { window.__printed = true; };"


@pytest.fixture
def group_10(transactional_db):
    load_units()
    province = Province.objects.get(code="25")
    science = Department.objects.create(
        province=province, name="Sở Khoa học và Công nghệ", short_name="Sở KH&CN"
    )
    create_working_group(
        None,
        province,
        10,
        "Nguyễn Văn Tổ",
        leader_title="Tỉnh uỷ viên, Phó Chủ tịch UBND tỉnh",
        members=[{"name": "Trần Văn Sở", "title": "Phó Giám đốc", "department": science}],
    )
    computed = dt.datetime(2025, 7, 29, 6, 0, tzinfo=VN)
    rows = []
    for code, online in (("05293", 2), ("05305", 5)):
        unit = Commune.objects.get(code=code, valid_to__isnull=True)
        rows += [
            DailyFigures(
                commune=unit,
                date=dt.date(2025, 7, day),
                received_online=online,
                received_direct=1,
                resolved_on_time=2,
                resolved_late=1 if day <= 7 else 0,
                pending_in_time=10,
                pending_overdue=2,
                visits=125,
                computed_at=computed,
            )
            for day in range(1, 29)
        ]
    DailyFigures.objects.bulk_create(rows)
    save_staff(INSPECTOR, "inspector", province_code="25", password=PASSWORD, full_name="Đinh Văn Hùng")


def figure(page, code, key):
    return page.locator(f'table.figures-table[data-commune="{code}"] tr[data-figure="{key}"] td')


def test_an_inspector_records_a_visit_and_prints_the_report(page, group_10):
    page.add_init_script(STUB_PRINT)
    log_in(page, INSPECTOR, PASSWORD)
    page.get_by_role("link", name="Kiểm tra", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buổi kiểm tra")
    page.get_by_role("link", name="Ghi nhận buổi kiểm tra").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ghi nhận buổi kiểm tra")

    # Group, date, communes. The list keeps the units that existed on the chosen day.
    page.get_by_label("Tổ công tác").select_option(label="Tổ công tác số 10 – Tỉnh Phú Thọ")
    page.get_by_label("Ngày kiểm tra").fill("2025-06-15")
    expect(page.get_by_label("Xã Thạch Đồng (08665)")).to_be_visible()  # old Phú Thọ, before the merger
    expect(page.get_by_label("Xã Thượng Cốc (05293)")).to_be_hidden()
    page.get_by_label("Ngày kiểm tra").fill("2025-07-29")
    expect(page.get_by_label("Xã Thạch Đồng (08665)")).to_be_hidden()
    page.get_by_placeholder("Tìm theo tên hoặc mã xã").fill("thuong coc")
    page.get_by_label("Xã Thượng Cốc (05293)").check()
    page.get_by_placeholder("Tìm theo tên hoặc mã xã").fill("05305")
    expect(page.get_by_label("Xã Thượng Cốc (05293)")).to_be_visible()  # ticked: stays in sight
    page.get_by_label("Xã Yên Phú (05305)").check()
    expect(page.locator("[data-chosen-count]")).to_have_text("2")
    page.get_by_label("Thành phần").fill("Tổ công tác số 10; lãnh đạo Đảng ủy, UBND xã")
    page.get_by_role("button", name="Lưu buổi kiểm tra và chốt số liệu").click()

    # The visit page: the figures frozen on save.
    expect(page).to_have_url(re.compile(r"/kiem-tra/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận buổi kiểm tra ngày 29/07/2025")
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo kết quả kiểm tra")
    expect(figure(page, "05293", "received_total")).to_have_text("84")
    expect(figure(page, "05293", "received_online")).to_have_text("56")
    expect(figure(page, "05293", "online_rate")).to_have_text("66,67%")
    expect(figure(page, "05293", "on_time_rate")).to_have_text("88,89%")
    expect(figure(page, "05293", "visits")).to_have_text("3.500")
    expect(figure(page, "05305", "received_total")).to_have_text("168")
    visit = Visit.objects.get()
    thuong_coc = page.locator('section[data-commune="05293"]')
    expect(thuong_coc.locator(".figures-period")).to_contain_text(
        "Số liệu từ ngày 01/07/2025 đến ngày 28/07/2025"
    )

    # A finding at Thượng Cốc.
    thuong_coc.get_by_text("Thêm khó khăn, vướng mắc", exact=True).click()
    thuong_coc.get_by_label("Nhóm").select_option(label="Hệ thống thông tin, cổng dịch vụ công")
    thuong_coc.get_by_label("Khó khăn, vướng mắc", exact=True).fill(
        "Cổng dịch vụ công quá tải, không đăng nhập được."
    )
    thuong_coc.get_by_role("button", name="Lưu khó khăn, vướng mắc").click()
    expect(page.get_by_role("status")).to_have_text("Đã ghi nhận khó khăn, vướng mắc tại Xã Thượng Cốc.")
    expect(thuong_coc.locator('h4[data-category="it_systems"]')).to_have_text(
        "Hệ thống thông tin, cổng dịch vụ công"
    )
    expect(thuong_coc).to_contain_text("Cổng dịch vụ công quá tải, không đăng nhập được.")

    # A proposal to Sở KH&CN.
    thuong_coc.get_by_text("Thêm kiến nghị, đề xuất", exact=True).click()
    thuong_coc.get_by_label("Kiến nghị, đề xuất", exact=True).fill(
        "Nâng cấp phần mềm một cửa và tập huấn tại xã."
    )
    thuong_coc.get_by_label("Gửi sở, ngành").select_option(label="Sở Khoa học và Công nghệ")
    thuong_coc.get_by_role("button", name="Lưu kiến nghị, đề xuất").click()
    proposals = page.locator("#kien-nghi")
    expect(proposals.get_by_role("heading", name="Sở Khoa học và Công nghệ")).to_be_visible()
    expect(proposals).to_contain_text("Nâng cấp phần mềm một cửa và tập huấn tại xã.")
    expect(proposals).to_contain_text("Chờ xử lý")

    # A directive: first with a due date before the visit (refused, nothing saved), then right.
    directives = page.locator("#nhiem-vu")
    directives.get_by_text("Giao nhiệm vụ", exact=True).click()
    directives.get_by_label("Nội dung nhiệm vụ").fill("Nâng cấp phần mềm một cửa cho các xã.")
    directives.get_by_label("Đơn vị thực hiện").select_option(label="Sở Khoa học và Công nghệ")
    directives.get_by_label("Hạn hoàn thành").fill("2025-07-28")
    directives.get_by_role("button", name="Lưu nhiệm vụ").click()
    expect(directives.locator('[data-field="due_date"]')).to_have_text(
        "Hạn hoàn thành 28/07/2025 trước ngày kiểm tra 29/07/2025: hạn phải từ ngày kiểm tra trở đi."
    )
    assert not Directive.objects.exists()
    expect(directives.get_by_label("Nội dung nhiệm vụ")).to_have_value(
        "Nâng cấp phần mềm một cửa cho các xã."
    )
    directives.get_by_label("Hạn hoàn thành").fill("2025-08-31")
    directives.get_by_role("button", name="Lưu nhiệm vụ").click()
    expect(page.get_by_role("status")).to_have_text("Đã giao nhiệm vụ.")
    row = directives.locator("table.directive-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Nâng cấp phần mềm một cửa cho các xã.")
    expect(row).to_contain_text("Sở Khoa học và Công nghệ")
    expect(row).to_contain_text("31/08/2025")
    expect(row).to_contain_text("Chưa thực hiện")

    # The printable report: the button prints; on paper no navigation, buttons or forms.
    page.get_by_role("button", name="In báo cáo").click()
    assert page.evaluate("window.__printed === true")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="In báo cáo")).to_be_hidden()
    expect(page.locator("details.add-form").first).to_be_hidden()
    expect(page.locator("form")).to_have_count(10)  # 8 on the page, language and logout
    for form in page.locator("form").all():
        expect(form).to_be_hidden()
    expect(page.locator(".report-letterhead")).to_be_visible()
    expect(page.locator(".report-letterhead")).to_contain_text("TỔ CÔNG TÁC SỐ 10")
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo kết quả kiểm tra")
    expect(figure(page, "05293", "received_total")).to_be_visible()
    expect(figure(page, "05293", "online_rate")).to_have_text("66,67%")
    expect(page.locator("#nhiem-vu")).to_contain_text("Nâng cấp phần mềm một cửa cho các xã.")

    assert Finding.objects.filter(visited_commune__visit=visit).count() == 1
    assert Proposal.objects.filter(visited_commune__visit=visit).count() == 1
    assert Directive.objects.get().created_by.username == INSPECTOR
