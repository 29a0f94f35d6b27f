"""record_visit: a visit to several communes, each with its figures frozen for the chosen period."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from communes.models import Commune
from dossiers.figures import recompute
from dossiers.figures_read import summarize
from dossiers.models import DailyFigures, FiguresBacklog
from dossiers.services import move_dossier
from inspections import errors
from inspections.errors import InspectionError
from inspections.models import Visit, VisitedCommune
from inspections.services import record_visit
from inspections.snapshots import default_period, figures_are_current

from .conftest import VISIT_DAY, at

JULY_1_28 = (dt.date(2025, 7, 1), dt.date(2025, 7, 28))


@pytest.fixture
def van_son(commune):
    return Commune.objects.get(code="05284")


@pytest.fixture
def july_dossiers(vn_calendar, receive, clerk):
    """Thượng Cốc in July: two online, one direct (resolved on 8/7), one on 29/7 (the visit day)."""
    receive(at=at(7, 2), channel="online")
    receive(at=at(7, 3), channel="online")
    direct = receive(at=at(7, 4), channel="direct")
    move_dossier(direct, 4, actor=clerk, at=at(7, 7))
    move_dossier(direct, 9, actor=clerk, at=at(7, 8))
    receive(at=at(7, 29), channel="online")  # after the period: not in the snapshot


def test_visit_freezes_each_communes_figures_for_the_default_period(
    inspector, working_group, commune, neighbour_commune, july_dossiers
):
    visit = record_visit(
        inspector,
        working_group,
        VISIT_DAY,
        [commune, "05305"],
        participants="Tổ công tác số 10; lãnh đạo Sở KH&CN",
        conclusion="  Các trung tâm vận hành ổn định.  ",
    )

    assert visit.created_by == inspector
    assert visit.conclusion == "Các trung tâm vận hành ổn định."
    entries = {
        e.commune.code: e for e in VisitedCommune.objects.filter(visit=visit).select_related("commune")
    }
    assert set(entries) == {"05293", "05305"}
    thuong_coc = entries["05293"]
    assert (thuong_coc.period_from, thuong_coc.period_to) == JULY_1_28
    snapshot = thuong_coc.snapshot
    assert snapshot["date_from"] == "2025-07-01"
    assert snapshot["date_to"] == "2025-07-28"
    assert (snapshot["received_total"], snapshot["received_online"], snapshot["received_direct"]) == (3, 2, 1)
    assert snapshot["resolved_total"] == 1
    assert snapshot["online_rate"] == 66.67
    assert snapshot["carried_over"] + snapshot["received_total"] == (
        snapshot["resolved_total"] + snapshot["withdrawn"] + snapshot["stopped"] + snapshot["pending_total"]
    )
    assert entries["05305"].snapshot["received_total"] == 0
    assert thuong_coc.snapshot_taken_at is not None


def test_snapshot_is_exactly_the_summary_with_predecessors(
    inspector, working_group, commune, van_son, procedure
):
    """Văn Sơn's dossier of June, still pending, is carried over into the merged Thượng Cốc's July."""
    from dossiers.services import receive_dossier

    receive_dossier(
        commune=van_son,
        procedure=procedure,
        channel="direct",
        applicant_name="Lê Thị Bình",
        applicant_id_number="001203004568",
        at=at(6, 20),
        code="VS-250620-0001",
    )
    visit = record_visit(inspector, working_group, VISIT_DAY, [commune])

    entry = visit.visited_communes.get()
    assert entry.snapshot["carried_over"] == 1
    assert entry.snapshot["pending_total"] == 1
    live = summarize({commune.pk, van_son.pk}, *JULY_1_28)
    assert entry.snapshot == {
        **live,
        "date_from": "2025-07-01",
        "date_to": "2025-07-28",
        "computed_at": entry.snapshot["computed_at"],
    }
    assert entry.snapshot["computed_at"] is not None


def test_stale_figures_are_recomputed_before_freezing(inspector, working_group, commune, july_dossiers):
    # The clerk's saves marked the commune stale; no worker has run.
    assert FiguresBacklog.objects.filter(commune=commune).exists()
    assert not DailyFigures.objects.filter(commune=commune).exists()
    assert not figures_are_current(commune, {commune.pk}, *JULY_1_28)

    visit = record_visit(inspector, working_group, VISIT_DAY, [commune])

    assert visit.visited_communes.get().snapshot["received_total"] == 3
    # The period's rows are written; the mark stays for the days after it (the worker's job).
    assert DailyFigures.objects.filter(commune=commune, date__range=JULY_1_28).count() == 28
    assert FiguresBacklog.objects.filter(commune=commune).exists()


def test_current_figures_are_not_recomputed(inspector, working_group, commune, july_dossiers):
    recompute(None, dt.date(2025, 6, 1), dt.date(2025, 8, 4))
    FiguresBacklog.objects.all().delete()
    assert figures_are_current(commune, {commune.pk}, *JULY_1_28)
    # A stored figure that differs from the dossiers proves the snapshot reads the table as it is.
    DailyFigures.objects.filter(commune=commune, date=dt.date(2025, 7, 2)).update(received_online=5)

    visit = record_visit(inspector, working_group, VISIT_DAY, [commune])

    assert visit.visited_communes.get().snapshot["received_online"] == 6


def test_chosen_periods_by_code_or_unit(inspector, working_group, commune, neighbour_commune):
    visit = record_visit(
        inspector,
        working_group,
        VISIT_DAY,
        ["05293", neighbour_commune],
        periods={"05293": (dt.date(2025, 7, 1), dt.date(2025, 7, 27)), neighbour_commune: JULY_1_28},
    )
    periods = dict(visit.visited_communes.values_list("commune__code", "period_to"))
    assert periods == {"05293": dt.date(2025, 7, 27), "05305": dt.date(2025, 7, 28)}


def test_a_code_means_the_unit_valid_on_the_visit_date(inspector, working_group, quyet_thang):
    visit = record_visit(inspector, working_group, VISIT_DAY, ["05323"])
    assert visit.visited_communes.get().commune == quyet_thang


def test_admin_and_the_system_may_record(admin_user, working_group, commune):
    assert record_visit(admin_user, working_group, VISIT_DAY, [commune]).created_by == admin_user
    assert record_visit(None, working_group, dt.date(2025, 7, 30), [commune]).created_by is None


@pytest.mark.parametrize(
    ("visit_date", "period"),
    [
        (dt.date(2025, 7, 29), (dt.date(2025, 7, 1), dt.date(2025, 7, 28))),
        (dt.date(2025, 7, 2), (dt.date(2025, 7, 1), dt.date(2025, 7, 1))),
        # On the 1st nothing of the month is behind: the whole previous month.
        (dt.date(2025, 8, 1), (dt.date(2025, 7, 1), dt.date(2025, 7, 31))),
        (dt.date(2025, 1, 1), (dt.date(2024, 12, 1), dt.date(2024, 12, 31))),
        (dt.date(2024, 3, 1), (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ],
)
def test_default_period(visit_date, period):
    assert default_period(visit_date) == period


@pytest.mark.parametrize("role", ["clerk", "leader", "department_user", "far_inspector", "no_role_user"])
def test_only_the_provinces_inspectors_record_visits(request, role, working_group, commune):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        record_visit(user, working_group, VISIT_DAY, [commune])
    assert not Visit.objects.exists()


@pytest.fixture
def bad_input_world(commune, neighbour_commune, far_commune, quyet_thang):
    """Units for the refusals: Văn Sơn ended 30/6/2025, Thượng Cốc began 1/7/2025."""


@pytest.mark.parametrize(
    ("kwargs", "code", "message"),
    [
        ({"date": dt.date(2025, 8, 6)}, errors.VISIT_IN_FUTURE, "Ngày kiểm tra 06/08/2025 ở tương lai"),
        ({"communes": []}, errors.NO_COMMUNES, "Buổi kiểm tra cần ít nhất một xã."),
        ({"communes": ["99999"]}, errors.UNKNOWN_COMMUNE, "Không có đơn vị cấp xã mã «99999»."),
        (
            {"communes": ["05284"]},
            errors.COMMUNE_INACTIVE,
            "Xã Văn Sơn (mã 05284) đã kết thúc hoạt động ngày 30/06/2025 (đã sắp xếp, sáp nhập): "
            "không tồn tại vào ngày 29/07/2025.",
        ),
        (
            {"date": dt.date(2025, 6, 20)},
            errors.COMMUNE_INACTIVE,
            "Xã Thượng Cốc (mã 05293) chỉ có hiệu lực từ ngày 01/07/2025: không tồn tại vào ngày 20/06/2025.",
        ),
        (
            {"communes": ["05293", "00004"]},
            errors.OUTSIDE_PROVINCE,
            "Phường Ba Đình (mã 00004) không thuộc Tỉnh Phú Thọ, địa bàn của Tổ công tác số 10.",
        ),
        (
            {"communes": ["05293", "05305", "05293"]},
            errors.DUPLICATE_COMMUNE,
            "Xã Thượng Cốc được chọn hai lần trong cùng buổi kiểm tra.",
        ),
        (
            {"periods": {"05293": (dt.date(2025, 7, 1), dt.date(2025, 7, 29))}},
            errors.PERIOD_NOT_BEFORE_VISIT,
            "Kỳ số liệu của Xã Thượng Cốc phải kết thúc trước ngày kiểm tra 29/07/2025 "
            "(đang chọn đến ngày 29/07/2025).",
        ),
        (
            {"periods": {"05305": (dt.date(2025, 7, 1), dt.date(2025, 8, 2))}},
            errors.PERIOD_NOT_BEFORE_VISIT,
            "phải kết thúc trước ngày kiểm tra",
        ),
        (
            {"periods": {"05293": (dt.date(2025, 7, 20), dt.date(2025, 7, 10))}},
            errors.INVALID_PERIOD,
            "Kỳ số liệu của Xã Thượng Cốc không hợp lệ: "
            "ngày bắt đầu 20/07/2025 sau ngày kết thúc 10/07/2025.",
        ),
        (
            {"periods": {"05293": (dt.date(2020, 1, 1), dt.date(2025, 7, 10))}},
            errors.INVALID_PERIOD,
            "dài quá 3 năm",
        ),
        (
            {"periods": {"05323": JULY_1_28}},
            errors.PERIOD_FOR_UNKNOWN_COMMUNE,
            "Kỳ số liệu được nhập cho 05323, đơn vị không có trong buổi kiểm tra.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    inspector, working_group, bad_input_world, kwargs, code, message
):
    values = {"date": VISIT_DAY, "communes": ["05293", "05305"], **kwargs}
    with pytest.raises(InspectionError) as caught:
        record_visit(inspector, working_group, values.pop("date"), values.pop("communes"), **values)
    assert caught.value.code == code
    assert message in caught.value.messages[0]
    assert not Visit.objects.exists()
    assert not VisitedCommune.objects.exists()
    assert not DailyFigures.objects.exists()  # validation comes before any figure is computed
