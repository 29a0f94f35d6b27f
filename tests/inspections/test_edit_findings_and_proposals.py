"""Changing and deleting findings and pending proposals: the services (inspections.visit_items), the
"Sửa" / "Xoá" pages linked from the visit page, and PATCH / DELETE over the API, per role."""

import pytest
from django.core.exceptions import PermissionDenied

from inspections import errors
from inspections.choices import FindingCategory, ProposalStatus
from inspections.errors import InspectionError
from inspections.models import Finding, Proposal
from inspections.services import add_finding, add_proposal, answer_proposal, record_visit
from inspections.visit_items import delete_finding, delete_proposal, update_finding, update_proposal

from .api_world import api_as
from .conftest import VISIT_DAY

ANSWERED_MESSAGE = "Kiến nghị đã được xử lý («Đã trả lời»): không sửa hoặc xoá được nữa."


@pytest.fixture
def entry(inspector, working_group, commune):
    return record_visit(inspector, working_group, VISIT_DAY, [commune]).visited_communes.get()


@pytest.fixture
def finding(inspector, entry):
    return add_finding(inspector, entry, FindingCategory.STAFFING, "Thiếu cán bộ một cửa")


@pytest.fixture
def proposal(inspector, entry, department):
    return add_proposal(inspector, entry, "Nâng cấp phần mềm một cửa", department)


@pytest.fixture
def answered(inspector, proposal):
    return answer_proposal(inspector, proposal, ProposalStatus.ANSWERED, "Đã nâng cấp trong tháng 8.")


def state(row):
    row.refresh_from_db()
    if isinstance(row, Finding):
        return (row.category, row.text)
    return (row.text, row.department_id, row.status)


# --- services ------------------------------------------------------------------------------------


def test_an_inspector_changes_and_deletes_a_finding(inspector, finding):
    updated = update_finding(inspector, finding, category=FindingCategory.TRAINING, text="  Chưa tập huấn. ")
    assert (updated.category, updated.text) == ("training", "Chưa tập huấn.")
    assert update_finding(inspector, finding, text="Chưa được tập huấn.").category == "training"
    delete_finding(inspector, finding)
    assert not Finding.objects.exists()


def test_an_admin_changes_and_deletes_a_pending_proposal(admin_user, proposal, health_department):
    updated = update_proposal(
        admin_user, proposal, text=" Hướng dẫn trạm y tế ", department=health_department
    )
    assert (updated.text, updated.department, updated.status) == (
        "Hướng dẫn trạm y tế",
        health_department,
        ProposalStatus.PENDING,
    )
    delete_proposal(admin_user, proposal)
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        (
            {"category": "weather"},
            errors.INVALID_CATEGORY,
            "Nhóm khó khăn, vướng mắc «weather» không hợp lệ.",
        ),
        ({"text": "  "}, errors.TEXT_REQUIRED, "Cần nhập nội dung khó khăn, vướng mắc."),
    ],
)
def test_a_bad_finding_change_saves_nothing(inspector, finding, changes, code, message):
    before = state(finding)
    with pytest.raises(InspectionError) as caught:
        update_finding(inspector, finding, category=changes.get("category"), text=changes.get("text", "Mới"))
    assert (caught.value.code, caught.value.messages) == (code, [message])
    assert state(finding) == before


def test_a_bad_proposal_change_saves_nothing(inspector, proposal, far_department):
    before = state(proposal)
    with pytest.raises(InspectionError) as caught:
        update_proposal(inspector, proposal, text="Mới", department=far_department)
    assert caught.value.code == errors.OUTSIDE_PROVINCE
    with pytest.raises(InspectionError) as caught:
        update_proposal(inspector, proposal, text=" ")
    assert caught.value.code == errors.TEXT_REQUIRED
    assert state(proposal) == before


@pytest.mark.parametrize("status", [ProposalStatus.ACCEPTED, ProposalStatus.ANSWERED])
def test_a_handled_proposal_is_neither_changed_nor_deleted(inspector, proposal, health_department, status):
    answer_proposal(inspector, proposal, status, "Đã trả lời.")
    before = state(proposal)
    label = ProposalStatus(status).label
    with pytest.raises(InspectionError) as caught:
        update_proposal(inspector, proposal, text="Mới", department=health_department)
    assert (caught.value.code, caught.value.messages) == (
        errors.PROPOSAL_ANSWERED,
        [f"Kiến nghị đã được xử lý («{label}»): không sửa hoặc xoá được nữa."],
    )
    with pytest.raises(InspectionError) as caught:
        delete_proposal(inspector, proposal)
    assert caught.value.code == errors.PROPOSAL_ANSWERED
    assert state(proposal) == before


@pytest.mark.parametrize("role", ["clerk", "leader", "department_user", "far_inspector"])
def test_only_the_provinces_inspectors_and_admins_change_or_delete(request, role, finding, proposal):
    user = request.getfixturevalue(role)
    before = (state(finding), state(proposal))
    for call in (
        lambda: update_finding(user, finding, text="Mới"),
        lambda: delete_finding(user, finding),
        lambda: update_proposal(user, proposal, text="Mới"),
        lambda: delete_proposal(user, proposal),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert (state(finding), state(proposal)) == before


# --- HTML pages ----------------------------------------------------------------------------------


def as_user(client, user):
    client.force_login(user)
    return client


def test_the_visit_page_links_edit_and_delete_for_inspectors_only(
    client, inspector, clerk, entry, finding, proposal, answered_other
):
    content = as_user(client, inspector).get(f"/kiem-tra/{entry.visit_id}/").content.decode()
    assert f'<a href="/kiem-tra/kho-khan/{finding.pk}/sua/">Sửa</a>' in content
    assert f'<a href="/kiem-tra/kho-khan/{finding.pk}/xoa/">Xoá</a>' in content
    assert f'<a href="/kiem-tra/kien-nghi/{proposal.pk}/sua/">Sửa</a>' in content
    assert f'<a href="/kiem-tra/kien-nghi/{proposal.pk}/xoa/">Xoá</a>' in content
    assert f"/kiem-tra/kien-nghi/{answered_other.pk}/sua/" not in content  # answered: no controls
    assert content.count('<span class="item-actions no-print">') == 2
    content = as_user(client, clerk).get(f"/kiem-tra/{entry.visit_id}/").content.decode()
    assert "item-actions" not in content


@pytest.fixture
def answered_other(inspector, entry, department):
    other = add_proposal(inspector, entry, "Cấp thêm máy tính", department)
    return answer_proposal(inspector, other, ProposalStatus.ACCEPTED)


def test_an_inspector_edits_a_finding_on_its_page(client, inspector, entry, finding):
    url = f"/kiem-tra/kho-khan/{finding.pk}/sua/"
    page = as_user(client, inspector).get(url)
    assert page.status_code == 200
    assert "Thiếu cán bộ một cửa</textarea>" in page.content.decode()
    response = client.post(url, {"finding-category": "training", "finding-text": " Chưa tập huấn "})
    assert response.status_code == 302
    assert response["Location"] == f"/kiem-tra/{entry.visit_id}/#xa-{entry.pk}"
    assert state(finding) == ("training", "Chưa tập huấn")

    refused = client.post(url, {"finding-category": "other", "finding-text": "  "})
    assert refused.status_code == 400
    assert "Cần nhập nội dung khó khăn, vướng mắc." in refused.content.decode()
    assert state(finding) == ("training", "Chưa tập huấn")


def test_an_inspector_deletes_a_finding_after_confirming(client, inspector, entry, finding):
    url = f"/kiem-tra/kho-khan/{finding.pk}/xoa/"
    page = as_user(client, inspector).get(url).content.decode()
    assert "Xoá khó khăn, vướng mắc này khỏi báo cáo? Không khôi phục được." in page
    assert Finding.objects.exists()
    response = client.post(url)
    assert response["Location"] == f"/kiem-tra/{entry.visit_id}/#xa-{entry.pk}"
    assert not Finding.objects.exists()


def test_an_admin_edits_and_deletes_a_pending_proposal(
    client, admin_user, entry, proposal, health_department
):
    as_user(client, admin_user)
    url = f"/kiem-tra/kien-nghi/{proposal.pk}/sua/"
    response = client.post(
        url, {"proposal-text": "Hướng dẫn trạm y tế", "proposal-department": health_department.pk}
    )
    assert response["Location"] == f"/kiem-tra/{entry.visit_id}/#kien-nghi"
    assert state(proposal) == ("Hướng dẫn trạm y tế", health_department.pk, ProposalStatus.PENDING)
    response = client.post(f"/kiem-tra/kien-nghi/{proposal.pk}/xoa/")
    assert response.status_code == 302
    assert not Proposal.objects.exists()


def test_a_handled_proposal_is_refused_on_its_pages(client, inspector, answered, health_department):
    before = state(answered)
    as_user(client, inspector)
    edit = client.post(
        f"/kiem-tra/kien-nghi/{answered.pk}/sua/",
        {"proposal-text": "Mới", "proposal-department": health_department.pk},
    )
    delete = client.post(f"/kiem-tra/kien-nghi/{answered.pk}/xoa/")
    assert (edit.status_code, delete.status_code) == (400, 400)
    assert ANSWERED_MESSAGE in edit.content.decode()
    assert ANSWERED_MESSAGE in delete.content.decode()
    assert state(answered) == before


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clerk", 403),
        ("leader", 403),
        ("department_user", 403),
        ("no_role_user", 403),
        ("far_inspector", 404),
        ("inspector", 302),
        ("admin_user", 302),
    ],
)
def test_who_edits_and_deletes_on_the_pages(client, request, role, expected, finding, proposal):
    as_user(client, request.getfixturevalue(role))
    statuses = [
        client.get(f"/kiem-tra/kho-khan/{finding.pk}/sua/").status_code,
        client.post(
            f"/kiem-tra/kho-khan/{finding.pk}/sua/", {"finding-category": "other", "finding-text": "Mới"}
        ).status_code,
        client.post(
            f"/kiem-tra/kien-nghi/{proposal.pk}/sua/",
            {"proposal-text": "Mới", "proposal-department": proposal.department_id},
        ).status_code,
        client.post(f"/kiem-tra/kho-khan/{finding.pk}/xoa/").status_code,
        client.post(f"/kiem-tra/kien-nghi/{proposal.pk}/xoa/").status_code,
    ]
    assert statuses == [200 if expected == 302 else expected, *[expected] * 4]
    assert Finding.objects.exists() == Proposal.objects.exists() == (expected != 302)


# --- API -----------------------------------------------------------------------------------------


def test_the_api_changes_and_deletes_a_finding(inspector, entry, finding):
    client = api_as(inspector)
    url = f"/api/v1/findings/{finding.pk}/"
    assert client.get(url).json()["text"] == "Thiếu cán bộ một cửa"
    response = client.patch(url, {"category": "training", "text": "Chưa tập huấn"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["category"], response.json()["text"]) == ("training", "Chưa tập huấn")
    bad = client.patch(url, {"text": " "}, format="json")
    assert (bad.status_code, bad.json()["code"]) == (400, errors.TEXT_REQUIRED)
    read_only = client.patch(url, {"visited_commune": 1}, format="json")
    assert (read_only.status_code, read_only.json()["code"]) == (400, "read-only-field")
    assert state(finding) == ("training", "Chưa tập huấn")
    assert client.delete(url).status_code == 204
    assert not Finding.objects.exists()


def test_the_api_changes_and_deletes_a_pending_proposal(admin_user, proposal, health_department):
    client = api_as(admin_user)
    url = f"/api/v1/proposals/{proposal.pk}/"
    response = client.patch(url, {"department": health_department.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["department_name"], response.json()["text"]) == (
        "Sở Y tế",
        "Nâng cấp phần mềm một cửa",
    )
    status = client.patch(url, {"status": "answered"}, format="json")
    assert (status.status_code, status.json()["code"]) == (400, "read-only-field")
    assert client.delete(url).status_code == 204
    assert not Proposal.objects.exists()


def test_the_api_refuses_a_handled_proposal(inspector, answered):
    client = api_as(inspector)
    url = f"/api/v1/proposals/{answered.pk}/"
    before = state(answered)
    for response in (client.patch(url, {"text": "Mới"}, format="json"), client.delete(url)):
        assert response.status_code == 400
        assert response.json()["code"] == errors.PROPOSAL_ANSWERED
        assert response.json()["detail"] == ANSWERED_MESSAGE
    assert state(answered) == before


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clerk", 403),
        ("leader", 403),
        ("department_user", 403),
        ("far_inspector", 404),
        ("inspector", None),
        ("admin_user", None),
    ],
)
def test_who_patches_and_deletes_over_the_api(request, role, expected, finding, proposal):
    client = api_as(request.getfixturevalue(role))
    statuses = [
        client.patch(f"/api/v1/findings/{finding.pk}/", {"text": "Mới"}, format="json").status_code,
        client.patch(f"/api/v1/proposals/{proposal.pk}/", {"text": "Mới"}, format="json").status_code,
        client.delete(f"/api/v1/findings/{finding.pk}/").status_code,
        client.delete(f"/api/v1/proposals/{proposal.pk}/").status_code,
    ]
    assert statuses == ([200, 200, 204, 204] if expected is None else [expected] * 4)
    assert Finding.objects.exists() == Proposal.objects.exists() == (expected is not None)


def test_put_is_not_offered(inspector, finding):
    response = api_as(inspector).put(f"/api/v1/findings/{finding.pk}/", {"text": "Mới"}, format="json")
    assert response.status_code == 405
