"""The dossiers API walked with every role (tests/scoping.py), and who may write what.

Four dossiers: Thượng Cốc's own (05293), one Văn Sơn (05284) received before it merged into
Thượng Cốc, one of the neighbour Yên Phú (05305, same province) and one of Ba Đình (00004,
another province). Clerks and leaders see their commune and its predecessors, inspectors their
province, admins all; everything else is a 404, never a 403, so a code's existence is not leaked.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from communes.models import Commune
from dossiers.services import receive_dossier
from tests.factories import ServiceCentreFactory
from tests.scoping import FORBIDDEN, NO_ROLE, NOT_FOUND, Endpoint, RoleWalk, client_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")
OWN = "H25.05293-250801-0001"
PREDECESSOR = "H25.05284-250620-0001"
NEIGHBOUR = "H25.05305-250801-0001"
FAR = "H01.00004-250801-0001"


def _receive(commune, procedure, code, day):
    # Codes given explicitly (as the import does): the walk's URLs must not depend on today's date.
    return receive_dossier(
        commune=commune,
        procedure=procedure,
        channel="direct",
        applicant_name="Nguyễn Văn An",
        applicant_id_number="001203004567",
        applicant_phone="0912345678",
        at=dt.datetime.combine(day, dt.time(9, 0), tzinfo=VN),
        code=code,
    )


@pytest.fixture
def walk_dossiers(commune, neighbour_commune, far_commune, procedure):
    august, june = dt.date(2025, 8, 1), dt.date(2025, 6, 20)
    return {
        "own": _receive(commune, procedure, OWN, august),
        "predecessor": _receive(Commune.objects.get(code="05284"), procedure, PREDECESSOR, june),
        "neighbour": _receive(neighbour_commune, procedure, NEIGHBOUR, august),
        "far": _receive(far_commune, procedure, FAR, august),
    }


def _detail_endpoints(code, **outcomes):
    return [
        Endpoint(f"/api/v1/dossiers/{code}/", no_role=FORBIDDEN, **outcomes),
        Endpoint(f"/api/v1/dossiers/{code}/events/", no_role=FORBIDDEN, **outcomes),
    ]


class TestDossiersApiWalk(RoleWalk):
    fixtures = ("walk_dossiers",)
    endpoints = [
        # The list answers everyone with a role; what it contains is scoped (see below).
        Endpoint("/api/v1/dossiers/", no_role=FORBIDDEN),
        *_detail_endpoints(OWN),
        *_detail_endpoints(PREDECESSOR),
        *_detail_endpoints(NEIGHBOUR, clerk=NOT_FOUND, leader=NOT_FOUND),
        *_detail_endpoints(FAR, clerk=NOT_FOUND, leader=NOT_FOUND, inspector=NOT_FOUND),
        *_detail_endpoints(
            "H25.05293-250801-9999", clerk=NOT_FOUND, leader=NOT_FOUND, inspector=NOT_FOUND, admin=NOT_FOUND
        ),
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clerk", {OWN, PREDECESSOR}),
        ("leader", {OWN, PREDECESSOR}),
        ("inspector", {OWN, PREDECESSOR, NEIGHBOUR}),
        ("admin", {OWN, PREDECESSOR, NEIGHBOUR, FAR}),
    ],
)
def test_list_holds_exactly_the_scope(request, walk_dossiers, role, expected):
    response = client_for(request, role, api=True).get("/api/v1/dossiers/")

    assert response.status_code == 200
    assert {row["code"] for row in response.json()["results"]} == expected


# Writes, per role: inspectors read only (403 before any lookup), commune staff act on their own
# commune's dossiers (another commune's is a 404), admins on every dossier; anonymous is 401
# (token authentication asks for credentials) and an account without a role 403.
WRITE_OUTCOMES = [
    ("clerk", "own", 200),
    ("clerk", "neighbour", 404),
    ("leader", "own", 200),
    ("leader", "neighbour", 404),
    ("inspector", "own", 403),
    ("inspector", "neighbour", 403),
    ("admin", "own", 200),
    ("admin", "neighbour", 200),
    ("anonymous", "own", 401),
    (NO_ROLE, "own", 403),
]


@pytest.mark.parametrize(("role", "target", "status"), WRITE_OUTCOMES)
def test_transition_per_role(request, walk_dossiers, role, target, status):
    dossier = walk_dossiers[target]

    response = client_for(request, role, api=True).post(
        f"/api/v1/dossiers/{dossier.code}/transitions/", {"to": 4}, content_type="application/json"
    )

    assert response.status_code == status
    dossier.refresh_from_db()
    assert dossier.status == (4 if status == 200 else 2)


@pytest.mark.parametrize(("role", "target", "status"), WRITE_OUTCOMES)
def test_patch_per_role(request, walk_dossiers, role, target, status):
    dossier = walk_dossiers[target]

    response = client_for(request, role, api=True).patch(
        f"/api/v1/dossiers/{dossier.code}/",
        {"applicant_name": "Nguyễn Văn Anh"},
        content_type="application/json",
    )

    assert response.status_code == status
    dossier.refresh_from_db()
    assert dossier.applicant_name == ("Nguyễn Văn Anh" if status == 200 else "Nguyễn Văn An")


@pytest.mark.parametrize(
    ("role", "status"), [("clerk", 201), ("leader", 201), ("admin", 201), ("inspector", 403)]
)
def test_create_per_role(request, walk_dossiers, role, status):
    ServiceCentreFactory(commune=walk_dossiers["own"].commune, agency_code="H25.05293")
    body = {
        "commune": "05293",
        "procedure": walk_dossiers["own"].procedure.code,
        "channel": "direct",
        "applicant_name": "Trần Thị Bình",
        "applicant_id_number": "001303004568",
    }

    response = client_for(request, role, api=True).post(
        "/api/v1/dossiers/", body, content_type="application/json"
    )

    assert response.status_code == status
    if status == 201:
        assert response.json()["commune"] == "05293"
