"""Reading the inspections over the API: what each list holds per role, the nested rows a visit
shows (a clerk never sees another commune's figures), the shapes, filters and query budgets."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

from .api_world import api_as, build_world


@pytest.fixture
def world(request, db):
    return build_world(request)


def rows(user, path, **params):
    response = api_as(user).get(f"/api/v1/{path}/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Lists per role ------------------------------------------------------------------------------


def test_departments_are_read_by_every_staff_account_and_filter_by_province(world, clerk, department_user):
    assert {d["short_name"] for d in rows(clerk, "departments")} == {"Sở KH&CN", "Sở Y tế"}
    assert len(rows(clerk, "departments")) == 3
    phu_tho = rows(department_user, "departments", province="25")
    assert [(d["province"], d["name"]) for d in phu_tho] == [
        ("25", "Sở Khoa học và Công nghệ"),
        ("25", "Sở Y tế"),
    ]
    assert [d["province"] for d in rows(clerk, "departments", province="01")] == ["01"]


def test_departments_are_refused_to_accounts_without_a_role_and_anonymous(world):
    assert api_as(UserFactory(username="khongvaitro")).get("/api/v1/departments/").status_code == 403
    assert api_as(None).get("/api/v1/departments/").status_code == 401


def test_working_groups_carry_their_members(world, clerk, far_inspector):
    (group,) = rows(clerk, "working-groups")
    assert group["name"] == "Tổ công tác số 10"
    assert (group["province"], group["number"], group["leader_title"]) == (
        "25",
        10,
        "Tỉnh uỷ viên, Phó Chủ tịch UBND tỉnh",
    )
    assert group["members"] == [
        {
            "id": group["members"][0]["id"],
            "name": "Trần Văn Sở",
            "title": "Phó Giám đốc",
            "department": world["department"],
            "department_name": "Sở Khoa học và Công nghệ",
        }
    ]
    assert [g["name"] for g in rows(far_inspector, "working-groups")] == ["Tổ công tác số 1"]


def test_working_groups_filter_by_province(world, admin_user):
    assert [g["province"] for g in rows(admin_user, "working-groups", province="01")] == ["01"]
    assert len(rows(admin_user, "working-groups")) == 2


@pytest.mark.parametrize(
    ("role", "communes"),
    [
        ("inspector", ["05293", "05305"]),
        ("department_user", ["05293", "05305"]),
        ("clerk", ["05293"]),
        ("leader", ["05293"]),
        ("neighbour_clerk", ["05305"]),
    ],
)
def test_a_visit_shows_only_the_communes_the_caller_sees(request, world, role, communes):
    (visit,) = rows(request.getfixturevalue(role), "visits")

    assert visit["id"] == world["visit"]
    assert [c["commune"] for c in visit["communes"]] == communes


def test_the_clerk_reads_its_communes_frozen_figures_findings_and_proposals(world, clerk):
    response = api_as(clerk).get(f"/api/v1/visits/{world['visit']}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["group"], body["group_name"], body["date"]) == (
        world["group"],
        "Tổ công tác số 10",
        "2025-07-29",
    )
    (entry,) = body["communes"]
    assert (entry["commune"], entry["commune_name"]) == ("05293", "Xã Thượng Cốc")
    assert (entry["period_from"], entry["period_to"]) == ("2025-07-01", "2025-07-28")
    figures = entry["figures"]
    assert (figures["date_from"], figures["date_to"]) == ("2025-07-01", "2025-07-28")
    assert {"received_total", "resolved_on_time", "pending_overdue", "online_rate", "visits"} <= set(figures)
    assert [f["text"] for f in entry["findings"]] == ["Thiếu cán bộ ở Thượng Cốc"]
    assert entry["findings"][0]["category"] == "staffing"
    assert entry["findings"][0]["category_label"] == "Nhân sự"
    (proposal,) = entry["proposals"]
    assert (proposal["text"], proposal["department_name"], proposal["status"]) == (
        "Nâng cấp phần mềm một cửa",
        "Sở Khoa học và Công nghệ",
        "pending",
    )
    assert "Yên Phú" not in response.content.decode()


def test_the_figures_are_exactly_the_frozen_snapshot(world, inspector):
    from inspections.models import VisitedCommune

    entry = VisitedCommune.objects.get(visit_id=world["visit"], commune__code="05293")
    body = api_as(inspector).get(f"/api/v1/visits/{world['visit']}/communes/05293/").json()

    assert body["figures"] == entry.snapshot


def test_a_department_user_sees_every_commune_but_only_its_own_proposals(world, department_user):
    (visit,) = rows(department_user, "visits")

    by_code = {c["commune"]: c for c in visit["communes"]}
    assert [p["text"] for p in by_code["05293"]["proposals"]] == ["Nâng cấp phần mềm một cửa"]
    assert by_code["05305"]["proposals"] == []
    assert [f["text"] for f in by_code["05305"]["findings"]] == ["Thiếu cán bộ ở Yên Phú"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("inspector", {"Nâng cấp phần mềm một cửa", "Hướng dẫn trạm y tế xã"}),
        ("department_user", {"Nâng cấp phần mềm một cửa"}),
        ("health_user", {"Hướng dẫn trạm y tế xã"}),
        ("clerk", {"Nâng cấp phần mềm một cửa"}),
        ("neighbour_clerk", {"Hướng dẫn trạm y tế xã"}),
        ("far_inspector", {"Hà Nội: phần mềm"}),
    ],
)
def test_the_proposals_list_holds_exactly_the_scope(request, world, role, expected):
    assert {p["text"] for p in rows(request.getfixturevalue(role), "proposals")} == expected


def test_proposals_filter_by_department_status_commune_and_visit(world, inspector):
    def texts(**params):
        return {p["text"] for p in rows(inspector, "proposals", **params)}

    assert texts(department=world["health_department"]) == {"Hướng dẫn trạm y tế xã"}
    assert texts(commune="05293") == {"Nâng cấp phần mềm một cửa"}
    assert texts(status="pending", visit=world["visit"]) == {
        "Nâng cấp phần mềm một cửa",
        "Hướng dẫn trạm y tế xã",
    }
    assert texts(status="answered") == set()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            "inspector",
            {
                "Sở KH&CN nâng cấp phần mềm",
                "Sở Y tế hướng dẫn trạm y tế",
                "Thượng Cốc bố trí máy tính",
                "Yên Phú bố trí máy tính",
            },
        ),
        ("department_user", {"Sở KH&CN nâng cấp phần mềm"}),
        ("clerk", {"Thượng Cốc bố trí máy tính"}),
        ("leader", {"Thượng Cốc bố trí máy tính"}),
        ("neighbour_clerk", {"Yên Phú bố trí máy tính"}),
        ("far_inspector", {"Ba Đình bố trí máy tính"}),
    ],
)
def test_the_directives_list_holds_exactly_the_scope(request, world, role, expected):
    assert {d["text"] for d in rows(request.getfixturevalue(role), "directives")} == expected


def test_progress_notes_are_listed_oldest_first(world, department_user):
    response = api_as(department_user).get(f"/api/v1/directives/{world['directive_dept']}/progress/")

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": response.json()[0]["id"],
            "date": "2025-08-05",
            "note": "Đã giao: Sở KH&CN nâng cấp phần mềm",
            "status": "in_progress",
            "status_label": "Đang thực hiện",
            "author": "totruong",
            "created_at": response.json()[0]["created_at"],
        }
    ]


# --- Query budgets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "budget"),
    [("visits", 7), ("directives", 4), ("proposals", 4), ("working-groups", 5), ("departments", 4)],
)
def test_lists_cost_a_fixed_number_of_queries(world, admin_user, django_assert_max_num_queries, path, budget):
    """As the admin, who sees both provinces' rows: several of each per page, no query per row."""
    client = api_as(admin_user)
    client.get(f"/api/v1/{path}/")  # warm the caches (content types, translations)

    with django_assert_max_num_queries(budget):
        response = client.get(f"/api/v1/{path}/")

    assert response.status_code == 200
    assert response.json()["count"] >= 2


def test_urls_are_named_in_the_api_namespace(world):
    assert (
        reverse("api:visit-commune", kwargs={"pk": 1, "code": "05293"}) == "/api/v1/visits/1/communes/05293/"
    )
    assert reverse("api:directive-progress", kwargs={"pk": 1}) == "/api/v1/directives/1/progress/"
    assert reverse("api:proposal-answer", kwargs={"pk": 1}) == "/api/v1/proposals/1/answer/"
