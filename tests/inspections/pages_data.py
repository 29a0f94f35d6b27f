"""Data for the inspections' page tests (tests/inspections/test_*_pages.py), imported by name.

Thượng Cốc's daily figures for July 2025 are written beforehand (so the visit freezes known
numbers without a recompute), then Tổ công tác số 10 visits Thượng Cốc and Yên Phú on 29/7/2025
(today is 5/8/2025, see conftest.py). Findings, proposals to Sở KH&CN and Sở Y tế, conclusions,
and five directives: two overdue (one to a department, one to a commune), one done, two in time.
Hà Nội has its own visit and directive, out of every Phú Thọ account's sight.
"""

import datetime as dt
import html
import re
from types import SimpleNamespace

import pytest

from communes.choices import Role
from communes.models import Commune
from dossiers.models import DailyFigures
from inspections.models import WorkingGroupMember
from inspections.services import (
    add_finding,
    add_progress,
    add_proposal,
    create_directive,
    record_visit,
    update_visit,
    update_visited_commune,
)
from tests.factories import StaffProfileFactory, UserFactory

from .conftest import VISIT_DAY, at

#: Thượng Cốc's frozen figures for 1–28/7/2025, as the report shows them.
THUONG_COC_FIGURES = {
    "carried_over": "4",
    "received_total": "84",
    "received_online": "56",
    "received_direct": "28",
    "received_postal": "0",
    "online_rate": "66,67%",
    "resolved_total": "63",
    "resolved_early": "0",
    "resolved_on_time": "56",
    "resolved_late": "7",
    "on_time_rate": "88,89%",
    "pending_total": "12",
    "pending_in_time": "10",
    "pending_overdue": "2",
    "visits": "3.500",
}


@pytest.fixture
def thuong_coc_july(commune):
    """Daily figures of Thượng Cốc for 1–28/7/2025 and Văn Sơn's stock on 30/6 (carried over)."""
    DailyFigures.objects.bulk_create(
        DailyFigures(
            commune=commune,
            date=dt.date(2025, 7, day),
            received_online=2,
            received_direct=1,
            resolved_on_time=2,
            resolved_late=1 if day <= 7 else 0,
            pending_in_time=10,
            pending_overdue=2,
            visits=125,
            computed_at=at(7, 29, 6),
        )
        for day in range(1, 29)
    )
    van_son = Commune.objects.get(code="05284")
    DailyFigures.objects.create(
        commune=van_son, date=dt.date(2025, 6, 30), pending_in_time=4, computed_at=at(7, 1, 6)
    )


@pytest.fixture
def other_clerk(province):
    """A clerk of a commune the visit did not go to."""
    from tests.factories import CommuneFactory

    unit = CommuneFactory(code="05400", name="Thử Nghiệm", province=province)
    return StaffProfileFactory(user=UserFactory(username="canbo.khac"), role=Role.CLERK, commune=unit).user


@pytest.fixture
def world(
    inspector,
    working_group,
    commune,
    neighbour_commune,
    department,
    health_department,
    thuong_coc_july,
    far_group,
    far_commune,
    far_department,
):
    WorkingGroupMember.objects.create(
        group=working_group, name="Trần Văn Sở", title="Phó Giám đốc", department=department
    )
    visit = record_visit(
        inspector,
        working_group,
        VISIT_DAY,
        [commune, neighbour_commune],
        participants="Tổ công tác số 10; Đảng ủy, UBND xã",
    )
    thuong_coc = visit.visited_communes.get(commune=commune)
    yen_phu = visit.visited_communes.get(commune=neighbour_commune)
    add_finding(inspector, thuong_coc, "staffing", "Thiếu 02 công chức tại bộ phận một cửa.")
    add_finding(inspector, thuong_coc, "it_systems", "Cổng dịch vụ công quá tải, không đăng nhập được.")
    add_finding(inspector, yen_phu, "eid_vneid", "Nhiều người dân chưa có tài khoản VNeID mức 2.")
    to_science = add_proposal(
        inspector, thuong_coc, "Nâng cấp phần mềm một cửa và tập huấn tại xã.", department
    )
    to_health = add_proposal(inspector, yen_phu, "Hướng dẫn về trạm y tế xã.", health_department)
    update_visited_commune(inspector, thuong_coc, conclusion="Xã cần bố trí thêm công chức một cửa.")
    update_visit(inspector, visit, conclusion="Các trung tâm vận hành ổn định, cần khắc phục hạ tầng.")
    overdue = create_directive(
        inspector,
        visit,
        "Nâng cấp phần mềm một cửa cho các xã.",
        dt.date(2025, 8, 1),
        department=department,
        visited_commune=thuong_coc,
    )
    later = create_directive(
        inspector,
        visit,
        "Hướng dẫn tổ chức trạm y tế xã.",
        dt.date(2025, 8, 31),
        department=health_department,
    )
    commune_task = create_directive(
        inspector, visit, "Bố trí thêm 01 máy tính tại bộ phận một cửa.", dt.date(2025, 8, 4), commune=commune
    )
    yen_phu_task = create_directive(
        inspector, visit, "Tuyên truyền đăng ký VNeID mức 2.", dt.date(2025, 8, 20), commune=neighbour_commune
    )
    done = create_directive(
        inspector, visit, "Rà soát quy trình tiếp nhận.", dt.date(2025, 7, 31), department=department
    )
    add_progress(inspector, done, "Đã rà soát xong.", status="done", date=dt.date(2025, 7, 31))
    far_visit = record_visit(None, far_group, VISIT_DAY, [far_commune])
    far_directive = create_directive(
        None, far_visit, "Nhiệm vụ của Hà Nội.", dt.date(2025, 8, 1), department=far_department
    )
    return SimpleNamespace(
        visit=visit,
        thuong_coc=thuong_coc,
        yen_phu=yen_phu,
        to_science=to_science,
        to_health=to_health,
        overdue=overdue,
        later=later,
        commune_task=commune_task,
        yen_phu_task=yen_phu_task,
        done=done,
        far_visit=far_visit,
        far_directive=far_directive,
    )


def page_text(response) -> str:
    """The response's HTML with entities decoded (messages hold « » and quotes)."""
    return html.unescape(response.content.decode())


def figure_cells(content: str, code: str) -> dict[str, str]:
    """{figure key: shown value} of the figures table of commune `code`."""
    table = re.search(
        rf'<table class="report-table figures-table" data-commune="{code}">(.*?)</table>', content, re.S
    )
    assert table, f"no figures table for {code}"
    return dict(re.findall(r'data-figure="(\w+)".*?<td class="num">([^<]*)</td>', table.group(1), re.S))
