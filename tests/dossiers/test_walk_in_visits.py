"""Walk-in visits: one number a day per centre, editable that day, in the figures after recompute."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from dossiers.figures_backlog import catch_up
from dossiers.figures_read import summarize
from dossiers.models import DailyFigures, FiguresBacklog, WalkInVisits
from dossiers.visits import record_walk_in_visits
from tests.factories import StaffProfileFactory, UserFactory
from tests.scoping import FORBIDDEN, Endpoint, RoleWalk

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2025, 7, 28, 16, 30, tzinfo=VN)
TODAY = NOW.date()
YESTERDAY = TODAY - dt.timedelta(days=1)
URL = "/luot-giao-dich/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def refused(code, *args):
    with pytest.raises(ValidationError) as exc:
        record_walk_in_visits(*args)
    assert exc.value.code == code, exc.value.messages
    return exc.value


# --- the service ---------------------------------------------------------------------------------


def test_clerk_records_today_and_marks_the_figures_stale(commune, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        record = record_walk_in_visits(commune, TODAY, 120, clerk)
    assert (record.commune, record.date, record.count, record.recorded_by) == (commune, TODAY, 120, clerk)
    assert FiguresBacklog.objects.get(commune=commune).since == TODAY
    assert len(callbacks) == 1  # the recompute is queued after commit


def test_editing_today_replaces_the_number(commune, clerk, leader):
    record_walk_in_visits(commune, TODAY, 120, clerk)
    record_walk_in_visits(commune, TODAY, 135, leader)
    row = WalkInVisits.objects.get(commune=commune, date=TODAY)
    assert (row.count, row.recorded_by) == (135, leader)
    assert WalkInVisits.objects.count() == 1


def test_a_clerk_cannot_record_another_day(commune, clerk):
    error = refused("not-today", commune, YESTERDAY, 80, clerk)
    assert "28/07/2025" in error.messages[0]
    refused("future-date", commune, TODAY + dt.timedelta(days=1), 80, clerk)
    assert not WalkInVisits.objects.exists()


def test_an_admin_corrects_another_day_but_not_the_future(commune, admin_user):
    record_walk_in_visits(commune, YESTERDAY, 3100, admin_user)
    assert WalkInVisits.objects.get(commune=commune, date=YESTERDAY).count == 3100
    assert FiguresBacklog.objects.get(commune=commune).since == YESTERDAY
    refused("future-date", commune, TODAY + dt.timedelta(days=1), 10, admin_user)


@pytest.mark.parametrize("count", [-1, 100_001, "abc", "", None, 2.5, True])
def test_the_count_is_a_whole_number_within_range(commune, clerk, count):
    refused("invalid-count", commune, TODAY, count, clerk)


def test_bounds_are_accepted(commune, clerk):
    record_walk_in_visits(commune, TODAY, 0, clerk)
    record_walk_in_visits(commune, TODAY, "100000", clerk)
    assert WalkInVisits.objects.get().count == 100_000


def test_the_unit_must_exist_that_day(commune, admin_user):
    van_son = commune.absorptions.get().absorbed  # ended 30/6/2025
    refused("commune-inactive", van_son, TODAY, 10, admin_user)
    refused("commune-inactive", commune, dt.date(2025, 6, 30), 10, admin_user)  # before the merger
    record_walk_in_visits(van_son, dt.date(2025, 6, 30), 10, admin_user)


def test_only_the_centre_s_own_staff_record_it(commune, neighbour_commune, inspector, clerk):
    refused("role-not-allowed", commune, TODAY, 10, inspector)
    refused("out-of-scope", neighbour_commune, TODAY, 10, clerk)


def test_figures_after_recompute_include_the_visits(commune, clerk, admin_user):
    record_walk_in_visits(commune, YESTERDAY, 3000, admin_user)
    record_walk_in_visits(commune, TODAY, 120, clerk)
    catch_up(commune.pk)  # what the queued task runs
    assert DailyFigures.objects.get(commune=commune, date=TODAY).visits == 120
    assert summarize([commune.pk], dt.date(2025, 7, 1), TODAY)["visits"] == 3120
    assert not FiguresBacklog.objects.exists()
    record_walk_in_visits(commune, TODAY, 100, clerk)  # edited later that day
    catch_up(commune.pk)
    assert summarize([commune.pk], dt.date(2025, 7, 1), TODAY)["visits"] == 3100


# --- the page ------------------------------------------------------------------------------------


def test_clerk_records_and_edits_today_on_the_page(client, clerk, commune):
    client.force_login(clerk)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Số lượt người dân đến giao dịch hôm nay" in page.content.decode()
    assert "28/07/2025" in page.content.decode()

    response = client.post(URL, {"date": TODAY.isoformat(), "count": "120"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Đã ghi nhận 120 lượt người dân đến giao dịch ngày 28/07/2025" in response.content.decode()
    assert response.context["form"]["count"].value() == 120  # prefilled, editable

    client.post(URL, {"date": TODAY.isoformat(), "count": "1250"})
    assert WalkInVisits.objects.get(commune=commune, date=TODAY).count == 1250
    history = client.get(URL).context["history"]
    assert len(history) == 30
    assert history[0]["date"] == TODAY and history[0]["record"].count == 1250
    assert "1.250" in client.get(URL).content.decode()


def test_the_page_shows_the_service_s_refusals(client, clerk, commune):
    client.force_login(clerk)
    response = client.post(URL, {"date": YESTERDAY.isoformat(), "count": "80"})
    assert response.status_code == 400
    assert "Chỉ được ghi nhận, sửa số lượt của ngày hôm nay" in response.content.decode()
    response = client.post(URL, {"date": TODAY.isoformat(), "count": "100001"})
    assert response.status_code == 400
    assert "Số lượt phải là số nguyên từ 0 đến 100.000." in response.content.decode()
    assert not WalkInVisits.objects.exists()


def test_admin_picks_a_commune_and_a_day_to_correct(client, admin_user, commune):
    client.force_login(admin_user)
    assert client.get(URL).status_code == 200
    page = client.get(URL, {"commune": commune.code, "date": YESTERDAY.isoformat()})
    assert page.context["unit"] == commune
    response = client.post(URL, {"commune": commune.code, "date": YESTERDAY.isoformat(), "count": "3050"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?commune=05293&date=2025-07-27"
    assert WalkInVisits.objects.get(commune=commune, date=YESTERDAY).count == 3050
    missing = client.post(URL, {"commune": "99999", "date": YESTERDAY.isoformat(), "count": "1"})
    assert missing.status_code == 400


def test_inspector_and_anonymous_cannot_record(client, inspector, commune):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(inspector)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"date": TODAY.isoformat(), "count": "5"}).status_code == 403
    assert not WalkInVisits.objects.exists()


def test_a_clerk_only_records_for_own_centre(client, commune, neighbour_commune):
    other = StaffProfileFactory(user=UserFactory(username="canbo-yenphu"), commune=neighbour_commune).user
    client.force_login(other)
    client.post(URL, {"date": TODAY.isoformat(), "count": "7", "commune": commune.code})
    assert list(WalkInVisits.objects.values_list("commune__code", "count")) == [("05305", 7)]


class TestWalkInVisitsWalk(RoleWalk):
    fixtures = ("commune",)
    endpoints = [Endpoint(URL, inspector=FORBIDDEN, no_role=FORBIDDEN)]
