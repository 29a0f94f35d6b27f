"""Issue 5's "Done when": a department user marks a directive done with a progress note.

Data: the real Phú Thọ units, Sở Khoa học và Công nghệ with its user, and Tổ công tác số 10's visit
of 29/7/2025 to Thượng Cốc with two directives to the department: one overdue, one due later.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communes.models import Commune, Province
from communes.staff import save_staff
from inspections.models import Department, DirectiveProgress
from inspections.services import create_directive, create_working_group, record_visit

from .conftest import log_in

PASSWORD = "mat-khau-e2e-2025"
USER = "sokhcn.chuyenvien"
VISIT_DAY = dt.date(2025, 7, 29)


@pytest.fixture
def directives(transactional_db):
    from communes.unit_loading import load_units

    load_units()
    province = Province.objects.get(code="25")
    science = Department.objects.create(
        province=province, name="Sở Khoa học và Công nghệ", short_name="Sở KH&CN"
    )
    group = create_working_group(None, province, 10, "Nguyễn Văn Tổ", leader_title="Phó Chủ tịch UBND tỉnh")
    thuong_coc = Commune.objects.get(code="05293", valid_to__isnull=True)
    visit = record_visit(None, group, VISIT_DAY, [thuong_coc])
    overdue = create_directive(
        None,
        visit,
        "Nâng cấp phần mềm một cửa và tập huấn tại xã.",
        VISIT_DAY + dt.timedelta(days=3),
        department=science,
        visited_commune=visit.visited_communes.get(),
    )
    later = create_directive(
        None,
        visit,
        "Hướng dẫn sử dụng chữ ký số cho cán bộ xã.",
        timezone.localdate() + dt.timedelta(days=30),
        department=science,
    )
    save_staff(
        USER,
        "department",
        province_code="25",
        department="Sở KH&CN",
        password=PASSWORD,
        full_name="Lê Thị Thu",
    )
    return overdue, later


def test_a_department_user_marks_a_directive_done(page, directives):
    overdue, later = directives
    log_in(page, USER, PASSWORD)
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Kiến nghị")).to_be_visible()
    expect(nav.get_by_role("link", name="Hồ sơ")).to_have_count(0)
    nav.get_by_role("link", name="Nhiệm vụ").click()

    # The board: the department's directives, the overdue one first and marked.
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhiệm vụ được giao")
    group = page.locator("section.board-group")
    expect(group).to_have_count(1)
    expect(group.get_by_role("heading", level=2)).to_contain_text("Sở Khoa học và Công nghệ")
    expect(group.get_by_role("heading", level=2)).to_contain_text("1 quá hạn")
    rows = group.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Nâng cấp phần mềm một cửa và tập huấn tại xã.")
    expect(rows.nth(0)).to_have_class(re.compile("is-overdue"))
    expect(rows.nth(0).locator(".badge.overdue")).to_have_text("Quá hạn")
    expect(rows.nth(1)).to_contain_text("Hướng dẫn sử dụng chữ ký số cho cán bộ xã.")
    expect(rows.nth(1).locator(".badge.overdue")).to_have_count(0)

    # The directive: a progress note that marks it done.
    rows.nth(0).get_by_role("link", name=re.compile("Nâng cấp phần mềm")).click()
    expect(page).to_have_url(re.compile(rf"/kiem-tra/nhiem-vu/{overdue.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chưa thực hiện")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quá hạn")
    page.get_by_label("Nội dung tiến độ").fill("Đã nâng cấp phần mềm một cửa và tập huấn cho cán bộ xã.")
    page.get_by_label("Chuyển trạng thái").select_option(label="Đã hoàn thành")
    page.get_by_role("button", name="Lưu tiến độ").click()

    expect(page.get_by_role("status")).to_have_text(
        "Đã cập nhật tiến độ; nhiệm vụ chuyển sang “Đã hoàn thành”."
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã hoàn thành")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Quá hạn")
    note = page.locator(".progress-list li").first
    expect(note).to_contain_text("Đã nâng cấp phần mềm một cửa và tập huấn cho cán bộ xã.")
    expect(note).to_contain_text("Lê Thị Thu")
    expect(note).to_contain_text("Chuyển sang: Đã hoàn thành")

    # Back on the board: done, no longer overdue; only the open filter leaves the other one.
    page.get_by_role("link", name="Nhiệm vụ được giao").click()
    done_row = page.locator(f'tr[data-directive="{overdue.pk}"]')
    expect(done_row).to_contain_text("Đã hoàn thành")
    expect(done_row.locator(".badge.overdue")).to_have_count(0)
    expect(page.locator(".overdue-count")).to_have_count(0)
    page.get_by_label("Trạng thái").select_option(label="Chưa thực hiện")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator(f'tr[data-directive="{later.pk}"]')).to_be_visible()

    overdue.refresh_from_db()
    assert overdue.status == "done" and overdue.completed_at is not None
    assert DirectiveProgress.objects.get(directive=overdue).author.username == USER
