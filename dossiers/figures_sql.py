"""The set-based SQL behind the daily figures (DOMAIN.md §5), for PostgreSQL and SQLite.

Two queries per recompute, whatever the number of dossiers:
- flows: one GROUP BY over the dossiers received or finished in the range;
- stocks: the DOMAIN.md interval method. Each event opens a segment of local days
  [day of the event, day of the next event) in its status; pending, paused and overdue segments
  are clipped to the range and turned into +1/-1 deltas per commune and day, whose running sum
  (done by the caller, per day, not per dossier) is the stock at the end of each day.
Local days are Asia/Ho_Chi_Minh: a fixed UTC+7 with no daylight saving since 1975, which is what
lets SQLite compute them with date(x, '+7 hours').
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from .models import Dossier, DossierEvent

LOCAL_TZ = "Asia/Ho_Chi_Minh"


def local_day(column: str) -> str:
    """SQL for the local (Asia/Ho_Chi_Minh) date of a timestamp column."""
    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE '{LOCAL_TZ}')::date"
    return f"date({column}, '+7 hours')"


def _moment(value: dt.datetime):
    """A timestamp as this database compares it: SQLite stores UTC text, so an aware local bound
    passed raw would be compared as text 7 hours off."""
    return connection.ops.adapt_datetimefield_value(value)


def _commune_filter(column: str, commune_ids) -> tuple[str, list]:
    if commune_ids is None:
        return "", []
    ids = sorted(commune_ids)
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", ids


def flows_sql(commune_ids, start: dt.datetime, end: dt.datetime) -> tuple[str, list]:
    """Rows (commune_id, procedure_id, day, online, direct, postal, early, on_time, late, withdrawn,
    stopped)."""
    table = Dossier._meta.db_table
    where_communes, ids = _commune_filter("commune_id", commune_ids)
    received_day, finished_day = local_day("received_at"), local_day("finished_at")
    sql = f"""
        SELECT commune_id, procedure_id, {received_day} AS day,
               SUM(CASE WHEN channel = 'online' THEN 1 ELSE 0 END),
               SUM(CASE WHEN channel = 'direct' THEN 1 ELSE 0 END),
               SUM(CASE WHEN channel = 'postal' THEN 1 ELSE 0 END),
               0, 0, 0, 0, 0
        FROM {table}
        WHERE received_at >= %s AND received_at < %s{where_communes}
        GROUP BY commune_id, procedure_id, {received_day}
        UNION ALL
        SELECT commune_id, procedure_id, {finished_day} AS day, 0, 0, 0,
               SUM(CASE WHEN status IN (9, 10) AND timeliness = 'early' THEN 1 ELSE 0 END),
               SUM(CASE WHEN status IN (9, 10) AND timeliness = 'on_time' THEN 1 ELSE 0 END),
               SUM(CASE WHEN status IN (9, 10) AND timeliness = 'late' THEN 1 ELSE 0 END),
               SUM(CASE WHEN status = 7 THEN 1 ELSE 0 END),
               SUM(CASE WHEN status = 8 THEN 1 ELSE 0 END)
        FROM {table}
        WHERE finished_at >= %s AND finished_at < %s AND status IN (7, 8, 9, 10){where_communes}
        GROUP BY commune_id, procedure_id, {finished_day}
    """
    start, end = _moment(start), _moment(end)
    return sql, [start, end, *ids, start, end, *ids]


def stock_deltas_sql(commune_ids, first: dt.date, last: dt.date, start, end) -> tuple[str, list]:
    """Rows (commune_id, procedure_id, day, pending_delta, paused_delta, overdue_delta), days in
    [first, last].

    `start`/`end` are the aware bounds of the range, used to pick (by index) only the dossiers
    that are pending at some point in it.
    """
    dossiers, events = Dossier._meta.db_table, DossierEvent._meta.db_table
    where_communes, ids = _commune_filter("commune_id", commune_ids)
    # Parameters are dates; on SQLite local_day() yields ISO text, which compares the same way.
    first_p, last_p = first.isoformat(), last.isoformat()
    overdue_from = "CASE WHEN due > s1 THEN due ELSE s1 END"
    sql = f"""
        WITH cand AS (
            SELECT id, commune_id, procedure_id FROM {dossiers}
            WHERE received_at < %s AND (finished_at IS NULL OR finished_at >= %s){where_communes}
        ),
        seg AS (
            SELECT c.commune_id, c.procedure_id, e.to_status, e.at, e.due_at,
                   LEAD(e.at) OVER (PARTITION BY e.dossier_id ORDER BY e.seq) AS next_at
            FROM {events} e JOIN cand c ON c.id = e.dossier_id
        ),
        days AS (
            SELECT commune_id, procedure_id, to_status, {local_day("at")} AS s, {local_day("next_at")} AS e,
                   {local_day("due_at")} AS due
            FROM seg WHERE to_status IN (2, 4, 5, 6)
        ),
        clip AS (
            SELECT commune_id, procedure_id, to_status, due,
                   CASE WHEN s < %s THEN %s ELSE s END AS s1,
                   CASE WHEN e IS NOT NULL AND e <= %s THEN e END AS e1
            FROM days
            WHERE s <= %s AND (e IS NULL OR e > %s) AND (e IS NULL OR s < e)
        )
        SELECT commune_id, procedure_id, day, SUM(dp), SUM(dpa), SUM(dov) FROM (
            SELECT commune_id, procedure_id, s1 AS day, 1 AS dp,
                   CASE WHEN to_status IN (5, 6) THEN 1 ELSE 0 END AS dpa, 0 AS dov
            FROM clip
            UNION ALL
            SELECT commune_id, procedure_id, e1, -1, CASE WHEN to_status IN (5, 6) THEN -1 ELSE 0 END, 0
            FROM clip WHERE e1 IS NOT NULL
            UNION ALL
            SELECT commune_id, procedure_id, {overdue_from}, 0, 0, 1
            FROM clip
            WHERE to_status IN (2, 4) AND {overdue_from} <= %s AND (e1 IS NULL OR {overdue_from} < e1)
            UNION ALL
            SELECT commune_id, procedure_id, e1, 0, 0, -1
            FROM clip
            WHERE to_status IN (2, 4) AND e1 IS NOT NULL AND {overdue_from} < e1
        ) deltas
        GROUP BY commune_id, procedure_id, day
    """
    params = [_moment(end), _moment(start), *ids, first_p, first_p, last_p, last_p, first_p, last_p]
    return sql, params


def visits_sql(commune_ids, first: dt.date, last: dt.date) -> tuple[str, list]:
    from .models import WalkInVisits

    where_communes, ids = _commune_filter("commune_id", commune_ids)
    sql = (
        f"SELECT commune_id, date, count FROM {WalkInVisits._meta.db_table} "
        f"WHERE date >= %s AND date <= %s{where_communes}"
    )
    return sql, [first, last, *ids]
