"""The inspections API walked with every role (tests/scoping.py), plus the roles this app adds.

Beside the shared roles (Thượng Cốc's clerk and leader, Phú Thọ's inspector, the admin, anonymous
and an account without a role), each URL is walked as Sở KH&CN's user (`department`), Yên Phú's
clerk (`neighbour_clerk`) and Hà Nội's inspector (`far_inspector`). Ids differ per run, so URLs
name them as `{visit}`, `{proposal_tc}`, ... (tests/inspections/api_world.py). Whatever is out of
scope is a 404, never a 403, so an id's existence is not leaked; a signed-in account without a
role is 403 everywhere.
"""

from dataclasses import dataclass

import pytest

from tests import scoping
from tests.scoping import FORBIDDEN, NOT_FOUND, OK, RoleWalk, assert_outcome, client_for

from .api_world import api_as, build_world

#: Role name in an Endpoint -> fixture of tests/inspections/conftest.py.
EXTRA_ROLES = {
    "department": "department_user",
    "neighbour_clerk": "neighbour_clerk",
    "far_inspector": "far_inspector",
}


@dataclass(frozen=True)
class Endpoint(scoping.Endpoint):
    department: str = OK
    neighbour_clerk: str = OK
    far_inspector: str = OK
    no_role: str | None = FORBIDDEN

    def cases(self):
        return [*super().cases(), *((role, getattr(self, role)) for role in EXTRA_ROLES)]


# Shorthands: who sees a Phú Thọ row (everyone of the province: far_inspector does not), and who
# sees only Hà Nội's rows (the admin and Hà Nội's inspector).
PROVINCE_ONLY = {"far_inspector": NOT_FOUND}
HA_NOI_ONLY = {
    "clerk": NOT_FOUND,
    "leader": NOT_FOUND,
    "inspector": NOT_FOUND,
    "department": NOT_FOUND,
    "neighbour_clerk": NOT_FOUND,
}
NOBODY = {**HA_NOI_ONLY, "admin": NOT_FOUND, "far_inspector": NOT_FOUND}
THUONG_COC_PART = {"neighbour_clerk": NOT_FOUND, "far_inspector": NOT_FOUND}
YEN_PHU_PART = {"clerk": NOT_FOUND, "leader": NOT_FOUND, "far_inspector": NOT_FOUND}


def _directive(key, **outcomes):
    return [
        Endpoint(f"/api/v1/directives/{{{key}}}/", **outcomes),
        Endpoint(f"/api/v1/directives/{{{key}}}/progress/", **outcomes),
    ]


class TestInspectionsApiWalk(RoleWalk):
    endpoints = [
        # Lists answer every staff role; what they hold is scoped (test_api_lists.py).
        Endpoint("/api/v1/departments/"),
        Endpoint("/api/v1/working-groups/"),
        Endpoint("/api/v1/visits/"),
        Endpoint("/api/v1/proposals/"),
        Endpoint("/api/v1/directives/"),
        # Departments are reference data: every staff account reads every one.
        Endpoint("/api/v1/departments/{far_department}/"),
        Endpoint("/api/v1/working-groups/{group}/", **PROVINCE_ONLY),
        Endpoint("/api/v1/working-groups/{far_group}/", **HA_NOI_ONLY),
        Endpoint("/api/v1/visits/{visit}/", **PROVINCE_ONLY),
        Endpoint("/api/v1/visits/{far_visit}/", **HA_NOI_ONLY),
        # A clerk reads its own commune's part of a visit, never the other commune's figures.
        Endpoint("/api/v1/visits/{visit}/communes/05293/", **THUONG_COC_PART),
        Endpoint("/api/v1/visits/{visit}/communes/05305/", **YEN_PHU_PART),
        Endpoint("/api/v1/visits/{visit}/communes/00004/", **NOBODY),
        # A department user reads only the proposals and directives addressed to its department.
        Endpoint("/api/v1/proposals/{proposal_tc}/", **THUONG_COC_PART),
        Endpoint("/api/v1/proposals/{proposal_yp}/", **YEN_PHU_PART, department=NOT_FOUND),
        Endpoint("/api/v1/proposals/{far_proposal}/", **HA_NOI_ONLY),
        *_directive("directive_dept", clerk=NOT_FOUND, leader=NOT_FOUND, **THUONG_COC_PART),
        *_directive("directive_health", **YEN_PHU_PART, department=NOT_FOUND, neighbour_clerk=NOT_FOUND),
        *_directive("directive_tc", department=NOT_FOUND, **THUONG_COC_PART),
        *_directive("directive_yp", department=NOT_FOUND, **YEN_PHU_PART),
        *_directive("far_directive", **HA_NOI_ONLY),
        Endpoint("/api/v1/directives/999999/", **NOBODY),
        Endpoint("/api/v1/visits/not-an-id/", **NOBODY),
    ]

    @pytest.fixture
    def world(self, request, db):
        return build_world(request)

    def test_role_sees_what_its_scope_allows(self, request, world, endpoint, role):
        if role in EXTRA_ROLES:
            client = api_as(request.getfixturevalue(EXTRA_ROLES[role]))
        else:
            client = client_for(request, role, api=True)

        response = client.get(endpoint.url.format(**world))

        assert_outcome(response, endpoint, role, getattr(endpoint, role))
