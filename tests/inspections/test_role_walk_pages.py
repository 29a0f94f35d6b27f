"""The inspections' pages in the shared role walk (tests/scoping.py): clerk, leader, inspector,
admin and anonymous. The department role and the pages addressed by id are walked in the page tests
(test_visit_pages.py, test_directive_pages.py, test_proposal_pages.py, ...)."""

from tests.scoping import FORBIDDEN, NOT_FOUND, Endpoint, RoleWalk

from . import pages_data

# Fixtures shared by the page tests (tests/inspections/pages_data.py).
world = pages_data.world
thuong_coc_july = pages_data.thuong_coc_july


class TestInspectionPagesWalk(RoleWalk):
    fixtures = ("world",)
    endpoints = [
        Endpoint("/kiem-tra/", no_role=FORBIDDEN),
        Endpoint("/kiem-tra/?group=&commune=05293&date_from=2025-07-01", no_role=FORBIDDEN),
        Endpoint("/kiem-tra/ghi-nhan/", clerk=FORBIDDEN, leader=FORBIDDEN, no_role=FORBIDDEN),
        Endpoint("/kiem-tra/nhiem-vu/", no_role=FORBIDDEN),
        Endpoint("/kiem-tra/nhiem-vu/?overdue=true&theo=xa&due_before=2025-08-31", no_role=FORBIDDEN),
        Endpoint("/kiem-tra/kien-nghi/", clerk=FORBIDDEN, leader=FORBIDDEN, no_role=FORBIDDEN),
        Endpoint("/kiem-tra/kien-nghi/?status=pending", clerk=FORBIDDEN, leader=FORBIDDEN),
        Endpoint("/kiem-tra/xa/05293/", no_role=FORBIDDEN),
        Endpoint("/kiem-tra/xa/05305/", clerk=NOT_FOUND, leader=NOT_FOUND),
        Endpoint("/kiem-tra/xa/00004/", clerk=NOT_FOUND, leader=NOT_FOUND, inspector=NOT_FOUND),
        Endpoint(
            "/kiem-tra/xa/99999/", clerk=NOT_FOUND, leader=NOT_FOUND, inspector=NOT_FOUND, admin=NOT_FOUND
        ),
    ]
