"""Proposals addressed to a department: the list its users work from, and the answer form."""

import pytest

from inspections.models import Proposal

from . import pages_data
from .pages_data import page_text

# Fixtures shared by the page tests (tests/inspections/pages_data.py).
world = pages_data.world
thuong_coc_july = pages_data.thuong_coc_july

LIST = "/kiem-tra/kien-nghi/"


def as_user(client, user):
    client.force_login(user)
    return client


def answer_url(proposal):
    return f"/kiem-tra/kien-nghi/{proposal.pk}/tra-loi/"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clerk", 403),
        ("leader", 403),
        ("department_user", 200),
        ("inspector", 200),
        ("admin_user", 200),
        ("no_role_user", 403),
    ],
)
def test_the_list_is_for_departments_and_inspectors(client, world, request, role, expected):
    assert as_user(client, request.getfixturevalue(role)).get(LIST).status_code == expected


def test_a_department_user_sees_the_proposals_addressed_to_it(client, world, department_user, inspector):
    content = page_text(as_user(client, department_user).get(LIST))
    assert "Kiến nghị của các xã gửi Sở Khoa học và Công nghệ." in content
    assert "1 kiến nghị chờ xử lý." in content
    assert f'data-proposal="{world.to_science.pk}"' in content
    assert f'data-proposal="{world.to_health.pk}"' not in content
    assert "Trả lời kiến nghị</summary>" in content
    assert 'name="department"' not in content  # its own department only: no filter to choose

    content = page_text(as_user(client, inspector).get(LIST))
    assert f'data-proposal="{world.to_science.pk}"' in content
    assert f'data-proposal="{world.to_health.pk}"' in content
    assert "2 kiến nghị chờ xử lý." in content


def test_filters_and_pending_first(client, world, inspector, health_department):
    Proposal.objects.filter(pk=world.to_science.pk).update(
        status="accepted", answered_at="2025-08-01T09:00+07:00"
    )
    response = as_user(client, inspector).get(LIST)
    assert [p.pk for p in response.context["proposals"]] == [world.to_health.pk, world.to_science.pk]
    response = client.get(LIST, {"department": health_department.pk})
    assert [p.pk for p in response.context["proposals"]] == [world.to_health.pk]
    response = client.get(LIST, {"status": "accepted"})
    assert [p.pk for p in response.context["proposals"]] == [world.to_science.pk]
    response = client.get(LIST, {"commune": "05305"})
    assert [p.pk for p in response.context["proposals"]] == [world.to_health.pk]


def test_a_department_user_answers(client, world, department_user):
    response = as_user(client, department_user).post(
        answer_url(world.to_science),
        {
            f"a{world.to_science.pk}-status": "answered",
            f"a{world.to_science.pk}-answer": "Sở sẽ nâng cấp trong quý III.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}#kien-nghi-{world.to_science.pk}"
    world.to_science.refresh_from_db()
    assert (world.to_science.status, world.to_science.answer) == ("answered", "Sở sẽ nâng cấp trong quý III.")
    assert world.to_science.answered_by == department_user
    content = page_text(client.get(LIST))
    assert "Đã lưu kết quả xử lý kiến nghị." in content
    assert '<span class="badge prop-answered">Đã trả lời</span>' in content
    assert "Sở sẽ nâng cấp trong quý III." in content
    assert "Xử lý lúc 10:00 05/08/2025 · sokhcn" in content
    assert "Sửa trả lời</summary>" in content


def test_accepting_needs_no_text(client, world, department_user):
    as_user(client, department_user).post(
        answer_url(world.to_science), {f"a{world.to_science.pk}-status": "accepted"}
    )
    world.to_science.refresh_from_db()
    assert world.to_science.status == "accepted"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "answered", "answer": "  "}, "answer", "Cần nhập nội dung trả lời kiến nghị."),
        ({"status": ""}, "status", "Cần chọn “Đã tiếp thu” hoặc “Đã trả lời”."),
        ({"status": "pending"}, "status", "Kết quả xử lý kiến nghị không hợp lệ."),
    ],
)
def test_bad_answers_are_refused_on_their_row(client, world, department_user, data, field, message):
    prefix = f"a{world.to_science.pk}"
    response = as_user(client, department_user).post(
        f"{answer_url(world.to_science)}?status=pending", {f"{prefix}-{k}": v for k, v in data.items()}
    )
    content = page_text(response)
    assert response.status_code == 400
    assert message in content
    assert f'data-field="{field}"' in content
    row = content[content.index(f'id="kien-nghi-{world.to_science.pk}"') :]
    assert row.index('<details class="add-form" open>') < row.index(message)
    # The list's filters are kept for the next try.
    assert f'action="{answer_url(world.to_science)}?status=pending"' in content
    world.to_science.refresh_from_db()
    assert (world.to_science.status, world.to_science.answer) == ("pending", "")


@pytest.mark.parametrize(("role", "expected"), [("health_user", 404), ("clerk", 403), ("far_inspector", 404)])
def test_answering_out_of_scope(client, world, request, role, expected):
    response = as_user(client, request.getfixturevalue(role)).post(
        answer_url(world.to_science), {f"a{world.to_science.pk}-status": "accepted"}
    )
    assert response.status_code == expected
    world.to_science.refresh_from_db()
    assert world.to_science.status == "pending"
