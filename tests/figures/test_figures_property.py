"""Property: for random dossier histories, the daily table gives the same period figures as a
direct recount from the event histories, the identity of DOMAIN.md §5 holds, and recomputing a
part (the backlog catch-up after late entries, or any sub-range) gives the same rows as a full run.

Each example replays a generated history through the real services (receive_dossier,
move_dossier) at a fixed "now" after the span, so every event is back-dated as a clerk entering
paper records would do, in an order interleaved across dossiers. Examples run in a savepoint that
is rolled back, so 500 of them share one test database without seeing each other's rows.
"""

import datetime as dt

import time_machine
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from dossiers.figures import recompute
from dossiers.figures_backlog import catch_up
from dossiers.figures_read import summarize, summarize_by_procedure
from dossiers.models import DailyFigures, DailyProcedureFigures, Dossier, FiguresBacklog, WalkInVisits
from dossiers.services import move_dossier, receive_dossier

from .recount import FIGURES, recount, recount_by_procedure
from .strategies import NOW, PREDECESSOR, SPAN_FIRST, SUCCESSOR, TODAY, VN, histories, periods

#: The recomputed range: one day before the span (so a period starting on its first day has a
#: carried-over row) to the fixed today.
RANGE_FIRST = SPAN_FIRST - dt.timedelta(days=1)
ROW_FIELDS = (
    "received_online", "received_direct", "received_postal", "resolved_early", "resolved_on_time",
    "resolved_late", "withdrawn", "stopped", "pending_in_time", "pending_overdue", "paused",
)  # fmt: skip


class _Rollback(Exception):
    """Raised at the end of an example to undo its rows."""


def replay(world, history, dossiers: dict, progress: dict, tokens) -> list:
    """Enter the next event of the dossier named by each token, through the services; return the
    (unit, at) of each event entered."""
    entered = []
    for index in tokens:
        plan = history.dossiers[index]
        step = progress.get(index, 0)
        status, at = plan.events[step]
        if step == 0:
            dossiers[index] = receive_dossier(
                commune=world.units[plan.unit],
                procedure=world.procedures[plan.procedure],
                channel=plan.channel,
                applicant_name="Nguyễn Văn An",
                applicant_id_number="001203004567",
                actor=world.clerk,
                at=at,
                status=status,
            )
        else:
            dossiers[index] = move_dossier(dossiers[index], status, actor=world.clerk, at=at)
        progress[index] = step + 1
        entered.append((plan.unit, at))
    return entered


def snapshot(commune_ids) -> tuple[list, list]:
    daily = (
        DailyFigures.objects.filter(commune_id__in=commune_ids)
        .order_by("commune_id", "date")
        .values_list("commune_id", "date", *ROW_FIELDS, "visits")
    )
    by_procedure = (
        DailyProcedureFigures.objects.filter(commune_id__in=commune_ids)
        .order_by("commune_id", "date", "procedure_id")
        .values_list("commune_id", "date", "procedure_id", *ROW_FIELDS)
    )
    return list(daily), list(by_procedure)


def figures_of(summary: dict) -> dict:
    return {name: summary[name] for name in FIGURES}


def assert_identity(summary: dict, context) -> None:
    left = summary["carried_over"] + summary["received_total"]
    right = summary["resolved_total"] + summary["withdrawn"] + summary["stopped"] + summary["pending_total"]
    assert left == right, (context, summary)


def check_period(world, history, data) -> None:
    """A random period's figures from the daily table equal the recount for the units in play
    (one alone, a merged unit "with predecessors", or a group), and per procedure (form II.06a's
    rows); the identity holds for each."""
    ids_in_play = world.ids(history.units)
    first, last = data.draw(periods(SPAN_FIRST, TODAY), label="period")
    summary = summarize(ids_in_play, first, last)
    assert figures_of(summary) == recount(ids_in_play, first, last), (history.units, first, last)
    assert_identity(summary, (history.units, first, last))
    rows = {row["procedure_id"]: row for row in summarize_by_procedure(ids_in_play, first, last)}
    zero = dict.fromkeys(FIGURES, 0)
    for procedure_id, expected in recount_by_procedure(ids_in_play, first, last).items():
        row = rows.pop(procedure_id, None)
        assert (figures_of(row) if row else zero) == expected, ("procedure", procedure_id, first, last)
        if row:
            assert_identity(row, ("procedure", procedure_id, first, last))
    assert not rows, ("rows of procedures without dossiers", rows)


def check_one_row_per_unit_day(world, history, daily_rows) -> None:
    """The daily table has a row for every day a unit exists, dossiers or not."""
    rows = {(commune_id, day) for commune_id, day, *_ in daily_rows}
    for key in history.units:
        unit = world.units[key]
        day = RANGE_FIRST
        while day <= TODAY:
            assert not unit.is_active_on(day) or (unit.pk, day) in rows, (unit.code, day)
            day += dt.timedelta(days=1)


def expected_marks(world, late) -> dict:
    """{unit id: earliest local day} of the events entered late."""
    marks = {}
    for key, at in late:
        pk = world.units[key].pk
        marks[pk] = min(marks.get(pk, at.date()), at.date())
    return marks


def run_example(world, history, data) -> None:
    ids_in_play = world.ids(history.units)
    for (key, day), count in history.visits.items():
        WalkInVisits.objects.create(commune=world.units[key], date=day, count=count)
    dossiers, progress = {}, {}
    with time_machine.travel(NOW, tick=False) as traveller:
        # Part of the history is entered and the figures computed; the rest is entered late.
        replay(world, history, dossiers, progress, history.order[: history.split])
        recompute(ids_in_play, RANGE_FIRST, TODAY)
        FiguresBacklog.objects.all().delete()
        traveller.shift(dt.timedelta(seconds=1))  # recompute tells its own rows by computed_at
        late = replay(world, history, dossiers, progress, history.order[history.split :])
        statuses = dict(Dossier.objects.values_list("pk", "status"))
        assert [statuses[dossiers[i].pk] for i in range(len(history.dossiers))] == [
            plan.events[-1][0] for plan in history.dossiers
        ]
        # Every late entry marked its unit stale, in the saving transaction, from the day it affects.
        assert dict(FiguresBacklog.objects.values_list("commune_id", "since")) == expected_marks(world, late)

        # What the beat job does: catch up from the backlog. The figures must equal the recount.
        catch_up(today=TODAY)
        assert not FiguresBacklog.objects.exists()
        caught_up = snapshot(ids_in_play)
        check_one_row_per_unit_day(world, history, caught_up[0])
        check_period(world, history, data)

        # Recomputing the whole range or any part of it, for one unit or for every unit, gives the
        # rows the catch-up left: incremental = full.
        whole = data.draw(st.integers(0, 3), label="whole range?") == 0
        first, last = (RANGE_FIRST, TODAY) if whole else data.draw(periods(RANGE_FIRST, TODAY), label="part")
        scope = data.draw(st.sampled_from([None, ids_in_play, *([pk] for pk in ids_in_play)]), label="scope")
        traveller.shift(dt.timedelta(seconds=1))
        recompute(scope, first, last)
        assert snapshot(ids_in_play) == caught_up, ("recompute differs from the catch-up", scope, first, last)


@settings(
    max_examples=500,
    deadline=None,
    database=None,  # no example database in the repository; a failure prints how to replay it
    print_blob=True,
    # No explain phase: it traces every line of a slow, database-bound test for minutes.
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories(), data=st.data())
def test_daily_table_equals_a_recount_of_random_histories(figures_world, history, data):
    note(f"units={history.units} split={history.split}/{history.event_count}")
    for plan in history.dossiers:
        steps = [(status, at.isoformat()) for status, at in plan.events]
        note(f"{plan.unit} {plan.channel} procedure#{plan.procedure}: {steps}")
    try:
        with transaction.atomic():
            run_example(figures_world, history, data)
            raise _Rollback
    except _Rollback:
        pass


def test_a_dossier_received_before_7_am_counts_on_the_first_day_of_a_recompute(figures_world):
    """Found by the property above, on SQLite only. A recompute whose range starts on the day of
    a receipt (the backlog's catch-up from that day, the beat's refresh of today) must count a
    dossier received or resolved between 00:00 and 07:00 local time that day."""
    unit, procedure = figures_world.units[SUCCESSOR], figures_world.procedures[1]  # 3 days
    early = dt.datetime(2025, 7, 2, 6, 30, tzinfo=VN)
    with time_machine.travel(NOW, tick=False):
        dossier = receive_dossier(
            commune=unit,
            procedure=procedure,
            channel="direct",
            applicant_name="Đỗ Văn Hùng",
            applicant_id_number="001203004573",
            at=early,
        )
        move_dossier(dossier, 9, at=early + dt.timedelta(days=1))
        recompute([unit.pk], early.date(), early.date())
        recompute([unit.pk], early.date() + dt.timedelta(days=1), early.date() + dt.timedelta(days=1))
    received = DailyFigures.objects.get(commune=unit, date=early.date())
    resolved = DailyFigures.objects.get(commune=unit, date=early.date() + dt.timedelta(days=1))
    assert (received.received_direct, received.pending_in_time) == (1, 1)
    assert resolved.resolved_early == 1


def test_a_recompute_at_the_same_instant_still_removes_the_rows_it_no_longer_produces(figures_world):
    """The property above shifts the clock before each recompute because of this. An ended unit
    has rows after its end only while a dossier of it is pending; once that dossier is withdrawn
    (back-dated), those rows must go, whatever the clock says."""
    unit = figures_world.units[PREDECESSOR]
    with time_machine.travel(NOW, tick=False):
        dossier = receive_dossier(
            commune=unit,
            procedure=figures_world.procedures[2],
            channel="direct",
            applicant_name="Ngô Thị Lan",
            applicant_id_number="001203004574",
            at=dt.datetime(2025, 6, 25, 9, tzinfo=VN),
        )
        recompute([unit.pk], RANGE_FIRST, TODAY)
        move_dossier(dossier, 7, at=dt.datetime(2025, 7, 10, 9, tzinfo=VN))
        recompute([unit.pk], RANGE_FIRST, TODAY)
    august = summarize([unit.pk], dt.date(2025, 8, 1), dt.date(2025, 8, 31))
    assert (august["carried_over"], august["pending_total"]) == (0, 0)
