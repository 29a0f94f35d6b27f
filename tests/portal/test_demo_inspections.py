"""The demo records the seed article's visit (issue 5): Tổ công tác số 10 in Thượng Cốc, Yên Phú and
Quyết Thắng on 29/7/2025, the communes' figures frozen over the article's periods, the difficulties
and proposals they raised, the leader's conclusions as directives, and their follow-up.

Seeded once for the module at 1% of the dossier volume (the article's figures hold at any scale).
"""

import datetime as dt
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone

from communes.models import StaffProfile
from dossiers.figures_read import SUMMARY_FIGURES
from inspections.choices import DirectiveStatus, FindingCategory, ProposalStatus
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

pytestmark = pytest.mark.django_db

VISIT_DAY = dt.date(2025, 7, 29)
ARTICLE_DEPARTMENTS = {
    "Sở Khoa học và Công nghệ": "Sở KH&CN",
    "Sở Tư pháp": "Sở Tư pháp",
    "Sở Nông nghiệp và Môi trường": "Sở NN&MT",
    "Sở Nội vụ": "Sở Nội vụ",
    "Sở Tài chính": "Sở Tài chính",
    "Sở Y tế": "Sở Y tế",
    "Công an tỉnh": "Công an tỉnh",
    "Văn phòng UBND tỉnh": "VP UBND tỉnh",
}
PERIODS = {
    "05293": (dt.date(2025, 7, 1), dt.date(2025, 7, 28)),
    "05305": (dt.date(2025, 7, 1), dt.date(2025, 7, 27)),
    "05323": (dt.date(2025, 7, 1), dt.date(2025, 7, 28)),
}
INSPECTION_MODELS = (
    Department,
    WorkingGroup,
    WorkingGroupMember,
    Visit,
    VisitedCommune,
    Finding,
    Proposal,
    Directive,
    DirectiveProgress,
    StaffProfile,
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", "--scale", "0.01", verbosity=0)
        yield
        call_command("flush", "--noinput", verbosity=0)


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def visit(demo):
    return Visit.objects.select_related("group", "created_by").get(
        group__province__code="25", group__number=10, date=VISIT_DAY
    )


def test_the_departments_and_working_group_10(visit):
    assert dict(Department.objects.filter(province__code="25").values_list("name", "short_name")) == (
        ARTICLE_DEPARTMENTS
    )
    group = visit.group
    assert (group.name, group.leader_name, group.leader_title) == (
        "Tổ công tác số 10",
        "Quách Tất Liêm",
        "Tỉnh uỷ viên, Phó Chủ tịch UBND tỉnh",
    )
    # "Tham gia đoàn có lãnh đạo các Sở: ...": every department of the article but Sở Y tế.
    members = group.members.select_related("department")
    assert [m.department.short_name for m in members] == [
        "Sở KH&CN",
        "Sở Tư pháp",
        "Sở NN&MT",
        "Sở Nội vụ",
        "Sở Tài chính",
        "Công an tỉnh",
        "VP UBND tỉnh",
    ]
    assert all(m.name == f"Lãnh đạo {m.department.name}" for m in members)


def test_the_visit_of_29_july_2025(visit):
    assert Visit.objects.count() == 1
    assert visit.created_by.username == "totruong.phutho"
    assert "Quách Tất Liêm" in visit.participants
    assert "Tăng cường công tác đào tạo, bồi dưỡng" in visit.conclusion
    entries = visit.visited_communes.select_related("commune").order_by("commune__code")
    # The new units (from 1/7/2025); Quyết Thắng 05323 is the new commune, not Chí Đạo's old code.
    assert [(e.commune.code, e.commune.name, e.commune.valid_from) for e in entries] == [
        ("05293", "Thượng Cốc", dt.date(2025, 7, 1)),
        ("05305", "Yên Phú", dt.date(2025, 7, 1)),
        ("05323", "Quyết Thắng", dt.date(2025, 7, 1)),
    ]
    assert {e.commune.code: (e.period_from, e.period_to) for e in entries} == PERIODS
    conclusions = {e.commune.code: e.conclusion for e in entries}
    assert "390 hồ sơ, trong đó 229 hồ sơ trực tuyến, đạt tỷ lệ 58,72%" in conclusions["05293"]
    assert "603 hồ sơ, trong đó 239 hồ sơ trực tuyến, 364 hồ sơ trực tiếp" in conclusions["05305"]
    assert "trên 3.000 lượt người dân" in conclusions["05323"]


def test_the_snapshots_are_the_stats_api_figures_of_the_article(visit, api_client):
    api_client.force_authenticate(user("totruong.phutho"))
    snapshots = {}
    for entry in visit.visited_communes.select_related("commune"):
        first, last = PERIODS[entry.commune.code]
        response = api_client.get(
            "/api/v1/stats/summary/",
            {
                "commune": entry.commune.code,
                "date_from": first.isoformat(),
                "date_to": last.isoformat(),
                "include_predecessors": "true",
            },
        )
        assert response.status_code == 200, response.content
        live = response.json()
        assert {name: entry.snapshot[name] for name in SUMMARY_FIGURES} == {
            name: live[name] for name in SUMMARY_FIGURES
        }
        assert (entry.snapshot["date_from"], entry.snapshot["date_to"]) == (
            first.isoformat(),
            last.isoformat(),
        )
        snapshots[entry.commune.code] = entry.snapshot

    thuong_coc, yen_phu, quyet_thang = snapshots["05293"], snapshots["05305"], snapshots["05323"]
    assert (thuong_coc["received_total"], thuong_coc["received_online"], thuong_coc["online_rate"]) == (
        390,
        229,
        58.72,
    )
    assert (thuong_coc["pending_overdue"], thuong_coc["resolved_late"]) == (0, 0)
    assert (yen_phu["received_total"], yen_phu["received_online"], yen_phu["received_direct"]) == (
        603,
        239,
        364,
    )
    assert (quyet_thang["received_total"], quyet_thang["resolved_total"]) == (350, 350)
    assert (quyet_thang["on_time_rate"], quyet_thang["pending_overdue"]) == (100.0, 0)
    assert quyet_thang["visits"] > 3000


def test_each_commune_raised_the_article_s_difficulties_and_proposals(visit):
    for entry in visit.visited_communes.all():
        categories = Counter(entry.findings.values_list("category", flat=True))
        assert categories == {
            FindingCategory.STAFFING: 1,
            FindingCategory.PREMISES_EQUIPMENT: 1,
            FindingCategory.IT_SYSTEMS: 1,
            FindingCategory.EID_VNEID: 1,
            FindingCategory.TRAINING: 1,
            FindingCategory.SPECIALIST_STAFF: 2,  # IT and health specialists
        }
        texts = " ".join(entry.findings.values_list("text", flat=True))
        for words in (
            "biên chế chưa bố trí hợp lý",
            "quá tải, không cho phép đăng nhập",
            "VNeID mức độ 1, mức độ 2",
        ):
            assert words in texts
        addressed = Counter(entry.proposals.values_list("department__short_name", flat=True))
        assert addressed == {
            "Sở KH&CN": 1,
            "Sở Nội vụ": 2,
            "Sở Y tế": 1,
            "Sở Tài chính": 1,
            "Công an tỉnh": 1,
        }
        upgrade = entry.proposals.get(department__short_name="Sở KH&CN")
        assert "motcua.phutho.gov.vn" in upgrade.text and "tập huấn trực tiếp tại xã" in upgrade.text


def test_two_departments_answered_their_proposals(visit):
    proposals = Proposal.objects.filter(visited_commune__visit=visit).select_related(
        "department", "answered_by"
    )
    answered = {
        (p.department.short_name, p.status, p.answered_by.username) for p in proposals if p.answered_at
    }
    assert answered == {
        ("Sở KH&CN", ProposalStatus.ANSWERED, "sokhcn.phutho"),
        ("Công an tỉnh", ProposalStatus.ACCEPTED, "congan.phutho"),
    }
    assert proposals.filter(status=ProposalStatus.ANSWERED).exclude(answer="").count() == 3
    assert proposals.filter(status=ProposalStatus.PENDING).count() == 12


def test_the_conclusions_became_directives_some_overdue_some_done(visit):
    directives = Directive.objects.filter(visit=visit).select_related("department", "commune")
    assert directives.count() == 10
    assert {d.department.short_name for d in directives if d.department} == {
        "VP UBND tỉnh",
        "Sở KH&CN",
        "Sở Y tế",
        "Sở Tài chính",
        "Công an tỉnh",
        "Sở Nội vụ",
    }
    assert {d.commune.code for d in directives if d.commune} == set(PERIODS)
    assert all(d.visited_commune.commune_id == d.commune_id for d in directives if d.commune)
    assert all(d.due_date >= VISIT_DAY for d in directives)

    overdue = directives.overdue()
    assert (
        overdue.filter(department__isnull=False).exists() and overdue.filter(commune__isnull=False).exists()
    )
    assert set(overdue.values_list("status", flat=True)) == {
        DirectiveStatus.OPEN,
        DirectiveStatus.IN_PROGRESS,
    }
    assert directives.filter(status=DirectiveStatus.DONE, completed_at__isnull=False).count() == 4
    # A standing task (training, Sở Nội vụ) is under way and not late.
    assert directives.open().not_overdue().filter(department__short_name="Sở Nội vụ").exists()
    # The board's order: the overdue ones first.
    board = list(directives.overdue_first())
    assert [d.is_overdue for d in board] == sorted((d.is_overdue for d in board), reverse=True)


def test_progress_notes_by_departments_and_commune_leaders(visit):
    notes = DirectiveProgress.objects.filter(directive__visit=visit).select_related("author", "directive")
    assert {n.author.username for n in notes} == {
        "sokhcn.phutho",
        "congan.phutho",
        "lanhdao.thuongcoc",
        "totruong.phutho",
    }
    today = timezone.localdate()
    assert all(VISIT_DAY <= n.date <= today for n in notes)
    # Each directive's status is the last status its notes moved it to (open when none did).
    for directive in Directive.objects.filter(visit=visit):
        moves = [n.status for n in notes if n.directive_id == directive.pk and n.status]
        assert directive.status == (moves[-1] if moves else DirectiveStatus.OPEN)
    sti = user("sokhcn.phutho")
    assert {d.department.short_name for d in Directive.objects.visible_to(sti)} == {"Sở KH&CN"}
    assert Proposal.objects.visible_to(sti).count() == 3


def test_demo_department_accounts(demo):
    for username, short_name in (("sokhcn.phutho", "Sở KH&CN"), ("congan.phutho", "Công an tỉnh")):
        profile = user(username).staff_profile
        assert (profile.role, profile.department.short_name, profile.province.code) == (
            "department",
            short_name,
            "25",
        )


def dump():
    return {m.__name__: serializers.serialize("json", m.objects.order_by("pk")) for m in INSPECTION_MODELS}


def test_seeding_again_changes_nothing(visit):
    before = dump()
    out = io.StringIO()
    call_command("seed_demo", "--scale", "0.01", stdout=out)
    assert "0 sở, ngành mới" in out.getvalue()
    assert "0 buổi kiểm tra mới" in out.getvalue()
    assert dump() == before
