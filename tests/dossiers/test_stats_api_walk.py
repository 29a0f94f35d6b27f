"""The statistics API walked with every role (tests/scoping.py).

Thượng Cốc (05293) is the clerk's and leader's commune, Yên Phú (05305) its neighbour in province
25 (the inspector's), Ba Đình (00004) is in province 01. Every staff role reads statistics within
its scope; a commune or province outside it is a 404, never a 403, as for dossiers. Province
totals are for scopes covering the whole province: a clerk asking for their own province gets a
404 too (dossiers.figures_scope.resolve_units).
"""

from tests.scoping import FORBIDDEN, NOT_FOUND, Endpoint, RoleWalk

COMMUNE_STAFF_OUT = {"clerk": NOT_FOUND, "leader": NOT_FOUND}
ALL_OUT = {"clerk": NOT_FOUND, "leader": NOT_FOUND, "inspector": NOT_FOUND, "admin": NOT_FOUND}


def _endpoints(path, *, by_commune=True):
    url = f"/api/v1/stats/{path}/"
    endpoints = [
        Endpoint(url, no_role=FORBIDDEN),
        Endpoint(f"{url}?province=25", no_role=FORBIDDEN, **COMMUNE_STAFF_OUT),
        Endpoint(f"{url}?province=01", inspector=NOT_FOUND, **COMMUNE_STAFF_OUT),
        Endpoint(f"{url}?province=99", **ALL_OUT),
    ]
    if by_commune:
        endpoints += [
            Endpoint(f"{url}?commune=05293", no_role=FORBIDDEN),
            Endpoint(f"{url}?commune=05293&include_predecessors=true"),
            Endpoint(f"{url}?commune=05305", **COMMUNE_STAFF_OUT),
            Endpoint(f"{url}?commune=00004", inspector=NOT_FOUND, **COMMUNE_STAFF_OUT),
            Endpoint(f"{url}?commune=99999", **ALL_OUT),
        ]
    return endpoints


class TestStatsApiWalk(RoleWalk):
    fixtures = ("commune", "neighbour_commune", "far_commune")
    endpoints = [
        *_endpoints("summary"),
        *_endpoints("daily"),
        *_endpoints("fields"),
        # The ranking is by province (or the whole scope): it takes no `commune`.
        *_endpoints("communes", by_commune=False),
    ]
