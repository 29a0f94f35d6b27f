"""The ranking of communes (/api/v1/stats/communes/): rows, ordering with nulls last, predecessors,
scope and a query count that does not grow with the number of communes.

Rows of the daily table are written directly here (the ranking reads nothing else); the figures
themselves are checked against dossier histories in test_stats_api.py.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import DailyFigures
from tests.factories import CommuneFactory, MergerFactory, ProvinceFactory

from .test_stats_api import SEPTEMBER, api_as, get

VN = ZoneInfo("Asia/Ho_Chi_Minh")
RANKING = "/api/v1/stats/communes/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2025, 9, 30, 10, tzinfo=VN), tick=False):
        yield


def day_row(unit, day=15, **figures):
    return DailyFigures(
        commune=unit, date=dt.date(2025, 9, day), computed_at=dt.datetime.now(tz=VN), **figures
    )


@pytest.fixture
def five_communes(province):
    """On-time rates 100, 50, null, null, 75 (codes 05001–05005); received 1..5."""
    units = [
        CommuneFactory(code=f"0500{i}", name=name, province=province) for i, name in enumerate("ĐEACB", 1)
    ]
    resolved = [(2, 0, 0), (1, 0, 1), None, None, (0, 3, 1)]  # early, on time, late
    rows = []
    for i, (unit, finished) in enumerate(zip(units, resolved, strict=True)):
        early, on_time, late = finished or (0, 0, 0)
        rows.append(
            day_row(
                unit,
                received_direct=i + 1,
                resolved_early=early,
                resolved_on_time=on_time,
                resolved_late=late,
            )
        )
    DailyFigures.objects.bulk_create(rows)
    return units


def codes(body):
    return [row["commune"] for row in body["results"]]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("", ["05001", "05005", "05002", "05003", "05004"]),  # -on_time_rate, nulls last
        ("-on_time_rate", ["05001", "05005", "05002", "05003", "05004"]),
        ("on_time_rate", ["05002", "05005", "05001", "05003", "05004"]),  # nulls still last
        ("-received_total", ["05005", "05004", "05003", "05002", "05001"]),
        ("resolved_late", ["05001", "05003", "05004", "05002", "05005"]),  # ties by code
        ("name", ["05003", "05005", "05004", "05001", "05002"]),  # A, B, C, Đ, E
        ("-commune", ["05005", "05004", "05003", "05002", "05001"]),
    ],
)
def test_ordering_by_any_figure_with_nulls_last(admin_user, five_communes, ordering, expected):
    body = get(admin_user, "communes", province="25", ordering=ordering, **SEPTEMBER)

    assert codes(body) == expected
    assert [row["rank"] for row in body["results"]] == [1, 2, 3, 4, 5]


def test_rows_hold_the_summary_of_each_commune(admin_user, five_communes):
    rows = {row["commune"]: row for row in get(admin_user, "communes", province="25", **SEPTEMBER)["results"]}

    first = rows["05001"]
    assert (first["name"], first["province"], first["date_from"], first["date_to"]) == (
        "Đ", "25", "2025-09-01", "2025-09-30"
    )  # fmt: skip
    assert (first["received_total"], first["resolved_total"], first["on_time_rate"]) == (1, 2, 100.0)
    assert rows["05005"]["on_time_rate"] == 75.0 and rows["05002"]["on_time_rate"] == 50.0
    assert rows["05003"]["on_time_rate"] is None and rows["05003"]["online_rate"] == 0.0
    for code, row in rows.items():
        summary = get(admin_user, "summary", commune=code, **SEPTEMBER)
        assert {k: row[k] for k in summary if k not in ("commune", "province")} == {
            k: v for k, v in summary.items() if k not in ("commune", "province")
        }


def test_current_units_only_with_their_predecessors_when_asked(admin_user, commune, neighbour_commune):
    van_son = commune.absorptions.get().absorbed
    DailyFigures.objects.bulk_create(
        [
            DailyFigures(
                commune=van_son,
                date=dt.date(2025, 6, 30),
                pending_in_time=3,
                computed_at=dt.datetime.now(tz=VN),
            ),
            day_row(van_son, day=1, pending_in_time=3, withdrawn=1),
            day_row(commune, day=1, received_online=2),
        ]
    )
    params = {"date_from": "2025-07-01", "date_to": "2025-09-01"}

    plain = get(admin_user, "communes", province="25", ordering="commune", **params)["results"]
    merged = get(
        admin_user, "communes", province="25", ordering="commune", include_predecessors="true", **params
    )["results"]

    assert [row["commune"] for row in plain] == ["05293", "05305"]  # Văn Sơn ended: not ranked
    assert (plain[0]["carried_over"], plain[0]["received_total"], plain[0]["pending_total"]) == (0, 2, 0)
    assert (merged[0]["carried_over"], merged[0]["withdrawn"], merged[0]["pending_total"]) == (3, 1, 3)
    summary = get(admin_user, "summary", commune="05293", include_predecessors="true", **params)
    assert {k: merged[0][k] for k in summary if k not in ("commune", "province")} == {
        k: v for k, v in summary.items() if k not in ("commune", "province")
    }


def test_pages_keep_counting_the_rank(admin_user, five_communes):
    body = get(admin_user, "communes", province="25", page_size=2, page=2, **SEPTEMBER)

    assert body["count"] == 5 and body["next"] and body["previous"]
    assert [(row["rank"], row["commune"]) for row in body["results"]] == [(3, "05002"), (4, "05003")]


def test_scope_narrows_the_ranking(clerk, inspector, five_communes, commune, far_commune):
    assert codes(get(clerk, "communes", **SEPTEMBER)) == ["05293"]
    assert len(get(inspector, "communes", **SEPTEMBER)["results"]) == 6  # five + Thượng Cốc
    assert api_as(inspector).get(RANKING, {"province": "01"}).status_code == 404
    assert api_as(inspector).get(RANKING, {"province": "99"}).status_code == 404


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"ordering": "applicant_name"}, "invalid-ordering"),
        ({"ordering": "--visits"}, "invalid-ordering"),
        ({"date_from": "2025-02-30"}, "invalid-date"),
        ({"date_from": "2022-09-01"}, "period-too-long"),
    ],
)
def test_bad_parameters_are_a_400_with_a_code(admin_user, province, params, code):
    response = api_as(admin_user).get(RANKING, params)

    assert response.status_code == 400
    assert response.json()["code"] == code


def _province_with(code, count):
    region = ProvinceFactory(code=code)
    rows = []
    for i in range(count):
        unit = CommuneFactory(code=f"{code}{i:03d}", province=region)
        old = MergerFactory(successor=unit, absorbed=CommuneFactory(province=region, ended=True)).absorbed
        rows += [day_row(unit, received_online=i, resolved_on_time=1), day_row(old, day=1, pending_in_time=1)]
    DailyFigures.objects.bulk_create(rows)


def test_query_count_does_not_grow_with_the_communes(admin_user):
    _province_with("26", 5)
    _province_with("27", 40)
    client = api_as(admin_user)
    costs = {}
    for code in ("26", "27"):
        params = {"province": code, "include_predecessors": "true", **SEPTEMBER}
        with CaptureQueriesContext(connection) as queries:
            response = client.get(RANKING, params)
        assert response.status_code == 200 and response.json()["count"] in (5, 40)
        costs[code] = len(queries)

    assert costs["26"] == costs["27"] <= 12, costs
