"""Deadlines through the services (DOMAIN.md §4): its examples, then a table of our own cases."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dossiers.services import move_dossier

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2027, 1, 4, 9, 0, tzinfo=VN)  # after every case: back-dated moves only


def at(day, hour=9, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN)


def d(text):
    return dt.date.fromisoformat(text)


@pytest.fixture(autouse=True)
def _frozen_now(vn_calendar, commune):
    # Cases reach back before the July 2025 merger: let the test unit exist since forever
    # (the unit-lifetime rule has its own tests).
    commune.valid_from = None
    commune.save()
    with time_machine.travel(NOW, tick=False):
        yield


def received(receive, procedure, days, moment):
    procedure.processing_days = days
    procedure.save()
    return receive(at=moment)


def test_domain_example_national_day(receive, procedure):
    dossier = received(receive, procedure, 3, at(d("2025-08-29"), 10))
    assert dossier.due_at == at(d("2025-09-05"), 17)


def test_domain_example_make_up_saturday(receive, procedure):
    # 25/4/2025 + 5 working days = 6/5/2025: Saturday 26/4/2025 was a make-up working day.
    dossier = received(receive, procedure, 5, at(d("2025-04-25"), 10))
    assert dossier.due_at == at(d("2025-05-06"), 17)


def test_domain_example_pause(receive, procedure, clerk):
    dossier = received(receive, procedure, 3, at(d("2025-08-29"), 10))
    dossier = move_dossier(dossier, 4, actor=clerk, at=at(d("2025-09-03"), 8))
    dossier = move_dossier(dossier, 5, actor=clerk, at=at(d("2025-09-03"), 9), note="Thiếu tờ khai")
    dossier = move_dossier(dossier, 4, actor=clerk, at=at(d("2025-09-08"), 9))
    # 4, 5 and 8 September are the working days d with 3/9 < d <= 8/9: due 5/9 -> 10/9.
    assert dossier.due_at == at(d("2025-09-10"), 17)
    assert dossier.paused_at is None


@pytest.mark.parametrize(
    ("label", "days", "moment", "expected_due"),
    [
        ("Tết 2026: Friday before, one day", 1, at(d("2026-02-13"), 10), d("2026-02-23")),
        ("received on the eve of Tết (a day off)", 0, at(d("2026-02-16"), 9), d("2026-02-23")),
        ("same-day procedure, in hours", 0, at(d("2025-07-02"), 16, 59), d("2025-07-02")),
        ("same-day procedure at closing time counts next day", 0, at(d("2025-07-02"), 17), d("2025-07-03")),
        ("after hours on Friday", 1, at(d("2025-07-04"), 18, 30), d("2025-07-08")),
        ("before opening counts that day", 1, at(d("2025-07-02"), 6, 30), d("2025-07-03")),
        ("on a Sunday", 2, at(d("2025-07-06"), 10), d("2025-07-09")),
        ("make-up Saturday is a working day to receive on", 0, at(d("2025-04-26"), 9), d("2025-04-26")),
        ("make-up Saturday 22/8/2026 counts in the period", 1, at(d("2026-08-21"), 9), d("2026-08-22")),
        ("30/4 and 1/5 and the substitute 2/5/2025", 2, at(d("2025-04-29"), 9), d("2025-05-06")),
        ("Hùng Kings 2026 observed on Monday 27/4", 1, at(d("2026-04-24"), 9), d("2026-04-28")),
        ("long procedure across New Year 2026", 10, at(d("2025-12-24"), 9), d("2026-01-08")),
    ],
)
def test_due_dates(receive, procedure, label, days, moment, expected_due):
    dossier = received(receive, procedure, days, moment)
    assert dossier.due_at == at(expected_due, 17), label


def test_several_pauses_each_move_the_deadline(receive, procedure, clerk):
    dossier = received(receive, procedure, 5, at(d("2025-07-01"), 9))
    assert dossier.due_at == at(d("2025-07-08"), 17)
    dossier = move_dossier(dossier, 4, actor=clerk, at=at(d("2025-07-01"), 10))
    # Supplement requested Wed 2/7, received Mon 7/7: 3, 4, 7 July -> +3 working days.
    dossier = move_dossier(dossier, 5, actor=clerk, at=at(d("2025-07-02"), 9))
    dossier = move_dossier(dossier, 4, actor=clerk, at=at(d("2025-07-07"), 9))
    assert dossier.due_at == at(d("2025-07-11"), 17)
    # Fees requested Thu 10/7, paid the same day: no working day passes, no shift.
    dossier = move_dossier(dossier, 6, actor=clerk, at=at(d("2025-07-10"), 9))
    dossier = move_dossier(dossier, 4, actor=clerk, at=at(d("2025-07-10"), 15))
    assert dossier.due_at == at(d("2025-07-11"), 17)
    # Paused Fri 11/7 over the weekend to Mon 14/7: one working day (14/7).
    dossier = move_dossier(dossier, 5, actor=clerk, at=at(d("2025-07-11"), 9))
    dossier = move_dossier(dossier, 4, actor=clerk, at=at(d("2025-07-14"), 9))
    assert dossier.due_at == at(d("2025-07-14"), 17)
    dossier = move_dossier(dossier, 9, actor=clerk, at=at(d("2025-07-14"), 16))
    assert dossier.timeliness == "on_time"
    assert list(dossier.events.values_list("due_at", flat=True))[-1] == at(d("2025-07-14"), 17)


def test_pause_across_tet_moves_by_working_days_only(receive, procedure, clerk):
    dossier = received(receive, procedure, 3, at(d("2026-02-10"), 9))
    assert dossier.due_at == at(d("2026-02-13"), 17)
    dossier = move_dossier(dossier, 4, actor=clerk, at=at(d("2026-02-10"), 10))
    dossier = move_dossier(dossier, 5, actor=clerk, at=at(d("2026-02-12"), 9))
    dossier = move_dossier(dossier, 4, actor=clerk, at=at(d("2026-02-24"), 9))
    # Working days in (12/2, 24/2]: 13, 23, 24 (16–20/2 is Tết) -> +3 from 13/2: 23, 24, 25 Feb.
    assert dossier.due_at == at(d("2026-02-25"), 17)


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (at(d("2025-09-04"), 16), "early"),
        (at(d("2025-09-05"), 8), "on_time"),
        (at(d("2025-09-05"), 16, 59), "on_time"),
        (at(d("2025-09-08"), 8), "late"),
    ],
)
def test_timeliness_compares_local_dates(receive, procedure, clerk, finished, expected):
    dossier = received(receive, procedure, 3, at(d("2025-08-29"), 10))
    dossier = move_dossier(dossier, 4, actor=clerk, at=at(d("2025-09-03"), 8))
    dossier = move_dossier(dossier, 9, actor=clerk, at=finished)
    assert dossier.timeliness == expected


def test_catalogue_change_does_not_move_old_deadlines(receive, procedure, clerk):
    dossier = received(receive, procedure, 3, at(d("2025-08-29"), 10))
    procedure.processing_days = 15
    procedure.save()
    dossier = move_dossier(dossier, 4, actor=clerk, at=at(d("2025-09-03"), 8))
    assert dossier.processing_days == 3
    assert dossier.due_at == at(d("2025-09-05"), 17)
