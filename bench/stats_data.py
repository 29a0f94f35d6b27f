"""The statistics bench's data (bench/stats_bench.py): dossiers, events and walk-in visits written by
set-based SQL on PostgreSQL, never through the ORM or the services (2 million dossiers in minutes).

Every unit's dossiers are spread over the whole period, from `years` years ago to now, whatever
the unit's validity (the figures code keeps rows outside a unit's life when they hold a figure).
Random draws come from random() under setseed(), one seed per chunk of dossier ids, so a rerun
(or a resumed run) writes the same data. Each chunk is one transaction: an interrupted fill
loses one chunk at most and the next run writes only the chunks that are missing.

A dossier follows one of these paths (online dossiers start with an event to status 1):
    same-day procedure:  2 → 9 → 10            (5 % finished a day or more late)
                         2 → 7                 (withdrawn the same day)
    other procedures:    2 → 4 → 9 → 10        (70 % early, 22 % on the due date, 8 % late)
                         2 → 4 → 7  |  2 → 4 → 8
                         2 → 4 → 5|6 → 4 → 9   (paused: direct and postal only; the due date moves
                                                by the working days of the pause)
                         2 → 4 → 5|6 → 7
    refused online:      1 → 3
Events later than the generation moment are cut off, which leaves the recent dossiers pending
(some paused, some already overdue). The dossier row is the state after its last event, with the
columns and check constraints the services would give it. Working days skip weekends only
(public holidays are ignored: a benchmark needs realistic shapes, not exact deadlines).
"""

from __future__ import annotations

import datetime as dt
import time

CHUNK = 100_000  # dossiers per transaction
TZ = "Asia/Ho_Chi_Minh"
META_TABLE = "bench_stats_meta"


def _local(expr: str) -> str:
    return f"(({expr}) AT TIME ZONE '{TZ}')"


def _at(day: str, hours: str) -> str:
    """The aware moment of local `day` at `hours` (a float expression)."""
    return f"((({day}) + ({hours}) * interval '1 hour') AT TIME ZONE '{TZ}')"


def _add_working_days(day: str, n: str) -> str:
    """`day` (a weekday) plus n >= 0 working days, weekends skipped."""
    return f"(({day}) + ({n}) + 2 * floor((extract(isodow FROM ({day}))::int - 1 + ({n})) / 5.0)::int)"


def _plan_sql() -> str:
    """CREATE TEMP TABLE bench_plan: one row per dossier id of the chunk, with its whole history as
    arrays (statuses, moments, due moments) and `n`, the number of events up to the anchor.

    Every step is MATERIALIZED: inlined into each other, the steps' expressions nest and grow
    exponentially, and PostgreSQL then plans for ever (without answering a cancel)."""
    recv_at = _at("rday", "rhour")
    due0 = _at("due0_day", "17")
    tp_day = f"{_local('tp')}::date"
    fin_normal = f"""CASE
            WHEN r_fin2 < 0.70 THEN base + (due_eff - base) * (0.1 + 0.8 * r_fin)
            WHEN r_fin2 < 0.92 THEN {_at(f"{_local('due_eff')}::date", "7.5 + 9 * r_fin")}
            ELSE due_eff + (1 + 10 * r_fin) * interval '1 day'
        END"""
    return f"""
    CREATE TEMP TABLE bench_plan ON COMMIT DROP AS
    WITH draw AS MATERIALIZED (
        SELECT g AS id,
               random() AS r_unit, random() AS r_proc, random() AS r_ch, random() AS r_day,
               random() AS r_hour, random() AS r_sub, random() AS r_out, random() AS r_kind,
               random() AS r_p4, random() AS r_pause, random() AS r_plen, random() AS r_fin,
               random() AS r_fin2, random() AS r_ret
        FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g
    ),
    picked AS MATERIALIZED (
        SELECT d.*,
               (%(unit_ids)s::bigint[])[1 + floor(power(r_unit, 1.3) * %(n_units)s)::int] AS commune_id,
               1 + floor(power(r_proc, 1.8) * %(n_procs)s)::int AS pi,
               CASE WHEN r_ch < 0.45 THEN 'online' WHEN r_ch < 0.95 THEN 'direct' ELSE 'postal' END
                   AS channel,
               %(first_day)s::date + floor(r_day * %(n_days)s)::int AS day0,
               7 + 9.5 * r_hour AS rhour
        FROM draw d
    ),
    received AS MATERIALIZED (
        SELECT p.*,
               (%(proc_ids)s::bigint[])[pi] AS procedure_id,
               (%(proc_days)s::int[])[pi] AS pdays,
               day0 - CASE extract(isodow FROM day0)::int WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END AS wday
        FROM picked p
    ),
    received2 AS MATERIALIZED (
        SELECT r.*,
               -- nothing is received after the anchor: such a draw moves a week back
               wday - CASE WHEN wday + rhour * interval '1 hour' > %(anchor_local)s THEN 7 ELSE 0 END AS rday
        FROM received r
    ),
    kinds AS MATERIALIZED (
        SELECT r.*,
               {recv_at} AS t_recv,
               {_add_working_days("rday", "pdays")} AS due0_day,
               CASE
                   WHEN channel = 'online' AND r_kind < 0.03 THEN 'R'
                   WHEN pdays = 0 THEN CASE WHEN r_out < 0.01 THEN 'B' ELSE 'A' END
                   WHEN r_out < 0.02 THEN 'D'
                   WHEN r_out < 0.03 THEN 'E'
                   WHEN r_out < 0.15 AND channel <> 'online' THEN CASE WHEN r_kind < 0.1 THEN 'G' ELSE 'F' END
                   ELSE 'C'
               END AS kind,
               CASE WHEN r_pause < 0.7 THEN 5 ELSE 6 END AS pause_status
        FROM received2 r
    ),
    times AS MATERIALIZED (
        SELECT k.*,
               CASE WHEN channel = 'online' THEN t_recv - r_sub * interval '36 hours' ELSE t_recv END
                   AS t_sub,
               {due0} AS due0,
               t_recv + (0.2 + 2 * r_p4) * interval '1 hour' AS t4
        FROM kinds k
    ),
    pauses AS MATERIALIZED (
        SELECT t.*, t4 + (due0 - t4) * (0.1 + 0.5 * r_pause) AS tp FROM times t
    ),
    resumes AS MATERIALIZED (
        SELECT p.*, {tp_day} + 1 + floor(12 * r_plen)::int AS tr_day0 FROM pauses p
    ),
    resumes2 AS MATERIALIZED (
        SELECT r.*,
               tr_day0 + CASE extract(isodow FROM tr_day0)::int WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END
                   AS tr_day
        FROM resumes r
    ),
    shifted AS MATERIALIZED (
        SELECT r.*,
               {_at("tr_day", "7.5 + 9 * r_ret")} AS tr,
               CASE WHEN kind IN ('F', 'G') THEN (
                   SELECT count(*)::int FROM generate_series({tp_day} + 1, tr_day, interval '1 day') AS w
                   WHERE extract(isodow FROM w) < 6
               ) ELSE 0 END AS shift
        FROM resumes2 r
    ),
    bases AS MATERIALIZED (
        SELECT s.*,
               {_at(_add_working_days("due0_day", "shift"), "17")} AS due_f,
               CASE WHEN kind = 'F' THEN tr ELSE t4 END AS base,
               CASE WHEN kind = 'F' THEN {_at(_add_working_days("due0_day", "shift"), "17")} ELSE due0 END
                   AS due_eff
        FROM shifted s
    ),
    finishes AS MATERIALIZED (
        SELECT b.*,
               CASE kind
                   WHEN 'A' THEN CASE WHEN r_fin2 < 0.95
                       THEN t_recv + (0.3 + 2.5 * r_fin) * interval '1 hour'
                       ELSE {_at("rday + 1 + floor(3 * r_fin)::int", "8 + 8 * r_fin")} END
                   WHEN 'B' THEN t_recv + (0.2 + r_fin) * interval '1 hour'
                   WHEN 'D' THEN t4 + (due0 - t4) * 0.8 * r_fin + interval '10 minutes'
                   WHEN 'E' THEN t4 + (due0 - t4) * 0.8 * r_fin + interval '10 minutes'
                   WHEN 'G' THEN tr
                   ELSE greatest(base + interval '10 minutes', {fin_normal})
               END AS t_fin
        FROM bases b
    ),
    paths AS MATERIALIZED (
        SELECT f.*,
               CASE kind
                   WHEN 'A' THEN ARRAY[2, 9, 10]
                   WHEN 'B' THEN ARRAY[2, 7]
                   WHEN 'C' THEN ARRAY[2, 4, 9, 10]
                   WHEN 'D' THEN ARRAY[2, 4, 7]
                   WHEN 'E' THEN ARRAY[2, 4, 8]
                   WHEN 'F' THEN ARRAY[2, 4, pause_status, 4, 9]
                   WHEN 'G' THEN ARRAY[2, 4, pause_status, 7]
                   ELSE ARRAY[3]
               END AS st0,
               CASE kind
                   WHEN 'A' THEN ARRAY[t_recv, t_fin, t_fin + (0.5 + 72 * r_ret) * interval '1 hour']
                   WHEN 'B' THEN ARRAY[t_recv, t_fin]
                   WHEN 'C' THEN ARRAY[t_recv, t4, t_fin, t_fin + (0.5 + 72 * r_ret) * interval '1 hour']
                   WHEN 'D' THEN ARRAY[t_recv, t4, t_fin]
                   WHEN 'E' THEN ARRAY[t_recv, t4, t_fin]
                   WHEN 'F' THEN ARRAY[t_recv, t4, tp, tr, t_fin]
                   WHEN 'G' THEN ARRAY[t_recv, t4, tp, tr]
                   ELSE ARRAY[t_recv]
               END AS ts0,
               CASE kind
                   WHEN 'F' THEN ARRAY[due0, due0, due0, due_f, due_f]
                   WHEN 'R' THEN ARRAY[NULL::timestamptz]
                   ELSE array_fill(due0, ARRAY[4])
               END AS du0
        FROM finishes f
    ),
    full_paths AS MATERIALIZED (
        SELECT p.*,
               CASE WHEN channel = 'online' THEN 1 || st0 ELSE st0 END AS st,
               CASE WHEN channel = 'online' THEN t_sub || ts0 ELSE ts0 END AS ts,
               CASE WHEN channel = 'online' THEN NULL::timestamptz || du0 ELSE du0 END AS du
        FROM paths p
    )
    SELECT id, commune_id, procedure_id, pdays, channel, kind, st, ts, du,
           (SELECT count(*)::int FROM unnest(ts) AS m WHERE m <= %(anchor)s) AS n
    FROM full_paths
    """


def _dossiers_sql(dossier_table: str) -> str:
    last_at = "ts[n]"
    finished = "CASE WHEN st[n] IN (3, 7, 8, 9) THEN ts[n] WHEN st[n] = 10 THEN ts[n - 1] END"
    due_of_resolution = "du[array_position(st, 9)]"
    return f"""
    INSERT INTO {dossier_table} (
        id, code, commune_id, procedure_id, processing_days, channel, status,
        applicant_name, applicant_id_number, applicant_phone, applicant_address, search_text,
        submitted_at, received_at, due_at, paused_at, finished_at, returned_at, timeliness,
        version, created_at, updated_at)
    SELECT id,
           'BENCH-' || to_char({_local("ts[1]")}, 'YYMMDD') || '-' || lpad(id::text, 7, '0'),
           commune_id, procedure_id, pdays, channel, st[n],
           'Người nộp ' || id, lpad(mod(id * 7919, 1000000000000)::text, 12, '0'), '', '',
           'bench-' || to_char({_local("ts[1]")}, 'YYMMDD') || '-' || lpad(id::text, 7, '0')
               || ' nguoi nop ' || id,
           ts[1],
           CASE WHEN kind = 'R' THEN NULL ELSE ts[array_position(st, 2)] END,
           du[n],
           CASE WHEN st[n] IN (5, 6) THEN ts[n] END,
           {finished},
           CASE WHEN st[n] = 10 THEN ts[n] END,
           CASE WHEN st[n] IN (9, 10) THEN
               CASE WHEN {_local(finished)}::date < {_local(due_of_resolution)}::date THEN 'early'
                    WHEN {_local(finished)}::date = {_local(due_of_resolution)}::date THEN 'on_time'
                    ELSE 'late' END
           END,
           n, ts[1], {last_at}
    FROM bench_plan
    """


def _events_sql(event_table: str) -> str:
    return f"""
    INSERT INTO {event_table}
        (dossier_id, seq, from_status, to_status, at, recorded_at, actor_id, note, due_at)
    SELECT p.id, e.seq, p.st[e.seq - 1], e.to_status, e.at, e.at, NULL, '', e.due_at
    FROM bench_plan p
    CROSS JOIN LATERAL unnest(p.st[1:p.n], p.ts[1:p.n], p.du[1:p.n])
        WITH ORDINALITY AS e(to_status, at, due_at, seq)
    """


def _visits_sql(visits_table: str) -> str:
    """One walk-in count per unit and weekday of the period (20 to 120 citizens)."""
    return f"""
    INSERT INTO {visits_table} (commune_id, date, count, recorded_by_id, updated_at)
    SELECT u.id, d::date, 20 + floor(100 * random())::int, NULL, now()
    FROM unnest(%(unit_ids)s::bigint[]) WITH ORDINALITY AS u(id, ord)
    CROSS JOIN generate_series(%(first_day)s::date, %(last_day)s::date, interval '1 day') AS d
    WHERE extract(isodow FROM d) < 6
    ORDER BY u.ord, d
    ON CONFLICT (commune_id, date) DO NOTHING
    """


# --- the fill ----------------------------------------------------------------------------------


def bench_units(count: int) -> list[int]:
    """`count` units of province 25: its current units by code, then (beyond 148) units they absorbed."""
    from communes.models import Commune

    current = list(
        Commune.objects.current().filter(province__code="25").order_by("code").values_list("pk", flat=True)
    )
    if count <= len(current):
        return current[:count]
    older = (
        Commune.objects.filter(successions__successor__in=current)
        .exclude(pk__in=current)
        .distinct()
        .order_by("code", "pk")
        .values_list("pk", flat=True)
    )
    units = current + list(older[: count - len(current)])
    if len(units) < count:
        raise SystemExit(f"Chỉ có {len(units)} đơn vị cho bench, cần {count}.")
    return units


def _meta(cursor) -> dict | None:
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {META_TABLE} (dossiers int, communes int, years int, "
        "anchor timestamptz, first_day date, unit_ids bigint[])"
    )
    cursor.execute(f"SELECT dossiers, communes, years, anchor, first_day, unit_ids FROM {META_TABLE}")
    row = cursor.fetchone()
    if row is None:
        return None
    keys = ("dossiers", "communes", "years", "anchor", "first_day", "unit_ids")
    return dict(zip(keys, row, strict=True))


def ensure_data(dossiers: int, communes: int, years: int) -> dict:
    """Fill the bench database to the requested size if it is not already; return its meta
    (anchor = the moment "now" of the data, first_day, unit_ids)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from dossiers.models import Dossier, DossierEvent, Procedure, WalkInVisits

    with connection.cursor() as cursor:
        meta = _meta(cursor)
        if meta is None:
            if Dossier.objects.exists():
                raise SystemExit(
                    "Cơ sở dữ liệu này đã có hồ sơ không do bench tạo: dùng một cơ sở dữ liệu riêng "
                    "(ví dụ portal_bench_stats)."
                )
            anchor = timezone.now().replace(microsecond=0)
            today = timezone.localtime(anchor).date()
            try:
                first_day = today.replace(year=today.year - years) + dt.timedelta(days=1)
            except ValueError:  # 29/2
                first_day = today.replace(year=today.year - years, day=28) + dt.timedelta(days=1)
            meta = {"dossiers": dossiers, "communes": communes, "years": years, "anchor": anchor,
                    "first_day": first_day, "unit_ids": bench_units(communes)}  # fmt: skip
            cursor.execute(
                f"INSERT INTO {META_TABLE} VALUES (%s, %s, %s, %s, %s, %s)",
                [dossiers, communes, years, anchor, first_day, meta["unit_ids"]],
            )
        elif (meta["dossiers"], meta["communes"], meta["years"]) != (dossiers, communes, years):
            raise SystemExit(
                f"Cơ sở dữ liệu bench đang giữ {meta['dossiers']:,} hồ sơ / {meta['communes']} xã / "
                f"{meta['years']} năm, khác yêu cầu ({dossiers:,} / {communes} / {years}): "
                "dùng tham số cũ, hoặc một DATABASE_URL khác, hoặc xoá cơ sở dữ liệu này (dropdb)."
            )

    anchor, first_day = meta["anchor"], meta["first_day"]
    last_day = timezone.localtime(anchor).date()
    procedures = list(
        Procedure.objects.filter(is_active=True)
        .order_by("processing_days", "code")
        .values_list("pk", "processing_days")
    )
    params = {
        "unit_ids": meta["unit_ids"],
        "n_units": len(meta["unit_ids"]),
        "proc_ids": [pk for pk, _days in procedures],
        "proc_days": [days for _pk, days in procedures],
        "n_procs": len(procedures),
        "first_day": first_day,
        "last_day": last_day,
        "n_days": (last_day - first_day).days + 1,
        "anchor": anchor,
        "anchor_local": timezone.localtime(anchor).replace(tzinfo=None),
    }
    chunks = [(lo, min(lo + CHUNK - 1, dossiers)) for lo in range(1, dossiers + 1, CHUNK)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id / {CHUNK} FROM {Dossier._meta.db_table} WHERE mod(id, {CHUNK}) = 1")
        done = {row[0] for row in cursor.fetchall()}
    todo = [(lo, hi) for lo, hi in chunks if lo // CHUNK not in done]
    plan_sql = _plan_sql()
    dossiers_sql = _dossiers_sql(Dossier._meta.db_table)
    events_sql = _events_sql(DossierEvent._meta.db_table)
    if todo:
        print(f"Tạo {sum(hi - lo + 1 for lo, hi in todo):,} hồ sơ ({len(todo)} phần) ...", flush=True)
    started = time.perf_counter()
    for lo, hi in todo:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SELECT setseed(%s)", [((lo // CHUNK) % 997) / 997])
            cursor.execute(plan_sql, {**params, "lo": lo, "hi": hi})
            cursor.execute(dossiers_sql)
            cursor.execute(events_sql)
        print(f"  hồ sơ {lo:,}–{hi:,}: {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        if todo:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{Dossier._meta.db_table}', 'id'), "
                f"(SELECT max(id) FROM {Dossier._meta.db_table}))"
            )
        if not WalkInVisits.objects.filter(commune_id__in=meta["unit_ids"]).exists():
            cursor.execute("SELECT setseed(0.5)")
            cursor.execute(_visits_sql(WalkInVisits._meta.db_table), params)
    return meta
