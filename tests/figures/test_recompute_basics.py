"""The daily table against hand-made histories: flows, stocks, pauses, back-dated corrections."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dossiers.figures import recompute
from dossiers.figures_read import summarize
from dossiers.models import DailyFigures
from dossiers.services import move_dossier

from .recount import recount

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(month, day, hour=9):
    return dt.datetime(2025, month, day, hour, tzinfo=VN)


@pytest.fixture(autouse=True)
def _frozen(vn_calendar):
    with time_machine.travel(at(9, 30, 10), tick=False):
        yield


def period(centre, first, last):
    summary = summarize([centre.commune_id], first, last)
    return {k: summary[k] for k in recount([centre.commune_id], first, last) if k in summary} | {
        "carried_over": summary["carried_over"]
    }


def test_flows_and_stocks_match_a_recount(receive, clerk, centre):
    a = receive(at=at(9, 1), channel="online")  # due 4/9 (2/9 holiday... 1/9 too)
    b = receive(at=at(9, 3), channel="direct")
    c = receive(at=at(9, 3, 18), channel="postal")  # after hours: counts from 4/9
    move_dossier(a, 4, actor=clerk, at=at(9, 3))
    move_dossier(a, 9, actor=clerk, at=at(9, 10))  # late
    move_dossier(b, 4, actor=clerk, at=at(9, 4))
    move_dossier(b, 5, actor=clerk, at=at(9, 5))  # paused
    move_dossier(c, 7, actor=clerk, at=at(9, 8))  # withdrawn
    recompute([centre.commune_id], dt.date(2025, 8, 25), dt.date(2025, 9, 30))
    for first, last in [
        (dt.date(2025, 9, 1), dt.date(2025, 9, 30)),
        (dt.date(2025, 9, 4), dt.date(2025, 9, 9)),
    ]:
        expected = recount([centre.commune_id], first, last)
        summary = summarize([centre.commune_id], first, last)
        assert {k: summary[k] for k in expected} == expected, (first, last)
    summary = summarize([centre.commune_id], dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    assert summary["received_total"] == 3
    assert summary["resolved_late"] == 1
    assert summary["withdrawn"] == 1
    assert summary["paused"] == 1
    assert (
        summary["carried_over"] + summary["received_total"]
        == summary["resolved_total"] + summary["withdrawn"] + summary["stopped"] + summary["pending_total"]
    )


def test_overdue_is_a_stock_that_grows_with_time_alone(receive, centre):
    receive(at=at(9, 8))  # 3 working days: due 11/9
    recompute([centre.commune_id], dt.date(2025, 9, 8), dt.date(2025, 9, 15))
    by_day = dict(DailyFigures.objects.filter(commune=centre.commune).values_list("date", "pending_overdue"))
    assert by_day[dt.date(2025, 9, 10)] == 0
    assert by_day[dt.date(2025, 9, 11)] == 1  # at the end of the due date it has passed
    assert by_day[dt.date(2025, 9, 15)] == 1


def test_recomputing_twice_gives_the_same_figures(receive, clerk, centre):
    d = receive(at=at(9, 2))
    move_dossier(d, 4, actor=clerk, at=at(9, 3))
    recompute([centre.commune_id], dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    first = list(
        DailyFigures.objects.order_by("date").values_list("date", "received_direct", "pending_in_time")
    )
    result = recompute([centre.commune_id], dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    again = list(
        DailyFigures.objects.order_by("date").values_list("date", "received_direct", "pending_in_time")
    )
    assert again == first
    assert result.rows_removed == 0
