"""The demo data gives the seed article's figures through the statistics API (DOMAIN.md §5)."""

import pytest
from django.core.management import call_command

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Seeded once for the module (a small scale: the article's figures hold at any scale).
    with django_db_blocker.unblock():
        call_command("seed_demo", "--scale", "0.01", verbosity=0)
        yield
        call_command("flush", "--noinput", verbosity=0)


@pytest.fixture
def inspector_client(demo, api_client):
    from communes.staff import save_staff

    user, _ = save_staff("totruong.kiemtra", "inspector", province_code="25", password=PASSWORD)
    api_client.force_authenticate(user)
    return api_client


def summary(client, commune, first, last):
    response = client.get("/api/v1/stats/summary/", {"commune": commune, "date_from": first, "date_to": last})
    assert response.status_code == 200, response.content
    return response.json()


def test_thuong_coc_1_to_28_july_2025(inspector_client):
    figures = summary(inspector_client, "05293", "2025-07-01", "2025-07-28")
    assert (figures["received_total"], figures["received_online"]) == (390, 229)
    assert figures["online_rate"] == 58.72
    assert (figures["pending_overdue"], figures["resolved_late"]) == (0, 0)


def test_yen_phu_1_to_27_july_2025(inspector_client):
    figures = summary(inspector_client, "05305", "2025-07-01", "2025-07-27")
    assert (figures["received_total"], figures["received_online"], figures["received_direct"]) == (
        603,
        239,
        364,
    )
    assert figures["received_postal"] == 0


def test_quyet_thang_1_to_28_july_2025(inspector_client):
    figures = summary(inspector_client, "05323", "2025-07-01", "2025-07-28")
    assert (figures["received_total"], figures["resolved_total"]) == (350, 350)
    assert figures["on_time_rate"] == 100.0
    assert (figures["pending_total"], figures["pending_overdue"]) == (0, 0)
    assert figures["visits"] > 3000
