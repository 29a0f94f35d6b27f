"""The inspections in the role navigation, and the province dashboard's directives panel.

The panel's data is ONE aggregate query (inspections.dashboard); its include renders without the
dashboard, so it can be wired into the province dashboard with one context entry.
"""

import pytest
from django.template.loader import render_to_string

from communes.scope import scope_of
from inspections.dashboard import directives_by_department

from . import pages_data

# Fixtures shared by the page tests (tests/inspections/pages_data.py).
world = pages_data.world
thuong_coc_july = pages_data.thuong_coc_july


def nav_of(client, user):
    client.force_login(user)
    content = client.get("/").content.decode()
    return content[content.index('<nav class="main-nav"') : content.index("</nav>")]


@pytest.mark.parametrize("role", ["inspector", "admin_user"])
def test_inspectors_get_visits_and_directives(client, request, role):
    nav = nav_of(client, request.getfixturevalue(role))
    assert '<a href="/kiem-tra/" >Kiểm tra</a>' in nav
    assert '<a href="/kiem-tra/nhiem-vu/" >Nhiệm vụ</a>' in nav
    assert 'href="/ho-so/"' in nav
    assert "Kiến nghị" not in nav


def test_department_users_get_directives_and_proposals_and_no_dossiers(client, department_user):
    nav = nav_of(client, department_user)
    assert '<a href="/kiem-tra/nhiem-vu/" >Nhiệm vụ</a>' in nav
    assert '<a href="/kiem-tra/kien-nghi/" >Kiến nghị</a>' in nav
    assert 'href="/ho-so/' not in nav and ">Hồ sơ<" not in nav
    assert "Bảng điều khiển" not in nav


@pytest.mark.parametrize("role", ["clerk", "leader"])
def test_clerks_and_leaders_get_their_communes_inspections(client, request, role):
    nav = nav_of(client, request.getfixturevalue(role))
    assert '<a href="/kiem-tra/xa/" >Kiểm tra của xã</a>' in nav
    assert 'href="/kiem-tra/nhiem-vu/"' not in nav


def test_the_current_page_is_marked(client, department_user):
    client.force_login(department_user)
    content = client.get("/kiem-tra/kien-nghi/").content.decode()
    assert '<a href="/kiem-tra/kien-nghi/" aria-current="page">Kiến nghị</a>' in content


# --- the province dashboard's panel ----------------------------------------------------------------


def test_open_and_overdue_per_department_in_one_query(
    world, inspector, department, health_department, django_assert_num_queries
):
    scope_of(inspector)  # computed once per request by then
    with django_assert_num_queries(1):
        rows = directives_by_department(inspector, department.province_id)
    assert [(r["department_id"], r["name"], r["open"], r["overdue"]) for r in rows] == [
        (department.pk, "Sở Khoa học và Công nghệ", 1, 1),  # the done one is not counted
        (health_department.pk, "Sở Y tế", 1, 0),
        (None, None, 2, 1),  # the communes'
    ]
    assert rows[0]["url"] == f"/kiem-tra/nhiem-vu/?theo=so-nganh&department={department.pk}"
    assert (
        rows[0]["overdue_url"] == f"/kiem-tra/nhiem-vu/?theo=so-nganh&department={department.pk}&overdue=true"
    )
    assert rows[2]["url"] == "/kiem-tra/nhiem-vu/?theo=xa"


def test_another_provinces_directives_are_not_counted(world, admin_user, far_inspector, far_department):
    assert [
        (r["department_id"], r["open"])
        for r in directives_by_department(admin_user, far_department.province_id)
    ] == [(far_department.pk, 1)]
    # An inspector's own scope still applies (visible_to): nothing of Phú Thọ for Hà Nội's.
    assert directives_by_department(far_inspector, world.visit.group.province_id) == []


def test_the_panel_include_renders_the_rows(world, inspector, department):
    rows = directives_by_department(inspector, department.province_id)
    content = render_to_string(
        "inspections/_directives_by_department.html", {"directives_by_department": rows}
    )
    assert "Nhiệm vụ được giao theo sở, ngành" in content
    link = f'<a href="/kiem-tra/nhiem-vu/?theo=so-nganh&amp;department={department.pk}">'
    assert f"{link}Sở Khoa học và Công nghệ</a>" in content
    assert '<a href="/kiem-tra/nhiem-vu/?theo=xa">Các xã</a>' in content
    assert 'class="badge overdue">1</a>' in content
    empty = render_to_string("inspections/_directives_by_department.html", {"directives_by_department": []})
    assert "Không có nhiệm vụ nào đang thực hiện." in empty
