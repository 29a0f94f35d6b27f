"""The directive board (overdue first, grouped by department or by commune, filtered through the
shared DirectiveFilterSet) and a directive's page with its progress notes."""

import datetime as dt
import re

import pytest

from inspections.models import Directive, DirectiveProgress

from . import pages_data
from .pages_data import page_text

# Fixtures shared by the page tests (tests/inspections/pages_data.py).
world = pages_data.world
thuong_coc_july = pages_data.thuong_coc_july

BOARD = "/kiem-tra/nhiem-vu/"


def as_user(client, user):
    client.force_login(user)
    return client


def board(client, user, **params):
    response = as_user(client, user).get(BOARD, params)
    assert response.status_code == 200
    return response


def grouped_ids(response):
    """[(group unit id, [directive ids in order])] as listed."""
    return [(group["unit"].pk, [d.pk for d in group["directives"]]) for group in response.context["groups"]]


def listed(response):
    return [pk for _unit, ids in grouped_ids(response) for pk in ids]


# --- order and grouping ------------------------------------------------------------------------


def test_by_department_overdue_first_then_by_due_date(
    client, world, inspector, department, health_department
):
    response = board(client, inspector)
    assert response.context["by"] == "so-nganh"
    assert grouped_ids(response) == [
        (department.pk, [world.overdue.pk, world.done.pk]),  # overdue (1/8) before done (31/7)
        (health_department.pk, [world.later.pk]),
    ]
    content = page_text(response)
    assert "5 nhiệm vụ" in content and "2 quá hạn" in content
    assert re.search(rf'<tr data-directive="{world.overdue.pk}" class="is-overdue">', content)
    assert f'<tr data-directive="{world.done.pk}">' in content
    assert "Theo sở, ngành (3)" in content and "Theo xã (2)" in content
    assert content.index("Sở Khoa học và Công nghệ") < content.index("Sở Y tế")


def test_by_commune(client, world, inspector, commune, neighbour_commune):
    response = board(client, inspector, theo="xa")
    assert grouped_ids(response) == [
        (commune.pk, [world.commune_task.pk]),
        (neighbour_commune.pk, [world.yen_phu_task.pk]),
    ]
    content = page_text(response)
    assert 'Xã Thượng Cốc <span class="muted">(05293)</span>' in content
    assert 'data-view="xa" aria-current="true"' in content
    group = re.search(rf'data-unit="{commune.pk}">(.*?)</section>', content, re.S).group(1)
    assert '<span class="badge overdue">1 quá hạn</span>' in group
    assert '<span class="badge overdue">Quá hạn</span>' in group


def test_overdue_rows_carry_a_visible_marker(client, world, inspector):
    content = page_text(board(client, inspector))
    row = re.search(rf'<tr data-directive="{world.overdue.pk}"(.*?)</tr>', content, re.S).group(1)
    assert '<span class="badge overdue">Quá hạn</span>' in row
    assert "01/08/2025" in row
    done = re.search(rf'<tr data-directive="{world.done.pk}"(.*?)</tr>', content, re.S).group(1)
    assert "Quá hạn" not in done and "Đã hoàn thành" in done


def test_each_role_sees_its_own_directives(
    client, world, clerk, department_user, health_user, neighbour_clerk, far_inspector, admin_user
):
    assert listed(board(client, clerk)) == [world.commune_task.pk]
    assert board(client, clerk).context["by"] == "xa"
    assert listed(board(client, department_user)) == [world.overdue.pk, world.done.pk]
    assert board(client, department_user).context["by"] == "so-nganh"
    assert listed(board(client, health_user)) == [world.later.pk]
    assert listed(board(client, neighbour_clerk)) == [world.yen_phu_task.pk]
    assert listed(board(client, far_inspector)) == [world.far_directive.pk]
    everything = listed(board(client, admin_user)) + listed(board(client, admin_user, theo="xa"))
    assert sorted(everything) == sorted(Directive.objects.values_list("pk", flat=True))


def test_the_board_opens_for_every_staff_role_only(client, world, no_role_user):
    assert client.get(BOARD).status_code == 302
    assert as_user(client, no_role_user).get(BOARD).status_code == 403


def test_department_users_and_clerks_do_not_get_filters_they_cannot_use(
    client, world, department_user, clerk, inspector, far_department
):
    content = page_text(board(client, department_user))
    assert 'name="department"' not in content and 'name="commune"' not in content
    content = page_text(board(client, clerk))
    assert 'name="department"' not in content and 'name="commune"' not in content
    content = page_text(board(client, inspector))
    assert 'name="department"' in content and 'name="commune"' in content
    assert f'<option value="{far_department.pk}"' not in content  # another province's department
    assert '<option value="05293">Xã Thượng Cốc (05293)</option>' in content


# --- filters (the API's DirectiveFilterSet) --------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "done"}, ["done"]),
        ({"status": "open", "theo": "xa"}, ["commune_task", "yen_phu_task"]),
        ({"department": "HEALTH"}, ["later"]),
        ({"commune": "05305"}, ["yen_phu_task"]),  # a commune chosen: the communes' view
        ({"overdue": "true"}, ["overdue"]),
        ({"overdue": "true", "theo": "xa"}, ["commune_task"]),
        ({"overdue": "false"}, ["done", "later"]),
        ({"due_before": "2025-08-04", "theo": "xa"}, ["commune_task"]),  # inclusive
        ({"due_before": "2025-08-03"}, ["overdue", "done"]),
        ({"group": "GROUP"}, ["overdue", "done", "later"]),
    ],
)
def test_filters(client, world, inspector, health_department, working_group, params, expected):
    ids = {"HEALTH": str(health_department.pk), "GROUP": str(working_group.pk)}
    response = board(client, inspector, **{k: ids.get(v, v) for k, v in params.items()})
    assert listed(response) == [getattr(world, name).pk for name in expected]


def test_the_toggle_keeps_the_filters(client, world, inspector):
    response = board(client, inspector, overdue="true")
    toggles = {t["key"]: t for t in response.context["toggles"]}
    assert toggles["xa"]["url"] == "?overdue=true&theo=xa"
    assert (toggles["so-nganh"]["count"], toggles["xa"]["count"]) == (1, 1)


def test_a_bad_filter_is_a_message_and_an_empty_board(client, world, inspector, far_group):
    content = page_text(board(client, inspector, group=far_group.pk, due_before="2025-13-01"))
    assert "Bộ lọc chưa hợp lệ:" in content
    assert "Không có nhiệm vụ nào phù hợp." in content


def test_the_board_costs_a_fixed_number_of_queries(client, world, inspector, django_assert_max_num_queries):
    as_user(client, inspector)
    with django_assert_max_num_queries(11):
        response = client.get(BOARD)
    assert len(listed(response)) == 3


# --- a directive's page and its progress ---------------------------------------------------------


def directive_url(directive):
    return f"/kiem-tra/nhiem-vu/{directive.pk}/"


@pytest.mark.parametrize(
    ("role", "name", "expected"),
    [
        ("inspector", "overdue", 200),
        ("department_user", "overdue", 200),
        ("health_user", "overdue", 404),
        ("clerk", "overdue", 404),
        ("far_inspector", "overdue", 404),
        ("admin_user", "overdue", 200),
        ("clerk", "commune_task", 200),
        ("leader", "commune_task", 200),
        ("neighbour_clerk", "commune_task", 404),
        ("department_user", "commune_task", 404),
        ("inspector", "far_directive", 404),
    ],
)
def test_a_directive_opens_in_scope_only(client, world, request, role, name, expected):
    response = as_user(client, request.getfixturevalue(role)).get(directive_url(getattr(world, name)))
    assert response.status_code == expected


def test_the_page_lists_progress_notes_and_offers_the_form_to_those_who_may(
    client, world, inspector, clerk, department_user
):
    content = page_text(as_user(client, inspector).get(directive_url(world.done)))
    assert "Đã rà soát xong." in content
    assert "31/07/2025" in content
    assert "Chuyển sang: Đã hoàn thành" in content
    assert "totruong" in content  # the author
    assert "Cập nhật tiến độ</h2>" in content
    assert "Sửa nội dung, hạn hoàn thành" in content

    content = page_text(as_user(client, department_user).get(directive_url(world.overdue)))
    assert "Cập nhật tiến độ</h2>" in content
    assert "Sửa nội dung, hạn hoàn thành" not in content
    assert '<span class="badge overdue">Quá hạn</span>' in content

    content = page_text(as_user(client, clerk).get(directive_url(world.commune_task)))
    assert "Cập nhật tiến độ</h2>" in content
    assert "Chưa có cập nhật tiến độ." in content


def test_a_department_user_marks_its_directive_done(client, world, department_user):
    response = as_user(client, department_user).post(
        f"{directive_url(world.overdue)}tien-do/",
        {"progress-note": "Đã nâng cấp phần mềm, tập huấn xong.", "progress-status": "done"},
    )
    assert response.status_code == 302
    world.overdue.refresh_from_db()
    assert world.overdue.status == "done" and world.overdue.completed_at is not None
    note = DirectiveProgress.objects.get(directive=world.overdue)
    assert (note.author, note.date, note.status) == (department_user, dt.date(2025, 8, 5), "done")
    content = page_text(client.get(response["Location"]))
    assert "Đã cập nhật tiến độ; nhiệm vụ chuyển sang “Đã hoàn thành”." in content
    assert '<span class="badge dir-done" data-status="done">Đã hoàn thành</span>' in content
    assert '<span class="badge overdue">' not in content
    assert "Đã nâng cấp phần mềm, tập huấn xong." in content


def test_a_note_without_status_change(client, world, clerk):
    as_user(client, clerk).post(
        f"{directive_url(world.commune_task)}tien-do/",
        {"progress-note": "Đã đề nghị mua máy.", "progress-date": "2025-08-02"},
    )
    note = DirectiveProgress.objects.get(directive=world.commune_task)
    assert (note.status, note.date) == ("", dt.date(2025, 8, 2))
    world.commune_task.refresh_from_db()
    assert world.commune_task.status == "open"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"note": "  "}, "note", "Cần nhập nội dung tiến độ thực hiện."),
        (
            {"date": "2025-08-06"},
            "date",
            "Ngày cập nhật tiến độ phải từ ngày kiểm tra 29/07/2025 đến hôm nay 05/08/2025.",
        ),
        (
            {"date": "2025-07-28"},
            "date",
            "Ngày cập nhật tiến độ phải từ ngày kiểm tra 29/07/2025 đến hôm nay 05/08/2025.",
        ),
        ({"date": "5/8"}, "date", "Ngày cập nhật tiến độ không hợp lệ: nhập theo dạng dd/mm/yyyy."),
        ({"status": "cancelled"}, "status", "Trạng thái nhiệm vụ không hợp lệ."),
    ],
)
def test_bad_progress_is_refused_with_the_reason(client, world, department_user, data, field, message):
    posted = {"note": "Đang triển khai.", "status": "in_progress", **data}
    response = as_user(client, department_user).post(
        f"{directive_url(world.overdue)}tien-do/", {f"progress-{k}": v for k, v in posted.items()}
    )
    content = page_text(response)
    assert response.status_code == 400
    assert message in content
    assert f'data-field="{field}"' in content
    assert "Chưa lưu được tiến độ" in content
    assert not DirectiveProgress.objects.filter(directive=world.overdue).exists()
    world.overdue.refresh_from_db()
    assert world.overdue.status == "open"


def test_progress_out_of_scope_is_a_404(client, world, health_user, neighbour_clerk):
    url = f"{directive_url(world.overdue)}tien-do/"
    assert as_user(client, health_user).post(url, {"progress-note": "x"}).status_code == 404
    url = f"{directive_url(world.commune_task)}tien-do/"
    assert as_user(client, neighbour_clerk).post(url, {"progress-note": "x"}).status_code == 404
    assert not DirectiveProgress.objects.filter(note="x").exists()


def test_an_inspector_moves_the_due_date_but_not_before_the_visit(client, world, inspector, department_user):
    url = f"{directive_url(world.later)}sua/"
    response = as_user(client, inspector).post(
        url, {"edit-text": "Hướng dẫn trạm y tế.", "edit-due_date": "2025-07-20"}
    )
    assert response.status_code == 400
    assert "Hạn hoàn thành 20/07/2025 trước ngày kiểm tra 29/07/2025" in page_text(response)
    assert 'id="sua-nhiem-vu" open>' in page_text(response)
    world.later.refresh_from_db()
    assert world.later.due_date == dt.date(2025, 8, 31)

    response = client.post(url, {"edit-text": "Hướng dẫn trạm y tế.", "edit-due_date": "2025-09-30"})
    assert response.status_code == 302
    world.later.refresh_from_db()
    assert (world.later.text, world.later.due_date) == ("Hướng dẫn trạm y tế.", dt.date(2025, 9, 30))

    assert (
        as_user(client, department_user)
        .post(f"{directive_url(world.overdue)}sua/", {"edit-text": "x", "edit-due_date": "2025-09-30"})
        .status_code
        == 403
    )
