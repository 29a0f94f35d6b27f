"""The worklist and its export, walked with every role (tests/scoping.py).

Lists have no out-of-scope answer of their own: whatever is asked, they hold only the rows in
scope (tests/dossiers/test_worklist.py and test_export.py check which rows).
"""

import pytest

from tests.factories import ServiceCentreFactory
from tests.scoping import FORBIDDEN, Endpoint, RoleWalk


@pytest.fixture
def dossiers_in_two_communes(receive, neighbour_commune):
    ServiceCentreFactory(commune=neighbour_commune, agency_code="H25.05305")
    return [receive(), receive(commune=neighbour_commune)]


class TestWorklistWalk(RoleWalk):
    fixtures = ("dossiers_in_two_communes",)
    endpoints = [
        Endpoint("/ho-so/", no_role=FORBIDDEN),
        Endpoint("/ho-so/?status=2&status=4&overdue=false&search=nguyen", no_role=FORBIDDEN),
        Endpoint("/ho-so/?commune=05305", no_role=FORBIDDEN),
        Endpoint("/ho-so/xuat-excel/", no_role=FORBIDDEN),
        Endpoint("/ho-so/xuat-excel/?commune=05305&ordering=-received_at", no_role=FORBIDDEN),
    ]
