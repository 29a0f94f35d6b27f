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


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test rolls its data back, token of the statistics generation included
    # (communes.generation): an entry cached by an earlier test must not answer a later one.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    # Persistent connections from the live server's threads would keep the test database busy
    # and PostgreSQL would refuse to drop it at the end of the run.
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(scope="session", autouse=True)
def _release_leftover_connections(django_db_setup, django_db_blocker):
    yield
    # A connection opened while Playwright's event loop ran (browser tests) can outlive its
    # context, and PostgreSQL refuses to drop a test database that still has a session.
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


# --- Dossiers ----------------------------------------------------------------------------------


@pytest.fixture
def vn_calendar(db):
    """The real Vietnamese public holidays and make-up days of 2024–2027, from the package."""
    from communes.calendar_store import seed_from_holidays_package

    seed_from_holidays_package(range(2024, 2028))


@pytest.fixture
def centre(commune):
    from .factories import ServiceCentreFactory

    return ServiceCentreFactory(commune=commune, agency_code="H25.05293")


@pytest.fixture
def procedure(db):
    """Birth registration-like: 3 working days (a test stand-in, not the real catalogue entry)."""
    from .factories import ProcedureFactory

    return ProcedureFactory(code="9.000003", name="Thủ tục thử ba ngày", processing_days=3)


@pytest.fixture
def receive(centre, procedure, clerk):
    """A function receiving a dossier in the clerk's commune; keyword arguments override."""
    from dossiers.services import receive_dossier

    def _receive(**overrides):
        values = {
            "commune": centre.commune,
            "procedure": procedure,
            "channel": "direct",
            "applicant_name": "Nguyễn Văn An",
            "applicant_id_number": "001203004567",
            "applicant_phone": "0912345678",
            "applicant_address": "Xóm Đồng, xã Thượng Cốc, tỉnh Phú Thọ",
            "actor": clerk,
        }
        values.update(overrides)
        return receive_dossier(**values)

    return _receive
