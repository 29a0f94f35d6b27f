"""Statistics speed bench (issue 4, item 8): prints figures, asserts nothing. Not part of the tests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_stats \\
        .venv/bin/python bench/stats_bench.py [--dossiers 2000000] [--communes 150] [--years 3]

PostgreSQL only, and only a database whose name contains "bench": it is created if missing,
migrated, given the demo reference data (units, calendar, procedures, accounts; no demo dossiers)
and FILLED by bench/stats_data.py with set-based SQL: 2,000,000 dossiers (2 to 5 events each)
over 150 communes of Phú Thọ and 3 years up to now, plus walk-in visits. The first fill takes
several minutes; a later run finds the data (or resumes an interrupted fill) and goes straight to
the measurements. The database is left in place for reruns (`dropdb portal_bench_stats` when done).

Then, in one run, after ANALYZE (hand-written SQL lives in bench/stats_sql.py):
  (a) refreshing one day for all communes: dossiers.figures.recompute(None, day, day) for the last
      full day, median of 5 runs, against one hand-written query computing that day's flows and
      end-of-day stocks per commune straight from dossiers and events (target: ratio <= 2);
  (b) rebuilding the whole history: recompute(None, first_day, last_day) against one hand-written
      INSERT INTO a scratch table SELECT ... GROUP BY commune, day, flows plus stocks by the same
      interval method (target: ratio <= 2); then ANALYZE of the daily tables (not timed), as
      autovacuum would do a minute later, so (c) and (d) read them with fresh statistics;
  (c) the province dashboard /bang-dieu-khien/tinh/ rendered N times (django.test.Client, as the
      province's inspector) for a one-month and a one-year period: p50/p95 server time and SQL
      queries (target: p95 <= 150 ms, <= 12 queries), against the province's period summary
      computed directly from dossiers and events (JIT off: the best plain query), timed the same
      way (target: >= 20x faster);
  (d) GET /api/v1/stats/summary/ under load (gunicorn -w 2, wrk -t2 -c16, 20 s, the inspector's
      token) against the trivial GET /api/v1/provinces/25/ (target: ratio >= 0.5).
Each hand-written result is checked against what the app computed ("khớp" = the same figures).

Options: --renders N (c, default 50), --load-seconds S (d, default 20), --skip-load (no d).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dossier_bench import BenchError, bench_database_url, ensure_database, percentile  # noqa: E402
from stats_sql import (  # noqa: E402
    FIGURES,
    MIRROR_DAILY_TABLE,
    MIRROR_PROCEDURE_TABLE,
    SCRATCH_TABLE,
    history_sql,
    mirror_tables_sql,
    one_day_refresh_sql,
    one_day_sql,
    period_summary_sql,
    rebuild_sql,
)

PROVINCE = "25"
INSPECTOR = "totruong.phutho"  # the demo inspector of Phú Thọ (portal/demo_accounts.py)


def _arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=2_000_000)
    parser.add_argument("--communes", type=int, default=150)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--load-seconds", type=int, default=20)
    parser.add_argument("--skip-load", action="store_true")
    return parser.parse_args(argv)


def setup(args) -> tuple[str, dict]:
    """Database checks, creation, migration, reference data and the fill; (url, data meta)."""
    url = os.environ.get("DATABASE_URL", "")
    name = urlsplit(url).path.lstrip("/")
    url = bench_database_url(url, name)  # SystemExit unless PostgreSQL
    if "bench" not in name:
        raise SystemExit(
            f"Bench chỉ ghi vào cơ sở dữ liệu có tên chứa “bench” (hiện tại: “{name}”): "
            "nó thêm hàng triệu hồ sơ."
        )
    created = ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment
    from stats_data import ensure_data

    from portal.demo import seed_demo

    setup_test_environment()  # the test client's host name, in-memory e-mail
    print(f"Cơ sở dữ liệu bench: {name} ({'vừa tạo' if created else 'đã có'}).", flush=True)
    call_command("migrate", verbosity=0)
    seed_demo(dossiers=False)
    started = time.perf_counter()
    meta = ensure_data(args.dossiers, args.communes, args.years)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum keeps a live database: no dead rows, fresh stats
    print(f"Dữ liệu và VACUUM ANALYZE: {time.perf_counter() - started:.0f} s", flush=True)
    return url, meta


# --- measurements --------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table: the app's figure, the reference's, their ratio and the target."""

    label: str
    app: str
    reference: str
    ratio: str = ""
    target: str = ""
    note: str = ""


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def _interleaved(functions: list, runs: int) -> list[float]:
    """The median time of each function, run in turns (one of each per round) so that none of
    them finds the caches warmed by its own previous runs more than the others do."""
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(runs):
        for index, function in enumerate(functions):
            times[index].extend(_timed(function, 1))
    return [statistics.median(each) for each in times]


def _fetch(sql, params, *, jit=True):
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if not jit:
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _agreement(app: dict, reference: dict) -> str:
    """{key: tuple of figures} from both sides; "khớp" when every key has the same figures."""
    zero = (0,) * len(FIGURES)
    keys = set(app) | set(reference)
    wrong = [k for k in keys if tuple(app.get(k, zero)) != tuple(reference.get(k, zero))]
    return "khớp" if not wrong else f"KHÔNG khớp: {len(wrong)}/{len(keys)}"


def _prepare_mirrors(first: dt.date, last: dt.date) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in mirror_tables_sql(first.isoformat(), last.isoformat()):
            cursor.execute(statement)


def _per_commune(table: str, first: dt.date, last: dt.date) -> dict:
    """{commune_id: column sums} of a daily table over [first, last]."""
    from django.db import connection

    sums = ", ".join(f"sum({name})" for name in FIGURES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT commune_id, {sums} FROM {table} WHERE date >= %s AND date <= %s GROUP BY commune_id",
            [first, last],
        )
        return {row[0]: tuple(int(v) for v in row[1:]) for row in cursor.fetchall()}


def bench_one_day(day: dt.date, runs: int = 5) -> list[Row]:
    """(a) recompute(None, day, day) against the equivalent hand-written refresh (one statement
    computing the day per commune and procedure and upserting it into tables shaped like the
    app's), and, for information, against the read-only query per commune: medians of `runs`
    rounds, the three in turns."""
    from django.db import connection, transaction

    from dossiers.figures import _bounds, recompute
    from dossiers.models import DailyFigures, DailyProcedureFigures

    start, end = _bounds(day, day)
    params = {"start": start, "end": end, "day": day}
    recompute(None, day, day)
    _prepare_mirrors(day, day)

    def refresh():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")  # as the app: JIT costs these plans more than it saves
            cursor.execute(one_day_refresh_sql(), params)

    read_rows: list[dict] = []
    app, reference, read_only = _interleaved(
        [
            lambda: recompute(None, day, day),
            refresh,
            lambda: read_rows.__setitem__(slice(None), _fetch(one_day_sql(), params)),
        ],
        runs,
    )
    check = _agreement(
        _per_commune(DailyFigures._meta.db_table, day, day), _per_commune(MIRROR_DAILY_TABLE, day, day)
    )
    check_procedures = _agreement(
        {"sum": _column_sums(DailyProcedureFigures._meta.db_table, day, day)},
        {"sum": _column_sums(MIRROR_PROCEDURE_TABLE, day, day)},
    )
    check_read = _agreement(
        _per_commune(DailyFigures._meta.db_table, day, day),
        {r["commune_id"]: tuple(r[name] for name in FIGURES) for r in read_rows},
    )
    label = f"(a) làm mới 1 ngày ({day:%d/%m/%Y}), mọi xã, trung vị {runs} lần"
    return [
        Row(label, _ms(app), _ms(reference), f"{app / reference:.2f}×", "<= 2×",
            f"SQL tay cùng việc: tính theo xã và thủ tục, upsert vào bảng cùng cấu trúc; theo xã {check}, "
            f"theo thủ tục {check_procedures}"),
        Row(f"(a') {label[4:]}: tham chiếu chỉ đọc, theo xã", _ms(app), _ms(read_only),
            f"{app / read_only:.2f}×", "(để tham khảo)", f"SELECT … GROUP BY xã, không ghi; {check_read}"),
    ]  # fmt: skip


def bench_history(first: dt.date, last: dt.date) -> list[Row]:
    """(b) recompute(None, first, last) against the equivalent hand-written rebuild (DELETE, then
    INSERT ... SELECT ... GROUP BY per procedure and per commune into tables shaped like the
    app's, holding the same rows before), and, for information, against the one that writes per
    commune only into an unlogged table without indexes."""
    import resource

    from django.db import connection, transaction

    from dossiers.figures import _bounds, recompute
    from dossiers.models import DailyFigures, DailyProcedureFigures

    start, end = _bounds(first, last)
    params = {"start": start, "end": end, "first": first, "last": last}
    started = time.perf_counter()
    result = recompute(None, first, last)
    app = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def reference(statements) -> tuple[float, int]:
        prepare, *inserts = statements
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")  # as the app: JIT costs these plans more than it saves
            cursor.execute(prepare, params)
            for insert in inserts:
                cursor.execute(insert, params)
                rows = cursor.rowcount
        return time.perf_counter() - started, rows

    _prepare_mirrors(first, last)  # the rows a rebuild finds, as the app found its own
    same_job, _rows = reference(rebuild_sql())
    daily_only, daily_only_rows = reference(history_sql())
    written = _per_commune(DailyFigures._meta.db_table, first, last)
    check = _agreement(written, _per_commune(MIRROR_DAILY_TABLE, first, last))
    check_procedures = _agreement(
        {"sum": _column_sums(DailyProcedureFigures._meta.db_table, first, last)},
        {"sum": _column_sums(MIRROR_PROCEDURE_TABLE, first, last)},
    )
    check_daily_only = _agreement({"sum": _column_sums(DailyFigures._meta.db_table, first, last)},
                                  {"sum": _column_sums(SCRATCH_TABLE)})  # fmt: skip
    with connection.cursor() as cursor:
        # The rebuild rewrote every row: fresh statistics before anything reads the daily tables,
        # as autovacuum would give them a minute later (stale ones cost the summary 74 ms, not 4).
        cursor.execute(f"VACUUM ANALYZE {DailyFigures._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {DailyProcedureFigures._meta.db_table}")
        # and the millions of rows written flushed now, not under the next measurement
        cursor.execute("CHECKPOINT")
    procedure_rows = DailyProcedureFigures.objects.filter(date__gte=first, date__lte=last).count()
    span = f"{(last - first).days + 1:,} ngày, mọi xã"
    return [
        Row(
            f"(b) dựng lại toàn bộ {span}",
            _ms(app), _ms(same_job), f"{app / same_job:.2f}×", "<= 2×",
            f"SQL tay cùng việc: DELETE rồi INSERT … SELECT … GROUP BY theo thủ tục và theo xã vào bảng cùng "
            f"cấu trúc; app ghi {result.rows_written:,} hàng ngày + {procedure_rows:,} hàng theo thủ tục; "
            f"theo xã {check}, theo thủ tục {check_procedures}; bộ nhớ đỉnh {peak_mb:,.0f} MB",
        ),
        Row(
            f"(b') dựng lại toàn bộ {span}: tham chiếu chỉ theo xã",
            _ms(app), _ms(daily_only), f"{app / daily_only:.2f}×", "(để tham khảo)",
            f"SQL tay chỉ ghi {daily_only_rows:,} hàng theo xã vào bảng UNLOGGED không chỉ mục, không theo "
            f"thủ tục; {check_daily_only}",
        ),
    ]  # fmt: skip


def _column_sums(table: str, first: dt.date | None = None, last: dt.date | None = None) -> tuple:
    from django.db import connection

    sums = ", ".join(f"coalesce(sum({name}), 0)" for name in FIGURES)
    where, params = ("WHERE date >= %s AND date <= %s", [first, last]) if first else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sums} FROM {table} {where}", params)
        return tuple(cursor.fetchone())


def bench_dashboard(label: str, first: dt.date, last: dt.date, renders: int) -> list[Row]:
    """(c) the province dashboard as the inspector against the summary computed from dossiers."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dossiers.figures import _bounds
    from portal.dashboards.ranking import load_province_units, ranking_with_total

    user = get_user_model().objects.get(username=INSPECTOR)
    client = Client()
    client.force_login(user)
    url = f"/bang-dieu-khien/tinh/?date_from={first.isoformat()}&date_to={last.isoformat()}"
    for _ in range(3):
        response = client.get(url)
        if response.status_code != 200:
            raise BenchError(f"GET {url} trả về {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)  # now: the next request's reset_queries() empties the log it reads
    page = _timed(lambda: client.get(url), renders)
    from communes import generation

    def after_a_change():  # what the first inspector pays once the figures have changed
        generation.bump()
        started = time.perf_counter()
        client.get(url)
        return time.perf_counter() - started

    cold = statistics.median([after_a_change() for _ in range(5)])

    units = load_province_units(code=PROVINCE)
    start, end = _bounds(first, last)
    params = {"ids": sorted(units.all_ids), "start": start, "end": end, "first": first, "last": last,
              "now": timezone.now()}  # fmt: skip
    sql, direct_rows = period_summary_sql(), []
    # Without JIT: compiling this big scan costs PostgreSQL ~0.9 s of its ~2 s (one year); the
    # reference is the best plain query, not a handicapped one.
    direct = _timed(lambda: direct_rows.__setitem__(slice(None), _fetch(sql, params, jit=False)), renders)
    _rows, total = ranking_with_total(units.members, first, last)
    names = (*FIGURES, "carried_over", "visits")
    check = _agreement({"p": tuple(total[n] for n in names)}, {"p": tuple(direct_rows[0][n] for n in names)})
    p50, p95 = statistics.median(page), percentile(page, 95)
    d50, d95 = statistics.median(direct), percentile(direct, 95)
    span = f"{label} {first:%d/%m/%Y}–{last:%d/%m/%Y}"
    return [
        Row(
            f"(c) bảng điều khiển tỉnh /bang-dieu-khien/tinh/, {span}, p50 / p95",
            f"{p50 * 1000:,.1f} / {p95 * 1000:,.1f} ms, {query_count} truy vấn",
            f"{d50 * 1000:,.1f} / {d95 * 1000:,.1f} ms",
            f"{d50 / p50:.1f}× nhanh hơn",
            "p95 <= 150 ms, <= 12 truy vấn, >= 20×",
            f"{renders} lần mỗi bên; lần đầu sau khi số liệu đổi (không bộ nhớ đệm) "
            f"{cold * 1000:,.0f} ms; tổng của tỉnh {check}",
        )
    ]


def bench_load(url: str, seconds: int, first: dt.date, last: dt.date) -> list[Row]:
    """(d) requests/s of the summary against the trivial single-row endpoint, same server, same load."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token
    from stats_load import Gunicorn, get, load

    user = get_user_model().objects.get(username=INSPECTOR)
    token, _ = Token.objects.get_or_create(user=user)
    headers = {"Authorization": f"Token {token.key}"}
    endpoints = [
        ("GET /api/v1/provinces/25/ (tầm thường)", "/api/v1/provinces/25/"),
        ("GET /api/v1/stats/summary/", "/api/v1/stats/summary/"),
        (f"GET /api/v1/stats/summary/?province=25, {first:%d/%m/%Y}–{last:%d/%m/%Y}",
         f"/api/v1/stats/summary/?province=25&date_from={first.isoformat()}&date_to={last.isoformat()}"),
    ]  # fmt: skip
    results = []
    with Gunicorn(url, workers=2) as server:
        server.wait_ready(endpoints[0][1], headers)
        for _label, path in endpoints:
            status, body = get(server.port, path, headers)
            if status != 200:
                raise BenchError(f"GET {path} trả về {status}: {body[:200]!r}")
            load(server.port, path, headers, 2)  # warm both workers up
        for label, path in endpoints:
            results.append((label, load(server.port, path, headers, seconds)))
    trivial = results[0][1]
    rows = []
    for label, result in results:
        latency = f", p50 {result.p50_ms:,.1f} ms" if result.p50_ms is not None else ""
        note = (
            f"{result.requests:,} yêu cầu, {result.errors} lỗi{latency} ({result.tool} -t2 -c16 {seconds} s)"
        )
        if result is trivial:
            rows.append(Row(f"(d) {label}", "", f"{result.requests_per_second:,.1f} yêu cầu/s", "", "", note))
        else:
            ratio = result.requests_per_second / trivial.requests_per_second
            rows.append(Row(f"(d) {label}", f"{result.requests_per_second:,.1f} yêu cầu/s", "",
                            f"{ratio:.2f}", ">= 0.5", note))  # fmt: skip
    return rows


def print_table(rows: list[Row]) -> None:
    headers = ("đo", "ứng dụng", "SQL tay / tham chiếu", "tỉ lệ", "mục tiêu", "ghi chú")
    cells = [headers, *[(r.label, r.app, r.reference, r.ratio, r.target, r.note) for r in rows]]
    widths = [max(len(c[i]) for c in cells) for i in range(5)]
    for line in cells:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(line[:5], widths, strict=True))
            + "  "
            + line[5]
        )


def main(argv=None) -> int:
    args = _arguments(argv)
    url, meta = setup(args)
    from django.db.models import Min
    from django.utils import timezone

    from dossiers.models import Dossier, DossierEvent

    print(f"Hồ sơ: {Dossier.objects.count():,}; bước xử lý: {DossierEvent.objects.count():,}")
    last = timezone.localtime(meta["anchor"]).date()
    first_received = Dossier.objects.aggregate(first=Min("received_at"))["first"]
    first = min(meta["first_day"], timezone.localtime(first_received).date())
    month_last = last.replace(day=1) - dt.timedelta(days=1)
    periods = (
        ("1 tháng", month_last.replace(day=1), month_last),
        ("1 năm", last - dt.timedelta(days=364), last),
    )

    rows: list[Row] = []
    failures: list[str] = []
    steps = [
        ("(a)", lambda: bench_one_day(last - dt.timedelta(days=1))),
        ("(b)", lambda: bench_history(first, last)),
        *[("(c)", lambda p=p: bench_dashboard(*p, args.renders)) for p in periods],
    ]
    if not args.skip_load:
        steps.append(("(d)", lambda: bench_load(url, args.load_seconds, *periods[1][1:])))
    for name, step in steps:
        started = time.perf_counter()
        print(f"{name} đang đo ...", flush=True)
        try:
            new = step()
        except BenchError as exc:
            failures.append(f"{name} {exc}")
            continue
        for row in new:
            print(f"    {row.label}: {row.app} | {row.reference} | {row.ratio} | {row.note}", flush=True)
        print(f"    ({time.perf_counter() - started:.0f} s)", flush=True)
        rows.extend(new)

    print()
    print(f"Bench thống kê: {Dossier.objects.count():,} hồ sơ, {meta['communes']} xã, {meta['years']} năm "
          f"({first:%d/%m/%Y}–{last:%d/%m/%Y}), PostgreSQL, máy {os.cpu_count()} lõi")  # fmt: skip
    print_table(rows)
    for failure in failures:
        print(f"KHÔNG ĐO ĐƯỢC {failure}", file=sys.stderr)
    return 1 if failures else 0


def _stop_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # unwinds through the finally blocks: gunicorn is stopped


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    sys.exit(main())
