"""The set-based SQL behind the daily figures (DOMAIN.md §5), for PostgreSQL and SQLite.

Three statements per recompute, whatever the number of dossiers, all run inside the database:
1. per (unit, procedure, day): an INSERT ... SELECT ... ON CONFLICT DO UPDATE of
   - the flows: a GROUP BY over the candidate dossiers (those received before the range's end
     and not finished before its start) received or finished in the range;
   - the stocks, by the interval method: each event opens a segment of local days [day of the
     event, day of the next event) in its status; pending, paused and overdue segments are
     clipped to the range and turned into +1/-1 deltas per unit, procedure and day, whose running
     sum (a window function) is the stock at the end of each day where something changes; the
     days between two changes repeat the stock of the earlier one;
2. per (unit, day): an upsert of the sums of (1), walk-in visits, and a zero row for every day a
   unit exists;
3. a delete of the range's rows the run did not write (their computed_at is another run's).
Local days are Asia/Ho_Chi_Minh: a fixed UTC+7 with no daylight saving since 1975, which is what
lets SQLite compute them with date(x, '+7 hours').
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from communes.models import Commune

from .models import DailyFigures, DailyProcedureFigures, Dossier, DossierEvent, WalkInVisits
from .models.figures import PROCEDURE_FLOW_FIELDS, STOCK_FIELDS

LOCAL_TZ = "Asia/Ho_Chi_Minh"
PROCEDURE_FIGURES = (*PROCEDURE_FLOW_FIELDS, *STOCK_FIELDS)
SHORT_RANGE_DAYS = 62


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def local_day(column: str) -> str:
    """SQL for the local (Asia/Ho_Chi_Minh) date of a timestamp column."""
    if _postgres():
        return f"(({column}) AT TIME ZONE '{LOCAL_TZ}')::date"
    return f"date({column}, '+7 hours')"


def _day_after(expr: str) -> str:
    return f"({expr} + 1)" if _postgres() else f"date({expr}, '+1 day')"


def _date_param() -> str:
    """A date parameter: typed on PostgreSQL; ISO text on SQLite, which compares the same way."""
    return "%s::date" if _postgres() else "%s"


def _moment(value: dt.datetime):
    """A timestamp as this database compares it: SQLite stores UTC text, so an aware local bound
    passed raw would be compared as text 7 hours off."""
    return connection.ops.adapt_datetimefield_value(value)


def _in(column: str, ids) -> tuple[str, list]:
    if ids is None:
        return "", []
    ids = sorted(ids)
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", ids


def _days_after(row: str, last: str) -> tuple[str, str]:
    """(FROM fragment, day column) enumerating the days strictly after `row`.day and before
    `row`.next_day (or up to `last`): PostgreSQL's generate_series; on SQLite, a join with the
    `calendar` CTE of the range (fine for the sizes SQLite serves)."""
    until = f"coalesce({row}.next_day, {_day_after(last)})"
    if _postgres():
        return (
            f"CROSS JOIN LATERAL generate_series(({row}.day + 1)::timestamp, ({until} - 1)::timestamp, "
            "interval '1 day') AS gap(d)",
            "gap.d::date",
        )
    return f"JOIN calendar ON calendar.d > {row}.day AND calendar.d < {until}", "calendar.d"


def _count_if(condition: str) -> str:
    """An integer count of the rows meeting `condition` (PostgreSQL would sum into a bigint, and
    a bigint's sum is a numeric, several times slower to add up)."""
    return f"CAST(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS INTEGER)"


def _calendar_cte() -> str:
    """A recursive CTE `calendar(d)` of the range's days; parameters: first, last."""
    return (
        f"calendar(d) AS (SELECT {_date_param()} UNION ALL "
        f"SELECT {_day_after('d')} FROM calendar WHERE d < {_date_param()})"
    )


def procedure_figures_sql(ids, first: dt.date, last: dt.date, start, end, now) -> tuple[str, list]:
    """Upsert the (unit, procedure, day) rows of [first, last] that have a non-zero figure.

    `start`/`end` are the aware bounds of the range, used to pick (by index) the candidates: the
    dossiers received, finished or pending in it.
    """
    table, dossiers, events = (
        DailyProcedureFigures._meta.db_table,
        Dossier._meta.db_table,
        DossierEvent._meta.db_table,
    )
    in_ids, id_params = _in("commune_id", ids)
    received_day, finished_day = local_day("received_at"), local_day("finished_at")
    date = _date_param()
    gap_from, gap_day = _days_after("r", date)
    stock_deltas, stock_params = _stock_deltas(events, first, last)
    # The candidates (received, finished or pending in the range) feed the flows and the stocks:
    # for a short range they are a few thousand rows read once; for years they are most of the
    # table, better scanned again than spilled to disk.
    materialized = "MATERIALIZED" if (last - first).days < SHORT_RANGE_DAYS else "NOT MATERIALIZED"
    zeros = ", ".join("0" for _ in PROCEDURE_FLOW_FIELDS)
    # Integers all the way: PostgreSQL sums bigints into numerics, several times slower.
    flow_sums = ", ".join(f"CAST(sum({name}) AS INTEGER) AS {name}" for name in PROCEDURE_FLOW_FIELDS)
    columns = ", ".join(PROCEDURE_FIGURES)
    updates = ", ".join(f"{name} = excluded.{name}" for name in (*PROCEDURE_FIGURES, "computed_at"))
    sql = f"""
        WITH RECURSIVE {_calendar_cte()},
        cand AS {materialized} (
            SELECT id, commune_id, procedure_id, channel, status, timeliness, received_at, finished_at
            FROM {dossiers}
            WHERE received_at < %s AND (finished_at IS NULL OR finished_at >= %s){in_ids}
        ),
        flows AS (
            SELECT commune_id, procedure_id, {received_day} AS day,
                   {_count_if("channel = 'online'")} AS received_online,
                   {_count_if("channel = 'direct'")} AS received_direct,
                   {_count_if("channel = 'postal'")} AS received_postal,
                   0 AS resolved_early, 0 AS resolved_on_time, 0 AS resolved_late, 0 AS withdrawn,
                   0 AS stopped
            FROM cand
            WHERE received_at >= %s
            GROUP BY commune_id, procedure_id, {received_day}
            UNION ALL
            SELECT commune_id, procedure_id, {finished_day}, 0, 0, 0,
                   {_count_if("status IN (9, 10) AND timeliness = 'early'")},
                   {_count_if("status IN (9, 10) AND timeliness = 'on_time'")},
                   {_count_if("status IN (9, 10) AND timeliness = 'late'")},
                   {_count_if("status = 7")},
                   {_count_if("status = 8")}
            FROM cand
            WHERE finished_at < %s AND status IN (7, 8, 9, 10)
            GROUP BY commune_id, procedure_id, {finished_day}
        ),
        {stock_deltas},
        changes AS (
            SELECT commune_id, procedure_id, day, {flow_sums},
                   CAST(sum(dp) AS INTEGER) AS dp, CAST(sum(dpa) AS INTEGER) AS dpa,
                   CAST(sum(dov) AS INTEGER) AS dov
            FROM (
                SELECT commune_id, procedure_id, day, {", ".join(PROCEDURE_FLOW_FIELDS)}, 0 AS dp, 0 AS dpa,
                       0 AS dov
                FROM flows
                UNION ALL
                SELECT commune_id, procedure_id, day, {zeros}, dp, dpa, dov FROM deltas
            ) both_kinds
            GROUP BY commune_id, procedure_id, day
        ),
        running AS (
            SELECT changes.*,
                   sum(dp) OVER w AS pending, sum(dpa) OVER w AS paused, sum(dov) OVER w AS overdue,
                   LEAD(day) OVER w AS next_day
            FROM changes
            WINDOW w AS (PARTITION BY commune_id, procedure_id ORDER BY day)
        )
        INSERT INTO {table} (commune_id, procedure_id, date, {columns}, computed_at)
        SELECT commune_id, procedure_id, day, {", ".join(PROCEDURE_FLOW_FIELDS)},
               pending - overdue, overdue, paused, %s
        FROM running
        WHERE pending <> 0 OR {" OR ".join(f"{name} <> 0" for name in PROCEDURE_FLOW_FIELDS)}
        UNION ALL
        SELECT r.commune_id, r.procedure_id, {gap_day}, {zeros}, r.pending - r.overdue, r.overdue,
               r.paused, %s
        FROM running r {gap_from}
        WHERE r.pending <> 0
        ON CONFLICT (commune_id, date, procedure_id) DO UPDATE SET {updates}
    """
    start, end, stamp = _moment(start), _moment(end), _moment(now)
    params = [
        first,
        last,
        end,
        start,
        *id_params,
        start,
        end,
        *stock_params,
        stamp,
        stamp,
        last,
    ]
    return sql, params


def _stock_deltas(events: str, first: dt.date, last: dt.date) -> tuple[str, list]:
    """The CTEs ending in `deltas(commune_id, procedure_id, day, dp, dpa, dov)`: per unit, procedure
    and day, the change of the pending, paused and overdue stocks, from the candidates `cand`.

    The interval method: each event opens a segment of local days [day of the event, day of the
    next event) in its status, clipped to the range; +1 where a pending, paused or overdue segment
    starts, -1 where it ends.
    """
    date = _date_param()
    overdue_from = "CASE WHEN due > s1 THEN due ELSE s1 END"
    is_paused = "CASE WHEN to_status IN (5, 6) THEN 1 ELSE 0 END"
    sql = f"""
        seg AS (
            SELECT c.commune_id, c.procedure_id, e.to_status, e.at, e.due_at,
                   LEAD(e.at) OVER (PARTITION BY e.dossier_id ORDER BY e.seq) AS next_at
            FROM {events} e JOIN cand c ON c.id = e.dossier_id
        ),
        days AS (
            -- local days only for the segments that count (a third of the conversions)
            SELECT commune_id, procedure_id, to_status, {local_day("at")} AS s, {local_day("next_at")} AS e,
                   {local_day("due_at")} AS due
            FROM seg WHERE to_status IN (2, 4, 5, 6)
        ),
        clip AS (
            SELECT commune_id, procedure_id, to_status, due,
                   CASE WHEN s < {date} THEN {date} ELSE s END AS s1,
                   CASE WHEN e IS NOT NULL AND e <= {date} THEN e END AS e1
            FROM days
            WHERE s <= {date} AND (e IS NULL OR e > {date}) AND (e IS NULL OR s < e)
        ),
        deltas AS (
            SELECT commune_id, procedure_id, s1 AS day, 1 AS dp, {is_paused} AS dpa, 0 AS dov FROM clip
            UNION ALL
            SELECT commune_id, procedure_id, e1, -1, -{is_paused}, 0 FROM clip WHERE e1 IS NOT NULL
            UNION ALL
            SELECT commune_id, procedure_id, {overdue_from}, 0, 0, 1 FROM clip
            WHERE to_status IN (2, 4) AND {overdue_from} <= {date}
              AND (e1 IS NULL OR {overdue_from} < e1)
            UNION ALL
            SELECT commune_id, procedure_id, e1, 0, 0, -1 FROM clip
            WHERE to_status IN (2, 4) AND e1 IS NOT NULL AND {overdue_from} < e1
        )"""
    return sql, [first, first, last, last, first, last]


def daily_figures_sql(ids, first: dt.date, last: dt.date, now) -> tuple[str, list]:
    """Upsert the (unit, day) rows of [first, last]: the sums of the procedure rows just written,
    walk-in visits, and a row (zeros if need be) for every day the unit exists."""
    table, procedure_table = DailyFigures._meta.db_table, DailyProcedureFigures._meta.db_table
    units, visits = Commune._meta.db_table, WalkInVisits._meta.db_table
    in_ids, id_params = _in("commune_id", ids)
    in_units, unit_params = _in("u.id", ids)
    date = _date_param()
    columns = (*PROCEDURE_FIGURES, "visits")
    updates = ", ".join(f"{name} = excluded.{name}" for name in (*columns, "computed_at"))
    sql = f"""
        WITH RECURSIVE {_calendar_cte()},
        sums AS (
            SELECT commune_id, date, {", ".join(f"sum({name}) AS {name}" for name in PROCEDURE_FIGURES)}
            FROM {procedure_table}
            WHERE date >= {date} AND date <= {date}{in_ids}
            GROUP BY commune_id, date
        ),
        walk_ins AS (
            SELECT commune_id, date, count AS visits FROM {visits}
            WHERE date >= {date} AND date <= {date}{in_ids}
        ),
        alive AS (
            SELECT u.id AS commune_id, calendar.d AS date
            FROM {units} u JOIN calendar
              ON (u.valid_from IS NULL OR u.valid_from <= calendar.d)
             AND (u.valid_to IS NULL OR calendar.d <= u.valid_to)
            WHERE true{in_units}
        ),
        unit_days AS (
            SELECT commune_id, date FROM sums
            UNION SELECT commune_id, date FROM walk_ins
            UNION SELECT commune_id, date FROM alive
        )
        INSERT INTO {table} (commune_id, date, {", ".join(columns)}, computed_at)
        SELECT k.commune_id, k.date, {", ".join(f"coalesce(s.{name}, 0)" for name in PROCEDURE_FIGURES)},
               coalesce(v.visits, 0), %s
        FROM unit_days k
        LEFT JOIN sums s ON s.commune_id = k.commune_id AND s.date = k.date
        LEFT JOIN walk_ins v ON v.commune_id = k.commune_id AND v.date = k.date
        WHERE true
        ON CONFLICT (commune_id, date) DO UPDATE SET {updates}
    """
    params = [first, last, first, last, *id_params, first, last, *id_params, *unit_params, _moment(now)]
    return sql, params


def stale_rows_sql(model, ids, first: dt.date, last: dt.date, now=None) -> tuple[str, list]:
    """Delete the range's rows this run did not write (a figure back to zero after a back-dated
    correction, an ended unit's stock emptied), which would otherwise linger with stale numbers;
    with no `now`, every row of the range (before a rebuild)."""
    in_ids, id_params = _in("commune_id", ids)
    date = _date_param()
    sql = f"DELETE FROM {model._meta.db_table} WHERE date >= {date} AND date <= {date}{in_ids}"
    if now is None:
        return sql, [first, last, *id_params]
    return f"{sql} AND computed_at <> %s", [first, last, *id_params, _moment(now)]
