"""Every page and endpoint that exists today, walked with every role (see tests/scoping.py).

Administrative units are reference data: every signed-in account reads every unit, in its
province or not; only anonymous visitors are turned away. Scoped data (dossiers) adds its own walk.
"""

from tests.scoping import NOT_FOUND, OK, Endpoint, RoleWalk


class TestSiteAndCommunesWalk(RoleWalk):
    fixtures = ("commune", "far_commune")
    endpoints = [
        # The home page tells an account without a role to ask for one, so it opens for it too.
        Endpoint("/", no_role=OK),
        Endpoint("/don-vi/", no_role=OK),
        Endpoint("/don-vi/05293/", no_role=OK),
        # Another province's unit: reference data, readable by a clerk of Phú Thọ as well.
        Endpoint("/don-vi/00004/", no_role=OK),
        Endpoint(
            "/don-vi/99999/",
            clerk=NOT_FOUND,
            leader=NOT_FOUND,
            inspector=NOT_FOUND,
            admin=NOT_FOUND,
        ),
        Endpoint("/api/v1/provinces/", no_role=OK),
        Endpoint("/api/v1/communes/", no_role=OK),
        Endpoint("/api/v1/communes/05293/", no_role=OK),
        Endpoint("/api/v1/communes/00004/", no_role=OK),
        Endpoint(
            "/api/v1/communes/99999/",
            clerk=NOT_FOUND,
            leader=NOT_FOUND,
            inspector=NOT_FOUND,
            admin=NOT_FOUND,
        ),
    ]
