"""The hand-written SQL the statistics bench (bench/stats_bench.py) compares the app with: what a
competent engineer would write straight against dossiers and events, PostgreSQL only.

Semantics are DOMAIN.md §5's, the same as dossiers/figures_sql.py's: local days in
Asia/Ho_Chi_Minh; a dossier is pending at the end of a day when its last event up to then moved
it to 2, 4, 5 or 6; paused in 5 or 6; overdue in 2 or 4 once that event's due date is the day or
earlier. Each query returns (or writes) the figures under the DailyFigures column names, so the
bench can check them against the app's.
"""

from __future__ import annotations

TZ = "Asia/Ho_Chi_Minh"
FIGURES = (
    "received_online",
    "received_direct",
    "received_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "withdrawn",
    "stopped",
    "pending_in_time",
    "pending_overdue",
    "paused",
)
SCRATCH_TABLE = "bench_stats_scratch"
#: Tables shaped like the app's DailyProcedureFigures and DailyFigures (columns, primary keys,
#: indexes, checks, fill factor), logged like them: where the hand-written refresh and rebuild
#: write, so that they do the app's job and no less.
MIRROR_PROCEDURE_TABLE = "bench_mirror_procedure"
MIRROR_DAILY_TABLE = "bench_mirror_daily"


def _tables():
    from dossiers.models import Dossier, DossierEvent, WalkInVisits

    return Dossier._meta.db_table, DossierEvent._meta.db_table, WalkInVisits._meta.db_table


def _figure_tables():
    from dossiers.models import DailyFigures, DailyProcedureFigures

    return DailyProcedureFigures._meta.db_table, DailyFigures._meta.db_table


def mirror_tables_sql(first: str, last: str) -> str:
    """(Re)create the two mirror tables holding a copy of the app's rows of [first, last] (ISO
    dates), as the tables a hand-written refresh or rebuild finds before it runs."""
    procedure, daily = _figure_tables()
    statements = []
    for mirror, source in ((MIRROR_PROCEDURE_TABLE, procedure), (MIRROR_DAILY_TABLE, daily)):
        statements += [
            f"DROP TABLE IF EXISTS {mirror}",
            f"CREATE TABLE {mirror} (LIKE {source} INCLUDING ALL) WITH (fillfactor = 70)",
            f"INSERT INTO {mirror} SELECT * FROM {source} WHERE date >= '{first}' AND date <= '{last}'",
            f"VACUUM ANALYZE {mirror}",
        ]
    return statements


def _upsert(columns: tuple[str, ...]) -> str:
    return ", ".join(f"{name} = excluded.{name}" for name in (*columns, "computed_at"))


def _daily_from_procedures(source: str, visits: str, day: str = "p.date") -> str:
    """Per commune and day: the sums of the procedure rows in `source` and the walk-in visits."""
    sums = ", ".join(f"sum(p.{name})" for name in FIGURES)
    return f"""
        INSERT INTO {MIRROR_DAILY_TABLE} (commune_id, date, {", ".join(FIGURES)}, visits, computed_at)
        SELECT p.commune_id, {day}, {sums}, coalesce(max(v.count), 0), now()
        FROM {source} p LEFT JOIN {visits} v ON v.commune_id = p.commune_id AND v.date = {day}
        GROUP BY p.commune_id, {day}
        ON CONFLICT (commune_id, date) DO UPDATE SET {_upsert((*FIGURES, "visits"))}"""


def _local_day(column: str) -> str:
    return f"(({column}) AT TIME ZONE '{TZ}')::date"


def _flow_filters(start: str, end: str) -> str:
    received = f"received_at >= {start} AND received_at < {end}"
    finished = f"finished_at >= {start} AND finished_at < {end}"
    return f"""
        count(*) FILTER (WHERE {received} AND channel = 'online') AS received_online,
        count(*) FILTER (WHERE {received} AND channel = 'direct') AS received_direct,
        count(*) FILTER (WHERE {received} AND channel = 'postal') AS received_postal,
        count(*) FILTER (WHERE {finished} AND status IN (9, 10) AND timeliness = 'early') AS resolved_early,
        count(*) FILTER (WHERE {finished} AND status IN (9, 10) AND timeliness = 'on_time')
            AS resolved_on_time,
        count(*) FILTER (WHERE {finished} AND status IN (9, 10) AND timeliness = 'late') AS resolved_late,
        count(*) FILTER (WHERE {finished} AND status = 7) AS withdrawn,
        count(*) FILTER (WHERE {finished} AND status = 8) AS stopped"""


def _last_event_join(events: str, end: str) -> str:
    """The dossier's last event before `end`, only for a dossier received before and not finished
    by then (the one-time filter spares the lookup for the others)."""
    return f"""
        LEFT JOIN LATERAL (
            SELECT e.to_status, e.due_at FROM {events} e
            WHERE d.received_at < {end} AND (d.finished_at IS NULL OR d.finished_at >= {end})
              AND e.dossier_id = d.id AND e.at < {end}
            ORDER BY e.seq DESC LIMIT 1
        ) last ON true"""


def _stock_filters(last_day: str) -> str:
    overdue = f"last.to_status IN (2, 4) AND {_local_day('last.due_at')} <= {last_day}"
    return f"""
        count(*) FILTER (WHERE last.to_status IN (2, 4, 5, 6) AND NOT ({overdue})) AS pending_in_time,
        count(*) FILTER (WHERE {overdue}) AS pending_overdue,
        count(*) FILTER (WHERE last.to_status IN (5, 6)) AS paused"""


def one_day_sql() -> str:
    """(a) One day, every commune: flows of the day and stocks at its end, GROUP BY commune.
    Parameters: start, end (the aware bounds of the local day), day."""
    dossiers, events, _visits = _tables()
    return f"""
        SELECT d.commune_id, {_flow_filters("%(start)s", "%(end)s")}, {_stock_filters("%(day)s")}
        FROM {dossiers} d {_last_event_join(events, "%(end)s")}
        WHERE d.received_at >= %(start)s OR d.finished_at >= %(start)s OR d.finished_at IS NULL
        GROUP BY d.commune_id
    """


def one_day_refresh_sql() -> str:
    """(a) The equivalent refresh, in ONE statement: that day's flows and end-of-day stocks per
    commune and procedure straight from dossiers and each one's last event, upserted into the
    procedure mirror, and their sums upserted into the daily mirror. Parameters: start, end, day."""
    dossiers, events, visits = _tables()
    per_procedure = ", ".join(f"{name}::int AS {name}" for name in FIGURES)
    return f"""
        WITH day_rows AS (
            SELECT d.commune_id, d.procedure_id, {_flow_filters("%(start)s", "%(end)s")},
                   {_stock_filters("%(day)s")}
            FROM {dossiers} d {_last_event_join(events, "%(end)s")}
            WHERE d.received_at >= %(start)s OR d.finished_at >= %(start)s OR d.finished_at IS NULL
            GROUP BY d.commune_id, d.procedure_id
        ),
        written AS (
            INSERT INTO {MIRROR_PROCEDURE_TABLE} (commune_id, procedure_id, date, {", ".join(FIGURES)},
                                                  computed_at)
            SELECT commune_id, procedure_id, %(day)s, {per_procedure}, now() FROM day_rows
            WHERE {" OR ".join(f"{name} <> 0" for name in FIGURES)}
            ON CONFLICT (commune_id, date, procedure_id) DO UPDATE SET {_upsert(FIGURES)}
            RETURNING *
        )
        {_daily_from_procedures("written", visits, "%(day)s::date")}
    """


def history_sql() -> tuple[str, str]:
    """(b) The whole history into a scratch table: flows GROUP BY commune, day; stocks by the
    interval method (segments between consecutive events, +1/-1 per commune and day, a running
    sum over every day of the range). Parameters: start, end, first, last.
    Returns (CREATE/TRUNCATE of the scratch table, INSERT ... SELECT)."""
    dossiers, events, _visits = _tables()
    columns = ", ".join(f"{name} integer NOT NULL" for name in FIGURES)
    prepare = (
        f"CREATE UNLOGGED TABLE IF NOT EXISTS {SCRATCH_TABLE} "
        f"(commune_id bigint NOT NULL, date date NOT NULL, {columns}); TRUNCATE {SCRATCH_TABLE}"
    )
    received_day, finished_day = _local_day("received_at"), _local_day("finished_at")
    overdue_from = "greatest(due, s1)"
    insert = f"""
        INSERT INTO {SCRATCH_TABLE} (commune_id, date, {", ".join(FIGURES)})
        WITH flows AS (
            SELECT commune_id, {received_day} AS day,
                   count(*) FILTER (WHERE channel = 'online') AS ro,
                   count(*) FILTER (WHERE channel = 'direct') AS rd,
                   count(*) FILTER (WHERE channel = 'postal') AS rp,
                   0 AS fe, 0 AS ft, 0 AS fl, 0 AS fw, 0 AS fs
            FROM {dossiers} WHERE received_at >= %(start)s AND received_at < %(end)s
            GROUP BY 1, 2
            UNION ALL
            SELECT commune_id, {finished_day}, 0, 0, 0,
                   count(*) FILTER (WHERE status IN (9, 10) AND timeliness = 'early'),
                   count(*) FILTER (WHERE status IN (9, 10) AND timeliness = 'on_time'),
                   count(*) FILTER (WHERE status IN (9, 10) AND timeliness = 'late'),
                   count(*) FILTER (WHERE status = 7),
                   count(*) FILTER (WHERE status = 8)
            FROM {dossiers}
            WHERE finished_at >= %(start)s AND finished_at < %(end)s AND status IN (7, 8, 9, 10)
            GROUP BY 1, 2
        ),
        flow_days AS (
            SELECT commune_id, day, sum(ro) ro, sum(rd) rd, sum(rp) rp, sum(fe) fe, sum(ft) ft,
                   sum(fl) fl, sum(fw) fw, sum(fs) fs
            FROM flows GROUP BY 1, 2
        ),
        seg AS (
            SELECT d.commune_id, e.to_status, {_local_day("e.at")} AS s,
                   {_local_day("lead(e.at) OVER (PARTITION BY e.dossier_id ORDER BY e.seq)")} AS e,
                   {_local_day("e.due_at")} AS due
            FROM {events} e JOIN {dossiers} d ON d.id = e.dossier_id
            WHERE d.received_at < %(end)s AND (d.finished_at IS NULL OR d.finished_at >= %(start)s)
        ),
        clip AS (
            SELECT commune_id, to_status, due, greatest(s, %(first)s) AS s1,
                   CASE WHEN e <= %(last)s THEN e END AS e1
            FROM seg
            WHERE to_status IN (2, 4, 5, 6) AND s <= %(last)s AND (e IS NULL OR (e > s AND e > %(first)s))
        ),
        deltas AS (
            SELECT commune_id, s1 AS day, 1 AS dp, (to_status IN (5, 6))::int AS dpa, 0 AS dov FROM clip
            UNION ALL
            SELECT commune_id, e1, -1, -(to_status IN (5, 6))::int, 0 FROM clip WHERE e1 IS NOT NULL
            UNION ALL
            SELECT commune_id, {overdue_from}, 0, 0, 1 FROM clip
            WHERE to_status IN (2, 4) AND {overdue_from} <= %(last)s AND (e1 IS NULL OR {overdue_from} < e1)
            UNION ALL
            SELECT commune_id, e1, 0, 0, -1 FROM clip
            WHERE to_status IN (2, 4) AND e1 IS NOT NULL AND {overdue_from} < e1
        ),
        delta_days AS (
            SELECT commune_id, day, sum(dp) dp, sum(dpa) dpa, sum(dov) dov FROM deltas GROUP BY 1, 2
        ),
        units AS (
            SELECT commune_id FROM delta_days UNION SELECT commune_id FROM flow_days
        ),
        grid AS (
            SELECT u.commune_id, g::date AS day
            FROM units u CROSS JOIN generate_series(%(first)s::date, %(last)s::date, interval '1 day') g
        ),
        stocks AS (
            SELECT g.commune_id, g.day,
                   sum(coalesce(a.dp, 0)) OVER w AS pending,
                   sum(coalesce(a.dpa, 0)) OVER w AS paused,
                   sum(coalesce(a.dov, 0)) OVER w AS overdue
            FROM grid g LEFT JOIN delta_days a ON a.commune_id = g.commune_id AND a.day = g.day
            WINDOW w AS (PARTITION BY g.commune_id ORDER BY g.day)
        )
        SELECT s.commune_id, s.day,
               coalesce(f.ro, 0), coalesce(f.rd, 0), coalesce(f.rp, 0), coalesce(f.fe, 0),
               coalesce(f.ft, 0), coalesce(f.fl, 0), coalesce(f.fw, 0), coalesce(f.fs, 0),
               s.pending - s.overdue, s.overdue, s.paused
        FROM stocks s LEFT JOIN flow_days f ON f.commune_id = s.commune_id AND f.day = s.day
    """
    return prepare, insert


def rebuild_sql() -> tuple[str, str, str]:
    """(b) The equivalent rebuild: the mirrors' rows of the range deleted, then per (commune,
    procedure, day) with a non-zero figure: flows GROUP BY, stocks by the interval method with a
    running sum over the days where something changes and the days in between repeated with
    generate_series; then per (commune, day) their sums plus walk-in visits.
    Parameters: start, end, first, last. Returns (DELETEs, INSERT per procedure, INSERT per commune)."""
    dossiers, events, visits = _tables()
    prepare = "; ".join(
        f"DELETE FROM {table} WHERE date >= %(first)s AND date <= %(last)s"
        for table in (MIRROR_PROCEDURE_TABLE, MIRROR_DAILY_TABLE)
    )
    received_day, finished_day = _local_day("received_at"), _local_day("finished_at")
    overdue_from = "greatest(due, s1)"
    flows = ("ro", "rd", "rp", "fe", "ft", "fl", "fw", "fs")
    per_procedure = f"""
        INSERT INTO {MIRROR_PROCEDURE_TABLE} (commune_id, procedure_id, date, {", ".join(FIGURES)},
                                              computed_at)
        WITH flows AS (
            SELECT commune_id, procedure_id, {received_day} AS day,
                   count(*) FILTER (WHERE channel = 'online')::int AS ro,
                   count(*) FILTER (WHERE channel = 'direct')::int AS rd,
                   count(*) FILTER (WHERE channel = 'postal')::int AS rp,
                   0 AS fe, 0 AS ft, 0 AS fl, 0 AS fw, 0 AS fs, 0 AS dp, 0 AS dpa, 0 AS dov
            FROM {dossiers} WHERE received_at >= %(start)s AND received_at < %(end)s
            GROUP BY 1, 2, 3
            UNION ALL
            SELECT commune_id, procedure_id, {finished_day}, 0, 0, 0,
                   count(*) FILTER (WHERE status IN (9, 10) AND timeliness = 'early')::int,
                   count(*) FILTER (WHERE status IN (9, 10) AND timeliness = 'on_time')::int,
                   count(*) FILTER (WHERE status IN (9, 10) AND timeliness = 'late')::int,
                   count(*) FILTER (WHERE status = 7)::int,
                   count(*) FILTER (WHERE status = 8)::int, 0, 0, 0
            FROM {dossiers}
            WHERE finished_at >= %(start)s AND finished_at < %(end)s AND status IN (7, 8, 9, 10)
            GROUP BY 1, 2, 3
        ),
        seg AS (
            SELECT d.commune_id, d.procedure_id, e.to_status, e.at, e.due_at,
                   lead(e.at) OVER (PARTITION BY e.dossier_id ORDER BY e.seq) AS next_at
            FROM {events} e JOIN {dossiers} d ON d.id = e.dossier_id
            WHERE d.received_at < %(end)s AND (d.finished_at IS NULL OR d.finished_at >= %(start)s)
        ),
        clip AS (
            SELECT commune_id, procedure_id, to_status, due, greatest(s, %(first)s) AS s1,
                   CASE WHEN e <= %(last)s THEN e END AS e1
            FROM (
                SELECT commune_id, procedure_id, to_status, {_local_day("at")} AS s,
                       {_local_day("next_at")} AS e, {_local_day("due_at")} AS due
                FROM seg WHERE to_status IN (2, 4, 5, 6)
            ) days
            WHERE s <= %(last)s AND (e IS NULL OR (e > s AND e > %(first)s))
        ),
        deltas AS (
            SELECT commune_id, procedure_id, s1 AS day, 1 AS dp, (to_status IN (5, 6))::int AS dpa,
                   0 AS dov
            FROM clip
            UNION ALL
            SELECT commune_id, procedure_id, e1, -1, -(to_status IN (5, 6))::int, 0
            FROM clip WHERE e1 IS NOT NULL
            UNION ALL
            SELECT commune_id, procedure_id, {overdue_from}, 0, 0, 1 FROM clip
            WHERE to_status IN (2, 4) AND {overdue_from} <= %(last)s AND (e1 IS NULL OR {overdue_from} < e1)
            UNION ALL
            SELECT commune_id, procedure_id, e1, 0, 0, -1 FROM clip
            WHERE to_status IN (2, 4) AND e1 IS NOT NULL AND {overdue_from} < e1
        ),
        changes AS (
            SELECT commune_id, procedure_id, day, {", ".join(f"sum({f})::int AS {f}" for f in flows)},
                   sum(dp)::int AS dp, sum(dpa)::int AS dpa, sum(dov)::int AS dov
            FROM (
                SELECT * FROM flows
                UNION ALL
                SELECT commune_id, procedure_id, day, 0, 0, 0, 0, 0, 0, 0, 0, dp, dpa, dov FROM deltas
            ) both_kinds
            GROUP BY 1, 2, 3
        ),
        stocks AS (
            SELECT changes.*, sum(dp) OVER w AS pending, sum(dpa) OVER w AS paused,
                   sum(dov) OVER w AS overdue, lead(day) OVER w AS next_day
            FROM changes
            WINDOW w AS (PARTITION BY commune_id, procedure_id ORDER BY day)
        )
        SELECT commune_id, procedure_id, day, {", ".join(flows)}, pending - overdue, overdue, paused, now()
        FROM stocks
        WHERE pending <> 0 OR {" OR ".join(f"{f} <> 0" for f in flows)}
        UNION ALL
        SELECT commune_id, procedure_id, g::date, 0, 0, 0, 0, 0, 0, 0, 0, pending - overdue, overdue, paused,
               now()
        FROM stocks,
             generate_series(day + 1, coalesce(next_day, %(last)s::date + 1) - 1, interval '1 day') g
        WHERE pending <> 0
    """
    per_commune = _daily_from_procedures(MIRROR_PROCEDURE_TABLE, visits)
    return prepare, per_procedure, per_commune


def period_summary_sql() -> str:
    """(c) A province's period summary straight from dossiers, events and walk-in visits: flows
    over [first, last], stocks at the end of `last`, carried over from the end of the day before
    `first`, visits, and the dossiers overdue now (the dashboard's tile). Parameters: ids (the
    province's unit ids), start, end (aware bounds of the period), last, first, now."""
    dossiers, events, visits = _tables()
    return f"""
        WITH d AS (
            SELECT id, channel, status, timeliness, received_at, finished_at FROM {dossiers}
            -- a semi-join, not "= ANY(ids)": with ~600 ids the planner would walk the commune
            -- index over the whole table instead of the date indexes
            WHERE commune_id IN (SELECT unnest(%(ids)s::bigint[]))
              AND (received_at >= %(start)s OR finished_at >= %(start)s OR finished_at IS NULL)
        )
        SELECT {_flow_filters("%(start)s", "%(end)s")}, {_stock_filters("%(last)s")},
               count(*) FILTER (
                   WHERE received_at < %(start)s AND (finished_at IS NULL OR finished_at >= %(start)s)
               ) AS carried_over,
               (SELECT coalesce(sum(count), 0) FROM {visits}
                WHERE commune_id = ANY(%(ids)s) AND date >= %(first)s AND date <= %(last)s) AS visits,
               (SELECT count(*) FROM {dossiers}
                WHERE commune_id = ANY(%(ids)s) AND status IN (2, 4) AND due_at < %(now)s) AS overdue_now
        FROM d {_last_event_join(events, "%(end)s")}
    """
