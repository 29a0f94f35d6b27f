"""Inspections fixtures: Phú Thọ's departments, Tổ công tác số 10, and one account per new need.

Time is frozen on Tuesday 5/8/2025 10:00 (Hà Nội), a week after the seed article's visit of
29/7/2025; the shared fixtures (tests/conftest.py) give Thượng Cốc 05293 (which absorbed Văn Sơn
05284 on 1/7/2025), Yên Phú 05305 in the same province and Ba Đình 00004 in Hà Nội.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from communes.choices import Role
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    StaffProfileFactory,
    UserFactory,
    WorkingGroupFactory,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2025, 8, 5)
VISIT_DAY = dt.date(2025, 7, 29)


def at(month, day, hour=9, minute=0):
    """An aware moment of 2025 in Hà Nội time."""
    return dt.datetime(2025, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(at(8, 5, 10), tick=False):
        yield


@pytest.fixture
def department(province):
    return DepartmentFactory(province=province, name="Sở Khoa học và Công nghệ", short_name="Sở KH&CN")


@pytest.fixture
def health_department(province):
    return DepartmentFactory(province=province, name="Sở Y tế", short_name="Sở Y tế")


@pytest.fixture
def far_department(other_province):
    return DepartmentFactory(province=other_province, name="Sở Khoa học và Công nghệ", short_name="Sở KH&CN")


@pytest.fixture
def working_group(province):
    return WorkingGroupFactory(
        province=province,
        number=10,
        name="Tổ công tác số 10",
        leader_name="Nguyễn Văn Tổ",
        leader_title="Tỉnh uỷ viên, Phó Chủ tịch UBND tỉnh",
    )


@pytest.fixture
def far_group(other_province):
    return WorkingGroupFactory(province=other_province, number=1, name="Tổ công tác số 1")


@pytest.fixture
def department_user(department):
    return StaffProfileFactory(
        user=UserFactory(username="sokhcn"), department=department, department_user=True
    ).user


@pytest.fixture
def health_user(health_department):
    return StaffProfileFactory(
        user=UserFactory(username="soyte"), department=health_department, department_user=True
    ).user


@pytest.fixture
def far_inspector(other_province):
    return StaffProfileFactory(
        user=UserFactory(username="totruong.hanoi"),
        role=Role.INSPECTOR,
        commune=None,
        province=other_province,
    ).user


@pytest.fixture
def neighbour_clerk(neighbour_commune):
    return StaffProfileFactory(
        user=UserFactory(username="canbo.yenphu"), role=Role.CLERK, commune=neighbour_commune
    ).user


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="khongvaitro")


@pytest.fixture
def quyet_thang(province):
    """New Quyết Thắng 05323 from 1/7/2025; the code was old Chí Đạo's until 30/6/2025."""
    CommuneFactory(code="05323", name="Chí Đạo", province=province, ended=True)
    return CommuneFactory(code="05323", name="Quyết Thắng", province=province)
