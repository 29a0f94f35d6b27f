"""A commune's inspections page: its visits with their frozen figures and its open directives."""

import pytest

from . import pages_data
from .pages_data import page_text

# Fixtures shared by the page tests (tests/inspections/pages_data.py).
world = pages_data.world
thuong_coc_july = pages_data.thuong_coc_july
other_clerk = pages_data.other_clerk


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "url", "expected"),
    [
        ("clerk", "/kiem-tra/xa/05293/", 200),
        ("leader", "/kiem-tra/xa/05293/", 200),
        ("clerk", "/kiem-tra/xa/05305/", 404),
        ("neighbour_clerk", "/kiem-tra/xa/05293/", 404),
        ("inspector", "/kiem-tra/xa/05293/", 200),
        ("inspector", "/kiem-tra/xa/05305/", 200),
        ("inspector", "/kiem-tra/xa/00004/", 404),
        ("inspector", "/kiem-tra/xa/99999/", 404),
        ("far_inspector", "/kiem-tra/xa/05293/", 404),
        ("admin_user", "/kiem-tra/xa/00004/", 200),
        ("department_user", "/kiem-tra/xa/05293/", 403),
        ("department_user", "/kiem-tra/xa/", 403),
        ("clerk", "/kiem-tra/xa/", 200),
        ("other_clerk", "/kiem-tra/xa/", 200),
        ("no_role_user", "/kiem-tra/xa/", 403),
    ],
)
def test_who_opens_which_commune(client, world, request, role, url, expected):
    assert as_user(client, request.getfixturevalue(role)).get(url).status_code == expected


def test_an_inspector_is_sent_from_the_own_commune_address_to_the_visits(client, inspector):
    response = as_user(client, inspector).get("/kiem-tra/xa/")
    assert response.status_code == 302 and response["Location"] == "/kiem-tra/"


def test_a_clerk_sees_its_visits_and_its_open_directives(client, world, clerk):
    response = as_user(client, clerk).get("/kiem-tra/xa/")
    content = page_text(response)
    assert "Kiểm tra tại Xã Thượng Cốc" in content
    row = content[content.index(f'<tr data-visit="{world.visit.pk}">') :]
    row = row[: row.index("</tr>")]
    for text in ("29/07/2025", "Tổ công tác số 10", "01/07/2025 – 28/07/2025", "84", "66,67%", "88,89%"):
        assert text in row
    assert [d.pk for d in response.context["directives"]] == [world.commune_task.pk]
    assert '<span class="badge overdue">1 quá hạn</span>' in content


def test_an_inspector_also_sees_the_departments_tasks_from_this_commune(client, world, inspector):
    response = as_user(client, inspector).get("/kiem-tra/xa/05293/")
    # Overdue first, then by due date; done ones are not listed.
    assert [d.pk for d in response.context["directives"]] == [world.overdue.pk, world.commune_task.pk]
    content = page_text(response)
    assert "Sở Khoa học và Công nghệ" in content
    assert "Rà soát quy trình tiếp nhận." not in content


def test_a_commune_without_visits(client, other_clerk):
    content = page_text(as_user(client, other_clerk).get("/kiem-tra/xa/"))
    assert "Xã chưa có buổi kiểm tra nào." in content
    assert "Không có nhiệm vụ nào đang thực hiện." in content
