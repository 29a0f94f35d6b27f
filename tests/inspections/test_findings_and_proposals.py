"""Findings by category and proposals to departments, answered by the department or an inspector."""

import pytest
from django.core.exceptions import PermissionDenied

from inspections import errors
from inspections.choices import FindingCategory, ProposalStatus
from inspections.errors import InspectionError
from inspections.models import Finding, Proposal
from inspections.services import add_finding, add_proposal, answer_proposal, record_visit, update_visit

from .conftest import VISIT_DAY


@pytest.fixture
def entry(inspector, working_group, commune):
    return record_visit(inspector, working_group, VISIT_DAY, [commune]).visited_communes.get()


@pytest.fixture
def proposal(inspector, entry, department):
    return add_proposal(
        inspector, entry, "Sở KH&CN nâng cấp phần mềm một cửa và tập huấn tại xã.", department
    )


def test_findings_are_filed_by_category(inspector, entry):
    finding = add_finding(
        inspector, entry, FindingCategory.IT_SYSTEMS, " Cổng dịch vụ công quá tải, người dân khó đăng nhập. "
    )
    assert finding.text == "Cổng dịch vụ công quá tải, người dân khó đăng nhập."
    assert finding.get_category_display() == "Hệ thống thông tin, cổng dịch vụ công"
    assert [label for _value, label in FindingCategory.choices] == [
        "Nhân sự",
        "Cơ sở vật chất, trang thiết bị",
        "Hệ thống thông tin, cổng dịch vụ công",
        "Định danh điện tử VNeID",
        "Tập huấn, bồi dưỡng",
        "Cán bộ chuyên môn",
        "Khác",
    ]


@pytest.mark.parametrize(
    ("category", "text", "code", "message"),
    [
        ("weather", "Mưa nhiều", errors.INVALID_CATEGORY, "Nhóm khó khăn, vướng mắc «weather» không hợp lệ."),
        (FindingCategory.STAFFING, "   ", errors.TEXT_REQUIRED, "Cần nhập nội dung khó khăn, vướng mắc."),
    ],
)
def test_bad_finding_is_refused(inspector, entry, category, text, code, message):
    with pytest.raises(InspectionError) as caught:
        add_finding(inspector, entry, category, text)
    assert (caught.value.code, caught.value.messages) == (code, [message])
    assert not Finding.objects.exists()


@pytest.mark.parametrize("role", ["clerk", "department_user", "far_inspector"])
def test_only_inspectors_add_findings_and_proposals(request, role, entry, department):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        add_finding(user, entry, FindingCategory.STAFFING, "Thiếu cán bộ")
    with pytest.raises(PermissionDenied):
        add_proposal(user, entry, "Bổ sung biên chế", department)
    assert not Finding.objects.exists()
    assert not Proposal.objects.exists()


def test_proposal_is_pending_until_answered(proposal, department):
    assert proposal.status == ProposalStatus.PENDING
    assert proposal.get_status_display() == "Chờ xử lý"
    assert proposal.department == department
    assert proposal.answered_at is None


def test_proposal_to_another_provinces_department_is_refused(inspector, entry, far_department):
    with pytest.raises(InspectionError) as caught:
        add_proposal(inspector, entry, "Nâng cấp phần mềm", far_department)
    assert caught.value.code == errors.OUTSIDE_PROVINCE
    assert caught.value.messages == ["Sở Khoa học và Công nghệ không thuộc tỉnh của tổ công tác."]
    assert not Proposal.objects.exists()


def test_empty_proposal_is_refused(inspector, entry, department):
    with pytest.raises(InspectionError) as caught:
        add_proposal(inspector, entry, "", department)
    assert caught.value.code == errors.TEXT_REQUIRED
    assert not Proposal.objects.exists()


def test_the_department_accepts_then_answers(proposal, department_user):
    accepted = answer_proposal(department_user, proposal, ProposalStatus.ACCEPTED)
    assert (accepted.status, accepted.get_status_display()) == ("accepted", "Đã tiếp thu")
    assert accepted.answered_by == department_user
    assert accepted.answered_at is not None

    answered = answer_proposal(
        department_user, proposal, ProposalStatus.ANSWERED, "Đã bố trí kinh phí nâng cấp trong quý III."
    )
    answered.refresh_from_db()
    assert answered.status == ProposalStatus.ANSWERED
    assert answered.get_status_display() == "Đã trả lời"
    assert answered.answer == "Đã bố trí kinh phí nâng cấp trong quý III."


def test_an_inspector_may_answer_too(proposal, inspector):
    assert answer_proposal(inspector, proposal, ProposalStatus.ACCEPTED).answered_by == inspector


@pytest.mark.parametrize("role", ["health_user", "clerk", "leader", "far_inspector", "no_role_user"])
def test_others_may_not_answer(request, role, proposal):
    with pytest.raises(PermissionDenied):
        answer_proposal(request.getfixturevalue(role), proposal, ProposalStatus.ACCEPTED)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


@pytest.mark.parametrize(
    ("status", "answer", "code", "message"),
    [
        ("answered", "  ", errors.ANSWER_REQUIRED, "Cần nhập nội dung trả lời kiến nghị."),
        (
            "pending",
            "",
            errors.INVALID_STATUS,
            "Kiến nghị chỉ có thể chuyển sang «Đã tiếp thu» hoặc «Đã trả lời».",
        ),
        ("rejected", "Không", errors.INVALID_STATUS, "Kiến nghị chỉ có thể chuyển sang"),
    ],
)
def test_bad_answer_is_refused(proposal, department_user, status, answer, code, message):
    with pytest.raises(InspectionError) as caught:
        answer_proposal(department_user, proposal, status, answer)
    assert caught.value.code == code
    assert message in caught.value.messages[0]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer, proposal.answered_at) == ("pending", "", None)


def test_visit_texts_are_edited_by_inspectors_only(inspector, clerk, entry):
    visit = update_visit(inspector, entry.visit, conclusion=" Kết luận của Phó Chủ tịch UBND tỉnh. ")
    assert visit.conclusion == "Kết luận của Phó Chủ tịch UBND tỉnh."
    assert visit.participants == ""
    with pytest.raises(PermissionDenied):
        update_visit(clerk, entry.visit, conclusion="Khác")
