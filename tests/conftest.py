"""Shared fixtures: a small province with a merged commune, and one account per role."""

import datetime as dt

import pytest

from communes.choices import Role

from .factories import CommuneFactory, MergerFactory, ProvinceFactory, StaffProfileFactory, UserFactory

PASSWORD = "mat-khau-thu-01"


@pytest.fixture
def province(db):
    return ProvinceFactory(code="25", name="Phú Thọ", full_name="Tỉnh Phú Thọ")


@pytest.fixture
def other_province(db):
    return ProvinceFactory(code="01", name="Hà Nội", full_name="Thành phố Hà Nội")


@pytest.fixture
def commune(province):
    """New Thượng Cốc (05293), which absorbed Văn Sơn (05284) on 1/7/2025."""
    unit = CommuneFactory(code="05293", name="Thượng Cốc", province=province, valid_from=dt.date(2025, 7, 1))
    MergerFactory(
        absorbed=CommuneFactory(code="05284", name="Văn Sơn", province=province, ended=True),
        successor=unit,
    )
    return unit


@pytest.fixture
def neighbour_commune(province):
    return CommuneFactory(code="05305", name="Yên Phú", province=province)


@pytest.fixture
def far_commune(other_province):
    return CommuneFactory(code="00004", name="Ba Đình", kind="phuong", province=other_province)


@pytest.fixture
def clerk(commune):
    return StaffProfileFactory(user=UserFactory(username="canbo"), role=Role.CLERK, commune=commune).user


@pytest.fixture
def leader(commune):
    return StaffProfileFactory(user=UserFactory(username="lanhdao"), role=Role.LEADER, commune=commune).user


@pytest.fixture
def inspector(province):
    return StaffProfileFactory(
        user=UserFactory(username="totruong"), role=Role.INSPECTOR, commune=None, province=province
    ).user


@pytest.fixture
def admin_user(db):
    return StaffProfileFactory(user=UserFactory(username="quantri"), role=Role.ADMIN, commune=None).user


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher costs ~2.5 s per user on this machine; tests do not need its strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_working_calendar():
    # Belt and braces beside the signal-based invalidation: no test sees another's calendar.
    from communes.calendar_store import clear_calendar_cache

    clear_calendar_cache()
    yield
    clear_calendar_cache()
