"""What the inspections API tests read and write: built with the services, ids by readable name.

Tổ công tác số 10 (Phú Thọ, with one member from Sở KH&CN) visited Thượng Cốc 05293 and Yên
Phú 05305 on 29/7/2025: a finding and a proposal per commune (Thượng Cốc's to Sở KH&CN, Yên
Phú's to Sở Y tế), four directives (one per department, one per commune), each with a progress
note. Tổ công tác số 1 of Hà Nội visited Ba Đình 00004 the same day with the same kinds of rows.

The API clients of the extra accounts of tests/inspections/conftest.py (department users, the
neighbour's clerk, Hà Nội's inspector) are made here too, by token as REST clients come.
"""

import datetime as dt

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from inspections.choices import DirectiveStatus, FindingCategory
from inspections.models import WorkingGroupMember
from inspections.services import add_finding, add_progress, add_proposal, create_directive, record_visit

from .conftest import VISIT_DAY

DUE = dt.date(2025, 8, 31)
#: The fixtures a world needs (tests/conftest.py and tests/inspections/conftest.py).
WORLD_FIXTURES = (
    "inspector",
    "working_group",
    "far_group",
    "commune",
    "neighbour_commune",
    "far_commune",
    "department",
    "health_department",
    "far_department",
)


def api_as(user) -> APIClient:
    """A client authenticated by token (None: anonymous)."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def build_world(request) -> dict:
    """Create the rows above and return their ids by name (see the module docstring)."""
    f = {name: request.getfixturevalue(name) for name in WORLD_FIXTURES}
    inspector = f["inspector"]
    WorkingGroupMember.objects.create(
        group=f["working_group"], name="Trần Văn Sở", title="Phó Giám đốc", department=f["department"]
    )
    visit = record_visit(
        inspector,
        f["working_group"],
        VISIT_DAY,
        [f["commune"], f["neighbour_commune"]],
        participants="Tổ công tác số 10",
    )
    thuong_coc = visit.visited_communes.get(commune=f["commune"])
    yen_phu = visit.visited_communes.get(commune=f["neighbour_commune"])
    add_finding(inspector, thuong_coc, FindingCategory.STAFFING, "Thiếu cán bộ ở Thượng Cốc")
    add_finding(inspector, yen_phu, FindingCategory.STAFFING, "Thiếu cán bộ ở Yên Phú")
    proposal_tc = add_proposal(inspector, thuong_coc, "Nâng cấp phần mềm một cửa", f["department"])
    proposal_yp = add_proposal(inspector, yen_phu, "Hướng dẫn trạm y tế xã", f["health_department"])
    directives = {}
    for key, text, assignee in (
        ("directive_dept", "Sở KH&CN nâng cấp phần mềm", {"department": f["department"]}),
        ("directive_health", "Sở Y tế hướng dẫn trạm y tế", {"department": f["health_department"]}),
        ("directive_tc", "Thượng Cốc bố trí máy tính", {"commune": f["commune"]}),
        ("directive_yp", "Yên Phú bố trí máy tính", {"commune": f["neighbour_commune"]}),
    ):
        directives[key] = create_directive(inspector, visit, text, DUE, **assignee)
        add_progress(inspector, directives[key], f"Đã giao: {text}", DirectiveStatus.IN_PROGRESS)

    far_visit = record_visit(None, f["far_group"], VISIT_DAY, [f["far_commune"]])
    far_entry = far_visit.visited_communes.get()
    add_finding(None, far_entry, FindingCategory.OTHER, "Hà Nội")
    far_proposal = add_proposal(None, far_entry, "Hà Nội: phần mềm", f["far_department"])
    far_directive = create_directive(
        None, far_visit, "Ba Đình bố trí máy tính", DUE, commune=f["far_commune"]
    )
    return {
        "group": f["working_group"].pk,
        "far_group": f["far_group"].pk,
        "department": f["department"].pk,
        "health_department": f["health_department"].pk,
        "far_department": f["far_department"].pk,
        "visit": visit.pk,
        "far_visit": far_visit.pk,
        "proposal_tc": proposal_tc.pk,
        "proposal_yp": proposal_yp.pk,
        "far_proposal": far_proposal.pk,
        **{key: directive.pk for key, directive in directives.items()},
        "far_directive": far_directive.pk,
    }
