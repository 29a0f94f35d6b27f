"""Who sees which inspection rows: `visible_to(user)` per role, the one scoping predicate.

One visit of Tổ công tác số 10 (Phú Thọ) to Thượng Cốc and Yên Phú, with a finding, a proposal
and a directive per commune plus one to each of two departments; one visit in Hà Nội.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from communes.scope import scope_of
from dossiers.models import Dossier
from inspections.choices import DirectiveStatus, FindingCategory
from inspections.models import (
    Department,
    Directive,
    DirectiveProgress,
    Finding,
    Proposal,
    Visit,
    VisitedCommune,
    WorkingGroup,
    WorkingGroupMember,
)
from inspections.services import add_finding, add_progress, add_proposal, create_directive, record_visit

from .conftest import VISIT_DAY

DUE = dt.date(2025, 8, 31)


@pytest.fixture
def world(
    inspector,
    working_group,
    far_group,
    commune,
    neighbour_commune,
    far_commune,
    department,
    health_department,
    far_department,
):
    WorkingGroupMember.objects.create(group=working_group, name="Trần Văn Sở", department=department)
    WorkingGroupMember.objects.create(group=far_group, name="Phạm Thị Hà")
    visit = record_visit(inspector, working_group, VISIT_DAY, [commune, neighbour_commune])
    thuong_coc = visit.visited_communes.get(commune=commune)
    yen_phu = visit.visited_communes.get(commune=neighbour_commune)
    for entry, name in ((thuong_coc, "Thượng Cốc"), (yen_phu, "Yên Phú")):
        add_finding(inspector, entry, FindingCategory.STAFFING, f"Thiếu cán bộ ở {name}")
    add_proposal(inspector, thuong_coc, "Nâng cấp phần mềm một cửa (Thượng Cốc)", department)
    add_proposal(inspector, yen_phu, "Hướng dẫn trạm y tế xã (Yên Phú)", health_department)
    for text, assignee in (
        ("Sở KH&CN nâng cấp phần mềm", {"department": department}),
        ("Sở Y tế hướng dẫn trạm y tế", {"department": health_department}),
        ("Thượng Cốc bố trí máy tính", {"commune": commune}),
        ("Yên Phú bố trí máy tính", {"commune": neighbour_commune}),
    ):
        directive = create_directive(inspector, visit, text, DUE, **assignee)
        add_progress(inspector, directive, f"Đã giao: {text}", DirectiveStatus.IN_PROGRESS)
    far_visit = record_visit(None, far_group, VISIT_DAY, [far_commune])
    far_entry = far_visit.visited_communes.get()
    add_finding(None, far_entry, FindingCategory.OTHER, "Hà Nội")
    add_proposal(None, far_entry, "Hà Nội: phần mềm", far_department)
    directive = create_directive(None, far_visit, "Ba Đình bố trí máy tính", DUE, commune=far_commune)
    add_progress(None, directive, "Đã giao: Ba Đình", DirectiveStatus.IN_PROGRESS)


def seen(user):
    """What `user` sees of each model, by a readable key."""
    return {
        "groups": set(WorkingGroup.objects.visible_to(user).values_list("name", flat=True)),
        "members": set(WorkingGroupMember.objects.visible_to(user).values_list("name", flat=True)),
        "visits": set(Visit.objects.visible_to(user).values_list("group__name", flat=True)),
        "communes": set(VisitedCommune.objects.visible_to(user).values_list("commune__code", flat=True)),
        "findings": set(Finding.objects.visible_to(user).values_list("text", flat=True)),
        "proposals": set(Proposal.objects.visible_to(user).values_list("text", flat=True)),
        "directives": set(Directive.objects.visible_to(user).values_list("text", flat=True)),
        "progress": set(DirectiveProgress.objects.visible_to(user).values_list("note", flat=True)),
    }


PHU_THO = {
    "groups": {"Tổ công tác số 10"},
    "members": {"Trần Văn Sở"},
    "visits": {"Tổ công tác số 10"},
    "communes": {"05293", "05305"},
    "findings": {"Thiếu cán bộ ở Thượng Cốc", "Thiếu cán bộ ở Yên Phú"},
    "proposals": {"Nâng cấp phần mềm một cửa (Thượng Cốc)", "Hướng dẫn trạm y tế xã (Yên Phú)"},
    "directives": {
        "Sở KH&CN nâng cấp phần mềm",
        "Sở Y tế hướng dẫn trạm y tế",
        "Thượng Cốc bố trí máy tính",
        "Yên Phú bố trí máy tính",
    },
    "progress": {
        "Đã giao: Sở KH&CN nâng cấp phần mềm",
        "Đã giao: Sở Y tế hướng dẫn trạm y tế",
        "Đã giao: Thượng Cốc bố trí máy tính",
        "Đã giao: Yên Phú bố trí máy tính",
    },
}
HA_NOI = {
    "groups": {"Tổ công tác số 1"},
    "members": {"Phạm Thị Hà"},
    "visits": {"Tổ công tác số 1"},
    "communes": {"00004"},
    "findings": {"Hà Nội"},
    "proposals": {"Hà Nội: phần mềm"},
    "directives": {"Ba Đình bố trí máy tính"},
    "progress": {"Đã giao: Ba Đình"},
}
NOTHING = {key: set() for key in PHU_THO}


def test_admin_sees_everything(world, admin_user):
    assert seen(admin_user) == {key: PHU_THO[key] | HA_NOI[key] for key in PHU_THO}


def test_inspectors_see_their_province(world, inspector, far_inspector):
    assert seen(inspector) == PHU_THO
    assert seen(far_inspector) == HA_NOI


def test_department_user_reads_the_provinces_visits_and_only_its_own_proposals_and_directives(
    world, department_user
):
    assert seen(department_user) == {
        **PHU_THO,
        "proposals": {"Nâng cấp phần mềm một cửa (Thượng Cốc)"},
        "directives": {"Sở KH&CN nâng cấp phần mềm"},
        "progress": {"Đã giao: Sở KH&CN nâng cấp phần mềm"},
    }


def test_health_department_sees_its_own(world, health_user):
    assert seen(health_user)["directives"] == {"Sở Y tế hướng dẫn trạm y tế"}
    assert seen(health_user)["proposals"] == {"Hướng dẫn trạm y tế xã (Yên Phú)"}


@pytest.mark.parametrize("role", ["clerk", "leader"])
def test_commune_staff_see_their_communes_part_only(request, world, role):
    """The visit went to two communes: Yên Phú's figures, findings and proposals stay hidden."""
    assert seen(request.getfixturevalue(role)) == {
        "groups": {"Tổ công tác số 10"},
        "members": {"Trần Văn Sở"},
        "visits": {"Tổ công tác số 10"},
        "communes": {"05293"},
        "findings": {"Thiếu cán bộ ở Thượng Cốc"},
        "proposals": {"Nâng cấp phần mềm một cửa (Thượng Cốc)"},
        "directives": {"Thượng Cốc bố trí máy tính"},
        "progress": {"Đã giao: Thượng Cốc bố trí máy tính"},
    }


def test_the_neighbours_clerk_sees_yen_phu_only(world, neighbour_clerk):
    result = seen(neighbour_clerk)
    assert result["communes"] == {"05305"}
    assert result["directives"] == {"Yên Phú bố trí máy tính"}
    assert result["proposals"] == {"Hướng dẫn trạm y tế xã (Yên Phú)"}


def test_the_visit_list_has_no_duplicates(world, clerk, inspector):
    assert Visit.objects.visible_to(clerk).count() == 1
    assert Visit.objects.visible_to(inspector).count() == 1
    assert WorkingGroup.objects.visible_to(clerk).count() == 1


def test_no_role_and_anonymous_see_nothing(world, no_role_user):
    assert seen(no_role_user) == NOTHING
    assert seen(AnonymousUser()) == NOTHING
    assert not Department.objects.visible_to(AnonymousUser()).exists()


def test_departments_are_reference_data_for_every_signed_in_account(world, clerk, department_user):
    assert Department.objects.visible_to(clerk).count() == 3
    assert Department.objects.visible_to(department_user).count() == 3


def test_a_department_user_sees_no_dossier(world, department_user, receive):
    receive()
    scope = scope_of(department_user)
    assert (scope.role, scope.commune_ids) == ("department", frozenset())
    assert not scope.can_change_dossiers
    assert Dossier.objects.count() == 1
    assert not Dossier.objects.visible_to(department_user).exists()
