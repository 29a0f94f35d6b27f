"""The statistics API against dossier histories made with the services and a direct recount.

Time is frozen on Tuesday 30/9/2025 10:00 (Hà Nội). Thượng Cốc (05293) absorbed Văn Sơn (05284)
on 1/7/2025; Văn Sơn received one dossier in June that is still pending. Yên Phú (05305) is the
neighbour in the same province, Ba Đình (00004) is in another province. Figures come from
dossiers.figures.recompute; each endpoint is checked against tests/figures/recount.recount and
against numbers worked out by hand.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from communes.models import Commune
from dossiers.figures import recompute
from dossiers.models import DailyFigures
from dossiers.services import move_dossier
from tests.factories import ProcedureFactory, UserFactory
from tests.figures.recount import recount

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SEPTEMBER = {"date_from": "2025-09-01", "date_to": "2025-09-30"}
COUNTS = (
    "received_online", "received_direct", "received_postal", "resolved_early", "resolved_on_time",
    "resolved_late", "withdrawn", "stopped", "pending_in_time", "pending_overdue", "paused", "carried_over",
)  # fmt: skip


def at(month, day, hour=9):
    return dt.datetime(2025, month, day, hour, tzinfo=VN)


@pytest.fixture(autouse=True)
def _frozen(vn_calendar):
    with time_machine.travel(at(9, 30, 10), tick=False):
        yield


def api_as(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def get(user, path, **params):
    response = api_as(user).get(f"/api/v1/stats/{path}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def identity_holds(f):
    return f["carried_over"] + f["received_total"] == (
        f["resolved_total"] + f["withdrawn"] + f["stopped"] + f["pending_total"]
    )


@pytest.fixture
def van_son(commune):
    return Commune.objects.get(code="05284")


@pytest.fixture
def history(receive, clerk, commune, van_son, neighbour_commune, far_commune, procedure):
    """Dossiers in four units; the daily table recomputed for June–September 2025."""
    attest = ProcedureFactory(
        code="2.000815", name="Chứng thực bản sao", field="Chứng thực", processing_days=1
    )
    a = receive(at=at(9, 3), channel="online")
    move_dossier(a, 4, actor=clerk, at=at(9, 4))
    move_dossier(a, 9, actor=clerk, at=at(9, 5))  # resolved before its due date
    b = receive(at=at(9, 3, 10), channel="direct")
    move_dossier(b, 4, actor=clerk, at=at(9, 4))
    move_dossier(b, 5, actor=clerk, at=at(9, 5))  # paused to the end of the month
    c = receive(at=at(9, 4), channel="postal", procedure=attest)
    move_dossier(c, 7, actor=clerk, at=at(9, 8))  # withdrawn
    d = receive(at=at(9, 10), channel="online", procedure=attest)
    move_dossier(d, 4, actor=clerk, at=at(9, 10, 10))
    move_dossier(d, 9, actor=clerk, at=at(9, 15))  # late: due 11/9
    receive(at=at(9, 15), channel="direct")  # pending, overdue from 18/9
    old = receive(commune=van_son, code="H25.05284-250620-0001", at=at(6, 20), channel="direct", actor=None)
    move_dossier(old, 4, at=at(6, 23))  # still pending: carried over by Thượng Cốc with predecessors
    n = receive(commune=neighbour_commune, code="H25.05305-250902-0001", at=at(9, 2), actor=None)
    move_dossier(n, 4, at=at(9, 3))
    move_dossier(n, 8, at=at(9, 9))  # stopped
    receive(commune=far_commune, code="H01.00004-250905-0001", at=at(9, 5), channel="online", actor=None)
    recompute(None, dt.date(2025, 6, 1), dt.date(2025, 9, 30))
    return {"attest": attest}


def expected(commune_ids, first=dt.date(2025, 9, 1), last=dt.date(2025, 9, 30)):
    return counts(recount(commune_ids, first, last))


def counts(row):
    return {name: row[name] for name in COUNTS}


# --- Summary -----------------------------------------------------------------------------------


def test_summary_of_a_commune_matches_the_recount_and_the_hand_count(history, leader, commune):
    summary = get(leader, "summary", commune="05293", **SEPTEMBER)

    assert counts(summary) == expected([commune.pk])
    assert summary["commune"] == "05293" and summary["province"] is None
    assert (summary["date_from"], summary["date_to"]) == ("2025-09-01", "2025-09-30")
    assert summary["received_total"] == 5 and summary["received_online"] == 2
    assert summary["online_rate"] == 40.0  # 2 of 5
    assert (summary["resolved_early"], summary["resolved_late"]) == (1, 1)
    assert summary["on_time_rate"] == 50.0  # 1 of 2
    assert (summary["withdrawn"], summary["paused"], summary["pending_overdue"]) == (1, 1, 1)
    assert summary["computed_at"] is not None
    assert identity_holds(summary)


def test_rates_have_two_decimals_and_are_null_without_a_denominator(admin_user, neighbour_commune):
    DailyFigures.objects.create(
        commune=neighbour_commune,
        date=dt.date(2025, 7, 28),
        received_online=229,
        received_direct=161,
        computed_at=at(7, 29),
    )  # the seed article: 229 of 390 online

    response = api_as(admin_user).get(
        "/api/v1/stats/summary/", {"commune": "05305", "date_from": "2025-07-01", "date_to": "2025-07-28"}
    )

    assert b'"online_rate":58.72' in response.content  # a JSON number, not a string
    assert response.json()["on_time_rate"] is None  # nothing resolved


def test_predecessors_count_only_when_asked(history, admin_user, commune, van_son):
    june = {"date_from": "2025-06-01", "date_to": "2025-06-30"}

    alone = get(admin_user, "summary", commune="05293", **june)
    merged = get(admin_user, "summary", commune="05293", include_predecessors="true", **june)
    september = get(admin_user, "summary", commune="05293", include_predecessors="true", **SEPTEMBER)

    assert alone["received_total"] == 0
    assert merged["received_total"] == 1 and merged["pending_total"] == 1
    assert counts(september) == expected([commune.pk, van_son.pk])
    assert september["carried_over"] == 1  # Văn Sơn's June dossier, still pending on 31/8
    assert identity_holds(september)
    day = {"date_from": "2025-06-20", "date_to": "2025-06-20"}
    assert get(admin_user, "daily", commune="05293", **day)["results"] == []  # 05293 began on 1/7
    [row] = get(admin_user, "daily", commune="05293", include_predecessors="true", **day)["results"]
    assert (row["commune"], row["received_direct"], row["pending_in_time"]) == ("05293", 1, 1)


def test_province_total_and_the_inspectors_scope(history, inspector, commune, van_son, neighbour_commune):
    province = get(inspector, "summary", province="25", **SEPTEMBER)
    scope = get(inspector, "summary", **SEPTEMBER)

    units = [commune.pk, van_son.pk, neighbour_commune.pk]
    assert counts(province) == expected(units)
    assert (province["province"], province["commune"]) == ("25", None)
    assert province["received_total"] == 6 and province["stopped"] == 1  # Ba Đình's is not counted
    assert counts(scope) == counts(province) and scope["province"] is None
    assert identity_holds(province)


def test_dates_default_to_the_current_month(history, clerk):
    summary = get(clerk, "summary")

    assert (summary["date_from"], summary["date_to"]) == ("2025-09-01", "2025-09-30")


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"date_from": "2025-09-31"}, "invalid-date"),
        ({"date_to": "30/09/2025"}, "invalid-date"),
        ({"date_from": "2025-09-10", "date_to": "2025-09-01"}, "invalid-period"),
        ({"date_from": "2022-01-01", "date_to": "2025-09-30"}, "period-too-long"),
        ({"commune": "05293", "province": "25"}, "commune-and-province"),
        ({"include_predecessors": "maybe"}, "invalid-boolean"),
    ],
)
@pytest.mark.parametrize("path", ["summary", "daily", "fields"])
def test_bad_parameters_are_a_400_with_a_code(admin_user, commune, path, params, code):
    response = api_as(admin_user).get(f"/api/v1/stats/{path}/", params)

    assert response.status_code == 400
    assert response.json()["code"] == code
    errors = response.json()["errors"]
    assert all(isinstance(messages, list) and messages for messages in errors.values()), errors


@pytest.mark.parametrize(
    ("role", "params"),
    [
        ("clerk", {"commune": "05305"}),
        ("clerk", {"province": "01"}),
        ("inspector", {"commune": "00004"}),
        ("inspector", {"province": "01"}),
        ("admin_user", {"commune": "99999"}),
        ("admin_user", {"province": "99"}),
    ],
)
@pytest.mark.parametrize("path", ["summary", "daily", "fields"])
def test_out_of_scope_or_unknown_units_are_a_404(request, far_commune, neighbour_commune, role, params, path):
    response = api_as(request.getfixturevalue(role)).get(f"/api/v1/stats/{path}/", params)

    assert response.status_code == 404


def test_anonymous_is_401_and_an_account_without_a_role_403(commune):
    assert APIClient().get("/api/v1/stats/summary/").status_code == 401
    assert api_as(UserFactory(username="khongvaitro")).get("/api/v1/stats/summary/").status_code == 403


@pytest.mark.parametrize(("path", "budget"), [("summary", 10), ("fields", 14)])
def test_a_handful_of_queries(history, inspector, django_assert_max_num_queries, path, budget):
    client = api_as(inspector)
    with django_assert_max_num_queries(budget):
        assert client.get(f"/api/v1/stats/{path}/", {"province": "25"}).status_code == 200


# --- Daily rows --------------------------------------------------------------------------------


def test_daily_rows_of_a_commune_are_one_day_periods(history, clerk, commune):
    body = get(clerk, "daily", commune="05293", page_size=31, **SEPTEMBER)

    assert body["count"] == 30
    rows = body["results"]
    assert [row["date"] for row in rows] == [f"2025-09-{day:02d}" for day in range(1, 31)]
    for row in rows:
        day = dt.date.fromisoformat(row["date"])
        assert row["commune"] == "05293"
        assert counts(row) == expected([commune.pk], day, day), day
        assert identity_holds(row)
    by_day = {row["date"]: row for row in rows}
    assert by_day["2025-09-03"]["received_total"] == 2 and by_day["2025-09-03"]["online_rate"] == 50.0
    assert by_day["2025-09-04"]["carried_over"] == 2
    assert by_day["2025-09-07"]["on_time_rate"] is None


def test_daily_rows_of_a_province_keep_or_fold_the_predecessors(history, inspector):
    plain = get(inspector, "daily", province="25", date_from="2025-09-01", date_to="2025-09-02")["results"]
    folded = get(
        inspector,
        "daily",
        province="25",
        include_predecessors="true",
        date_from="2025-09-01",
        date_to="2025-09-02",
    )["results"]

    # Ordered by date, then commune code; Văn Sơn's pending dossier keeps its own rows ...
    assert [(r["date"], r["commune"]) for r in plain] == [
        ("2025-09-01", "05284"), ("2025-09-01", "05293"), ("2025-09-01", "05305"),
        ("2025-09-02", "05284"), ("2025-09-02", "05293"), ("2025-09-02", "05305"),
    ]  # fmt: skip
    assert plain[0]["pending_total"] == 1 and plain[1]["pending_total"] == 0
    # ... or counts for Thượng Cốc, which absorbed it.
    assert [(r["date"], r["commune"]) for r in folded] == [
        ("2025-09-01", "05293"), ("2025-09-01", "05305"), ("2025-09-02", "05293"), ("2025-09-02", "05305"),
    ]  # fmt: skip
    assert folded[0]["carried_over"] == 1 and folded[0]["pending_total"] == 1
    assert folded[3]["received_direct"] == 1  # Yên Phú's dossier of 2/9


def test_daily_rows_add_up_to_the_summary(history, admin_user):
    rows = get(admin_user, "daily", province="25", page_size=500, **SEPTEMBER)["results"]
    summary = get(admin_user, "summary", province="25", **SEPTEMBER)

    for name in ("received_total", "resolved_total", "withdrawn", "stopped", "visits"):
        assert sum(row[name] for row in rows) == summary[name], name
    last_day = [row for row in rows if row["date"] == "2025-09-30"]
    assert sum(row["pending_total"] for row in last_day) == summary["pending_total"]


def test_daily_pages_cost_the_same_whatever_their_size(history, admin_user):
    client = api_as(admin_user)
    costs = []
    client.get("/api/v1/stats/daily/", {"province": "25"})  # the units cached (communes.generation)
    for page_size in (2, 500):
        params = {"province": "25", "include_predecessors": "true", "page_size": page_size, **SEPTEMBER}
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/stats/daily/", params).status_code == 200
        costs.append(len(queries))
    # auth, scope, units and merger links, then count, page and the previous days: never per row.
    assert costs[0] == costs[1] <= 12, costs


# --- Figures by field and procedure (form II.06a) ----------------------------------------------


def test_fields_group_the_procedures_and_add_up(history, clerk, procedure):
    body = get(clerk, "fields", commune="05293", **SEPTEMBER)

    assert [field["field"] for field in body["fields"]] == ["Chứng thực", "Hộ tịch"]
    attest, civil = body["fields"]
    assert [row["procedure"] for row in attest["procedures"]] == ["2.000815"]
    assert attest["procedures"][0]["name"] == "Chứng thực bản sao"
    assert (attest["received_total"], attest["received_postal"], attest["withdrawn"]) == (2, 1, 1)
    assert (attest["resolved_late"], attest["on_time_rate"], attest["online_rate"]) == (1, 0.0, 50.0)
    assert [row["procedure"] for row in civil["procedures"]] == [procedure.code]
    assert (civil["received_total"], civil["paused"], civil["pending_overdue"]) == (3, 1, 1)
    assert civil["on_time_rate"] == 100.0
    assert "visits" not in civil
    total = body["total"]
    assert total == {
        k: v for k, v in get(clerk, "summary", commune="05293", **SEPTEMBER).items() if k in total
    }
    for name in ("received_total", "resolved_total", "pending_total", "withdrawn"):
        assert attest[name] + civil[name] == total[name]


def test_fields_of_a_period_without_dossiers_are_empty(history, clerk):
    body = get(clerk, "fields", commune="05293", date_from="2025-08-01", date_to="2025-08-31")

    assert body["fields"] == []
    assert body["total"]["received_total"] == 0 and body["total"]["online_rate"] is None
