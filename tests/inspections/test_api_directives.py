"""Directives over the API: assigning, rewording, the board's filters and order, the overdue flag,
and progress notes up to done, per role. Today is Tuesday 5/8/2025; the visit was on 29/7/2025."""

import datetime as dt

import pytest
import time_machine

from inspections.choices import DirectiveStatus
from inspections.models import Directive, DirectiveProgress
from inspections.services import add_progress, create_directive, record_visit

from .api_world import api_as, build_world
from .conftest import TODAY, VISIT_DAY, at

LIST = "/api/v1/directives/"


@pytest.fixture
def world(request, db):
    return build_world(request)


def url(pk, suffix=""):
    return f"{LIST}{pk}/{suffix}"


def directive_body(world, **overrides):
    """A valid directive to Sở KH&CN; `visit` and `department` may name a world row ("far_visit")."""
    body = {
        "visit": world["visit"],
        "text": "Nhiệm vụ",
        "due_date": "2025-08-31",
        "department": world["department"],
    }
    for key, value in overrides.items():
        body[key] = world[value] if key in ("visit", "department") and isinstance(value, str) else value
    return body


# --- Assigning -----------------------------------------------------------------------------------


def test_an_inspector_assigns_a_directive_to_a_department(world, inspector):
    response = api_as(inspector).post(
        LIST,
        {
            "visit": world["visit"],
            "text": "Nâng cấp phần mềm một cửa, tập huấn tại xã.",
            "due_date": "2025-08-31",
            "department": world["department"],
            "visited_commune": "05293",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["Location"] == f"http://testserver{LIST}{body['id']}/"
    assert (body["department_name"], body["commune"], body["assignee_name"]) == (
        "Sở Khoa học và Công nghệ",
        None,
        "Sở Khoa học và Công nghệ",
    )
    assert (body["status"], body["status_label"], body["is_overdue"]) == ("open", "Chưa thực hiện", False)
    assert (body["visit_date"], body["group_name"], body["visited_commune"]) == (
        "2025-07-29",
        "Tổ công tác số 10",
        "05293",
    )
    directive = Directive.objects.get(pk=body["id"])
    assert (directive.created_by, directive.visited_commune.commune.code) == (inspector, "05293")


def test_a_commune_is_named_by_its_code(world, inspector, commune):
    response = api_as(inspector).post(
        LIST,
        {"visit": world["visit"], "text": "Bố trí máy tính", "due_date": "2025-08-15", "commune": "05293"},
        format="json",
    )

    assert response.status_code == 201
    assert (response.json()["commune"], response.json()["commune_name"]) == ("05293", "Xã Thượng Cốc")
    assert Directive.objects.get(pk=response.json()["id"]).commune == commune


@pytest.mark.parametrize(
    ("overrides", "code", "words"),
    [
        ({"due_date": "2025-07-28"}, "due-before-visit", "trước ngày kiểm tra 29/07/2025"),
        ({"department": None}, "invalid-assignee", "chọn một sở, ngành hoặc một xã"),
        ({"commune": "05293"}, "invalid-assignee", "đúng một đơn vị"),
        ({"text": "  "}, "text-required", "nội dung nhiệm vụ"),
        ({"department": None, "commune": "99999"}, "unknown-commune", "99999"),
        ({"department": None, "commune": "05284"}, "commune-inactive", "30/06/2025"),
        ({"department": None, "commune": "00004"}, "outside-province", "không thuộc Tỉnh Phú Thọ"),
        ({"department": "far_department"}, "outside-province", "không thuộc tỉnh của tổ công tác"),
    ],
)
def test_bad_directives_are_refused_with_the_services_code_and_nothing_saved(
    world, inspector, overrides, code, words
):
    before = Directive.objects.count()

    response = api_as(inspector).post(LIST, directive_body(world, **overrides), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert words in response.json()["detail"]
    assert Directive.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"visited_commune": "00004"}, "visited_commune", "visited-commune-mismatch"),
        ({"visit": "far_visit"}, "visit", "does_not_exist"),
        ({"due_date": "31/08/2025"}, "due_date", "invalid"),
    ],
)
def test_field_errors_name_the_field(world, inspector, overrides, field, code):
    before = Directive.objects.count()

    response = api_as(inspector).post(LIST, directive_body(world, **overrides), format="json")

    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["errors"])) == (code, [field])
    assert Directive.objects.count() == before


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("clerk", 403),
        ("leader", 403),
        ("department_user", 403),
        ("no_role_user", 403),
        ("far_inspector", 400),  # the visit is not in its scope: does_not_exist
        ("anonymous", 401),
        ("admin_user", 201),
    ],
)
def test_only_inspectors_of_the_province_and_admins_assign(request, world, role, status):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    before = Directive.objects.count()

    response = api_as(user).post(LIST, directive_body(world), format="json")

    assert response.status_code == status
    assert Directive.objects.count() == before + (status == 201)


# --- Rewording -----------------------------------------------------------------------------------


def test_an_inspector_rewords_a_directive_and_moves_its_due_date(world, inspector):
    response = api_as(inspector).patch(
        url(world["directive_dept"]),
        {"text": "Nâng cấp và tập huấn", "due_date": "2025-09-15"},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["text"], response.json()["due_date"]) == ("Nâng cấp và tập huấn", "2025-09-15")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"due_date": "2025-07-01"}, "due-before-visit"),
        ({"text": ""}, "text-required"),
        ({"status": "done"}, "read-only-field"),
        ({"department": 1}, "read-only-field"),
    ],
)
def test_bad_changes_are_refused_and_nothing_changes(world, inspector, body, code):
    response = api_as(inspector).patch(url(world["directive_dept"]), body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    directive = Directive.objects.get(pk=world["directive_dept"])
    assert (directive.text, directive.due_date, directive.status) == (
        "Sở KH&CN nâng cấp phần mềm",
        dt.date(2025, 8, 31),
        "in_progress",
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("department_user", 403), ("clerk", 403), ("far_inspector", 404), ("admin_user", 200)],
)
def test_who_may_reword_a_directive(request, world, role, status):
    response = api_as(request.getfixturevalue(role)).patch(
        url(world["directive_dept"]), {"text": "Đã sửa"}, format="json"
    )

    assert response.status_code == status
    assert (Directive.objects.get(pk=world["directive_dept"]).text == "Đã sửa") == (status == 200)


# --- The board: overdue flag, order, filters -----------------------------------------------------


@pytest.fixture
def board(
    inspector,
    working_group,
    far_group,
    commune,
    neighbour_commune,
    far_commune,
    department,
    health_department,
):
    """Directives of one visit, due on both sides of today, one of them done; one of Hà Nội."""
    visit = record_visit(inspector, working_group, VISIT_DAY, [commune, neighbour_commune])

    def make(text, due, status=None, **assignee):
        directive = create_directive(inspector, visit, text, due, **(assignee or {"department": department}))
        if status:
            add_progress(inspector, directive, "Cập nhật", status)
        return directive

    make("Quá hạn, chưa làm", dt.date(2025, 8, 4))
    make("Quá hạn, đang làm", dt.date(2025, 7, 31), DirectiveStatus.IN_PROGRESS, commune=commune)
    make("Quá hạn nhưng đã xong", dt.date(2025, 8, 1), DirectiveStatus.DONE, department=health_department)
    make("Hạn hôm nay", TODAY, commune=neighbour_commune)
    make("Còn hạn", dt.date(2025, 8, 31))
    far_visit = record_visit(None, far_group, VISIT_DAY, [far_commune])
    create_directive(None, far_visit, "Hà Nội", dt.date(2025, 8, 2), commune=far_commune)
    return {"visit": visit, "group": working_group, "department": department, "health": health_department}


def board_rows(user, **params):
    response = api_as(user).get(LIST, params)
    assert response.status_code == 200, response.json()
    return [(d["text"], d["is_overdue"]) for d in response.json()["results"]]


def test_the_board_puts_overdue_first_then_orders_by_due_date(board, inspector):
    assert board_rows(inspector) == [
        ("Quá hạn, đang làm", True),  # due 31/7
        ("Quá hạn, chưa làm", True),  # due 4/8
        ("Quá hạn nhưng đã xong", False),  # due 1/8, done: never overdue
        ("Hạn hôm nay", False),  # due today: not yet
        ("Còn hạn", False),
    ]


def test_the_flag_follows_the_calendar(board, inspector):
    with time_machine.travel(at(9, 1, 8), tick=False):
        rows = dict(board_rows(inspector))

    assert rows == {
        "Quá hạn, đang làm": True,
        "Quá hạn, chưa làm": True,
        "Quá hạn nhưng đã xong": False,
        "Hạn hôm nay": True,
        "Còn hạn": True,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"overdue": "true"}, {"Quá hạn, đang làm", "Quá hạn, chưa làm"}),
        ({"overdue": "false"}, {"Quá hạn nhưng đã xong", "Hạn hôm nay", "Còn hạn"}),
        ({"status": "done"}, {"Quá hạn nhưng đã xong"}),
        (
            {"status": ["open", "in_progress"]},
            {"Quá hạn, đang làm", "Quá hạn, chưa làm", "Hạn hôm nay", "Còn hạn"},
        ),
        ({"due_before": "2025-08-04"}, {"Quá hạn, đang làm", "Quá hạn nhưng đã xong", "Quá hạn, chưa làm"}),
        ({"commune": "05293"}, {"Quá hạn, đang làm"}),
        ({"commune": "05305", "overdue": "false"}, {"Hạn hôm nay"}),
        ({"commune": "00004"}, set()),  # Hà Nội's: out of scope, filters never widen it
    ],
)
def test_the_board_filters(board, inspector, params, expected):
    assert {text for text, _ in board_rows(inspector, **params)} == expected


def test_the_board_filters_by_department_and_group(board, inspector, admin_user, far_group):
    assert {t for t, _ in board_rows(inspector, department=board["health"].pk)} == {"Quá hạn nhưng đã xong"}
    assert len(board_rows(admin_user, group=board["group"].pk)) == 5
    assert board_rows(admin_user, group=far_group.pk) == [("Hà Nội", True)]


@pytest.mark.parametrize("params", [{"department": 999999}, {"group": "far"}, {"due_before": "2025-02-30"}])
def test_bad_filter_values_are_a_400(board, inspector, far_group, params):
    params = {k: far_group.pk if v == "far" else v for k, v in params.items()}  # another province's group

    response = api_as(inspector).get(LIST, params)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(params)


# --- Progress ------------------------------------------------------------------------------------


def test_a_department_user_marks_its_directive_done(world, department_user):
    client = api_as(department_user)

    response = client.post(
        url(world["directive_dept"], "progress/"),
        {"note": "Đã nâng cấp phần mềm và tập huấn tại 3 xã.", "status": "done"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["author"], response.json()["date"]) == (
        "done",
        "sokhcn",
        "2025-08-05",
    )
    directive = client.get(url(world["directive_dept"])).json()
    assert (directive["status"], directive["is_overdue"]) == ("done", False)
    assert directive["completed_at"] == "2025-08-05T10:00:00+07:00"
    notes = client.get(url(world["directive_dept"], "progress/")).json()
    assert [n["status"] for n in notes] == ["in_progress", "done"]


def test_a_note_without_status_keeps_it_and_may_be_back_dated(world, clerk):
    response = api_as(clerk).post(
        url(world["directive_tc"], "progress/"),
        {"note": "Đã mua máy tính.", "date": "2025-08-01"},
        format="json",
    )

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["date"]) == ("", "2025-08-01")
    assert Directive.objects.get(pk=world["directive_tc"]).status == "in_progress"


def test_done_takes_an_overdue_directive_off_the_overdue_list(world, inspector):
    Directive.objects.filter(pk=world["directive_yp"]).update(due_date=dt.date(2025, 8, 1))
    client = api_as(inspector)
    assert [d["id"] for d in client.get(LIST, {"overdue": "true"}).json()["results"]] == [
        world["directive_yp"]
    ]

    client.post(url(world["directive_yp"], "progress/"), {"note": "Xong", "status": "done"}, format="json")

    assert client.get(LIST, {"overdue": "true"}).json()["results"] == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"note": "X", "status": "finished"}, "invalid-status"),
        ({"note": "  ", "status": "done"}, "text-required"),
        ({"note": "X", "date": "2025-08-06"}, "invalid-date"),  # tomorrow
        ({"note": "X", "date": "2025-07-28"}, "invalid-date"),  # before the visit
    ],
)
def test_bad_progress_is_refused_and_nothing_saved(world, department_user, body, code):
    before = DirectiveProgress.objects.count()

    response = api_as(department_user).post(url(world["directive_dept"], "progress/"), body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert DirectiveProgress.objects.count() == before
    assert Directive.objects.get(pk=world["directive_dept"]).status == "in_progress"


@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("inspector", "directive_dept", 201),
        ("admin_user", "directive_tc", 201),
        ("department_user", "directive_dept", 201),
        ("department_user", "directive_tc", 404),
        ("health_user", "directive_dept", 404),
        ("clerk", "directive_tc", 201),
        ("leader", "directive_tc", 201),
        ("clerk", "directive_dept", 404),
        ("neighbour_clerk", "directive_tc", 404),
        ("far_inspector", "directive_dept", 404),
        ("no_role_user", "directive_dept", 403),
        ("anonymous", "directive_dept", 401),
    ],
)
def test_who_may_report_progress(request, world, role, target, status):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    before = DirectiveProgress.objects.count()

    response = api_as(user).post(
        url(world[target], "progress/"), {"note": "Tiến độ", "status": "done"}, format="json"
    )

    assert response.status_code == status
    assert DirectiveProgress.objects.count() == before + (status == 201)
    assert (Directive.objects.get(pk=world[target]).status == "done") == (status == 201)
