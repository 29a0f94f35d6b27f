"""The workflow's rules as the services enforce them, each refusal with its stable code."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dossiers import errors
from dossiers.errors import DossierError
from dossiers.models import Dossier, DossierEvent
from dossiers.services import move_dossier
from dossiers.workflow import ALLOWED_MOVES
from tests.factories import CommuneFactory, ServiceCentreFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2025, 9, 15, 10, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def _frozen_now(vn_calendar):
    with time_machine.travel(NOW, tick=False):
        yield


def when(day, hour=9):
    return dt.datetime(2025, 9, day, hour, 0, tzinfo=VN)


def test_the_table_is_domain_md_section_3():
    moves = {(a, b) for a, targets in ALLOWED_MOVES.items() for b in targets}
    assert moves == {
        (1, 2), (1, 3), (2, 4), (2, 7), (2, 9), (4, 5), (4, 6), (4, 7), (4, 8), (4, 9),
        (5, 4), (5, 7), (6, 4), (6, 7), (9, 10),
    }  # fmt: skip


@pytest.mark.parametrize("target", [1, 3, 5, 6, 8, 10, 11])
def test_illegal_moves_from_received_are_refused_and_change_nothing(receive, clerk, target):
    dossier = receive(at=when(1))
    with pytest.raises(DossierError) as caught:
        move_dossier(dossier, target, actor=clerk, at=when(2))
    assert caught.value.error_code == errors.ILLEGAL_TRANSITION
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version, dossier.events.count()) == (2, 1, 1)


def test_future_time_is_refused(receive, clerk):
    dossier = receive(at=when(1))
    with pytest.raises(DossierError) as caught:
        move_dossier(dossier, 4, actor=clerk, at=NOW + dt.timedelta(hours=1))
    assert caught.value.error_code == errors.INVALID_TIME
    with pytest.raises(DossierError) as caught:
        receive(at=NOW + dt.timedelta(days=1))
    assert caught.value.error_code == errors.INVALID_TIME


def test_a_move_cannot_precede_the_previous_event(receive, clerk):
    dossier = receive(at=when(3))
    with pytest.raises(DossierError) as caught:
        move_dossier(dossier, 4, actor=clerk, at=when(2))
    assert caught.value.error_code == errors.INVALID_TIME
    # The same instant as the previous event is fine (a same-minute paper record).
    assert move_dossier(dossier, 4, actor=clerk, at=when(3)).status == 4


def test_back_dated_moves_are_recorded_with_their_time(receive, clerk):
    dossier = receive(at=when(1))
    dossier = move_dossier(dossier, 4, actor=clerk, at=when(2), note="Ghi lùi từ sổ giấy")
    event = dossier.events.get(seq=2)
    assert event.at == when(2)
    assert event.recorded_at > event.at
    assert event.note == "Ghi lùi từ sổ giấy"


def test_a_merged_away_unit_takes_no_dossier_after_its_end(procedure, clerk, province):
    old = CommuneFactory(code="05272", name="Miền Đồi", province=province, ended=True)
    ServiceCentreFactory(commune=old, agency_code="X17.05272")
    from dossiers.services import receive_dossier

    with pytest.raises(DossierError) as caught:
        receive_dossier(
            commune=old, procedure=procedure, channel="direct", applicant_name="Lê Thị Hoa",
            applicant_id_number="017199000123", at=dt.datetime(2025, 7, 2, 9, tzinfo=VN),
        )  # fmt: skip
    assert caught.value.error_code == errors.COMMUNE_INACTIVE
    assert "30/06/2025" in caught.value.messages[0]
    # Received in June, it is still processed (by the successor's staff) after the merger.
    dossier = receive_dossier(
        commune=old, procedure=procedure, channel="direct", applicant_name="Lê Thị Hoa",
        applicant_id_number="017199000123", at=dt.datetime(2025, 6, 30, 9, tzinfo=VN),
    )  # fmt: skip
    assert move_dossier(dossier, 4, actor=clerk, at=when(1)).status == 4


def test_a_new_unit_takes_no_dossier_before_it_existed(receive):
    with pytest.raises(DossierError) as caught:
        receive(at=dt.datetime(2025, 6, 30, 9, tzinfo=VN))
    assert caught.value.error_code == errors.COMMUNE_INACTIVE
    assert not Dossier.objects.exists()


def test_status_one_is_for_online_submissions_only(receive):
    with pytest.raises(DossierError) as caught:
        receive(status=1, channel="direct", at=when(1))
    assert caught.value.error_code == errors.INVALID_INITIAL_STATUS
    with pytest.raises(DossierError) as caught:
        receive(status=4, at=when(1))
    assert caught.value.error_code == errors.INVALID_INITIAL_STATUS


def test_accepting_an_online_submission_starts_the_clock(receive, clerk):
    dossier = receive(status=1, channel="online", at=when(1, 20))
    assert (dossier.received_at, dossier.due_at) == (None, None)
    dossier = move_dossier(dossier, 2, actor=clerk, at=when(2, 8))
    assert dossier.received_at == when(2, 8)
    # Accepted on 2/9 (National Day, a day off): counted from 3/9, so 4, 5 and 8 September.
    assert dossier.due_at == dt.datetime(2025, 9, 8, 17, tzinfo=VN)


def test_refusal_at_intake_finishes_without_receipt(receive, clerk):
    dossier = receive(status=1, channel="online", at=when(1))
    dossier = move_dossier(dossier, 3, actor=clerk, at=when(1, 10), note="Sai thủ tục")
    assert (dossier.status, dossier.received_at, dossier.finished_at) == (3, None, when(1, 10))


def test_a_stale_version_is_refused_and_nothing_is_overwritten(receive, clerk, leader):
    dossier = receive(at=when(1))
    loaded_by_second_clerk = dossier.version
    move_dossier(dossier, 4, actor=clerk, at=when(2), expected_version=dossier.version)
    with pytest.raises(DossierError) as caught:
        move_dossier(dossier, 7, actor=leader, at=when(3), expected_version=loaded_by_second_clerk)
    assert caught.value.error_code == errors.STALE_VERSION
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (4, 2)
    assert DossierEvent.objects.filter(dossier=dossier).count() == 2


def test_withdrawal_during_a_pause_ends_the_pause(receive, clerk):
    dossier = receive(at=when(1))
    move_dossier(dossier, 4, actor=clerk, at=when(1, 10))
    dossier = move_dossier(dossier, 5, actor=clerk, at=when(2))
    assert dossier.paused_at == when(2)
    dossier = move_dossier(dossier, 7, actor=clerk, at=when(3))
    assert (dossier.status, dossier.paused_at, dossier.finished_at, dossier.timeliness) == (
        7,
        None,
        when(3),
        None,
    )
