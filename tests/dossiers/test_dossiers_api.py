"""The dossiers REST API: receive, list and filter, read with an ETag, correct, move, history.

Time is frozen on Friday 12/9/2025 09:00 (Hà Nội): the procedure fixture takes 3 working days,
so a dossier received now is due Wednesday 17/9/2025 at 17:00.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from communes.choices import Role
from communes.models import Commune
from dossiers.models import Dossier
from dossiers.services import move_dossier, receive_dossier
from tests.factories import CommuneFactory, ServiceCentreFactory, StaffProfileFactory, UserFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2025, 9, 12, 9, 0, tzinfo=VN)
LIST = "/api/v1/dossiers/"
ADDRESS = "Xóm Đồng, xã Thượng Cốc, tỉnh Phú Thọ"


@pytest.fixture(autouse=True)
def friday_morning(vn_calendar):
    with time_machine.travel(NOW, tick=False):
        yield


def api_as(user) -> APIClient:
    """A client authenticated the way REST clients are: by token, the user loaded per request."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def url(dossier, suffix=""):
    return f"{LIST}{dossier.code}/{suffix}"


def payload(**overrides):
    data = {
        "procedure": "9.000003",
        "channel": "direct",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "001203004567",
        "applicant_phone": "0912345678",
        "applicant_address": ADDRESS,
    }
    data.update(overrides)
    return data


@pytest.fixture
def neighbour_clerk(neighbour_commune):
    return StaffProfileFactory(
        user=UserFactory(username="canbo_yenphu"), role=Role.CLERK, commune=neighbour_commune
    ).user


@pytest.fixture
def neighbour_dossier(neighbour_commune, procedure):
    ServiceCentreFactory(commune=neighbour_commune, agency_code="H25.05305")
    return receive_dossier(
        commune=neighbour_commune,
        procedure=procedure,
        channel="direct",
        applicant_name="Lê Văn Cường",
        applicant_id_number="001203009999",
    )


# --- Receiving ---------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["online", "direct", "postal"])
def test_clerk_receives_a_dossier_on_each_channel(clerk, centre, procedure, channel):
    response = api_as(clerk).post(LIST, payload(channel=channel), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"] == "H25.05293-250912-0001"
    assert response["Location"] == f"http://testserver{LIST}H25.05293-250912-0001/"
    assert response["ETag"] == '"H25.05293-250912-0001-v1"'
    assert (body["channel"], body["status"], body["status_label"]) == (channel, 2, "Được tiếp nhận")
    assert body["commune"] == "05293" and body["procedure"] == "9.000003"
    assert body["received_at"] == "2025-09-12T09:00:00+07:00"
    assert body["due_at"] == "2025-09-17T17:00:00+07:00"
    assert body["applicant_id_number"] == "001203004567"  # the clerk's own commune: in full
    assert body["allowed_transitions"] == [4, 7, 9]
    event = Dossier.objects.get(code=body["code"]).events.get()
    assert (event.to_status, event.actor) == (2, clerk)


def test_status_1_is_for_online_submissions_only(clerk, centre, procedure):
    client = api_as(clerk)

    online = client.post(LIST, payload(channel="online", status=1), format="json")
    direct = client.post(LIST, payload(channel="direct", status=1), format="json")

    assert online.status_code == 201
    assert online.json()["status"] == 1
    assert online.json()["received_at"] is None and online.json()["due_at"] is None
    assert online.json()["submitted_at"] == "2025-09-12T09:00:00+07:00"
    assert direct.status_code == 400
    assert direct.json()["code"] == "invalid-initial-status"
    assert Dossier.objects.count() == 1


def test_received_at_may_be_back_dated(clerk, centre, procedure):
    response = api_as(clerk).post(LIST, payload(received_at="2025-08-29T10:00:00+07:00"), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["code"] == "H25.05293-250829-0001"
    assert body["due_at"] == "2025-09-05T17:00:00+07:00"  # 1–2/9 are National Day holidays
    assert body["is_overdue"] is True


@pytest.mark.parametrize(
    ("received_at", "code"),
    [
        ("2025-09-12T10:00:00+07:00", "invalid-time"),  # an hour ahead of now
        ("2025-06-20T10:00:00+07:00", "commune-inactive"),  # before the new commune existed
    ],
)
def test_received_at_never_future_nor_outside_the_units_life(clerk, centre, procedure, received_at, code):
    response = api_as(clerk).post(LIST, payload(received_at=received_at), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not Dossier.objects.exists()


def test_clerk_always_receives_for_own_commune_whatever_the_payload(
    clerk, centre, procedure, neighbour_commune
):
    response = api_as(clerk).post(LIST, payload(commune=neighbour_commune.code), format="json")

    assert response.status_code == 201
    assert response.json()["commune"] == "05293"
    assert Dossier.objects.get().commune == centre.commune


def test_inspector_cannot_receive(inspector, centre, procedure):
    response = api_as(inspector).post(LIST, payload(commune="05293"), format="json")

    assert response.status_code == 403
    assert not Dossier.objects.exists()


def test_admin_names_the_commune_and_gets_the_version_of_the_receipt_day(
    admin_user, centre, province, procedure
):
    old = CommuneFactory(code="05293", name="Thượng Cốc", province=province, ended=True)
    ServiceCentreFactory(commune=old, agency_code="H17.05293")
    client = api_as(admin_user)

    missing = client.post(LIST, payload(), format="json")
    unknown = client.post(LIST, payload(commune="99999"), format="json")
    june = client.post(LIST, payload(commune="05293", received_at="2025-06-20T10:00:00+07:00"), format="json")
    today = client.post(LIST, payload(commune="05293"), format="json")

    assert missing.status_code == 400 and missing.json()["errors"]["commune"]
    assert unknown.status_code == 400 and unknown.json()["code"] == "does_not_exist"
    assert june.status_code == 201 and june.json()["code"] == "H17.05293-250620-0001"
    assert Dossier.objects.get(code=june.json()["code"]).commune == old
    assert today.status_code == 201 and today.json()["code"] == "H25.05293-250912-0001"
    assert Dossier.objects.get(code=today.json()["code"]).commune == centre.commune


def test_unknown_procedure_is_a_field_error(clerk, centre):
    response = api_as(clerk).post(LIST, payload(procedure="1.999999"), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "does_not_exist"
    assert "procedure" in response.json()["errors"]


# --- Listing ---------------------------------------------------------------------------------------


@pytest.fixture
def worklist(receive, clerk):
    """Three dossiers of Thượng Cốc: one overdue (received 29/8), one in processing, one online."""
    late = receive(at=dt.datetime(2025, 8, 29, 10, 0, tzinfo=VN), applicant_name="Trần Thị Bình")
    processing = receive(at=dt.datetime(2025, 9, 10, 8, 0, tzinfo=VN))
    processing = move_dossier(processing, 4, actor=clerk, at=dt.datetime(2025, 9, 10, 9, 0, tzinfo=VN))
    online = receive(channel="online")
    return {"late": late, "processing": processing, "online": online}


def codes(response):
    assert response.status_code == 200, response.json()
    return {row["code"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"late", "processing", "online"}),
        ({"status": 4}, {"processing"}),
        ({"status": [2, 4]}, {"late", "processing", "online"}),
        ({"channel": "online"}, {"online"}),
        ({"procedure": "9.000003", "field": "Hộ tịch"}, {"late", "processing", "online"}),
        ({"procedure": "1.000000"}, set()),
        ({"commune": "05293"}, {"late", "processing", "online"}),
        ({"commune": "05305"}, set()),
        ({"overdue": "true"}, {"late"}),
        ({"overdue": "false"}, {"processing", "online"}),
        # Until the end of today + N days: 14/9 has nothing, 15/9 17:00 and 17/9 17:00 are due.
        ({"due_within": 2}, set()),
        ({"due_within": 3}, {"processing"}),
        ({"due_within": 5}, {"processing", "online"}),
        ({"search": "tran thi binh"}, {"late"}),  # no diacritics, any case
        ({"search": "250829"}, {"late"}),  # part of the code
        ({"received_from": "2025-09-01"}, {"processing", "online"}),
        ({"received_to": "2025-08-31"}, {"late"}),
        ({"received_from": "2025-09-10", "received_to": "2025-09-10"}, {"processing"}),
    ],
)
def test_list_filters(clerk, worklist, query, expected):
    response = api_as(clerk).get(LIST, query)

    assert codes(response) == {worklist[name].code for name in expected}


def test_list_is_ordered_newest_first_unless_asked(clerk, worklist):
    client = api_as(clerk)

    default = [row["code"] for row in client.get(LIST).json()["results"]]
    by_due = [row["code"] for row in client.get(LIST, {"ordering": "due_at"}).json()["results"]]

    assert default == [worklist[n].code for n in ("online", "processing", "late")]
    assert by_due == [worklist[n].code for n in ("late", "processing", "online")]


def test_list_omits_other_communes(clerk, worklist, neighbour_dossier, neighbour_clerk):
    assert neighbour_dossier.code not in codes(api_as(clerk).get(LIST))
    assert codes(api_as(neighbour_clerk).get(LIST)) == {neighbour_dossier.code}


@pytest.mark.parametrize(
    ("role", "masked"), [("clerk", False), ("leader", False), ("inspector", True), ("admin_user", True)]
)
def test_personal_data_masked_outside_the_commune(request, receive, role, masked):
    dossier = receive()
    client = api_as(request.getfixturevalue(role))

    row = client.get(LIST).json()["results"][0]
    detail = client.get(url(dossier)).json()

    expected = (
        {
            "applicant_id_number": "********4567",
            "applicant_phone": "******5678",
            "applicant_address": "***, tỉnh Phú Thọ",
        }
        if masked
        else {
            "applicant_id_number": "001203004567",
            "applicant_phone": "0912345678",
            "applicant_address": ADDRESS,
        }
    )
    for body in (row, detail):
        assert {name: body[name] for name in expected} == expected
        assert body["applicant_name"] == "Nguyễn Văn An"


def _list_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"page_size": 100})
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.parametrize("role", ["clerk", "inspector"])
def test_list_costs_the_same_queries_for_5_or_30_dossiers(request, receive, role):
    client = api_as(request.getfixturevalue(role))
    for _ in range(5):
        receive()
    _list_queries(client)  # the scope cached (communes.generation), as on any later request
    few, count_few = _list_queries(client)
    for _ in range(25):
        receive()
    many, count_many = _list_queries(client)

    assert (count_few, count_many) == (5, 30)
    assert few == many
    assert many <= 7  # token, profile, scope (2), count, page


# --- Reading and correcting ---------------------------------------------------------------------------


def test_detail_has_an_etag_and_answers_304_while_unchanged(clerk, receive):
    dossier = receive()
    client = api_as(clerk)

    response = client.get(url(dossier))
    unchanged = client.get(url(dossier), HTTP_IF_NONE_MATCH=response["ETag"])
    weak = client.get(url(dossier), HTTP_IF_NONE_MATCH=f"W/{response['ETag']}")
    client.patch(url(dossier), {"applicant_phone": "0987654321"}, format="json")
    changed = client.get(url(dossier), HTTP_IF_NONE_MATCH=response["ETag"])

    assert response["ETag"] == f'"{dossier.code}-v1"'
    assert response.json()["version"] == 1
    assert (unchanged.status_code, weak.status_code) == (304, 304)
    assert changed.status_code == 200
    assert changed["ETag"] == f'"{dossier.code}-v2"'


def test_patch_corrects_the_applicant(clerk, receive):
    dossier = receive()
    client = api_as(clerk)

    response = client.patch(
        url(dossier), {"applicant_name": "  Nguyễn  Văn Anh ", "applicant_phone": "0987654321"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response["ETag"] == f'"{dossier.code}-v2"'
    dossier.refresh_from_db()
    assert (dossier.applicant_name, dossier.applicant_phone, dossier.version) == (
        "Nguyễn Văn Anh",
        "0987654321",
        2,
    )
    assert response.json()["applicant_name"] == "Nguyễn Văn Anh"


def test_patch_honours_if_match(clerk, receive):
    dossier = receive()
    client = api_as(clerk)
    etag = client.get(url(dossier))["ETag"]
    first = client.patch(url(dossier), {"applicant_phone": "0987654321"}, format="json", HTTP_IF_MATCH=etag)

    second = client.patch(url(dossier), {"applicant_phone": "0911111111"}, format="json", HTTP_IF_MATCH=etag)
    foreign = client.patch(
        url(dossier), {"applicant_phone": "0911111111"}, format="json", HTTP_IF_MATCH='"X-v2"'
    )
    weak = client.patch(
        url(dossier), {"applicant_phone": "0922222222"}, format="json", HTTP_IF_MATCH=f"W/{first['ETag']}"
    )

    assert first.status_code == 200
    assert second.status_code == 412
    assert second.json()["code"] == "stale-version"
    assert foreign.status_code == 412
    assert weak.status_code == 200
    dossier.refresh_from_db()
    assert (dossier.applicant_phone, dossier.version) == ("0922222222", 3)


@pytest.mark.parametrize(
    "body", [{"status": 9}, {"due_at": "2025-12-31T17:00:00+07:00"}, {"applicant_name": "A", "code": "X"}]
)
def test_patch_refuses_everything_but_the_applicant(clerk, receive, body):
    dossier = receive()

    response = api_as(clerk).patch(url(dossier), body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "read-only-field"
    assert set(response.json()["errors"]) == set(body) - {"applicant_name"}
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version, dossier.applicant_name) == (2, 1, "Nguyễn Văn An")


def test_patch_validates_the_values(clerk, receive):
    dossier = receive()

    response = api_as(clerk).patch(url(dossier), {"applicant_id_number": "12345"}, format="json")

    assert response.status_code == 400
    assert "applicant_id_number" in response.json()["errors"]


def test_admin_cannot_write_back_a_masked_value(admin_user, receive):
    dossier = receive()
    client = api_as(admin_user)
    shown = client.get(url(dossier)).json()

    response = client.patch(url(dossier), {"applicant_address": shown["applicant_address"]}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "masked-value"
    dossier.refresh_from_db()
    assert dossier.applicant_address == ADDRESS


# --- Moving ------------------------------------------------------------------------------------------


def test_transition_moves_and_returns_the_dossier(clerk, receive):
    dossier = receive(at=dt.datetime(2025, 9, 11, 8, 0, tzinfo=VN))

    response = api_as(clerk).post(
        url(dossier, "transitions/"),
        {"to": 4, "at": "2025-09-11T09:30:00+07:00", "note": "Chuyển chuyên môn"},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == 4
    assert response.json()["version"] == 2
    assert response["ETag"] == f'"{dossier.code}-v2"'
    event = dossier.events.order_by("-seq").first()
    assert (event.to_status, event.at, event.note, event.actor) == (
        4,
        dt.datetime(2025, 9, 11, 9, 30, tzinfo=VN),
        "Chuyển chuyên môn",
        clerk,
    )


def test_transition_at_defaults_to_now(clerk, receive):
    dossier = receive(at=dt.datetime(2025, 9, 11, 8, 0, tzinfo=VN))

    response = api_as(clerk).post(url(dossier, "transitions/"), {"to": 4}, format="json")

    assert response.status_code == 200
    assert dossier.events.order_by("-seq").first().at == NOW


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"to": 10}, 409, "illegal-transition"),  # 2 -> 10 skips processing and resolution
        ({"to": 4, "at": "2025-09-12T10:00:00+07:00"}, 400, "invalid-time"),  # the future
        ({"to": 4, "at": "2025-09-10T10:00:00+07:00"}, 400, "invalid-time"),  # before the intake
        ({"to": 11}, 400, "invalid_choice"),
    ],
)
def test_transition_refusals(clerk, receive, body, status, code):
    dossier = receive(at=dt.datetime(2025, 9, 11, 8, 0, tzinfo=VN))

    response = api_as(clerk).post(url(dossier, "transitions/"), body, format="json")

    assert response.status_code == status
    assert response.json()["code"] == code
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (2, 1)


def test_transition_into_a_merged_away_unit_is_refused(clerk, procedure):
    van_son = Commune.objects.get(code="05284")
    ServiceCentreFactory(commune=van_son, agency_code="H25.05284")
    submitted = receive_dossier(
        commune=van_son,
        procedure=procedure,
        channel="online",
        status=1,
        applicant_name="Đinh Văn Dũng",
        applicant_id_number="017203001234",
        at=dt.datetime(2025, 6, 20, 10, 0, tzinfo=VN),
    )

    response = api_as(clerk).post(url(submitted, "transitions/"), {"to": 2}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "commune-inactive"


def test_transition_honours_if_match(clerk, receive):
    dossier = receive(at=dt.datetime(2025, 9, 11, 8, 0, tzinfo=VN))
    client = api_as(clerk)
    stale = client.get(url(dossier))["ETag"]
    client.patch(url(dossier), {"applicant_phone": "0987654321"}, format="json")

    refused = client.post(url(dossier, "transitions/"), {"to": 4}, format="json", HTTP_IF_MATCH=stale)
    fresh = client.get(url(dossier))["ETag"]
    accepted = client.post(url(dossier, "transitions/"), {"to": 4}, format="json", HTTP_IF_MATCH=fresh)

    assert refused.status_code == 412
    assert refused.json()["code"] == "stale-version"
    assert accepted.status_code == 200


def test_inspector_cannot_move(inspector, receive):
    dossier = receive()

    response = api_as(inspector).post(url(dossier, "transitions/"), {"to": 4}, format="json")

    assert response.status_code == 403
    assert dossier.events.count() == 1


def test_events_in_order(clerk, receive):
    dossier = receive(at=dt.datetime(2025, 9, 8, 8, 0, tzinfo=VN))
    client = api_as(clerk)
    for to, at in (
        (4, "2025-09-08T09:00:00+07:00"),
        (5, "2025-09-09T10:00:00+07:00"),
        (4, "2025-09-11T08:00:00+07:00"),
    ):
        assert (
            client.post(url(dossier, "transitions/"), {"to": to, "at": at}, format="json").status_code == 200
        )

    events = client.get(url(dossier, "events/")).json()

    assert [(e["seq"], e["from_status"], e["to_status"]) for e in events] == [
        (1, None, 2),
        (2, 2, 4),
        (3, 4, 5),
        (4, 5, 4),
    ]
    assert events[0]["from_status_label"] is None
    assert events[2]["to_status_label"] == "Yêu cầu bổ sung giấy tờ"
    assert {e["actor"] for e in events} == {"canbo"}
    # Paused 9/9 and resumed 11/9: the due date 11/9 moves by 2 working days (10, 11) to 15/9.
    assert events[1]["due_at"] == "2025-09-11T17:00:00+07:00"
    assert events[3]["due_at"] == "2025-09-15T17:00:00+07:00"


def test_events_show_a_null_actor_for_imported_steps(clerk, procedure, centre):
    dossier = receive_dossier(
        commune=centre.commune,
        procedure=procedure,
        channel="postal",
        applicant_name="X Y",
        applicant_id_number="001203004567",
    )

    events = api_as(clerk).get(url(dossier, "events/")).json()

    assert [e["actor"] for e in events] == [None]


# --- Scope -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"applicant_phone": "0987654321"}),
        ("post", "transitions/", {"to": 4}),
        ("get", "events/", None),
    ],
)
def test_other_communes_dossier_is_not_found(clerk, neighbour_dossier, method, suffix, body):
    client = api_as(clerk)
    if method == "get":
        response = client.get(url(neighbour_dossier, suffix))
    else:
        response = getattr(client, method)(url(neighbour_dossier, suffix), body, format="json")

    assert response.status_code == 404
    neighbour_dossier.refresh_from_db()
    assert (neighbour_dossier.version, neighbour_dossier.applicant_phone) == (1, "")
