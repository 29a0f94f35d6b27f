"""Recording a visit over the API, changing it, and its communes' conclusions, findings, proposals.

Every refusal is a 400 with the service's stable code and Vietnamese message, and saves nothing;
roles that never write here are 403 before any lookup; another province's visit is a 404.
"""

import pytest

from inspections.models import Finding, Proposal, Visit, VisitedCommune

from .api_world import api_as, build_world

LIST = "/api/v1/visits/"


@pytest.fixture
def world(request, db):
    return build_world(request)


def visit_body(world, **overrides):
    body = {
        "group": world["group"],
        "date": "2025-08-04",
        "communes": ["05293", "05305"],
        "participants": "Tổ công tác số 10; lãnh đạo Sở KH&CN",
        "conclusion": "Các trung tâm vận hành ổn định.",
    }
    body.update(overrides)
    return body


def counts():
    return (Visit.objects.count(), VisitedCommune.objects.count())


# --- Recording -----------------------------------------------------------------------------------


def test_an_inspector_records_a_visit_with_the_figures_frozen(world, inspector):
    response = api_as(inspector).post(
        LIST,
        visit_body(
            world,
            periods=[{"commune": "05305", "period_from": "2025-07-01", "period_to": "2025-07-15"}],
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    visit = Visit.objects.get(pk=body["id"])
    assert response["Location"] == f"http://testserver{LIST}{visit.pk}/"
    assert (visit.created_by, visit.conclusion) == (inspector, "Các trung tâm vận hành ổn định.")
    assert (body["group_name"], body["date"]) == ("Tổ công tác số 10", "2025-08-04")
    periods = {c["commune"]: (c["period_from"], c["period_to"]) for c in body["communes"]}
    assert periods == {
        "05293": ("2025-08-01", "2025-08-03"),  # the default: the 1st to the day before the visit
        "05305": ("2025-07-01", "2025-07-15"),
    }
    figures = {c["commune"]: c["figures"] for c in body["communes"]}
    assert (figures["05305"]["date_from"], figures["05305"]["date_to"]) == ("2025-07-01", "2025-07-15")
    assert all(c["findings"] == [] and c["proposals"] == [] for c in body["communes"])


def test_the_admin_records_a_visit_of_any_province(world, admin_user):
    response = api_as(admin_user).post(
        LIST, visit_body(world, group=world["far_group"], communes=["00004"]), format="json"
    )

    assert response.status_code == 201, response.json()
    assert [c["commune"] for c in response.json()["communes"]] == ["00004"]


@pytest.mark.parametrize(
    ("overrides", "code", "words"),
    [
        # Văn Sơn 05284 merged into Thượng Cốc on 1/7/2025: it did not exist on 4/8.
        ({"communes": ["05293", "05284"]}, "commune-inactive", "đã kết thúc hoạt động ngày 30/06/2025"),
        # The new Thượng Cốc exists from 1/7/2025 only.
        (
            {"date": "2025-06-20", "communes": ["05293"]},
            "commune-inactive",
            "chỉ có hiệu lực từ ngày 01/07/2025",
        ),
        (
            {"periods": [{"commune": "05293", "period_from": "2025-07-01", "period_to": "2025-08-04"}]},
            "period-not-before-visit",
            "phải kết thúc trước ngày kiểm tra 04/08/2025",
        ),
        (
            {"periods": [{"commune": "05293", "period_from": "2025-07-01", "period_to": "2025-08-05"}]},
            "period-not-before-visit",
            "đang chọn đến ngày 05/08/2025",
        ),
        (
            {"periods": [{"commune": "05293", "period_from": "2025-07-20", "period_to": "2025-07-10"}]},
            "invalid-period",
            "sau ngày kết thúc",
        ),
        (
            {"periods": [{"commune": "00004", "period_from": "2025-07-01", "period_to": "2025-07-10"}]},
            "period-for-unknown-commune",
            "không có trong buổi kiểm tra",
        ),
        ({"date": "2025-08-06"}, "visit-in-future", "ở tương lai"),
        ({"communes": []}, "no-communes", "ít nhất một xã"),
        ({"communes": ["05293", "99999"]}, "unknown-commune", "99999"),
        ({"communes": ["05293", "05293"]}, "duplicate-commune", "hai lần"),
        ({"communes": ["05293", "00004"]}, "outside-province", "không thuộc Tỉnh Phú Thọ"),
    ],
)
def test_bad_visits_are_refused_with_the_services_code_and_nothing_saved(
    world, inspector, overrides, code, words
):
    before = counts()

    response = api_as(inspector).post(LIST, visit_body(world, **overrides), format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert words in body["detail"]
    assert body["errors"]["non_field_errors"] == [body["detail"]]
    assert counts() == before


def test_field_errors_name_the_field(world, inspector):
    before = counts()

    response = api_as(inspector).post(
        LIST, visit_body(world, date="29/07/2025", group=world["far_group"]), format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"date", "group"}
    assert counts() == before


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("clerk", 403),
        ("leader", 403),
        ("department_user", 403),
        ("neighbour_clerk", 403),
        ("no_role_user", 403),
        # Hà Nội's inspector does not see Phú Thọ's group: a field error, nothing saved.
        ("far_inspector", 400),
        ("anonymous", 401),
    ],
)
def test_only_inspectors_of_the_province_and_admins_record_visits(request, world, role, status):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    before = counts()

    response = api_as(user).post(LIST, visit_body(world), format="json")

    assert response.status_code == status
    assert counts() == before
    if status == 400:
        assert response.json()["code"] == "does_not_exist"


# --- Changing the visit --------------------------------------------------------------------------


def test_an_inspector_changes_participants_and_conclusion(world, inspector):
    response = api_as(inspector).patch(
        f"{LIST}{world['visit']}/", {"conclusion": "  Kết luận của Tổ trưởng.  "}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["conclusion"] == "Kết luận của Tổ trưởng."
    assert response.json()["participants"] == "Tổ công tác số 10"
    assert Visit.objects.get(pk=world["visit"]).conclusion == "Kết luận của Tổ trưởng."


def test_the_date_and_communes_of_a_visit_do_not_change(world, inspector):
    response = api_as(inspector).patch(
        f"{LIST}{world['visit']}/", {"date": "2025-07-30", "conclusion": "X"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "read-only-field"
    assert set(response.json()["errors"]) == {"date"}
    visit = Visit.objects.get(pk=world["visit"])
    assert (str(visit.date), visit.conclusion) == ("2025-07-29", "")


@pytest.mark.parametrize(
    ("role", "status"),
    [("clerk", 403), ("department_user", 403), ("far_inspector", 404), ("admin_user", 200)],
)
def test_who_may_change_a_visit(request, world, role, status):
    response = api_as(request.getfixturevalue(role)).patch(
        f"{LIST}{world['visit']}/", {"conclusion": "Đã sửa"}, format="json"
    )

    assert response.status_code == status
    assert (Visit.objects.get(pk=world["visit"]).conclusion == "Đã sửa") == (status == 200)


# --- A commune of the visit: conclusion and period -----------------------------------------------


def commune_url(world, code="05293", suffix=""):
    return f"{LIST}{world['visit']}/communes/{code}/{suffix}"


def test_an_inspector_sets_a_communes_conclusion_and_the_figures_stay(world, inspector):
    entry = VisitedCommune.objects.get(visit_id=world["visit"], commune__code="05293")

    response = api_as(inspector).patch(
        commune_url(world), {"conclusion": "Bố trí đủ cán bộ một cửa."}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["conclusion"] == "Bố trí đủ cán bộ một cửa."
    entry.refresh_from_db()
    assert entry.conclusion == "Bố trí đủ cán bộ một cửa."
    assert response.json()["figures"] == entry.snapshot
    assert response.json()["snapshot_taken_at"] == entry.snapshot_taken_at.astimezone().isoformat()


def test_a_new_period_refreezes_the_figures(world, inspector):
    response = api_as(inspector).patch(commune_url(world), {"period_to": "2025-07-20"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["period_from"], body["period_to"]) == ("2025-07-01", "2025-07-20")
    assert (body["figures"]["date_from"], body["figures"]["date_to"]) == ("2025-07-01", "2025-07-20")


def test_a_period_ending_on_the_visit_date_is_refused_and_nothing_changes(world, inspector):
    entry = VisitedCommune.objects.get(visit_id=world["visit"], commune__code="05293")
    frozen = entry.snapshot

    response = api_as(inspector).patch(
        commune_url(world), {"period_to": "2025-07-29", "conclusion": "X"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "period-not-before-visit"
    entry.refresh_from_db()
    assert (str(entry.period_to), entry.conclusion, entry.snapshot) == ("2025-07-28", "", frozen)


@pytest.mark.parametrize(
    ("role", "code", "status"),
    [
        ("clerk", "05293", 403),  # its own commune: reads, does not write
        ("department_user", "05293", 403),
        ("far_inspector", "05293", 404),
        ("inspector", "00004", 404),  # not on this visit
        ("admin_user", "05305", 200),
    ],
)
def test_who_may_set_a_communes_conclusion(request, world, role, code, status):
    response = api_as(request.getfixturevalue(role)).patch(
        commune_url(world, code), {"conclusion": "Đã sửa"}, format="json"
    )

    assert response.status_code == status
    assert VisitedCommune.objects.filter(conclusion="Đã sửa").count() == (status == 200)


# --- Findings and proposals ----------------------------------------------------------------------


def test_an_inspector_adds_a_finding(world, inspector):
    response = api_as(inspector).post(
        commune_url(world, suffix="findings/"),
        {"category": "eid_vneid", "text": "Nhiều người dân chưa có VNeID mức 2."},
        format="json",
    )

    assert response.status_code == 201
    assert (response.json()["category"], response.json()["category_label"]) == (
        "eid_vneid",
        "Định danh điện tử VNeID",
    )
    visit = api_as(inspector).get(f"{LIST}{world['visit']}/").json()
    thuong_coc = next(c for c in visit["communes"] if c["commune"] == "05293")
    assert [f["category"] for f in thuong_coc["findings"]] == ["staffing", "eid_vneid"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"category": "weather", "text": "Mưa"}, "invalid-category"),
        ({"category": "staffing", "text": "   "}, "text-required"),
    ],
)
def test_bad_findings_are_refused(world, inspector, body, code):
    before = Finding.objects.count()

    response = api_as(inspector).post(commune_url(world, suffix="findings/"), body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert Finding.objects.count() == before


def test_an_inspector_adds_a_proposal_to_a_department(world, inspector):
    response = api_as(inspector).post(
        commune_url(world, "05305", "proposals/"),
        {"text": "Bổ sung máy cấp định danh mức 2.", "department": world["health_department"]},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["commune"], body["visit"], body["status"], body["department_name"]) == (
        "05305",
        world["visit"],
        "pending",
        "Sở Y tế",
    )


def test_a_proposal_to_another_provinces_department_is_refused(world, inspector):
    before = Proposal.objects.count()

    response = api_as(inspector).post(
        commune_url(world, suffix="proposals/"),
        {"text": "Nâng cấp phần mềm", "department": world["far_department"]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "outside-province"
    assert Proposal.objects.count() == before


@pytest.mark.parametrize(
    ("role", "status"), [("clerk", 403), ("department_user", 403), ("far_inspector", 404)]
)
def test_only_inspectors_add_findings_and_proposals(request, world, role, status):
    client = api_as(request.getfixturevalue(role))
    before = (Finding.objects.count(), Proposal.objects.count())

    finding = client.post(
        commune_url(world, suffix="findings/"), {"category": "other", "text": "X"}, format="json"
    )
    proposal = client.post(
        commune_url(world, suffix="proposals/"),
        {"text": "X", "department": world["department"]},
        format="json",
    )

    assert (finding.status_code, proposal.status_code) == (status, status)
    assert (Finding.objects.count(), Proposal.objects.count()) == before
