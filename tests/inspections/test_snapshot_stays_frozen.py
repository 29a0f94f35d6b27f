"""Editing or back-dating dossiers after a visit leaves its snapshot unchanged (issue 5, "Done when").

The visit of 29/7/2025 freezes Thượng Cốc's figures for 1–28/7. A week later a clerk enters paper
records back-dated into July and resolves a dossier back-dated too; the figures are recomputed,
so the live summary of the same period changes, while the visit's snapshot stays as recorded.
Only an explicit change of the period re-freezes it.
"""

import copy
import datetime as dt

import pytest

from communes.scope import with_predecessors
from dossiers.figures import recompute
from dossiers.figures_backlog import catch_up
from dossiers.figures_read import summarize
from dossiers.services import move_dossier
from inspections.models import VisitedCommune
from inspections.services import record_visit, update_visited_commune

from .conftest import TODAY, VISIT_DAY, at

JULY_1_28 = (dt.date(2025, 7, 1), dt.date(2025, 7, 28))


@pytest.fixture
def recorded(vn_calendar, receive, clerk, inspector, working_group, commune):
    """Two July dossiers (one pending), the figures computed, then the visit recorded."""
    receive(at=at(7, 2), channel="online")
    pending = receive(at=at(7, 3), channel="direct")
    catch_up()
    visit = record_visit(inspector, working_group, VISIT_DAY, [commune])
    return visit.visited_communes.get(), pending


def live(commune):
    return summarize(with_predecessors({commune.pk}), *JULY_1_28)


def test_back_dated_dossiers_after_the_visit_leave_the_snapshot_unchanged(recorded, receive, clerk, commune):
    entry, pending = recorded
    frozen = copy.deepcopy(entry.snapshot)
    taken_at = entry.snapshot_taken_at
    assert frozen["received_total"] == 2
    assert frozen["resolved_total"] == 0
    assert live(commune)["received_total"] == 2

    # A week later (time is 5/8/2025): paper records back-dated into the period, a dossier
    # resolved back-dated, and one more received online on 21/7.
    receive(at=at(7, 10), channel="direct")
    receive(at=at(7, 21, 14), channel="online")
    move_dossier(pending, 4, actor=clerk, at=at(7, 4))
    move_dossier(pending, 9, actor=clerk, at=at(7, 7))
    assert catch_up() == 1  # what the worker does; the daily table now has the corrections
    recompute(None, dt.date(2025, 6, 30), TODAY)  # and a full rebuild on top, for good measure

    now = live(commune)
    assert (now["received_total"], now["received_online"], now["resolved_total"]) == (4, 2, 1)
    assert now["received_total"] != frozen["received_total"]

    entry = VisitedCommune.objects.get(pk=entry.pk)
    assert entry.snapshot == frozen
    assert entry.snapshot_taken_at == taken_at
    assert (entry.period_from, entry.period_to) == JULY_1_28


def test_editing_the_conclusion_or_restating_the_period_keeps_the_snapshot(recorded, receive, inspector):
    entry, _pending = recorded
    frozen = copy.deepcopy(entry.snapshot)
    receive(at=at(7, 10), channel="direct")
    catch_up()

    update_visited_commune(inspector, entry, conclusion="Đề nghị bổ sung máy tính cho bộ phận một cửa.")
    update_visited_commune(inspector, entry, period=JULY_1_28)

    entry = VisitedCommune.objects.get(pk=entry.pk)
    assert entry.conclusion == "Đề nghị bổ sung máy tính cho bộ phận một cửa."
    assert entry.snapshot == frozen


def test_an_explicit_new_period_refreezes_the_snapshot(recorded, receive, inspector):
    entry, _pending = recorded
    receive(at=at(7, 10), channel="direct")  # marks the commune stale: the service recomputes first

    update_visited_commune(inspector, entry, period=(dt.date(2025, 7, 1), dt.date(2025, 7, 27)))

    entry = VisitedCommune.objects.get(pk=entry.pk)
    assert (entry.period_from, entry.period_to) == (dt.date(2025, 7, 1), dt.date(2025, 7, 27))
    assert entry.snapshot["date_to"] == "2025-07-27"
    assert entry.snapshot["received_total"] == 3
