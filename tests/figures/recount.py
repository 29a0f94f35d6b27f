"""A direct recount of DOMAIN.md §5's figures from dossiers and events, one dossier at a time.

Deliberately naive and independent of the SQL in dossiers.figures_sql: the reference the daily
table is checked against.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from dossiers.models import Dossier

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PENDING, PAUSED, RUNNING = {2, 4, 5, 6}, {5, 6}, {2, 4}


def local(moment):
    return moment.astimezone(VN).date()


def state_at_end_of(dossier, day):
    """(status, due date) after the last event on or before `day`, or None before the first."""
    state = None
    for event in dossier.events.all():
        if local(event.at) <= day:
            state = (event.to_status, local(event.due_at) if event.due_at else None)
    return state


def recount(commune_ids, first: dt.date, last: dt.date) -> dict:
    figures = dict.fromkeys(
        [
            "received_online", "received_direct", "received_postal", "resolved_early",
            "resolved_on_time", "resolved_late", "withdrawn", "stopped", "pending_in_time",
            "pending_overdue", "paused", "carried_over",
        ],
        0,
    )  # fmt: skip
    dossiers = Dossier.objects.filter(commune_id__in=commune_ids).prefetch_related("events")
    for dossier in dossiers:
        if dossier.received_at and first <= local(dossier.received_at) <= last:
            figures[f"received_{dossier.channel}"] += 1
        if dossier.finished_at and first <= local(dossier.finished_at) <= last:
            if dossier.status in (9, 10):
                figures[f"resolved_{dossier.timeliness}"] += 1
            elif dossier.status == 7:
                figures["withdrawn"] += 1
            elif dossier.status == 8:
                figures["stopped"] += 1
        for day, prefix in ((last, ""), (first - dt.timedelta(days=1), "before_")):
            state = state_at_end_of(dossier, day)
            if state is None or state[0] not in PENDING:
                continue
            status, due = state
            overdue = status in RUNNING and due is not None and due <= day
            if prefix:
                figures["carried_over"] += 1
            elif overdue:
                figures["pending_overdue"] += 1
            else:
                figures["pending_in_time"] += 1
                figures["paused"] += status in PAUSED
    return figures
