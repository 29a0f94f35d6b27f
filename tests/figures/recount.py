"""A direct recount of DOMAIN.md §5's figures from dossiers' event histories, one dossier at a time.

Deliberately naive and independent of the SQL in dossiers.figures_sql, and of the columns the
services keep on the dossier (received_at, finished_at, timeliness): everything is read from the
event list (the process control slip), the one record that is never edited. It is the reference
the daily table is checked against.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from dossiers.models import Dossier, WalkInVisits

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PENDING, PAUSED, RUNNING = {2, 4, 5, 6}, {5, 6}, {2, 4}
FIGURES = (
    "received_online", "received_direct", "received_postal", "resolved_early", "resolved_on_time",
    "resolved_late", "withdrawn", "stopped", "pending_in_time", "pending_overdue", "paused",
    "carried_over", "visits",
)  # fmt: skip


def local(moment):
    return moment.astimezone(VN).date()


def state_at_end_of(events, day):
    """(status, due date) after the last event on or before `day`, or None before the first."""
    state = None
    for event in events:
        if local(event.at) <= day:
            state = (event.to_status, local(event.due_at) if event.due_at else None)
    return state


def timeliness(finished: dt.date, due: dt.date) -> str:
    if finished < due:
        return "early"
    return "on_time" if finished == due else "late"


def recount_dossier(figures: dict, dossier, events, first: dt.date, last: dt.date) -> None:
    """Add one dossier's part of the period's figures to `figures`."""
    in_force_due = None  # the deadline in force before each event
    for event in events:
        day = local(event.at)
        inside = first <= day <= last
        if event.to_status == 2 and inside:
            figures[f"received_{dossier.channel}"] += 1
        elif event.to_status == 9 and inside:
            figures[f"resolved_{timeliness(day, local(in_force_due))}"] += 1
        elif event.to_status == 7 and inside:
            figures["withdrawn"] += 1
        elif event.to_status == 8 and inside:
            figures["stopped"] += 1
        in_force_due = event.due_at
    for day, before in ((last, False), (first - dt.timedelta(days=1), True)):
        state = state_at_end_of(events, day)
        if state is None or state[0] not in PENDING:
            continue
        status, due = state
        overdue = status in RUNNING and due is not None and due <= day
        if before:
            figures["carried_over"] += 1
        elif overdue:
            figures["pending_overdue"] += 1
        else:
            figures["pending_in_time"] += 1
            figures["paused"] += status in PAUSED


def _dossiers(commune_ids):
    for dossier in Dossier.objects.filter(commune_id__in=commune_ids).prefetch_related("events"):
        yield dossier, sorted(dossier.events.all(), key=lambda e: e.seq)


def recount(commune_ids, first: dt.date, last: dt.date) -> dict:
    """The period's figures for the units `commune_ids`, walk-in visits included."""
    figures = dict.fromkeys(FIGURES, 0)
    for dossier, events in _dossiers(commune_ids):
        recount_dossier(figures, dossier, events, first, last)
    for visit in WalkInVisits.objects.filter(commune_id__in=commune_ids, date__gte=first, date__lte=last):
        figures["visits"] += visit.count
    return figures


def recount_by_procedure(commune_ids, first: dt.date, last: dt.date) -> dict[int, dict]:
    """{procedure id: the period's figures} for every procedure the units have dossiers of (visits
    are per centre, so 0 here)."""
    by_procedure = {}
    for dossier, events in _dossiers(commune_ids):
        figures = by_procedure.setdefault(dossier.procedure_id, dict.fromkeys(FIGURES, 0))
        recount_dossier(figures, dossier, events, first, last)
    return by_procedure
