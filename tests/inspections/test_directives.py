"""Directives: one assignee, a due date from the visit on, progress notes, done and overdue."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from inspections import errors
from inspections.choices import DirectiveStatus
from inspections.errors import InspectionError
from inspections.models import Directive, DirectiveProgress
from inspections.services import add_progress, create_directive, record_visit, update_directive

from .conftest import TODAY, VISIT_DAY


@pytest.fixture
def visit(inspector, working_group, commune, neighbour_commune):
    return record_visit(inspector, working_group, VISIT_DAY, [commune, neighbour_commune])


@pytest.fixture
def to_department(inspector, visit, department):
    return create_directive(
        inspector,
        visit,
        "Nâng cấp phần mềm một cửa, tập huấn cho cán bộ tại xã.",
        dt.date(2025, 8, 31),
        department=department,
        visited_commune=visit.visited_communes.get(commune__code="05293"),
    )


@pytest.fixture
def to_commune(inspector, visit, commune):
    return create_directive(
        inspector, visit, "Bố trí thêm 01 máy tính tại bộ phận một cửa.", TODAY, commune=commune
    )


def test_a_directive_is_assigned_to_a_department_or_a_commune(to_department, to_commune, department, commune):
    assert (to_department.assignee, to_department.status) == (department, DirectiveStatus.OPEN)
    assert to_department.get_status_display() == "Chưa thực hiện"
    assert to_commune.assignee == commune
    assert to_commune.completed_at is None


def test_a_commune_code_means_the_unit_valid_on_the_visit_date(inspector, visit, commune):
    directive = create_directive(inspector, visit, "Rà soát quy trình", TODAY, commune="05293")
    assert directive.commune == commune


@pytest.mark.parametrize(
    ("kwargs", "code", "message"),
    [
        ({"department": None, "commune": None}, errors.INVALID_ASSIGNEE, "chọn một sở, ngành hoặc một xã"),
        ({"commune": "05293"}, errors.INVALID_ASSIGNEE, "Nhiệm vụ giao cho đúng một đơn vị"),
        (
            {"due_date": dt.date(2025, 7, 28)},
            errors.DUE_BEFORE_VISIT,
            "Hạn hoàn thành 28/07/2025 trước ngày kiểm tra 29/07/2025: hạn phải từ ngày kiểm tra trở đi.",
        ),
        ({"text": " "}, errors.TEXT_REQUIRED, "Cần nhập nội dung nhiệm vụ."),
        ({"department": "far", "commune": None}, errors.OUTSIDE_PROVINCE, "không thuộc tỉnh của tổ công tác"),
        (
            {"department": None, "commune": "00004"},
            errors.OUTSIDE_PROVINCE,
            "Phường Ba Đình (mã 00004) không thuộc",
        ),
        (
            {"department": None, "commune": "05284"},
            errors.COMMUNE_INACTIVE,
            "đã kết thúc hoạt động ngày 30/06/2025",
        ),
        ({"visited_commune": "other"}, errors.VISITED_COMMUNE_MISMATCH, "thuộc một buổi kiểm tra khác"),
    ],
)
def test_bad_directive_is_refused_and_nothing_saved(
    inspector, working_group, visit, department, far_department, far_commune, kwargs, code, message
):
    values = {
        "text": "Nâng cấp phần mềm",
        "due_date": dt.date(2025, 8, 31),
        "department": department,
        **kwargs,
    }
    if values.get("department") == "far":
        values["department"] = far_department
    if values.get("visited_commune") == "other":
        other = record_visit(inspector, working_group, dt.date(2025, 7, 30), ["05305"])
        values["visited_commune"] = other.visited_communes.get()
    with pytest.raises(InspectionError) as caught:
        create_directive(inspector, visit, **values)
    assert caught.value.code == code
    assert message in caught.value.messages[0]
    assert not Directive.objects.exists()


@pytest.mark.parametrize("role", ["clerk", "department_user", "far_inspector"])
def test_only_inspectors_assign_and_edit_directives(request, role, visit, department, to_department):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        create_directive(user, visit, "Việc khác", TODAY, department=department)
    with pytest.raises(PermissionDenied):
        update_directive(user, to_department, due_date=dt.date(2025, 9, 30))
    assert Directive.objects.count() == 1


def test_inspector_moves_the_due_date_never_before_the_visit(inspector, to_department):
    assert update_directive(inspector, to_department, due_date=dt.date(2025, 9, 30)).due_date == dt.date(
        2025, 9, 30
    )
    with pytest.raises(InspectionError) as caught:
        update_directive(inspector, to_department, due_date=dt.date(2025, 7, 1))
    assert caught.value.code == errors.DUE_BEFORE_VISIT
    to_department.refresh_from_db()
    assert to_department.due_date == dt.date(2025, 9, 30)


def test_the_department_reports_progress_then_marks_it_done(department_user, to_department):
    first = add_progress(
        department_user, to_department, "Đã khảo sát hiện trạng phần mềm.", DirectiveStatus.IN_PROGRESS
    )
    note = add_progress(department_user, to_department, "Đang chờ nhà cung cấp.")
    done = add_progress(department_user, to_department, "Đã nâng cấp và tập huấn xong.", "done")

    to_department.refresh_from_db()
    assert to_department.status == DirectiveStatus.DONE
    assert to_department.completed_at is not None
    assert (first.status, note.status, done.status) == ("in_progress", "", "done")
    assert done.author == department_user
    assert done.date == TODAY
    assert list(to_department.progress.values_list("note", flat=True)) == [
        "Đã khảo sát hiện trạng phần mềm.",
        "Đang chờ nhà cung cấp.",
        "Đã nâng cấp và tập huấn xong.",
    ]


def test_reopening_a_done_directive_clears_its_completion(inspector, department_user, to_department):
    add_progress(department_user, to_department, "Xong.", DirectiveStatus.DONE)
    add_progress(inspector, to_department, "Chưa đạt yêu cầu, thực hiện lại.", DirectiveStatus.IN_PROGRESS)
    to_department.refresh_from_db()
    assert (to_department.status, to_department.completed_at) == (DirectiveStatus.IN_PROGRESS, None)


def test_the_communes_clerk_and_leader_report_on_the_communes_directive(clerk, leader, to_commune):
    add_progress(clerk, to_commune, "Đã lắp đặt máy tính.", DirectiveStatus.DONE, date=dt.date(2025, 8, 4))
    add_progress(leader, to_commune, "Lãnh đạo xã đã kiểm tra.")
    assert to_commune.progress.count() == 2
    assert to_commune.progress.first().date == dt.date(2025, 8, 4)


@pytest.mark.parametrize(
    ("role", "directive"),
    [
        ("clerk", "to_department"),
        ("health_user", "to_department"),
        ("far_inspector", "to_department"),
        ("department_user", "to_commune"),
        ("neighbour_clerk", "to_commune"),
        ("no_role_user", "to_commune"),
    ],
)
def test_others_may_not_report_progress(request, role, directive):
    target = request.getfixturevalue(directive)
    with pytest.raises(PermissionDenied):
        add_progress(request.getfixturevalue(role), target, "Ghi chú", DirectiveStatus.DONE)
    target.refresh_from_db()
    assert target.status == DirectiveStatus.OPEN
    assert not DirectiveProgress.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "code", "message"),
    [
        ({"note": ""}, errors.TEXT_REQUIRED, "Cần nhập nội dung tiến độ thực hiện."),
        ({"status": "closed"}, errors.INVALID_STATUS, "Trạng thái nhiệm vụ «closed» không hợp lệ."),
        (
            {"date": dt.date(2025, 8, 6)},
            errors.INVALID_DATE,
            "Ngày cập nhật tiến độ phải từ ngày kiểm tra 29/07/2025 đến hôm nay 05/08/2025.",
        ),
        ({"date": dt.date(2025, 7, 28)}, errors.INVALID_DATE, "Ngày cập nhật tiến độ phải từ ngày kiểm tra"),
    ],
)
def test_bad_progress_is_refused(department_user, to_department, kwargs, code, message):
    values = {"note": "Đã nâng cấp", "status": DirectiveStatus.DONE, **kwargs}
    with pytest.raises(InspectionError) as caught:
        add_progress(department_user, to_department, **values)
    assert caught.value.code == code
    assert message in caught.value.messages[0]
    to_department.refresh_from_db()
    assert (to_department.status, to_department.completed_at) == (DirectiveStatus.OPEN, None)
    assert not DirectiveProgress.objects.exists()
