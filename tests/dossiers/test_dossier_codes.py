"""Dossier codes: {agency}-{yyMMdd}-{NNNN}, restarting daily per centre, unique under concurrency."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections

from dossiers.codes import format_code, is_well_formed, reserve_imported_code
from dossiers.models import Dossier

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(dt.datetime(2025, 9, 15, 10, tzinfo=VN), tick=False):
        yield


def test_sequence_restarts_every_day(receive):
    first = receive(at=dt.datetime(2025, 9, 10, 9, tzinfo=VN))
    second = receive(at=dt.datetime(2025, 9, 10, 10, tzinfo=VN))
    next_day = receive(at=dt.datetime(2025, 9, 11, 9, tzinfo=VN))
    assert [first.code, second.code, next_day.code] == [
        "H25.05293-250910-0001",
        "H25.05293-250910-0002",
        "H25.05293-250911-0001",
    ]


def test_the_code_date_is_the_local_receipt_date(receive):
    # 23:30 on the 10th in Hà Nội is 16:30 UTC: the code must carry the local date.
    dossier = receive(at=dt.datetime(2025, 9, 10, 16, 30, tzinfo=dt.UTC))
    assert dossier.code.startswith("H25.05293-250910-")


def test_imported_numbers_are_skipped_by_later_codes(receive, centre):
    reserve_imported_code(centre, dt.date(2025, 9, 10), 7)
    reserve_imported_code(centre, dt.date(2025, 9, 10), 3)  # lower: keeps 7
    assert receive(at=dt.datetime(2025, 9, 10, 9, tzinfo=VN)).code == "H25.05293-250910-0008"


def test_code_format_helpers():
    assert format_code("H25.05293", dt.date(2025, 7, 29), 12) == "H25.05293-250729-0012"
    assert is_well_formed("H25.05293-250729-0012")
    assert not is_well_formed("h25.05293-250729-12")
    assert not is_well_formed("")


@pytest.mark.django_db(transaction=True)
def test_clerks_saving_at_the_same_instant_get_different_codes(centre, procedure, clerk):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (CI runs it); SQLite serialises whole files")
    from dossiers.services import receive_dossier

    writers = 8
    barrier = threading.Barrier(writers)
    codes, failures = [], []

    def save(n):
        try:
            barrier.wait()
            dossier = receive_dossier(
                commune=centre.commune, procedure=procedure, channel="direct",
                applicant_name=f"Người nộp {n}", applicant_id_number=f"{n:012d}", actor=clerk,
                at=dt.datetime(2025, 9, 12, 9, tzinfo=VN),
            )  # fmt: skip
            codes.append(dossier.code)
        except Exception as exc:  # noqa: BLE001 -- reported below with the thread's number
            failures.append((n, exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(codes) == [f"H25.05293-250912-{n:04d}" for n in range(1, writers + 1)]
    assert Dossier.objects.count() == writers
