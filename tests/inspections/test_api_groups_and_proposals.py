"""Working groups (created and changed by the province's inspectors) and answers to proposals (by
the addressed department or an inspector) over the API, per role, with the services' refusals."""

import pytest

from inspections.models import Proposal, WorkingGroup, WorkingGroupMember

from .api_world import api_as, build_world

GROUPS = "/api/v1/working-groups/"


@pytest.fixture
def world(request, db):
    return build_world(request)


def group_body(world, **overrides):
    body = {
        "number": 11,
        "leader_name": "Lê Văn Tổ",
        "leader_title": "Phó Chủ tịch UBND tỉnh",
        "members": [
            {"name": "Trần Văn Sở", "title": "Phó Giám đốc", "department": world["department"]},
            {"name": "Phạm Văn Công", "title": "Phó Trưởng phòng"},
        ],
    }
    body.update(overrides)
    return body


def group_counts():
    return (WorkingGroup.objects.count(), WorkingGroupMember.objects.count())


# --- Working groups ------------------------------------------------------------------------------


def test_an_inspector_creates_a_group_of_its_province(world, inspector):
    response = api_as(inspector).post(GROUPS, group_body(world), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["Location"] == f"http://testserver{GROUPS}{body['id']}/"
    assert (body["province"], body["number"], body["name"]) == ("25", 11, "Tổ công tác số 11")
    assert [(m["name"], m["department_name"]) for m in body["members"]] == [
        ("Trần Văn Sở", "Sở Khoa học và Công nghệ"),
        ("Phạm Văn Công", None),
    ]


def test_the_admin_names_the_province(world, admin_user):
    client = api_as(admin_user)
    before = group_counts()

    missing = client.post(GROUPS, group_body(world, members=[]), format="json")
    unknown = client.post(GROUPS, group_body(world, province="99", members=[]), format="json")
    ha_noi = client.post(GROUPS, group_body(world, province="01", members=[]), format="json")

    assert (missing.status_code, missing.json()["code"], list(missing.json()["errors"])) == (
        400,
        "required",
        ["province"],
    )
    assert (unknown.status_code, unknown.json()["code"]) == (400, "does_not_exist")
    assert (ha_noi.status_code, ha_noi.json()["province"]) == (201, "01")
    assert group_counts() == (before[0] + 1, before[1])


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"number": 10}, "duplicate-group"),
        ({"leader_name": " "}, "text-required"),
        ({"members": [{"name": ""}]}, "text-required"),
        ({"members": [{"name": "Nguyễn Văn Hà", "department": "far_department"}]}, "outside-province"),
    ],
)
def test_bad_groups_are_refused_and_nothing_saved(world, inspector, overrides, code):
    if "members" in overrides:
        for member in overrides["members"]:
            if "department" in member:
                member["department"] = world[member["department"]]
    before = group_counts()

    response = api_as(inspector).post(GROUPS, group_body(world, **overrides), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert group_counts() == before


@pytest.mark.parametrize(
    ("role", "body", "status"),
    [
        ("clerk", {}, 403),
        ("department_user", {}, 403),
        ("no_role_user", {}, 403),
        ("inspector", {"province": "01"}, 403),  # another province: the service refuses
        ("far_inspector", {}, 400),  # its own province, but a department of Phú Thọ as member
        ("anonymous", {}, 401),
    ],
)
def test_who_may_create_a_group(request, world, role, body, status):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    before = group_counts()

    response = api_as(user).post(GROUPS, group_body(world, **body), format="json")

    assert response.status_code == status
    assert group_counts() == before


def test_an_inspector_changes_the_leader_and_replaces_the_members(world, inspector):
    response = api_as(inspector).patch(
        f"{GROUPS}{world['group']}/",
        {
            "leader_title": "Chủ tịch UBND tỉnh",
            "members": [{"name": "Vũ Thị Y", "department": world["health_department"]}],
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["leader_name"], body["leader_title"]) == ("Nguyễn Văn Tổ", "Chủ tịch UBND tỉnh")
    assert [(m["name"], m["department_name"]) for m in body["members"]] == [("Vũ Thị Y", "Sở Y tế")]
    assert list(
        WorkingGroupMember.objects.filter(group_id=world["group"]).values_list("name", flat=True)
    ) == ["Vũ Thị Y"]


@pytest.mark.parametrize(
    ("body", "code"),
    [({"number": 1}, None), ({"province": "01"}, "read-only-field"), ({"leader_name": ""}, "text-required")],
)
def test_bad_group_changes_are_refused(world, inspector, far_group, body, code):
    # Number 1 is Hà Nội's group: free in Phú Thọ, so that change is accepted.
    response = api_as(inspector).patch(f"{GROUPS}{world['group']}/", body, format="json")

    group = WorkingGroup.objects.get(pk=world["group"])
    if code is None:
        assert (response.status_code, group.number) == (200, 1)
        return
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert (group.number, group.leader_name, group.province.code) == (10, "Nguyễn Văn Tổ", "25")


def test_a_number_taken_in_the_province_is_refused(world, inspector, province):
    from tests.factories import WorkingGroupFactory

    WorkingGroupFactory(province=province, number=12, name="Tổ công tác số 12")

    response = api_as(inspector).patch(f"{GROUPS}{world['group']}/", {"number": 12}, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "duplicate-group")
    assert WorkingGroup.objects.get(pk=world["group"]).number == 10


@pytest.mark.parametrize(
    ("role", "status"), [("clerk", 403), ("department_user", 403), ("far_inspector", 404)]
)
def test_who_may_change_a_group(request, world, role, status):
    response = api_as(request.getfixturevalue(role)).patch(
        f"{GROUPS}{world['group']}/", {"leader_title": "Đã sửa"}, format="json"
    )

    assert response.status_code == status
    assert WorkingGroup.objects.get(pk=world["group"]).leader_title == "Tỉnh uỷ viên, Phó Chủ tịch UBND tỉnh"


# --- Answering proposals -------------------------------------------------------------------------


def answer_url(world, key="proposal_tc"):
    return f"/api/v1/proposals/{world[key]}/answer/"


def test_the_addressed_department_answers(world, department_user):
    response = api_as(department_user).post(
        answer_url(world),
        {"status": "answered", "answer": "Sở sẽ nâng cấp phần mềm trong tháng 9."},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["status_label"], body["answered_by"]) == ("answered", "Đã trả lời", "sokhcn")
    assert (body["answer"], body["answered_at"]) == (
        "Sở sẽ nâng cấp phần mềm trong tháng 9.",
        "2025-08-05T10:00:00+07:00",
    )
    assert Proposal.objects.get(pk=world["proposal_tc"]).status == "answered"


def test_an_inspector_marks_a_proposal_accepted(world, inspector):
    response = api_as(inspector).post(answer_url(world, "proposal_yp"), {"status": "accepted"}, format="json")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["answer"]) == ("accepted", "")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"status": "answered", "answer": " "}, "answer-required"),
        ({"status": "pending"}, "invalid-status"),
        ({"status": "rejected", "answer": "Không"}, "invalid-status"),
    ],
)
def test_bad_answers_are_refused_and_nothing_changes(world, department_user, body, code):
    response = api_as(department_user).post(answer_url(world), body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, code)
    proposal = Proposal.objects.get(pk=world["proposal_tc"])
    assert (proposal.status, proposal.answered_at) == ("pending", None)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("clerk", 403),  # reads its commune's proposal, does not answer it
        ("leader", 403),
        ("health_user", 404),  # addressed to Sở KH&CN: not in Sở Y tế's scope
        ("neighbour_clerk", 404),
        ("far_inspector", 404),
        ("no_role_user", 403),
        ("admin_user", 200),
    ],
)
def test_who_may_answer(request, world, role, status):
    response = api_as(request.getfixturevalue(role)).post(
        answer_url(world), {"status": "accepted"}, format="json"
    )

    assert response.status_code == status
    assert (Proposal.objects.get(pk=world["proposal_tc"]).status == "accepted") == (status == 200)
