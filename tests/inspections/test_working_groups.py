"""Working groups: a number unique in the province, a leader, members from the province's departments."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections import errors
from inspections.errors import InspectionError
from inspections.models import WorkingGroup, WorkingGroupMember
from inspections.services import create_working_group


def test_inspector_creates_a_group_with_its_members(inspector, province, department, health_department):
    group = create_working_group(
        inspector,
        province,
        10,
        "Nguyễn Văn Tổ",
        leader_title="Tỉnh uỷ viên, Phó Chủ tịch UBND tỉnh",
        members=[
            {"name": "Trần Văn Khoa", "title": "Phó Giám đốc", "department": department},
            {"name": "Lê Thị Y", "department": health_department},
            {"name": "Phạm Văn Văn Phòng"},
        ],
    )

    assert group.name == "Tổ công tác số 10"
    assert group.leader_title == "Tỉnh uỷ viên, Phó Chủ tịch UBND tỉnh"
    assert list(group.members.values_list("name", "department__short_name")) == [
        ("Trần Văn Khoa", "Sở KH&CN"),
        ("Lê Thị Y", "Sở Y tế"),
        ("Phạm Văn Văn Phòng", None),
    ]


@pytest.mark.parametrize(
    ("kwargs", "code", "message"),
    [
        ({"number": 10}, errors.DUPLICATE_GROUP, "Tỉnh Phú Thọ đã có tổ công tác số 10."),
        ({"leader_name": " "}, errors.TEXT_REQUIRED, "Cần nhập họ và tên tổ trưởng."),
        ({"members": [{"name": ""}]}, errors.TEXT_REQUIRED, "Cần nhập họ và tên thành viên tổ công tác."),
        (
            {"members": [{"name": "Nguyễn Hà", "department": "far"}]},
            errors.OUTSIDE_PROVINCE,
            "Sở Khoa học và Công nghệ không thuộc tỉnh của tổ công tác.",
        ),
    ],
)
def test_bad_group_is_refused_and_nothing_saved(
    inspector, province, working_group, far_department, kwargs, code, message
):
    values = {"number": 11, "leader_name": "Nguyễn Văn Tổ", **kwargs}
    for member in values.get("members", []):
        if member.get("department") == "far":
            member["department"] = far_department
    with pytest.raises(InspectionError) as caught:
        create_working_group(inspector, province, values.pop("number"), values.pop("leader_name"), **values)
    assert (caught.value.code, caught.value.messages) == (code, [message])
    assert list(WorkingGroup.objects.values_list("number", flat=True)) == [10]
    assert not WorkingGroupMember.objects.exists()


@pytest.mark.parametrize("role", ["clerk", "department_user", "far_inspector"])
def test_only_the_provinces_inspectors_create_groups(request, role, province):
    with pytest.raises(PermissionDenied):
        create_working_group(request.getfixturevalue(role), province, 12, "Nguyễn Văn Tổ")
    assert not WorkingGroup.objects.exists()


def test_member_clean_refuses_a_department_of_another_province(working_group, far_department):
    member = WorkingGroupMember(group=working_group, name="Nguyễn Hà", department=far_department)
    with pytest.raises(ValidationError) as caught:
        member.full_clean()
    assert caught.value.message_dict == {"department": ["Sở, ngành phải thuộc tỉnh của tổ công tác."]}
